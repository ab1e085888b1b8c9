// What the worker threads of the parallel CSV readers share (settlement-range.ts,
// score-range.ts): reading one byte range of a file a line at a time, cutting a line into
// fields, and institution codes as numbers. A range is read straight from its bytes; a row
// not in the plain form an export writes is refused, naming its line, and the caller reads
// the whole file again the careful way, which words every problem for the officer.
import { closeSync, openSync, readSync } from 'node:fs';

/** What every range task carries. */
export interface CsvRange {
  path: string;
  start: number;
  end: number;
  /** The file's encoding (the header may be Chinese; the rows read fast are ASCII but for a few marks). */
  encoding: 'utf-8' | 'gb18030';
  /** The field delimiter's byte (comma or tab). */
  delimiter: number;
}

export interface RangeLines {
  /** Lines in the range (blank ones included): the next range's lines are numbered after them. */
  lines: number;
  /** Why the range is not in the plain form, and at which line of the range (1-based). */
  refused: { line: number; reason: string } | null;
}

/** Reads a line [from, to) (LF excluded) that is the range's `line`-th (1-based): null when taken or blank, else why it is refused. */
type LineReader = (buf: Buffer, from: number, to: number, line: number) => string | null;

/** Reads the fields `fields` has just cut from the range's `line`-th line: null when taken, else why it is refused. */
export type RowReader = (buf: Buffer, line: number) => string | null;

const CHUNK = 16 << 20;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const ZERO = 0x30;

/**
 * Reads the range's lines in order, each cut into fields by `fields` (blank lines skipped)
 * and read by `row`; stops at the first refused one. `onBytes` is told the bytes read
 * after each chunk.
 */
export function readRangeRows(range: CsvRange, fields: FieldSplitter, row: RowReader, onBytes?: (bytes: number) => void): RangeLines {
  return readRangeLines(
    range,
    (buf, from, to, line) => {
      const count = fields.split(buf, from, to);
      if (count < 0) return fields.reason;
      return count === 0 ? null : row(buf, line);
    },
    onBytes,
  );
}

function readRangeLines(range: CsvRange, line: LineReader, onBytes?: (bytes: number) => void): RangeLines {
  let lines = 0;
  const fd = openSync(range.path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let kept = 0; // bytes of an unfinished line carried at the buffer's start
    let position = range.start;
    while (position < range.end || kept > 0) {
      const want = Math.min(buf.length - kept, range.end - position);
      const read = want > 0 ? readSync(fd, buf, kept, want, position) : 0;
      position += read;
      const filled = kept + read;
      const last = position >= range.end || (want > 0 && read === 0);
      let from = 0;
      for (;;) {
        const lf = buf.indexOf(LF, from);
        if (lf < 0 || lf >= filled) break;
        lines++;
        const why = line(buf, from, lf, lines);
        if (why) return { lines, refused: { line: lines, reason: why } };
        from = lf + 1;
      }
      if (last) {
        if (from < filled) {
          lines++;
          const why = line(buf, from, filled, lines);
          if (why) return { lines, refused: { line: lines, reason: why } };
        }
        break;
      }
      kept = filled - from;
      if (kept === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2); // a line longer than the buffer
        buf.copy(bigger, 0, 0, kept);
        buf = bigger;
      } else buf.copy(buf, 0, from, filled);
      onBytes?.(read);
    }
  } finally {
    closeSync(fd);
  }
  return { lines, refused: null };
}

/**
 * Cuts a line into fields, keeping the bounds of the first `wanted` + 1 of them. A field
 * may be quoted whole ("1,207,735.22"); a quote inside one, or a CR inside the line, is for
 * the careful reader.
 */
export class FieldSplitter {
  private readonly bounds: Int32Array;
  /** Why the last line was refused. */
  reason = '';

  constructor(
    private readonly delimiter: number,
    /** The highest 0-based column read. */
    private readonly wanted: number,
  ) {
    this.bounds = new Int32Array(2 * (wanted + 1));
  }

  /** The line's fields counted (0: a blank line), or -1 when refused (`reason` says why). */
  split(buf: Buffer, from: number, to: number): number {
    const { delimiter, wanted, bounds } = this;
    if (to > from && buf[to - 1] === CR) to--;
    let field = 0;
    let blank = true;
    for (let i = from; i <= to; ) {
      let start = i;
      let end: number;
      if (i < to && buf[i] === QUOTE) {
        const close = buf.indexOf(QUOTE, i + 1);
        if (close < 0 || close >= to || (close + 1 < to && buf[close + 1] !== delimiter)) return this.refuse('引号用法复杂');
        start = i + 1;
        end = close;
        i = close + 1;
      } else {
        while (i < to && buf[i] !== delimiter) {
          if (buf[i] === QUOTE || buf[i] === CR) return this.refuse('含引号或回车');
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
    if (blank) return 0;
    if (field <= wanted) return this.refuse('列数不足');
    return field;
  }

  /** Where field `k` (0-based, at most `wanted`) of the last line starts and ends. */
  start(k: number): number {
    return this.bounds[2 * k] as number;
  }

  end(k: number): number {
    return this.bounds[2 * k + 1] as number;
  }

  private refuse(reason: string): number {
    this.reason = reason;
    return -1;
  }
}

/** H12010100001 → 12010100001, P… → 100000000000 + …: a code as a number (exact in a double); -1 when not a code. */
export function institutionKey(code: string): number {
  if (code.length !== 12) return -1;
  const kind = code.charCodeAt(0);
  if (kind !== 0x48 && kind !== 0x50) return -1;
  // By character, as keyOfBytes: a million roster codes are keyed before the threads start.
  let n = 0;
  for (let i = 1; i < 12; i++) {
    const d = code.charCodeAt(i) - ZERO;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return (kind === 0x50 ? 1e11 : 0) + n;
}

/** The same from a code's bytes. */
export function keyOfBytes(buf: Buffer, from: number, to: number): number {
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
