// The rows of one byte range of 指标得分 (the long form: one row per institution and
// indicator), read by a worker thread of the parallel reader (scores-parallel.ts) straight
// from the bytes into columns, each text kept once. It takes only rows in the plain form an
// export writes — a 12-character code, an indicator code of letters and digits, scores as
// plain decimals, no quotes — and gives the same texts the careful reader makes of them;
// anything else it refuses, naming the line (csv-range.ts).
import { FieldSplitter, keyOfBytes, readRangeRows, type CsvRange, type RangeLines } from './csv-range.js';

export interface ScoreRangeTask extends CsvRange {
  kind: 'scores';
  /** 0-based column of each field read; -1 for an optional column the file does not have. */
  columns: { code: number; indicator: number; score: number; selfScore: number; reviewScore: number; note: number };
}

/** No self or review score on the row. */
export const NO_TEXT = -1;

export interface ScoreRangeDone extends RangeLines {
  /** Data rows taken (blank lines not counted). */
  rows: number;
  /** The range's institution codes and its other texts (indicator codes, scores), each once. */
  codes: string[];
  texts: string[];
  /** Per row taken, in file order: numbers into `codes` and `texts` (NO_TEXT: blank), and its line in the range (1-based). */
  code: Int32Array;
  indicator: Int32Array;
  score: Int32Array;
  selfScore: Int32Array;
  reviewScore: Int32Array;
  line: Int32Array;
  /** Notes by row, for the few rows that have one. */
  notes: [row: number, note: string][];
}

const ZERO = 0x30;
const NINE = 0x39;
const DOT = 0x2e;
const MINUS = 0x2d;

/** Whether [from, to) is a plain decimal, -?\d+(\.\d+)?, as decimalText gives it back unchanged. */
function isPlainDecimal(buf: Buffer, from: number, to: number): boolean {
  let i = from;
  if (buf[i] === MINUS) i++;
  let digits = 0;
  for (; i < to && buf[i] !== DOT; i++, digits++) if ((buf[i] as number) < ZERO || (buf[i] as number) > NINE) return false;
  if (digits === 0) return false;
  if (i === to) return true;
  if (++i === to) return false;
  for (; i < to; i++) if ((buf[i] as number) < ZERO || (buf[i] as number) > NINE) return false;
  return true;
}

/** Whether [from, to) is an indicator code as exports write it: letters, digits, '.', '_' or '-'. */
function isPlainIndicator(buf: Buffer, from: number, to: number): boolean {
  if (to <= from || to - from > 32) return false;
  for (let i = from; i < to; i++) {
    const c = buf[i] as number;
    const letterOrDigit = (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
    if (!letterOrDigit && c !== DOT && c !== MINUS && c !== 0x5f) return false;
  }
  return true;
}

/** Columns of Int32 that grow as rows are added. */
class GrowingColumns<K extends string> {
  private size = 1 << 16;
  readonly of: Record<K, Int32Array>;

  constructor(private readonly names: readonly K[]) {
    this.of = Object.fromEntries(names.map((n) => [n, new Int32Array(this.size)])) as Record<K, Int32Array>;
  }

  /** Makes room for row `i`. */
  room(i: number): void {
    if (i < this.size) return;
    this.size *= 2;
    for (const n of this.names) {
      const grown = new Int32Array(this.size);
      grown.set(this.of[n]);
      this.of[n] = grown;
    }
  }

  /** The first `rows` of each column, in buffers of their own (to be handed to another thread). */
  trimmed(rows: number): Record<K, Int32Array> {
    return Object.fromEntries(this.names.map((n) => [n, this.of[n].slice(0, rows)])) as Record<K, Int32Array>;
  }
}

export function readScoreRange(task: ScoreRangeTask, onBytes?: (bytes: number) => void): ScoreRangeDone {
  const { columns } = task;
  const fields = new FieldSplitter(task.delimiter, Math.max(...Object.values(columns)));
  const decoder = new TextDecoder(task.encoding);
  const codes: string[] = [];
  const codeNumbers = new Map<number, number>();
  const texts: string[] = [];
  const textNumbers = new Map<string, number>();
  const textNumber = (text: string): number => {
    let n = textNumbers.get(text);
    if (n === undefined) {
      n = texts.push(text) - 1;
      textNumbers.set(text, n);
    }
    return n;
  };
  /** An optional score: NO_TEXT when blank, -2 when not a plain decimal. */
  const optionalScore = (buf: Buffer, column: number): number => {
    if (column < 0) return NO_TEXT;
    const from = fields.start(column);
    const to = fields.end(column);
    if (to === from) return NO_TEXT;
    return isPlainDecimal(buf, from, to) ? textNumber(buf.toString('latin1', from, to)) : -2;
  };
  const rows = new GrowingColumns(['code', 'indicator', 'score', 'selfScore', 'reviewScore', 'line'] as const);
  const notes: [number, string][] = [];
  // Rows of one institution come together: its code is made a text once per run of them.
  let lastKey = -2;
  let lastCode = -1;
  let taken = 0;

  const read = readRangeRows(task, fields, (buf, line) => {
    const key = keyOfBytes(buf, fields.start(columns.code), fields.end(columns.code));
    if (key < 0) return '机构编码不是12位大写编码';
    if (key !== lastKey) {
      lastKey = key;
      let n = codeNumbers.get(key);
      if (n === undefined) {
        n = codes.push(buf.toString('latin1', fields.start(columns.code), fields.end(columns.code))) - 1;
        codeNumbers.set(key, n);
      }
      lastCode = n;
    }
    const iFrom = fields.start(columns.indicator);
    const iTo = fields.end(columns.indicator);
    if (!isPlainIndicator(buf, iFrom, iTo)) return '指标编码不是字母和数字';
    const sFrom = fields.start(columns.score);
    const sTo = fields.end(columns.score);
    if (!isPlainDecimal(buf, sFrom, sTo)) return '得分不是普通小数';
    const selfScore = optionalScore(buf, columns.selfScore);
    const reviewScore = optionalScore(buf, columns.reviewScore);
    if (selfScore === -2 || reviewScore === -2) return '自评或初审得分不是普通小数';
    const i = taken;
    rows.room(i);
    const { of } = rows;
    of.code[i] = lastCode;
    of.indicator[i] = textNumber(buf.toString('latin1', iFrom, iTo).toUpperCase());
    of.score[i] = textNumber(buf.toString('latin1', sFrom, sTo));
    of.selfScore[i] = selfScore;
    of.reviewScore[i] = reviewScore;
    of.line[i] = line;
    if (columns.note >= 0 && fields.end(columns.note) > fields.start(columns.note)) {
      const note = decoder.decode(buf.subarray(fields.start(columns.note), fields.end(columns.note))).trim();
      if (note !== '') notes.push([i, note]);
    }
    taken++;
    return null;
  }, { onBytes });
  return { ...read, rows: taken, codes, texts, ...rows.trimmed(taken), notes };
}

/** The typed arrays of a result, to be moved (not copied) to the reading thread. */
export const scoreRangeBuffers = (done: ScoreRangeDone): ArrayBuffer[] =>
  [done.code, done.indicator, done.score, done.selfScore, done.reviewScore, done.line].map((a) => a.buffer as ArrayBuffer);
