import { describe, expect, it } from 'vitest';
import { agreementEndedOn, agreementEndingsByRecord, monthsText, settlementGap } from '../../src/rules/settlement-months.js';
import type { Exit, Violation } from '../../src/domain.js';

const rowsFor = (months: number[]) => ({ code: 'H1', settledFen: [], reservedFen: [], rows: Array.from({ length: 12 }, (_, i) => (months.includes(i + 1) ? i + 2 : null)), file: '月度结算.csv' });
const all = Array.from({ length: 12 }, (_, i) => i + 1);

describe('settlementGap', () => {
  it('expects every month of the year from an admission before it', () => {
    expect(settlementGap({ code: 'H1', admittedOn: '2020-05-01' }, rowsFor(all), null, 2024)).toBeNull();
    expect(settlementGap({ code: 'H1', admittedOn: null }, rowsFor(all.filter((m) => m !== 3 && m !== 4)), null, 2024)).toMatchObject({ from: 1, to: 12, missing: [3, 4], none: false });
  });
  it('from the month of an admission in the year, to the month the agreement ended', () => {
    expect(settlementGap({ code: 'H1', admittedOn: '2024-03-15' }, rowsFor([3, 4, 5]), '2024-05-30', 2024)).toBeNull();
    expect(settlementGap({ code: 'H1', admittedOn: '2024-03-15' }, rowsFor([4, 5]), '2024-05-30', 2024)).toMatchObject({ from: 3, to: 5, missing: [3] });
  });
  it('an institution with no row at all misses every expected month', () => {
    expect(settlementGap({ code: 'H1', admittedOn: null }, undefined, null, 2024)).toMatchObject({ missing: all, none: true });
  });
  it('nothing is expected of one admitted after the year', () => {
    expect(settlementGap({ code: 'H1', admittedOn: '2025-02-01' }, undefined, null, 2024)).toBeNull();
  });
});

describe('monthsText', () => {
  it('names months and runs of months', () => {
    expect(monthsText([3])).toBe('3月');
    expect(monthsText([3, 4])).toBe('3月、4月');
    expect(monthsText([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])).toBe('1–12月');
    expect(monthsText([2, 5, 6, 7, 11])).toBe('2月、5–7月、11月');
  });
});

describe('agreementEndedOn', () => {
  const policy = { statuses: { terminated: { types: ['解除协议'] }, unqualified: { types: ['拒不配合'] } } } as never;
  const violation = (code: string, type: string, handledOn: string) => ({ code, type, handledOn, occurredOn: '2024-01-02' }) as unknown as Violation;
  const exit = (code: string, exitedOn: string) => ({ code, exitedOn }) as unknown as Exit;
  const violations = [violation('H1', '解除协议', '2024-08-20'), violation('H1', '扣分', '2024-02-01'), violation('H2', '解除协议', '2023-12-30'), violation('H3', '拒不配合', '2024-05-06')];
  const exits = [exit('H1', '2024-06-30'), exit('H4', '2025-01-15')];
  const endings = agreementEndingsByRecord(2024, violations, exits, policy);
  const inst = (code: string, agreementEnds: string | null = null) => ({ code, agreementEnds });
  it('takes the earliest ending of the year among terminating violations, exits and the roster’s agreement end', () => {
    expect(agreementEndedOn(inst('H1'), 2024, endings)).toBe('2024-06-30');
    expect(agreementEndedOn(inst('H1', '2024-03-31'), 2024, endings)).toBe('2024-03-31');
    expect(agreementEndedOn(inst('H3'), 2024, endings)).toBe('2024-05-06');
  });
  it('ignores records of other years, other handling types, and an agreement running to the year’s last day or beyond', () => {
    expect(agreementEndedOn(inst('H2'), 2024, endings)).toBeNull();
    expect(agreementEndedOn(inst('H4'), 2024, endings)).toBeNull();
    expect(agreementEndedOn(inst('H5', '2024-12-31'), 2024, endings)).toBeNull();
    expect(agreementEndedOn(inst('H5', '2025-06-30'), 2024, endings)).toBeNull();
  });
});
