// The Jiangsu scenario (profile jiangsu, 《江苏省定点医疗机构医疗保障基金使用绩效综合评价办法
// (试行)》) as a 设区市 applies it: medical institutions only (有住院服务 / 没有住院服务), the
// pharmacies of the roster out of scope; three review stages per indicator (自评 → 县区初审 →
// 设区市确认) with appeals against the initial review, both upheld (维持) and adjusted (调整),
// and a few final scores the city's expert review changed without an appeal; the whole
// deposit pool redistributed by score (a few institutions below the pool's threshold, one
// refusal of materials whose deposit goes into the pool, one investigation open at year end
// whose deposit is held outside it).

import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Category, Indicator, SampleRegion } from '../region.js';
import { CsvWriter, headers, ordered } from '../csv.js';
import { allocate, buildRoster, fullTenths, logUniform, writeRoster, type Institution, type RosterShape } from '../roster.js';
import { byHandled, makeEvent, writeInvestigations, writeSettlements, writeViolations, type InvestigationRow, type ViolationEvent } from '../records.js';
import { mixSeed, Rng } from '../rng.js';
import { readmeHead, type Scenario, type ScenarioContext } from '../scenario.js';
import { addDays, dateText, dayNumber, minDate, randomDate, tenthsText, ymd, type Ymd } from '../values.js';

/** 处理结果 of an appeal (申诉记录). */
export type AppealResult = '维持' | '调整';

/** One appeal against an initial-review score, with the scores of its indicator row (points). */
export interface JiangsuAppeal {
  code: string;
  indicator: string;
  result: AppealResult;
  self: number;
  initial: number;
  /** 得分, the city's confirmed score: the initial one when upheld, 调整后得分 when adjusted. */
  final: number;
}

/** An indicator row whose final score differs from the initial one without an appeal (the city's expert review). */
export interface ExpertReview {
  code: string;
  indicator: string;
  initial: number;
  final: number;
}

export interface JiangsuSpecialCases {
  /** 零售药店 of the roster: outside the scheme (医疗机构 only); settlement rows, no scores. */
  pharmacies: string[];
  /** 拒不提供资料 handled in Y → 不合格: its deposit goes into the pool, it gets nothing. */
  refusal: string;
  /** 解除协议 handled in Y. */
  terminated: string;
  /** An investigation opened in Y and open on Y-12-31 → pending, deposit held outside the pool. */
  pending: string;
  /** An investigation opened and closed in Y (未发现违规) → scored as usual. */
  closedInvestigation: string;
  /** A 扣分 row with points in 违规记录: deducted on top of the indicators. */
  deduction: { code: string; points: number };
  /** Scores below the pool's threshold (weight 0); no violations, appeals or review changes. */
  belowThreshold: { code: string; score: number }[];
  appeals: JiangsuAppeal[];
  expertReviews: ExpertReview[];
}

export interface JiangsuResult {
  profile: 'jiangsu';
  files: string[];
  special: JiangsuSpecialCases;
  counts: {
    institutions: number;
    byCategory: Record<Category, number>;
    scores: number;
    settlements: number;
    violations: number;
    investigations: number;
    appeals: number;
  };
}

/** The profile's numbers the sample is built around, read from its policy.yaml. */
interface PoolTerms {
  /** deposit.rate: the withholding rate (预留保证金 left blank). */
  rate: number;
  /** deposit.pool.base: what a weight is proportional to. */
  base: 'withheld' | 'settled';
  /** deposit.pool.threshold: a score below gets weight 0. */
  threshold: number;
  /** deposit.pool.capRatio: payout ≤ capRatio × own deposit. */
  capRatio: number | undefined;
}

function poolTerms(region: SampleRegion): PoolTerms {
  type Raw = { deposit?: { rate?: unknown; method?: unknown; pool?: { base?: unknown; threshold?: unknown; capRatio?: unknown } } };
  const { rate, method, pool } = (parse(region.policyBytes.toString('utf8')) as Raw).deposit ?? {};
  const base = pool?.base;
  if (method !== 'pool' || typeof rate !== 'number' || typeof pool?.threshold !== 'number' || (base !== 'withheld' && base !== 'settled')) {
    throw new Error(`templates/policies/${region.profile}.yaml: the jiangsu sample needs deposit.method pool with a rate, pool.base and pool.threshold`);
  }
  return { rate, base, threshold: pool.threshold, capRatio: typeof pool.capRatio === 'number' ? pool.capRatio : undefined };
}

