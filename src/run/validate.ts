// Cross-file checks of SPEC §3, run after every file has been read and before anything
// is computed. Pure: records and policy in, problems out.
import { Decimal } from 'decimal.js';
import { sharedDecimal } from '../rules/shared-decimal.js';
import { remembered } from '../numbering.js';
import type { YearInputs } from '../domain.js';
import type { Problem } from '../problems.js';
import type { Policy } from '../policy/schema.js';
import { categoryOf, countsInYear, indicatorsOf } from '../rules/scoring.js';
import { assessmentStatus } from '../rules/status.js';
import { groupBy } from '../group-by.js';
import { inScope } from '../rules/scope.js';
import { validateReview } from './validate-review.js';
import { agreementEndedOn, agreementEndingsByRecord, monthsText, settlementGap } from '../rules/settlement-months.js';

/** Problems that follow from a root cause already reported for `file`: counted there, not listed. */
export interface KnockOn {
  file: string;
  sheet?: string;
  count: number;
}

export interface Validation {
  problems: Problem[];
  /** What the officer must see but that does not stop the run (a final score changed without an appeal). */
  warnings: Problem[];
  knockOn: KnockOn[];
}

export function validateYear(inputs: YearInputs, policy: Policy): Validation {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const knockOn: KnockOn[] = [];
  const at = (src: { file: string; sheet?: string; row: number }, column: string, value: string | undefined, message: string) =>
    problems.push({ file: src.file, sheet: src.sheet, row: src.row, column, value, message });

  // The roster is the key of every other file. Without a row of it, no code elsewhere can be
  // checked: that is said once, at the roster, with the number of rows it leaves unchecked.
  const rosterSource = inputs.sources.find((s) => s.kind === 'institutions');
  const scoresSource = inputs.sources.find((s) => s.kind === 'scores');
  if (rosterSource && (!rosterSource.readable || inputs.institutions.length === 0)) {
    const unchecked = inputs.sources.filter((s) => s.kind !== 'institutions' && s.readable).reduce((a, s) => a + s.rows, 0);
    if (!rosterSource.readable) knockOn.push({ file: rosterSource.file, sheet: rosterSource.sheet, count: unchecked });
    else {
      const message = rosterSource.rows === 0 ? '机构名册没有任何数据行：请填入定点医药机构后再运行' : '机构名册中没有一行有效的机构（各行的问题见下）';
      problems.push({ file: rosterSource.file, sheet: rosterSource.sheet, message, root: true, ...(unchecked > 0 ? { consequences: unchecked } : {}) });
    }
    return { problems, warnings, knockOn };
  }
  // Bounds as Decimals once: compared with a number, decimal.js makes a Decimal of it each time (millions of rows).
  const zero = new Decimal(0);
  const fullMark = new Decimal(policy.scoring.fullMark);
  const roster = new Map<string, YearInputs['institutions'][number]>();
  for (const inst of inputs.institutions) {
    const first = roster.get(inst.code);
    if (first) at(inst.source, '机构编码', inst.code, `机构编码重复（与第${first.source.row}行重复）`);
    else roster.set(inst.code, inst);
    if (inst.priorScore !== null && (sharedDecimal(inst.priorScore).lt(zero) || sharedDecimal(inst.priorScore).gt(fullMark))) {
      at(inst.source, '上年度考核得分', inst.priorScore, `上年度考核得分应在 0 至 ${policy.scoring.fullMark} 之间`);
    }
    if (inScope(inst, policy) && !categoryOf(inst, policy.categories)) {
      const hint = inst.kind === '医疗机构' && inst.inpatient === null ? '：医疗机构须填写「有无住院服务」' : '';
      at(inst.source, '机构类型', inst.kind, `无法归入政策中的任何考核分类${hint}`);
    }
  }
  const unknown = (src: { file: string; sheet?: string; row: number }, code: string) => {
    if (!roster.has(code)) at(src, '机构编码', code, '机构编码不在机构名册中');
    return !roster.has(code);
  };

  const indicators = new Map(policy.indicators.map((i) => [i.code, i]));
  // Whether a score text is within [0, max] of an indicator, decided once per indicator and
  // text: millions of rows repeat a few thousand values, and decimal.js makes a new Decimal
  // of its argument on every comparison.
  const withinBounds = new Map(
    policy.indicators.map((i) => {
      const max = new Decimal(i.max);
      const decided = new Map<string, boolean>();
      return [
        i,
        (text: string) =>
          remembered(decided, text, () => {
            const v = sharedDecimal(text);
            return !(v.lt(zero) || v.gt(max));
          }),
      ];
    }),
  );
  // Per institution, the indicators scored so far: a bit each, in one array for all (a list
  // per institution was a million arrays at national scale). A repeat looks up its first row.
  const indicatorNumber = new Map(policy.indicators.map((i, n) => [i.code, n]));
  const words = Math.ceil(policy.indicators.length / 32);
  const ordinal = new Map<string, number>();
  for (const code of roster.keys()) ordinal.set(code, ordinal.size);
  const scored = new Uint32Array(ordinal.size * words);
  const hasScore = (code: string, indicator: string) => {
    const n = indicatorNumber.get(indicator) as number;
    return (((scored[(ordinal.get(code) as number) * words + (n >>> 5)] as number) >>> (n & 31)) & 1) === 1;
  };
  // The rows are visited, not made (millions of them); what depends on the institution only
  // is found once per run of its rows, which come together.
  let runCode: string | null = null;
  let inst: YearInputs['institutions'][number] | undefined;
  let covered = false;
  let category: ReturnType<typeof categoryOf>;
  let firstWord = 0;
  inputs.scores.visit((s) => {
    if (s.code !== runCode) {
      runCode = s.code;
      inst = roster.get(s.code);
      covered = inst !== undefined && inScope(inst, policy);
      category = covered && inst ? categoryOf(inst, policy.categories) : undefined;
      firstWord = (ordinal.get(s.code) ?? 0) * words;
    }
    if (!inst) {
      unknown(s.source(), s.code);
      return;
    }
    if (!covered) return; // out of the scheme: left out, counted by the plan
    const ind = indicators.get(s.indicator);
    if (!ind) {
      at(s.source(), '指标编码', s.indicator, `政策文件中没有这个指标编码（应为 ${policy.indicators.map((i) => i.code).join('/')}）`);
      return;
    }
    if (category && !ind.categories.includes(category.code)) {
      at(s.source(), '指标编码', s.indicator, `指标 ${ind.code}（${ind.name}）不适用于${category.name}`);
      return;
    }
    const n = indicatorNumber.get(s.indicator) as number;
    const word = firstWord + (n >>> 5);
    const mask = 1 << (n & 31);
    if (((scored[word] as number) & mask) !== 0) {
      const first = inputs.scores.of(s.code).find((o) => o.indicator === s.indicator);
      at(s.source(), '指标编码', s.indicator, `同一机构同一指标重复（与第${first?.source.row}行重复）`);
    } else scored[word] = (scored[word] as number) | mask;
    const within = withinBounds.get(ind) as (text: string) => boolean;
    if (!within(s.score)) at(s.source(), s.scoreColumn, s.score, `得分应在 0 至 ${ind.max}（指标 ${ind.code} 满分）之间`);
    if (s.selfScore !== null && !within(s.selfScore)) at(s.source(), '自评得分', s.selfScore, `自评得分应在 0 至 ${ind.max}（指标 ${ind.code} 满分）之间`);
    if (s.reviewScore !== null && !within(s.reviewScore)) at(s.source(), '初审得分', s.reviewScore, `初审得分应在 0 至 ${ind.max}（指标 ${ind.code} 满分）之间`);
  });

  for (const v of inputs.violations) unknown(v.source, v.code);
  for (const inv of inputs.investigations) unknown(inv.source, inv.code);
  const review = validateReview(inputs, policy, roster, unknown);
  for (const p of review.problems) problems.push(p); // no spread: there may be one per institution
  for (const w of review.warnings) warnings.push(w);

  // An investigation open at the as-of date defers nothing where the policy has no pending status: said, not silent.
  if (!policy.statuses.pending) {
    const open = inputs.investigations.filter((i) => i.major && roster.has(i.code) && i.openedOn <= inputs.asOf && (i.closedOn === null || i.closedOn > inputs.asOf));
    const source = inputs.sources.find((s) => s.kind === 'investigations');
    if (open.length > 0) {
      warnings.push({
        file: source?.file ?? '立案调查',
        ...(source?.sheet ? { sheet: source.sheet } : {}),
        message: `本地政策文件没有“调查期间暂不计分”的规定（statuses.pending），立案调查中考核工作结束日仍在调查的 ${open.length} 家机构照常评分：${open.slice(0, 5).map((i) => i.code).join('、')}${open.length > 5 ? ' 等' : ''}`,
      });
    }
  }

  // Months of settlement missing while the agreement ran: a warning, or an error where the policy says so.
  const settlementsSource = inputs.sources.find((s) => s.kind === 'settlements');
  const gapsTo = policy.inputs?.missingMonths === 'error' ? problems : warnings;
  const endings = agreementEndingsByRecord(inputs.year, inputs.violations, inputs.exits, policy);
  for (const inst of roster.values()) {
    if (!inScope(inst, policy)) continue;
    const gap = settlementGap(inst, inputs.settlements.get(inst.code), agreementEndedOn(inst, inputs.year, endings), inputs.year);
    if (!gap) continue;
    const span = `${gap.admittedOn ? `${gap.admittedOn} 纳入定点` : '年初'}至${gap.endedOn ? `${gap.endedOn} 协议终止` : '年末'}，应有 ${monthsText(Array.from({ length: gap.to - gap.from + 1 }, (_, k) => gap.from + k))}`;
    gapsTo.push({
      file: settlementsSource?.file ?? '月度结算',
      ...(settlementsSource?.sheet ? { sheet: settlementsSource.sheet } : {}),
      column: '结算月份',
      value: inst.code,
      message: gap.none
        ? `机构 ${inst.code}（${inst.name}）没有任何月度结算记录（${span}）：全年未预留质量保证金，请核对`
        : `机构 ${inst.code}（${inst.name}）缺少 ${monthsText(gap.missing)} 的月度结算记录（${span}）：这些月份未预留质量保证金，请核对`,
    });
  }

  // Every institution that will get a score needs a score for each of its indicators; when the
  // score file itself could not be read, that is the one cause, counted at that file.
  if (scoresSource && !scoresSource.readable) {
    knockOn.push({ file: scoresSource.file, sheet: scoresSource.sheet, count: roster.size });
    return { problems, warnings, knockOn };
  }
  const violationsBy = groupBy(inputs.violations.filter((v) => countsInYear(v, inputs.year)), (v) => v.code);
  const investigationsBy = groupBy(inputs.investigations, (i) => i.code);
  for (const inst of roster.values()) {
    const category = categoryOf(inst, policy.categories);
    if (!category || !inScope(inst, policy)) continue;
    const { status } = assessmentStatus(violationsBy.get(inst.code) ?? [], investigationsBy.get(inst.code) ?? [], inputs.asOf, policy.statuses);
    if (status !== 'scored') continue;
    const missing = indicatorsOf(category.code, policy.indicators).filter((i) => !hasScore(inst.code, i.code));
    if (missing.length > 0) {
      problems.push({
        file: inputs.sources.find((s) => s.kind === 'scores')?.file ?? '指标得分',
        column: '指标编码',
        value: inst.code,
        message: `机构 ${inst.code}（${inst.name}）缺少指标得分：${missing.map((m) => `${m.code} ${m.name}`).join('、')}`,
      });
    }
  }
  return { problems, warnings, knockOn };
}
