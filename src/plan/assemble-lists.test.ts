import { describe, expect, it } from 'vitest';
import { tianjinPolicy } from '../../test/helpers/policy.js';
import { FULL_MARKS, institution, scores, settlement, violation, yearInputs } from '../../test/helpers/inputs.js';
import { StepRecorder } from './derivation.js';
import { planYear } from './assemble-year-plan.js';

const policy = tianjinPolicy();
const [A, B, C] = ['P12010300001', 'P12010300002', 'P12010300003'];

function inputs() {
  return yearInputs({
    institutions: [institution(A, { priorScore: '50' }), institution(B), institution(C)],
    scores: [...scores(A, { ...FULL_MARKS.pharmacy, P01: 0, P03: 10 }), ...scores(B, FULL_MARKS.pharmacy), ...scores(C, FULL_MARKS.pharmacy)], // A: 45
    settlements: new Map([A, B, C].map((c) => [c, settlement(c, Array(12).fill(1000))])),
    violations: [
      violation(B, '2024-01-01', '2024-02-01', '拒不提供资料', 2),
      violation(B, '2024-01-01', '2024-03-01', '解除协议', 3), // a second reason for the same list: one entry, the first found
      violation(C, '2024-01-01', '2024-03-01', '解除协议', 4),
    ],
  });
}

describe('assembleLists', () => {
  it('puts each institution on a list once, in roster order, with the first reason found', () => {
    const plan = planYear(inputs(), policy, { source: 'roster' });
    expect(plan.lists.get('terminated')?.map((e) => [e.code, e.facts.cause])).toEqual([
      [B, 'unqualified'],
      [C, 'violation'],
    ]);
    expect(plan.lists.get('noRenewal')?.map((e) => e.code)).toEqual([A]);
    expect(plan.institutions.map((r) => r.lists)).toEqual([['results', 'noRenewal'], ['results', 'terminated'], ['results', 'terminated']]);
  });

  it('decides every list but publishes only what the policy lists: institutions.csv never shows an unpublished list', () => {
    const onlyResults = { ...policy, publication: { ...policy.publication, lists: ['results'] } };
    const plan = planYear(inputs(), onlyResults, { source: 'roster' });
    expect(plan.published).toEqual(['results']);
    expect(plan.institutions.map((r) => r.lists)).toEqual([['results'], ['results'], ['results']]);
    expect(plan.lists.get('noRenewal')?.map((e) => e.code)).toEqual([A]); // decided, kept for the internal workbook and explain
  });

  it('records a list step with the entry rows, and whether the list is published', () => {
    const trace = new StepRecorder(new Set([C]));
    planYear(inputs(), { ...policy, publication: { ...policy.publication, lists: ['results'] } }, { source: 'roster' }, { trace });
    const lists = trace.stepsOf(C).filter((s) => s.figure === 'list');
    expect(lists.map((s) => [s.list, s.facts?.published, s.inputs?.[0]?.row])).toEqual([
      ['results', true, undefined],
      ['terminated', false, 4],
    ]);
  });
});
