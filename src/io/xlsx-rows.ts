// An input sheet of an xlsx read as a stream of rows: the zip's sheet entry is inflated by
// Node's zlib (zip-parts.ts) and read as it goes (worksheet-rows.ts, shared-strings.ts; saxes for the small
// parts), through a streaming UTF-8 decoder, so a Chinese character split between two
// chunks stays whole; only the row being read is in memory — not a spreadsheet model of
// the whole roster. Values are the ones exceljs gives for the same cells (shared and inline
// strings, numbers, booleans, date-formatted numbers as dates, a formula's cached result,
// merged cells taking their first cell's value): exceljs' own conversion functions are
// used, and a test reads every workbook of the samples and a workbook of tricky cells both
// ways.
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import { ZipParts } from './zip-parts.js';
import { SaxesParser } from 'saxes';
import { SharedStringsReader } from './shared-strings.js';
import { cellAddress, WorksheetRows, type Merge, type XlsxRow } from './worksheet-rows.js';

const require = createRequire(import.meta.url);
const excel = require('exceljs/lib/utils/utils.js') as { excelToDate(v: number, date1904: boolean): Date; isDateFmt(fmt: string): boolean; xmlDecode(text: string): string };
const NumFmt = require('exceljs/lib/xlsx/xform/style/numfmt-xform.js') as { getDefaultFmtCode(id: number): string | undefined };

export { unreadableReasons, type UnreadableValue, type XlsxRow } from './worksheet-rows.js';

/** An opened workbook: its sheets and date system; shared strings and date styles are read once, when first needed. */
export class XlsxBook {
  private strings: Promise<string[]> | undefined;
  private dates: Promise<boolean[]> | undefined;

  constructor(
    readonly zip: ZipParts,
    /** Worksheets in the workbook's order (chart sheets left out, as exceljs does). */
    readonly sheets: readonly { name: string; path: string }[],
    readonly date1904: boolean,
    private readonly parts: { sharedStrings?: string; styles?: string },
  ) {}

  sharedStrings(): Promise<string[]> {
    const path = this.parts.sharedStrings;
    return (this.strings ??= path ? readSharedStrings(this.zip, path) : Promise.resolve([]));
  }

  dateStyles(): Promise<boolean[]> {
    const path = this.parts.styles;
    return (this.dates ??= path ? readDateStyles(this.zip, path) : Promise.resolve([]));
  }
}

/** An xlsx that is a zip but not a workbook (no workbook part). */
export class NotAWorkbook extends Error {}

/** Streams a part of the zip, decoded as UTF-8, into `parser` (a Chinese character split between two pieces stays whole). */
async function streamPart(
  zip: ZipParts,
  path: string,
  parser: { write(text: string): unknown; close(): unknown },
  stop?: { stopped: boolean },
  /** Told the inflated bytes of each chunk as it is read. */
  onBytes?: (bytes: number) => void,
): Promise<void> {
  const stream = await zip.stream(path);
  if (!stream) return;
  const decoder = new TextDecoder('utf-8');
  // Read as an async iterator, not with a 'data' handler: in flowing mode the handler runs
  // inside zlib's callback and the next piece is inflated only once it returns (a quarter of a
  // roster's reading was waiting); paused, zlib inflates the next piece while this one is scanned.
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (stop?.stopped) return; // leaving the loop destroys the stream: the rest is not wanted
    onBytes?.(chunk.length);
    parser.write(decoder.decode(chunk, { stream: true }));
  }
  if (stop?.stopped) return;
  parser.write(decoder.decode());
  parser.close();
}

/** Parses a small part of the zip as XML (saxes, validating), streaming, calling the handlers per tag and text. */
function parsePart(zip: ZipParts, path: string, on: { open?: (tag: Tag) => void; text?: (text: string) => void; close?: (name: string) => void }): Promise<void> {
  const saxes = new SaxesParser();
  if (on.open) saxes.on('opentag', on.open);
  if (on.text) saxes.on('text', on.text);
  if (on.close) saxes.on('closetag', (t) => on.close?.(t.name));
  return streamPart(zip, path, saxes);
}

/** The whole text of a small part (workbook.xml and its relations). */
const partText = (zip: ZipParts, path: string): Promise<string | null> => zip.text(path);

/** A tag as either reader gives it. */
type Tag = { name: string; attributes: Readonly<Record<string, unknown>> };

const attr = (tag: Tag, name: string): string | undefined => {
  const v = tag.attributes[name];
  return typeof v === 'string' ? v : undefined;
};

