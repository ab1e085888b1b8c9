// The plain data rows of a printable sheet (no bold, no fill: nearly every row) written as
// the worksheet XML exceljs itself writes for them, byte for byte, straight into its
// streaming worksheet. exceljs stays the workbook library (styles, columns, merges, page
// setup, the zip); only the per-cell objects it would build and throw away for every row —
// most of a large workbook's time and garbage — are skipped. A test writes the same sheets
// both ways and compares the bytes.
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import type { Cell } from './workbook-style.js';
import { PIECE_BYTES, entryOnThread, isZipEntry, pieceBuffers, tableRowsMarker, type TableRows } from './xlsx-zip.js';
import type { LineRowsTable } from './line-rows.js';

/** exceljs' own XML text escaping (the same characters escaped or dropped). */
const { xmlEncode } = createRequire(import.meta.url)('exceljs/lib/utils/utils.js') as { xmlEncode: (text: string) => string };

/** What a row is written with: exceljs' style registry and its streaming worksheet's row state. */
interface StreamingSheet {
  _rows: unknown[];
  _rowZero: number;
  startedData: boolean;
  _writeColumns(): void;
  _writeOpenSheetData(): void;
  /** exceljs' StreamBuf: its buffers, and the streams it is piped into (the zip's entry). */
  stream: { write(text: string): unknown; pipes?: { write(chunk: Buffer): unknown }[]; _flush?: () => void };
  _workbook: { styles: { addStyleModel(style: Partial<ExcelJS.Style>, cellType?: number): number } };
}

/** The key of cells without a style of their own (asked of exceljs as {}, as before). */
const NO_STYLE: Partial<ExcelJS.Style> = Object.freeze({});

/** exceljs' ValueType numbers of the cells written here. */
const NULL = 0;
const NUMBER = 2;
const STRING = 3;

/**
 * XML handed on in pieces of about this size. Where the sheet streams into this project's
 * zip (XlsxZip), rows are encoded one by one into a pooled buffer (`pieceBuffers`) and no
 * text of a whole piece is ever made; otherwise the rows' text is joined and written to
 * exceljs' stream, in pieces small enough that the joined text stays in V8's young
 * generation (a string over 128 KB goes straight to the old one). Larger pooled pieces
 * (192 KB) wrote 考核结果 a tenth faster at 300,000 institutions, but the process's RSS
 * grew by 0.8 GB.
 */
const FLUSH_AT = 64 << 10;

/** 1 → A, 27 → AA. */
export function columnLetter(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out;
  return out;
}

/**
 * What a sheet's plain rows are written with: worked out on the main thread (the style ids
 * are exceljs' registry's), and handed as it is to a thread that makes rows itself.
 */
export interface PlainRowLayout {
  /** `<c r="A`, `<c r="B`…: a cell's XML up to its row number, per column. */
  cellStarts: string[];
  /** The row's own style: ` s="3" customFormat="1"`, or ''. */
  rowStyle: string;
  /**
   * Per column, by value type (NULL, NUMBER, STRING), what follows the cell's address up to
   * its value (null: a blank cell not written; undefined: not found yet).
   */
  openings: (string | null | undefined)[][];
  /** Finds an opening not found yet (the main thread's registry). */
  missing?: (column: number, type: number) => string | null;
}

/** Column `i`'s opening for a value of `type`, found once. */
export function openingOf(layout: PlainRowLayout, i: number, type: number): string | null {
  const known = layout.openings[i] as (string | null | undefined)[];
  const found = known[type];
  if (found !== undefined) return found;
  if (!layout.missing) throw new Error(`plain rows: no opening for column ${i + 1} and value type ${type}`);
  return (known[type] = layout.missing(i, type));
}

/** A plain row's XML, as exceljs writes it: one cell per column (`height` in points when taller than one line). */
export function plainRowXml(layout: PlainRowLayout, rowNumber: number, values: readonly Cell[], height?: number): string {
  const { cellStarts } = layout;
  const rowText = String(rowNumber);
  let xml = `<row r="${rowText}"${height ? ` ht="${height}" customHeight="1"` : ''} spans="1:${cellStarts.length}"${layout.rowStyle} x14ac:dyDescent="0.25">`;
  for (let i = 0; i < cellStarts.length; i++) {
    const v = values[i] ?? null;
    const start = cellStarts[i] as string;
    if (v === null) {
      const empty = openingOf(layout, i, NULL);
      if (empty !== null) xml += start + rowText + empty;
    } else if (typeof v === 'number') xml += start + rowText + openingOf(layout, i, NUMBER) + v + '</v></c>';
    else xml += start + rowText + openingOf(layout, i, STRING) + xmlEncode(v) + '</v></c>';
  }
  return xml + '</row>';
}

