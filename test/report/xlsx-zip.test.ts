// The zip container's failures: a sink that cannot take more (a full disk) stops the rows
// being made and rejects the workbook's commit, never an uncaught exception.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it, vi } from 'vitest';
import { DeflateThread } from '../../src/report/deflate-thread.js';
import { FileSink, MemorySink, PIECE_BYTES, XlsxZip, packageCrc32, pieceBuffers, type ZipSink } from '../../src/report/xlsx-zip.js';

/** A sink that fails once it holds more than `limit` bytes. */
class FullSink extends MemorySink {
  private held = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override async append(chunk: Buffer): Promise<void> {
    this.held += chunk.length;
    if (this.held > this.limit) throw new Error('磁盘已满');
    return super.append(chunk);
  }
}

const date = new Date(Date.UTC(2025, 0, 1));
/** Bytes deflate cannot shrink: what reaches the sink is as large as the part. */
const part = randomBytes(200_000);

/**
 * Writes a sheet into `zip` while pacing on it, as the rows are written, until the zip
 * fails: the writer must learn of the failure instead of waiting forever; then the stream
 * exceljs waits on fails at finalize. Resolves to the failures of both.
 */
async function failingWrite(zip: XlsxZip, done: PassThrough, name: string): Promise<{ writer: unknown; done: unknown }> {
  const stream = new PassThrough();
  zip.append(stream, { name });
  const writer = await (async () => {
    for (;;) {
      stream.write(part);
      await new Promise((resolve) => setImmediate(resolve));
      await zip.below(1 << 20);
    }
  })().catch((e: unknown) => e);
  const failed = once(done, 'error');
  zip.finalize();
  return { writer, done: (await failed)[0] };
}

describe('XlsxZip when its sink fails', () => {
  it('rejects the writer waiting on it, then fails the stream exceljs waits on at finalize', async () => {
    const done = new PassThrough();
    const zip = new XlsxZip(new FullSink(1_000), date, done);
    zip.append(part, { name: 'xl/worksheets/sheet1.xml' });
    const failures = await failingWrite(zip, done, 'xl/worksheets/sheet2.xml');
    expect(failures).toEqual({ writer: expect.objectContaining({ message: '磁盘已满' }), done: expect.objectContaining({ message: '磁盘已满' }) });
  });

  it('fails the stream when the failure comes after finalize', async () => {
    const done = new PassThrough();
    const zip = new XlsxZip(new FullSink(20_000), date, done);
    const failed = once(done, 'error');
    zip.append(part, { name: 'xl/worksheets/sheet1.xml' });
    zip.finalize();
    await expect(failed).resolves.toEqual([expect.objectContaining({ message: '磁盘已满' })]);
  });

  it('ends the stream after the central directory when nothing fails', async () => {
    const done = new PassThrough();
    const sink = new MemorySink();
    const zip = new XlsxZip(sink, date, done);
    zip.append(part, { name: '/xl/worksheets/sheet1.xml' });
    zip.finalize();
    done.resume();
    await once(done, 'end');
    const bytes = sink.content;
    expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
    expect(bytes.readUInt32LE(bytes.length - 22)).toBe(0x06054b50);
    expect(bytes.subarray(30, 30 + 24).toString()).toBe('xl/worksheets/sheet1.xml');
  });
});

describe('XlsxZip pacing a writer', () => {
  it('wakes a writer that waits for nothing to be left, even while zlib takes input without giving output', async () => {
    const done = new PassThrough();
    const sink = new MemorySink();
    const zip = new XlsxZip(sink, date, done);
    const stream = new PassThrough();
    zip.append(stream, { name: 'xl/worksheets/sheet1.xml' });
    const row = Buffer.from('<row r="1"><c r="A1" t="str"><v>机构</v></c></row>'.repeat(200));
    for (let i = 0; i < 200; i++) {
      stream.write(row);
      await zip.below(0); // compressible rows: zlib keeps most of them in its window before it writes anything
    }
    stream.end();
    zip.finalize();
    done.resume();
    await once(done, 'end');
    const bytes = sink.content;
    expect(bytes.readUInt32LE(22)).toBe(row.length * 200); // uncompressed size in the local header
    expect(bytes.readUInt32LE(bytes.length - 22)).toBe(0x06054b50);
  });
});

// Different text in every piece: a buffer reused before zlib took its bytes would show as another piece's text.
const pieces = Array.from({ length: 400 }, (_, i) => `<row r="${i}">${randomBytes(24_000).toString('base64')}机构${i}</row>`);

/** The one part of a container: its text, inflated from the bytes after its local header. */
function onlyPart(bytes: Buffer): string {
  const compressed = bytes.readUInt32LE(18);
  const start = 30 + bytes.readUInt16LE(26);
  return inflateRawSync(bytes.subarray(start, start + compressed)).toString('utf8');
}