const ROSTER: RosterShape = {
  counts(n) {
    // about 3 % pharmacies (out of scope, but in the city's roster), the medical institutions 40 / 60
    const pharmacy = Math.max(2, Math.round(n * 0.03));
    const inpatient = Math.round((n - pharmacy) * 0.4);
    return { inpatient, outpatient: n - pharmacy - inpatient, pharmacy };
  },
  monthlyYuan(rng, inst) {
    switch (inst.category) {
      case 'inpatient':
        // by size: 6,000–14,000 yuan a bed a month (a 1,500-bed hospital settles 9–21 million)
        return (inst.beds ?? 20) * logUniform(rng, 6_000, 14_000);
      case 'outpatient':
        if (inst.name.includes('社区卫生服务中心')) return logUniform(rng, 150_000, 1_200_000);
        if (inst.name.includes('门诊部')) return logUniform(rng, 40_000, 400_000);
        return logUniform(rng, 8_000, 80_000); // 诊所
      case 'pharmacy':
        return logUniform(rng, 20_000, 300_000);
    }
  },
  // 预留保证金 is never exported: the policy's rate applies
  fillsReservedShare: 0,
};

const MEDICAL: readonly Category[] = ['inpatient', 'outpatient'];

export const jiangsuScenario: Scenario<JiangsuResult> = {
  profile: 'jiangsu',
  defaultRegion: 'nanjing',
  scored: MEDICAL,
  minInstitutions: 30,
  generate,
};

async function generate(ctx: ScenarioContext): Promise<JiangsuResult> {
  const { inputsDir, outDir, seed, institutions: n, year, months, region } = ctx;
  const terms = poolTerms(region);
  const roster = buildRoster(seed, n, year, region, ROSTER);
  const { special, roles } = plan(seed, roster, region.indicators, terms);
  const events = planViolations(seed, roster, special, year);

  const files = {
    roster: path.join(inputsDir, '机构名册.xlsx'),
    scores: path.join(inputsDir, '指标得分.csv'),
    appeals: path.join(inputsDir, '申诉记录.csv'),
    settlements: path.join(inputsDir, '月度结算.csv'),
    violations: path.join(inputsDir, '违规记录.xlsx'),
    investigations: path.join(inputsDir, '立案调查.csv'),
    readme: path.join(outDir, 'README.md'),
  };
  await writeRoster(files.roster, seed, roster, year, region);
  const scores = await writeScores(files.scores, seed, roster, region.indicators, roles);
  special.appeals = scores.appeals;
  special.expertReviews = scores.expertReviews;
  const appeals = await writeAppeals(files.appeals, seed, special.appeals, year);
  const settlements = await writeSettlements(files.settlements, seed, roster, year, months, {});
  await writeViolations(files.violations, seed, events, year);
  const investigations = await writeInvestigations(files.investigations, investigationRows(seed, special, year));

  const counts: JiangsuResult['counts'] = {
    institutions: roster.length,
    byCategory: {
      inpatient: roster.filter((i) => i.category === 'inpatient').length,
      outpatient: roster.filter((i) => i.category === 'outpatient').length,
      pharmacy: roster.filter((i) => i.category === 'pharmacy').length,
    },
    scores: scores.rows,
    settlements,
    violations: events.length,
    investigations,
    appeals,
  };
  await writeFile(files.readme, readme(ctx, terms, special, counts));
  return {
    profile: 'jiangsu',
    files: [files.roster, files.scores, files.appeals, files.settlements, files.violations, files.investigations, files.readme],
    special,
    counts,
  };
}

// ───────────────────────────── roles and scores ─────────────────────────────

