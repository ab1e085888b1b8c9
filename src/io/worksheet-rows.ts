// The rows of a worksheet part, from its XML as it is read in pieces. Two readers share one
// row and cell state: the general one takes the scanner's tag and text events (any XML a
// spreadsheet program writes), and a fast one reads the rows as a spreadsheet program
// writes them — <row>, <c>, <v>, <f>, <is> with its <t> and runs — straight from the text,
// without an event or a tag record per element (a national roster is 1.1 million rows of
// fifteen cells). The fast reader takes whole rows only; at the first row it does not know
// (a comment, CDATA, an element it does not expect) the general reader takes over from
// that row's start to the end of the sheet, so either way a row is read by one of the two,
// whole. Tests read every workbook of the samples, workbooks of tricky cells, and sheets
// with such rows in the middle, against exceljs.
import { createRequire } from 'node:module';
import type { RawCell } from './values.js';
import { FastThenGeneral } from './fast-then-general.js';
import { attributeText, attributeValue, ownCopy, tagEnd, textEnd, textOf, visitAttributes, XmlScanner, type ScannedTag } from './xml-scanner.js';

const require = createRequire(import.meta.url);
const excel = require('exceljs/lib/utils/utils.js') as { excelToDate(v: number, date1904: boolean): Date; xmlDecode(text: string): string };

/** A cell that has no value to give: a formula never calculated, an error value (the reason, in Chinese). */
export interface UnreadableValue {
  unreadable: string;
}

export type SheetCell = RawCell | UnreadableValue;

export interface XlsxRow {
  rowNumber: number;
  cells: SheetCell[];
}

/** Why a cell gives no value, in the officer's words (as the careful reader reports it). */
export const unreadableReasons = {
  formulaWithoutResult: (formula: string) => `公式 =${formula} 没有计算结果（文件可能由程序生成、未在 Excel 中打开保存）：请在 Excel 中打开并保存，或把公式粘贴为数值`,
  formulaError: (error: string) => `公式的结果是错误值 ${error}`,
  errorValue: (error: string) => `单元格是错误值 ${error}`,
};

export interface Merge {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** "BC12" → column 55 (1-based) and row 12. */
export function cellAddress(ref: string): { col: number; row: number } {
  let col = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return { col, row: Number(ref.slice(i)) };
}

/** The character after a tag's name: a space, '>' or '/'. */
const endsName = (c: number): boolean => c <= 0x20 || c === 0x3e /* > */ || c === 0x2f; /* / */

const SHEET_DATA = '<sheetData>';

/** The column of a cell address written in `s[from, to)` ("BC12" → 55), as `cellAddress` reads the attribute; -1 when empty. */
function columnOf(s: string, from: number, to: number): number {
  let col = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x26 /* & */ || c < 0x20) return columnText(attributeText(s, from, to));
    if (c < 65 || c > 90) break;
    col = col * 26 + (c - 64);
  }
  return from === to ? -1 : col;
}

const columnText = (ref: string): number => (ref ? cellAddress(ref).col : -1);

/** A cell's style index written in `s[from, to)`, as Number() reads the attribute. */
function styleOf(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9 || to - from > 9) return Number(attributeText(s, from, to));
    n = n * 10 + c;
  }
  return n;
}

const CELL_TYPES = ['s', 'n', 'b', 'e', 'str', 'inlineStr', 'd'];

/** A cell's type written in `s[from, to)`: one of the kept texts, without making one per cell. */
function cellTypeOf(s: string, from: number, to: number): string {
  for (const type of CELL_TYPES) if (type.length === to - from && s.startsWith(type, from)) return type;
  return attributeText(s, from, to);
}

export interface SheetContext {
  strings: readonly string[];
  /** For each cell style: whether its number format shows a date. */
  dateStyles: readonly boolean[];
  date1904: boolean;
  merges: readonly Merge[];
}

