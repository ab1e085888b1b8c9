// Printable sheets (SPEC §6): a title, a frozen header, widths that fit Chinese text,
// #,##0.00 money, totals rows, A4 landscape with repeating titles. One place for all workbooks.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { writeFile } from 'node:fs/promises';
import { PassThrough } from 'node:stream';
import { PlainRowWriter, columnLetter } from './plain-rows.js';
import { eachShownValue, lineRows, lineRowCount, type LineRowsTable } from './line-rows.js';
import { LINE_HEIGHT, displayWidth, linesFor, rowHeight, wrappedLines } from './text-width.js';
import { DeflateThread } from './deflate-thread.js';
import { FileSink, MemorySink, zipInto, type ZipSink } from './xlsx-zip.js';
import type { OnProgress } from '../progress.js';

export { displayWidth } from './text-width.js';

export type ColumnKind = 'text' | 'code' | 'money' | 'score' | 'int' | 'percent';

export interface ColumnDef {
  header: string;
  kind: ColumnKind;
  wrap?: boolean; // long text: a narrower column whose cells wrap
}

/** Widest a column gets before its text wraps (characters; a CJK character counts two). */
const MAX_WIDTH = 48;
const WRAP_WIDTH = 30;
/** Headers wider than this are printed on two lines. */
const HEADER_WRAP_FROM = 12;

/** One font, named everywhere: a style without a name falls back to a serif in some viewers. */
const FONT: Partial<ExcelJS.Font> = { name: 'Calibri', family: 2, size: 11 };
const BOLD: Partial<ExcelJS.Font> = { ...FONT, bold: true };

export type Cell = string | number | null;

const FORMATS: Record<ColumnKind, string | undefined> = {
  text: undefined,
  code: '@',
  money: '#,##0.00',
  score: '0.00',
  int: '0',
  percent: '0.00%',
};

const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin', color: { argb: 'FFB0B0B0' } },
  bottom: { style: 'thin', color: { argb: 'FFB0B0B0' } },
  left: { style: 'thin', color: { argb: 'FFB0B0B0' } },
  right: { style: 'thin', color: { argb: 'FFB0B0B0' } },
};

/** Row fills: header, subtotal, grand total, and a figure that must be looked at. */
export const FILLS = {
  header: 'FFDDEBF7',
  subtotal: 'FFF2F2F2',
  total: 'FFE2EFDA',
  alarm: 'FFFFC7CE',
} as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Text for a cell (SPEC §6: text that starts with = + - @ is written as text, never as a
 * formula). In a workbook a string value is always a text cell — exceljs writes a formula
 * only from {formula} — so the text is kept as is; in a CSV, which a spreadsheet re-parses,
 * such text is prefixed with a single quote (the OWASP CSV-injection rule; tab and CR too),
 * except a plain number (a negative amount), which no spreadsheet reads as a formula.
 */
export function safeText(value: string, target: 'xlsx' | 'csv' = 'xlsx'): string {
  return target === 'csv' && FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** A negative amount such as -1200.00 is a number to a spreadsheet, never a formula: left as it is. */
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * A sheet name Excel accepts: no * ? : \ / [ ], no ' at either end, at most 31 characters,
 * unique in the workbook (case-insensitively). Category names come from the policy file,
 * which officers edit; a name Excel refuses would make the whole workbook unreadable.
 */
export function sheetName(wanted: string, taken: readonly string[]): string {
  const base = [...wanted.replace(/[*?:\\/[\]]/g, '_').replace(/^'+|'+$/g, '').trim()].slice(0, 31).join('') || 'Sheet';
  const used = new Set(taken.map((t) => t.toLowerCase()));
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) {
    const suffix = `(${i})`;
    name = [...base].slice(0, 31 - suffix.length).join('') + suffix;
  }
  return name;
}

/**
 * A long header is printed on two lines, broken before its bracket (暂扣保证金 / （元）) or
 * else at its middle, so that a column of short numbers is not widened by its header.
 */
export function headerLines(header: string): string[] {
  if (displayWidth(header) <= HEADER_WRAP_FROM || header.includes('\n')) return header.split('\n');
  const chars = [...header];
  let cut = chars.findIndex((c, i) => i > 1 && (c === '（' || c === '('));
  if (cut < 0) {
    const half = displayWidth(header) / 2;
    let w = 0;
    cut = chars.findIndex((c) => (w += displayWidth(c)) >= half) + 1;
  }
  return [chars.slice(0, cut).join(''), chars.slice(cut).join('')];
}

