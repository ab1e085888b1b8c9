// The money rules' properties (SPEC §5.4, §7), for fast-check at any number of runs: the
// default test run checks a few thousand cases each, `npm run check:money` a million.
// Every allocation method joins this list when it is added.
//   - withholding is rate × settlement rounded half up to the fen, exactly (BigInt reference);
//   - a refund conserves the deposit to the fen: payout + forfeited + held = withheld;
//   - a higher score never pays less, on any non-decreasing curve;
//   - the refund is the exact share rounded to a neighbouring fen;
//   - largest remainder: parts add up to the total and each is the floor or ceiling of its share;
//   - a year's totals reconcile: Σ payout + Σ forfeited + Σ held = Σ withheld;
//   - pool: Σ payout = the pool to the fen; a higher score never earns a lower payout at
//     equal base; scaling every deposit by k scales every payout by k within a fen; nobody
//     above a cap or (at or above the threshold) below a floor.
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import type { CurveBand } from '../policy/schema.js';
import { depositTotals, largestRemainder, monthlyWithholding, refundRatio, settleRefund } from '../rules/deposit.js';
import { PoolInfeasible, allocatePool, type PoolMember, type PoolRule } from '../rules/pool.js';
import type { AssessmentStatus } from '../rules/status.js';

export interface MoneyProperty {
  name: string;
  property: fc.IProperty<never> | fc.IProperty<unknown[]>;
}

const fen = fc.integer({ min: 0, max: 90_000_000_000_000 }); // up to 900 billion yuan: beyond a province's year
const score = fc.integer({ min: 0, max: 10_000 }).map((n) => new Decimal(n).dividedBy(100));
const status = fc.constantFrom<AssessmentStatus>('scored', 'pending', 'unqualified');
/** A withholding rate in (0, 0.10] with up to 4 decimals. */
const rate = fc.integer({ min: 1, max: 1_000 }).map((n) => new Decimal(n).dividedBy(10_000));

/** A non-decreasing refund curve: bands from high to low, steps or linear segments, ending at 0. */
const curve: fc.Arbitrary<CurveBand[]> = fc
  .uniqueArray(fc.integer({ min: 1, max: 99 }), { minLength: 0, maxLength: 4 })
  .chain((mins) => {
    const edges = [...mins].sort((a, b) => b - a);
    return fc.tuple(fc.array(fc.integer({ min: 0, max: 100 }), { minLength: edges.length + 1, maxLength: edges.length + 1 }), fc.array(fc.boolean(), { minLength: edges.length + 1, maxLength: edges.length + 1 })).map(([ratios, linear]) => {
      const sorted = [...ratios].sort((a, b) => b - a).map((r) => r / 100); // highest band, highest ratio
      const bands: CurveBand[] = [...edges, 0].map((min, i) => ({ min, ratio: sorted[i] ?? 0 }));
      // A band may rise linearly to the ratio of the band above it.
      return bands.map((b, i) => {
        const higher = bands[i - 1];
        return higher && linear[i] && higher.ratio >= b.ratio ? { ...b, linearTo: { score: higher.min, ratio: higher.ratio } } : b;
      });
    });
  });

/** References are computed at 80 significant digits, far past any fen of the totals generated. */
const Exact = Decimal.clone({ precision: 80 });

/** Round half up of a × b / d for non-negative BigInts: the reference for withholding. */
const roundHalfUp = (a: bigint, b: bigint, d: bigint) => (2n * a * b + d) / (2n * d);