export class PlainRowWriter {
  /** Rows' text not yet handed on (exceljs' own stream). */
  private pending: string[] = [];
  private size = 0;
  /** Rows encoded and not yet handed on (the zip's entry): a buffer of the pool and the bytes used. */
  private piece: Buffer | null = null;
  private used = 0;
  /** The id of the row's style, once asked of exceljs' registry. */
  private rowStyleId: number | undefined;
  private readonly openings = new Map<Partial<ExcelJS.Style>, (string | null)[]>();
  /** `<c r="A`, `<c r="B`…: a cell's XML up to its row number, per column. */
  private readonly cellStarts: string[];
  /** The layout of rows with each array of column styles (the sheet's, a tall row's). */
  private readonly layouts = new Map<readonly Partial<ExcelJS.Style>[], PlainRowLayout>();
  /** The zip's entry, looked up at the first row (undefined until then). */
  private zipEntry: { write(chunk: Buffer): unknown } | null | undefined;

  private constructor(
    private readonly sheet: StreamingSheet,
    columns: number,
    /** The style every plain row carries itself (not a cell's). */
    private readonly rowStyle: Partial<ExcelJS.Style>,
  ) {
    this.cellStarts = Array.from({ length: columns }, (_, i) => `<c r="${columnLetter(i + 1)}`);
  }

  /** A writer for the worksheet, or null where this exceljs does not stream rows as expected. */
  static for(ws: ExcelJS.Worksheet, columns: number, rowStyle: Partial<ExcelJS.Style>): PlainRowWriter | null {
    const sheet = ws as unknown as Partial<StreamingSheet>;
    const ok =
      Array.isArray(sheet._rows) &&
      typeof sheet._rowZero === 'number' &&
      typeof sheet.startedData === 'boolean' &&
      typeof sheet._writeColumns === 'function' &&
      typeof sheet._writeOpenSheetData === 'function' &&
      typeof sheet._workbook?.styles?.addStyleModel === 'function';
    return ok ? new PlainRowWriter(sheet as StreamingSheet, columns, rowStyle) : null;
  }

  /** Writes the next row: one cell per column, each with its column's style (`height` in points when taller than one line). */
  write(values: readonly Cell[], styles: readonly Partial<ExcelJS.Style>[], height?: number): void {
    const { sheet } = this;
    if (sheet._rows.length > 0) throw new Error('PlainRowWriter: a row added through exceljs is not committed');
    const r = sheet._rowZero;
    const xml = plainRowXml(this.layoutFor(styles), r, values, height);
    sheet._rowZero = r + 1;
    if (this.entry()) this.encode(xml);
    else {
      this.pending.push(xml);
      this.size += xml.length;
      if (this.size >= FLUSH_AT) this.flush();
    }
  }

  /** Whether a table's rows can be made on the thread that deflates this sheet (a large workbook's). */
  tableOnThread(): boolean {
    const entry = this.entry();
    return entry !== null && entryOnThread(entry);
  }

  /**
   * Rows `first` to `first + count − 1` of `table`, with the columns' `styles`, made on the
   * thread that deflates the sheet, in their place in it (`tableOnThread`). Returns at once;
   * `onRows` is told of the rows as the thread makes them.
   */
  writeTableOnThread(
    table: LineRowsTable,
    first: number,
    count: number,
    styles: readonly Partial<ExcelJS.Style>[],
    /** Where the sheet has wrapping columns: a taller row's styles, the columns and their widths (as `wrappedLines`). */
    tall: { styles: readonly Partial<ExcelJS.Style>[]; wrapping: number[]; widths: number[] } | null,
    onRows?: (rows: number) => void,
  ): void {
    const entry = this.entry();
    if (!entry || !entryOnThread(entry)) throw new Error('PlainRowWriter: the sheet is not deflated on a thread');
    if (this.sheet._rows.length > 0) throw new Error('PlainRowWriter: a row added through exceljs is not committed');
    this.flush();
    this.handOn(); // what exceljs has buffered goes first
    // Every opening the rows may need is found here: the thread has no style registry. (A
    // style first seen here is registered as of a blank's type, where rows written here would
    // register it as of their value's: exceljs gives a style without a number format the
    // format General for a number and none for text, and writes both as numFmtId="0". A
    // test compares the bytes with rows written through exceljs.)
    const complete = (layout: PlainRowLayout) => {
      layout.cellStarts.forEach((_s, i) => {
        for (const type of [NULL, NUMBER, STRING]) openingOf(layout, i, type);
      });
      return { cellStarts: layout.cellStarts, rowStyle: layout.rowStyle, openings: layout.openings.map((o) => [...o]) };
    };
    const layout = complete(this.layoutFor(styles));
    const rowNumber = this.sheet._rowZero;
    this.sheet._rowZero = rowNumber + count;
    const rows: TableRows = { table, first, count, rowNumber, layout, tall: tall && { layout: complete(this.layoutFor(tall.styles)), wrapping: tall.wrapping, widths: tall.widths } };
    entry.write(tableRowsMarker(rows, onRows));
  }

