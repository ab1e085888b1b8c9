// Finding an input table (file or sheet), detecting its encoding and header row,
// and handing its data rows to a callback. CSV is streamed; memory does not grow with rows.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import { openXlsx, readXlsxSheet, type XlsxBook } from './xlsx-rows.js';
import type { Problem } from '../problems.js';
import type { ColumnSpec, InputSpec } from './input-spec.js';
import { toHalfWidth, type RawCell } from './values.js';

export interface SourceTable {
  path: string; // absolute path of the file
  file: string; // as shown to the officer (relative to the workspace)
  sheet?: string; // for xlsx
  format: 'csv' | 'xlsx';
}

/** A header as matched: whitespace and full-width forms folded, unit suffix split off. */
export interface HeaderCell {
  text: string; // as written
  name: string; // normalised, without unit
  unit: '' | '元' | '万元';
  index: number; // 0-based column index
}

export function normaliseHeader(text: string): { name: string; unit: HeaderCell['unit'] } {
  let s = toHalfWidth(text).replace(/\s+/g, '').replace(/^\*+|\*+$/g, '');
  let unit: HeaderCell['unit'] = '';
  const m = /^(.*?)[([]?(万元|元)[)\]]?$/.exec(s);
  if (m && m[1] && (s.endsWith(')') || s.endsWith(']') || s.endsWith('万元'))) {
    unit = m[2] as HeaderCell['unit'];
    s = m[1];
  }
  return { name: s.toLowerCase(), unit };
}

export function columnNames(col: ColumnSpec): string[] {
  return [col.header, ...col.aliases].map((h) => normaliseHeader(h).name);
}

export interface HeaderMatch {
  columns: Map<string, HeaderCell>; // spec key → header
  extras: HeaderCell[]; // headers that match no column
  headerRow: number; // 1-based
}

/** Matches a candidate header row against the spec; null when it is not a header row. */
export function matchHeader(cells: RawCell[], spec: InputSpec, rowNumber: number): HeaderMatch {
  const columns = new Map<string, HeaderCell>();
  const extras: HeaderCell[] = [];
  cells.forEach((raw, index) => {
    const text = raw === null || raw === undefined ? '' : String(raw).trim();
    if (text === '') return;
    const { name, unit } = normaliseHeader(text);
    const col = spec.columns.find((c) => columnNames(c).includes(name));
    const cell = { text, name, unit, index };
    if (col && !columns.has(col.key)) columns.set(col.key, cell);
    else extras.push(cell);
  });
  return { columns, extras, headerRow: rowNumber };
}

export type HeaderTest = (m: HeaderMatch) => boolean;

export const hasRequiredColumns =
  (spec: InputSpec): HeaderTest =>
  (m) =>
    spec.columns.every((c) => !c.required || m.columns.has(c.key));

export interface DataRow {
  cells: RawCell[];
  rowNumber: number; // 1-based, as a spreadsheet shows it
  /** Cells whose value could not be read (reported, never taken as blank). */
  unreadable?: UnreadableCell[];
}

const HEADER_SEARCH_ROWS = 20;

/**
 * Reads a table: finds the header row among the first rows (title rows above it are
 * skipped), then calls onRow for every non-blank data row. Problems are reported as they
 * are found (an unreadable cell before the row is handed on, so its cause is the message
 * kept for that cell); a file that cannot be read or has no header row is a root problem:
 * nothing of it can be checked further.
 */
