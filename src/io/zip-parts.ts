// The parts of a zip (an xlsx), read from the file as they are asked for and inflated by
// Node's own zlib (yauzl reads the zip): a 100 MB roster is neither loaded whole nor
// inflated in JavaScript. The file stays open until `close`.
import { Transform, pipeline, type Readable, type TransformCallback } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';

/**
 * Bytes zlib gives at a time when a part is inflated here. yauzl inflates with zlib's
 * default 16 KB, each piece a round trip to the thread pool: a 1.1-million-row roster's
 * 500 MB sheet took 2.0 s to inflate, 1.0 s in 64 KB pieces. A piece's text (at most twice
 * its bytes, for Chinese) is no larger than the 128 KB beyond which V8 puts a string
 * straight into the old generation.
 */
const INFLATE_PIECE = 64 << 10;

/** Fails the stream when a part inflates to more or fewer bytes than the zip's directory says (as yauzl checks). */
class ByteCount extends Transform {
  private count = 0;

  constructor(private readonly expected: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.count += chunk.length;
    if (this.count > this.expected) done(new Error(`too many bytes in the stream. expected ${this.expected}. got at least ${this.count}`));
    else done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    done(this.count < this.expected ? new Error(`not enough bytes in the stream. expected ${this.expected}. got only ${this.count}`) : null);
  }
}

export class ZipParts {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: ReadonlyMap<string, yauzl.Entry>,
  ) {}

  /** Opens the zip and reads its directory; rejects when the file is no zip. */
  static open(path: string): Promise<ZipParts> {
    return new Promise((resolve, reject) => {
      yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: true }, (error, zip) => {
        if (error || !zip) return reject(error ?? new Error('no zip'));
        const entries = new Map<string, yauzl.Entry>();
        zip.on('entry', (entry: yauzl.Entry) => {
          entries.set(entry.fileName, entry);
          zip.readEntry();
        });
        zip.on('end', () => resolve(new ZipParts(zip, entries)));
        zip.on('error', (e: Error) => {
          zip.close();
          reject(e);
        });
        zip.readEntry();
      });
    });
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The part's size once inflated, as the zip's directory gives it (0 when unknown). */
  size(name: string): number {
    return this.entries.get(name)?.uncompressedSize ?? 0;
  }

  /** The part's bytes, inflated as they are read; null when the zip has no such part. */
  stream(name: string): Promise<Readable | null> {
    const entry = this.entries.get(name);
    if (!entry) return Promise.resolve(null);
    // A deflated part is inflated here, in larger pieces than yauzl's; any other (stored,
    // encrypted: yauzl refuses it) as yauzl gives it.
    const inflateHere = entry.compressionMethod === 8 && !entry.isEncrypted();
    return new Promise((resolve, reject) =>
      this.zip.openReadStream(entry, inflateHere ? { decodeFileData: false } : {}, (error, stream) => {
        if (error || !stream) return reject(error ?? new Error(`cannot read ${name}`));
        if (!inflateHere) return resolve(stream);
        // The last stream is read; a failure of any, or its being destroyed, ends them all.
        resolve(pipeline(stream, createInflateRaw({ chunkSize: INFLATE_PIECE }), new ByteCount(entry.uncompressedSize), () => undefined));
      }),
    );
  }

  /** A small part's whole text (UTF-8); null when the zip has no such part. */
  async text(name: string): Promise<string | null> {
    const stream = await this.stream(name);
    if (!stream) return null;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }

  close(): void {
    this.zip.close();
  }
}
