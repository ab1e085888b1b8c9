// Scoring an institution (SPEC §5.3): category, indicator points, scaling, deductions,
// rounding, rank and grade, and the assessment status. Pure functions, no I/O.
import { Decimal } from 'decimal.js';
import type { Institution, Investigation, Violation } from '../domain.js';
import type { Category, Grade, Indicator, Policy } from '../policy/schema.js';
import type { IsoDate } from '../io/values.js';

/**
 * 天津第二条 / 江苏 二: the scoring group of an institution; first matching category wins.
 * A category that asks about inpatient service never matches an institution whose
 * 有无住院服务 is blank: it is not guessed.
 */
export function categoryOf(inst: Pick<Institution, 'kind' | 'inpatient'>, categories: readonly Category[]): Category | undefined {
  return categories.find((c) => (c.when.kind === undefined || c.when.kind === inst.kind) && (c.when.inpatient === undefined || c.when.inpatient === inst.inpatient));
}

/** 天津第十二条: the indicators of a category, from the yearly 细则. */
export function indicatorsOf(categoryCode: string, indicators: readonly Indicator[]): Indicator[] {
  return indicators.filter((i) => i.categories.includes(categoryCode));
}

export interface IndicatorPoints {
  indicator: Indicator;
  given: Decimal | null; // the score in the input, null when missing
  counted: Decimal; // capped at the indicator's max
}

/** 天津第十四条: Σ of the indicator scores, each capped at its max (SPEC §5.3). */
export function indicatorPoints(indicators: readonly Indicator[], scores: ReadonlyMap<string, string>): IndicatorPoints[] {
  return indicators.map((indicator) => {
    const text = scores.get(indicator.code);
    const given = text === undefined ? null : new Decimal(text);
    const counted = given === null ? new Decimal(0) : Decimal.min(Decimal.max(given, 0), indicator.max);
    return { indicator, given, counted };
  });
}

/** Subtotals per dimension (天津第九条: 联网医疗费考核、实地考核、医药采购管理考核), in first-seen order. */
export function dimensionSubtotals(points: readonly IndicatorPoints[]): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const p of points) out.set(p.indicator.dimension, (out.get(p.indicator.dimension) ?? new Decimal(0)).plus(p.counted));
  return out;
}

/** 天津第十四条 (百分制): a category whose indicators do not sum to the full mark is scaled to it. */
export function scaleToFullMark(base: Decimal, categoryMax: Decimal.Value, fullMark: Decimal.Value): Decimal {
  const max = new Decimal(categoryMax);
  return max.eq(fullMark) ? base : base.times(fullMark).dividedBy(max);
}

/** 天津第八条: a violation counts in the year it is handled, whatever year it occurred. */
export function countsInYear(v: Pick<Violation, 'handledOn'>, year: number): boolean {
  return v.handledOn.startsWith(`${year}-`);
}

/** 天津第八条 with the agreement's points per 处理类型; a filled 扣分 column replaces the default. */
export function violationPoints(v: Pick<Violation, 'type' | 'points'>, deductions: Policy['deductions']): Decimal {
  if (deductions.rowPointsOverride && v.points !== null) return new Decimal(v.points);
  return new Decimal(deductions.byType[v.type]?.points ?? 0);
}

/** SPEC §5.3: score = scaled base − deductions, clamped to 0..full mark, rounded half up. */
export function finalScore(scaled: Decimal, deductions: Decimal, fullMark: Decimal.Value, decimals: number): Decimal {
  const clamped = Decimal.min(Decimal.max(scaled.minus(deductions), 0), fullMark);
  return clamped.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
}

/** 天津第十五条 / SPEC §5.3: the grade band of a score (bands listed highest first). */
export function gradeOf(score: Decimal, grades: readonly Grade[]): string {
  return (grades.find((g) => score.gte(g.min)) ?? grades[grades.length - 1])?.name ?? '';
}

/** SPEC §5.3: rank within a group, highest first; equal scores share a rank (1, 2, 2, 4). */
export function competitionRanks(scores: readonly Decimal[]): number[] {
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => b.s.comparedTo(a.s) || a.i - b.i);
  const ranks = new Array<number>(scores.length);
  order.forEach((entry, pos) => {
    const prev = order[pos - 1];
    ranks[entry.i] = prev && prev.s.eq(entry.s) ? (ranks[prev.i] ?? pos + 1) : pos + 1;
  });
  return ranks;
}

export type AssessmentStatus = 'scored' | 'pending' | 'unqualified';

export const STATUS_NAMES: Record<AssessmentStatus, string> = { scored: '已评分', pending: '待定', unqualified: '不合格' };

/**
 * 天津第十六条: under investigation when the assessment work ends (`asOf`; SPEC §5.3 takes
 * the year end) → score deferred until the case is closed.
 */
export function openInvestigationOn(investigations: readonly Investigation[], asOf: IsoDate): Investigation | undefined {
  return investigations.find((inv) => inv.openedOn <= asOf && (inv.closedOn === null || inv.closedOn > asOf));
}

export interface StatusDecision {
  status: AssessmentStatus;
  because: Violation | Investigation | null;
  ref: string | undefined;
}

/**
 * 天津第十七条 before 第十六条: refusing or forging materials makes the year 不合格 even
 * when an investigation is also open (the agreement is terminated either way).
 */
export function assessmentStatus(violationsInYear: readonly Violation[], investigations: readonly Investigation[], asOf: IsoDate, statuses: Policy['statuses']): StatusDecision {
  const unqualifiedTypes: readonly string[] = statuses.unqualified?.types ?? [];
  const refusal = violationsInYear.find((v) => unqualifiedTypes.includes(v.type));
  if (refusal) return { status: 'unqualified', because: refusal, ref: statuses.unqualified?.ref };
  const open = statuses.pending ? openInvestigationOn(investigations, asOf) : undefined;
  if (open) return { status: 'pending', because: open, ref: statuses.pending?.ref };
  return { status: 'scored', because: null, ref: undefined };
}
