// 月度结算 is the largest input by far (13 million rows a year nationally). A CSV of it in
// the plain form exports have — ASCII codes and months, yuan with two decimals, no quotes —
// is read by worker threads, one byte range each (cut at line ends), straight into shared
// typed arrays. Whatever is not in that form (a quote, another month or money format, an
// unknown code, a duplicate month, a 万元 column, UTF-16) makes this reader step aside: the
// careful reader then reads the file row by row and words every problem for the officer.
import type { SettlementYear } from '../domain.js';
import { readRanges, plainCsvHeader, type NotParallel } from './csv-parallel.js';
import { institutionKey, rosterIndex } from './csv-range.js';
import type { InputSpec } from './input-spec.js';
import type { SourceTable } from './table.js';

export { PARALLEL_FROM_BYTES } from './csv-parallel.js';

export type ParallelRead = { read: true; byCode: SettlementTable; rows: number; workers: number } | NotParallel;

/** The roster's codes as ascending numbers (institutionKey) with each one's roster index, shared with the threads. */
function rosterKeys(roster: readonly string[]): { keys: Float64Array; order: Int32Array } {
  // In typed arrays, not an object per code: a million of them took a third of a second before the threads started.
  const keyOf = new Float64Array(roster.length);
  const indexOf = new Int32Array(roster.length);
  let count = 0;
  let ascending = true;
  roster.forEach((code, i) => {
    const key = institutionKey(code);
    if (key < 0) return;
    if (count > 0 && (keyOf[count - 1] as number) > key) ascending = false;
    keyOf[count] = key;
    indexOf[count] = i;
    count++;
  });
  // Equal keys (a code twice) keep the roster's order.
  const ranked = Int32Array.from({ length: count }, (_, n) => n);
  if (!ascending) ranked.sort((a, b) => (keyOf[a] as number) - (keyOf[b] as number) || a - b);
  const keys = new Float64Array(new SharedArrayBuffer(count * 8));
  const order = new Int32Array(new SharedArrayBuffer(count * 4));
  ranked.forEach((n, k) => {
    keys[k] = keyOf[n] as number;
    order[k] = indexOf[n] as number;
  });
  return { keys, order };
}

export async function readSettlementsInParallel(
  source: SourceTable,
  spec: InputSpec,
  year: number,
  roster: readonly string[],
  opts: { fromBytes?: number; workers?: number; /** The worker script (tests: one that fails). */ workerScript?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<ParallelRead> {
  const csv = await plainCsvHeader(source, spec, opts);
  if ('read' in csv) return csv;
  const at = (key: string) => csv.header.columns.get(key);
  if (at('settled')?.unit === '万元' || at('reserved')?.unit === '万元') return { read: false, reason: '万元', line: 1 };

  const cells = roster.length * 12;
  const settledFen = new SharedArrayBuffer(cells * 8);
  const reservedFen = new SharedArrayBuffer(cells * 8);
  const rowsBuffer = new SharedArrayBuffer(cells * 4);
  const { keys, order } = rosterKeys(roster);
  const columns = { code: at('code')?.index ?? -1, month: at('month')?.index ?? -1, settled: at('settled')?.index ?? -1, reserved: at('reserved')?.index ?? -1 };
  const read = await readRanges(source, csv, opts, ({ start, end, worker, workers }) => ({
    kind: 'settlements' as const,
    path: source.path,
    encoding: csv.encoding,
    start,
    end,
    year,
    delimiter: csv.delimiter.charCodeAt(0),
    columns,
    keys: keys.buffer as SharedArrayBuffer,
    order: order.buffer as SharedArrayBuffer,
    worker,
    workers,
    settledFen,
    reservedFen,
    rows: rowsBuffer,
  }));
  if ('read' in read) return read;
  const { linesBefore, workers } = read;

  // Worker-coded lines become the file's row numbers, in place.
  const rows = new Int32Array(rowsBuffer);
  for (let cell = 0; cell < rows.length; cell++) {
    const coded = rows[cell] as number;
    if (coded === 0) continue;
    const worker = (coded - 1) % workers;
    rows[cell] = (linesBefore[worker] ?? 0) + Math.floor((coded - 1) / workers);
  }
  const byCode = new SettlementTable(roster, keys, order, new Float64Array(settledFen), new Float64Array(reservedFen), rows, source);
  return { read: true, byCode, rows: read.done.reduce((a, d) => a + d.rows, 0), workers };
}

/**
 * A year of settlements held as columns — per roster index × 12 months: fen, reserved fen
 * (NaN: blank) and the source row (0: no row) — instead of an object per institution:
 * 20 bytes a month however many institutions. Read as the map the plan takes; an
 * institution's year is made when it is asked for.
 */
export class SettlementTable implements ReadonlyMap<string, SettlementYear> {
  readonly size: number;
  /** Roster indexes with at least one row. */
  private readonly present: Uint8Array;

  constructor(
    private readonly codes: readonly string[],
    private readonly codeKeys: Float64Array,
    private readonly order: Int32Array,
    private readonly settled: Float64Array,
    private readonly reserved: Float64Array,
    private readonly rowNumbers: Int32Array,
    private readonly source: Pick<SourceTable, 'file' | 'sheet'>,
  ) {
    this.present = new Uint8Array(codes.length);
    let size = 0;
    for (let cell = 0; cell < rowNumbers.length; cell++) {
      const i = (cell / 12) | 0;
      if (rowNumbers[cell] !== 0 && this.present[i] === 0) {
        this.present[i] = 1;
        size++;
      }
    }
    this.size = size;
  }

  private indexOf(code: string): number {
    const key = institutionKey(code);
    const i = key < 0 ? -1 : rosterIndex(this.codeKeys, this.order, key);
    return i >= 0 && this.present[i] === 1 && this.codes[i] === code ? i : -1;
  }

  private yearOf(i: number): SettlementYear {
    const s: SettlementYear = { code: this.codes[i] as string, settledFen: Array(12).fill(null), reservedFen: Array(12).fill(null), rows: Array(12).fill(null), file: this.source.file, ...(this.source.sheet !== undefined ? { sheet: this.source.sheet } : {}) };
    for (let m = 0; m < 12; m++) {
      const row = this.rowNumbers[i * 12 + m] as number;
      if (row === 0) continue;
      s.rows[m] = row;
      s.settledFen[m] = this.settled[i * 12 + m] as number;
      const r = this.reserved[i * 12 + m] as number;
      s.reservedFen[m] = Number.isNaN(r) ? null : r;
    }
    return s;
  }

  get(code: string): SettlementYear | undefined {
    const i = this.indexOf(code);
    return i < 0 ? undefined : this.yearOf(i);
  }

  has(code: string): boolean {
    return this.indexOf(code) >= 0;
  }

  *entries(): MapIterator<[string, SettlementYear]> {
    for (let i = 0; i < this.codes.length; i++) if (this.present[i] === 1) yield [this.codes[i] as string, this.yearOf(i)];
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.codes.length; i++) if (this.present[i] === 1) yield this.codes[i] as string;
  }

  *values(): MapIterator<SettlementYear> {
    for (let i = 0; i < this.codes.length; i++) if (this.present[i] === 1) yield this.yearOf(i);
  }

  forEach(callback: (value: SettlementYear, key: string, map: ReadonlyMap<string, SettlementYear>) => void): void {
    for (const [code, year] of this.entries()) callback(year, code, this);
  }

  [Symbol.iterator](): MapIterator<[string, SettlementYear]> {
    return this.entries();
  }
}