/** The date a year's workbooks carry, instead of the wall clock: reruns give the same bytes. */
const fixedDate = (year: number) => new Date(Date.UTC(year + 1, 0, 1));

/** An in-memory workbook whose metadata does not carry the wall clock (input templates). */
export function newWorkbook(year: number): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'assess';
  wb.lastModifiedBy = 'assess';
  wb.created = wb.modified = wb.lastPrinted = fixedDate(year);
  return wb;
}

export interface SheetOptions {
  name: string; // sheet tab (≤ 31 characters; made acceptable to Excel and unique)
  title: string; // printed above the header
  subtitle?: string;
  columns: ColumnDef[];
  /** A lookup sheet too long to print (one row per institution × indicator): no cell borders. */
  plain?: boolean;
  /**
   * A wide sheet printed over this many pages across (default 1: the whole width on a page),
   * with its first `repeatColumns` columns on every page — 12 months do not fit A4 at a
   * readable size.
   */
  pagesWide?: number;
  repeatColumns?: number;
}

export interface RowStyle {
  bold?: boolean;
  fill?: string;
}

type DataRow = { kind: 'data'; values: Cell[]; bold?: boolean; fill?: string };
type BufferedRow = DataRow | { kind: 'note'; text: string } | { kind: 'sign'; text: string };

/** A row a row source yields: its values, or its values with a style (a subtotal). */
export type SourcedRow = Cell[] | { values: Cell[]; style: RowStyle };

/**
 * Rows made on demand (`PrintableSheet.addRows`): the source is run once to measure the
 * rows and again to write them, so a detail sheet of millions of rows is never held.
 */
interface RowSource {
  kind: 'source';
  rows: () => Iterable<SourcedRow>;
  count: number;
}

/** Rows held as a table (`PrintableSheet.addTable`): walked to measure them, made on a thread where the sheet is deflated on one. */
interface TableSource {
  kind: 'table';
  table: LineRowsTable;
  count: number;
}

/** Rows of a table handed on at once (to the thread that deflates the sheet). */
type TableRun = { kind: 'run'; table: LineRowsTable; first: number; count: number };

/**
 * A sheet's rows in order, for writing: a row source's made again, a table's one by one
 * or, where asked, a run of them at once.
 */
class RowCursor {
  private index = 0;
  private source: Iterator<SourcedRow> | null = null;
  /** The next row of the table at `index`, and its rows one by one from there (once asked for one). */
  private tableRow = 0;
  private tableRows: Iterator<Cell[]> | null = null;

  constructor(
    private readonly rows: readonly (BufferedRow | RowSource | TableSource)[],
    private readonly dataRow: (values: Cell[], style?: RowStyle) => DataRow,
  ) {}

  /** The next row; where `run` > 0 and the next rows are a table's, up to `run` of them at once. Null after the last. */
  next(run = 0): BufferedRow | TableRun | null {
    for (;;) {
      const r = this.rows[this.index];
      if (!r) return null;
      if (r.kind === 'source') {
        this.source ??= r.rows()[Symbol.iterator]();
        const n = this.source.next();
        if (!n.done) return Array.isArray(n.value) ? this.dataRow(n.value) : this.dataRow(n.value.values, n.value.style);
        this.source = null;
      } else if (r.kind === 'table') {
        if (this.tableRow < r.count && run > 0) {
          const first = this.tableRow;
          const count = Math.min(run, r.count - first);
          this.tableRow += count;
          this.tableRows = null;
          return { kind: 'run', table: r.table, first, count };
        }
        if (this.tableRow < r.count) {
          this.tableRows ??= lineRows(r.table, this.tableRow);
          const n = this.tableRows.next();
          this.tableRow += 1;
          if (!n.done) return this.dataRow(n.value);
        }
        this.tableRow = 0;
        this.tableRows = null;
      } else {
        this.index += 1;
        return r;
      }
      this.index += 1;
    }
  }
}

