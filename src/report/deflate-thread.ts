// Deflating a large workbook's parts on a worker thread (deflate-worker.ts) while the main
// thread makes the rows. With zlib on the main thread, every step of the stream waited for
// the main thread to come back to its event loop, once every 2,000 rows: at 100,000
// institutions a quarter of the time writing 考核结果 was spent waiting on zlib. The bytes
// are zlib's with the same options, whichever thread runs it (a test compares them).
import { Duplex } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { ZlibOptions } from 'node:zlib';
import { compiledWorker } from '../worker-file.js';
import { pieceBuffers, tableRowsOf } from './xlsx-zip.js';
import type { LineRowsTable } from './line-rows.js';
import type { DeflateOrder, DeflateReport } from './deflate-worker.js';

/** One part being deflated on the thread: written as zlib's stream is, read for the deflated bytes. */
export class ThreadDeflate extends Duplex {
  /** Bytes posted to the thread and not yet taken by zlib there. */
  inThread = 0;
  /** The part's CRC-32 and size, as the thread took them (known once the part has ended). */
  taken = { crc: 0, size: 0 };
  /** Runs of a table's rows handed to the thread and not yet all made there. */
  making = 0;
  /** Told of the rows the thread makes, per run, in order. */
  private readonly rowReports: ((rows: number) => void)[] = [];
  private finished: ((e?: Error | null) => void) | null = null;

  constructor(
    private readonly post: (order: DeflateOrder, transfer?: ArrayBuffer[]) => void,
    /** Told each time the thread has taken bytes or made rows (a writer waiting on the backlog looks again). */
    private readonly onTaken: () => void,
    /** The thread's number of a table, the table posted to it the first time. */
    private readonly tableNumber: (table: LineRowsTable) => number,
  ) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (e?: Error | null) => void): void {
    const marked = tableRowsOf(chunk);
    if (marked) {
      // The rows the marker stands for are made there, in its place in the part.
      const { table, ...run } = marked.rows;
      this.making += 1;
      this.rowReports.push(marked.onRows ?? (() => undefined));
      this.post({ rows: { ...run, table: this.tableNumber(table) } });
      done();
      return;
    }
    // A piece of the pool is handed over with its memory, which the thread hands back once
    // zlib has taken it (nothing copied, nothing left for a collector in either thread).
    // Any other chunk is copied first: its memory may be shared (Node's small-buffer pool).
    const piece = pieceBuffers.owns(chunk) ? chunk : new Uint8Array(chunk);
    this.inThread += piece.length;
    this.post({ piece }, [piece.buffer as ArrayBuffer]);
    done();
  }

  override _final(done: (e?: Error | null) => void): void {
    this.finished = done;
    this.post({ end: true });
  }

  override _read(): void {}

  /** A report of the thread about this part. */
  report(r: DeflateReport): void {
    if ('taken' in r) {
      this.inThread -= r.taken;
      pieceBuffers.adopt(r.memory);
      this.onTaken();
    } else if ('made' in r) this.rowReports[0]?.(r.made);
    else if ('madeAll' in r) {
      this.making -= 1;
      this.rowReports.shift();
      this.onTaken();
    } else if ('out' in r) this.push(Buffer.from(r.out.buffer, r.out.byteOffset, r.out.length));
    else if ('ended' in r) {
      this.taken = r.ended;
      this.push(null);
      this.finished?.();
    } else this.destroy(new Error(`zip: the deflate thread failed: ${r.failed}`));
  }
}

/** The thread of one workbook: its parts are deflated there one after another. */
export class DeflateThread {
  private current: ThreadDeflate | null = null;
  /** The tables posted to the thread (their rows made there), by number. */
  private readonly tables = new Map<LineRowsTable, number>();
  /** The columns of texts posted to the thread (shared by tables), by number. */
  private readonly texts = new Map<readonly string[], number>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (r: DeflateReport) => this.current?.report(r));
    worker.once('error', (e) => this.current?.destroy(e));
    worker.once('exit', (code) => this.current?.destroy(new Error(`zip: the deflate thread exited with ${code}`)));
  }

  /**
   * A thread, or null when there is no compiled worker to run (the caller deflates on its
   * own thread). `script` is another worker's (tests: a thread that fails).
   */
  static start(script: string | URL | null = compiledWorker('report/deflate-worker.js')): DeflateThread | null {
    return script ? new DeflateThread(new Worker(script)) : null;
  }

  /** The next part's stream (the one before must have ended). */
  open(options: ZlibOptions, onTaken: () => void): ThreadDeflate {
    const post = (order: DeflateOrder, transfer?: ArrayBuffer[]) => this.worker.postMessage(order, transfer);
    const part = new ThreadDeflate(post, onTaken, (table) => {
      let n = this.tables.get(table);
      if (n === undefined) {
        n = this.tables.size;
        this.tables.set(table, n);
        // Each column of texts goes once: the workbook's tables share every institution's.
        const institutionTexts = table.institutionTexts.map((column) => {
          if (!Array.isArray(column)) return column;
          let posted = this.texts.get(column);
          if (posted === undefined) {
            posted = this.texts.size;
            this.texts.set(column, posted);
            post({ texts: { number: posted, column } });
          }
          return { posted };
        });
        post({ table: { number: n, table: { ...table, institutionTexts } } });
      }
      return n;
    });
    this.current = part;
    this.worker.postMessage({ open: options } satisfies DeflateOrder);
    return part;
  }

  /** Ends the thread (the workbook is written, or failed). */
  async stop(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
