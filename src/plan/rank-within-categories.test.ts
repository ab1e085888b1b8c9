import { describe, expect, it } from 'vitest';
import { FULL_MARKS, institution, investigation, scores, yearInputs } from '../../test/helpers/inputs.js';
import { tianjinPolicy } from '../../test/helpers/policy.js';
import { NO_TRACE, StepRecorder } from './derivation.js';
import { rankWithinCategories } from './rank-within-categories.js';
import { scoreInstitutions } from './score-institutions.js';

const policy = tianjinPolicy();
const pharmacy = (code: string, p01: number) => scores(code, { ...FULL_MARKS.pharmacy, P01: p01 });

describe('rankWithinCategories', () => {
  it('ranks within each category among the scored only, equal scores sharing a rank', () => {
    const inputs = yearInputs({
      institutions: ['P12010300001', 'P12010300002', 'P12010300003', 'P12010300004', 'H12010100001'].map((c) => institution(c)),
      scores: [...pharmacy('P12010300001', 20), ...pharmacy('P12010300002', 30), ...pharmacy('P12010300003', 20), ...scores('H12010100001', FULL_MARKS.inpatient)],
      investigations: [investigation('P12010300004', '2024-11-01', null, 2)],
    });
    const scored = scoreInstitutions({ inputs, policy, trace: NO_TRACE });
    const trace = new StepRecorder('all');
    expect(rankWithinCategories(scored, trace)).toEqual([{ rank: 2, of: 3 }, { rank: 1, of: 3 }, { rank: 2, of: 3 }, null, { rank: 1, of: 1 }]);
    expect(trace.stepsOf('P12010300003')).toEqual([expect.objectContaining({ figure: 'rank', value: '2', facts: { of: 3, category: '定点零售药店' } })]);
  });
});