/** Rows between handing the written XML on to the zip (and waiting while it is too far behind), and between progress reports. */
const PACE_EVERY = 2_000;
const REPORT_EVERY = 20_000;
/** Bytes of XML a sheet may run ahead of zlib (little: see DEFLATE_AHEAD in xlsx-zip.ts). */
const ZIP_AHEAD = 1 << 20;
/** Rows of a workbook from which its sheets are deflated on a worker thread (starting one takes a few tens of milliseconds). */
const DEFLATE_THREAD_FROM_ROWS = 20_000;

/** The most rows a sheet may have: Excel's limit, and LibreOffice's. */
export const SHEET_MAX_ROWS = 1_048_576;

/**
 * A printable workbook. Sheets keep their rows as plain values while they are filled (far
 * lighter than spreadsheet cells), and `file` streams them out one sheet after another, so
 * memory stays with the plain values even for tens of thousands of institutions.
 *
 * A sheet with more rows than a sheet can hold is written as numbered sheets (名称-1,
 * 名称-2, …), each with the title, which says which part it is, and the header: an office
 * opens one workbook as before, and each part filters, sorts and prints on its own.
 */
export class PrintBook {
  readonly sheets: PrintableSheet[] = [];
  /**
   * @param maxRows rows a sheet holds, title and header included (smaller only in tests).
   * @param plainRows how plain data rows are written: as their XML (PlainRowWriter), or each
   *   through exceljs' row and cell objects (the same bytes, slower: tests compare the two).
   */
  constructor(
    readonly year: number,
    readonly maxRows: number = SHEET_MAX_ROWS,
    readonly plainRows: 'xml' | 'exceljs' = 'xml',
    /** The zip container: written as it goes (XlsxZip), or archiver's re-zipped with JSZip (the same bytes: tests compare). */
    readonly zip: 'lean' | 'rezip' = 'lean',
    /**
     * Where XlsxZip deflates the sheets: on a worker thread from DEFLATE_THREAD_FROM_ROWS
     * rows ('auto'), or as tests ask (the same bytes either way).
     */
    readonly deflate: 'auto' | 'thread' | 'here' = 'auto',
  ) {}

  /** Told of the rows of a sheet's row source measured so far (synchronous: a terminal bar redraws as it goes). */
  onMeasure?: (sheet: string, done: number, total: number) => void;

  /**
   * Told each time rows are handed to the thread that deflates the workbook, to be made
   * there while this thread goes on: what is written after them waits for them, so the
   * caller may write other files meanwhile (the workbook's `writeFile` resolves once all is written).
   */
  onRowsOnThread?: () => void;

  /** The workbook's bytes; `onProgress` is told of the rows written (named by the file). */
  async file(name: string, onProgress?: OnProgress): Promise<{ name: string; content: Buffer }> {
    const sink = new MemorySink();
    const rezip = await this.write(name, sink, onProgress);
    return { name, content: rezip ? await rezip() : sink.content };
  }

  /** Writes the workbook to `path` as it is made: a large workbook is never held in memory. */
  async writeFile(path: string, name: string, onProgress?: OnProgress): Promise<void> {
    const sink = await FileSink.create(path);
    try {
      const rezip = await this.write(name, sink, onProgress);
      if (rezip) await writeFile(path, await rezip());
    } finally {
      await sink.close();
    }
  }

  /**
   * Streams the sheets through exceljs into `sink`, in the container XlsxZip writes. Where
   * this exceljs cannot take it (or a test asks for `zip: 'rezip'`), archiver's output is
   * collected instead and the returned function re-zips it with the fixed date.
   */
  private async write(name: string, sink: ZipSink, onProgress?: OnProgress): Promise<(() => Promise<Buffer>) | null> {
    const out = new PassThrough();
    const date = fixedDate(this.year);
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    wb.creator = 'assess';
    wb.lastModifiedBy = 'assess';
    wb.created = wb.modified = wb.lastPrinted = date;
    const total = this.sheets.reduce((a, s) => a + s.rowCount, 0);
    const onThread = this.zip === 'lean' && (this.deflate === 'thread' || (this.deflate === 'auto' && total >= DEFLATE_THREAD_FROM_ROWS));
    const thread = onThread ? DeflateThread.start() : null;
    try {
      const lean = this.zip === 'lean' ? zipInto(wb, sink, date, thread) : null;
      const chunks: Buffer[] = [];
      if (!lean) out.on('data', (chunk: Buffer) => chunks.push(chunk));
      else out.resume();
      const taken = this.sheets.map((s) => s.name);
      let written = 0;
      const progress = onProgress && ((rows: number) => onProgress(name, (written += rows), total, 'rows'));
      // Rows are made while zlib deflates what is written, never far ahead of it (below).
      // A turn of the event loop each time: zlib's results come back through it.
      const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
      const pace = lean ? () => turn().then(() => lean.below(ZIP_AHEAD)) : turn;
      for (const sheet of this.sheets) await sheet.writeTo(wb, this.maxRows, taken, this.plainRows, pace, progress);
      await wb.commit();
      return lean ? null : () => redate(Buffer.concat(chunks), date);
    } finally {
      await thread?.stop();
    }
  }
}

