// Review stages and appeals (SPEC §5.3; policy `review`): 自评得分 → 初审得分 → 得分 (the
// city's confirmed score), and 申诉记录 checked against them. An appeal 维持 means the final
// score is the initial one, 调整 that it is the 调整后得分: anything else contradicts the
// score file, an input error naming both rows. A final score that differs from the initial
// one with no appeal is allowed (the city's expert review) but is a warning.
import { Decimal } from 'decimal.js';
import type { Institution, IndicatorScore, RowRef, YearInputs } from '../domain.js';
import type { Problem } from '../problems.js';
import type { Policy } from '../policy/schema.js';
import { categoryOf } from '../rules/scoring.js';
import { inScope } from '../rules/scope.js';

const where = (r: RowRef) => `${r.file}${r.sheet ? `（${r.sheet}）` : ''} 第${r.row}行`;

export function validateReview(
  inputs: YearInputs,
  policy: Policy,
  roster: ReadonlyMap<string, Institution>,
  unknown: (src: RowRef, code: string) => boolean,
): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const at = (src: RowRef, column: string, value: string | undefined, message: string, list = problems) => list.push({ file: src.file, sheet: src.sheet, row: src.row, column, value, message });
  const indicators = new Map(policy.indicators.map((i) => [i.code, i]));
  // Score rows by institution and indicator, only where appeals are checked against them
  // (a key per score row is hundreds of megabytes at a province's size).
  const scoreRows = new Map<string, IndicatorScore>();
  if (inputs.appeals.length > 0) {
    const appealedKeys = new Set(inputs.appeals.map((a) => `${a.code}\u0000${a.indicator}`));
    for (const s of inputs.scores) {
      const key = `${s.code}\u0000${s.indicator}`;
      if (appealedKeys.has(key) && !scoreRows.has(key)) scoreRows.set(key, s);
    }
  }

  const appealed = new Map<string, RowRef>();
  for (const a of inputs.appeals) {
    if (unknown(a.source, a.code)) continue;
    const inst = roster.get(a.code)!;
    if (!inScope(inst, policy)) {
      at(a.source, '机构编码', a.code, '这家机构不在本办法的评价范围内，不能对评价得分申诉');
      continue;
    }
    const ind = indicators.get(a.indicator);
    const category = categoryOf(inst, policy.categories);
    if (!ind || (category && !ind.categories.includes(category.code))) {
      at(a.source, '指标编码', a.indicator, ind ? `指标 ${ind.code}（${ind.name}）不适用于${category?.name ?? ''}` : '政策文件中没有这个指标编码');
      continue;
    }
    const key = `${a.code}\u0000${a.indicator}`;
    const first = appealed.get(key);
    if (first) {
      at(a.source, '指标编码', a.indicator, `同一机构同一指标的申诉重复（与第${first.row}行重复）：每项指标只记最终的处理结果`);
      continue;
    }
    appealed.set(key, a.source);
    if (a.adjusted !== null && (new Decimal(a.adjusted).lt(0) || new Decimal(a.adjusted).gt(ind.max))) {
      at(a.source, '调整后得分', a.adjusted, `调整后得分应在 0 至 ${ind.max}（指标 ${ind.code} 满分）之间`);
      continue;
    }
    const score = scoreRows.get(key);
    if (!score) {
      at(a.source, '指标编码', a.indicator, `指标得分中没有 ${a.code} 的 ${a.indicator} 得分，申诉无从核对`);
      continue;
    }
    if (score.reviewScore === null) {
      at(a.source, '指标编码', a.indicator, `申诉针对初审得分，但 ${where(score.source)} 没有初审得分`);
      continue;
    }
    const final = new Decimal(score.score);
    const initial = new Decimal(score.reviewScore);
    if (a.result === '维持' && !final.eq(initial)) {
      at(a.source, '处理结果', a.result, `申诉处理结果为维持（以初审得分 ${score.reviewScore} 为准），但 ${where(score.source)} 的得分为 ${score.score}：两者矛盾`);
    } else if (a.result === '调整' && a.adjusted !== null && !final.eq(a.adjusted)) {
      at(a.source, '调整后得分', a.adjusted, `申诉调整后得分为 ${a.adjusted}，但 ${where(score.source)} 的得分为 ${score.score}：两者矛盾`);
    }
  }

  // A city change with no appeal: allowed (三（二）3 复核复审), said, and listed in 复核调整 —
  // where the policy has review stages; elsewhere an export's 初审得分 column is only shown.
  for (const s of policy.review ? inputs.scores : []) {
    if (s.reviewScore === null || appealed.has(`${s.code}\u0000${s.indicator}`)) continue;
    const inst = roster.get(s.code);
    if (!inst || !inScope(inst, policy) || !indicators.has(s.indicator)) continue;
    if (!new Decimal(s.score).eq(s.reviewScore)) {
      at(s.source, s.scoreColumn, s.score, `得分与初审得分 ${s.reviewScore} 不同，且没有申诉记录：按设区市复核调整处理，已列入「复核调整」工作表，请确认`, warnings);
    }
  }
  return { problems, warnings };
}