  /** What rows with the columns' `styles` are written with (their openings found as first needed). */
  private layoutFor(styles: readonly Partial<ExcelJS.Style>[]): PlainRowLayout {
    let layout = this.layouts.get(styles);
    if (!layout) {
      // As exceljs: the row's own style first, then each cell's, registered in this order.
      const rowStyleId = (this.rowStyleId ??= this.sheet._workbook.styles.addStyleModel(this.rowStyle));
      layout = {
        cellStarts: this.cellStarts,
        rowStyle: rowStyleId ? ` s="${rowStyleId}" customFormat="1"` : '',
        openings: this.cellStarts.map(() => []),
        missing: (i, type) => this.cellOpening(styles[i], type),
      };
      this.layouts.set(styles, layout);
    }
    return layout;
  }

  /**
   * What follows a cell's address, up to its value: `" s="7" t="str"><v>` (a blank cell
   * that carries a style: `" s="7"/>`; one that does not is not written: null). Made once
   * per style object and value type, when the style's id is first asked of exceljs'
   * registry: the registry answers a style it has seen with the same id every time (by
   * the object, else by its content), and a detail sheet has tens of millions of cells.
   */
  private cellOpening(style: Partial<ExcelJS.Style> | undefined, type: number): string | null {
    const key = style ?? NO_STYLE;
    let openings = this.openings.get(key);
    if (!openings) this.openings.set(key, (openings = []));
    let opening = openings[type];
    if (opening === undefined) {
      const registry = this.sheet._workbook.styles;
      const id = registry.addStyleModel(style ?? {}, type);
      const s = id ? ` s="${id}"` : '';
      opening = type === NULL ? (id ? `"${s}/>` : null) : type === NUMBER ? `"${s}><v>` : `"${s} t="str"><v>`;
      openings[type] = opening;
    }
    return opening;
  }

  /**
   * The zip's entry the sheet is piped into, where it is XlsxZip's (its buffers given back
   * once deflated). XlsxZip pipes a sheet's stream as exceljs opens the sheet, so what is
   * found at the first row holds for the sheet.
   */
  private entry(): { write(chunk: Buffer): unknown } | null {
    if (this.zipEntry === undefined) {
      const pipes = this.sheet.stream.pipes;
      this.zipEntry = pipes?.length === 1 && typeof this.sheet.stream._flush === 'function' && isZipEntry(pipes[0]) ? (pipes[0] ?? null) : null;
    }
    return this.zipEntry;
  }

  /** The sheet's columns and the opening of its data, written by exceljs before the first row. */
  private startData(): void {
    const { sheet } = this;
    if (sheet.startedData) return;
    sheet._writeColumns();
    sheet._writeOpenSheetData();
    sheet.startedData = true;
  }

  /** Adds a row's XML to the piece being filled (at most 3 bytes a UTF-16 unit), handed on once FLUSH_AT bytes are there. */
  private encode(xml: string): void {
    const most = xml.length * 3;
    if (this.piece && this.used + most > this.piece.length) this.flush();
    if (!this.piece) {
      if (most > PIECE_BYTES) {
        this.handOn(Buffer.from(xml, 'utf8')); // a row longer than a piece goes on its own
        return;
      }
      this.piece = pieceBuffers.take();
      this.used = 0;
    }
    this.used += this.piece.write(xml, this.used, 'utf8');
    if (this.used >= FLUSH_AT) this.flush();
  }

  /** Hands bytes to the zip's entry, after what exceljs has buffered (the sheet's head, a totals row). */
  private handOn(bytes?: Buffer): void {
    this.startData();
    this.sheet.stream._flush?.();
    if (bytes) this.entry()?.write(bytes);
  }

  /** Hands what is written on: before a row goes through exceljs, and at the end. */
  flush(): void {
    if (this.piece) {
      const piece = this.piece.subarray(0, this.used);
      this.piece = null;
      this.used = 0;
      if (piece.length > 0) this.handOn(piece);
      else pieceBuffers.release(piece);
    }
    if (this.pending.length === 0) return;
    this.startData();
    this.sheet.stream.write(this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }
}
