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
  /** The bytes read at a time (tests: lines across chunks). */
  chunkBytes?: number;
}

export interface RangeLines {
  /** Lines in the range (blank ones included): the next range's lines are numbered after them. */
  lines: number;
  /** Why the range is not in the plain form, and at which line of the range (1-based). */
  refused: { line: number; reason: string } | null;
}

/** Reads the fields `fields` has just cut from the range's `line`-th line: null when taken, else why it is refused. */
export type RowReader = (buf: Buffer, line: number) => string | null;

const CHUNK = 16 << 20;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const ZERO = 0x30;

/** FieldSplitter.cut: the line goes on past the bytes read so far. */
const UNFINISHED = -1;
/** FieldSplitter.cut: the line is refused (`reason` says why). */
const REFUSED = -2;

/** FastLine: the line is not in the reader's fast form (nothing was taken). */
export const NOT_FAST = -3;

/**
 * Takes the range's `line`-th line, starting at `from`, when it is in a reader's own fast
 * form: where the line ends (its LF); NOT_FAST, having changed nothing, for the general reader.
 */
export type FastLine = (buf: Buffer, from: number, filled: number, line: number) => number;

export interface RangeReading {
  /** Told the bytes read after each chunk. */
  onBytes?: (bytes: number) => void;
  /** Tried on each line before the general cut and `row`. */
  fastLine?: FastLine;
}

/**
 * Reads the range's lines in order, each taken by `fastLine` or else cut into fields by
 * `fields` (blank lines skipped) and read by `row`; stops at the first refused one. Each
 * byte is looked at once to find both the line's end and its fields.
 */
export function readRangeRows(range: CsvRange, fields: FieldSplitter, row: RowReader, { onBytes, fastLine }: RangeReading = {}): RangeLines {
  let lines = 0;
  const fd = openSync(range.path, 'r');
  try {
    let buf = Buffer.allocUnsafe(range.chunkBytes ?? CHUNK);
    let kept = 0; // bytes of an unfinished line carried at the buffer's start
    let position = range.start;
    while (position < range.end || kept > 0) {
      const want = Math.min(buf.length - kept, range.end - position);
      const read = want > 0 ? readSync(fd, buf, kept, want, position) : 0;
      position += read;
      const filled = kept + read;
      const last = position >= range.end || (want > 0 && read === 0);
      let from = 0;
      while (from < filled) {
        const fastEnd = fastLine ? fastLine(buf, from, filled, lines + 1) : NOT_FAST;
        if (fastEnd >= 0) {
          lines++;
          from = fastEnd + 1;
          continue;
        }
        const end = fields.cut(buf, from, filled, last);
        if (end === UNFINISHED) break;
        lines++;
        if (end === REFUSED) return { lines, refused: { line: lines, reason: fields.reason } };
        if (fields.count > 0) {
          const why = row(buf, lines);
          if (why) return { lines, refused: { line: lines, reason: why } };
        }
        from = end + 1;
      }
      if (last) break;
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
 * may be quoted whole ("1,207,735.22"); a quote inside one, or a CR inside the line (but
 * the one before its LF), is for the careful reader.
 */
export class FieldSplitter {
  private readonly bounds: Int32Array;
  /** Why the last line was refused. */
  reason = '';
  /** The last line's fields (0: a blank line). */
  count = 0;

  constructor(
    private readonly delimiter: number,
    /** The highest 0-based column read. */
    private readonly wanted: number,
  ) {
    this.bounds = new Int32Array(2 * (wanted + 1));
  }

  /**
   * Cuts the line starting at `from`: where it ends (its LF, or `filled` for the range's last
   * line when `last`), UNFINISHED when its end is not among the bytes [from, filled) read so
   * far, REFUSED when it is not in the plain form.
   */
  cut(buf: Buffer, from: number, filled: number, last: boolean): number {
    const { delimiter, wanted, bounds } = this;
    let field = 0;
    let blank = true;
    let i = from;
    for (;;) {
      let start = i;
      let end: number;
      if (i < filled && buf[i] === QUOTE) {
        const close = buf.indexOf(QUOTE, i + 1);
        const lf = buf.indexOf(LF, i + 1);
        const closed = close >= 0 && close < filled && (lf < 0 || lf >= filled || close < lf);
        if (!closed) return lf >= 0 && lf < filled ? this.refuse('引号用法复杂') : last ? this.refuse('引号用法复杂') : UNFINISHED;
        start = i + 1;
        end = close;
        i = close + 1;
      } else {
        for (; i < filled; i++) {
          const c = buf[i];
          if (c === delimiter || c === LF || c === CR) break;
          if (c === QUOTE) return this.refuse('含引号或回车');
        }
        end = i;
      }
      for (let k = start; k < end && blank; k++) if (buf[k] !== 0x20 && buf[k] !== 0x09) blank = false;
      if (field <= wanted) {
        bounds[2 * field] = start;
        bounds[2 * field + 1] = end;
      }
      field++;
      // What ends the field: a delimiter, the line's end (CR LF, LF, the range's end), or else it is refused.
      let lineEnd = -1;
      if (i >= filled) {
        if (!last) return UNFINISHED;
        lineEnd = filled;
      } else {
        const c = buf[i];
        if (c === delimiter) {
          i++;
          continue;
        }
        if (c === LF) lineEnd = i;
        else if (c === CR) {
          if (i + 1 < filled) {
            if (buf[i + 1] !== LF) return this.refuse(end === i ? '含引号或回车' : '引号用法复杂');
            lineEnd = i + 1;
          } else if (last) lineEnd = filled;
          else return UNFINISHED;
        } else return this.refuse('引号用法复杂'); // a closing quote followed by more of the field
      }
      if (blank) this.count = 0;
      else if (field <= wanted) return this.refuse('列数不足');
      else this.count = field;
      return lineEnd;
    }
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
    return REFUSED;
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
