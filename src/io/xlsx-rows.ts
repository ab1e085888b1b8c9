// An input sheet of an xlsx read as a stream of rows: the zip's sheet entry is inflated by
// Node's zlib (zip-parts.ts) and scanned as it goes (xml-scanner.ts; saxes for the small
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
import { ownCopy, XmlScanner } from './xml-scanner.js';
import type { RawCell } from './values.js';

const require = createRequire(import.meta.url);
const excel = require('exceljs/lib/utils/utils.js') as { excelToDate(v: number, date1904: boolean): Date; isDateFmt(fmt: string): boolean; xmlDecode(text: string): string };
const NumFmt = require('exceljs/lib/xlsx/xform/style/numfmt-xform.js') as { getDefaultFmtCode(id: number): string | undefined };

/** A cell that has no value to give: a formula never calculated, an error value (the reason, in Chinese). */
export interface UnreadableValue {
  unreadable: string;
}

export interface XlsxRow {
  rowNumber: number;
  cells: (RawCell | UnreadableValue)[];
}

/** Why a cell gives no value, in the officer's words (as the careful reader reports it). */
export const unreadableReasons = {
  formulaWithoutResult: (formula: string) => `公式 =${formula} 没有计算结果（文件可能由程序生成、未在 Excel 中打开保存）：请在 Excel 中打开并保存，或把公式粘贴为数值`,
  formulaError: (error: string) => `公式的结果是错误值 ${error}`,
  errorValue: (error: string) => `单元格是错误值 ${error}`,
};

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

