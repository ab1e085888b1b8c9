// Parsing the values real exports carry (SPEC §3): numbers as text, thousands
// separators, 万元, many date and month spellings, Excel serial numbers, 是/否.
// Money is parsed from its text straight to integer fen, never through a float.

export type RawCell = string | number | boolean | Date | null;

export type Parsed<T> = { ok: true; value: T } | { ok: false; expected: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(expected: string): Parsed<T> => ({ ok: false, expected });

const FULL_WIDTH = /[\uFF01-\uFF5E\u3000]/;

/** Full-width ASCII (！..～) and the ideographic space to their half-width forms. */
export function toHalfWidth(s: string): string {
  if (!FULL_WIDTH.test(s)) return s; // the usual cell: nothing to fold, nothing allocated
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/**
 * Cell text exactly as the officer typed it, only trimmed; '' for empty. Names, districts
 * and remarks are kept this way: a registered name 「（南院）」 is published as registered.
 */
export function cellText(raw: RawCell): string {
  if (raw === null || raw === undefined) return '';
  if (raw instanceof Date) return isoDate(raw);
  if (typeof raw === 'number') return numberText(raw);
  return String(raw).trim();
}

/**
 * Cell text for matching: full-width forms folded to half-width, then trimmed. Only for
 * values that are keys (codes, numbers, dates, months, booleans, list values), never for
 * text that is published.
 */
export function keyText(raw: RawCell): string {
  if (typeof raw !== 'string') return cellText(raw);
  return toHalfWidth(raw).trim();
}

/** Whether the cell's text (`cellText`) is '': only an empty cell or blank text is; a number, date or boolean never (and is not turned into text to tell). */
export function isBlank(raw: RawCell): boolean {
  return raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '');
}

/** A binary float from a spreadsheet as decimal text, without float noise (15 significant digits, Excel's own precision). */
export function numberText(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const s = n.toPrecision(15);
  if (s.includes('e')) return String(n);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

const THOUSANDS = /^-?\d{1,3}(,\d{3})+(\.\d+)?$/;
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/** Decimal text with thousands separators removed, or null when not a number. */
export function decimalText(raw: RawCell): string | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? numberText(raw) : null;
  let s = keyText(raw);
  if (s.startsWith('+')) s = s.slice(1);
  if (THOUSANDS.test(s)) s = s.replace(/,/g, '');
  if (!PLAIN_DECIMAL.test(s)) return null;
  return s;
}

/**
 * Money to integer fen. `unitExponent` is 0 for 元 and 4 for 万元.
 * Exact: the decimal text is shifted, never multiplied as a float.
 */
export function parseFen(raw: RawCell, unitExponent = 0): Parsed<number> {
  const text = decimalText(raw);
  const expected = unitExponent === 4 ? '金额（万元），最多6位小数' : '金额（元），最多2位小数，可带千分位逗号';
  if (text === null) return bad(expected);
  const negative = text.startsWith('-');
  const [intPart = '0', frac = ''] = (negative ? text.slice(1) : text).split('.');
  const shift = 2 + unitExponent;
  const trimmedFrac = frac.replace(/0+$/, '');
  if (trimmedFrac.length > shift) return bad(expected);
  const digits = (intPart + trimmedFrac.padEnd(shift, '0')).replace(/^0+(?=\d)/, '');
  const fen = Number(digits);
  if (!Number.isSafeInteger(fen)) return bad('金额过大');
  return ok(negative ? -fen : fen);
}

/** A point value (score, deduction) as decimal text, e.g. "87.5". */
export function parsePoints(raw: RawCell): Parsed<string> {
  const text = decimalText(raw);
  return text === null ? bad('数值，如 87.5') : ok(text);
}

export function parseInteger(raw: RawCell): Parsed<number> {
  const text = decimalText(raw);
  if (text === null || !/^-?\d+$/.test(text)) return bad('整数');
  return ok(Number(text));
}

const TRUE_WORDS = new Set(['是', '有', 'Y', 'YES', 'TRUE', '1', '√']);
const FALSE_WORDS = new Set(['否', '无', '没有', 'N', 'NO', 'FALSE', '0', '×']);

export function parseBool(raw: RawCell): Parsed<boolean> {
  if (typeof raw === 'boolean') return ok(raw);
  const s = keyText(raw).toUpperCase();
  if (TRUE_WORDS.has(s)) return ok(true);
  if (FALSE_WORDS.has(s)) return ok(false);
  return bad('是/否、Y/N 或 1/0');
}

/** A calendar date as ISO text YYYY-MM-DD. */
export type IsoDate = string;

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Dates as texts, each kept once: a roster's dates repeat (agreements end on a few days),
 * and a text each per row was 80 MB at 1.1 million institutions. Only years 1900–2299 are
 * kept (a cell can hold any date; the table stays bounded).
 */
const isoDates = new Map<number, IsoDate>();

function isoText(y: number, m: number, d: number): IsoDate {
  if (y < 1900 || y > 2299) return `${y}-${pad2(m)}-${pad2(d)}`;
  const key = (y * 100 + m) * 100 + d;
  let text = isoDates.get(key);
  if (text === undefined) isoDates.set(key, (text = `${y}-${pad2(m)}-${pad2(d)}`));
  return text;
}

export function isoDate(d: Date): IsoDate {
  // Spreadsheet dates are calendar days stored at UTC midnight.
  return isoText(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function validDate(y: number, m: number, d: number): IsoDate | null {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return null;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > last) return null;
  return isoText(y, m, d);
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** Excel serial day number (1900 date system) to a date. */
export function excelSerialToIso(serial: number): IsoDate | null {
  if (!Number.isInteger(serial) || serial < 1 || serial > 120_000) return null;
  return isoDate(new Date(EXCEL_EPOCH_MS + serial * DAY_MS));
}

const DATE_EXPECTED = '日期，如 2024-03-05、2024/3/5、2024年3月5日 或 Excel 日期';

/**
 * SPEC §3: no designated institution record is older than 1990; an earlier date is a
 * typing or conversion error (a small number taken for an Excel serial, a wrong year).
 */
export const EARLIEST_DATE: IsoDate = '1990-01-01';
const TOO_EARLY = `${EARLIEST_DATE.slice(0, 4)} 年以后的日期（定点医药机构的记录不会更早，请核对是否输错年份或把数字误作日期）`;

export function parseDate(raw: RawCell): Parsed<IsoDate> {
  const parsed = parseAnyDate(raw);
  return parsed.ok && parsed.value < EARLIEST_DATE ? bad(TOO_EARLY) : parsed;
}

function parseAnyDate(raw: RawCell): Parsed<IsoDate> {
  if (raw instanceof Date) return Number.isNaN(raw.getTime()) ? bad(DATE_EXPECTED) : ok(isoDate(raw));
  if (typeof raw === 'number') {
    const d = excelSerialToIso(raw);
    return d ? ok(d) : bad(DATE_EXPECTED);
  }
  const s = keyText(raw);
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(s) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(s);
  if (!m) m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const d = validDate(Number(m[1]), Number(m[2]), Number(m[3]));
    return d ? ok(d) : bad(DATE_EXPECTED);
  }
  if (/^\d{5}$/.test(s)) {
    const d = excelSerialToIso(Number(s));
    if (d) return ok(d);
  }
  return bad(DATE_EXPECTED);
}

/** A month as {year, month}. */
export interface YearMonth {
  year: number;
  month: number;
}

const MONTH_EXPECTED = '月份，如 2024-03、202403、2024年3月';

export function parseMonth(raw: RawCell): Parsed<YearMonth> {
  if (raw instanceof Date) return ok({ year: raw.getUTCFullYear(), month: raw.getUTCMonth() + 1 });
  const s = typeof raw === 'number' ? String(raw) : keyText(raw);
  const m =
    /^(\d{4})[-/.](\d{1,2})$/.exec(s) ??
    /^(\d{4})(\d{2})$/.exec(s) ??
    /^(\d{4})年(\d{1,2})月$/.exec(s) ??
    /^(\d{4})[-/.](\d{1,2})[-/.]0?1$/.exec(s);
  if (!m) return bad(MONTH_EXPECTED);
  const year = Number(m[1]);
  const month = Number(m[2]);
  if (month < 1 || month > 12) return bad(MONTH_EXPECTED);
  return ok({ year, month });
}

/** Fen as yuan text with 2 decimals, e.g. 123456 → "1234.56". */
export function fenToYuanText(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${pad2(abs % 100)}`;
}
