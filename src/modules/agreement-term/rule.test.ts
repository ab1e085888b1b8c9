import { describe, expect, it } from 'vitest';
import { decideAgreement, endsNextYear, termOf } from './rule.js';

const RULE = { enabled: true, years: 3, extendedYears: 5, blockingTypes: ['罚款' as const], notRenewBelow: 60, notRenewWhenTerminated: true, notRenewWhenEliminated: true };
const base = { endsOn: '2025-06-30', status: 'scored' as const, belowLine: false, terminated: false, eliminated: false };

describe('agreement terms (sanctions.agreementTerm)', () => {
  it('the term is the agreement years up to its end date, the last day in force', () => {
    expect(termOf('2025-06-30', 3)).toEqual({ from: '2022-07-01', to: '2025-06-30' });
    expect(termOf('2025-12-31', 3)).toEqual({ from: '2023-01-01', to: '2025-12-31' });
    expect(endsNextYear('2025-01-01', 2024)).toBe(true);
    expect(endsNextYear('2026-01-01', 2024)).toBe(false);
    expect(endsNextYear(null, 2024)).toBe(false);
  });
  it('no violation in the term: renewed for longer; one: the usual term', () => {
    expect(decideAgreement(base, [], RULE)).toEqual({ outcome: 'renewExtended', because: [], newEnd: '2030-06-30' });
    expect(decideAgreement(base, [{ type: '罚款', handledOn: '2023-05-01' }], RULE)).toEqual({ outcome: 'renew', because: [], newEnd: '2028-06-30' });
  });
  it('not renewed for every criterion that holds, whatever the violations', () => {
    expect(decideAgreement({ ...base, belowLine: true, eliminated: true }, [], RULE)).toEqual({ outcome: 'notRenewed', because: ['below', 'eliminated'], newEnd: null });
    expect(decideAgreement({ ...base, status: 'unqualified' }, [], RULE).because).toEqual(['unqualified']);
    expect(decideAgreement({ ...base, terminated: true }, [], { ...RULE, notRenewWhenTerminated: false }).outcome).toBe('renewExtended');
  });
  it('under investigation: pending, unless a criterion already decides it', () => {
    expect(decideAgreement({ ...base, status: 'pending' }, [], RULE).outcome).toBe('pending');
    expect(decideAgreement({ ...base, status: 'pending', terminated: true }, [], RULE).outcome).toBe('notRenewed');
  });
});
