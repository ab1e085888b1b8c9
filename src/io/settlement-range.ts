// The rows of one byte range of 月度结算, read by a worker thread of the parallel reader
// (settlements-parallel.ts) straight from the bytes into shared typed arrays. It takes only
// rows in the plain form an export writes (ASCII code, YYYY-MM, yuan with at most 2
// decimals, no quotes); anything else it refuses, naming the line (csv-range.ts).
import { FieldSplitter, keyOfBytes, NOT_FAST, readRangeRows, rosterIndex, type CsvRange, type RangeLines } from './csv-range.js';

export interface SettlementRangeTask extends CsvRange {
  kind: 'settlements';
  year: number;
  /** 0-based column of each field read; reserved is -1 when the file has no such column. */
  columns: { code: number; month: number; settled: number; reserved: number };
  /** The roster's codes as numbers (institutionKey), ascending, and each one's roster index. */
  keys: SharedArrayBuffer;
  order: SharedArrayBuffer;
  /** This worker's number, 0-based: written into `rows` with the line, so the caller can number lines. */
  worker: number;
  workers: number;
  /** Per roster index × 12 months: fen (NaN: blank reserved), and the line as worker-coded (0: no row). */
  settledFen: SharedArrayBuffer;
  reservedFen: SharedArrayBuffer;
  rows: SharedArrayBuffer;
}

export interface SettlementRangeDone extends RangeLines {
  /** Data rows taken (blank lines not counted). */
  rows: number;
}

const ZERO = 0x30;
const DOT = 0x2e;
const LF = 0x0a;
const CR = 0x0d;
const MINUS = 0x2d;
const COMMA = 0x2c;
const SLASH = 0x2f;

/**
 * Yuan text with at most 2 decimals as fen, thousands separated or not (1,207,735.22);
 * -1 when it is not in that plain form (or over 13 integer digits).
 */
function fenOf(buf: Buffer, from: number, to: number): number {
  let fen = 0;
  let i = from;
  let digits = 0;
  let group = 0; // digits since the last thousands comma
  let commas = 0;
  for (; i < to && buf[i] !== DOT; i++) {
    if (buf[i] === COMMA) {
      if (commas === 0 ? group < 1 || group > 3 : group !== 3) return -1;
      commas++;
      group = 0;
      continue;
    }
    const d = (buf[i] as number) - ZERO;
    if (d < 0 || d > 9 || ++digits > 13) return -1;
    group++;
    fen = fen * 10 + d;
  }
  if (digits === 0 || (commas > 0 && group !== 3)) return -1;
  let decimals = 0;
  if (i < to) {
    for (i++; i < to; i++) {
      const d = (buf[i] as number) - ZERO;
      if (d < 0 || d > 9 || ++decimals > 2) return -1;
      fen = fen * 10 + d;
    }
    if (decimals === 0) return -1;
  }
  return decimals === 2 ? fen : decimals === 1 ? fen * 10 : fen * 100;
}