/** A sheet being filled: rows are added in order; widths follow the content. */
export class PrintableSheet {
  readonly name: string;
  private readonly rows: (BufferedRow | RowSource | TableSource)[] = [];
  private readonly widths: number[];
  /** Per column, the value measured last: a detail sheet repeats an institution's code and name, a category, on row after row. */
  private readonly lastMeasured: unknown[] = [];
  private count = 0;

  constructor(private readonly book: PrintBook, private readonly opts: SheetOptions) {
    this.name = sheetName(opts.name, book.sheets.map((s) => s.name));
    this.widths = opts.columns.map((c) => Math.max(...headerLines(c.header).map(displayWidth)) + 2);
    book.sheets.push(this);
  }

  /** Adds a data row. Strings are always written as plain text cells, never as formulas. */
  add(values: Cell[], style: RowStyle = {}): void {
    this.measure(values);
    this.rows.push(this.dataRow(values, style));
    this.count += 1;
  }

  /**
   * Adds the rows `rows()` yields, in order, without keeping them: it is called now to
   * measure them (widths, count) and again when the workbook is written, and must yield
   * the same rows both times (a pure function of the plan). For the sheets of one row per
   * institution or per indicator. `expected`, the rows it will yield, is only the total of
   * the progress shown while they are measured (PrintBook.onMeasure).
   */
  addRows(rows: () => Iterable<SourcedRow>, expected?: number): void {
    let count = 0;
    const onMeasure = expected ? this.book.onMeasure : undefined;
    for (const row of rows()) {
      this.measure(Array.isArray(row) ? row : row.values);
      if (++count % REPORT_EVERY === 0) onMeasure?.(this.name, count, expected ?? count);
    }
    this.rows.push({ kind: 'source', rows, count });
    this.count += count;
  }

  /** Tells the progress of a table being made for the sheet (`done` of `total` rows), as its measuring would (PrintBook.onMeasure). */
  making(done: number, total: number): void {
    this.book.onMeasure?.(this.name, done, total);
  }

  /**
   * Adds the rows of a table (one per institution and line, line-rows.ts), measured now by
   * the values it shows. Its texts are written as they are (codes as text: give them as strings).
   * Where the workbook is large enough to be deflated on a thread, that thread makes the
   * rows itself while this one goes on.
   */
  addTable(table: LineRowsTable): void {
    const count = lineRowCount(table);
    // Each value a column shows measured once (the widths are the widest's), not row by row.
    eachShownValue(table, (cells) => this.measure(cells));
    this.rows.push({ kind: 'table', table, count });
    this.count += count;
  }

  /** Widens the columns to a data row's values as written (a row source's rows are measured, not kept). */
  private measure(values: readonly Cell[]): void {
    const { columns } = this.opts;
    const last = this.lastMeasured;
    for (let i = 0; i < columns.length; i++) {
      const v = values[i];
      if (v === null || v === undefined || v === last[i]) continue; // the same value again: no wider
      last[i] = v;
      const kind = columns[i]?.kind ?? 'text';
      // As dataRow writes it: a code, or any string, as text.
      const shown = typeof v === 'string' || kind === 'code' ? displayWidth(safeText(String(v))) : formatForWidth(v, kind);
      if (shown + 2 > (this.widths[i] ?? 0)) this.widths[i] = shown + 2;
    }
  }

