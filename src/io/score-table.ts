// The year's 指标得分 rows held as columns. A province's file has millions of rows that
// repeat a few texts (an institution's code over its rows, the indicator codes, scores with
// two decimals); an object per row was about 150 bytes with its row reference, a row of
// the table is 32. A row is made as an IndicatorScore when it is asked for, the same record the
// reader made before, so the checks, the plan and the reports read it as they did.
import type { IndicatorScore, RowRef, ScoreRowView, ScoreRows } from '../domain.js';
import { Numbering } from '../numbering.js';
import { NO_TEXT, type ScoreRangeDone } from './score-range.js';

const NONE = -1;
/** The view's file before it is on a row. */
const NO_FILE: Pick<RowRef, 'file' | 'sheet'> = Object.freeze({ file: '' });

/** Whether `numbers` maps each k to k. */
function isIdentity(numbers: Int32Array): boolean {
  for (let k = 0; k < numbers.length; k++) if (numbers[k] !== k) return false;
  return true;
}

export class ScoreTable implements ScoreRows {
  private count = 0;
  private codeOf = new Int32Array(1024);
  private indicatorOf = new Int32Array(1024);
  private scoreOf = new Int32Array(1024);
  private selfOf = new Int32Array(1024);
  private reviewOf = new Int32Array(1024);
  private columnOf = new Int32Array(1024);
  private sourceOf = new Int32Array(1024);
  private rowOf = new Int32Array(1024);
  /** Notes, by row index: most rows have none; each text once (`texts`). */
  private readonly notes = new Map<number, string>();
  /** Institution codes, each once. */
  private readonly codes = new Numbering<string>();
  /** The other texts (indicator codes, scores, column headers), each once. */
  private readonly texts = new Numbering<string>();
  /** The files (and sheets) the rows came from. */
  private readonly sources: Pick<RowRef, 'file' | 'sheet'>[] = [];
  /** Row indexes grouped by institution (made when first asked for one institution's rows). */
  private byCode: { start: Int32Array; order: Int32Array } | undefined;

  static from(rows: Iterable<IndicatorScore>): ScoreTable {
    const table = new ScoreTable();
    for (const s of rows) table.push(s);
    return table;
  }

  get length(): number {
    return this.count;
  }

  push(s: IndicatorScore): void {
    const i = this.count;
    if (i === this.rowOf.length) this.grow();
    this.codeOf[i] = this.codes.numberOf(s.code);
    this.indicatorOf[i] = this.texts.numberOf(s.indicator);
    this.scoreOf[i] = this.texts.numberOf(s.score);
    this.selfOf[i] = s.selfScore === null ? NONE : this.texts.numberOf(s.selfScore);
    this.reviewOf[i] = s.reviewScore === null ? NONE : this.texts.numberOf(s.reviewScore);
    this.columnOf[i] = this.texts.numberOf(s.scoreColumn);
    this.sourceOf[i] = this.sourceNumber(s.source);
    this.rowOf[i] = s.source.row;
    if (s.note !== '') this.notes.set(i, this.texts.kept(s.note));
    this.count = i + 1;
    this.byCode = undefined;
  }

  /**
   * The rows a reader thread took from a range of the file (score-range.ts), after the rows
   * here: its codes and texts are numbered into this table's, its lines become the file's
   * (`linesBefore`: the file's lines before the range's first).
   */
  appendRange(range: ScoreRangeDone, source: Pick<RowRef, 'file' | 'sheet'>, linesBefore: number, scoreColumn: string): void {
    const first = this.count;
    while (this.rowOf.length < first + range.rows) this.grow();
    const codeOf = Int32Array.from(range.codes, (c) => this.codes.numberOf(c));
    const textOf = Int32Array.from(range.texts, (t) => this.texts.numberOf(t));
    const optional = (n: number) => (n === NO_TEXT ? NONE : (textOf[n] as number));
    const column = this.texts.numberOf(scoreColumn);
    const from = this.sourceNumber({ ...source, row: 0 });
    if (NO_TEXT === NONE && isIdentity(codeOf) && isIdentity(textOf)) {
      // The range's numbers are this table's (its first range: nearly always the only one on
      // two cores): its columns are copied as they are, not row by row (7.7 million rows nationally).
      const rows = range.rows;
      this.codeOf.set(range.code.subarray(0, rows), first);
      this.indicatorOf.set(range.indicator.subarray(0, rows), first);
      this.scoreOf.set(range.score.subarray(0, rows), first);
      this.selfOf.set(range.selfScore.subarray(0, rows), first);
      this.reviewOf.set(range.reviewScore.subarray(0, rows), first);
      this.columnOf.fill(column, first, first + rows);
      this.sourceOf.fill(from, first, first + rows);
      for (let k = 0; k < rows; k++) this.rowOf[first + k] = linesBefore + (range.line[k] as number);
    } else {
      for (let k = 0; k < range.rows; k++) {
        const i = first + k;
        this.codeOf[i] = codeOf[range.code[k] as number] as number;
        this.indicatorOf[i] = textOf[range.indicator[k] as number] as number;
        this.scoreOf[i] = textOf[range.score[k] as number] as number;
        this.selfOf[i] = optional(range.selfScore[k] as number);
        this.reviewOf[i] = optional(range.reviewScore[k] as number);
        this.columnOf[i] = column;
        this.sourceOf[i] = from;
        this.rowOf[i] = linesBefore + (range.line[k] as number);
      }
    }
    for (const [k, note] of range.notes) this.notes.set(first + k, this.texts.kept(note));
    this.count = first + range.rows;
    this.byCode = undefined;
  }

