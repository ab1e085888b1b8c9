import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { tianjinPolicy } from '../../../test/helpers/policy.js';
import { FULL_MARKS, institution, scores, yearInputs } from '../../../test/helpers/inputs.js';
import { planYear } from '../../plan/assemble-year-plan.js';
import { STATE_SCHEMA, type YearState } from '../../plan/state.js';
import { belowInConsecutiveYears } from './rule.js';
import { consecutiveLow } from './index.js';
import { StepRecorder } from '../../plan/derivation.js';

const policy = tianjinPolicy();

describe('belowInConsecutiveYears (policy sanctions.consecutiveLow)', () => {
  it('decides only two years both below the line', () => {
    expect(belowInConsecutiveYears(new Decimal('59.99'), new Decimal('55'), 60)).toBe(true);
    expect(belowInConsecutiveYears(new Decimal('60'), new Decimal('55'), 60)).toBe(false);
    expect(belowInConsecutiveYears(new Decimal('50'), new Decimal('60'), 60)).toBe(false);
    expect(belowInConsecutiveYears(new Decimal('50'), null, 60)).toBeNull();
    expect(belowInConsecutiveYears(null, new Decimal('50'), 60)).toBeNull();
  });
});

describe('module consecutiveLow', () => {
  const P = 'P12010300001';
  const low = scores(P, { ...FULL_MARKS.pharmacy, P03: 0, P01: 15 }); // 50

  it("reads last year's score from state.json when there is one, the roster's otherwise", () => {
    const fromRoster = planYear(yearInputs({ institutions: [institution(P, { priorScore: '59' })], scores: low }), policy, { source: 'roster' });
    expect(fromRoster.modules.consecutiveLow?.outcomes.get(P)).toEqual({ listed: true, scoreThisYear: '50.00', scoreLastYear: '59.00', lastYearFrom: 'roster' });
    const state: YearState = { schema: STATE_SCHEMA, year: 2023, region: '', profile: '', institutions: { [P]: { score: '61.00', status: 'scored' as const, grade: '', tier: null, tier_since: null, promotion_wait_until: null, banned_until: null } }, personnel: {}, held_deposits: [] };
    const fromState = planYear(yearInputs({ institutions: [institution(P, { priorScore: '59' })], scores: low }), policy, { source: 'state', state });
    expect(fromState.modules.consecutiveLow?.outcomes.get(P)).toMatchObject({ listed: false, scoreLastYear: '61.00', lastYearFrom: 'state' });
    expect(fromState.lists.get('noRenewal')).toBeUndefined();
  });

  it('has an outcome for every institution with two years of scores, made when read, and words the step of one traced though not listed', () => {
    const Q = 'P12010300002';
    const R = 'P12010300003';
    const inputs = yearInputs({
      institutions: [institution(P, { priorScore: '40' }), institution(Q, { priorScore: '70' }), institution(R)],
      scores: [...low, ...scores(Q, FULL_MARKS.pharmacy), ...scores(R, FULL_MARKS.pharmacy)],
    });
    const trace = new StepRecorder(new Set([Q]));
    const outcomes = planYear(inputs, policy, { source: 'roster' }, { trace }).modules.consecutiveLow?.outcomes;
    expect(outcomes && [...outcomes]).toEqual([
      [P, { listed: true, scoreThisYear: '50.00', scoreLastYear: '40.00', lastYearFrom: 'roster' }],
      [Q, { listed: false, scoreThisYear: '100.00', scoreLastYear: '70.00', lastYearFrom: 'roster' }],
    ]);
    expect([outcomes?.size, outcomes?.has(Q), outcomes?.has(R), outcomes?.get(R), [...(outcomes?.keys() ?? [])]]).toEqual([2, true, false, undefined, [P, Q]]);
    expect(trace.stepsOf(Q, consecutiveLow.figures).filter((s) => s.figure === 'consecutiveLow')).toMatchObject([{ value: 'false', facts: { scoreLastYear: '70.00', scoreThisYear: '100.00' } }]);
  });

  it('lists with facts the report words, citing the policy path', () => {
    const plan = planYear(yearInputs({ institutions: [institution(P, { priorScore: '40' })], scores: low }), policy, { source: 'roster' });
    expect(plan.lists.get('noRenewal')).toEqual([
      { list: 'noRenewal', code: P, rule: 'consecutiveLow', policy: 'sanctions.consecutiveLow', facts: { lastYear: 2023, scoreLastYear: '40.00', scoreThisYear: '50.00', below: 60, years: 2, lastYearFrom: 'roster', stateFile: null }, inputs: [{ file: 'inputs/2024/机构名册.csv', row: 2 }] },
    ]);
  });
});
