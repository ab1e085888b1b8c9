import { describe, expect, it } from 'vitest';
import { tianjinPolicy } from '../../test/helpers/policy.js';
import { FULL_MARKS, institution, scores, settlement, yearInputs } from '../../test/helpers/inputs.js';
import { planYear } from './assemble-year-plan.js';
import { comparePlans, firstDifference } from './compare-plans.js';
import type { Step } from './derivation.js';
import { policyDifferences } from '../policy/differences.js';

const A = 'P12010300001';
const B = 'P12010300002';
const inputs = yearInputs({
  institutions: [institution(A), institution(B)],
  scores: [...scores(A, FULL_MARKS.pharmacy), ...scores(B, { ...FULL_MARKS.pharmacy, P03: 10 })], // 100 and 75
  settlements: new Map([A, B].map((c) => [c, settlement(c, Array(12).fill(100_000))])), // 1,000.00 a month: 1,200.00 withheld
});

describe('comparePlans', () => {
  it('finds nothing between a plan and itself', () => {
    const p = planYear(inputs, tianjinPolicy(), { source: 'none' });
    const c = comparePlans(p, p);
    expect(c.changed).toEqual([]);
    expect(c.moved).toEqual({ gainedFen: 0, lostFen: 0, gainers: 0, losers: 0, fundFen: 0 });
    expect(c.byCategory.map((g) => [g.name, g.institutions, g.changed])).toEqual([['定点零售药店', 2, 0]]);
  });

  it('lists an institution whose money moves, and the money moved both ways', () => {
    const policy = tianjinPolicy();
    const stingier = { ...policy, deposit: { ...policy.deposit, refundCurve: { bands: [{ min: 90, ratio: 1 }, { min: 0, ratio: 0 }] } } };
    const c = comparePlans(planYear(inputs, policy, { source: 'none' }), planYear(inputs, stingier, { source: 'none' }));
    expect(c.changed.map((r) => [r.code, r.changed])).toEqual([[B, ['money']]]);
    const b = c.changed[0]!;
    // 75 earned 85 % of 1,200.00 on the published curve (40 % at 60 rising to 100 % at 80); nothing on the stingier one
    expect([b.before?.payoutFen, b.after?.payoutFen]).toEqual([102_000, 0]);
    expect(c.moved).toEqual({ gainedFen: 0, lostFen: 102_000, gainers: 0, losers: 1, fundFen: 102_000 });
  });
});

describe('firstDifference', () => {
  const step = (figure: string, value: string, extra: Partial<Step> = {}): Step => ({ figure, value, rule: 'r', ...extra });
  it('pairs steps by figure, indicator and occurrence, and stops at the first that differs', () => {
    const a = [step('indicator', '30', { indicator: 'P01' }), step('deduction', '2'), step('deduction', '5'), step('score', '93')];
    const b = [step('indicator', '30', { indicator: 'P01' }), step('deduction', '2'), step('deduction', '3'), step('score', '95')];
    expect(firstDifference(a, b)).toEqual({ before: a[2], after: b[2] });
    expect(firstDifference(a, a)).toBeNull();
    expect(firstDifference(a.slice(0, 1), a.slice(0, 2))).toEqual({ before: null, after: a[1] });
  });
});

describe('policyDifferences', () => {
  it('lists the parameters set differently, not their references', () => {
    const p = tianjinPolicy();
    const q = { ...p, deposit: { ...p.deposit, rate: 0.05, ref: 'other' } };
    expect(policyDifferences(p, q)).toEqual([{ path: 'deposit.rate', current: '0.1', alternative: '0.05' }]);
  });
});
