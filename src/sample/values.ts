// Values as the generator writes them: dates (in the spellings real exports mix), money in
// fen written as yuan, points in tenths, and the check characters of organisation codes,
// unified social credit codes and ID numbers.

import ExcelJS from 'exceljs';
import { creditCodeCheckChar } from '../io/codes.js';
import type { Rng } from './rng.js';

// ───────────────────────────── codes ─────────────────────────────

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11714-1997 check character of an 8-character organisation code body (digits, A=10 .. Z=35). */
export function orgCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8.charAt(i);
    const value = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += value * (ORG_WEIGHTS[i] ?? 0);
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11643-1999 (ISO 7064 MOD 11-2) check character of the first 17 digits of an ID number. */
export function idNumberCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17.charAt(i)) * (ID_WEIGHTS[i] ?? 0);
  return '10X98765432'.charAt(sum % 11);
}

export function assertCreditCodeHelper(): void {
  // The real code quoted in SPEC §3: both its organisation-code part (40068629-1) and its
  // GB 32100 check character must come out right, or every generated code would be wrong.
  if (creditCodeCheckChar('12110000400686291') !== 'H' || orgCodeCheckChar('40068629') !== '1') {
    throw new Error('creditCodeCheckChar self-test failed on 12110000400686291H');
  }
}

// ───────────────────────────── dates ─────────────────────────────

export interface Ymd {
  y: number;
  m: number;
  d: number;
}

const DAY_MS = 86_400_000;
export const dayNumber = (x: Ymd): number => Date.UTC(x.y, x.m - 1, x.d) / DAY_MS;
function fromDayNumber(n: number): Ymd {
  const dt = new Date(n * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}
export const ymd = (y: number, m: number, d: number): Ymd => ({ y, m, d });
export const lastDayOfMonth = (y: number, m: number): Ymd => fromDayNumber(dayNumber(ymd(y, m + 1, 1)) - 1);

export function randomDate(rng: Rng, from: Ymd, to: Ymd): Ymd {
  return fromDayNumber(rng.int(dayNumber(from), dayNumber(to)));
}
export const minDate = (a: Ymd, b: Ymd): Ymd => (dayNumber(a) <= dayNumber(b) ? a : b);
export const addDays = (x: Ymd, days: number): Ymd => fromDayNumber(dayNumber(x) + days);

export const pad2 = (n: number): string => String(n).padStart(2, '0');
export type DateStyle = 'iso' | 'slash' | 'cn' | 'cell';

export function dateText(x: Ymd, style: Exclude<DateStyle, 'cell'>): string {
  switch (style) {
    case 'iso':
      return `${x.y}-${pad2(x.m)}-${pad2(x.d)}`;
    case 'slash':
      return `${x.y}/${x.m}/${x.d}`;
    case 'cn':
      return `${x.y}年${x.m}月${x.d}日`;
  }
}

/** A date as an xlsx cell value: a real Date (UTC midnight, exceljs writes the serial) or one of the text spellings. */
export function dateCell(x: Ymd, style: DateStyle): string | Date {
  return style === 'cell' ? new Date(Date.UTC(x.y, x.m - 1, x.d)) : dateText(x, style);
}

// ───────────────────────────── money and points ─────────────────────────────

function withThousands(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer fen as yuan text with 2 decimals, optionally with thousands separators. */
export function yuanText(fen: number, thousands = false): string {
  const yuan = String(Math.floor(fen / 100));
  return `${thousands ? withThousands(yuan) : yuan}.${pad2(fen % 100)}`;
}

/** 10 % of an amount in fen, rounded half up to the fen. */
export const tenPercentFen = (fen: number): number => Math.floor((fen + 5) / 10);

/** Tenths of a point as text: 145 → "14.5", 150 → "15". */
export function tenthsText(t: number): string {
  return t % 10 === 0 ? String(t / 10) : `${Math.floor(t / 10)}.${t % 10}`;
}

// ───────────────────────────── workbooks ─────────────────────────────

const FIXED_WORKBOOK_DATE = (year: number): Date => new Date(Date.UTC(year + 1, 0, 15, 0, 0, 0));

/** Author and a fixed date instead of the wall clock, so the sample's cells are the same on every run. */
export function stamp(workbook: { creator: string; lastModifiedBy: string; created: Date; modified: Date }, year: number): void {
  workbook.creator = workbook.lastModifiedBy = 'assess sample generator';
  workbook.created = workbook.modified = FIXED_WORKBOOK_DATE(year);
}
export const TEXT = '@';
export const DATE_FORMAT = 'yyyy-mm-dd';

export function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

/** An xlsx cell of a money amount as exports hold it: a number, or text with or without thousands separators. */
export function moneyCell(rng: Rng, fen: number): ExcelJS.CellValue {
  return rng.weighted<() => ExcelJS.CellValue>([
    [() => fen / 100, 2],
    [() => yuanText(fen, true), 1],
    [() => yuanText(fen), 1],
  ])();
}
