// A worker thread that deflates the parts of a large workbook (see DeflateThread in
// deflate-thread.ts). Node's zlib works on the thread pool, but each step of a stream comes
// back to the thread that owns it before the next begins; on the main thread, busy making
// rows, zlib waited for every turn of its event loop. Here the event loop has nothing else
// to do: each piece posted is deflated as soon as it arrives.
import { parentPort } from 'node:worker_threads';
import { createDeflateRaw, type DeflateRaw, type ZlibOptions } from 'node:zlib';
import { crc32 } from './xlsx-zip.js';

/** What the main thread posts: a part begins (zlib's options), a piece of it, its end. */
export type DeflateOrder = { open: ZlibOptions } | { piece: Uint8Array } | { end: true };

/** What this thread posts back: bytes of the part taken by zlib (and the memory they came in, handed back), deflated bytes, the part's end (with its CRC-32 and size), a failure. */
export type DeflateReport = { taken: number; memory: ArrayBuffer } | { out: Uint8Array } | { ended: { crc: number; size: number } } | { failed: string };

if (parentPort) {
  const port = parentPort;
  let deflate: DeflateRaw | null = null;
  // The part's CRC-32 and size, taken here from the pieces as they come.
  let crc = 0;
  let size = 0;
  const post = (report: DeflateReport) => port.postMessage(report);
  port.on('message', (order: DeflateOrder) => {
    if ('open' in order) {
      const part = createDeflateRaw(order.open);
      // Copied to its own memory and handed over: zlib's chunks share one buffer, which
      // posting as it is would copy whole each time.
      part.on('data', (chunk: Buffer) => {
        const out = new Uint8Array(chunk);
        port.postMessage({ out } satisfies DeflateReport, [out.buffer]);
      });
      part.once('end', () => post({ ended: { crc, size } }));
      part.once('error', (e) => post({ failed: e.message }));
      deflate = part;
      crc = 0;
      size = 0;
    } else if ('piece' in order) {
      const { piece } = order;
      crc = crc32(piece, crc);
      size += piece.length;
      const memory = piece.buffer as ArrayBuffer;
      deflate?.write(piece, () => port.postMessage({ taken: piece.length, memory } satisfies DeflateReport, [memory]));
    } else deflate?.end();
  });
}