export class WorksheetRows extends FastThenGeneral {
  private rowNumber = 0;
  private cells: SheetCell[] = [];
  private col = 0;
  private type: string | undefined;
  private styleId = 0;
  private hasFormula = false;
  private formula = '';
  private value: string | undefined;
  private inline = '';
  private inInlineSeen = false;
  // The general reader's place within a cell.
  private reading: 'v' | 'f' | 't' | null = null;
  private inInline = false;
  private inPhonetic = 0;

  private readonly mergedRows = new Set<number>();
  /** Values of the merged ranges' first cells, as they are read. */
  private readonly masters = new Map<Merge, SheetCell>();
  protected readonly general = new XmlScanner({ open: (tag) => this.openEvent(tag), text: (text) => this.textEvent(text), close: (name) => this.closeEvent(name) });
  // A cell tag's attributes, as the fast reader visits them: the column, style and type read
  // from the characters (no text made per cell for them), or as the general reader reads them.
  private cellColumn = -1;
  private cellType: string | undefined;
  private cellStyle = 0;
  private readonly cellAttribute = (nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void => {
    if (nameEnd - nameStart !== 1) return;
    const s = this.text;
    const c = s.charCodeAt(nameStart);
    if (c === 0x72 /* r */) this.cellColumn = columnOf(s, valueStart, valueEnd);
    else if (c === 0x74 /* t */) this.cellType = cellTypeOf(s, valueStart, valueEnd);
    else if (c === 0x73 /* s */) this.cellStyle = styleOf(s, valueStart, valueEnd);
  };
  /** The text the fast reader is in. */
  private text = '';

  constructor(
    private readonly sheet: SheetContext,
    private readonly onRow: (row: XlsxRow) => boolean,
  ) {
    super('</row>');
    for (const m of sheet.merges) for (let r = m.top; r <= m.bottom; r++) this.mergedRows.add(r);
  }

  protected fastStart(s: string): number {
    const at = s.indexOf(SHEET_DATA);
    return at < 0 ? -1 : at + SHEET_DATA.length;
  }

  protected readUnits(s: string, end: number): number {
    this.text = s;
    const reached = this.fastRows(s, end);
    this.text = '';
    return reached;
  }

  // ---- the row and cell state, as both readers fill it ---------------------------------

  private startRow(ref: string | undefined): void {
    this.rowNumber = ref ? Number(ref) : this.rowNumber + 1;
    this.cells = [];
    this.col = 0;
  }

  /** `column` is -1 for a cell without an address: the one after the last. */
  private startCell(column: number, type: string | undefined, styleId: number): void {
    this.col = column < 0 ? this.col + 1 : column;
    this.type = type;
    this.styleId = styleId;
    this.hasFormula = false;
    this.formula = '';
    this.value = undefined;
    this.inline = '';
    this.inInlineSeen = false;
  }

  private endCell(): void {
    if (this.col < 1) return;
    const v = this.cellValue();
    const cells = this.cells;
    while (cells.length < this.col - 1) cells.push(null);
    cells[this.col - 1] = v;
  }

  private endRow(): void {
    const { rowNumber, cells } = this;
    if (this.mergedRows.has(rowNumber)) {
      // As exceljs: every cell of a merged range gives the range's first cell's value.
      for (const m of this.sheet.merges) {
        if (rowNumber < m.top || rowNumber > m.bottom) continue;
        if (rowNumber === m.top) this.masters.set(m, cells[m.left - 1] ?? null);
        const master = this.masters.get(m) ?? null;
        while (cells.length < m.right) cells.push(null);
        for (let c = m.left; c <= m.right; c++) if (c !== m.left || rowNumber !== m.top) cells[c - 1] = master;
      }
    }
    if (!this.stopped && !this.onRow({ rowNumber, cells })) this.stopped = true;
  }

  private numberValue(text: string): RawCell {
    const n = parseFloat(text);
    return this.sheet.dateStyles[this.styleId] ? excel.excelToDate(n, this.sheet.date1904) : n;
  }

  /** The cell's value as exceljs gives it. */
  private cellValue(): SheetCell {
    const { type, value } = this;
    if (this.hasFormula) {
      if (!value) return { unreadable: unreadableReasons.formulaWithoutResult(this.formula) };
      if (type === 'str') return ownCopy(excel.xmlDecode(value));
      if (type === 'b') return parseInt(value, 10) !== 0;
      if (type === 'e') return { unreadable: unreadableReasons.formulaError(value) };
      return this.numberValue(value);
    }
    if (type === 'inlineStr') return this.inInlineSeen ? ownCopy(this.inline) : null;
    if (value === undefined) return null;
    switch (type) {
      case 's':
        return this.sheet.strings[parseInt(value, 10)] ?? '';
      case 'str':
        return ownCopy(excel.xmlDecode(value));
      case 'b':
        return parseInt(value, 10) !== 0;
      case 'e':
        return { unreadable: unreadableReasons.errorValue(value) };
      default:
        return this.numberValue(value);
    }
  }

  // ---- the general reader: tag and text events ------------------------------------------

  private openEvent(tag: ScannedTag): void {
    switch (tag.name) {
      case 'row':
        this.startRow(tag.attributes.r);
        break;
      case 'c':
        this.startCell(tag.attributes.r ? cellAddress(tag.attributes.r).col : -1, tag.attributes.t, Number(tag.attributes.s ?? 0));
        break;
      case 'f':
        this.hasFormula = true;
        this.reading = 'f';
        break;
      case 'v':
        this.reading = 'v';
        this.value = this.value ?? '';
        break;
      case 'is':
        this.inInline = true;
        this.inInlineSeen = true;
        break;
      case 'rPh':
        this.inPhonetic++;
        break;
      case 't':
        if (this.inInline && this.inPhonetic === 0) this.reading = 't';
        break;
    }
  }

  private textEvent(text: string): void {
    if (this.reading === 'v') this.value += text;
    else if (this.reading === 'f') this.formula += text;
    else if (this.reading === 't') this.inline += text;
  }

  private closeEvent(name: string): void {
    switch (name) {
      case 'v':
      case 'f':
      case 't':
        this.reading = null;
        break;
      case 'rPh':
        this.inPhonetic--;
        break;
      case 'is':
        this.inInline = false;
        break;
      case 'c':
        this.endCell();
        break;
      case 'row':
        this.endRow();
        break;
    }
  }

  // ---- the fast reader: whole rows, straight from the text -------------------------------

  /** Reads the rows of `s[0, end)`; returns where it stopped: `end`, or the start of a row it does not know. */
  private fastRows(s: string, end: number): number {
    let at = 0;
    while (at < end && !this.stopped) {
      const lt = s.indexOf('<', at);
      if (lt < 0 || lt >= end) return end; // only the space between rows is left
      const next = this.fastRow(s, lt);
      if (next < 0) return lt;
      at = next;
    }
    return this.stopped ? at : end;
  }

  /** Reads the row whose tag starts at `lt`; returns the position after it, or -1 when it is not a row this reader knows. */
  private fastRow(s: string, lt: number): number {
    if (!s.startsWith('<row', lt) || !endsName(s.charCodeAt(lt + 4))) return -1;
    const gt = tagEnd(s, lt + 4);
    if (gt < 0) return -1;
    const selfClosing = s.charCodeAt(gt - 1) === 0x2f;
    this.startRow(attributeValue(s, lt + 4, selfClosing ? gt - 1 : gt, 'r'));
    if (selfClosing) {
      this.endRow();
      return gt + 1;
    }
    let at = gt + 1;
    for (;;) {
      const t = s.indexOf('<', at);
      if (t < 0) return -1;
      const c = s.charCodeAt(t + 1);
      if (c === 0x63 /* c */ && endsName(s.charCodeAt(t + 2))) {
        at = this.fastCell(s, t);
        if (at < 0) return -1;
        continue;
      }
      if (s.startsWith('</row>', t)) {
        this.endRow();
        return t + 6;
      }
      return -1;
    }
  }

  /** Reads the cell whose tag starts at `lt`; returns the position after it, or -1. */
  private fastCell(s: string, lt: number): number {
    const gt = tagEnd(s, lt + 2);
    if (gt < 0) return -1;
    const selfClosing = s.charCodeAt(gt - 1) === 0x2f;
    this.cellColumn = -1;
    this.cellType = undefined;
    this.cellStyle = 0;
    visitAttributes(s, lt + 2, selfClosing ? gt - 1 : gt, this.cellAttribute);
    this.startCell(this.cellColumn, this.cellType, this.cellStyle);
    if (selfClosing) {
      this.endCell();
      return gt + 1;
    }
    let at = gt + 1;
    for (;;) {
      const t = s.indexOf('<', at);
      if (t < 0) return -1;
      const c = s.charCodeAt(t + 1);
      if (c === 0x76 /* v */) {
        const c2 = s.charCodeAt(t + 2);
        if (c2 === 0x3e /* > */) {
          const close = textEnd(s, t + 3, '</v>');
          if (close < 0) return -1;
          this.value = (this.value ?? '') + textOf(s, t + 3, close);
          at = close + 4;
          continue;
        }
        if (c2 === 0x2f && s.charCodeAt(t + 3) === 0x3e) {
          this.value = this.value ?? '';
          at = t + 4;
          continue;
        }
        return -1;
      }
      if (c === 0x66 /* f */ && endsName(s.charCodeAt(t + 2))) {
        const fgt = tagEnd(s, t + 2);
        if (fgt < 0) return -1;
        this.hasFormula = true;
        if (s.charCodeAt(fgt - 1) === 0x2f) {
          at = fgt + 1;
          continue;
        }
        const close = textEnd(s, fgt + 1, '</f>');
        if (close < 0) return -1;
        this.formula += textOf(s, fgt + 1, close);
        at = close + 4;
        continue;
      }
      if (c === 0x69 /* i */ && s.charCodeAt(t + 2) === 0x73 /* s */ && endsName(s.charCodeAt(t + 3))) {
        at = this.fastInline(s, t);
        if (at < 0) return -1;
        continue;
      }
      if (s.startsWith('</c>', t)) {
        this.endCell();
        return t + 4;
      }
      return -1;
    }
  }

  /** Reads an inline string (<is>: its <t>, or the <t> of its runs, phonetic runs left out); returns the position after it, or -1. */
  private fastInline(s: string, lt: number): number {
    const gt = tagEnd(s, lt + 3);
    if (gt < 0) return -1;
    this.inInlineSeen = true;
    if (s.charCodeAt(gt - 1) === 0x2f) return gt + 1;
    let phonetic = 0;
    let at = gt + 1;
    for (;;) {
      const t = s.indexOf('<', at);
      if (t < 0) return -1;
      const c = s.charCodeAt(t + 1);
      if (c === 0x21 /* ! */ || c === 0x3f /* ? */) return -1; // a comment, CDATA: the general reader
      if (c === 0x2f /* / */) {
        const close = s.indexOf('>', t + 2);
        if (close < 0) return -1;
        const name = s.slice(t + 2, close).trim();
        if (name === 'is') return close + 1;
        if (name === 'rPh') phonetic--;
        at = close + 1;
        continue;
      }
      const tgt = tagEnd(s, t + 1);
      if (tgt < 0) return -1;
      const selfClosing = s.charCodeAt(tgt - 1) === 0x2f;
      let nameEnd = t + 1;
      while (nameEnd < tgt && !endsName(s.charCodeAt(nameEnd))) nameEnd++;
      const nameLength = nameEnd - t - 1;
      if (nameLength === 3 && s.startsWith('rPh', t + 1)) {
        if (!selfClosing) phonetic++;
      } else if (nameLength === 1 && s.charCodeAt(t + 1) === 0x74 /* t */ && !selfClosing && phonetic === 0) {
        const close = textEnd(s, tgt + 1, '</t>');
        if (close < 0) return -1;
        this.inline += textOf(s, tgt + 1, close);
        at = close + 4;
        continue;
      }
      at = tgt + 1;
    }
  }
}
