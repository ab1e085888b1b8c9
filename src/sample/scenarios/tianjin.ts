// The Tianjin scenario (profile tianjin, templates/policies/tianjin.yaml): three categories
// scored (hospitals with and without inpatient service, pharmacies), the refund curve, the
// consecutive-low module, and special cases for each rule: a refusal of materials,
// investigations open at year end, violations handled across the year boundary, scores on
// the band edges.

import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { Category, Indicator } from '../region.js';
import { CsvWriter, headers, ordered } from '../csv.js';
import { allocate, buildRoster, fullTenths, logUniform, writeRoster, type Institution, type RosterShape } from '../roster.js';
import { byHandled, makeEvent, writeInvestigations, writeSettlements, writeViolations, type InvestigationRow, type ViolationEvent } from '../records.js';
import { mixSeed, Rng } from '../rng.js';
import { readmeHead, type Scenario, type ScenarioContext } from '../scenario.js';
import { addDays, dateText, minDate, randomDate, tenPercentFen, tenthsText, ymd, type Ymd } from '../values.js';

export interface BandEdgeCase {
  code: string;
  category: Category;
  /** Σ of the indicator scores (before scaling to 100). */
  base: number;
  /** The expected score: base scaled to 100, no deductions. */
  score: number;
}

export interface TianjinSpecialCases {
  /** The one institution with 拒不提供资料 handled in the year → 不合格, deposit forfeited. */
  refusal: string;
  /** Investigations open at year end: [opened in Y, not closed; opened in Y, closed in Y+1]. */
  pending: string[];
  /** An investigation opened and closed in Y (未发现违规) → scored as usual. */
  closedInvestigation: string;
  /** Prior-year score < 60 and Y score < 60 → 不予续签. */
  consecutiveLow: string[];
  /** Prior-year score < 60 but Y score ≥ 60 (no violations) → not listed. */
  priorLowRecovered: string[];
  /** A violation that occurred in Y-1 and was handled in Y: counts in Y. */
  lateHandled: string;
  /** A violation that occurred and was handled in Y-1: must not count. */
  handledBeforeYear: string;
  /** A violation that occurred in Y and was handled in Y+1: must not count in Y. */
  handledAfterYear: string;
  /** 解除协议 handled in Y. */
  terminated: string;
  /** Institutions whose score lands exactly on (or just under) a band edge; no violations. */
  bandEdges: BandEdgeCase[];
}

export interface TianjinResult {
  profile: 'tianjin';
  files: string[];
  special: TianjinSpecialCases;
  counts: {
    institutions: number;
    byCategory: Record<Category, number>;
    scores: number;
    settlements: number;
    violations: number;
    investigations: number;
  };
}

/** Monthly settlement of a category in yuan: a typical month is drawn inside it with room for ±15 %. */
const MONTHLY_YUAN: Record<Category, readonly [number, number]> = {
  inpatient: [500_000, 20_000_000],
  outpatient: [20_000, 800_000],
  pharmacy: [5_000, 300_000],
};

const ROSTER: RosterShape = {
  counts(n) {
    const inpatient = Math.round(n * 0.35);
    const outpatient = Math.round(n * 0.2);
    return { inpatient, outpatient, pharmacy: n - inpatient - outpatient };
  },
  monthlyYuan(rng, inst) {
    const [lo, hi] = MONTHLY_YUAN[inst.category];
    // log-uniform typical month, kept inside the range with room for ±15 %
    return logUniform(rng, lo / 0.85, hi / 1.15);
  },
  fillsReservedShare: 0.12,
};

export const tianjinScenario: Scenario<TianjinResult> = {
  profile: 'tianjin',
  defaultRegion: 'tianjin',
  scored: ['inpatient', 'outpatient', 'pharmacy'],
  minInstitutions: 30,
  generate,
};