/** What happens to one indicator row of an institution between the initial review and the final score. */
type RowRole = AppealResult | 'expertDown' | 'expertUp';

/** Chooses the special cases and the institutions with appeals and review changes; sets every score target. */
function plan(
  seed: number,
  roster: Institution[],
  indicators: Record<Category, Indicator[]>,
  terms: PoolTerms,
): { special: JiangsuSpecialCases; roles: Map<number, RowRole[]> } {
  const rng = new Rng(mixSeed(seed, 2));
  const medical = roster.filter((i) => i.category !== 'pharmacy');
  const pools: Record<'inpatient' | 'outpatient', Institution[]> = {
    inpatient: rng.shuffle(roster.filter((i) => i.category === 'inpatient')),
    outpatient: rng.shuffle(roster.filter((i) => i.category === 'outpatient')),
  };
  const take = (prefer: 'inpatient' | 'outpatient'): Institution => {
    for (const c of [prefer, prefer === 'inpatient' ? 'outpatient' : 'inpatient'] as const) {
      const inst = pools[c].pop();
      if (inst) {
        inst.special = true;
        return inst;
      }
    }
    throw new Error('not enough medical institutions for the special cases');
  };
  const refusal = take('outpatient');
  const pending = take('inpatient');
  const closedInvestigation = take('inpatient');
  const terminated = take('outpatient');
  const deducted = take('inpatient');

  // Y score targets, as a percentage of the full mark in tenths (0..1000): about 2 % below the
  // pool's threshold, 5 % from the threshold to 70, the rest 70–98.
  const threshold = terms.threshold * 10;
  const ordinary = rng.shuffle(medical.filter((i) => !i.special));
  const nLow = Math.max(1, Math.round(medical.length * 0.02));
  const nMid = Math.round(medical.length * 0.05);
  const low = ordinary.slice(0, nLow);
  for (const inst of low) inst.special = true;
  const lowIds = new Set(low.map((i) => i.index));
  const midIds = new Set(ordinary.slice(nLow, nLow + nMid).map((i) => i.index));
  const percent = new Map<number, number>();
  for (const inst of medical) {
    const p = lowIds.has(inst.index)
      ? rng.int(threshold - 180, threshold - 5)
      : midIds.has(inst.index)
        ? rng.int(threshold, 699)
        : Math.round(700 + 280 * ((rng.float() + rng.float() + rng.float()) / 3));
    percent.set(inst.index, p);
    inst.baseTenths = Math.round((p * fullTenths(indicators, inst.category)) / 1000);
    // the prior year (first year of the tool: 上年度考核得分 in the roster)
    let prior = rng.chance(0.04) ? rng.int(6000, 6999) : rng.int(7000, 9800);
    if (rng.chance(0.5)) prior -= prior % 10; // one decimal on half the rows
    inst.priorHundredths = prior;
  }
  // pharmacies are outside the scheme: no score, no prior score
  for (const inst of roster) if (inst.category === 'pharmacy') inst.priorHundredths = undefined;

  // Appeals and the expert review's changes: institutions scoring 70–90 first (their rows have
  // room both ways), none of them a special case.
  const rest = ordinary.slice(nLow + nMid);
  const roomy = (i: Institution): boolean => (percent.get(i.index) ?? 0) <= 900;
  const movable = [...rng.shuffle(rest.filter((i) => !roomy(i))), ...rng.shuffle(rest.filter(roomy))];
  const roles = new Map<number, RowRole[]>();
  const assign = (inst: Institution, role: RowRole): void => {
    roles.set(inst.index, [...(roles.get(inst.index) ?? []), role]);
  };
  const next = (): Institution => {
    const inst = movable.pop();
    if (!inst) throw new Error('not enough institutions for the appeals and review changes');
    return inst;
  };
  for (const role of ['expertDown', 'expertDown', 'expertUp'] as const) assign(next(), role);
  const nAppeals = Math.max(4, Math.round(medical.length * 0.04));
  let last: Institution | undefined;
  for (let k = 0; k < nAppeals; k++) {
    // the first two settle that both outcomes are there
    const result: AppealResult = k === 0 ? '维持' : k === 1 ? '调整' : rng.chance(0.55) ? '维持' : '调整';
    // some institutions appeal two indicators
    const inst = k >= 2 && last && (roles.get(last.index)?.length ?? 0) < 2 && rng.chance(0.3) ? last : next();
    assign(inst, result);
    last = inst;
  }

  const full = (inst: Institution): number => fullTenths(indicators, inst.category);
  return {
    special: {
      pharmacies: roster.filter((i) => i.category === 'pharmacy').map((i) => i.code),
      refusal: refusal.code,
      terminated: terminated.code,
      pending: pending.code,
      closedInvestigation: closedInvestigation.code,
      deduction: { code: deducted.code, points: 2 },
      belowThreshold: low
        .map((i) => ({ code: i.code, score: Math.round((i.baseTenths * 10_000) / full(i)) / 100 }))
        .sort((a, b) => (a.code < b.code ? -1 : 1)),
      // known once the score rows are drawn
      appeals: [],
      expertReviews: [],
    },
    roles,
  };
}

