// A worker thread that deflates the parts of a large workbook (see DeflateThread in
// deflate-thread.ts). Node's zlib works on the thread pool, but each step of a stream comes
// back to the thread that owns it before the next begins; on the main thread, busy making
// rows, zlib waited for every turn of its event loop. Here the event loop has nothing else
// to do: each piece posted is deflated as soon as it arrives.
//
// The rows of a detail sheet held as a table (line-rows.ts) are made here too, in their
// place in the part: the main thread posts the table once and then a run of its rows where
// the sheet has them, and goes on with the rest of the outputs while this thread makes and
// deflates millions of rows (the same XML as PlainRowWriter's: plainRowXml).
import { once } from 'node:events';
import { parentPort } from 'node:worker_threads';
import { createDeflateRaw, type DeflateRaw, type ZlibOptions } from 'node:zlib';
import { crc32, type TableRows } from './xlsx-zip.js';
import { walkLineRows, type LineRowsTable, type TextColumn } from './line-rows.js';
import { plainRowXml } from './plain-rows.js';
import { rowHeight, wrappedLines } from './text-width.js';

/**
 * What the main thread posts: a part begins (zlib's options), a piece of it, its end; a
 * table (once), a run of its rows to make in the part.
 */
export type DeflateOrder =
  | { open: ZlibOptions }
  | { piece: Uint8Array }
  | { end: true }
  | { texts: { number: number; column: string[] } }
  | { table: { number: number; table: PostedTable } }
  | { rows: Omit<TableRows, 'table'> & { table: number } };

/**
 * A table as posted: its columns of texts posted before it, once each (a workbook's tables
 * share every institution's texts), and named here by number.
 */
export type PostedTable = Omit<LineRowsTable, 'institutionTexts'> & { institutionTexts: (TextColumn | { posted: number })[] };

/**
 * What this thread posts back: bytes of the part taken by zlib (and the memory they came
 * in, handed back), deflated bytes, the part's end (with its CRC-32 and size), rows of a
 * run made (so far; all of them), a failure.
 */
export type DeflateReport =
  | { taken: number; memory: ArrayBuffer }
  | { out: Uint8Array }
  | { ended: { crc: number; size: number } }
  | { made: number }
  | { madeAll: true }
  | { failed: string };

/** Rows walked between handing their XML to zlib, and reported made. */
const ROWS_AT_A_TIME = 2_000;
const REPORT_EVERY = 20_000;
/** Bytes of a buffer the rows' XML is encoded into. */
const PIECE = 256 << 10;

if (parentPort) {
  const port = parentPort;
  let deflate: DeflateRaw | null = null;
  // The part's CRC-32 and size, taken here from the pieces as they come.
  let crc = 0;
  let size = 0;
  const tables = new Map<number, LineRowsTable>();
  /** Columns of texts posted once, shared by tables. */
  const texts = new Map<number, string[]>();
  /** Buffers of rows' XML zlib has taken, for the next pieces. */
  const spare: Buffer[] = [];
  const post = (report: DeflateReport) => port.postMessage(report);

  /** Makes a run of a table's rows and writes their XML into the part, zlib never far behind. */
  const makeRows = async (run: Extract<DeflateOrder, { rows: unknown }>['rows']): Promise<void> => {
    const table = tables.get(run.table);
    const part = deflate;
    if (!table || !part) throw new Error(`rows of table ${run.table} with no such table or no part open`);
    const ready: Buffer[] = [];
    let piece = spare.pop() ?? Buffer.allocUnsafeSlow(PIECE);
    let used = 0;
    let rowNumber = run.rowNumber;
    let unreported = 0;
    const end = run.first + run.count;
    const { tall } = run;
    const handOn = () => {
      if (used > 0) ready.push(piece.subarray(0, used));
      piece = spare.pop() ?? Buffer.allocUnsafeSlow(PIECE);
      used = 0;
    };
    for (let at = run.first; at < end; at += ROWS_AT_A_TIME) {
      walkLineRows(table, at, Math.min(ROWS_AT_A_TIME, end - at), (cells) => {
        const lines = tall ? wrappedLines(cells, tall.wrapping, tall.widths) : 1;
        const xml = lines > 1 && tall ? plainRowXml(tall.layout, rowNumber++, cells, rowHeight(lines)) : plainRowXml(run.layout, rowNumber++, cells);
        if (used + xml.length * 3 > PIECE) handOn();
        if (xml.length * 3 > PIECE) ready.push(Buffer.from(xml, 'utf8')); // a row longer than a piece goes on its own
        else used += piece.write(xml, used, 'utf8');
      });
      unreported += Math.min(ROWS_AT_A_TIME, end - at);
      if (at + ROWS_AT_A_TIME >= end) handOn();
      let behind = false;
      for (const bytes of ready) {
        crc = crc32(bytes, crc);
        size += bytes.length;
        const whole = bytes.buffer.byteLength === PIECE ? Buffer.from(bytes.buffer, 0, PIECE) : null;
        behind = !part.write(bytes, () => whole && spare.push(whole)) || behind;
      }
      ready.length = 0;
      if (unreported >= REPORT_EVERY) {
        post({ made: unreported });
        unreported = 0;
      }
      if (behind) await once(part, 'drain');
    }
    spare.push(piece);
    if (unreported > 0) post({ made: unreported });
    post({ madeAll: true });
  };

  const carryOut = async (order: DeflateOrder): Promise<void> => {
    if ('open' in order) {
      // Room for a few pieces of rows made here ahead of zlib (the output is the same however the input comes).
      const part = createDeflateRaw({ ...order.open, writableHighWaterMark: 4 * PIECE } as ZlibOptions);
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
    } else if ('texts' in order) texts.set(order.texts.number, order.texts.column);
    else if ('table' in order) {
      const { table } = order.table;
      const column = (c: TextColumn | { posted: number }): TextColumn => {
        if (!('posted' in c)) return c;
        const posted = texts.get(c.posted);
        if (!posted) throw new Error(`table ${order.table.number}: texts ${c.posted} were not posted`);
        return posted;
      };
      tables.set(order.table.number, { ...table, institutionTexts: table.institutionTexts.map(column) });
    }
    else if ('rows' in order) await makeRows(order.rows);
    else deflate?.end();
  };

  // In order: a part's pieces after a run of rows wait for the rows to be made. After a
  // failure (reported once) nothing more is done.
  let queue = Promise.resolve();
  let failed = false;
  port.on('message', (order: DeflateOrder) => {
    queue = queue
      .then(async () => {
        if (!failed) await carryOut(order);
      })
      .catch((e: unknown) => {
        failed = true;
        post({ failed: e instanceof Error ? e.message : String(e) });
      });
  });
}
