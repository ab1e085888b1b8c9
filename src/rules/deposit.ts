// The quality deposit (SPEC §5.4): withholding, the refund curve, rounding to the fen
// with the largest-remainder method, and the reconciliation identity. Pure functions.
// Money is integer fen; ratios and shares are decimal.js. The articles are cited by the
// profile at `deposit`, `deposit.refundCurve` and `statuses`.
import { Decimal } from 'decimal.js';
import type { CurveBand } from '../policy/schema.js';
import type { AssessmentStatus } from './status.js';
import { remembered } from '../numbering.js';

/** A rate as the exact fraction numerator / 10^k (0.1 → 1 / 10). */
interface ExactRate {
  rate: Decimal.Value;
  numerator: bigint;
  denominator: bigint;
  /** The same as numbers, where they are exact (safe integers). */
  n: number;
  d: number;
}

/** The rate last parsed: a year has one rate and millions of months, so it is parsed once, not per month. */
let lastRate: ExactRate | null = null;

function exactRate(rate: Decimal.Value): ExactRate {
  if (lastRate !== null && lastRate.rate === rate) return lastRate;
  const r = new Decimal(rate);
  const k = Math.max(0, r.decimalPlaces());
  const numerator = BigInt(r.times(new Decimal(10).pow(k)).toString()); // an integer below 10^21: plain digits
  const denominator = 10n ** BigInt(k);
  lastRate = { rate, numerator, denominator, n: Number(numerator), d: Number(denominator) };
  return lastRate;
}

/** `deposit.rate`: the month's deposit is the given 预留保证金, or rate × 结算金额 rounded half up to the fen. */
export function monthlyWithholding(settledFen: number, reservedFen: number | null, rate: Decimal.Value): number {
  if (reservedFen !== null) return reservedFen;
  // Exact integer arithmetic: rate = numerator / 10^k, fen × numerator, then half up.
  const { numerator, denominator, n, d } = exactRate(rate);
  const exact = settledFen * n;
  if (Number.isSafeInteger(exact) && Number.isSafeInteger(n) && Number.isSafeInteger(d)) {
    // Every operand and result a safe integer: the same arithmetic as below, exact in doubles.
    const remainder = exact % d;
    const quotient = (exact - remainder) / d;
    return remainder * 2 >= d ? quotient + 1 : quotient;
  }
  const product = BigInt(settledFen) * numerator;
  const quotient = product / denominator;
  const twiceRemainder = (product % denominator) * 2n;
  return Number(twiceRemainder >= denominator ? quotient + 1n : quotient);
}

/**
 * Ratios already found, per curve and score: a year has millions of institutions and at
 * most ten thousand distinct scores (two decimals), and a Decimal is immutable, so the
 * same instance serves every institution with the score.
 */
const ratiosByCurve = new WeakMap<readonly CurveBand[], Map<string, Decimal>>();

/** `deposit.refundCurve` (SPEC §5.4): the share of the withheld deposit returned at a score. */
export function refundRatio(score: Decimal.Value, bands: readonly CurveBand[]): Decimal {
  let ratios = ratiosByCurve.get(bands);
  if (!ratios) ratiosByCurve.set(bands, (ratios = new Map()));
  const key = typeof score === 'string' ? score : score.toString();
  let ratio = ratios.get(key);
  if (ratio === undefined) {
    if (ratios.size >= 1 << 16) ratios.clear(); // a saving only: never more than a few tables' worth
    ratios.set(key, (ratio = ratioOnCurve(new Decimal(score), bands)));
  }
  return ratio;
}

function ratioOnCurve(s: Decimal, bands: readonly CurveBand[]): Decimal {
  const band = bands.find((b) => s.gte(b.min));
  if (!band) return new Decimal(0);
  if (!band.linearTo) return new Decimal(band.ratio);
  const span = new Decimal(band.linearTo.score).minus(band.min);
  const progress = Decimal.min(s.minus(band.min).dividedBy(span), 1);
  return new Decimal(band.ratio).plus(new Decimal(band.linearTo.ratio).minus(band.ratio).times(progress));
}

/**
 * A decimal as an exact integer scaled by 10^places, for BigInt arithmetic. decimal.js, not
 * binary floats: shifting by a power of ten keeps the digits (no rounding at any precision),
 * and `places` at least the value's own decimal places leaves nothing for toFixed(0) to round.
 */
export function scaledInteger(d: Decimal, places: number): bigint {
  return BigInt(d.times(powerOfTen(places)).toFixed(0));
}

/** 10^places, made once per number of places (a refund is split per institution, millions of them). */
const powersOfTen: Decimal[] = [];
const powerOfTen = (places: number): Decimal => (powersOfTen[places] ??= new Decimal(10).pow(places));

const scaledNumbers = new Map<number, WeakMap<Decimal, number | null>>();

/**
 * `d` × 10^places as an integer number (scaledInteger's exact shift), remembered per
 * instance: null when `d` has more places than that, or the integer is past the exact ones.
 */
export function scaledNumber(d: Decimal, places: number): number | null {
  return remembered(remembered(scaledNumbers, places, () => new WeakMap()), d, () => {
    const scaled = d.decimalPlaces() > places ? null : Number(scaledInteger(d, places));
    return scaled !== null && Number.isSafeInteger(scaled) ? scaled : null;
  });
}