/** Notes an officer writes in 备注 of a row. */
const NOTES: Record<RowRole, string> = {
  维持: '申诉后维持初审得分',
  调整: '申诉后调整',
  expertDown: '设区市专家复核调整',
  expertUp: '设区市专家复核调整',
};

/** The columns of 指标得分.csv in the order of the review stages. */
const SCORE_COLUMNS = ['code', 'indicator', 'selfScore', 'reviewScore', 'score', 'note'] as const;

/** Writes 指标得分.csv; returns its row count and the rows that moved after the initial review. */
async function writeScores(
  file: string,
  seed: number,
  roster: Institution[],
  indicatorsOf: Record<Category, Indicator[]>,
  roles: Map<number, RowRole[]>,
): Promise<{ rows: number; appeals: JiangsuAppeal[]; expertReviews: ExpertReview[] }> {
  const appeals: JiangsuAppeal[] = [];
  const expertReviews: ExpertReview[] = [];
  const out = new CsvWriter(file, true);
  await out.row(headers('scores', SCORE_COLUMNS));
  for (const inst of roster) {
    if (inst.category === 'pharmacy') continue; // outside the scheme
    const rng = new Rng(mixSeed(seed, 4, inst.index));
    const indicators = indicatorsOf[inst.category];
    const maxima = indicators.map((i) => i.max * 10);
    const finals = allocate(rng, maxima, inst.baseTenths);

    // the rows that move between the initial review and the final score
    const roleOf = new Map<number, RowRole>();
    for (const role of roles.get(inst.index) ?? []) {
      const fits = (k: number): boolean => {
        const f = finals[k] ?? 0;
        const m = maxima[k] ?? 0;
        // upheld or lowered by the experts: the initial (or the self) score above the final;
        // adjusted on appeal or raised: the initial score below it
        return !roleOf.has(k) && (role === '维持' || role === 'expertDown' ? f < m : f > 0);
      };
      const free = maxima.map((_, k) => k).filter(fits);
      if (free.length > 0) roleOf.set(rng.pick(free), role);
    }

    for (let k = 0; k < indicators.length; k++) {
      const indicator = indicators[k];
      const max = maxima[k];
      const final = finals[k];
      if (indicator === undefined || max === undefined || final === undefined) continue;
      const role = roleOf.get(k);
      // a disputed or reviewed difference: 0.5 point up to a quarter of the indicator (3 points at most)
      const gap = (): number => rng.int(5, Math.max(5, Math.min(30, Math.round(max / 4))));
      let initial = final;
      let self: number;
      switch (role) {
        case '维持':
          self = Math.min(max, final + gap());
          break;
        case '调整':
          initial = final - Math.min(final, gap());
          self = Math.min(max, final + rng.int(0, 10));
          break;
        case 'expertDown':
          initial = Math.min(max, final + gap());
          self = Math.min(max, initial + (rng.chance(0.5) ? 0 : rng.int(1, 10)));
          break;
        case 'expertUp':
          initial = final - Math.min(final, gap());
          self = Math.min(max, final + rng.int(0, 10));
          break;
        case undefined: {
          // self-assessment at the initial review or a little above; now and then under it
          const r = rng.float();
          self = r < 0.015 ? Math.max(0, initial - rng.int(1, 10)) : r < 0.5 ? initial : Math.min(max, initial + rng.int(1, 25));
        }
      }
      const note = role !== undefined ? NOTES[role] : self - initial >= 20 ? '初审现场核查扣分' : undefined;
      if (role === '维持' || role === '调整') {
        appeals.push({ code: inst.code, indicator: indicator.code, result: role, self: self / 10, initial: initial / 10, final: final / 10 });
      } else if (role !== undefined) {
        expertReviews.push({ code: inst.code, indicator: indicator.code, initial: initial / 10, final: final / 10 });
      }
      await out.row(
        ordered(
          'scores',
          {
            code: inst.code,
            indicator: indicator.code,
            selfScore: tenthsText(self),
            reviewScore: tenthsText(initial),
            score: tenthsText(final),
            note,
          },
          SCORE_COLUMNS,
        ),
      );
    }
  }
  await out.close();
  return { rows: out.rows - 1, appeals, expertReviews };
}

