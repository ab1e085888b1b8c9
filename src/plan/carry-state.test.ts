import { describe, expect, it } from 'vitest';
import { tianjinPolicy } from '../../test/helpers/policy.js';
import { FULL_MARKS, institution, investigation, scores, settlement, yearInputs } from '../../test/helpers/inputs.js';
import { planYear } from './assemble-year-plan.js';
import { carryState } from './carry-state.js';
import type { HeldDeposit } from './state.js';

const policy = tianjinPolicy();
const carried: HeldDeposit = { code: 'P12019900001', year: 2023, held: '12.34', reason: '正在接受调查' };

describe('carryState', () => {
  it('writes every institution by code with score, status and grade, and holds the pending deposit with its investigation', () => {
    const inputs = yearInputs({
      institutions: [institution('P12010300002', { tier: 'B', tierSince: '2023-05-01' }), institution('P12010300001')],
      scores: scores('P12010300002', FULL_MARKS.pharmacy),
      investigations: [investigation('P12010300001', '2024-11-11', null, 5)],
      settlements: new Map([['P12010300001', settlement('P12010300001', Array(12).fill(10_000))]]),
    });
    const plan = planYear(inputs, policy, { source: 'roster' });
    const state = carryState({ year: 2024, policy, policySha256: 'abc', institutions: plan.institutions, modules: plan.modules, carriedHeld: [carried] });
    expect([...state.institutions.keys()]).toEqual(['P12010300001', 'P12010300002']);
    expect(state.institutions.get('P12010300002')).toEqual({ score: '100.00', status: 'scored', grade: '优秀', tier: 'B', tier_since: '2023-05-01', promotion_wait_until: null, banned_until: null });
    expect(state.institutions.get('P12010300001')).toMatchObject({ score: null, status: 'pending', grade: '待定' });
    expect(state.held_deposits).toEqual([
      carried,
      { code: 'P12010300001', year: 2024, held: '120.00', investigation: { file: 'inputs/2024/立案调查.csv', row: 5, opened_on: '2024-11-11' }, ref: '《天津市医疗保障协议考核办法》第十六条', policy_sha256: 'abc' },
    ]);
  });

  it("merges the fields a module carries over the core's", () => {
    const inputs = yearInputs({ institutions: [institution('P12010300001')], scores: scores('P12010300001', FULL_MARKS.pharmacy) });
    const plan = planYear(inputs, policy, { source: 'roster' });
    const modules = { consecutiveLow: { outcomes: new Map(), entries: [], deductions: new Map(), state: { institutions: new Map([['P12010300001', { tier: 'C', banned_until: '2027-01-01' }]]) } } };
    const state = carryState({ year: 2024, policy, institutions: plan.institutions, modules, carriedHeld: [] });
    expect(state.institutions.get('P12010300001')).toMatchObject({ tier: 'C', banned_until: '2027-01-01', score: '100.00' });
  });
});
