import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { FULL_MARKS, institution, investigation, scores, violation, yearInputs } from '../../test/helpers/inputs.js';
import { tianjinPolicy } from '../../test/helpers/policy.js';
import { StepRecorder } from './derivation.js';
import { scoreInstitutions } from './score-institutions.js';
import type { ScoreDeduction } from './types.js';

const policy = tianjinPolicy();
const H = 'H12010200001'; // outpatient: 95 points of indicators
const P = 'P12010300001';

describe('scoreInstitutions', () => {
  it('scales, deducts the violations handled in the year, rounds and grades', () => {
    const inputs = yearInputs({
      institutions: [institution(H, { inpatient: false })],
      scores: scores(H, { ...FULL_MARKS.outpatient, H01: 10 }), // 90 of 95
      violations: [violation(H, '2023-12-01', '2024-01-10', '约谈', 2), violation(H, '2024-12-01', '2025-01-10', '罚款', 3)],
    });
    const [r] = scoreInstitutions({ inputs, policy, trace: new StepRecorder('all') });
    const a = r?.assessment;
    expect(a?.status).toBe('scored');
    if (a?.status !== 'scored') return;
    expect(a.base.toString()).toBe('90');
    expect(a.scaled.toFixed(6)).toBe('94.736842'); // 90 × 100 ÷ 95
    expect(a.deductionTotal.toString()).toBe('2'); // only the 约谈 handled in 2024
    expect(a.score.toFixed(2)).toBe('92.74');
    expect(a.grade.name).toBe('优秀');
    expect(r?.deductions.map((d) => d.policy)).toEqual(['deductions.byType.约谈']);
  });

  it('records each figure with its rows and the article path', () => {
    const trace = new StepRecorder('all');
    scoreInstitutions({ inputs: yearInputs({ institutions: [institution(P)], scores: scores(P, FULL_MARKS.pharmacy, 7), violations: [violation(P, '2024-03-01', '2024-04-01', '暂停结算', 9)] }), policy, trace });
    const steps = trace.stepsOf(P);
    expect(steps.map((s) => s.figure)).toEqual(['indicator', 'indicator', 'indicator', 'indicator', 'indicator', 'base', 'deduction', 'score', 'grade', 'status']);
    expect(steps[0]).toMatchObject({ indicator: 'P01', value: '30', policy: 'indicators.P01', inputs: [{ file: 'inputs/2024/指标得分.csv', row: 7 }] });
    expect(steps[6]).toMatchObject({ value: '5', policy: 'deductions.byType.暂停结算', inputs: [{ row: 9 }] });
    expect(steps[7]).toMatchObject({ figure: 'score', value: '95.00', from: [5, 6] }); // from the base (no scaling) and the deduction
  });

  it('makes an institution with an open investigation pending and one that refused materials unqualified, the refusal first', () => {
    const inputs = yearInputs({
      institutions: [institution(H), institution(P)],
      violations: [violation(P, '2024-05-01', '2024-05-10', '拒不提供资料', 4), violation(H, '2024-05-01', '2024-05-10', '约谈', 5)],
      investigations: [investigation(H, '2024-10-01', null, 2), investigation(P, '2024-10-01', null, 3)],
    });
    const [h, p] = scoreInstitutions({ inputs, policy, trace: new StepRecorder('all') });
    expect(h?.assessment).toMatchObject({ status: 'pending', investigation: { openedOn: '2024-10-01' } });
    expect(h?.deductions).toHaveLength(1); // kept for when the case is settled
    expect(p?.assessment).toMatchObject({ status: 'unqualified', violation: { type: '拒不提供资料' } });
  });

  it('adds the deductions modules of stage beforeScore impose', () => {
    const personnel: ScoreDeduction = { points: new Decimal('0.5'), rule: 'personnelDeduction', policy: 'personnel.deductions.keySupervision', facts: {}, inputs: [{ file: 'inputs/2024/人员记分.csv', row: 3 }] };
    const [r] = scoreInstitutions({ inputs: yearInputs({ institutions: [institution(P)], scores: scores(P, FULL_MARKS.pharmacy) }), policy, moduleDeductions: new Map([[P, [personnel]]]), trace: new StepRecorder('all') });
    expect(r?.assessment.status === 'scored' && r.assessment.score.toFixed(2)).toBe('99.50');
  });
});
