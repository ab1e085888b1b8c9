// One year's plan: every figure of the run, computed from the inputs, the policy and
// last year's state. Pure and plain: nothing here touches the disk (changesets-style
// "assemble the plan", applied by write.ts).
import { Decimal } from 'decimal.js';
import type { Institution, Investigation, Violation, YearInputs } from '../domain.js';
import type { Category, ListCode, Policy } from '../policy/schema.js';
import { depositTotals, monthlyWithholding, settleRefund, type DepositSettlement, type DepositTotals } from '../rules/deposit.js';
import { consecutiveLow } from '../rules/sanctions.js';
import {
  assessmentStatus,
  categoryOf,
  competitionRanks,
  countsInYear,
  dimensionSubtotals,
  finalScore,
  gradeOf,
  indicatorPoints,
  indicatorsOf,
  scaleToFullMark,
  violationPoints,
  type AssessmentStatus,
  type IndicatorPoints,
} from '../rules/scoring.js';
import { fenToYuanText } from '../io/values.js';
import { STATE_SCHEMA, type HeldDeposit, type PriorYear, type YearState } from './state.js';
import { groupBy } from './validate.js';

export interface Deduction {
  violation: Violation;
  points: Decimal;
  ref: string | undefined;
}

export interface PriorScore {
  score: Decimal | null;
  from: 'state' | 'roster' | 'none';
}

export interface InstitutionResult {
  institution: Institution;
  category: Category;
  status: AssessmentStatus;
  statusBecause: Violation | Investigation | null;
  statusRef: string | undefined;
  indicators: IndicatorPoints[];
  dimensions: Map<string, Decimal>;
  base: Decimal; // Σ counted indicator points
  categoryMax: Decimal; // Σ max of the category's indicators
  scaled: Decimal; // base scaled to the full mark
  deductions: Deduction[];
  deductionTotal: Decimal;
  score: Decimal | null; // null when pending or unqualified
  rank: number | null;
  rankOf: number; // scored institutions in the category
  grade: string;
  monthlyWithheldFen: (number | null)[]; // 12 months
  deposit: DepositSettlement;
  prior: PriorScore;
  lists: ListCode[];
  terminatedBy: Violation | null; // 解除协议 handled in the year
}

export interface ListEntry {
  result: InstitutionResult;
  reason: string;
  ref: string | undefined;
}

export interface YearPlan {
  year: number;
  asOf: string;
  policy: Policy;
  results: InstitutionResult[]; // roster order
  lists: Map<ListCode, ListEntry[]>;
  totals: DepositTotals;
  carriedHeld: HeldDeposit[]; // deposits held in earlier years, carried unchanged
  prior: PriorYear;
  state: YearState;
}

export class ReconciliationError extends Error {}

const ZERO = new Decimal(0);

function priorScoreOf(inst: Institution, prior: PriorYear): PriorScore {
  if (prior.source === 'state') {
    const s = prior.state?.institutions[inst.code];
    return { score: s?.score ? new Decimal(s.score) : null, from: 'state' };
  }
  if (prior.source === 'roster' && inst.priorScore !== null) return { score: new Decimal(inst.priorScore), from: 'roster' };
  return { score: null, from: 'none' };
}

