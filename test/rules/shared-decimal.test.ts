import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { fixedText, scaledNumber, sharedDecimal } from '../../src/rules/shared-decimal.js';
import { indicatorPoints } from '../../src/rules/scoring.js';

describe('shared decimals', () => {
  it('give one instance per value, of the value given', () => {
    const a = sharedDecimal('87.5');
    expect(sharedDecimal('87.5')).toBe(a);
    expect(sharedDecimal(new Decimal('87.5'))).toBe(a);
    expect(sharedDecimal(87.5)).toBe(a);
    expect(a.toString()).toBe('87.5');
    expect(sharedDecimal('0.1').plus(sharedDecimal('0.2')).toString()).toBe('0.3');
  });

  it('give the text toFixed gives, per number of places, for any instance', () => {
    const a = sharedDecimal('79.605');
    expect(fixedText(a, 2)).toBe('79.61'); // decimal.js' default rounding: half up
    expect(fixedText(a, 1)).toBe('79.6');
    expect(fixedText(a, 2)).toBe(a.toFixed(2));
    expect(fixedText(new Decimal('-0.5'), 0)).toBe(new Decimal('-0.5').toFixed(0));
  });

  it('give a value × 10^places as an exact integer, or null where it would not be one', () => {
    expect(scaledNumber(sharedDecimal('79.6'), 2)).toBe(7960);
    expect(scaledNumber(sharedDecimal('100'), 2)).toBe(10000);
    expect(scaledNumber(new Decimal('-3.5'), 1)).toBe(-35);
    expect(scaledNumber(new Decimal('79.605'), 2)).toBeNull(); // more places than asked: not rounded
    expect(scaledNumber(new Decimal('1e20'), 2)).toBeNull(); // past 2^53
  });

  it('leave indicator points as Decimal.min(Decimal.max(given, 0), max) made them, sharing the instances', () => {
    const indicators = [
      { code: 'H01', max: 10 },
      { code: 'H02', max: 10 },
      { code: 'H03', max: 10 },
      { code: 'H04', max: 10 },
    ] as never;
    const lines = indicatorPoints(indicators, new Map([['H01', '12.5'], ['H02', '-3'], ['H03', '7.25']]));
    expect(lines.map((l) => [l.given?.toString() ?? null, l.counted.toString()])).toEqual([['12.5', '10'], ['-3', '0'], ['7.25', '7.25'], [null, '0']]);
    const again = indicatorPoints(indicators, new Map([['H03', '7.25']]));
    expect(again[2]?.counted).toBe(lines[2]?.counted);
  });
});
