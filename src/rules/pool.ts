// The whole-pool deposit (SPEC §5.4 `pool`; policy `deposit.pool`, whose ref is the
// article): the pool of withheld deposits is redistributed by weight = base × f(score),
// f(score) = score ÷ full mark at or above the threshold and 0 below. With a cap and a
// floor relative to each institution's own deposit, every weighted member is paid
//
//     payoutᵢ = clamp(λ · weightᵢ, floorᵢ, capᵢ)
//
// for the one λ that makes the payouts add up to the pool: a capped member's excess goes
// to the others by weight, a floor is funded pro rata by the others. Caps and floors are
// whole fen (cap rounded down, floor up), λ is found exactly (BigInt rationals over the
// sorted breakpoints), and the free members' shares are rounded by largest remainder, so
// Σ payout = pool to the fen and nobody is paid above a cap. Pure.
import { Decimal } from 'decimal.js';
import { largestRemainder, scaledInteger } from './deposit.js';

export interface PoolMember {
  /** The weight's base: the member's withheld deposit or its settlement, in fen. */
  baseFen: number;
  /** The member's own withheld deposit, in fen: caps and floors are relative to it. */
  withheldFen: number;
  /** The score, or null for a member with no weight (unqualified, in the pool by its deposit only). */
  score: Decimal | null;
}

export interface PoolRule {
  threshold: Decimal.Value;
  fullMark: Decimal.Value;
  capRatio?: number;
  floorRatio?: number;
}

export interface PoolShare {
  payoutFen: number;
  /** base × f(score), as shown: f = score ÷ full mark. */
  weight: Decimal;
  /** f(score): 0 below the threshold. */
  factor: Decimal;
  bound: 'cap' | 'floor' | null;
}

export interface PoolAllocation {
  shares: PoolShare[];
  /** Payout per unit of weight for the members no cap or floor binds, as shown (20 digits). */
  lambda: Decimal;
  /** Σ weight. */
  weightSum: Decimal;
}

/** Why a pool cannot be paid out as the policy says: facts for the report to word. */
export class PoolInfeasible extends Error {
  constructor(
    readonly reason: 'noWeight' | 'capsTooLow' | 'floorsTooHigh',
    readonly poolFen: number,
    readonly boundFen: number,
  ) {
    super(`pool of ${poolFen} fen cannot be allocated: ${reason} (${boundFen} fen)`);
  }
}

/** f(score) of the linear exchange: score ÷ full mark at or above the threshold, 0 below. */
export function exchangeFactor(score: Decimal | null, rule: PoolRule): Decimal {
  if (score === null || score.lt(rule.threshold)) return new Decimal(0);
  return score.dividedBy(rule.fullMark);
}

/** A non-negative rational n/d (d > 0). */
interface Rational {
  n: bigint;
  d: bigint;
}

const compare = (a: Rational, b: Rational): number => {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
};

/** Whole fen of ratio × amount, rounded down (cap) or up (floor). */
function fenOf(ratio: number, amountFen: number, up: boolean): bigint {
  const r = new Decimal(ratio);
  const places = r.decimalPlaces();
  const num = scaledInteger(r, places) * BigInt(amountFen);
  const den = 10n ** BigInt(places);
  return up ? (num + den - 1n) / den : num / den;
}

/**
 * Splits `poolFen` among `members` (SPEC §5.4). Throws PoolInfeasible when no member has
 * weight, when the caps cannot hold the whole pool, or when the floors need more than it.
 */
