import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FULL_MARKS, institution, investigation, scores, settlement, violation, yearInputs } from '../../test/helpers/inputs.js';
import { tianjinPolicy } from '../../test/helpers/policy.js';
import { NO_TRACE, StepRecorder } from './derivation.js';
import { scoreInstitutions } from './score-institutions.js';
import { ReconciliationError, settleDeposits, type DepositMethod } from './settle-deposits.js';

const policy = tianjinPolicy();
const [A, B, C] = ['P12010300001', 'P12010300002', 'P12010300003'];

function threeInstitutions() {
  const inputs = yearInputs({
    institutions: [A, B, C].map((c) => institution(c)),
    scores: [...scores(A, { ...FULL_MARKS.pharmacy, P01: 10 }), ...scores(B, FULL_MARKS.pharmacy)], // A: 80
    violations: [violation(B, '2024-02-01', '2024-02-02', '拒不提供资料', 2)],
    investigations: [investigation(C, '2024-09-01', null, 2)],
    settlements: new Map([
      [A, settlement(A, [100_000, 100_005, ...Array(10).fill(null)])], // 10 % of 1,000.00 and 1,000.05 → 100.00 + 100.01
      [B, settlement(B, Array(12).fill(50_000))],
      [C, settlement(C, Array(12).fill(10_000), Array(12).fill(777))], // 预留保证金 given: 7.77 a month
    ]),
  });
  return { inputs, scored: scoreInstitutions({ inputs, policy, trace: NO_TRACE }) };
}

describe('settleDeposits', () => {
  it('withholds month by month, then refunds, forfeits or holds by status', () => {
    const { inputs, scored } = threeInstitutions();
    const trace = new StepRecorder('all');
    const d = settleDeposits(scored, inputs.settlements, policy, 2024, trace);
    expect(d.monthlyWithheldFen.of(0).slice(0, 3)).toEqual([10_000, 10_001, null]);
    const sums = Array<number>(12).fill(1);
    d.monthlyWithheldFen.addTo(0, sums);
    expect(sums.slice(0, 3)).toEqual([10_001, 10_002, 1]); // a month without settlement adds nothing
    expect(d.settlements.map((s) => [s.withheldFen, s.payoutFen, s.forfeitedFen, s.heldFen])).toEqual([
      [20_001, 20_001, 0, 0], // scored 80: all back
      [60_000, 0, 60_000, 0], // unqualified: all forfeited
      [9_324, 0, 0, 9_324], // pending: all held
    ]);
    expect(d.totals.differenceFen).toBe(0);
    const steps = trace.stepsOf(A);
    expect(steps.filter((s) => s.figure === 'withholding').map((s) => [s.value, s.inputs?.[0]?.row])).toEqual([
      ['100.00', 2],
      ['100.01', 3],
    ]);
    expect(steps.find((s) => s.figure === 'withheld')).toMatchObject({ value: '200.01', from: [0, 1] });
  });

  it('refuses a plan whose deposits do not reconcile to the fen', () => {
    const { inputs, scored } = threeInstitutions();
    const leaky: DepositMethod = (cases) => ({ settlements: cases.map((c) => ({ withheldFen: c.withheldFen, ratio: null, payoutFen: c.withheldFen, forfeitedFen: 1, heldFen: 0 })) });
    expect(() => settleDeposits(scored, inputs.settlements, policy, 2024, NO_TRACE, { refund: leaky })).toThrow(ReconciliationError);
  });

  it('reconciles to the fen for any settlements and scores (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 30 }), fc.array(fc.option(fc.integer({ min: 0, max: 2_000_000_000 })), { minLength: 12, maxLength: 12 })), { minLength: 1, maxLength: 20 }), (rows) => {
        const codes = rows.map((_, i) => `P120103${String(i).padStart(5, '0')}`);
        const inputs = yearInputs({
          institutions: codes.map((c) => institution(c)),
          scores: rows.flatMap(([p01], i) => scores(codes[i]!, { ...FULL_MARKS.pharmacy, P01: p01 })),
          settlements: new Map(rows.map(([, months], i) => [codes[i]!, settlement(codes[i]!, months)])),
        });
        const d = settleDeposits(scoreInstitutions({ inputs, policy, trace: NO_TRACE }), inputs.settlements, policy, 2024, NO_TRACE);
        for (const s of d.settlements) expect(s.payoutFen + s.forfeitedFen + s.heldFen).toBe(s.withheldFen);
        expect(d.totals.differenceFen).toBe(0);
      }),
      { numRuns: 200 },
    );
  });
});