// ───────────────────────────── appeals ─────────────────────────────

/** 申诉理由 by indicator code (the profile's), with a general one for the others. */
const APPEAL_REASONS: Record<string, string> = {
  JS01: '初审认定超支付标准收费，相关项目系按物价部门核定标准收取，已补充收费依据',
  JS02: '初审扣分的收费项目已于年内整改并退还参保人，已提供退费凭证',
  JS03: '病案首页上传率按当月统计，逾期病案已于次月补传，申请按全年口径复核',
  JS12: '门诊慢特病备案人数未计入12月新增备案，申请复核',
  JS04: '集采药品约定采购量完成率应按采购年度计算，初审按自然年计算，口径不一致',
  JS05: '谈判药品已通过“双通道”在定点药店配备，初审未计入',
  JS06: '总额预算执行率未扣除年中追加的预算额度，申请按调整后的预算复核',
  JS07: '初审抽查的病历中有两份已于年内自查自纠并退回基金，不应重复扣分',
  JS08: '医保医师编码已于检查前完成维护，系统同步延迟导致初审时显示未维护',
  JS09: '数据上传失败系医保信息平台接口升级所致，已提供平台故障通知',
  JS10: '内控制度已于年中修订印发，初审时未查阅修订稿',
  JS11: '投诉事项经核实不属于本机构责任，已有处理结论',
};
const GENERAL_REASON = '对初审扣分有异议，已补充提交佐证材料';
const UPHELD_REPLIES = ['经复核，初审扣分依据充分，维持初审得分', '补充材料不能证明问题已在评价年度内整改，维持初审得分', '经专项工作小组复核，扣分事实清楚，维持初审得分'];

async function writeAppeals(file: string, seed: number, appeals: JiangsuAppeal[], year: number): Promise<number> {
  const rng = new Rng(mixSeed(seed, 9));
  // filed in February of Y+1, after the county's initial review was fed back
  const rows = appeals.map((a) => ({ appeal: a, filed: randomDate(rng, ymd(year + 1, 2, 10), ymd(year + 1, 2, 28)) }));
  rows.sort((a, b) => dayNumber(a.filed) - dayNumber(b.filed) || (a.appeal.code < b.appeal.code ? -1 : a.appeal.code > b.appeal.code ? 1 : 0));
  const out = new CsvWriter(file, true);
  await out.row(headers('appeals'));
  for (const { appeal: a, filed } of rows) {
    const adjusted = a.result === '调整' ? tenthsText(Math.round(a.final * 10)) : undefined;
    const reply =
      adjusted === undefined
        ? rng.pick(UPHELD_REPLIES)
        : rng.pick([`经复核，申诉理由部分成立，调整为${adjusted}分`, `经复核，补充材料属实，核减相应扣分，调整为${adjusted}分`]);
    await out.row(
      ordered('appeals', {
        code: a.code,
        indicator: a.indicator,
        filedOn: dateText(filed, rng.weighted([['iso', 8], ['slash', 1], ['cn', 1]] as const)),
        result: a.result,
        adjusted,
        reason: APPEAL_REASONS[a.indicator] ?? GENERAL_REASON,
        reply,
      }),
    );
  }
  await out.close();
  return out.rows - 1;
}

