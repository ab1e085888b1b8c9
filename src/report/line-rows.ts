// The rows of a detail sheet with a row per institution and line (指标明细: an institution's
// indicators), held as columns instead of made from the plan's objects: per institution its
// texts and where its lines are, per group (a category) the cells its k-th line shares with
// every institution of the group, per line the numbers of its own cells (ids into a table
// of values). A table is walked the same way on the main thread (measured, written by
// PlainRowWriter where the sheet is small) and on the thread that deflates a large sheet,
// which makes its rows itself (deflate-worker.ts): typed arrays and two texts an
// institution are all it is handed.
import type { Cell } from './workbook-style.js';

/** Where a cell of the row comes from. */
export type LineCell = { from: 'institution'; column: number } | { from: 'group'; column: number } | { from: 'line'; column: number };

/**
 * The numbers of a line column: per line, an id into `values` (−1: blank; shared memory
 * where the plan's columns are), or with no ids the number of each line itself.
 */
export interface LineColumn {
  ids: Int32Array | null;
  values: Float64Array;
}

/**
 * The texts of an institution column: one per institution, or, where few texts repeat (a
 * grade, a status), the number of each institution's text in `texts` — a thread is handed
 * a few texts and a typed array, not a million strings to copy.
 */
export type TextColumn = string[] | { ids: Int32Array; texts: string[] };

/** Institution `i`'s text in `column`: a column of texts holds it at `row` (see `textRow`), a numbered one at `i`. */
const textAt = (column: TextColumn | undefined, i: number, row: number): string | null =>
  (Array.isArray(column) ? column[row] : column?.texts[column.ids[i] as number]) ?? null;

/** The number line `line` shows in `column` (NaN: blank). */
function lineValue(column: LineColumn, line: number): number {
  if (!column.ids) return column.values[line] as number;
  const id = column.ids[line] as number;
  return id < 0 ? Number.NaN : (column.values[id] as number);
}

export interface LineRowsTable {
  /** Per institution column, its text per institution (in row order, or by `textRow`). */
  institutionTexts: TextColumn[];
  /**
   * Per institution, where its texts are in the columns of texts (`string[]`) of
   * `institutionTexts` when those are not the table's own: every institution's texts, in
   * roster order, shared by a workbook's tables (a thread is handed each column once).
   * Absent, the institution's own index. Numbered columns are always the table's own.
   */
  textRow?: Int32Array;
  /** Per institution: its group, its first line (index into `lineIds`) and how many lines it has. */
  group: Int32Array;
  firstLine: Int32Array;
  lineCount: Int32Array;
  /** Per group, per line position k: the cells the k-th line of an institution of the group shows. */
  groupCells: Cell[][][];
  /** Per line column, the number each line shows (NaN: blank). */
  lineColumns: LineColumn[];
  /** The row's cells in order. */
  layout: LineCell[];
}

/** Per table, the row each institution's lines start at (and the rows in all, last). */
const rowStarts = new WeakMap<LineRowsTable, Int32Array>();

function rowStartsOf(table: LineRowsTable): Int32Array {
  let starts = rowStarts.get(table);
  if (!starts) {
    const n = table.lineCount.length;
    starts = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) starts[i + 1] = (starts[i] as number) + (table.lineCount[i] as number);
    rowStarts.set(table, starts);
  }
  return starts;
}

/** The rows of a table: a line each. */
export function lineRowCount(table: LineRowsTable): number {
  const starts = rowStartsOf(table);
  return starts[starts.length - 1] as number;
}

