// The zip container of a printable workbook, written as it is made. exceljs' streaming
// writer hands its parts to archiver, whose zip carries the wall clock on every entry; the
// workbooks used to be re-zipped whole by JSZip with a fixed date (three copies of the
// file in memory). This container takes the parts from exceljs in its place, deflates
// them as archiver does (Node's zlib, level 1 as compress-commons sets it, on the thread pool; a large
// workbook's sheets on a worker thread, deflate-thread.ts) and writes the
// layout JSZip wrote — local header with sizes and CRC, data, central directory — to a
// file or to memory, patching each local header once its part is done. The bytes are
// those of the re-zipped file (a test compares them), without holding the workbook.
import { EventEmitter } from 'node:events';
import { open, type FileHandle } from 'node:fs/promises';
import { PassThrough, Readable, type TransformOptions } from 'node:stream';
import * as zlib from 'node:zlib';
import { constants, createDeflateRaw, type ZlibOptions } from 'node:zlib';
import CRC32 from 'crc-32';
import type { DeflateThread } from './deflate-thread.js';
import type { LineRowsTable } from './line-rows.js';
import type { PlainRowLayout } from './plain-rows.js';

/** CRC-32 of a chunk, continuing from `seed`, by the crc-32 package (for Node 20 before 20.15). */
export const packageCrc32 = (data: Uint8Array, seed: number): number => CRC32.buf(data, seed) >>> 0;
const nodeCrc32 = (zlib as { crc32?: (data: Uint8Array, seed: number) => number }).crc32;
/** CRC-32 of a chunk, continuing from `seed`: Node's own (20.15 and later, native), else the package's. */
export const crc32 = typeof nodeCrc32 === 'function' ? nodeCrc32 : packageCrc32;

/** Where the container's bytes go: appended in order, a local header patched in place once known. */
export interface ZipSink {
  append(chunk: Buffer): Promise<void>;
  patch(chunk: Buffer, position: number): Promise<void>;
  close(): Promise<void>;
}

/** The bytes in memory (small workbooks, tests). */
export class MemorySink implements ZipSink {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  /** Where each appended chunk starts, to find the one a patch falls in. */
  private readonly starts: number[] = [];

  async append(chunk: Buffer): Promise<void> {
    this.starts.push(this.size);
    this.chunks.push(chunk);
    this.size += chunk.length;
  }

  async patch(chunk: Buffer, position: number): Promise<void> {
    // A patch is always a whole local header, appended as one chunk.
    const k = this.starts.indexOf(position);
    const target = this.chunks[k];
    if (!target || target.length !== chunk.length) throw new Error(`zip: no header of ${chunk.length} bytes at ${position}`);
    chunk.copy(target);
  }

  async close(): Promise<void> {}

