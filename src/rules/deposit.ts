// The quality deposit (SPEC §5.4): withholding, the refund curve, rounding to the fen
// with the largest-remainder method, and the reconciliation identity. Pure functions.
// Money is integer fen; ratios and shares are decimal.js. The articles are cited by the
// profile at `deposit`, `deposit.refundCurve` and `statuses`.
import { Decimal } from 'decimal.js';
import type { CurveBand } from '../policy/schema.js';
import type { AssessmentStatus } from './status.js';

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

/**
 * SPEC §5.4: splits `totalFen` into integer parts proportional to `weights` so that the
 * parts sum to the total exactly (largest-remainder / Hamilton method). Ties of the
 * remainder go to the earlier part. Weights must be ≥ 0 with a positive sum.
 *
 * Exact: the weights are scaled to integers, each share is total × wᵢ ÷ Σw in BigInt, its
 * floor and remainder exact, so no rounding of an intermediate can move a fen.
 */
export function largestRemainder(totalFen: number, weights: readonly Decimal[]): number[] {
  if (weights.length === 0) return [];
  const places = Math.max(0, ...weights.map((w) => w.decimalPlaces()));
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
  const [payoutFen = 0, forfeitedFen = 0] = largestRemainder(withheldFen, [ratio, new Decimal(1).minus(ratio)]);
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