  /** A data row as written (its widths measured by `measure`). */
  private dataRow(values: Cell[], style: RowStyle = {}): DataRow {
    const row = this.opts.columns.map((col, i): Cell => {
      const v = values[i];
      if (v === null || v === undefined) return null;
      // Codes stay text: Excel keeps only 15 significant digits of a number (SPEC §3).
      if (typeof v === 'string' || col.kind === 'code') return safeText(String(v));
      return v;
    });
    // Fields written out (a spread copy is several times larger, and a detail sheet has millions of rows).
    return style.bold || style.fill ? { kind: 'data', values: row, bold: style.bold, fill: style.fill } : { kind: 'data', values: row };
  }

  /** A totals (or subtotal) row: bold on a light fill. Its figures are summed by the caller, in fen. */
  total(values: Cell[], fill: string = FILLS.total): void {
    this.add(values, { bold: true, fill });
  }

  /** A free note below the table (e.g. the policy article the sheet applies). */
  note(text: string): void {
    this.rows.push({ kind: 'note', text: safeText(text) });
    this.count += 1;
  }

  /** A line of the sign-off block at the foot of a sheet an office signs: plain black text, room to write. */
  sign(text: string): void {
    this.rows.push({ kind: 'sign', text: safeText(text) });
    this.count += 1;
  }

  /** Rows added so far (data, notes and sign-off lines). */
  get rowCount(): number {
    return this.count;
  }

  /**
   * Streams the sheet, or its numbered parts when its rows do not fit one sheet of `maxRows`
   * rows (the parts' names are added to `taken`, the names in the workbook).
   */
  async writeTo(wb: ExcelJS.stream.xlsx.WorkbookWriter, maxRows: number, taken: string[], plainRows: 'xml' | 'exceljs', pace: () => Promise<void>, onRows?: (rows: number) => void): Promise<void> {
    const headerRow = this.opts.subtitle ? 3 : 2;
    const perPart = maxRows - headerRow;
    const rows = new RowCursor(this.rows, (values, style) => this.dataRow(values, style));
    if (this.count <= perPart) await this.writePart(wb, this.name, this.opts.title, rows, this.count, plainRows, pace, onRows);
    else await this.writeParts(wb, rows, perPart, taken, plainRows, pace, onRows);
    if (rows.next() !== null) throw new Error(`sheet ${this.name}: a row source yielded more rows than it was measured with`);
  }

  private async writeParts(wb: ExcelJS.stream.xlsx.WorkbookWriter, rows: RowCursor, perPart: number, taken: string[], plainRows: 'xml' | 'exceljs', pace: () => Promise<void>, onRows?: (rows: number) => void): Promise<void> {
    const parts = Math.ceil(this.count / perPart);
    for (let k = 0; k < parts; k++) {
      const suffix = `-${k + 1}`;
      const name = sheetName([...this.name].slice(0, 31 - suffix.length).join('') + suffix, taken);
      taken.push(name);
      const partRows = Math.min(perPart, this.count - k * perPart);
      await this.writePart(wb, name, `${this.opts.title}（第 ${k + 1} 部分，共 ${parts} 部分）`, rows, partRows, plainRows, pace, onRows);
    }
  }

