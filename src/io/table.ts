// Finding an input table (file or sheet), detecting its encoding and header row,
// and handing its data rows to a callback. CSV is streamed; memory does not grow with rows.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse } from 'csv-parse';
import ExcelJS from 'exceljs';
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
}

const HEADER_SEARCH_ROWS = 20;

/**
 * Reads a table: finds the header row among the first rows (title rows above it are
 * skipped), then calls onRow for every non-blank data row. Returns the header match,
 * or a problem when no header row is found.
 */
export async function readTable(
  source: SourceTable,
  spec: InputSpec,
  isHeader: HeaderTest,
  onRow: (row: DataRow, header: HeaderMatch) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<{ header?: HeaderMatch; problems: Problem[] }> {
  let header: HeaderMatch | undefined;
  let best: HeaderMatch | undefined;
  const accept = (row: DataRow): boolean => {
    if (header) {
      if (row.cells.some((c) => c !== null && c !== undefined && String(c).trim() !== '')) onRow(row, header);
      return true;
    }
    const m = matchHeader(row.cells, spec, row.rowNumber);
    if (isHeader(m)) header = m;
    else if (!best || m.columns.size > best.columns.size) best = m;
    return header !== undefined || row.rowNumber < HEADER_SEARCH_ROWS;
  };
  const problems: Problem[] = [];
  try {
    if (source.format === 'csv') await readCsvRows(source.path, accept, onProgress);
    else await readXlsxRows(source, accept);
  } catch (e) {
    problems.push({ file: source.file, sheet: source.sheet, message: `无法读取文件：${(e as Error).message}` });
    return { problems };
  }
  if (!header) {
    const missing = spec.columns.filter((c) => c.required && !best?.columns.has(c.key)).map((c) => c.header);
    problems.push({
      file: source.file,
      sheet: source.sheet,
      row: best?.headerRow,
      message: `在前${HEADER_SEARCH_ROWS}行中找不到表头行：缺少必填列 ${missing.join('、')}`,
    });
  }
  return { header, problems };
}

// ---- CSV ---------------------------------------------------------------------------

const SNIFF_BYTES = 1 << 20;

/** UTF-8 (with or without BOM) when the opening bytes are valid UTF-8, otherwise GB18030 (a superset of GBK). */
export async function detectCsvEncoding(path: string): Promise<'utf-8' | 'gb18030'> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
    const head = buf.subarray(0, bytesRead);
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: bytesRead === SNIFF_BYTES });
      return 'utf-8';
    } catch {
      return 'gb18030';
    }
  } finally {
    await handle.close();
  }
}

function decoderStream(encoding: string): Transform {
  const decoder = new TextDecoder(encoding, { fatal: encoding === 'utf-8' });
  return new Transform({
    readableObjectMode: false,
    transform(chunk: Buffer, _enc, done) {
      try {
        done(null, decoder.decode(chunk, { stream: true }));
      } catch {
        done(new Error('文件编码无法识别：既不是有效的 UTF-8，也不是 GBK/GB18030'));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(new Error('文件编码无法识别：结尾字符不完整'));
      }
    },
  });
}

async function readCsvRows(path: string, accept: (row: DataRow) => boolean, onProgress?: (done: number, total: number) => void) {
  const encoding = await detectCsvEncoding(path);
  const total = (await stat(path)).size;
  const input = createReadStream(path, { highWaterMark: 1 << 20 });
  let done = 0;
  if (onProgress) input.on('data', (chunk) => onProgress((done += chunk.length), total));
  let rowNumber = 0;
  const parser = parse({ bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
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

/** A cell's value as the plain types the parsers take. */
export function plainCellValue(value: ExcelJS.CellValue): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('result' in value) return plainCellValue((value.result ?? null) as ExcelJS.CellValue);
    if ('formula' in value || 'sharedFormula' in value) return null;
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

const workbookCache = new Map<string, Promise<ExcelJS.Workbook>>();

/** Workbooks are read once per run even when several inputs are sheets of one file. */
export function loadWorkbook(path: string): Promise<ExcelJS.Workbook> {
  let wb = workbookCache.get(path);
  if (!wb) {
    const workbook = new ExcelJS.Workbook();
    wb = workbook.xlsx.readFile(path).then(() => workbook);
    workbookCache.set(path, wb);
  }
  return wb;
}

export function forgetWorkbooks(): void {
  workbookCache.clear();
}

async function readXlsxRows(source: SourceTable, accept: (row: DataRow) => boolean) {
  const wb = await loadWorkbook(source.path);
  const ws = source.sheet ? wb.getWorksheet(source.sheet) : wb.worksheets[0];
  if (!ws) throw new Error(`找不到工作表「${source.sheet ?? ''}」`);
  for (let r = 1; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const cells: RawCell[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(plainCellValue(row.getCell(c).value));
    if (!accept({ cells, rowNumber: r })) break;
  }
}