export const MONEY_PROPERTIES: MoneyProperty[] = [
  {
    name: 'withholding is rate × settlement rounded half up to the fen, exactly',
    property: fc.property(fen, rate, (settled, r) => {
      const scaledRate = BigInt(r.times(10_000).toFixed(0));
      const expected = roundHalfUp(BigInt(settled), scaledRate, 10_000n);
      return BigInt(monthlyWithholding(settled, null, r)) === expected && monthlyWithholding(settled, 123, r) === 123;
    }),
  },
  {
    name: 'a refund conserves the deposit to the fen, nothing negative',
    property: fc.property(status, fen, score, curve, (s, withheld, sc, bands) => {
      const r = settleRefund(s, withheld, s === 'scored' ? sc : null, bands);
      return r.payoutFen + r.forfeitedFen + r.heldFen === withheld && r.payoutFen >= 0 && r.forfeitedFen >= 0 && r.heldFen >= 0 && r.payoutFen <= withheld;
    }),
  },
  {
    name: 'a higher score never pays less, on any non-decreasing curve',
    property: fc.property(fen, score, score, curve, (withheld, a, b, bands) => {
      const [lo, hi] = a.lte(b) ? [a, b] : [b, a];
      return settleRefund('scored', withheld, hi, bands).payoutFen >= settleRefund('scored', withheld, lo, bands).payoutFen;
    }),
  },
  {
    name: 'the refund is the exact share withheld × ratio, to a neighbouring fen',
    property: fc.property(fen, score, curve, (withheld, sc, bands) => {
      const exact = new Exact(withheld).times(refundRatio(sc, bands).toString());
      const paid = settleRefund('scored', withheld, sc, bands).payoutFen;
      return paid === exact.floor().toNumber() || paid === exact.ceil().toNumber();
    }),
  },
  {
    name: 'largest remainder: parts add up to the total, each the floor or ceiling of its share',
    property: fc.property(fen, fc.array(fc.integer({ min: 0, max: 1_000_000_000 }), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 6 }), (total, ints, places) => {
      fc.pre(ints.some((w) => w > 0));
      const weights = ints.map((w) => new Decimal(w).dividedBy(10 ** places));
      const parts = largestRemainder(total, weights);
      const sum = weights.reduce((a, w) => a.plus(w.toString()), new Exact(0));
      const conserved = parts.reduce((a, b) => a + b, 0) === total;
      return conserved && parts.every((p, i) => {
        const share = new Exact(weights[i]!.toString()).times(total).dividedBy(sum);
        return p === share.floor().toNumber() || p === share.ceil().toNumber();
      });
    }),
  },
  {
    name: "a year's totals reconcile: Σ payout + Σ forfeited + Σ held = Σ withheld",
    property: fc.property(fc.array(fc.tuple(status, fc.integer({ min: 0, max: 5_000_000_000 }), score), { maxLength: 30 }), curve, (rows, bands) => {
      const settled = rows.map(([s, w, sc]) => settleRefund(s, w, s === 'scored' ? sc : null, bands));
      return depositTotals(settled).differenceFen === 0;
    }),
  },
];

/** A pool member: mostly at or above the threshold, some below, a few with no score (unqualified). */
const poolMember: fc.Arbitrary<PoolMember> = fc
  .tuple(fc.integer({ min: 0, max: 10_000_000_000 }), fc.oneof({ weight: 16, arbitrary: fc.integer({ min: 6_000, max: 10_000 }) }, { weight: 3, arbitrary: fc.integer({ min: 0, max: 5_999 }) }, { weight: 1, arbitrary: fc.constant(-1) }))
  .map(([withheldFen, hundredths]) => ({ baseFen: withheldFen, withheldFen, score: hundredths < 0 ? null : new Decimal(hundredths).dividedBy(100) }));

const poolRule: fc.Arbitrary<PoolRule> = fc.record({
  threshold: fc.constant(60),
  fullMark: fc.constant(100),
  capRatio: fc.option(fc.integer({ min: 100, max: 300 }).map((n) => n / 100), { nil: undefined }),
  floorRatio: fc.option(fc.integer({ min: 0, max: 90 }).map((n) => n / 100), { nil: undefined }),
});

/** The allocation, or null when the rule cannot pay this pool out (a refusal the run reports): such cases are skipped. */
function allocation(members: PoolMember[], rule: PoolRule) {
  try {
    return allocatePool(members.reduce((a, m) => a + m.withheldFen, 0), members, rule);
  } catch (e) {
    if (e instanceof PoolInfeasible) return null;
    throw e;
  }
}