  /** Streams one sheet: title, frozen header, the next `count` of `rows`, A4 landscape with repeating titles. */
  private async writePart(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, title: string, rows: RowCursor, count: number, plainRows: 'xml' | 'exceljs', pace: () => Promise<void>, onRows?: (rows: number) => void): Promise<void> {
    const { opts } = this;
    const n = opts.columns.length;
    const headerRow = opts.subtitle ? 3 : 2;
    const ws = wb.addWorksheet(name, {
      views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0, topLeftCell: `A${headerRow + 1}`, activeCell: `A${headerRow + 1}` }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: opts.pagesWide ?? 1,
        fitToHeight: 0,
        horizontalCentered: true,
        margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
        printTitlesRow: `1:${headerRow}`,
        ...(opts.repeatColumns ? { printTitlesColumn: `A:${columnLetter(opts.repeatColumns)}` } : {}),
      },
      headerFooter: { oddFooter: '&C第 &P 页，共 &N 页', evenFooter: '&C第 &P 页，共 &N 页' },
    });
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: n } };

    // Widths from the content, capped; text wider than its cap wraps, and its row is made tall enough.
    const widths = opts.columns.map((col, i) => Math.min(Math.max(this.widths[i] ?? 0, 6), col.wrap ? WRAP_WIDTH : MAX_WIDTH));
    const wraps = opts.columns.map((col, i) => (col.kind === 'text' || col.kind === 'code') && (this.widths[i] ?? 0) > (widths[i] ?? 0));
    const wrapping = wraps.flatMap((w, i) => (w ? [i] : []));
    const tableWidth = widths.reduce((a, b) => a + b, 0);

    // Formats and alignment live on the columns, so cells share them instead of each carrying its own.
    // Every property here is looked up for every cell when the file is written: the body font is
    // the workbook's default (Calibri 11, as FONT), text keeps the default alignment.
    const columnStyles = opts.columns.map((col, i) => {
      const style: Partial<ExcelJS.Style> = {};
      const fmt = FORMATS[col.kind];
      if (fmt) style.numFmt = fmt;
      if (wraps[i]) style.alignment = { vertical: 'middle', wrapText: true };
      else if (col.kind !== 'text' && col.kind !== 'code') style.alignment = { horizontal: 'right' }; // 待定 in a score column
      if (!opts.plain) style.border = BORDER;
      return Object.freeze(style);
    });
    ws.columns = opts.columns.map((_col, i) => ({ width: widths[i] ?? 6, style: columnStyles[i] ?? {} }));
    // In a tall row (wrapped text) the other cells are centred vertically too.
    const tallStyles = columnStyles.map((style, i) => (wraps[i] ? style : Object.freeze({ ...style, alignment: { ...style.alignment, vertical: 'middle' as const } })));

    const banner = (text: string, font: Partial<ExcelJS.Font>, lineHeight: number) => {
      const row = ws.addRow([text]);
      ws.mergeCells(row.number, 1, row.number, n);
      row.font = font;
      // A merged cell never grows by itself: a banner wider than the table wraps onto more lines.
      row.height = lineHeight * linesFor(displayWidth(text) * ((font.size ?? 11) / 11), tableWidth);
      row.eachCell({ includeEmpty: true }, (cell) => {
        cell.border = {};
        cell.numFmt = 'General';
        // Printed over several pages across, a centred title would be split between them: it starts at the left.
        cell.alignment = { horizontal: (opts.pagesWide ?? 1) > 1 ? 'left' : 'center', vertical: 'middle', wrapText: true };
      });
      row.commit();
    };
    banner(title, { ...BOLD, size: 14 }, 24);
    if (opts.subtitle) banner(opts.subtitle, { ...FONT, size: 10, color: { argb: 'FF555555' } }, LINE_HEIGHT);

    const headerTexts = opts.columns.map((c) => headerLines(c.header));
    const header = ws.addRow(headerTexts.map((lines) => lines.join('\n')));
    header.font = BOLD;
    const headerLineCount = Math.max(...headerTexts.map((lines, i) => lines.reduce((a, l) => a + linesFor(displayWidth(l), widths[i] ?? 6), 0)), 1);
    header.height = LINE_HEIGHT * headerLineCount + 4;
    header.eachCell((cell) => {
      cell.numFmt = 'General';
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILLS.header } };
      cell.border = BORDER;
    });
    header.commit();

    const plain = plainRows === 'xml' ? PlainRowWriter.for(ws, n, PLAIN_ROW) : null;
    // A table's rows are made by the thread that deflates the sheet, where there is one.
    const tableOnThread = plain !== null && plain.tableOnThread();
    let unreported = 0;
    for (let k = 0; k < count; k++) {
      const r = rows.next(tableOnThread ? count - k : 0);
      if (r === null) throw new Error(`sheet ${name}: a row source yielded fewer rows than it was measured with`);
      if (r.kind === 'run') {
        plain?.writeTableOnThread(r.table, r.first, r.count, columnStyles, wrapping.length > 0 ? { styles: tallStyles, wrapping, widths } : null, onRows);
        this.book.onRowsOnThread?.();
        k += r.count - 1;
        continue;
      }
      if (++unreported % PACE_EVERY === 0) {
        // What is written goes on to the zip, which deflates it on the thread pool while rows are made.
        plain?.flush();
        await pace();
        if (unreported === REPORT_EVERY) {
          onRows?.(unreported);
          unreported = 0;
        }
      }
      if (r.kind !== 'data' || r.bold || r.fill) plain?.flush(); // rows are written in order
      if (r.kind === 'sign') {
        const row = ws.addRow([r.text]);
        ws.mergeCells(row.number, 1, row.number, n);
        row.font = FONT;
        row.height = 28;
        row.eachCell({ includeEmpty: true }, (cell) => {
          cell.border = {};
          cell.numFmt = 'General';
          cell.alignment = { horizontal: 'left', vertical: 'bottom' };
        });
        row.commit();
        continue;
      }
      if (r.kind === 'note') {
        const row = ws.addRow([r.text]);
        ws.mergeCells(row.number, 1, row.number, n);
        row.font = { ...FONT, size: 9, color: { argb: 'FF555555' } };
        const lines = linesFor(displayWidth(r.text) * (9 / 11), tableWidth);
        if (lines > 1) row.height = 12 * lines + 2;
        row.eachCell({ includeEmpty: true }, (cell) => {
          cell.border = {};
          cell.numFmt = 'General';
          cell.alignment = { horizontal: 'left', vertical: 'top', wrapText: true };
        });
        row.commit();
        continue;
      }
      const lines = wrappedLines(r.values, wrapping, widths);
      if (plain && !r.bold && !r.fill) {
        plain.write(r.values, lines > 1 ? tallStyles : columnStyles, rowHeight(lines));
        continue;
      }
      const row = ws.addRow(r.values);
      const height = rowHeight(lines);
      if (height) row.height = height;
      if (!r.bold && !r.fill) {
        // A plain row: each cell takes its column's style object itself, never to be changed, so
        // exceljs finds the style by identity instead of rebuilding it for every cell (most of
        // the time a large sheet took to write). Blank cells too: they keep the column's borders.
        (row as unknown as { style: Partial<ExcelJS.Style> }).style = PLAIN_ROW; // not in the typings
        (lines > 1 ? tallStyles : columnStyles).forEach((style, i) => (row.getCell(i + 1).style = style));
        row.commit();
        continue;
      }
      if (r.bold) row.font = BOLD;
      if (lines > 1) {
        opts.columns.forEach((_col, i) => {
          if (wraps[i]) return;
          const cell = row.getCell(i + 1);
          cell.alignment = { ...cell.alignment, vertical: 'middle' };
        });
      }
      if (r.fill) {
        const fill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: r.fill } };
        for (let i = 1; i <= n; i++) row.getCell(i).fill = fill;
      }
      row.commit();
    }
    plain?.flush();
    if (unreported > 0) onRows?.(unreported);
    ws.commit();
  }
}


