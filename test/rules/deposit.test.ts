import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { depositTotals, largestRemainder, monthlyWithholding, refundRatio, settleRefund, sharesInBigInt, sharesInSafeIntegers } from '../../src/rules/deposit.js';
import { tianjinPolicy } from '../helpers/policy.js';

const curve = tianjinPolicy().deposit.refundCurve!.bands;

describe('monthlyWithholding (天津第五条)', () => {
  it('takes the given 预留保证金 as is', () => {
    expect(monthlyWithholding(1_000_000, 12_345, '0.10')).toBe(12_345);
  });
  it('computes rate × 结算金额, rounded half up to the fen', () => {
    expect(monthlyWithholding(123_456_789, null, '0.10')).toBe(12_345_679); // 1,234,567.89 元 × 10 % = 123,456.789 → 123,456.79
    expect(monthlyWithholding(5, null, '0.10')).toBe(1); // 0.05 元 × 10 % = 0.005 → 0.01
    expect(monthlyWithholding(4, null, '0.10')).toBe(0);
    expect(monthlyWithholding(1001, null, '0.075')).toBe(75); // 10.01 × 7.5 % = 0.750750 → 0.75
  });
  it('equals rate × 结算金额 rounded half up in decimal, whatever the rate and amount, rates changing between calls', () => {
    // The oracle needs more than decimal.js's default 20 significant digits: 16 digits of
    // fen times 6 decimals of rate is 22, and a product rounded to 20 can cross the half.
    const Exact = Decimal.clone({ precision: 40 });
    const rate = fc.integer({ min: 0, max: 1_000_000 }).map((n) => new Exact(n).dividedBy(1_000_000).toString());
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), rate), { minLength: 1, maxLength: 20 }), (months) =>
        months.every(([fen, r]) => monthlyWithholding(fen, null, r) === new Exact(fen).times(r).toDecimalPlaces(0, Exact.ROUND_HALF_UP).toNumber()),
      ),
    );
  });
  it('rounds by the exact product, not one rounded to 20 digits (a counterexample CI found)', () => {
    // 7,768,993,999,611,905 × 0.749895 = 5,825,929,755,338,969.499975: stays …969.
    expect(monthlyWithholding(7_768_993_999_611_905, null, '0.749895')).toBe(5_825_929_755_338_969);
  });
  it('stays exact on amounts beyond float precision', () => {
    // 90,071,992,547,409.91 元 × 10 %: fen × 10 exceeds 2^53
    expect(monthlyWithholding(Number.MAX_SAFE_INTEGER, null, '0.10')).toBe(900_719_925_474_099);
  });
});

describe('refundRatio (SPEC §5.4, the published Fujian curve)', () => {
  it.each([
    [100, '1'],
    [80, '1'],
    [79, '0.97'], // 3 % per point below 80
    [70, '0.7'],
    [60, '0.4'], // 40 % at 60
    [59.99, '0'],
    [0, '0'],
  ])('score %s → ratio %s', (score, ratio) => {
    expect(refundRatio(score, curve).toString()).toBe(ratio);
  });
});

describe('settleRefund (天津第十四、十六、十七条)', () => {
  it('refunds withheld × ratio and forfeits the rest', () => {
    expect(settleRefund('scored', 1_000_000, new Decimal(70), curve)).toMatchObject({ payoutFen: 700_000, forfeitedFen: 300_000, heldFen: 0 });
  });
  it('holds the whole deposit of a pending institution (第十六条)', () => {
    expect(settleRefund('pending', 55_555, null, curve)).toMatchObject({ payoutFen: 0, forfeitedFen: 0, heldFen: 55_555 });
  });
  it('forfeits the whole deposit of an unqualified institution (第十七条)', () => {
    expect(settleRefund('unqualified', 55_555, null, curve)).toMatchObject({ payoutFen: 0, forfeitedFen: 55_555, heldFen: 0 });
  });
  it('splits an odd fen without losing it', () => {
    // 0.03 元 at ratio 0.97 (score 79): exact 2.91 fen paid, 0.09 forfeited → 3 + 0
    const s = settleRefund('scored', 3, new Decimal(79), curve);
    expect(s.payoutFen + s.forfeitedFen).toBe(3);
    expect(s.payoutFen).toBe(3);
  });
});

describe('largestRemainder', () => {
  it('gives leftover fen to the largest remainders', () => {
    expect(largestRemainder(100, [1, 1, 1].map((n) => new Decimal(n)))).toEqual([34, 33, 33]);
    expect(largestRemainder(10, [new Decimal('0.26'), new Decimal('0.74')])).toEqual([3, 7]);
  });
});

describe('properties', () => {
  const status = fc.constantFrom('scored' as const, 'pending' as const, 'unqualified' as const);
  const score = fc.integer({ min: 0, max: 10_000 }).map((n) => new Decimal(n).dividedBy(100));
  const fen = fc.integer({ min: 0, max: 50_000_000_000 });

  it('Σ payout + Σ forfeited + Σ held = Σ withheld to the fen, over any set of institutions', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(status, fen, score), { maxLength: 60 }), (rows) => {
        const settled = rows.map(([s, w, sc]) => settleRefund(s, w, s === 'scored' ? sc : null, curve));
        for (const r of settled) expect(r.payoutFen + r.forfeitedFen + r.heldFen).toBe(r.withheldFen);
        expect(depositTotals(settled).differenceFen).toBe(0);
      }),
    );
  });

  it('a higher score never pays less', () => {
    fc.assert(
      fc.property(fen, score, score, (w, a, b) => {
        const [lo, hi] = a.lte(b) ? [a, b] : [b, a];
        expect(settleRefund('scored', w, hi, curve).payoutFen).toBeGreaterThanOrEqual(settleRefund('scored', w, lo, curve).payoutFen);
      }),
    );
  });

  it('largestRemainder always sums to the total', () => {
    fc.assert(
      fc.property(fen, fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }), (total, ws) => {
        fc.pre(ws.some((w) => w > 0));
        const parts = largestRemainder(total, ws.map((w) => new Decimal(w)));
        expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
        parts.forEach((p, i) => expect(Math.abs(p - (total * ws[i]!) / ws.reduce((a, b) => a + b, 0))).toBeLessThan(1));
      }),
    );
  });

  it('largestRemainder splits in numbers exactly as in BigInt, and in BigInt where numbers would not be exact', () => {
    const weight = fc.oneof(
      fc.integer({ min: 0, max: 1_000_000 }).map((n) => new Decimal(n)),
      fc.integer({ min: 0, max: 10_000 }).map((n) => new Decimal(n).dividedBy(10_000)), // a ratio of 4 places
      fc.bigInt({ min: 0n, max: 10n ** 30n }).map((n) => new Decimal(n.toString()).dividedBy(10 ** 6)), // past the safe integers once scaled
    );
    const total = fc.oneof(fen, fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }));
    let inNumbers = 0;
    let inBigInt = 0;
    fc.assert(
      fc.property(total, fc.array(weight, { minLength: 1, maxLength: 6 }), (t, ws) => {
        fc.pre(ws.some((w) => w.gt(0)));
        const places = Math.max(...ws.map((w) => w.decimalPlaces()));
        const exact = sharesInBigInt(t, ws, places);
        const numbers = sharesInSafeIntegers(t, ws, places);
        if (numbers) {
          inNumbers++;
          expect(numbers).toEqual(exact);
        } else inBigInt++;
        expect(largestRemainder(t, ws)).toEqual(exact);
      }),
      { numRuns: 2000 },
    );
    expect(Math.min(inNumbers, inBigInt)).toBeGreaterThan(100); // both ways were compared
  });
});