/** Digits [from, to) as a number; -1 when empty, over 2 digits or not all digits. */
function smallNumber(buf: Buffer, from: number, to: number): number {
  if (to <= from || to - from > 2) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = (buf[i] as number) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const startsWith = (buf: Buffer, at: number, bytes: Uint8Array) => bytes.every((b, k) => buf[at + k] === b);

/**
 * The month, 1..12, of a month in the task's year written as exports write it — 2024-01,
 * 2024/1, 2024.01, 202401, 2024年1月 — and 0 for anything else (another year, another form).
 */
function monthOf(buf: Buffer, from: number, to: number, year: number, yearMark: Uint8Array, monthMark: Uint8Array): number {
  if (to - from < 6) return 0;
  let y = 0;
  for (let i = from; i < from + 4; i++) {
    const d = (buf[i] as number) - ZERO;
    if (d < 0 || d > 9) return 0;
    y = y * 10 + d;
  }
  if (y !== year) return 0;
  const at = from + 4;
  const sep = buf[at];
  let m = -1;
  if (sep === MINUS || sep === SLASH || sep === DOT) m = smallNumber(buf, at + 1, to);
  else if (to - at === 2) m = smallNumber(buf, at, to);
  else if (startsWith(buf, at, yearMark) && to - monthMark.length > at + yearMark.length && startsWith(buf, to - monthMark.length, monthMark)) m = smallNumber(buf, at + yearMark.length, to - monthMark.length);
  return m >= 1 && m <= 12 ? m : 0;
}

/** Yuan as the fast reader takes it: up to 13 digits, then . and 1 or 2 digits or nothing. */
class PlainYuan {
  /** Where the last read stopped: the first byte after the amount. */
  end = 0;

  /** The amount from `from` in fen; NaN when blank (no digit, no point); -1 when not in that form or not ended before `filled`. */
  read(buf: Buffer, from: number, filled: number): number {
    let i = from;
    let fen = 0;
    let digits = 0;
    for (; i < filled; i++) {
      const digit = (buf[i] as number) - ZERO;
      if (digit < 0 || digit > 9) break;
      fen = fen * 10 + digit;
      digits++;
    }
    if (digits > 13 || i >= filled) return -1;
    let decimals = 0;
    if (buf[i] === DOT) {
      if (digits === 0) return -1;
      for (i++; i < filled; i++) {
        const digit = (buf[i] as number) - ZERO;
        if (digit < 0 || digit > 9) break;
        fen = fen * 10 + digit;
        decimals++;
      }
      if (decimals === 0 || decimals > 2 || i >= filled) return -1;
    }
    this.end = i;
    if (digits === 0) return Number.NaN;
    return decimals === 2 ? fen : decimals === 1 ? fen * 10 : fen * 100;
  }
}

export function readSettlementRange(task: SettlementRangeTask, onBytes?: (bytes: number) => void): SettlementRangeDone {
  const { columns, year, worker, workers } = task;
  const keys = new Float64Array(task.keys);
  const order = new Int32Array(task.order);
  // Rows of one institution come together: its index is looked up once per run of them.
  let lastKey = -2;
  let lastAt = -1;
  const settled = new Float64Array(task.settledFen);
  const reserved = new Float64Array(task.reservedFen);
  const rows = new Int32Array(task.rows);
  // 年 and 月 in the file's encoding (TextEncoder only writes UTF-8).
  const [yearMark, monthMark] = task.encoding === 'utf-8' ? [Buffer.from('年'), Buffer.from('月')] : [Buffer.from([0xc4, 0xea]), Buffer.from([0xd4, 0xc2])];
  const fields = new FieldSplitter(task.delimiter, Math.max(columns.code, columns.month, columns.settled, columns.reserved));
  let taken = 0;
  const indexOfKey = (key: number): number => {
    if (key !== lastKey) {
      lastKey = key;
      lastAt = key < 0 ? -1 : rosterIndex(keys, order, key);
    }
    return lastAt;
  };

  // The form nearly every line of an export has, read in one pass over its bytes: the
  // columns in the order code, month, settled[, reserved], nothing after them; a code of
  // the roster, YYYY-MM of the year, yuan with at most 2 decimals and no separators. A line
  // in any other form — or one this reader would refuse — is left, untouched, to the
  // general reader below, which reads such a line to the same figures (a test compares them).
  const yuan = new PlainYuan();
  const inOrder = columns.code === 0 && columns.month === 1 && columns.settled === 2 && (columns.reserved === 3 || columns.reserved === -1);
  const d = task.delimiter;
  const fastLine = (buf: Buffer, from: number, filled: number, line: number): number => {
    // The code (12 bytes), the month (YYYY-MM) and a delimiter after each: 21 bytes.
    if (filled - from < 21 || buf[from + 12] !== d || buf[from + 20] !== d) return NOT_FAST;
    const key = keyOfBytes(buf, from, from + 12);
    const m = monthOf(buf, from + 13, from + 20, year, yearMark, monthMark);
    if (key < 0 || m === 0) return NOT_FAST;
    const fen = yuan.read(buf, from + 21, filled);
    if (!(fen >= 0)) return NOT_FAST; // not blank, and in the plain form
    let i = yuan.end;
    let reservedFen = Number.NaN;
    if (columns.reserved === 3) {
      if (i >= filled || buf[i] !== d) return NOT_FAST;
      reservedFen = yuan.read(buf, i + 1, filled);
      if (reservedFen < 0) return NOT_FAST;
      i = yuan.end;
    }
    // The line's end: LF, or CR LF.
    if (i < filled && buf[i] === CR) i++;
    if (i >= filled || buf[i] !== LF) return NOT_FAST;
    const at = indexOfKey(key);
    if (at < 0) return NOT_FAST;
    const cell = at * 12 + m - 1;
    if (Atomics.compareExchange(rows, cell, 0, line * workers + worker + 1) !== 0) return NOT_FAST;
    settled[cell] = fen;
    reserved[cell] = reservedFen;
    taken++;
    return i;
  };

  const read = readRangeRows(task, fields, (buf, line) => {
    const at = indexOfKey(keyOfBytes(buf, fields.start(columns.code), fields.end(columns.code)));
    if (at < 0) return '机构编码不在名册中或格式不同';
    const month = monthOf(buf, fields.start(columns.month), fields.end(columns.month), year, yearMark, monthMark);
    if (month === 0) return '结算月份不是本年度的常见写法';
    const fen = fenOf(buf, fields.start(columns.settled), fields.end(columns.settled));
    if (fen < 0) return '结算金额不是最多两位小数的元';
    let reservedFen = Number.NaN;
    if (columns.reserved >= 0 && fields.end(columns.reserved) > fields.start(columns.reserved)) {
      reservedFen = fenOf(buf, fields.start(columns.reserved), fields.end(columns.reserved));
      if (reservedFen < 0) return '预留保证金不是最多两位小数的元';
    }
    const cell = at * 12 + month - 1;
    if (Atomics.compareExchange(rows, cell, 0, line * workers + worker + 1) !== 0) return '同一机构同一月份重复';
    settled[cell] = fen;
    reserved[cell] = reservedFen;
    taken++;
    return null;
  }, { onBytes, ...(inOrder ? { fastLine } : {}) });
  return { ...read, rows: taken };
}