// ───────────────────────────── violations and investigations ─────────────────────────────

function planViolations(seed: number, roster: Institution[], special: JiangsuSpecialCases, year: number): ViolationEvent[] {
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
  {
    const [occurred, handled] = inYear(ymd(year, 7, 1), ymd(year, 9, 30));
    events.push(makeEvent(rng, get(special.refusal), '拒不提供资料', occurred, handled, '协议'));
  }
  {
    const [occurred, handled] = inYear(ymd(year, 4, 1), ymd(year, 6, 30));
    events.push(makeEvent(rng, get(special.terminated), '解除协议', occurred, handled, '条例第三十八条'));
  }
  {
    const [occurred, handled] = inYear(ymd(year, 5, 1), ymd(year, 10, 31));
    events.push({ ...makeEvent(rng, get(special.deduction.code), '扣分', occurred, handled, '协议'), points: special.deduction.points });
  }

  // ordinary events on medical institutions: each type at least once, then the common ones
  const medical = roster.filter((i) => i.category !== 'pharmacy');
  const total = Math.max(events.length + 8, Math.round(medical.length * 0.1));
  const types: [string, string | undefined][] = [
    ['约谈', '协议'],
    ['约谈', '条例第三十八条'],
    ['暂停结算', '协议'],
    ['不予支付', undefined],
    ['罚款', '条例第三十九条'],
    ['中止医保服务', undefined],
    ['行政处罚', '其他'],
  ];
  const weights = [
    ['约谈', 35],
    ['不予支付', 25],
    ['暂停结算', 12],
    ['罚款', 10],
    ['行政处罚', 8],
    ['中止医保服务', 3],
  ] as const;
  while (types.length < total - events.length) types.push([rng.weighted(weights), undefined]);

  const candidates = rng.shuffle(medical.filter((i) => !i.special));
  const chosen: Institution[] = [];
  for (const [type, basis] of types) {
    const repeat = chosen.length > 0 && rng.chance(0.2);
    const inst = repeat ? rng.pick(chosen) : candidates.pop() ?? rng.pick(chosen);
    if (!repeat) chosen.push(inst);
    const [occurred, handled] = inYear(ymd(year, 1, 3), ymd(year, 11, 15));
    events.push(makeEvent(rng, inst, type, occurred, handled, basis));
  }
  return byHandled(events);
}

function investigationRows(seed: number, special: JiangsuSpecialCases, year: number): InvestigationRow[] {
  const rng = new Rng(mixSeed(seed, 8));
  const closedOpened = randomDate(rng, ymd(year, 3, 1), ymd(year, 4, 30));
  return [
    {
      code: special.closedInvestigation,
      openedOn: dateText(closedOpened, 'iso'),
      closedOn: dateText(addDays(closedOpened, rng.int(60, 120)), 'slash'),
      conclusion: '未发现违规',
    },
    { code: special.pending, openedOn: dateText(randomDate(rng, ymd(year, 9, 1), ymd(year, 11, 30)), 'iso') },
  ];
}

// ───────────────────────────── README ─────────────────────────────

