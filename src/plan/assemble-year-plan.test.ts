import { describe, expect, it, vi } from 'vitest';
import { tianjinPolicy } from '../../test/helpers/policy.js';
import { FULL_MARKS, institution, scores, settlement, violation, yearInputs } from '../../test/helpers/inputs.js';
import { consecutiveLow } from '../modules/consecutive-low/index.js';
import { STATE_SCHEMA, type PriorYear } from './state.js';
import { StepRecorder } from './derivation.js';
import { planYear } from './assemble-year-plan.js';
import { ScoreTable } from '../io/score-table.js';

const policy = tianjinPolicy();
const P = 'P12010300001';
const prior: PriorYear = {
  source: 'state',
  file: 'results/2023/state.json',
  state: { schema: STATE_SCHEMA, year: 2023, region: '示例市', profile: 'tianjin', institutions: { [P]: { score: '40.00', status: 'scored', grade: '不合格', tier: null, tier_since: null, promotion_wait_until: null, banned_until: null } }, personnel: {}, held_deposits: [] },
};
const inputs = yearInputs({
  institutions: [institution(P)],
  scores: scores(P, { ...FULL_MARKS.pharmacy, P03: 0 }), // 65 − 约谈 2 = 63 → not below 60
  settlements: new Map([[P, settlement(P, Array(12).fill(100_000))]]),
  violations: [violation(P, '2021-01-01', '2021-02-01', '罚款', 2), violation(P, '2024-01-01', '2024-02-01', '约谈', 3)],
});

describe('planYear', () => {
  it('runs the steps in order and keeps the plan plain', () => {
    const trace = new StepRecorder('all');
    const plan = planYear(inputs, policy, prior, { trace });
    const [r] = plan.institutions;
    expect(r?.assessment).toMatchObject({ status: 'scored', ranking: { rank: 1, of: 1 } });
    expect(r?.assessment.status === 'scored' && r.assessment.score.toFixed(2)).toBe('63.00');
    expect(r?.deposit).toMatchObject({ withheldFen: 120_000, payoutFen: 58_800 }); // ratio 0.4 + 0.03 × 3 = 0.49
    expect(plan.state.institutions.get(P)?.score).toBe('63.00');
    expect(trace.stepsOf(P, consecutiveLow.figures).map((s) => s.figure)).toEqual([
      ...Array(5).fill('indicator'),
      'base', 'deduction', 'score', 'rank', 'grade', 'status',
      ...Array(12).fill('withholding'),
      'withheld', 'ratio', 'payout', 'forfeited', 'held', 'list', 'consecutiveLow',
    ]);
  });

  it('tells when it no longer reads the indicator rows and the settlements, and plans the same when they are let go then', () => {
    const whole = planYear(inputs, policy, prior);
    // Let go as told: anything the plan read of them afterwards would now be missing.
    const spent = { ...inputs };
    const told: string[] = [];
    const plan = planYear(spent, policy, prior, {
      onSpent: (input) => {
        told.push(input);
        if (input === 'scores') spent.scores = new ScoreTable();
        else spent.settlements = new Map();
      },
    });
    expect(told).toEqual(['scores', 'settlements']);
    const figures = (p: typeof plan) => p.institutions.map((r) => ({ assessment: JSON.stringify(r.assessment), deposit: r.deposit, lists: r.lists, lines: r.indicators.toArray().map((l) => [l.given?.toString(), l.counted.toString()]) }));
    expect(figures(plan)).toEqual(figures(whole));
    expect(plan.settlementGaps).toEqual(whole.settlementGaps);
    expect(plan.totals).toEqual(whole.totals);
    expect([...plan.monthlyWithheldFen.of(0)]).toEqual([...whole.monthlyWithheldFen.of(0)]);
  });

  it("gives modules the whole violation history and last year's state", () => {
    const run = vi.spyOn(consecutiveLow, 'run');
    planYear(inputs, policy, prior);
    const ctx = run.mock.calls[0]?.[0];
    expect(ctx?.inputs.violations.map((v) => v.handledOn)).toEqual(['2021-02-01', '2024-02-01']);
    expect(ctx?.prior.state?.institutions[P]?.score).toBe('40.00');
    run.mockRestore();
  });
});