async function generate(ctx: ScenarioContext): Promise<TianjinResult> {
  const { inputsDir, outDir, seed, institutions: n, year, months, region } = ctx;
  const roster = buildRoster(seed, n, year, region, ROSTER);
  const special = plan(seed, roster, region.indicators);
  const events = planViolations(seed, roster, special, year);

  const files = {
    roster: path.join(inputsDir, '机构名册.xlsx'),
    scores: path.join(inputsDir, '指标得分.csv'),
    settlements: path.join(inputsDir, '月度结算.csv'),
    violations: path.join(inputsDir, '违规记录.xlsx'),
    investigations: path.join(inputsDir, '立案调查.csv'),
    readme: path.join(outDir, 'README.md'),
  };
  await writeRoster(files.roster, seed, roster, year, region);
  const scores = await writeScores(files.scores, seed, roster, region.indicators);
  const settlements = await writeSettlements(files.settlements, seed, roster, year, months, {
    rangeFen: (inst) => {
      const [lo, hi] = MONTHLY_YUAN[inst.category];
      return [lo * 100, hi * 100];
    },
    reservedFen: tenPercentFen,
  });
  await writeViolations(files.violations, seed, events, year);
  const investigations = await writeInvestigations(files.investigations, investigationRows(seed, special, year));

  const counts: TianjinResult['counts'] = {
    institutions: roster.length,
    byCategory: {
      inpatient: roster.filter((i) => i.category === 'inpatient').length,
      outpatient: roster.filter((i) => i.category === 'outpatient').length,
      pharmacy: roster.filter((i) => i.category === 'pharmacy').length,
    },
    scores,
    settlements,
    violations: events.length,
    investigations,
  };
  await writeFile(files.readme, readme(ctx, special, counts));
  return {
    profile: 'tianjin',
    files: [files.roster, files.scores, files.settlements, files.violations, files.investigations, files.readme],
    special,
    counts,
  };
}

// ───────────────────────────── roles and scores ─────────────────────────────