export async function readTable(
  source: SourceTable,
  spec: InputSpec,
  isHeader: HeaderTest,
  onRow: (row: DataRow, header: HeaderMatch) => void,
  report: (p: Problem) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<{ header?: HeaderMatch }> {
  let header: HeaderMatch | undefined;
  let best: HeaderMatch | undefined;
  const accept = (row: DataRow): boolean => {
    if (header) {
      const h = header;
      for (const u of row.unreadable ?? []) {
        const column = [...h.columns.values(), ...h.extras].find((c) => c.index === u.index)?.text ?? `第${u.index + 1}列`;
        report({ file: source.file, sheet: source.sheet, row: row.rowNumber, column, message: u.reason });
      }
      if (row.unreadable || row.cells.some((c) => c !== null && c !== undefined && String(c).trim() !== '')) onRow(row, h);
      return true;
    }
    const m = matchHeader(row.cells, spec, row.rowNumber);
    if (isHeader(m)) header = m;
    else if (!best || m.columns.size > best.columns.size) best = m;
    return header !== undefined || row.rowNumber < HEADER_SEARCH_ROWS;
  };
  try {
    if (source.format === 'csv') await readCsvRows(source.path, accept, onProgress);
    else await readXlsxRows(source, accept, onProgress);
  } catch (e) {
    const message = e instanceof UnreadableFile ? e.message : `无法读取文件：${(e as Error).message}`;
    report({ file: source.file, sheet: source.sheet, message, root: true });
    return {};
  }
  if (!header) {
    const missing = spec.columns.filter((c) => c.required && !best?.columns.has(c.key)).map((c) => c.header);
    report({
      file: source.file,
      sheet: source.sheet,
      row: best?.headerRow,
      message: `在前${HEADER_SEARCH_ROWS}行中找不到表头行：缺少必填列 ${missing.join('、')}`,
      root: true,
    });
  }
  return { header };
}

// ---- CSV ---------------------------------------------------------------------------

const SNIFF_BYTES = 1 << 20;

/** Bytes read from a CSV at a time: below Node's threshold for external strings (see readCsvRows). */
const CSV_CHUNK_BYTES = 512 << 10;

export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** What a file's opening bytes say it is, when that is not a text CSV. */
function containerOf(head: Buffer): 'zip' | 'cfb' | 'empty' | null {
  if (head.length === 0) return 'empty';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) return 'cfb';
  return null;
}

/** Why a file cannot be read as what its extension says, in words an officer can act on. */
export class UnreadableFile extends Error {}

/**
 * The encoding of a CSV: a BOM decides (UTF-8, UTF-16 LE/BE: what Excel's "Unicode text"
 * saves); otherwise UTF-8 when the bytes are valid UTF-8, else GB18030 (a superset of GBK).
 * The decision is made on the first stretch that holds a non-ASCII byte, however far into
 * the file it is: a file whose first megabyte is plain ASCII is not guessed from it.
 */
export async function detectCsvEncoding(path: string): Promise<CsvEncoding> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, position);
      const chunk = buf.subarray(0, bytesRead);
      if (position === 0) {
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return 'utf-8';
        if (chunk[0] === 0xff && chunk[1] === 0xfe) return 'utf-16le';
        if (chunk[0] === 0xfe && chunk[1] === 0xff) return 'utf-16be';
        const container = containerOf(chunk);
        if (container === 'zip') throw new UnreadableFile('这是一个 xlsx（或其他压缩包）文件，不是 CSV：请把扩展名改为 .xlsx');
        if (container === 'cfb') throw new UnreadableFile('这是一个旧版 Excel（.xls）或加密的文件，不是 CSV：请在 Excel 中另存为 CSV 或 .xlsx');
        if (chunk.subarray(0, 4096).includes(0)) throw new UnreadableFile('文件含有二进制内容（0 字节），不是文本 CSV：请在 Excel 中另存为 CSV 或 .xlsx');
      }
      const firstHigh = chunk.findIndex((b) => b >= 0x80);
      if (firstHigh >= 0) {
        // Judge from the first non-ASCII byte on, cut back to a line start so no character is split at the front.
        const from = Math.max(0, chunk.lastIndexOf(0x0a, firstHigh) + 1);
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(from), { stream: bytesRead === SNIFF_BYTES });
          return 'utf-8';
        } catch {
          return 'gb18030';
        }
      }
      if (bytesRead < SNIFF_BYTES) return 'utf-8'; // plain ASCII throughout
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

const ENCODING_NAMES: Record<CsvEncoding, string> = { 'utf-8': 'UTF-8', gb18030: 'GBK/GB18030', 'utf-16le': 'UTF-16', 'utf-16be': 'UTF-16' };

export function encodingName(encoding: string): string {
  return ENCODING_NAMES[encoding as CsvEncoding] ?? encoding;
}

function decoderStream(encoding: CsvEncoding): Transform {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const fail = () => new UnreadableFile(`文件编码无法识别：按 ${encodingName(encoding)} 解码时遇到无效字节。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”`);
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(fail());
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(fail());
      }
    },
  });
}

/**
 * The field delimiter: a comma, or a tab when the opening lines are tab-separated (Excel's
 * "Unicode text" and many exports named .csv). Counted outside quotes.
 */
