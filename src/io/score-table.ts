// The year's 指标得分 rows held as columns. A province's file has millions of rows that
// repeat a few texts (an institution's code over its rows, the indicator codes, scores with
// two decimals); an object per row was about 150 bytes with its row reference, the table
// about 25. A row is made as an IndicatorScore when it is asked for, the same record the
// reader made before, so the checks, the plan and the reports read it as they did.
import type { IndicatorScore, RowRef, ScoreRows } from '../domain.js';

const NONE = -1;

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
  /** Notes, by row index: most rows have none. */
  private readonly notes = new Map<number, string>();
  /** Institution codes, each once, and where each is. */
  private readonly codes: string[] = [];
  private readonly codeIndex = new Map<string, number>();
  /** The other texts (indicator codes, scores, column headers), each once. */
  private readonly texts: string[] = [];
  private readonly textIndex = new Map<string, number>();
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
    this.codeOf[i] = this.codeNumber(s.code);
    this.indicatorOf[i] = this.textNumber(s.indicator);
    this.scoreOf[i] = this.textNumber(s.score);
    this.selfOf[i] = s.selfScore === null ? NONE : this.textNumber(s.selfScore);
    this.reviewOf[i] = s.reviewScore === null ? NONE : this.textNumber(s.reviewScore);
    this.columnOf[i] = this.textNumber(s.scoreColumn);
    this.sourceOf[i] = this.sourceNumber(s.source);
    this.rowOf[i] = s.source.row;
    if (s.note !== '') this.notes.set(i, s.note);
    this.count = i + 1;
    this.byCode = undefined;
  }

  /** Row `i` (0-based, in file order) as the record the reader gives. */
  at(i: number): IndicatorScore {
    const text = (n: number) => (n === NONE ? null : (this.texts[n] as string));
    const source = this.sources[this.sourceOf[i] as number] as Pick<RowRef, 'file' | 'sheet'>;
    return {
      code: this.codes[this.codeOf[i] as number] as string,
      indicator: this.texts[this.indicatorOf[i] as number] as string,
      score: this.texts[this.scoreOf[i] as number] as string,
      scoreColumn: this.texts[this.columnOf[i] as number] as string,
      selfScore: text(this.selfOf[i] as number),
      reviewScore: text(this.reviewOf[i] as number),
      note: this.notes.get(i) ?? '',
      source: { file: source.file, sheet: source.sheet, row: this.rowOf[i] as number },
    };
  }

  *[Symbol.iterator](): Iterator<IndicatorScore> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  of(code: string): IndicatorScore[] {
    const c = this.codeIndex.get(code);
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

  /** A counting sort of the row indexes by institution, keeping file order within one. */
  private groupByCode(): { start: Int32Array; order: Int32Array } {
    const start = new Int32Array(this.codes.length + 1);
    for (let i = 0; i < this.count; i++) (start[(this.codeOf[i] as number) + 1] as number)++;
    for (let c = 0; c < this.codes.length; c++) start[c + 1] = (start[c + 1] as number) + (start[c] as number);
    const next = start.slice(0, this.codes.length);
    const order = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) order[(next[this.codeOf[i] as number] as number)++] = i;
    return { start, order };
  }

  private codeNumber(code: string): number {
    // An institution's rows are usually together: the last code is asked for again.
    if (code === this.codes[this.codes.length - 1]) return this.codes.length - 1;
    let n = this.codeIndex.get(code);
    if (n === undefined) {
      n = this.codes.push(code) - 1;
      this.codeIndex.set(code, n);
    }
    return n;
  }

  private textNumber(text: string): number {
    let n = this.textIndex.get(text);
    if (n === undefined) {
      n = this.texts.push(text) - 1;
      this.textIndex.set(text, n);
    }
    return n;
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
