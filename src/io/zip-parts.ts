// The parts of a zip (an xlsx), read from the file as they are asked for and inflated by
// Node's own zlib (yauzl): a 100 MB roster is neither loaded whole nor inflated in
// JavaScript. The file stays open until `close`.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

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
    return new Promise((resolve, reject) => this.zip.openReadStream(entry, (error, stream) => (error || !stream ? reject(error ?? new Error(`cannot read ${name}`)) : resolve(stream))));
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