export function sniffDelimiter(text: string): ',' | '\t' {
  let tabs = 0;
  let commas = 0;
  let quoted = false;
  let lines = 0;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === '\t') tabs += 1;
    else if (!quoted && ch === ',') commas += 1;
    else if (!quoted && ch === '\n' && ++lines >= 20) break;
  }
  return tabs > commas ? '\t' : ',';
}

async function openingText(path: string, encoding: CsvEncoding): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return new TextDecoder(encoding).decode(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

async function readCsvRows(path: string, accept: (row: DataRow) => boolean, onProgress?: (done: number, total: number) => void) {
  const encoding = await detectCsvEncoding(path);
  const delimiter = sniffDelimiter(await openingText(path, encoding));
  const total = (await stat(path)).size;
  // Chunks under a megabyte: Node makes a decoded text of 1,031,913 characters or more an
  // external string, and each 64 MB of those starts a full collection of the whole heap
  // (every 3 s while 指标得分 is read at national scale).
  const input = createReadStream(path, { highWaterMark: CSV_CHUNK_BYTES });
  let done = 0;
  if (onProgress) input.on('data', (chunk) => onProgress((done += chunk.length), total));
  let rowNumber = 0;
  // Every line end counts, whatever the first line used: a CRLF file with one bare LF (a
  // line pasted in by another tool) must not merge two records into one field.
  const parser = parse({ bom: true, delimiter, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  const sink = new Transform({
    objectMode: true,
    transform(record: string[], _enc, next) {
      rowNumber += 1;
      accept({ cells: record, rowNumber });
      next();
    },
  });
  sink.resume();
  await pipeline(input, decoderStream(encoding), parser, sink);
}

// ---- xlsx --------------------------------------------------------------------------

/** A cell the reader cannot take a value from: a formula never calculated, an error value. */
export interface UnreadableCell {
  index: number;
  reason: string;
}

const workbookCache = new Map<string, Promise<XlsxBook>>();

/** Why an xlsx could not be opened, from its opening bytes. */
async function workbookProblem(path: string, cause: unknown): Promise<UnreadableFile> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const container = containerOf(head.subarray(0, bytesRead));
    if (container === 'empty') return new UnreadableFile('文件是空的（0 字节）：请重新导出');
    if (container === 'zip') return new UnreadableFile('xlsx 文件已损坏或不完整（可能没有下载或复制完）：请重新导出或在 Excel 中打开后另存');
    if (container === 'cfb') return new UnreadableFile('这是旧版 Excel（.xls）文件或加密的文件：请在 Excel 中另存为不加密的 .xlsx');
    return new UnreadableFile(`这不是 xlsx 文件（内容像是文本或 CSV）：若是 CSV，请把扩展名改为 .csv（${(cause as Error).message.split('\n')[0] ?? ''}）`);
  } finally {
    await handle.close();
  }
}

/**
 * Workbooks are opened once per run even when several inputs are sheets of one file (the
 * zip and its list of sheets; rows are streamed when read). Rejects with UnreadableFile
 * when the file is no xlsx.
 */
export function loadWorkbook(path: string): Promise<XlsxBook> {
  let wb = workbookCache.get(path);
  if (!wb) {
    wb = openXlsx(path).catch(async (e: unknown) => Promise.reject(await workbookProblem(path, e)));
    workbookCache.set(path, wb);
  }
  return wb;
}

/** Closes the workbooks opened in this run (their files stay open while inputs are read). */
export function forgetWorkbooks(): void {
  for (const book of workbookCache.values()) book.then((b) => b.zip.close(), () => undefined);
  workbookCache.clear();
}

async function readXlsxRows(source: SourceTable, accept: (row: DataRow) => boolean, onProgress?: (done: number, total: number) => void) {
  const book = await loadWorkbook(source.path);
  const sheet = source.sheet ? book.sheets.find((s) => s.name === source.sheet) : book.sheets[0];
  if (!sheet) throw new UnreadableFile(`找不到工作表「${source.sheet ?? ''}」`);
  await readXlsxSheet(book, sheet, (row) => {
    const cells: RawCell[] = [];
    const unreadable: UnreadableCell[] = [];
    row.cells.forEach((v, index) => {
      if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
        unreadable.push({ index, reason: v.unreadable });
        cells.push(null);
      } else cells.push(v);
    });
    return accept({ cells, rowNumber: row.rowNumber, ...(unreadable.length ? { unreadable } : {}) });
  }, onProgress);
}