/** Opens an xlsx: its sheets, relations and date system; strings and styles are read when first needed. */
export async function openXlsx(path: string): Promise<XlsxBook> {
  const zip = await ZipParts.open(path);
  // The workbook part, as the package's relations name it (xl/workbook.xml nearly always).
  const rootRels = (await partText(zip, '_rels/.rels')) ?? '';
  const officeDocument = /<Relationship\b[^>]*Type="[^"]*\/officeDocument"[^>]*>/.exec(rootRels)?.[0];
  const workbookPath = (officeDocument && /Target="([^"]+)"/.exec(officeDocument)?.[1]?.replace(/^\//, '')) || 'xl/workbook.xml';
  const workbookXml = await partText(zip, workbookPath);
  if (workbookXml === null) {
    zip.close();
    throw new NotAWorkbook(`no ${workbookPath}`);
  }
  const dir = posix.dirname(workbookPath);
  const relsXml = (await partText(zip, posix.join(dir, '_rels', `${posix.basename(workbookPath)}.rels`))) ?? '';
  const targets = new Map<string, { target: string; type: string }>();
  for (const m of relsXml.matchAll(/<Relationship\b([^>]*)>/g)) {
    const attrs = m[1] ?? '';
    const id = /\bId="([^"]+)"/.exec(attrs)?.[1];
    const target = /\bTarget="([^"]+)"/.exec(attrs)?.[1];
    const type = /\bType="([^"]+)"/.exec(attrs)?.[1] ?? '';
    if (id && target) targets.set(id, { target: target.startsWith('/') ? target.slice(1) : posix.join(dir, target), type });
  }
  const sheets: { name: string; path: string }[] = [];
  let date1904 = false;
  let sharedStringsPath: string | undefined;
  let stylesPath: string | undefined;
  for (const t of targets.values()) {
    if (t.type.endsWith('/sharedStrings')) sharedStringsPath = t.target;
    if (t.type.endsWith('/styles')) stylesPath = t.target;
  }
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    if (tag.name === 'workbookPr') date1904 = ['1', 'true'].includes(attr(tag, 'date1904') ?? '');
    if (tag.name !== 'sheet') return;
    const rel = targets.get(attr(tag, 'r:id') ?? '');
    const name = attr(tag, 'name');
    if (rel && name !== undefined && rel.type.endsWith('/worksheet')) sheets.push({ name: excel.xmlDecode(name), path: rel.target });
  });
  parser.write(workbookXml).close();
  return new XlsxBook(zip, sheets, date1904, { ...(sharedStringsPath ? { sharedStrings: sharedStringsPath } : {}), ...(stylesPath ? { styles: stylesPath } : {}) });
}

/** The shared strings, each as its text (rich text runs joined; phonetic runs left out). */
async function readSharedStrings(zip: ZipParts, path: string): Promise<string[]> {
  const reader = new SharedStringsReader();
  await streamPart(zip, path, reader);
  return reader.strings;
}

/** For each cell style (cellXfs index): whether its number format shows a date. */
async function readDateStyles(zip: ZipParts, path: string): Promise<boolean[]> {
  const formats = new Map<number, string>();
  const dates: boolean[] = [];
  let inCellXfs = false;
  await parsePart(zip, path, {
    open: (tag) => {
      if (tag.name === 'numFmt') formats.set(Number(attr(tag, 'numFmtId')), attr(tag, 'formatCode') ?? '');
      else if (tag.name === 'cellXfs') inCellXfs = true;
      else if (tag.name === 'xf' && inCellXfs) {
        const id = Number(attr(tag, 'numFmtId') ?? 0);
        const code = id ? (formats.get(id) ?? NumFmt.getDefaultFmtCode(id)) : undefined;
        dates.push(code !== undefined && excel.isDateFmt(code));
      }
    },
    close: (name) => {
      if (name === 'cellXfs') inCellXfs = false;
    },
  });
  return dates;
}

/** The merged ranges of a sheet (they come after its rows: a first, quick pass finds them). */
async function readMerges(zip: ZipParts, path: string): Promise<Merge[]> {
  const stream = await zip.stream(path);
  if (!stream) return [];
  const merges: Merge[] = [];
  // Searched as bytes: only a piece that has a merge is decoded (a tag cut between two pieces is searched with the next).
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const bytes = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    if (bytes.includes('mergeCell')) {
      for (const m of bytes.toString('utf8').matchAll(/<mergeCell\b[^>]*\bref="([A-Z]+\d+):([A-Z]+\d+)"/g)) {
        const a = cellAddress(m[1] ?? '');
        const b = cellAddress(m[2] ?? '');
        merges.push({ top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) });
      }
    }
    const lastOpen = bytes.lastIndexOf(0x3c /* < */);
    tail = lastOpen >= 0 && bytes.indexOf(0x3e /* > */, lastOpen) < 0 ? Buffer.from(bytes.subarray(lastOpen)) : Buffer.alloc(0);
  }
  return merges;
}

/** Reads a sheet's rows in order, calling `onRow` for each row the sheet has; `onRow` returns false to stop. */
export async function readXlsxSheet(
  book: XlsxBook,
  sheet: { name: string; path: string },
  onRow: (row: XlsxRow) => boolean,
  /** Told the sheet's XML read so far and its whole size, in bytes (for the progress bar). */
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const [strings, dateStyles, merges] = await Promise.all([book.sharedStrings(), book.dateStyles(), readMerges(book.zip, sheet.path)]);
  const rows = new WorksheetRows({ strings, dateStyles, date1904: book.date1904, merges }, onRow);
  const total = book.zip.size(sheet.path);
  let read = 0;
  await streamPart(book.zip, sheet.path, rows, rows, onProgress && ((bytes) => onProgress((read += bytes), total)));
}