  get content(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

/** Bytes a file sink gathers before writing them. */
const WRITE_AT = 1 << 20;

/** The bytes in a file, written as they come (large workbooks never held in memory). */
export class FileSink implements ZipSink {
  private position = 0;
  /**
   * Bytes not yet written, gathered in one buffer kept for the whole file: deflate hands
   * out 16 KB at a time, and a write per chunk would pace zlib to the disk's round trips.
   * Copied, not kept: a chunk kept until a megabyte is gathered outlives young-generation
   * collections, and every 64 MB of buffers that die old starts a full collection.
   */
  private readonly pending = Buffer.allocUnsafeSlow(WRITE_AT);
  private pendingSize = 0;
  private constructor(private readonly handle: FileHandle) {}

  static async create(path: string): Promise<FileSink> {
    return new FileSink(await open(path, 'w'));
  }

  async append(chunk: Buffer): Promise<void> {
    for (let from = 0; from < chunk.length; ) {
      const copied = chunk.copy(this.pending, this.pendingSize, from);
      this.pendingSize += copied;
      from += copied;
      if (this.pendingSize === this.pending.length) await this.writePending();
    }
  }

  async patch(chunk: Buffer, position: number): Promise<void> {
    await this.writePending();
    await this.writeAt(chunk, position);
  }

  async close(): Promise<void> {
    await this.writePending();
    await this.handle.close();
  }

  private async writePending(): Promise<void> {
    if (this.pendingSize === 0) return;
    await this.writeAt(this.pending.subarray(0, this.pendingSize), this.position);
    this.position += this.pendingSize;
    this.pendingSize = 0;
  }

  private async writeAt(data: Buffer, position: number): Promise<void> {
    let done = 0;
    while (done < data.length) done += (await this.handle.write(data, done, data.length - done, position + done)).bytesWritten;
  }
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const CENTRAL_END = 0x06054b50;
const DEFLATE = 8;
/**
 * Bytes of a part handed to zlib ahead of what it has deflated. Small: a chunk that waits
 * long survives young-generation collections into the old one, and with a large heap
 * (the plan of a million institutions) every such megabyte brings a full collection nearer.
 */
const DEFLATE_AHEAD = 512 << 10;
/** The longest a writer waits on the zip before looking again. */
const RECHECK_MS = 5;
/** ZIP32: sizes and offsets are four bytes (a workbook part or file of 4 GB would need ZIP64). */
const ZIP32_MAX = 0xffffffff;

/** Bytes of a buffer that carries a piece of a part's text to zlib. */
export const PIECE_BYTES = 256 << 10;

/**
 * Buffers for the pieces of text a part is made of (the rows' XML), each reused once zlib
 * has taken its bytes. Gigabytes of XML pass through a large workbook; a new buffer for
 * each piece waits for the thread pool long enough to outlive young-generation
 * collections, and V8 starts a full collection of the whole heap for every 64 MB of
 * buffers that die old (every few seconds at national scale, each seconds long).
 */
class PieceBuffers {
  private readonly free: Buffer[] = [];
  /** The whole buffer behind each piece handed out. */
  private readonly owned = new WeakMap<ArrayBufferLike, Buffer>();

  /** A buffer of the pool, PIECE_BYTES long, to fill with a piece of a part and hand to XlsxZip's entry. */
  take(): Buffer {
    let buffer = this.free.pop();
    if (!buffer) {
      buffer = Buffer.allocUnsafeSlow(PIECE_BYTES);
      this.owned.set(buffer.buffer, buffer);
    }
    return buffer;
  }

  /** Gives a piece's buffer back once zlib is done with it (any other buffer is left alone, and one handed to a thread). */
  release(piece: Buffer): void {
    const buffer = this.owned.get(piece.buffer);
    if (buffer && buffer.byteLength === PIECE_BYTES) this.free.push(buffer);
  }

  /** Whether `piece` lies in a buffer of the pool (whose memory may be handed to a thread and back). */
  owns(piece: Uint8Array): boolean {
    return this.owned.has(piece.buffer);
  }

  /** Takes into the pool a buffer's memory handed back by a thread (none of another size). */
  adopt(memory: ArrayBuffer): void {
    if (memory.byteLength !== PIECE_BYTES) return;
    const buffer = Buffer.from(memory);
    this.owned.set(memory, buffer);
    this.free.push(buffer);
  }
}

/** The pool every part's text pieces are encoded into (see PlainRowWriter). */
export const pieceBuffers = new PieceBuffers();

/**
 * The streams XlsxZip reads a part from (a piece written to one is given back to the pool
 * once deflated), and whether the part is deflated on a thread.
 */
const zipEntries = new WeakMap<object, { onThread: boolean }>();

/** Whether `stream` is the entry of a part of an XlsxZip (not archiver's, in the fallback). */
export const isZipEntry = (stream: unknown): boolean => typeof stream === 'object' && stream !== null && zipEntries.has(stream);

/** Whether the part read from `stream` is deflated on a thread (which can make a table's rows itself). */
export const entryOnThread = (stream: unknown): boolean => typeof stream === 'object' && stream !== null && zipEntries.get(stream)?.onThread === true;

/** Rows of a table to be made by the thread that deflates the part, in their place in it (PlainRowWriter.writeTableOnThread). */
export interface TableRows {
  table: LineRowsTable;
  first: number;
  count: number;
  /** The sheet's row number of the first. */
  rowNumber: number;
  layout: PlainRowLayout;
  /** A row whose wrapping columns' text takes more than a line: its layout, the columns and their widths. */
  tall: { layout: PlainRowLayout; wrapping: number[]; widths: number[] } | null;
}

/** The rows a marker written into a part's stream stands for, and who is told of the rows made. */
const tableMarkers = new WeakMap<object, { rows: TableRows; onRows?: (rows: number) => void }>();

/**
 * A chunk that stands in a part's stream for rows the thread makes: a byte of its own
 * (a stream drops an empty chunk), never deflated — the thread's rows take its place.
 */
export function tableRowsMarker(rows: TableRows, onRows?: (rows: number) => void): Buffer {
  const marker = Buffer.alloc(1);
  tableMarkers.set(marker, onRows ? { rows, onRows } : { rows });
  return marker;
}

/** The rows a chunk of a part's stream stands for, if it is a marker. */
export const tableRowsOf = (chunk: object): { rows: TableRows; onRows?: (rows: number) => void } | undefined => tableMarkers.get(chunk);

interface Entry {
  name: Buffer;
  source: Readable | Buffer;
}

interface Written {
  name: Buffer;
  header: Buffer; // the 26 bytes common to the local and central headers
  offset: number;
}

/** MS-DOS time and date of `date`, read in UTC (as JSZip). */
function dosDateTime(date: Date): { time: number; day: number } {
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() / 2),
    day: ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/**
 * Stands in for archiver inside exceljs' WorkbookWriter: `append` queues a part (a string,
 * a buffer or exceljs' sheet stream), `finalize` writes the central directory and then
 * ends `done`, the stream exceljs waits on.
 */
export class XlsxZip extends EventEmitter {
  private readonly queue: Entry[] = [];
  private readonly written: Written[] = [];
  private offset = 0;
  private running: Promise<void> | null = null;
  private finalizing = false;
  private readonly when: { time: number; day: number };

  constructor(
    private readonly sink: ZipSink,
    date: Date,
    /** Ended when the whole container is written (exceljs resolves `commit` on its 'finish'). */
    private readonly done: PassThrough,
    /** Where the sheets are deflated, when not on this thread (a large workbook). */
    private readonly thread: DeflateThread | null = null,
  ) {
    super();
    this.when = dosDateTime(date);
  }

  append(source: string | Buffer | NodeJS.ReadableStream, data: { name: string }): this {
    // As archiver: a part named with a leading slash is stored without it.
    const name = Buffer.from(data.name.replace(/^\/+/, ''), 'utf8');
    if (name.some((b) => b > 0x7f)) throw new Error(`zip: part name ${data.name} is not ASCII`);
    let body: Readable | Buffer;
    if (typeof source === 'string') body = Buffer.from(source, 'utf8');
    else if (Buffer.isBuffer(source)) body = source;
    else {
      // exceljs' sheet stream is not a Node Readable: it is piped on at once (as archiver does) and read in turn.
      const pass = new PassThrough({ highWaterMark: 1 << 20 });
      zipEntries.set(pass, { onThread: this.thread !== null });
      source.pipe(pass);
      body = pass;
    }
    this.queue.push({ name, source: body });
    this.kick();
    return this;
  }

  finalize(): void {
    this.finalizing = true;
    if (this.failure) this.done.destroy(this.failure);
    else this.kick();
  }

  /**
   * The first failure (a write to the sink, zlib). The rows being made stop at the next
   * `below`; exceljs' commit is rejected through `done` once it waits on it (finalize): an
   * error on `done` before exceljs listens to it would be an uncaught exception.
   */
  private failure: Error | null = null;

  private kick(): void {
    if (this.running || this.failure) return;
    this.running = this.drain().then(
      () => {
        this.running = null;
        if (this.queue.length > 0 || this.finalizing) this.kick();
      },
      (e: unknown) => {
        this.failure = e instanceof Error ? e : new Error(String(e));
        this.progressed();
        if (this.finalizing) this.done.destroy(this.failure);
      },
    );
  }

  private async drain(): Promise<void> {
    for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) await this.writeEntry(entry);
    if (this.finalizing && this.queue.length === 0) {
      await this.writeDirectory();
      this.finalizing = false;
      this.done.end(); // the caller closes the sink
    }
  }

  /**
   * Resolves once the part being written has no more than `limit` bytes waiting to be
   * deflated. The rows are made on the main thread and deflated on the thread pool; a
   * writer that waits here keeps the two going side by side, instead of piling up the
   * XML of a whole sheet in memory while it makes rows faster than zlib is handed them.
   */
  async below(limit: number): Promise<void> {
    while (!this.failure && this.backlog() > limit) {
      // Woken by zlib's output or its taking more input; and in any case after a moment —
      // zlib can take input without giving output yet, and a wait nothing wakes would end
      // the process with the workbook unwritten (an empty event loop exits).
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        setTimeout(resolve, RECHECK_MS);
      });
    }
    if (this.failure) throw this.failure;
  }