/** Chooses the special-case institutions and sets every institution's prior and Y score targets. */
function plan(seed: number, roster: Institution[], indicators: Record<Category, Indicator[]>): TianjinSpecialCases {
  const rng = new Rng(mixSeed(seed, 2));
  const pools: Record<Category, Institution[]> = {
    inpatient: rng.shuffle(roster.filter((i) => i.category === 'inpatient')),
    outpatient: rng.shuffle(roster.filter((i) => i.category === 'outpatient')),
    pharmacy: rng.shuffle(roster.filter((i) => i.category === 'pharmacy')),
  };
  const take = (...prefer: Category[]): Institution => {
    for (const c of [...prefer, 'inpatient', 'outpatient', 'pharmacy'] as Category[]) {
      const inst = pools[c].pop();
      if (inst) {
        inst.special = true;
        return inst;
      }
    }
    throw new Error('not enough institutions for the special cases');
  };

  const n = roster.length;
  const refusal = take('pharmacy');
  const pendingOpen = take('inpatient');
  const pendingClosedNextYear = take('pharmacy');
  const closedInvestigation = take('outpatient');
  const consecutiveLow: Institution[] = [take('inpatient'), take('outpatient'), take('pharmacy')];
  for (let k = 3; k < Math.max(3, Math.round(n * 0.012)); k++) consecutiveLow.push(take(rng.pick(['inpatient', 'outpatient', 'pharmacy'] as const)));
  const priorLowRecovered: Institution[] = [take('pharmacy'), take('inpatient')];
  for (let k = 2; k < Math.max(2, Math.round(n * 0.008)); k++) priorLowRecovered.push(take(rng.pick(['inpatient', 'outpatient', 'pharmacy'] as const)));
  const lateHandled = take('inpatient');
  const handledBeforeYear = take('outpatient');
  const handledAfterYear = take('pharmacy');
  const terminated = take('pharmacy');
  // Scores in tenths on a band edge (or just under one). The base is the score scaled back to
  // the category's full mark: with a full mark of 100, 60.0 → 60.0; of 95, 60.0 → 57.0.
  const edgeSpecs: [Category, number][] = [
    ['inpatient', 600],
    ['pharmacy', 800],
    ['inpatient', 900],
    ['pharmacy', 599],
    ['outpatient', 600],
    ['outpatient', 800],
    ['outpatient', 900],
  ];
  const bandEdges: BandEdgeCase[] = [];
  for (const [category, scoreTenths] of edgeSpecs) {
    const base = (scoreTenths * fullTenths(indicators, category)) / 1000;
    const score = scoreTenths / 10;
    if (!Number.isInteger(base)) continue; // no base in tenths lands exactly on this edge
    const inst = pools[category].pop();
    if (!inst) continue; // a tiny roster: fewer edge cases
    inst.special = true;
    inst.baseTenths = base;
    bandEdges.push({ code: inst.code, category, base: base / 10, score });
  }

  // Y score targets, as a percentage of the full mark in tenths (0..1000).
  const lowIds = new Set(consecutiveLow.map((i) => i.index));
  const recoveredIds = new Set(priorLowRecovered.map((i) => i.index));
  const ordinary = roster.filter((i) => !i.special);
  rng.shuffle(ordinary);
  const nLow = Math.max(0, Math.round(n * 0.06) - consecutiveLow.length - 1);
  const nMid = Math.round(n * 0.08);
  const lowRandom = new Set(ordinary.slice(0, nLow).map((i) => i.index));
  const midRandom = new Set(ordinary.slice(nLow, nLow + nMid).map((i) => i.index));
  const edgeIds = new Set(bandEdges.map((e) => roster.find((i) => i.code === e.code)?.index ?? -1));

  for (const inst of roster) {
    let percentTenths: number;
    if (lowIds.has(inst.index)) percentTenths = rng.int(380, 585);
    else if (lowRandom.has(inst.index)) percentTenths = rng.int(400, 594);
    else if (recoveredIds.has(inst.index)) percentTenths = rng.int(680, 860);
    else if (midRandom.has(inst.index)) percentTenths = rng.int(610, 749);
    else percentTenths = Math.round(750 + 235 * ((rng.float() + rng.float() + rng.float()) / 3));
    if (!edgeIds.has(inst.index)) inst.baseTenths = Math.round((percentTenths * fullTenths(indicators, inst.category)) / 1000);

    // the prior year (first year of the tool: 上年度考核得分 in the roster)
    let prior: number;
    if (lowIds.has(inst.index) || recoveredIds.has(inst.index)) prior = rng.int(4200, 5980);
    else if (rng.chance(0.04)) prior = rng.int(6000, 6999);
    else prior = rng.int(7000, 9800);
    if (rng.chance(0.5)) prior -= prior % 10; // one decimal on half the rows
    inst.priorHundredths = prior;
  }

  return {
    refusal: refusal.code,
    pending: [pendingOpen.code, pendingClosedNextYear.code],
    closedInvestigation: closedInvestigation.code,
    consecutiveLow: consecutiveLow.map((i) => i.code).sort(),
    priorLowRecovered: priorLowRecovered.map((i) => i.code).sort(),
    lateHandled: lateHandled.code,
    handledBeforeYear: handledBeforeYear.code,
    handledAfterYear: handledAfterYear.code,
    terminated: terminated.code,
    bandEdges,
  };
}

async function writeScores(file: string, seed: number, roster: Institution[], indicatorsOf: Record<Category, Indicator[]>): Promise<number> {
  const out = new CsvWriter(file, true);
  await out.row(headers('scores'));
  for (const inst of roster) {
    const rng = new Rng(mixSeed(seed, 4, inst.index));
    const indicators = indicatorsOf[inst.category];
    const maxima = indicators.map((i) => i.max * 10);
    const scores = allocate(rng, maxima, inst.baseTenths);
    for (let k = 0; k < indicators.length; k++) {
      const indicator = indicators[k];
      const max = maxima[k];
      const score = scores[k];
      if (indicator === undefined || max === undefined || score === undefined) continue;
      // self-assessment at or above the confirmed score; the first review in between
      const self = rng.chance(0.9) ? Math.min(max, score + (rng.chance(0.5) ? 0 : rng.int(1, 25))) : undefined;
      const review = rng.chance(0.85)
        ? rng.chance(0.8) || self === undefined
          ? score
          : rng.int(score, self)
        : undefined;
      const note =
        review !== undefined && review !== score
          ? '复核调整'
          : self !== undefined && self - score >= 20
            ? '现场核查扣分'
            : undefined;
      await out.row(
        ordered('scores', {
          code: inst.code,
          indicator: indicator.code,
          score: tenthsText(score),
          selfScore: self === undefined ? undefined : tenthsText(self),
          reviewScore: review === undefined ? undefined : tenthsText(review),
          note,
        }),
      );
    }
  }
  await out.close();
  return out.rows - 1;
}