/**
 * SPEC §5.4: splits `totalFen` into integer parts proportional to `weights` so that the
 * parts sum to the total exactly (largest-remainder / Hamilton method). Ties of the
 * remainder go to the earlier part. Weights must be ≥ 0 with a positive sum.
 *
 * Exact: the weights are scaled to integers, each share is total × wᵢ ÷ Σw in integers, its
 * floor and remainder exact, so no rounding of an intermediate can move a fen. Where every
 * product is a safe integer the arithmetic is done in numbers (exact there, as in BigInt:
 * a refund is split per institution, millions of them), else in BigInt.
 */
export function largestRemainder(totalFen: number, weights: readonly Decimal[]): number[] {
  if (weights.length === 0) return [];
  let places = 0;
  for (const w of weights) places = Math.max(places, w.decimalPlaces());
  return sharesInSafeIntegers(totalFen, weights, places) ?? sharesInBigInt(totalFen, weights, places);
}

/** The largest-remainder split in numbers; null when a scaled weight, their sum or a product is past the safe integers. */
export function sharesInSafeIntegers(totalFen: number, weights: readonly Decimal[], places: number): number[] | null {
  const w: number[] = [];
  let sum = 0;
  for (const x of weights) {
    const scaled = scaledNumber(x, places);
    if (scaled === null) return null;
    w.push(scaled);
    sum += scaled;
  }
  if (!Number.isSafeInteger(sum) || !Number.isSafeInteger(totalFen)) return null;
  if (sum === 0) throw new Error('largestRemainder: weights sum to zero');
  if (w.some((x) => x < 0)) throw new Error('largestRemainder: a weight is negative');
  const floors: number[] = [];
  const remainders: number[] = [];
  let left = totalFen;
  for (const x of w) {
    const product = totalFen * x;
    if (!Number.isSafeInteger(product)) return null;
    const remainder = product % sum;
    const floor = (product - remainder) / sum;
    floors.push(floor);
    remainders.push(remainder);
    left -= floor;
  }
  const order = remainders.map((rem, i) => ({ rem, i })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : b.rem - a.rem));
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] ?? 0) + 1;
    left -= 1;
  }
  return floors;
}

/** The largest-remainder split in BigInt, for any size. */
export function sharesInBigInt(totalFen: number, weights: readonly Decimal[], places: number): number[] {
  const w = weights.map((x) => scaledInteger(x, places));
  const sum = w.reduce((a, b) => a + b, 0n);
  if (sum === 0n) throw new Error('largestRemainder: weights sum to zero');
  if (w.some((x) => x < 0n)) throw new Error('largestRemainder: a weight is negative');
  const total = BigInt(totalFen);
  const floors = w.map((x) => (total * x) / sum);
  const remainders = w.map((x) => (total * x) % sum);
  let left = total - floors.reduce((a, b) => a + b, 0n);
  const order = remainders.map((rem, i) => ({ rem, i })).sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (left <= 0n) break;
    floors[i] = (floors[i] ?? 0n) + 1n;
    left -= 1n;
  }
  return floors.map(Number);
}

/** 1 − ratio, one instance per ratio (ratios are shared per score: refundRatio). */
const complements = new WeakMap<Decimal, Decimal>();
const complementOf = (ratio: Decimal): Decimal => remembered(complements, ratio, () => new Decimal(1).minus(ratio));

export interface DepositSettlement {
  withheldFen: number;
  /** payout ÷ withheld: the refund ratio applied, or what the pool paid per yuan withheld; null when not scored. */
  ratio: Decimal | null;
  payoutFen: number;
  forfeitedFen: number;
  heldFen: number;
  /** A pool member's weight, f(score) and the bound that held it (SPEC §5.4 pool). */
  pool?: { weight: Decimal; factor: Decimal; bound: 'cap' | 'floor' | null };
}

/**
 * SPEC §5.4 `refund`: a scored institution gets withheld × ratio back and the rest is
 * forfeited to the fund; a pending one has the whole deposit held (`statuses.pending`);
 * an unqualified one forfeits the whole deposit (`statuses.unqualified`).
 */
export function settleRefund(status: AssessmentStatus, withheldFen: number, score: Decimal | null, bands: readonly CurveBand[]): DepositSettlement {
  if (status === 'pending') return { withheldFen, ratio: null, payoutFen: 0, forfeitedFen: 0, heldFen: withheldFen };
  if (status === 'unqualified' || score === null) return { withheldFen, ratio: new Decimal(0), payoutFen: 0, forfeitedFen: withheldFen, heldFen: 0 };
  const ratio = refundRatio(score, bands);
  if (withheldFen === 0) return { withheldFen, ratio, payoutFen: 0, forfeitedFen: 0, heldFen: 0 };
  const [payoutFen = 0, forfeitedFen = 0] = largestRemainder(withheldFen, [ratio, complementOf(ratio)]);
  return { withheldFen, ratio, payoutFen, forfeitedFen, heldFen: 0 };
}

export interface DepositTotals {
  withheldFen: number;
  payoutFen: number;
  forfeitedFen: number;
  heldFen: number;
  /** Σ payout + Σ forfeited + Σ held − Σ withheld: must be 0. */
  differenceFen: number;
}

/** SPEC §5.4: the reconciliation identity Σ payout + Σ forfeited + Σ held = Σ withheld. */
export function depositTotals(rows: readonly DepositSettlement[]): DepositTotals {
  const t = { withheldFen: 0, payoutFen: 0, forfeitedFen: 0, heldFen: 0 };
  for (const r of rows) {
    t.withheldFen += r.withheldFen;
    t.payoutFen += r.payoutFen;
    t.forfeitedFen += r.forfeitedFen;
    t.heldFen += r.heldFen;
  }
  return { ...t, differenceFen: t.payoutFen + t.forfeitedFen + t.heldFen - t.withheldFen };
}
