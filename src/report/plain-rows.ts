// The plain data rows of a printable sheet (no bold, no fill: nearly every row) written as
// the worksheet XML exceljs itself writes for them, byte for byte, straight into its
// streaming worksheet. exceljs stays the workbook library (styles, columns, merges, page
// setup, the zip); only the per-cell objects it would build and throw away for every row —
// most of a large workbook's time and garbage — are skipped. A test writes the same sheets
// both ways and compares the bytes.
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';
import type { Cell } from './workbook-style.js';
import { PIECE_BYTES, isZipEntry, pieceBuffers } from './xlsx-zip.js';

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

export class PlainRowWriter {
  private readonly letters: string[];
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
  /** The zip's entry, looked up at the first row (undefined until then). */
  private zipEntry: { write(chunk: Buffer): unknown } | null | undefined;

  private constructor(
    private readonly sheet: StreamingSheet,
    columns: number,
    /** The style every plain row carries itself (not a cell's). */
    private readonly rowStyle: Partial<ExcelJS.Style>,
  ) {
    this.letters = Array.from({ length: columns }, (_, i) => columnLetter(i + 1));
    this.cellStarts = this.letters.map((letter) => `<c r="${letter}`);
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
    // As exceljs: the row's own style first, then each cell's, registered in this order.
    const rowStyleId = (this.rowStyleId ??= sheet._workbook.styles.addStyleModel(this.rowStyle));
    const rowText = String(r);
    let xml = `<row r="${rowText}"${height ? ` ht="${height}" customHeight="1"` : ''} spans="1:${this.letters.length}"${rowStyleId ? ` s="${rowStyleId}" customFormat="1"` : ''} x14ac:dyDescent="0.25">`;
    for (let i = 0; i < this.letters.length; i++) {
      const v = values[i] ?? null;
      const start = this.cellStarts[i] as string;
      if (v === null) {
        const empty = this.cellOpening(styles[i], NULL);
        if (empty !== null) xml += start + rowText + empty;
      } else if (typeof v === 'number') xml += start + rowText + this.cellOpening(styles[i], NUMBER) + v + '</v></c>';
      else xml += start + rowText + this.cellOpening(styles[i], STRING) + xmlEncode(v) + '</v></c>';
    }
    xml += '</row>';
    sheet._rowZero = r + 1;
    if (this.entry()) this.encode(xml);
    else {
      this.pending.push(xml);
      this.size += xml.length;
      if (this.size >= FLUSH_AT) this.flush();
    }
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
  private handOn(bytes: Buffer): void {
    this.startData();
    this.sheet.stream._flush?.();
    this.entry()?.write(bytes);
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
