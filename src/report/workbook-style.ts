// Printable sheets (SPEC §6): a title, a frozen header, widths that fit Chinese text,
// #,##0.00 money, totals rows, A4 landscape with repeating titles. One place for all workbooks.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';

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

/** A workbook whose metadata does not carry the wall clock, so reruns give the same cells. */
export function newWorkbook(year: number): ExcelJS.Workbook {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'assess';
  wb.lastModifiedBy = 'assess';
  wb.created = wb.modified = new Date(Date.UTC(year + 1, 0, 1));
  return wb;
}

export interface SheetOptions {
  name: string; // sheet tab (≤ 31 characters)
  title: string; // printed above the header
  subtitle?: string;
  columns: ColumnDef[];
  /** A lookup sheet too long to print (one row per institution × indicator): no cell borders. */
  plain?: boolean;
}

/** A sheet being filled: rows are added in order, `finish` sets widths and the print setup. */
export class PrintableSheet {
  readonly sheet: ExcelJS.Worksheet;
  private readonly widths: number[];
  private readonly headerRow: number;

  constructor(wb: ExcelJS.Workbook, private readonly opts: SheetOptions) {
    this.sheet = wb.addWorksheet(opts.name.slice(0, 31));
    const n = opts.columns.length;
    this.widths = opts.columns.map((c) => displayWidth(c.header) + 2);
    // Formats and alignment live on the columns, so cells share them instead of each carrying its own.
    opts.columns.forEach((col, i) => {
      const column = this.sheet.getColumn(i + 1);
      const fmt = FORMATS[col.kind];
      if (fmt) column.numFmt = fmt;
      if (col.wrap) column.alignment = { wrapText: true, vertical: 'top' };
      else if (col.kind !== 'text' && col.kind !== 'code') column.alignment = { horizontal: 'right' };
      if (!opts.plain) column.border = BORDER;
    });
    const title = this.sheet.addRow([opts.title]);
    title.font = { bold: true, size: 14 };
    title.height = 24;
    this.sheet.mergeCells(1, 1, 1, n);
    title.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
    title.eachCell({ includeEmpty: true }, (cell) => (cell.border = {}));
    if (opts.subtitle) {
      const sub = this.sheet.addRow([opts.subtitle]);
      this.sheet.mergeCells(sub.number, 1, sub.number, n);
      sub.getCell(1).alignment = { horizontal: 'center' };
      sub.font = { size: 10, color: { argb: 'FF555555' } };
      sub.eachCell({ includeEmpty: true }, (cell) => (cell.border = {}));
    }
    const header = this.sheet.addRow(opts.columns.map((c) => c.header));
    this.headerRow = header.number;
    header.font = { bold: true };
    header.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    header.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
      cell.border = BORDER;
    });
  }

  /** Adds a data row. Strings are always written as plain text cells, never as formulas. */
  add(values: Cell[], style: { bold?: boolean; fill?: string } = {}): ExcelJS.Row {
    const row = this.sheet.addRow(values.map((v) => (v === null ? null : v)));
    this.opts.columns.forEach((col, i) => {
      const v = values[i];
      const shown = v === null || v === undefined ? '' : typeof v === 'number' ? formatForWidth(v, col.kind) : v;
      this.widths[i] = Math.max(this.widths[i] ?? 0, (typeof shown === 'number' ? shown : displayWidth(shown)) + 2);
    });
    if (style.bold) row.font = { bold: true };
    if (style.fill) row.eachCell({ includeEmpty: true }, (c) => (c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: style.fill! } }));
    return row;
  }

  /** A free note below the table (e.g. the policy article the sheet applies). */
  note(text: string): void {
    const row = this.sheet.addRow([text]);
    this.sheet.mergeCells(row.number, 1, row.number, this.opts.columns.length);
    row.font = { size: 9, color: { argb: 'FF555555' } };
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.border = {};
      cell.alignment = { horizontal: 'left' };
    });
  }

  finish(): ExcelJS.Worksheet {
    const ws = this.sheet;
    this.widths.forEach((w, i) => (ws.getColumn(i + 1).width = Math.min(Math.max(w, 6), this.opts.columns[i]?.wrap ? WRAP_WIDTH : MAX_WIDTH)));
    ws.views = [{ state: 'frozen', ySplit: this.headerRow, xSplit: 0 }];
    ws.autoFilter = { from: { row: this.headerRow, column: 1 }, to: { row: this.headerRow, column: this.opts.columns.length } };
    ws.pageSetup = {
      paperSize: 9, // A4
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.3, footer: 0.3 },
      printTitlesRow: `1:${this.headerRow}`,
    };
    ws.headerFooter = { oddFooter: '&C第 &P 页，共 &N 页' };
    return ws;
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
 * The workbook's bytes. exceljs stamps the wall clock on every entry of the xlsx zip, so
 * the entries are re-dated to the workbook's own fixed date: a rerun gives the same bytes
 * and the manifest's hashes stay the same (SPEC §7).
 */
export async function workbookFile(wb: ExcelJS.Workbook, name: string): Promise<{ name: string; content: Buffer }> {
  const zip = await JSZip.loadAsync(await wb.xlsx.writeBuffer());
  const date = wb.modified ?? new Date(0);
  for (const entry of Object.values(zip.files)) entry.date = date;
  return { name, content: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 6 } }) };
}