  private readonly waiting: (() => void)[] = [];
  private backlog: () => number = () => 0;

  private progressed(): void {
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  private async writeEntry({ name, source }: Entry): Promise<void> {
    const offset = this.offset;
    const local = Buffer.alloc(30 + name.length);
    await this.put(local); // its sizes and CRC are patched in below
    // A large buffer before zlib: each round trip to the thread pool deflates as much as is there.
    // (Node hands a zlib stream's options on to its Transform; the typings list only zlib's own.)
    const options: ZlibOptions & TransformOptions = { level: constants.Z_BEST_SPEED, writableHighWaterMark: DEFLATE_AHEAD }; // archiver's level (compress-commons)
    // A sheet of a large workbook is deflated on the thread (the other parts are a few kilobytes).
    const onThread = this.thread && !Buffer.isBuffer(source) ? this.thread.open({ level: options.level }, () => this.progressed()) : null;
    const deflate = onThread ?? createDeflateRaw(options);
    // While the thread makes rows of the part itself, a writer waits: what it would write
    // next belongs after them, and would pile up here meanwhile.
    this.backlog = () => (onThread?.making ? Infinity : deflate.writableLength + (onThread?.inThread ?? 0) + (Buffer.isBuffer(source) ? 0 : source.readableLength));
    let crc = 0;
    let size = 0;
    let compressed = 0;
    // A part deflated on the thread has its CRC and size taken there too.
    const take = (buf: Buffer) => {
      if (onThread) return;
      crc = crc32(buf, crc);
      size += buf.length;
    };
    if (Buffer.isBuffer(source)) {
      take(source);
      deflate.end(source);
    } else {
      // Chunk by chunk as written ('data'): reading with for-await would concatenate whatever
      // is buffered into a new Buffer each time. Paused while zlib is DEFLATE_AHEAD behind.
      source.on('data', (chunk: Buffer) => {
        if (!onThread && tableRowsOf(chunk)) {
          deflate.destroy(new Error(`zip: part ${name.toString()}: rows to be made on a thread, but it is deflated here`));
          return;
        }
        take(chunk);
        const taken = (e?: Error | null) => {
          if (!e) pieceBuffers.release(chunk);
        };
        if (!deflate.write(chunk, taken)) {
          source.pause();
          deflate.once('drain', () => {
            source.resume();
            this.progressed();
          });
        }
      });
      source.once('end', () => deflate.end());
      source.once('error', (e) => deflate.destroy(e));
    }
    for await (const chunk of deflate) {
      compressed += (chunk as Buffer).length;
      await this.put(chunk as Buffer);
      this.progressed();
    }
    this.backlog = () => 0;
    this.progressed();
    if (onThread) ({ crc, size } = onThread.taken);
    if (size > ZIP32_MAX || compressed > ZIP32_MAX || offset > ZIP32_MAX) throw new Error(`zip: part ${name.toString()} passes the 4 GB a ZIP32 container holds`);
    const header = Buffer.alloc(26);
    header.writeUInt16LE(10, 0); // version needed to extract: 1.0
    header.writeUInt16LE(0, 2); // flags: sizes in the local header, ASCII name
    header.writeUInt16LE(DEFLATE, 4);
    header.writeUInt16LE(this.when.time, 6);
    header.writeUInt16LE(this.when.day, 8);
    header.writeUInt32LE(crc >>> 0, 10);
    header.writeUInt32LE(compressed, 14);
    header.writeUInt32LE(size, 18);
    header.writeUInt16LE(name.length, 22);
    header.writeUInt16LE(0, 24); // no extra field
    local.writeUInt32LE(LOCAL_HEADER, 0);
    header.copy(local, 4);
    name.copy(local, 30);
    await this.sink.patch(local, offset);
    this.written.push({ name, header, offset });
  }

  private async writeDirectory(): Promise<void> {
    const start = this.offset;
    for (const { name, header, offset } of this.written) {
      const central = Buffer.alloc(46 + name.length);
      central.writeUInt32LE(CENTRAL_HEADER, 0);
      central.writeUInt16LE(0x0014, 4); // made by: MS-DOS, version 2.0
      header.copy(central, 6);
      // comment length, disk number, internal and external attributes: 0
      central.writeUInt32LE(offset, 42);
      name.copy(central, 46);
      await this.put(central);
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(CENTRAL_END, 0);
    end.writeUInt16LE(this.written.length, 8);
    end.writeUInt16LE(this.written.length, 10);
    end.writeUInt32LE(this.offset - start, 12);
    end.writeUInt32LE(start, 16);
    await this.put(end);
  }

  private async put(chunk: Buffer): Promise<void> {
    await this.sink.append(chunk);
    this.offset += chunk.length;
  }
}

/** What the swap reads and replaces in exceljs' WorkbookWriter. */
interface WriterInternals {
  zip: { unpipe(destination?: unknown): unknown; abort?(): unknown };
  stream: PassThrough;
  promise: Promise<unknown>;
  addThemes(): Promise<void>;
  addOfficeRels(): Promise<void>;
}

/**
 * Puts an XlsxZip writing to `sink` in place of the archiver exceljs made, re-adding the
 * two parts the writer's constructor gave archiver. Null where this exceljs is not built
 * as expected: the caller then keeps archiver and re-zips (the same bytes, slower).
 * `thread`, where given, deflates the sheets (the caller stops it once the workbook is done).
 */
export function zipInto(writer: object, sink: ZipSink, date: Date, thread: DeflateThread | null = null): XlsxZip | null {
  const w = writer as Partial<WriterInternals>;
  const ok =
    typeof w.zip?.unpipe === 'function' &&
    w.stream instanceof PassThrough &&
    w.promise instanceof Promise &&
    typeof w.addThemes === 'function' &&
    typeof w.addOfficeRels === 'function';
  if (!ok) return null;
  const internals = w as WriterInternals;
  internals.zip.unpipe(internals.stream);
  internals.zip.abort?.();
  const zip = new XlsxZip(sink, date, internals.stream, thread);
  (internals as { zip: unknown }).zip = zip;
  internals.promise = Promise.all([internals.promise, internals.addThemes(), internals.addOfficeRels()]);
  return zip;
}
