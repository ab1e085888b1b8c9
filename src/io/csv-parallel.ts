// Reading a large CSV on every core: the file's header is read here, the rest is cut into
// byte ranges at line ends, and each range is read by a worker thread (range-worker.ts).
// A file not in the plain form an export writes — a title above the header, a quote in
// it, UTF-16, a row the thread refuses — is left to the careful reader, which reads it
// row by row and words every problem for the officer; so is a thread that fails.
import { open, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compiledWorker } from '../worker-file.js';
import type { InputSpec } from './input-spec.js';
import type { RangeDone, RangeMessage, RangeTask } from './range-worker.js';
import { detectCsvEncoding, hasRequiredColumns, matchHeader, sniffDelimiter, type HeaderMatch, type SourceTable } from './table.js';

/** Not read in parallel: why (for the benchmark and tests), and the 1-based file line when a row was the cause. */
export type NotParallel = { read: false; reason: string; line?: number };

/** Below this size the careful reader alone is as fast as starting threads. */
export const PARALLEL_FROM_BYTES = 1 << 20;

/** A CSV whose first line is the header, with where its data starts. */
export interface PlainCsv {
  encoding: 'utf-8' | 'gb18030';
  delimiter: string;
  header: HeaderMatch;
  /** The byte after the header's LF, and the file's size. */
  dataStart: number;
  size: number;
  /** The compiled worker script. */
  workerScript: string;
}

/** The opening bytes of a file. */
export async function opening(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The file's header, when the file can be read in parallel at all. */
export async function plainCsvHeader(source: SourceTable, spec: InputSpec, opts: { fromBytes?: number; workerScript?: string }): Promise<PlainCsv | NotParallel> {
  if (source.format !== 'csv') return { read: false, reason: 'xlsx' };
  const size = (await stat(source.path)).size;
  if (size < (opts.fromBytes ?? PARALLEL_FROM_BYTES)) return { read: false, reason: '文件较小' };
  const workerScript = opts.workerScript ?? compiledWorker('io/range-worker.js');
  if (!workerScript) return { read: false, reason: '没有编译好的读取线程' };
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
  return { encoding, delimiter, header, dataStart: lf + 1, size, workerScript };
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

function runWorker<T extends RangeTask>(file: string, task: T, onBytes: (bytes: number) => void): Promise<RangeDone<T>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(file, { workerData: task });
    worker.on('message', (m: RangeMessage<RangeDone<T>>) => ('done' in m ? resolve(m.done) : onBytes(m.bytes)));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`reader thread exited with ${code}`)));
  });
}

/** The threads' results, with the file line (header: line 1) before each range's first line. */
export interface ReadRanges<Done> {
  done: Done[];
  linesBefore: number[];
  workers: number;
}

/**
 * Reads the file's data in ranges, one thread each (at most 4, and no more than the
 * machine's cores); `task` makes a range's task. A thread that fails (out of memory, a file
 * changed under it) costs only the speed: the careful reader reads the file.
 */
export async function readRanges<T extends RangeTask>(
  source: SourceTable,
  csv: PlainCsv,
  opts: { workers?: number; onProgress?: (done: number, total: number) => void },
  task: (range: { start: number; end: number; worker: number; workers: number }) => T,
): Promise<ReadRanges<RangeDone<T>> | NotParallel> {
  const workers = Math.max(1, opts.workers ?? Math.min(availableParallelism(), 4));
  const cuts = await cutAtLineEnds(source.path, csv.dataStart, csv.size, workers);
  let bytes = csv.dataStart;
  const onBytes = (n: number) => opts.onProgress?.((bytes += n), csv.size);
  let done: RangeDone<T>[];
  try {
    done = await Promise.all(cuts.slice(0, -1).map((start, worker) => runWorker(csv.workerScript, task({ start, end: cuts[worker + 1] ?? csv.size, worker, workers }), onBytes)));
  } catch (e) {
    return { read: false, reason: `读取线程失败：${(e as Error).message}` };
  }
  opts.onProgress?.(csv.size, csv.size);
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
  return { done, linesBefore, workers };
}