// ───────────────────────────── violations and investigations ─────────────────────────────

function planViolations(seed: number, roster: Institution[], special: TianjinSpecialCases, year: number): ViolationEvent[] {
  const rng = new Rng(mixSeed(seed, 6));
  const byCode = new Map(roster.map((i) => [i.code, i]));
  const get = (code: string): Institution => {
    const inst = byCode.get(code);
    if (!inst) throw new Error(`unknown institution ${code}`);
    return inst;
  };
  const inYear = (from: Ymd, to: Ymd): [Ymd, Ymd] => {
    const occurred = randomDate(rng, from, to);
    const handled = minDate(addDays(occurred, rng.int(0, 60)), ymd(year, 12, 31));
    return [occurred, handled];
  };

  const events: ViolationEvent[] = [];
  // the special cases
  {
    const occurred = randomDate(rng, ymd(year - 1, 11, 1), ymd(year - 1, 12, 20));
    events.push(makeEvent(rng, get(special.lateHandled), '暂停结算', occurred, randomDate(rng, ymd(year, 1, 5), ymd(year, 2, 28)), '协议'));
  }
  {
    const occurred = randomDate(rng, ymd(year - 1, 3, 1), ymd(year - 1, 5, 31));
    events.push(makeEvent(rng, get(special.handledBeforeYear), '罚款', occurred, addDays(occurred, rng.int(20, 60)), '条例第三十八条'));
  }
  {
    const occurred = randomDate(rng, ymd(year, 12, 1), ymd(year, 12, 20));
    events.push(makeEvent(rng, get(special.handledAfterYear), '不予支付', occurred, randomDate(rng, ymd(year + 1, 1, 6), ymd(year + 1, 1, 24)), '协议'));
  }
  {
    const [occurred, handled] = inYear(ymd(year, 7, 1), ymd(year, 9, 30));
    events.push(makeEvent(rng, get(special.refusal), '拒不提供资料', occurred, handled, '协议'));
  }
  {
    const [occurred, handled] = inYear(ymd(year, 4, 1), ymd(year, 6, 30));
    events.push(makeEvent(rng, get(special.terminated), '解除协议', occurred, handled, '条例第三十八条'));
  }

  // ordinary events: every other type at least once, then the common ones
  const total = Math.max(events.length + 12, Math.round(roster.length * 0.15));
  const types: [string, string | undefined][] = [
    ['约谈', '协议'],
    ['约谈', '条例第三十八条'],
    ['暂停结算', '条例第三十八条'],
    ['不予支付', undefined],
    ['罚款', '条例第三十九条'],
    ['中止医保服务', undefined],
    ['行政处罚', '其他'],
    ['扣分', '协议'],
  ];
  const weights = [
    ['约谈', 30],
    ['扣分', 30],
    ['不予支付', 12],
    ['暂停结算', 8],
    ['罚款', 8],
    ['行政处罚', 6],
    ['中止医保服务', 3],
  ] as const;
  while (types.length < total - events.length) types.push([rng.weighted(weights), undefined]);

  const candidates = rng.shuffle(roster.filter((i) => !i.special));
  const chosen: Institution[] = [];
  for (const [type, basis] of types) {
    const repeat = chosen.length > 0 && rng.chance(0.25);
    const inst = repeat ? rng.pick(chosen) : candidates.pop() ?? rng.pick(chosen);
    if (!repeat) chosen.push(inst);
    const [occurred, handled] = inYear(ymd(year, 1, 3), ymd(year, 11, 15));
    events.push(makeEvent(rng, inst, type, occurred, handled, basis));
  }

  return byHandled(events);
}

