// Printable sheets (SPEC §6): a title, a frozen header, widths that fit Chinese text,
// #,##0.00 money, totals rows, A4 landscape with repeating titles. One place for all workbooks.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { PassThrough } from 'node:stream';

export type ColumnKind = 'text' | 'code' | 'money' | 'score' | 'int' | 'percent';

export interface ColumnDef {
  header: string;
  kind: ColumnKind;
  wrap?: boolean; // long text: a narrower column whose cells wrap
}

const MAX_WIDTH = 48;
const WRAP_WIDTH = 30;

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

/** Display width of text: CJK and full-width characters count two. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += (ch.codePointAt(0) ?? 0) > 0x2e7f ? 2 : 1;
  return w;
}

/** An in-memory workbook whose metadata does not carry the wall clock (input templates). */
export function newWorkbook(year: number): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'assess';
  wb.lastModifiedBy = 'assess';
  wb.created = wb.modified = fixedDate(year);
  return wb;
}

/** The date a year's workbooks carry, instead of the wall clock: reruns give the same bytes. */
const fixedDate = (year: number) => new Date(Date.UTC(year + 1, 0, 1));

export interface SheetOptions {
  name: string; // sheet tab (≤ 31 characters)
  title: string; // printed above the header
  subtitle?: string;
  columns: ColumnDef[];
  /** A lookup sheet too long to print (one row per institution × indicator): no cell borders. */
  plain?: boolean;
}

type BufferedRow = { kind: 'data'; values: Cell[]; bold?: boolean; fill?: string } | { kind: 'note'; text: string };

/**
 * A printable workbook. Sheets keep their rows as plain values while they are filled (far
 * lighter than spreadsheet cells), and `file` streams them out one sheet after another, so
 * memory stays with the plain values even for tens of thousands of institutions.
 */
export class PrintBook {
  readonly sheets: PrintableSheet[] = [];
  constructor(readonly year: number) {}

  async file(name: string): Promise<{ name: string; content: Buffer }> {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => chunks.push(chunk));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: true, useSharedStrings: false });
    wb.creator = 'assess';
    wb.lastModifiedBy = 'assess';
    wb.created = wb.modified = fixedDate(this.year);
    for (const sheet of this.sheets) sheet.writeTo(wb);
    await wb.commit();
    return { name, content: await redate(Buffer.concat(chunks), fixedDate(this.year)) };
  }
}

/** A sheet being filled: rows are added in order; widths follow the content. */
export class PrintableSheet {
  private readonly rows: BufferedRow[] = [];
  private readonly widths: number[];

  constructor(book: PrintBook, private readonly opts: SheetOptions) {
    this.widths = opts.columns.map((c) => displayWidth(c.header) + 2);
    book.sheets.push(this);
  }

  /** Adds a data row. Strings are always written as plain text cells, never as formulas. */
  add(values: Cell[], style: { bold?: boolean; fill?: string } = {}): void {
    this.rows.push({ kind: 'data', values, ...style });
    this.opts.columns.forEach((col, i) => {
      const v = values[i];
      const shown = v === null || v === undefined ? '' : typeof v === 'number' ? formatForWidth(v, col.kind) : v;
      this.widths[i] = Math.max(this.widths[i] ?? 0, (typeof shown === 'number' ? shown : displayWidth(shown)) + 2);
    });
  }

  /** A free note below the table (e.g. the policy article the sheet applies). */
  note(text: string): void {
    this.rows.push({ kind: 'note', text });
  }

  /** Streams the sheet: title, frozen header, rows, A4 landscape with repeating titles. */
  writeTo(wb: ExcelJS.stream.xlsx.WorkbookWriter): void {
    const { opts } = this;
    const n = opts.columns.length;
    const headerRow = opts.subtitle ? 3 : 2;
    const ws = wb.addWorksheet(opts.name.slice(0, 31), {
      views: [{ state: 'frozen', ySplit: headerRow, xSplit: 0 }],
      pageSetup: {
        paperSize: 9, // A4
        orientation: 'landscape',
        fitToPage: true,
        fitToWidth: 1,
        fitToHeight: 0,
        horizontalCentered: true,
        margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
        printTitlesRow: `1:${headerRow}`,
      },
      headerFooter: { oddFooter: '&C第 &P 页，共 &N 页' },
    });
    ws.autoFilter = { from: { row: headerRow, column: 1 }, to: { row: headerRow, column: n } };
    // Formats and alignment live on the columns, so cells share them instead of each carrying its own.
    ws.columns = opts.columns.map((col, i) => {
      const style: Partial<ExcelJS.Style> = {};
      const fmt = FORMATS[col.kind];
      if (fmt) style.numFmt = fmt;
      if (col.wrap) style.alignment = { wrapText: true, vertical: 'top' };
      else if (col.kind !== 'text' && col.kind !== 'code') style.alignment = { horizontal: 'right' };
      if (!opts.plain) style.border = BORDER;
      return { width: Math.min(Math.max(this.widths[i] ?? 0, 6), col.wrap ? WRAP_WIDTH : MAX_WIDTH), style };
    });
    const banner = (text: string, font: Partial<ExcelJS.Font>, height?: number) => {
      const row = ws.addRow([text]);
      ws.mergeCells(row.number, 1, row.number, n);
      row.font = font;
      if (height) row.height = height;
      row.eachCell({ includeEmpty: true }, (cell) => {
        cell.border = {};
        cell.numFmt = 'General';
        cell.alignment = { horizontal: 'center', vertical: 'middle' };
      });
      row.commit();
    };
    banner(opts.title, { bold: true, size: 14 }, 24);
    if (opts.subtitle) banner(opts.subtitle, { size: 10, color: { argb: 'FF555555' } });
    const header = ws.addRow(opts.columns.map((c) => c.header));
    header.font = { bold: true };
    header.eachCell((cell) => {
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      cell.border = BORDER;
    });
    header.commit();
    for (const r of this.rows) {
      if (r.kind === 'note') {
        const row = ws.addRow([r.text]);
        ws.mergeCells(row.number, 1, row.number, n);
        row.font = { size: 9, color: { argb: 'FF555555' } };
        row.eachCell({ includeEmpty: true }, (cell) => {
          cell.border = {};
          cell.alignment = { horizontal: 'left' };
        });
        row.commit();
        continue;
      }
      const row = ws.addRow(r.values);
      if (r.bold) row.font = { bold: true };
      if (r.fill) {
        const fill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: r.fill } };
        for (let i = 1; i <= n; i++) row.getCell(i).fill = fill;
      }
      row.commit();
    }
    ws.commit();
  }
}

/** Characters a number takes when shown in its column format (cheap: no locale formatting). */
function formatForWidth(v: number, kind: ColumnKind): string | number {
  if (kind === 'money') {
    const digits = String(Math.floor(Math.abs(v))).length;
    return digits + Math.floor((digits - 1) / 3) + 3 + (v < 0 ? 1 : 0); // 1,234,567.89
  }
  if (kind === 'percent') return 7; // 100.00%
  if (kind === 'score') return String(Math.floor(v)).length + 3;
  return String(v);
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
