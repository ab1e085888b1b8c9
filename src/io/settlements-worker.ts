// A worker thread of the parallel 月度结算 reader (settlements-parallel.ts): parses one byte
// range of the CSV, whole lines only, straight from the bytes into shared typed arrays.
// It takes only rows in the plain form an export writes (ASCII code, YYYY-MM, yuan with at
// most 2 decimals, no quotes); anything else it refuses, naming the line, and the caller
// reads the whole file again the careful way, which words every problem for the officer.
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

export interface RangeTask {
  path: string;
  start: number;
  end: number;
  year: number;
  /** The file's encoding (the header may be Chinese; the rows read here are ASCII but for 年/月). */
  encoding: 'utf-8' | 'gb18030';
  /** The field delimiter's byte (comma or tab). */
  delimiter: number;
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

export interface RangeDone {
  /** Lines in the range (blank ones included): the next range's lines are numbered after them. */
  lines: number;
  /** Data rows taken (blank lines not counted). */
  rows: number;
  /** Why the range is not in the plain form, and at which line of the range (1-based). */
  refused: { line: number; reason: string } | null;
}

const CHUNK = 16 << 20;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const ZERO = 0x30;
const DOT = 0x2e;
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

/** H12010100001 → 12010100001, P… → 100000000000 + …: a code as a number (exact in a double); -1 when not a code. */
export function institutionKey(code: string): number {
  if (code.length !== 12 || (code[0] !== 'H' && code[0] !== 'P') || !/^\d{11}$/.test(code.slice(1))) return -1;
  return (code[0] === 'P' ? 1e11 : 0) + Number(code.slice(1));
}

/** The same from a code's bytes. */
function keyOfBytes(buf: Buffer, from: number, to: number): number {
  if (to - from !== 12) return -1;
  const kind = buf[from];
  if (kind !== 0x48 && kind !== 0x50) return -1;
  let n = 0;
  for (let i = from + 1; i < to; i++) {
    const d = (buf[i] as number) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return (kind === 0x50 ? 1e11 : 0) + n;
}

/** The roster index of a key (binary search over the ascending keys); -1 when not in the roster. */
export function rosterIndex(keys: Float64Array, order: Int32Array, key: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid] as number;
    if (k === key) return order[mid] as number;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function readRange(task: RangeTask): RangeDone {
  const { columns, year, delimiter, worker, workers } = task;
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
  const wanted = Math.max(columns.code, columns.month, columns.settled, columns.reserved);
  const bounds = new Int32Array(2 * (wanted + 1));
  let lines = 0;
  let taken = 0;
  const refuse = (reason: string): RangeDone => ({ lines, rows: taken, refused: { line: lines, reason } });

  /** One line [from, to) without its LF; null when taken or blank, else why it is refused. */
  const line = (buf: Buffer, from: number, to: number): string | null => {
    if (to > from && buf[to - 1] === CR) to--;
    // Field bounds of the columns read. A field may be quoted whole ("1,207,735.22"); a quote
    // inside one, or a CR anywhere, is for the careful reader.
    let field = 0;
    let blank = true;
    for (let i = from; i <= to; ) {
      let start = i;
      let end: number;
      if (i < to && buf[i] === QUOTE) {
        const close = buf.indexOf(QUOTE, i + 1);
        if (close < 0 || close >= to || (close + 1 < to && buf[close + 1] !== delimiter)) return '引号用法复杂';
        start = i + 1;
        end = close;
        i = close + 1;
      } else {
        while (i < to && buf[i] !== delimiter) {
          if (buf[i] === QUOTE || buf[i] === CR) return '含引号或回车';
          i++;
        }
        end = i;
      }
      for (let k = start; k < end && blank; k++) if (buf[k] !== 0x20 && buf[k] !== 0x09) blank = false;
      if (field <= wanted) {
        bounds[2 * field] = start;
        bounds[2 * field + 1] = end;
      }
      field++;
      i++; // past the delimiter (or the line's end)
    }
    if (blank) return null;
    if (field <= wanted) return '列数不足';
    const key = keyOfBytes(buf, bounds[2 * columns.code] as number, bounds[2 * columns.code + 1] as number);
    if (key !== lastKey) {
      lastKey = key;
      lastAt = key < 0 ? -1 : rosterIndex(keys, order, key);
    }
    const at = lastAt;
    if (at < 0) return '机构编码不在名册中或格式不同';
    const month = monthOf(buf, bounds[2 * columns.month] as number, bounds[2 * columns.month + 1] as number, year, yearMark, monthMark);
    if (month === 0) return '结算月份不是本年度的常见写法';
    const fen = fenOf(buf, bounds[2 * columns.settled] as number, bounds[2 * columns.settled + 1] as number);
    if (fen < 0) return '结算金额不是最多两位小数的元';
    let reservedFen = Number.NaN;
    if (columns.reserved >= 0 && bounds[2 * columns.reserved + 1]! > bounds[2 * columns.reserved]!) {
      reservedFen = fenOf(buf, bounds[2 * columns.reserved] as number, bounds[2 * columns.reserved + 1] as number);
      if (reservedFen < 0) return '预留保证金不是最多两位小数的元';
    }
    const cell = at * 12 + month - 1;
    if (Atomics.compareExchange(rows, cell, 0, lines * workers + worker + 1) !== 0) return '同一机构同一月份重复';
    settled[cell] = fen;
    reserved[cell] = reservedFen;
    taken++;
    return null;
  };

  const fd = openSync(task.path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let kept = 0; // bytes of an unfinished line carried at the buffer's start
    let position = task.start;
    while (position < task.end || kept > 0) {
      const want = Math.min(buf.length - kept, task.end - position);
      const read = want > 0 ? readSync(fd, buf, kept, want, position) : 0;
      position += read;
      const filled = kept + read;
      const last = position >= task.end || (want > 0 && read === 0);
      let from = 0;
      for (;;) {
        const lf = buf.indexOf(LF, from);
        if (lf < 0 || lf >= filled) break;
        lines++;
        const why = line(buf, from, lf);
        if (why) return refuse(why);
        from = lf + 1;
      }
      if (last) {
        if (from < filled) {
          lines++;
          const why = line(buf, from, filled);
          if (why) return refuse(why);
        }
        break;
      }
      kept = filled - from;
      if (kept === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, kept);
        buf = bigger;
      } else buf.copy(buf, 0, from, filled);
    }
  } finally {
    closeSync(fd);
  }
  return { lines, rows: taken, refused: null };
}

/** Started as a range's worker (this module is also imported by the reader, which may itself run in a worker). */
const isRangeTask = (data: unknown): data is RangeTask => typeof data === 'object' && data !== null && (data as Partial<RangeTask>).keys instanceof SharedArrayBuffer;
if (parentPort && isRangeTask(workerData)) parentPort.postMessage(readRange(workerData));