/** Parses a part of the zip as XML, streaming, calling the handlers per tag and text. */
async function parsePart(
  zip: ZipParts,
  path: string,
  on: { open?: (tag: Tag) => void; text?: (text: string) => void; close?: (name: string) => void },
  stop?: { stopped: boolean },
  /** saxes (validating), or the fast scanner for the large worksheet parts. */
  reader: 'saxes' | 'fast' = 'saxes',
  /** Told the inflated bytes of each chunk as it is read. */
  onBytes?: (bytes: number) => void,
): Promise<void> {
  const stream = await zip.stream(path);
  if (!stream) return;
  let parser: { write(text: string): unknown; close(): unknown };
  if (reader === 'fast') parser = new XmlScanner(on);
  else {
    const saxes = new SaxesParser();
    if (on.open) saxes.on('opentag', on.open);
    if (on.text) saxes.on('text', on.text);
    if (on.close) saxes.on('closetag', (t) => on.close?.(t.name));
    parser = saxes;
  }
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

/** `_x000D_` and the like in a string part: the character (as exceljs' TextXform). */
const unescapeOoxml = (text: string) => (!text.includes('_x') ? text : text.replace(/_x([0-9A-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))));

/** The shared strings, each as its text (rich text runs joined; phonetic runs left out). */
async function readSharedStrings(zip: ZipParts, path: string): Promise<string[]> {
  const strings: string[] = [];
  let current: string[] = [];
  let inT = false;
  let inPhonetic = 0;
  let t = '';
  await parsePart(zip, path, {
    open: (tag) => {
      if (tag.name === 'si') current = [];
      else if (tag.name === 'rPh') inPhonetic++;
      else if (tag.name === 't' && inPhonetic === 0) {
        inT = true;
        t = '';
      }
    },
    text: (text) => {
      if (inT) t += text;
    },
    close: (name) => {
      if (name === 't' && inT) {
        current.push(unescapeOoxml(t));
        inT = false;
      } else if (name === 'rPh') inPhonetic--;
      else if (name === 'si') strings.push(ownCopy(current.join('')));
    },
  }, undefined, 'fast'); // a national roster's strings are a hundred megabytes of XML
  return strings;
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

/** "BC12" → column 55 (1-based) and row 12. */
function cellAddress(ref: string): { col: number; row: number } {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return { col, row: Number(ref.slice(i)) };
}

interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
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
  const mergedRows = new Set<number>();
  for (const m of merges) for (let r = m.top; r <= m.bottom; r++) mergedRows.add(r);
  /** Values of the merged ranges' first cells, as they are read. */
  const masters = new Map<Merge, RawCell | UnreadableValue>();

  const stop = { stopped: false };
  const total = book.zip.size(sheet.path);
  let read = 0;
  let rowNumber = 0;
  let cells: (RawCell | UnreadableValue)[] = [];
  let col = 0;
  let type: string | undefined;
  let styleId = 0;
  let hasFormula = false;
  let formula = '';
  let value: string | undefined;
  let inline = '';
  let reading: 'v' | 'f' | 't' | null = null;
  let inInline = false;
  let inPhonetic = 0;
  let inInlineSeen = false;

  const numberValue = (text: string): RawCell => {
    const n = parseFloat(text);
    return dateStyles[styleId] ? excel.excelToDate(n, book.date1904) : n;
  };
  const cellValue = (): RawCell | UnreadableValue => {
    if (hasFormula) {
      if (!value) return { unreadable: unreadableReasons.formulaWithoutResult(formula) };
      if (type === 'str') return ownCopy(excel.xmlDecode(value));
      if (type === 'b') return parseInt(value, 10) !== 0;
      if (type === 'e') return { unreadable: unreadableReasons.formulaError(value) };
      return numberValue(value);
    }
    if (type === 'inlineStr') return inInlineSeen ? ownCopy(inline) : null;
    if (value === undefined) return null;
    switch (type) {
      case 's':
        return strings[parseInt(value, 10)] ?? '';
      case 'str':
        return ownCopy(excel.xmlDecode(value));
      case 'b':
        return parseInt(value, 10) !== 0;
      case 'e':
        return { unreadable: unreadableReasons.errorValue(value) };
      default:
        return numberValue(value);
    }
  };

  await parsePart(
    book.zip,
    sheet.path,
    {
      open: (tag) => {
        switch (tag.name) {
          case 'row': {
            const r = attr(tag, 'r');
            rowNumber = r ? Number(r) : rowNumber + 1;
            cells = [];
            col = 0;
            break;
          }
          case 'c': {
            const r = attr(tag, 'r');
            col = r ? cellAddress(r).col : col + 1;
            type = attr(tag, 't');
            styleId = Number(attr(tag, 's') ?? 0);
            hasFormula = false;
            formula = '';
            value = undefined;
            inline = '';
            inInlineSeen = false;
            break;
          }
          case 'f':
            hasFormula = true;
            reading = 'f';
            break;
          case 'v':
            reading = 'v';
            value = value ?? '';
            break;
          case 'is':
            inInline = true;
            inInlineSeen = true;
            break;
          case 'rPh':
            inPhonetic++;
            break;
          case 't':
            if (inInline && inPhonetic === 0) reading = 't';
            break;
        }
      },
      text: (text) => {
        if (reading === 'v') value += text;
        else if (reading === 'f') formula += text;
        else if (reading === 't') inline += text;
      },
      close: (name) => {
        switch (name) {
          case 'v':
          case 'f':
          case 't':
            reading = null;
            break;
          case 'rPh':
            inPhonetic--;
            break;
          case 'is':
            inInline = false;
            break;
          case 'c': {
            if (col < 1) break;
            const v = cellValue();
            while (cells.length < col - 1) cells.push(null);
            cells[col - 1] = v;
            break;
          }
          case 'row': {
            if (mergedRows.has(rowNumber)) {
              // As exceljs: every cell of a merged range gives the range's first cell's value.
              for (const m of merges) {
                if (rowNumber < m.top || rowNumber > m.bottom) continue;
                if (rowNumber === m.top) masters.set(m, cells[m.left - 1] ?? null);
                const master = masters.get(m) ?? null;
                while (cells.length < m.right) cells.push(null);
                for (let c = m.left; c <= m.right; c++) if (c !== m.left || rowNumber !== m.top) cells[c - 1] = master;
              }
            }
            if (!onRow({ rowNumber, cells })) stop.stopped = true;
            break;
          }
        }
      },
    },
    stop,
    'fast',
    onProgress && ((bytes) => onProgress((read += bytes), total)),
  );
}
