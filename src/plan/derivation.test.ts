import { describe, expect, it } from 'vitest';
import { NO_TRACE, StepRecorder, appealOrder, stepsFor, type Step } from './derivation.js';

const step = (figure: string, from?: number[]): Step => ({ figure, value: figure, rule: 'x', ...(from ? { from } : {}) });

describe('derivations', () => {
  it('records only the codes asked for, and nothing in a bulk run', () => {
    const recorder = new StepRecorder(new Set(['A']));
    expect(recorder.add('A', step('score'))).toBe(0);
    expect(recorder.add('B', step('score'))).toBe(-1);
    expect(recorder.stepsOf('B')).toEqual([]);
    expect(NO_TRACE.add('A', step('score'))).toBe(-1);
    expect(stepsFor(NO_TRACE, 'A')).toBeNull();
  });

  it('finds the last step of a figure, by indicator or list when given', () => {
    const r = new StepRecorder('all');
    r.add('A', { ...step('indicator'), indicator: 'H01' });
    r.add('A', { ...step('indicator'), indicator: 'H02' });
    r.add('A', { ...step('list'), list: 'results' });
    expect(r.find('A', 'indicator')).toBe(1);
    expect(r.find('A', 'indicator', 'H01')).toBe(0);
    expect(r.find('A', 'list', 'results')).toBe(2);
    expect(r.find('A', 'payout')).toBe(-1);
  });

  it('puts steps recorded in pipeline order into the order an appeal walks them, renumbering `from`', () => {
    // Recorded: score (0), grade from score (1), rank from score (2), module figure (3), withheld (4), payout from withheld and score (5).
    const recorded = [step('score'), step('grade', [0]), step('rank', [0]), step('noRenewal', [0]), step('withheld'), step('payout', [4, 0])];
    const ordered = appealOrder(recorded, ['noRenewal']);
    expect(ordered.map((s) => s.figure)).toEqual(['score', 'rank', 'grade', 'withheld', 'payout', 'noRenewal']);
    expect(ordered[2]?.from).toEqual([0]); // grade still points at score
    expect(ordered[4]?.from).toEqual([3, 0]); // payout now points at withheld's new place
    expect(ordered[5]?.from).toEqual([0]);
  });
});