function readme(ctx: ScenarioContext, terms: PoolTerms, special: JiangsuSpecialCases, counts: JiangsuResult['counts']): string {
  const { region, seed, year, institutions: n } = ctx;
  const indicators = [...region.indicators.inpatient, ...region.indicators.outpatient].filter(
    (i, k, all) => all.findIndex((j) => j.code === i.code) === k,
  );
  const named = (list: Indicator[]): string => list.map((i) => `${i.code} ${i.name}（${i.max}分）`).join('、');
  const points = (p: number): string => `${p}分`;
  const upheld = special.appeals.filter((a) => a.result === '维持');
  const adjusted = special.appeals.filter((a) => a.result === '调整');
  const percent = `${Math.round(terms.rate * 1000) / 10}%`;
  const edits = [region.policyRegion === undefined ? '' : `region 改为 ${region.policyRegion}`, region.policyIssuer === undefined ? '' : `发布单位（issuer）改为 ${region.policyIssuer}`].filter(Boolean);
  const edited = edits.length === 0 ? '' : `，仅将 ${edits.join('、')}`;
  return [
    ...readmeHead(region, seed, year, n),
    `- \`policy.yaml\`：${region.readme.policy}（templates/policies/${region.profile}.yaml 的副本${edited}）`,
    `- \`inputs/${year}/机构名册.xlsx\`：${counts.institutions} 家（有住院服务 ${counts.byCategory.inpatient}、无住院服务 ${counts.byCategory.outpatient}、零售药店 ${counts.byCategory.pharmacy}），医疗机构首年填写上年度考核得分`,
    `- \`inputs/${year}/指标得分.csv\`：${counts.scores} 行（UTF-8 带 BOM，长表，每行依次为自评得分、县（区）初审得分、设区市确认的得分）`,
    `- \`inputs/${year}/申诉记录.csv\`：${counts.appeals} 条（${year + 1} 年 2 月对初审得分的申诉：维持 ${upheld.length} 条、调整 ${adjusted.length} 条）`,
    `- \`inputs/${year}/月度结算.csv\`：${counts.settlements} 行（UTF-8 无 BOM，部分行含千分位、月份写法不一；预留保证金不填，按政策比例 ${percent} 计算）`,
    `- \`inputs/${year}/违规记录.xlsx\`：${counts.violations} 条（日期写法混用）`,
    `- \`inputs/${year}/立案调查.csv\`：${counts.investigations} 条`,
    '',
    '## 特殊情形',
    '',
    `- 零售药店（江苏办法只评价定点医疗机构：不评分、不参与统筹分配，有月度结算、无指标得分）：${special.pharmacies.join('、')}`,
    `- 拒不提供资料（不合格，保证金并入统筹资金，本机构不参与分配）：${special.refusal}`,
    `- 年末仍在立案调查（待定，保证金暂缓、不计入统筹资金）：${special.pending}`,
    `- ${year} 年立案并结案、未发现违规（正常评分）：${special.closedInvestigation}`,
    `- 解除协议：${special.terminated}`,
    `- 违规记录中的扣分（在指标得分之外扣减 ${special.deduction.points} 分）：${special.deduction.code}`,
    `- 得分低于 ${terms.threshold} 分（统筹分配权重为 0，保证金由其他机构分配）：${special.belowThreshold.map((b) => `${b.code}（${points(b.score)}）`).join('、')}`,
    `- 申诉维持（得分 = 初审得分）：${upheld.map((a) => `${a.code}（${a.indicator}：自评 ${points(a.self)}，初审 ${points(a.initial)}）`).join('、')}`,
    `- 申诉调整（得分 = 调整后得分）：${adjusted.map((a) => `${a.code}（${a.indicator}：初审 ${points(a.initial)} → ${points(a.final)}）`).join('、')}`,
    `- 设区市专家复核改变得分、无申诉（警告，列入复核调整表）：${special.expertReviews.map((e) => `${e.code}（${e.indicator}：初审 ${points(e.initial)} → ${points(e.final)}）`).join('、')}`,
    `- 设区市特色指标（local，占满分的 10%）：${named(indicators.filter((i) => i.local))}`,
    `- 全省监测指标（monitored）：${named(indicators.filter((i) => i.monitored))}`,
    '',
    `统筹分配：全部医疗机构预留的保证金（结算金额 × ${percent}）汇总后按 ${terms.base === 'withheld' ? '预留保证金' : '结算金额'} × 得分 ÷ 100 的权重分配，` +
      `低于 ${terms.threshold} 分的权重为 0${terms.capRatio === undefined ? '' : `，每家不超过本机构预留保证金的 ${terms.capRatio} 倍`}（见 policy.yaml 的 deposit.pool）。`,
    '',
  ].join('\n');
}