/** Computes the year. Inputs must have passed validateYear. */
export function planYear(inputs: YearInputs, policy: Policy, prior: PriorYear): YearPlan {
  const { year } = inputs;
  const scoresBy = groupBy(inputs.scores, (s) => s.code);
  const handledInYear = inputs.violations.filter((v) => countsInYear(v, year));
  const violationsBy = groupBy(handledInYear, (v) => v.code);
  const investigationsBy = groupBy(inputs.investigations, (i) => i.code);
  const terminatedTypes: readonly string[] = policy.statuses.terminated?.types ?? [];
  const curve = policy.deposit.refundCurve?.bands ?? [];

  const results: InstitutionResult[] = inputs.institutions.map((inst) => {
    const category = categoryOf(inst, policy.categories);
    if (!category) throw new Error(`institution ${inst.code} has no category (validation should have caught it)`);
    const violations = violationsBy.get(inst.code) ?? [];
    const decision = assessmentStatus(violations, investigationsBy.get(inst.code) ?? [], inputs.asOf, policy.statuses);
    const indicators = indicatorsOf(category.code, policy.indicators);
    const points = indicatorPoints(indicators, new Map((scoresBy.get(inst.code) ?? []).map((s) => [s.indicator, s.score])));
    const base = points.reduce((a, p) => a.plus(p.counted), ZERO);
    const categoryMax = indicators.reduce((a, i) => a.plus(i.max), ZERO);
    const scaled = scaleToFullMark(base, categoryMax, policy.scoring.fullMark);
    const deductions = violations
      .map((v) => ({ violation: v, points: violationPoints(v, policy.deductions), ref: policy.deductions.byType[v.type]?.ref ?? policy.deductions.ref }))
      .filter((d) => !d.points.isZero());
    const deductionTotal = deductions.reduce((a, d) => a.plus(d.points), ZERO);
    const score = decision.status === 'scored' ? finalScore(scaled, deductionTotal, policy.scoring.fullMark, policy.scoring.decimals) : null;

    const settlement = inputs.settlements.get(inst.code);
    const monthlyWithheldFen = Array.from({ length: 12 }, (_, m) => {
      const settled = settlement?.settledFen[m];
      return settled === null || settled === undefined ? null : monthlyWithholding(settled, settlement?.reservedFen[m] ?? null, policy.deposit.rate);
    });
    const withheldFen = monthlyWithheldFen.reduce<number>((a, b) => a + (b ?? 0), 0);
    return {
      institution: inst,
      category,
      status: decision.status,
      statusBecause: decision.because,
      statusRef: decision.ref,
      indicators: points,
      dimensions: dimensionSubtotals(points),
      base,
      categoryMax,
      scaled,
      deductions,
      deductionTotal,
      score,
      rank: null,
      rankOf: 0,
      grade: decision.status === 'unqualified' ? (policy.statuses.unqualified?.grade ?? '不合格') : decision.status === 'pending' ? '待定' : gradeOf(score ?? ZERO, policy.grades),
      monthlyWithheldFen,
      deposit: settleRefund(decision.status, withheldFen, score, curve),
      prior: priorScoreOf(inst, prior),
      lists: [],
      terminatedBy: violations.find((v) => terminatedTypes.includes(v.type)) ?? null,
    };
  });

  // Ranks within each category among scored institutions (SPEC §5.3).
  for (const group of groupBy(results.filter((r) => r.score !== null), (r) => r.category.code).values()) {
    const ranks = competitionRanks(group.map((r) => r.score ?? ZERO));
    group.forEach((r, i) => {
      r.rank = ranks[i] ?? null;
      r.rankOf = group.length;
    });
  }

  const lists = assembleLists(results, policy, year);
  const totals = depositTotals(results.map((r) => r.deposit));
  if (totals.differenceFen !== 0) {
    throw new ReconciliationError(`质量保证金不平衡：拨付 + 扣除 + 暂扣 − 预留 = ${fenToYuanText(totals.differenceFen)} 元`);
  }
  const carriedHeld = prior.state?.held_deposits ?? [];
  return { year, asOf: inputs.asOf, policy, results, lists, totals, carriedHeld, prior, state: nextState(year, policy, results, carriedHeld) };
}

/** The public-notice lists the policy publishes (SPEC §5.5, §6); each entry says why. */
function assembleLists(results: InstitutionResult[], policy: Policy, year: number): Map<ListCode, ListEntry[]> {
  const lists = new Map<ListCode, ListEntry[]>();
  const add = (code: ListCode, r: InstitutionResult, reason: string, ref: string | undefined) => {
    if (!lists.has(code)) lists.set(code, []);
    lists.get(code)!.push({ result: r, reason, ref });
    r.lists.push(code);
  };
  const published = new Set(policy.publication.lists);
  const rule = policy.sanctions.consecutiveLow;
  for (const r of results) {
    if (published.has('results')) add('results', r, r.status === 'pending' ? '正在接受调查，暂不计算考核成绩' : '', policy.publication.ref);
    if (rule) {
      const decision = consecutiveLow(r.score, r.prior.score, rule);
      if (decision?.listed) {
        add('noRenewal', r, `${year - 1}年度得分 ${decision.scoreLastYear.toFixed(2)}、${year}年度得分 ${decision.scoreThisYear.toFixed(2)}，连续2个年度低于${rule.below}分`, rule.ref);
      }
    }
    if (r.status === 'unqualified') {
      const v = r.statusBecause as Violation;
      add('terminated', r, `${v.handledOn} ${v.type}：解除医保服务协议，年度考核不合格，扣除全部质量保证金`, r.statusRef);
    } else if (r.terminatedBy) {
      add('terminated', r, `${r.terminatedBy.handledOn} 解除协议`, policy.statuses.terminated?.ref);
    }
  }
  for (const code of [...lists.keys()]) if (!published.has(code)) lists.delete(code);
  return lists;
}

function nextState(year: number, policy: Policy, results: InstitutionResult[], carried: HeldDeposit[]): YearState {
  const institutions: YearState['institutions'] = {};
  const held: HeldDeposit[] = [...carried];
  for (const r of [...results].sort((a, b) => (a.institution.code < b.institution.code ? -1 : 1))) {
    institutions[r.institution.code] = {
      score: r.score?.toFixed(policy.scoring.decimals) ?? null,
      status: r.status,
      grade: r.grade,
      tier: r.institution.tier || null,
      tier_since: r.institution.tierSince,
      promotion_wait_until: null,
      banned_until: null,
    };
    if (r.deposit.heldFen > 0) held.push({ code: r.institution.code, year, held: fenToYuanText(r.deposit.heldFen), reason: '正在接受调查，待结案后兑现（天津第十六条）' });
  }
  return { schema: STATE_SCHEMA, year, region: policy.region, profile: policy.profile, institutions, personnel: {}, held_deposits: held };
}