function investigationRows(seed: number, special: TianjinSpecialCases, year: number): InvestigationRow[] {
  const rng = new Rng(mixSeed(seed, 8));
  const [pendingOpen, pendingClosedNextYear] = special.pending;
  if (pendingOpen === undefined || pendingClosedNextYear === undefined) throw new Error('pending cases missing');
  const closedOpened = randomDate(rng, ymd(year, 3, 1), ymd(year, 4, 30));
  return [
    {
      code: special.closedInvestigation,
      openedOn: dateText(closedOpened, 'iso'),
      closedOn: dateText(addDays(closedOpened, rng.int(60, 120)), 'slash'),
      conclusion: '未发现违规',
    },
    { code: pendingOpen, openedOn: dateText(randomDate(rng, ymd(year, 9, 1), ymd(year, 10, 31)), 'iso') },
    {
      code: pendingClosedNextYear,
      openedOn: dateText(randomDate(rng, ymd(year, 11, 1), ymd(year, 11, 30)), 'cn'),
      closedOn: dateText(randomDate(rng, ymd(year + 1, 2, 1), ymd(year + 1, 2, 20)), 'iso'),
      conclusion: '查实违规，另案处理',
    },
  ];
}

function readme(ctx: ScenarioContext, special: TianjinSpecialCases, counts: TianjinResult['counts']): string {
  const { region, seed, year, institutions: n } = ctx;
  const list = (codes: string[]): string => codes.join('、');
  const edges = special.bandEdges.map((e) => `${e.code}（${e.base}分 → ${e.score}分）`).join('、');
  return [
    ...readmeHead(region, seed, year, n),
    `- \`policy.yaml\`：${region.readme.policy}（templates/policies/${region.profile}.yaml 的副本）`,
    `- \`inputs/${year}/机构名册.xlsx\`：${counts.institutions} 家（有住院服务 ${counts.byCategory.inpatient}、无住院服务 ${counts.byCategory.outpatient}、零售药店 ${counts.byCategory.pharmacy}），首年填写上年度考核得分`,
    `- \`inputs/${year}/指标得分.csv\`：${counts.scores} 行（UTF-8 带 BOM，长表）`,
    `- \`inputs/${year}/月度结算.csv\`：${counts.settlements} 行（UTF-8 无 BOM，部分行含千分位、月份写法不一，预留保证金多数不填）`,
    `- \`inputs/${year}/违规记录.xlsx\`：${counts.violations} 条（日期写法混用）`,
    `- \`inputs/${year}/立案调查.csv\`：${counts.investigations} 条`,
    '',
    '## 特殊情形',
    '',
    `- 拒不提供资料（不合格，保证金不予返还）：${special.refusal}`,
    `- 年末仍在立案调查（待定，保证金暂缓）：${list(special.pending)}（后者于 ${year + 1} 年结案，年末仍未结案）`,
    `- ${year} 年立案并结案、未发现违规（正常计分）：${special.closedInvestigation}`,
    `- 连续两年考核低于60分（不予续签）：${list(special.consecutiveLow)}`,
    `- 上年度低于60分、本年度不低于60分（不列入）：${list(special.priorLowRecovered)}`,
    `- ${year - 1} 年发生、${year} 年处理的违规（计入 ${year} 年）：${special.lateHandled}`,
    `- ${year - 1} 年发生并处理的违规（不计入）：${special.handledBeforeYear}`,
    `- ${year} 年发生、${year + 1} 年处理的违规（不计入 ${year} 年）：${special.handledAfterYear}`,
    `- 解除协议：${special.terminated}`,
    `- 分数恰在分档线上（无违规扣分）：${edges}`,
    '',
  ].join('\n');
}
