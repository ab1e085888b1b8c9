// The indicator lines of the year (SPEC §5.3: per institution and indicator, the score given,
// the points counted, the review stages, the appeal and the score's row), held as columns
// for all institutions at once. There is a line per institution and indicator: 7.7 million
// at 1.1 million institutions, where an object and an array slot each was some 90 bytes and
// 8 million objects for every garbage collection to walk. A line here is five numbers; an
// institution keeps a view of its lines, and a line is made as an object when it is read.
import type { Decimal } from 'decimal.js';
import type { Appeal, RowRef } from '../domain.js';
import type { Indicator } from '../policy/schema.js';
import { Numbering } from '../numbering.js';
import type { IndicatorLine, IndicatorLines } from './types.js';

const NONE = -1;

/** The fields of a line as the scoring step finds them. */
export interface IndicatorLineFields {
  given: Decimal | null;
  counted: Decimal;
  self: Decimal | null;
  initial: Decimal | null;
  appeal: Appeal | null;
  /** The score's row, when the file gave one. */
  file: Pick<RowRef, 'file' | 'sheet'> | null;
  row: number;
}

/** The number of a value, NONE for null. */
const numberOrNone = <T>(numbering: Numbering<T>, value: T | null): number => (value === null ? NONE : numbering.numberOf(value));
/** The value numbered `n`, null for NONE. */
const valueOrNull = <T>(numbering: Numbering<T>, n: number): T | null => (n === NONE ? null : numbering.at(n));

export class IndicatorLineColumns {
  private count = 0;
  private readonly given: Int32Array;
  private readonly counted: Int32Array;
  private readonly self: Int32Array;
  private readonly initial: Int32Array;
  private readonly file: Int32Array;
  private readonly row: Int32Array;
  private readonly decimals = new Numbering<Decimal>();
  private readonly files = new Numbering<Pick<RowRef, 'file' | 'sheet'>>();
  /** Appeals by line: few lines have one. */
  private readonly appeals = new Map<number, Appeal>();

  /** `capacity`: the lines of the year (their number is known before the first is added). */
  constructor(readonly capacity: number) {
    // In shared memory: a report's thread reads the figures where they are (line-rows.ts).
    this.given = new Int32Array(new SharedArrayBuffer(capacity * Int32Array.BYTES_PER_ELEMENT));
    this.counted = new Int32Array(new SharedArrayBuffer(capacity * Int32Array.BYTES_PER_ELEMENT));
    this.self = new Int32Array(capacity);
    this.initial = new Int32Array(capacity);
    this.file = new Int32Array(capacity);
    this.row = new Int32Array(capacity);
  }

  /** Lines added so far: the next institution's first line. */
  get length(): number {
    return this.count;
  }

  add(line: IndicatorLineFields): void {
    const i = this.count;
    if (i === this.capacity) throw new Error(`more indicator lines than the ${this.capacity} counted`);
    this.given[i] = numberOrNone(this.decimals, line.given);
    this.counted[i] = this.decimals.numberOf(line.counted);
    this.self[i] = numberOrNone(this.decimals, line.self);
    this.initial[i] = numberOrNone(this.decimals, line.initial);
    this.file[i] = numberOrNone(this.files, line.file);
    this.row[i] = line.row;
    if (line.appeal) this.appeals.set(i, line.appeal);
    this.count = i + 1;
  }

  /** The lines of an institution: its category's `indicators`, in order, from line `first`. */
  linesOf(indicators: readonly Indicator[], first: number): IndicatorLines {
    if (first + indicators.length > this.count) throw new Error(`lines ${first}–${first + indicators.length - 1} are not all added`);
    return new InstitutionLines(this, indicators, first);
  }

  /**
   * The score given (`given`) or the points counted (`counted`) of every line, as the
   * number of a value in `figureValues()` (−1: none), read in place (shared memory) — for a
   * report that goes over every line without making it.
   */
  figureIds(field: 'given' | 'counted'): Int32Array {
    return field === 'given' ? this.given : this.counted;
  }

  /** The values the lines' figures are numbered in, by number. */
  figureValues(): Decimal[] {
    return Array.from({ length: this.decimals.size }, (_, n) => this.decimals.at(n));
  }

  /** Line `i`, of `indicator`, as an object. */
  line(indicator: Indicator, i: number): IndicatorLine {
    return new ReadIndicatorLine(
      indicator,
      valueOrNull(this.decimals, this.given[i] as number),
      this.decimals.at(this.counted[i] as number),
      valueOrNull(this.decimals, this.self[i] as number),
      valueOrNull(this.decimals, this.initial[i] as number),
      this.appeals.get(i) ?? null,
      valueOrNull(this.files, this.file[i] as number),
      this.row[i] as number,
    );
  }
}

/**
 * Where an institution's lines are held: the year's columns, its first line there and its
 * indicators in order (null where they are held another way).
 */
export function heldLines(lines: IndicatorLines): { columns: IndicatorLineColumns; first: number; indicators: readonly Indicator[] } | null {
  return lines instanceof InstitutionLines ? { columns: lines.columns, first: lines.first, indicators: lines.indicators } : null;
}

class InstitutionLines implements IndicatorLines {
  constructor(
    readonly columns: IndicatorLineColumns,
    readonly indicators: readonly Indicator[],
    readonly first: number,
  ) {}

  get length(): number {
    return this.indicators.length;
  }

  *[Symbol.iterator](): Iterator<IndicatorLine> {
    for (let k = 0; k < this.indicators.length; k++) yield this.columns.line(this.indicators[k] as Indicator, this.first + k);
  }

  toArray(): IndicatorLine[] {
    return [...this];
  }
}

/** A line as read: its row reference is made when asked for. */
class ReadIndicatorLine implements IndicatorLine {
  constructor(
    readonly indicator: Indicator,
    readonly given: Decimal | null,
    readonly counted: Decimal,
    readonly self: Decimal | null,
    readonly initial: Decimal | null,
    readonly appeal: Appeal | null,
    private readonly file: Pick<RowRef, 'file' | 'sheet'> | null,
    private readonly row: number,
  ) {}

  get source(): RowRef | null {
    return this.file === null ? null : { file: this.file.file, sheet: this.file.sheet, row: this.row };
  }
}