/** The style of a plain row: shared, never changed (frozen, so a change would throw rather than restyle every row). */
const PLAIN_ROW: Partial<ExcelJS.Style> = Object.freeze({});

/** Characters a number takes when shown in its column format (cheap: no locale formatting). */
function formatForWidth(v: number, kind: ColumnKind): number {
  if (kind === 'money') {
    const digits = String(Math.floor(Math.abs(v))).length;
    return digits + Math.floor((digits - 1) / 3) + 3 + (v < 0 ? 1 : 0); // 1,234,567.89
  }
  if (kind === 'percent') return 7; // 100.00%
  if (kind === 'score') return String(Math.floor(Math.abs(v))).length + 3 + (v < 0 ? 1 : 0);
  return String(v).length;
}

/** Fen to the yuan number a money cell shows (display only: sums are made in fen). */
export const yuanCell = (fen: number | null): number | null => (fen === null ? null : fen / 100);

/**
 * The zip behind an xlsx carries the wall clock on every entry, and exceljs offers no way
 * to set it: the entries are re-dated (their compressed data is reused as is) so that a
 * rerun gives the same bytes and the manifest's hashes stay the same (SPEC §7).
 */
async function redate(xlsx: Buffer | ArrayBuffer, date: Date): Promise<Buffer> {
  const zip = await JSZip.loadAsync(xlsx);
  for (const entry of Object.values(zip.files)) entry.date = date;
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } });
}

/** The bytes of an in-memory workbook (input templates). */
export async function workbookFile(wb: ExcelJS.Workbook, name: string): Promise<{ name: string; content: Buffer }> {
  return { name, content: await redate(await wb.xlsx.writeBuffer(), wb.modified ?? new Date(0)) };
}