  /** Row `i` (0-based, in file order) as the record the reader gives. */
  at(i: number): IndicatorScore {
    return {
      code: this.codes.at(this.codeOf[i] as number),
      indicator: this.texts.at(this.indicatorOf[i] as number),
      score: this.texts.at(this.scoreOf[i] as number),
      scoreColumn: this.texts.at(this.columnOf[i] as number),
      selfScore: this.optionalText(this.selfOf[i] as number),
      reviewScore: this.optionalText(this.reviewOf[i] as number),
      note: this.notes.get(i) ?? '',
      source: this.sourceAt(i),
    };
  }

  visit(each: (row: ScoreRowView) => void): void {
    const view = this.view();
    for (let i = 0; i < this.count; i++) this.moveTo(view, i, each);
  }

  visitOf(code: string, each: (row: ScoreRowView) => void): void {
    const c = this.codes.find(code);
    if (c === undefined) return;
    const { start, order } = (this.byCode ??= this.groupByCode());
    const view = this.view();
    for (let k = start[c] as number; k < (start[c + 1] as number); k++) this.moveTo(view, order[k] as number, each);
  }

  /** The view `visit` moves from row to row. */
  private view() {
    const view = {
      index: 0,
      code: '',
      indicator: '',
      score: '',
      scoreColumn: '',
      selfScore: null as string | null,
      reviewScore: null as string | null,
      file: NO_FILE,
      row: 0,
      source: (): RowRef => this.sourceAt(view.index),
    };
    return view;
  }

  private moveTo(view: ReturnType<ScoreTable['view']>, i: number, each: (row: ScoreRowView) => void): void {
    view.index = i;
    view.code = this.codes.at(this.codeOf[i] as number);
    view.indicator = this.texts.at(this.indicatorOf[i] as number);
    view.score = this.texts.at(this.scoreOf[i] as number);
    view.scoreColumn = this.texts.at(this.columnOf[i] as number);
    view.selfScore = this.optionalText(this.selfOf[i] as number);
    view.reviewScore = this.optionalText(this.reviewOf[i] as number);
    view.file = this.sources[this.sourceOf[i] as number] as Pick<RowRef, 'file' | 'sheet'>;
    view.row = this.rowOf[i] as number;
    each(view);
  }

  *[Symbol.iterator](): Iterator<IndicatorScore> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  of(code: string): IndicatorScore[] {
    const c = this.codes.find(code);
    if (c === undefined) return [];
    const { start, order } = (this.byCode ??= this.groupByCode());
    const rows: IndicatorScore[] = [];
    for (let k = start[c] as number; k < (start[c + 1] as number); k++) rows.push(this.at(order[k] as number));
    return rows;
  }

  filter(keep: (s: IndicatorScore) => boolean): ScoreTable {
    const kept = new ScoreTable();
    for (let i = 0; i < this.count; i++) {
      const s = this.at(i);
      if (keep(s)) kept.push(s);
    }
    return kept;
  }

  private optionalText(n: number): string | null {
    return n === NONE ? null : this.texts.at(n);
  }

  private sourceAt(i: number): RowRef {
    const from = this.sources[this.sourceOf[i] as number] as Pick<RowRef, 'file' | 'sheet'>;
    return { file: from.file, sheet: from.sheet, row: this.rowOf[i] as number };
  }

  /** A counting sort of the row indexes by institution, keeping file order within one. */
  private groupByCode(): { start: Int32Array; order: Int32Array } {
    const codes = this.codes.size;
    const start = new Int32Array(codes + 1);
    for (let i = 0; i < this.count; i++) (start[(this.codeOf[i] as number) + 1] as number)++;
    for (let c = 0; c < codes; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
    const next = start.slice(0, codes);
    const order = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) order[(next[this.codeOf[i] as number] as number)++] = i;
    return { start, order };
  }

  private sourceNumber(ref: RowRef): number {
    const last = this.sources.length - 1;
    const at = this.sources[last];
    if (at && at.file === ref.file && at.sheet === ref.sheet) return last;
    const n = this.sources.findIndex((s) => s.file === ref.file && s.sheet === ref.sheet);
    return n >= 0 ? n : this.sources.push({ file: ref.file, sheet: ref.sheet }) - 1;
  }

  private grow(): void {
    const size = this.rowOf.length * 2;
    const grown = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.codeOf = grown(this.codeOf);
    this.indicatorOf = grown(this.indicatorOf);
    this.scoreOf = grown(this.scoreOf);
    this.selfOf = grown(this.selfOf);
    this.reviewOf = grown(this.reviewOf);
    this.columnOf = grown(this.columnOf);
    this.sourceOf = grown(this.sourceOf);
    this.rowOf = grown(this.rowOf);
  }
}
