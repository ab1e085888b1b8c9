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
import type { RangeDone, RangeTask } from './settlements-worker.js';
import { detectCsvEncoding, hasRequiredColumns, matchHeader, sniffDelimiter, type SourceTable } from './table.js';

export type ParallelRead =
  | { read: true; byCode: Map<string, SettlementYear>; rows: number; workers: number }
  /** Not read here: why (for the benchmark and tests), and the 1-based file line when a row was the cause. */
  | { read: false; reason: string; line?: number };

/** Below this size the careful reader alone is as fast as starting threads. */
export const PARALLEL_FROM_BYTES = 4 << 20;

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
  opts: { fromBytes?: number; workers?: number } = {},
): Promise<ParallelRead> {
  if (source.format !== 'csv') return { read: false, reason: 'xlsx' };
  const size = (await stat(source.path)).size;
  if (size < (opts.fromBytes ?? PARALLEL_FROM_BYTES)) return { read: false, reason: '文件较小' };
  const file = workerFile();
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
  const columns = { code: at('code')?.index ?? -1, month: at('month')?.index ?? -1, settled: at('settled')?.index ?? -1, reserved: at('reserved')?.index ?? -1 };
  const done = await Promise.all(
    cuts.slice(0, -1).map((start, worker) =>
      runWorker(file, { path: source.path, encoding, start, end: cuts[worker + 1] ?? size, year, delimiter: delimiter.charCodeAt(0), columns, roster, worker, workers, settledFen, reservedFen, rows: rowsBuffer }),
    ),
  );
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

  const settled = new Float64Array(settledFen);
  const reserved = new Float64Array(reservedFen);
  const rows = new Int32Array(rowsBuffer);
  const byCode = new Map<string, SettlementYear>();
  for (let i = 0; i < roster.length; i++) {
    const base = i * 12;
    let any = false;
    for (let m = 0; m < 12 && !any; m++) any = rows[base + m] !== 0;
    if (!any) continue;
    const s: SettlementYear = { code: roster[i] as string, settledFen: Array(12).fill(null), reservedFen: Array(12).fill(null), rows: Array(12).fill(null), file: source.file, sheet: source.sheet };
    for (let m = 0; m < 12; m++) {
      const coded = rows[base + m] as number;
      if (coded === 0) continue;
      const worker = (coded - 1) % workers;
      s.rows[m] = (linesBefore[worker] ?? 0) + Math.floor((coded - 1) / workers);
      s.settledFen[m] = settled[base + m] as number;
      const r = reserved[base + m] as number;
      s.reservedFen[m] = Number.isNaN(r) ? null : r;
    }
    byCode.set(s.code, s);
  }
  return { read: true, byCode, rows: done.reduce((a, d) => a + d.rows, 0), workers };
}