/** Writes `pieces` through the pool into one part, without waiting on zlib (as many in flight as possible). */
async function writePieces(sink: ZipSink, pieces: string[], thread: DeflateThread | null = null): Promise<Set<ArrayBufferLike>> {
  const done = new PassThrough();
  const zip = new XlsxZip(sink, date, done, thread);
  const stream = new PassThrough({ highWaterMark: 1 << 20 });
  zip.append(stream, { name: 'xl/worksheets/sheet1.xml' });
  const buffers = new Set<ArrayBufferLike>();
  for (const [i, text] of pieces.entries()) {
    const buffer = pieceBuffers.take();
    const piece = buffer.subarray(0, buffer.write(text, 0, 'utf8'));
    buffers.add(piece.buffer);
    stream.write(piece);
    if (i % 40 === 39) await zip.below(1 << 20);
  }
  stream.end();
  zip.finalize();
  done.resume();
  await once(done, 'end');
  return buffers;
}

describe('the buffers the rows are encoded into', () => {
  it('are reused, and only once zlib has taken their bytes: the part inflates back to its text', async () => {
    const sink = new MemorySink();
    const buffers = await writePieces(sink, pieces);
    // Reused: fewer buffers than pieces (how many depends on how far zlib lags, at most about 1 MB and 40 pieces).
    expect(buffers.size).toBeLessThan(pieces.length);
    expect(onlyPart(sink.content)).toBe(pieces.join(''));
  });

  it('go to a worker thread that deflates with their memory, which comes back to the pool: few are made, and the part is the same', async () => {
    const thread = DeflateThread.start();
    expect(thread).not.toBeNull();
    const made = vi.spyOn(Buffer, 'allocUnsafeSlow');
    try {
      const [sink, here] = [new MemorySink(), new MemorySink()];
      await writePieces(sink, pieces, thread);
      // A buffer handed over is detached here until its memory comes back: without the return, every piece would need a new one.
      expect(made.mock.calls.filter(([size]) => size === PIECE_BYTES).length).toBeLessThan(pieces.length / 4);
      expect(onlyPart(sink.content)).toBe(pieces.join(''));
      await writePieces(here, pieces);
      expect(sink.content.equals(here.content)).toBe(true);
    } finally {
      made.mockRestore();
      await thread?.stop();
    }
  });
});

describe('XlsxZip when its deflate thread fails', () => {
  it('rejects the writer waiting on it, then fails the stream exceljs waits on at finalize', async () => {
    // A thread that dies at the first piece, as one out of memory would.
    const dying = `import { parentPort } from 'node:worker_threads'; parentPort.on('message', (m) => { if (m.piece) process.exit(3); });`;
    const thread = DeflateThread.start(new URL(`data:text/javascript,${encodeURIComponent(dying)}`));
    try {
      const done = new PassThrough();
      const zip = new XlsxZip(new MemorySink(), date, done, thread);
      const failures = await failingWrite(zip, done, 'xl/worksheets/sheet1.xml');
      const exited = expect.objectContaining({ message: 'zip: the deflate thread exited with 3' });
      expect(failures).toEqual({ writer: exited, done: exited });
    } finally {
      await thread?.stop();
    }
  });
});

describe('a file sink', () => {
  it('writes what it is given, gathered a megabyte at a time and across its edges, with a header patched in place', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'assess-zip-'));
    try {
      const path = join(dir, 'part.xlsx');
      const sink = await FileSink.create(path);
      const buffers = await writePieces(sink, pieces);
      expect(buffers.size).toBeGreaterThan(0);
      await sink.close();
      const bytes = await readFile(path);
      expect(bytes.readUInt32LE(0)).toBe(0x04034b50); // the local header, patched after the data
      expect(bytes.readUInt32LE(22)).toBe(Buffer.byteLength(pieces.join('')));
      expect(onlyPart(bytes)).toBe(pieces.join(''));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the CRC-32 of a part', () => {
  it('is the same from the crc-32 package (Node 20 before 20.15) as from Node, chunk by chunk', async () => {
    expect(packageCrc32(Buffer.from('123456789'), 0)).toBe(0xcbf43926); // the check value of CRC-32
    const { crc32: nodeCrc32 } = (await import('node:zlib')) as unknown as { crc32?: (data: Buffer, seed?: number) => number };
    if (typeof nodeCrc32 !== 'function') return; // nothing to compare with on this Node
    const chunks = [randomBytes(70_000), Buffer.from('机构名称<row/>'), randomBytes(3)];
    const chained = chunks.reduce((crc, c) => packageCrc32(c, crc), 0);
    expect(chained).toBe(nodeCrc32(Buffer.concat(chunks)));
  });
});
