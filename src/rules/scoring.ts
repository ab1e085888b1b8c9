// Scoring an institution (SPEC §5.3): category, indicator points, scaling, deductions,
// rounding, rank and grade. Pure functions, no I/O. The articles they apply are cited by
// the profile at the policy paths named below (and in src/rules/registry.ts).
import { Decimal } from 'decimal.js';
import type { Institution, Violation } from '../domain.js';
import { decimalNumber, scaledNumber, sharedDecimal } from './shared-decimal.js';
import { remembered } from '../numbering.js';
import type { Category, Grade, Indicator, Policy } from '../policy/schema.js';

/**
 * `categories`: the scoring group of an institution; first matching category wins.
 * A category that asks about inpatient service never matches an institution whose
 * 有无住院服务 is blank: it is not guessed.
 */
export function categoryOf(inst: Pick<Institution, 'kind' | 'inpatient'>, categories: readonly Category[]): Category | undefined {
  return categories.find((c) => (c.when.kind === undefined || c.when.kind === inst.kind) && (c.when.inpatient === undefined || c.when.inpatient === inst.inpatient));
}

/** `indicators`: the indicators that apply to a category. */
export function indicatorsOf(categoryCode: string, indicators: readonly Indicator[]): Indicator[] {
  return indicators.filter((i) => i.categories.includes(categoryCode));
}

export interface IndicatorPoints {
  indicator: Indicator;
  given: Decimal | null; // the score in the input, null when missing
  counted: Decimal; // capped at the indicator's max
}

/**
 * The points counted of each shared score instance, per indicator: a year has millions of
 * indicator lines and a few thousand values, and a comparison with decimal.js makes a new
 * Decimal of its argument each time.
 */
const countedOf = new WeakMap<Indicator, WeakMap<Decimal, Decimal>>();

/** `indicators` / `scoring`: each indicator's score capped at its max (SPEC §5.3); `scores` gives the score text of an indicator code. */
export function indicatorPoints(indicators: readonly Indicator[], scores: Pick<ReadonlyMap<string, string>, 'get'>): IndicatorPoints[] {
  return indicators.map((indicator) => {
    const text = scores.get(indicator.code);
    if (text === undefined) return { indicator, given: null, counted: sharedDecimal(0) };
    const given = sharedDecimal(text);
    // Capped at [0, max], as Decimal.min(Decimal.max(given, 0), max), without a new instance.
    const counted = remembered(remembered(countedOf, indicator, () => new WeakMap()), given, () =>
      given.isNegative() ? sharedDecimal(0) : given.gt(indicator.max) ? sharedDecimal(indicator.max) : given,
    );
    return { indicator, given, counted };
  });
}

const ZERO = new Decimal(0);

/** Subtotals per indicator dimension, in first-seen order. */
export function dimensionSubtotals(points: Iterable<IndicatorPoints>): Map<string, Decimal> {
  const out = new Map<string, Decimal>();
  for (const p of points) out.set(p.indicator.dimension, (out.get(p.indicator.dimension) ?? ZERO).plus(p.counted));
  return out;
}

/** Places to which subtotals are summed as integers (a score with more is summed by decimal.js). */
const SUBTOTAL_PLACES = 6;

/**
 * The subtotals of `dimensions` as the numbers a sheet shows — each exactly
 * `dimensionSubtotals(points).get(d)?.toNumber()`, NaN for a dimension without an indicator
 * — summed as integers × 10^6: a sheet of a million institutions asked decimal.js for seven
 * million sums. An exact integer over 10^6 is the double nearest the exact sum, as
 * decimal.js' toNumber is; where a value has more places, decimal.js sums them.
 */
export function dimensionSubtotalNumbers(points: Iterable<IndicatorPoints>, dimensions: readonly string[]): Float64Array {
  const sums = new Float64Array(dimensions.length).fill(Number.NaN);
  for (const p of points) {
    const k = dimensions.indexOf(p.indicator.dimension);
    const scaled = scaledNumber(p.counted, SUBTOTAL_PLACES);
    if (scaled === null) return dimensionSubtotalsAsNumbers(points, dimensions);
    if (k >= 0) sums[k] = (Number.isNaN(sums[k] as number) ? 0 : (sums[k] as number)) + scaled;
  }
  for (let k = 0; k < sums.length; k++) {
    const sum = sums[k] as number;
    if (Number.isNaN(sum)) continue;
    if (!Number.isSafeInteger(sum)) return dimensionSubtotalsAsNumbers(points, dimensions);
    sums[k] = sum / 10 ** SUBTOTAL_PLACES;
  }
  return sums;
}

/** dimensionSubtotalNumbers by decimal.js. */
function dimensionSubtotalsAsNumbers(points: Iterable<IndicatorPoints>, dimensions: readonly string[]): Float64Array {
  const subtotals = dimensionSubtotals(points);
  return Float64Array.from(dimensions, (d) => subtotals.get(d)?.toNumber() ?? Number.NaN);
}

/** `scoring.fullMark`: a category whose indicators do not sum to the full mark is scaled to it. */
export function scaleToFullMark(base: Decimal, categoryMax: Decimal.Value, fullMark: Decimal.Value): Decimal {
  const max = new Decimal(categoryMax);
  return max.eq(fullMark) ? base : base.times(fullMark).dividedBy(max);
}

/** `deductions.countBy: handledDate`: a violation counts in the year it is handled, whatever year it occurred. */
export function countsInYear(v: Pick<Violation, 'handledOn'>, year: number): boolean {
  return v.handledOn.startsWith(`${year}-`);
}

/** `deductions.byType`: points per 处理类型; with `rowPointsOverride`, a filled 扣分 column replaces the default. */
export function violationPoints(v: Pick<Violation, 'type' | 'points'>, deductions: Policy['deductions']): Decimal {
  if (deductions.rowPointsOverride && v.points !== null) return sharedDecimal(v.points);
  return sharedDecimal(deductions.byType[v.type]?.points ?? 0);
}

/** SPEC §5.3: score = scaled base − deductions, clamped to 0..full mark, rounded half up. */
export function finalScore(scaled: Decimal, deductions: Decimal, fullMark: Decimal.Value, decimals: number): Decimal {
  const clamped = Decimal.min(Decimal.max(scaled.minus(deductions), 0), fullMark);
  return clamped.toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP);
}

/** `grades` (SPEC §5.3): the grade band of a score (bands listed highest first). */
export function gradeOf(score: Decimal, grades: readonly Grade[]): Grade {
  const band = grades.find((g) => score.gte(g.min)) ?? grades[grades.length - 1];
  if (!band) throw new Error('policy has no grades (the schema requires at least one)');
  return band;
}

/** SPEC §5.3: rank within a group, highest first; equal scores share a rank (1, 2, 2, 4). */
export function competitionRanks(scores: readonly Decimal[]): number[] {
  // Compared as numbers first (the conversion keeps order: a < b gives n(a) ≤ n(b)), and
  // with decimal.js only where the numbers tie, so the order is the decimals' own.
  const order = scores.map((s, i) => ({ s, n: decimalNumber(s), i })).sort((a, b) => b.n - a.n || b.s.comparedTo(a.s) || a.i - b.i);
  const ranks = new Array<number>(scores.length);
  order.forEach((entry, pos) => {
    const prev = order[pos - 1];
    ranks[entry.i] = prev && prev.n === entry.n && prev.s.eq(entry.s) ? (ranks[prev.i] ?? pos + 1) : pos + 1;
  });
  return ranks;
}