/** The institution whose lines hold row `row`: the last one starting at or before it. */
function institutionAt(starts: Int32Array, row: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Calls `visit` with the cells of rows `first` to `first + count − 1` of the table, in
 * order. The same array is filled for every row (copy what is kept).
 */
export function walkLineRows(table: LineRowsTable, first: number, count: number, visit: (cells: Cell[]) => void): void {
  const { layout, institutionTexts, textRow, groupCells, lineColumns } = table;
  const cells: Cell[] = new Array<Cell>(layout.length).fill(null);
  const starts = rowStartsOf(table);
  const institutions = table.lineCount.length;
  if (count <= 0 || institutions === 0) return;
  let i = institutionAt(starts, first);
  let k = first - (starts[i] as number);
  for (let left = count; left > 0 && i < institutions; i++, k = 0) {
    const lines = table.lineCount[i] as number;
    const group = groupCells[table.group[i] as number] ?? [];
    for (; k < lines && left > 0; k++, left--) {
      const line = (table.firstLine[i] as number) + k;
      const shared = group[k] ?? [];
      for (let c = 0; c < layout.length; c++) {
        const at = layout[c] as LineCell;
        if (at.from === 'institution') cells[c] = textAt(institutionTexts[at.column], i, textRow ? (textRow[i] as number) : i);
        else if (at.from === 'group') cells[c] = shared[at.column] ?? null;
        else {
          const v = lineValue(lineColumns[at.column] as LineColumn, line);
          cells[c] = Number.isNaN(v) ? null : v;
        }
      }
      visit(cells);
    }
  }
}

/**
 * Calls `visit` with rows that between them hold every value each column of the table shows,
 * and no other (the other cells blank): an institution's texts once, a group's cells once
 * per line position, each figure a line column shows once. What a column's widest value
 * is, is then found without walking every row (7.7 million at national scale).
 */
export function eachShownValue(table: LineRowsTable, visit: (cells: Cell[]) => void): void {
  const { layout } = table;
  const blank = (): Cell[] => new Array<Cell>(layout.length).fill(null);
  const institutions = table.lineCount.length;
  const groupsShown = new Set<number>();
  // Per line column with ids, which of its values are shown; one without, each line's number is visited.
  const idsShown = table.lineColumns.map((column) => (column.ids ? new Uint8Array(column.values.length) : null));
  const cells = blank();
  for (let i = 0; i < institutions; i++) {
    const lines = table.lineCount[i] as number;
    if (lines === 0) continue;
    const row = table.textRow ? (table.textRow[i] as number) : i;
    layout.forEach((at, c) => (cells[c] = at.from === 'institution' ? textAt(table.institutionTexts[at.column], i, row) : null));
    visit(cells);
    groupsShown.add(table.group[i] as number);
    const first = table.firstLine[i] as number;
    table.lineColumns.forEach(({ ids }, column) => {
      const shown = idsShown[column];
      if (!ids || !shown) return;
      for (let line = first; line < first + lines; line++) {
        const id = ids[line] as number;
        if (id >= 0) shown[id] = 1;
      }
    });
  }
  for (const g of groupsShown) {
    for (const line of table.groupCells[g] ?? []) {
      layout.forEach((at, c) => (cells[c] = at.from === 'group' ? (line[at.column] ?? null) : null));
      visit(cells);
    }
  }
  layout.forEach((at, c) => {
    if (at.from !== 'line') return;
    const column = table.lineColumns[at.column] as LineColumn;
    const shown = idsShown[at.column];
    const row = blank();
    const show = (v: number) => {
      if (Number.isNaN(v)) return;
      row[c] = v;
      visit(row);
    };
    if (shown) shown.forEach((on, id) => on && show(column.values[id] as number));
    else {
      for (let i = 0; i < institutions; i++) {
        const first = table.firstLine[i] as number;
        for (let line = first; line < first + (table.lineCount[i] as number); line++) show(column.values[line] as number);
      }
    }
  });
}

/** Rows walked at a time where they are read one by one. */
const BATCH = 2_000;

/** The table's rows from `first` on, each its own array. */
export function* lineRows(table: LineRowsTable, first = 0): Generator<Cell[]> {
  const total = lineRowCount(table);
  const batch: Cell[][] = [];
  for (let at = first; at < total; at += BATCH) {
    walkLineRows(table, at, Math.min(BATCH, total - at), (cells) => batch.push([...cells]));
    yield* batch;
    batch.length = 0;
  }
}
