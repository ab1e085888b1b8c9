// One decimal.js instance per distinct value. An instance costs about 250 bytes, and a year
// holds some thirty per institution (indicator points, their sums, the score): at a
// province's size that alone is gigabytes. The values repeat (scores have two decimals),
// and a Decimal is immutable — every operation returns a new one — so one instance per
// value can be shared by every institution that has it.
import { Decimal } from 'decimal.js';
import { remembered } from '../numbering.js';

const byText = new Map<string, Decimal>();
/** Distinct values kept at most (then the table starts again: sharing is only a saving). */
const LIMIT = 1 << 20;

/** The shared instance of a value given as decimal text, a number, or a Decimal. */
export function sharedDecimal(value: Decimal | string | number): Decimal {
  const text = typeof value === 'string' ? value : value.toString();
  let d = byText.get(text);
  if (d === undefined) {
    if (byText.size >= LIMIT) byText.clear();
    d = value instanceof Decimal ? value : new Decimal(value);
    byText.set(text, d);
  }
  return d;
}

const numbers = new WeakMap<Decimal, number>();

/**
 * `d.toNumber()`, remembered per instance: decimal.js converts through its text each time,
 * and a workbook shows the same shared instances on millions of rows (twice: the rows are
 * measured, then written).
 */
export function decimalNumber(d: Decimal): number {
  return remembered(numbers, d, () => d.toNumber());
}

const fixedTexts = new Map<number, WeakMap<Decimal, string>>();

/**
 * `d.toFixed(places)`, remembered per instance and number of places: a score is a shared
 * instance, and its text is written into each institution's state and list facts.
 */
export function fixedText(d: Decimal, places: number): string {
  return remembered(remembered(fixedTexts, places, () => new WeakMap()), d, () => d.toFixed(places));
}

/** `d` × 10^places as an integer number (deposit.ts, where the exact arithmetic is). */
export { scaledNumber } from './deposit.js';