export function allocatePool(poolFen: number, members: readonly PoolMember[], rule: PoolRule): PoolAllocation {
  const factors = members.map((m) => exchangeFactor(m.score, rule));
  const shownWeights = members.map((m, i) => new Decimal(m.baseFen).times(factors[i] ?? 0));
  // Exact integer weights: base × score scaled (the common ÷ full mark cancels in proportions).
  const places = Math.max(0, ...members.map((m) => m.score?.decimalPlaces() ?? 0));
  const w = members.map((m, i) => ((factors[i] ?? new Decimal(0)).isZero() || m.score === null ? 0n : BigInt(m.baseFen) * scaledInteger(m.score, places)));
  const weightSum = shownWeights.reduce((a, x) => a.plus(x), new Decimal(0));
  const shares: PoolShare[] = members.map((_, i) => ({ payoutFen: 0, weight: shownWeights[i] ?? new Decimal(0), factor: factors[i] ?? new Decimal(0), bound: null }));
  const pool = BigInt(poolFen);
  const weighted = w.map((x, i) => ({ i, w: x })).filter((m) => m.w > 0n);
  if (pool === 0n) return { shares, lambda: new Decimal(0), weightSum };
  if (weighted.length === 0) throw new PoolInfeasible('noWeight', poolFen, 0);

  const lo = new Map<number, bigint>();
  const hi = new Map<number, bigint | null>();
  for (const { i } of weighted) {
    const m = members[i]!;
    lo.set(i, rule.floorRatio !== undefined ? fenOf(rule.floorRatio, m.withheldFen, true) : 0n);
    hi.set(i, rule.capRatio !== undefined ? fenOf(rule.capRatio, m.withheldFen, false) : null);
  }
  const sumLo = [...lo.values()].reduce((a, b) => a + b, 0n);
  if (sumLo > pool) throw new PoolInfeasible('floorsTooHigh', poolFen, Number(sumLo));
  const caps = [...hi.values()];
  if (caps.every((c) => c !== null)) {
    const sumHi = caps.reduce<bigint>((a, b) => a + (b ?? 0n), 0n);
    if (sumHi < pool) throw new PoolInfeasible('capsTooLow', poolFen, Number(sumHi));
  }

  // Walk λ up through the breakpoints: at lo/w a member leaves its floor, at hi/w it reaches its cap.
  type Event = { at: Rational; i: number; kind: 'free' | 'cap' };
  const events: Event[] = [];
  for (const { i, w: wi } of weighted) {
    events.push({ at: { n: lo.get(i) ?? 0n, d: wi }, i, kind: 'free' });
    const h = hi.get(i);
    if (h !== null && h !== undefined) events.push({ at: { n: h, d: wi }, i, kind: 'cap' });
  }
  events.sort((a, b) => compare(a.at, b.at) || (a.kind === b.kind ? 0 : a.kind === 'free' ? -1 : 1));
  const state = new Map<number, 'floor' | 'free' | 'cap'>(weighted.map(({ i }) => [i, 'floor']));
  let fixed = sumLo; // Σ of the members at a floor or a cap
  let freeWeight = 0n;
  let lambda: Rational | null = null;
  for (let k = 0; k <= events.length && lambda === null; k++) {
    const e = events[k];
    // On the segment before this event, S(λ) = fixed + λ · freeWeight; does it reach the pool by e.at?
    if (freeWeight > 0n && (e === undefined || (fixed * e.at.d + e.at.n * freeWeight) >= pool * e.at.d)) {
      lambda = { n: pool - fixed, d: freeWeight };
      break;
    }
    if (!e) break;
    const wi = w[e.i] ?? 0n;
    if (e.kind === 'free') {
      fixed -= lo.get(e.i) ?? 0n;
      freeWeight += wi;
      state.set(e.i, 'free');
    } else {
      freeWeight -= wi;
      fixed += hi.get(e.i) ?? 0n;
      state.set(e.i, 'cap');
    }
    if (fixed === pool && freeWeight === 0n) lambda = { n: 0n, d: 1n };
  }
  if (lambda === null) throw new PoolInfeasible('capsTooLow', poolFen, Number(fixed));

  const free = weighted.filter(({ i }) => state.get(i) === 'free');
  for (const { i } of weighted) {
    const s = state.get(i);
    const share = shares[i]!;
    if (s === 'floor') {
      share.payoutFen = Number(lo.get(i) ?? 0n);
      share.bound = 'floor';
    } else if (s === 'cap') {
      share.payoutFen = Number(hi.get(i) ?? 0n);
      share.bound = 'cap';
    }
  }
  const parts = largestRemainder(Number(pool - fixed), free.map(({ w: wi }) => new Decimal(wi.toString())));
  free.forEach(({ i }, k) => {
    shares[i]!.payoutFen = parts[k] ?? 0;
  });
  // λ as shown: payout per unit of the shown weight (base × score ÷ full mark).
  const shownLambda = new Decimal(lambda.n.toString()).dividedBy(lambda.d.toString()).dividedBy(new Decimal(10).pow(places)).times(rule.fullMark);
  return { shares, lambda: shownLambda, weightSum };
}