MONEY_PROPERTIES.push(
  {
    name: 'pool: Σ payout = the pool to the fen; nobody above a cap, nobody at or above the threshold below a floor',
    property: fc.property(fc.array(poolMember, { minLength: 1, maxLength: 30 }), poolRule, (members, rule) => {
      const a = allocation(members, rule);
      fc.pre(a !== null);
      const pool = members.reduce((x, m) => x + m.withheldFen, 0);
      if (a!.shares.reduce((x, s) => x + s.payoutFen, 0) !== pool) return false;
      return a!.shares.every((s, i) => {
        const m = members[i]!;
        const cap = rule.capRatio === undefined ? Infinity : new Exact(rule.capRatio).times(m.withheldFen).toNumber();
        const floor = rule.floorRatio === undefined || s.factor.isZero() ? 0 : new Exact(rule.floorRatio).times(m.withheldFen).toNumber();
        return s.payoutFen >= 0 && s.payoutFen <= cap && s.payoutFen >= Math.floor(floor);
      });
    }),
  },
  {
    name: 'pool: a higher score never earns a lower payout at equal base',
    property: fc.property(fc.array(poolMember, { minLength: 0, maxLength: 20 }), fc.integer({ min: 1, max: 5_000_000_000 }), fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10_000 }), poolRule, (others, base, a, b, rule) => {
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      const twin = (hundredths: number): PoolMember => ({ baseFen: base, withheldFen: base, score: new Decimal(hundredths).dividedBy(100) });
      const result = allocation([twin(hi), twin(lo), ...others], rule);
      fc.pre(result !== null);
      return result!.shares[0]!.payoutFen >= result!.shares[1]!.payoutFen;
    }),
  },
  {
    // Caps and floors are whole fen (a cap rounded down, so nobody is paid above it), and
    // ⌊k·cap⌋ − k·⌊cap⌋ is anywhere in 0..k−1: each member a cap or floor holds can move the
    // others' shares by up to a fen at the original scale. So a payout scales by k within a
    // fen, plus a fen for each member a bound holds.
    name: 'pool: scaling every deposit by k scales every payout by k, within a fen (plus the bounds’ own rounding)',
    property: fc.property(fc.array(poolMember, { minLength: 1, maxLength: 20 }), fc.integer({ min: 2, max: 50 }), poolRule, (members, k, rule) => {
      const once = allocation(members, rule);
      const scaledMembers = members.map((m) => ({ ...m, baseFen: m.baseFen * k, withheldFen: m.withheldFen * k }));
      const scaled = allocation(scaledMembers, rule);
      fc.pre(once !== null && scaled !== null);
      const bound = Math.max(once!.shares.filter((s) => s.bound !== null).length, scaled!.shares.filter((s) => s.bound !== null).length);
      return scaled!.shares.every((s, i) => Math.abs(s.payoutFen / k - once!.shares[i]!.payoutFen) <= 1 + bound);
    }),
  },
  {
    name: 'pool: without caps or floors, scaling every deposit by k scales every payout by k within a fen',
    property: fc.property(fc.array(poolMember, { minLength: 1, maxLength: 20 }), fc.integer({ min: 2, max: 50 }), (members, k) => {
      const rule = { threshold: 60, fullMark: 100 };
      const once = allocation(members, rule);
      const scaled = allocation(members.map((m) => ({ ...m, baseFen: m.baseFen * k, withheldFen: m.withheldFen * k })), rule);
      fc.pre(once !== null && scaled !== null);
      return scaled!.shares.every((s, i) => Math.abs(s.payoutFen / k - once!.shares[i]!.payoutFen) <= 1);
    }),
  },
);

/** Runs every property `runs` times; throws the first counterexample fast-check finds. */
export function checkMoney(runs: number, onDone: (name: string, ms: number) => void = () => undefined, seed?: number): void {
  for (const { name, property } of MONEY_PROPERTIES) {
    const started = performance.now();
    fc.assert(property as fc.IProperty<unknown[]>, { numRuns: runs, ...(seed !== undefined ? { seed } : {}) });
    onDone(name, performance.now() - started);
  }
}
