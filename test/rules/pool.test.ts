// The whole-pool deposit (SPEC §5.4 pool), worked by hand on paper.
import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { PoolInfeasible, allocatePool, exchangeFactor, type PoolMember } from '../../src/rules/pool.js';

const rule = { threshold: 60, fullMark: 100 };
const member = (withheldYuan: number, score: number | null): PoolMember => ({ baseFen: withheldYuan * 100, withheldFen: withheldYuan * 100, score: score === null ? null : new Decimal(score) });
const payouts = (members: PoolMember[], over: Partial<typeof rule & { capRatio: number; floorRatio: number }> = {}) =>
  allocatePool(
    members.reduce((a, m) => a + m.withheldFen, 0),
    members,
    { ...rule, ...over },
  ).shares.map((s) => s.payoutFen / 100);

describe('allocatePool', () => {
  it('f(score) is score ÷ full mark at or above the threshold, 0 below', () => {
    expect(exchangeFactor(new Decimal('59.99'), rule).toString()).toBe('0');
    expect(exchangeFactor(new Decimal(60), rule).toString()).toBe('0.6');
    expect(exchangeFactor(null, rule).toString()).toBe('0');
  });

  it('three members, one below the threshold: its deposit goes to the others by weight', () => {
    // A 1,000.00 at 100 → weight 1,000; B 1,000.00 at 50 → 0; C 8,000.00 at 75 → 6,000. Pool 10,000.00.
    // A: 10,000 × 1,000 ÷ 7,000 = 1,428.5714…; C: 8,571.4285… → 1,428.57 + 8,571.42 = 9,999.99; the fen left
    // goes to the larger remainder (C .85… > A .14…): C 8,571.43.
    expect(payouts([member(1000, 100), member(1000, 50), member(8000, 75)])).toEqual([1428.57, 0, 8571.43]);
  });

  it('a binding cap: the excess goes to the others by weight, nobody above 1.2 × own deposit', () => {
    // The same pool with capRatio 1.2: A's 1,428.57 > 1,200.00 → A gets 1,200.00; C alone takes the other 8,800.00 (≤ 9,600.00).
    const a = allocatePool(1_000_000, [member(1000, 100), member(1000, 50), member(8000, 75)], { ...rule, capRatio: 1.2 });
    expect(a.shares.map((s) => [s.payoutFen / 100, s.bound])).toEqual([
      [1200, 'cap'],
      [0, null],
      [8800, null],
    ]);
  });

  it('a binding floor is funded pro rata by the others', () => {
    // A 1,000.00 at 60 (weight 600), B 9,000.00 at 100 (weight 9,000), C 1,000.00 at 0 (weight 0). Pool 11,000.00.
    // Without a floor A gets 11,000 × 600 ÷ 9,600 = 687.50. With floorRatio 0.8, A gets 800.00 and B the other 10,200.00.
    expect(payouts([member(1000, 60), member(9000, 100), member(1000, 0)])).toEqual([687.5, 10312.5, 0]);
    expect(payouts([member(1000, 60), member(9000, 100), member(1000, 0)], { floorRatio: 0.8 })).toEqual([800, 10200, 0]);
  });

  it('a member with no weight (unqualified) puts its deposit in the pool and gets nothing', () => {
    expect(payouts([member(500, null), member(1000, 80), member(1000, 80)])).toEqual([0, 1250, 1250]);
  });

  it('refuses, never divides by zero: nobody above the threshold, caps that cannot hold the pool, floors above it', () => {
    expect(() => allocatePool(100_000, [member(1000, 50)], rule)).toThrow(PoolInfeasible);
    expect(() => allocatePool(1_000_000, [member(1000, 100), member(9000, 40)], { ...rule, capRatio: 1.2 })).toThrowError(expect.objectContaining({ reason: 'capsTooLow' }));
    expect(() => allocatePool(100_000, [member(1000, 100)], { ...rule, floorRatio: 1 })).not.toThrow();
    expect(() => allocatePool(99_999, [member(1000, 100)], { ...rule, floorRatio: 1 })).toThrowError(expect.objectContaining({ reason: 'floorsTooHigh' }));
    expect(allocatePool(0, [member(0, 50)], rule).shares[0]?.payoutFen).toBe(0);
  });
});
