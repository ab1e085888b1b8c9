// 月度结算 is the largest input by far (13 million rows a year nationally). A CSV of it in
// the plain form exports have — ASCII codes and months, yuan with two decimals, no quotes —
// is read by worker threads, one byte range each (cut at line ends), straight into shared
// typed arrays. Whatever is not in that form (a quote, another month or money format, an
// unknown code, a duplicate month, a 万元 column, UTF-16) makes this reader step aside: the
// careful reader then reads the file row by row and words every problem for the officer.
import { existsSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SettlementYear } from '../domain.js';
import type { InputSpec } from './input-spec.js';
import { institutionKey, rosterIndex, type RangeDone, type RangeTask } from './settlements-worker.js';
import { detectCsvEncoding, hasRequiredColumns, matchHeader, sniffDelimiter, type SourceTable } from './table.js';

export type ParallelRead =
  | { read: true; byCode: SettlementTable; rows: number; workers: number }
  /** Not read here: why (for the benchmark and tests), and the 1-based file line when a row was the cause. */
  | { read: false; reason: string; line?: number };

/** Below this size the careful reader alone is as fast as starting threads. */
export const PARALLEL_FROM_BYTES = 1 << 20;

/**
 * The compiled worker: beside this module in dist/, or, when this module runs from its
 * TypeScript source (the tests), the build's copy (npm ci builds it).
 */
function workerFile(): string | null {
  for (const candidate of ['./settlements-worker.js', '../../dist/io/settlements-worker.js']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  return null;
}

/** The first line's end (its LF) within the opening bytes, and those bytes. */
async function opening(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The roster's codes as ascending numbers (institutionKey) with each one's roster index, shared with the threads. */
function rosterKeys(roster: readonly string[]): { keys: Float64Array; order: Int32Array } {
  const all = roster.map((code, i) => ({ key: institutionKey(code), i })).filter((k) => k.key >= 0);
  let ascending = true;
  for (let k = 1; k < all.length && ascending; k++) ascending = (all[k - 1]?.key ?? 0) <= (all[k]?.key ?? 0);
  if (!ascending) all.sort((a, b) => a.key - b.key);
  const keys = new Float64Array(new SharedArrayBuffer(all.length * 8));
  const order = new Int32Array(new SharedArrayBuffer(all.length * 4));
  all.forEach((k, n) => {
    keys[n] = k.key;
    order[n] = k.i;
  });
  return { keys, order };
}

/** Offsets that cut [from, to) into `parts` ranges of whole lines. */
async function cutAtLineEnds(path: string, from: number, to: number, parts: number): Promise<number[]> {
  const cuts = [from];
  const handle = await open(path, 'r');
  try {
    const window = Buffer.alloc(64 * 1024);
    for (let k = 1; k < parts; k++) {
      let at = Math.max(from + Math.floor(((to - from) * k) / parts), cuts[cuts.length - 1] ?? from);
      for (;;) {
        const { bytesRead } = await handle.read(window, 0, window.length, at);
        if (bytesRead === 0) {
          at = to;
          break;
        }
        const lf = window.subarray(0, bytesRead).indexOf(0x0a);
        if (lf >= 0) {
          at += lf + 1;
          break;
        }
        at += bytesRead;
      }
      cuts.push(Math.min(at, to));
    }
  } finally {
    await handle.close();
  }
  cuts.push(to);
  return cuts;
}

function runWorker(file: string, task: RangeTask): Promise<RangeDone> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: task });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`settlement reader thread exited with ${code}`)));
  });
}

export async function readSettlementsInParallel(
  source: SourceTable,
  spec: InputSpec,
  year: number,
  roster: readonly string[],
  opts: { fromBytes?: number; workers?: number; /** The worker script (tests: one that fails). */ workerScript?: string } = {},
): Promise<ParallelRead> {
  if (source.format !== 'csv') return { read: false, reason: 'xlsx' };
  const size = (await stat(source.path)).size;
  if (size < (opts.fromBytes ?? PARALLEL_FROM_BYTES)) return { read: false, reason: '文件较小' };
  const file = opts.workerScript ?? workerFile();
  if (!file) return { read: false, reason: '没有编译好的读取线程' };
  const encoding = await detectCsvEncoding(source.path);
  if (encoding !== 'utf-8' && encoding !== 'gb18030') return { read: false, reason: encoding };

  // The header is the first line (title rows above it are for the careful reader).
  const head = await opening(source.path);
  const bom = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  const lf = head.indexOf(0x0a);
  if (lf < 0) return { read: false, reason: '第一行过长' };
  const headerText = new TextDecoder(encoding).decode(head.subarray(bom, lf)).replace(/\r$/, '');
  if (headerText.includes('"')) return { read: false, reason: '表头含引号', line: 1 };
  const delimiter = sniffDelimiter(new TextDecoder(encoding).decode(head));
  const header = matchHeader(headerText.split(delimiter), spec, 1);
  if (!hasRequiredColumns(spec)(header)) return { read: false, reason: '第一行不是表头', line: 1 };
  const at = (key: string) => header.columns.get(key);
  if (at('settled')?.unit === '万元' || at('reserved')?.unit === '万元') return { read: false, reason: '万元', line: 1 };

  const workers = Math.max(1, opts.workers ?? Math.min(availableParallelism(), 4));
  const cuts = await cutAtLineEnds(source.path, lf + 1, size, workers);
  const cells = roster.length * 12;
  const settledFen = new SharedArrayBuffer(cells * 8);
  const reservedFen = new SharedArrayBuffer(cells * 8);
  const rowsBuffer = new SharedArrayBuffer(cells * 4);
  const { keys, order } = rosterKeys(roster);
  const columns = { code: at('code')?.index ?? -1, month: at('month')?.index ?? -1, settled: at('settled')?.index ?? -1, reserved: at('reserved')?.index ?? -1 };
  let done: RangeDone[];
  try {
    done = await Promise.all(
      cuts.slice(0, -1).map((start, worker) =>
        runWorker(file, { path: source.path, encoding, start, end: cuts[worker + 1] ?? size, year, delimiter: delimiter.charCodeAt(0), columns, keys: keys.buffer as SharedArrayBuffer, order: order.buffer as SharedArrayBuffer, worker, workers, settledFen, reservedFen, rows: rowsBuffer }),
      ),
    );
  } catch (e) {
    // A thread that fails (out of memory, a file changed under it) costs only the speed: the careful reader reads the file.
    return { read: false, reason: `读取线程失败：${(e as Error).message}` };
  }
  // Lines are numbered as a spreadsheet shows them: the header is line 1.
  const linesBefore: number[] = [];
  let lines = 1;
  for (const d of done) {
    linesBefore.push(lines);
    lines += d.lines;
  }
  const refused = done.findIndex((d) => d.refused !== null);
  if (refused >= 0) {
    const r = done[refused]?.refused;
    return { read: false, reason: r?.reason ?? '', line: (linesBefore[refused] ?? 0) + (r?.line ?? 0) };
  }

  // Worker-coded lines become the file's row numbers, in place.
  const rows = new Int32Array(rowsBuffer);
  for (let cell = 0; cell < rows.length; cell++) {
    const coded = rows[cell] as number;
    if (coded === 0) continue;
    const worker = (coded - 1) % workers;
    rows[cell] = (linesBefore[worker] ?? 0) + Math.floor((coded - 1) / workers);
  }
  const byCode = new SettlementTable(roster, keys, order, new Float64Array(settledFen), new Float64Array(reservedFen), rows, source);
  return { read: true, byCode, rows: done.reduce((a, d) => a + d.rows, 0), workers };
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
