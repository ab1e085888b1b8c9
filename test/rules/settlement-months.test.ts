import { describe, expect, it } from 'vitest';
import { monthsText, settlementGap } from '../../src/rules/settlement-months.js';

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
