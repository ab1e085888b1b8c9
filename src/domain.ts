// The records of a year, as read from the inputs (SPEC §3), and their provenance.
import type { AppealResult, Basis, ExitType, HandlingType } from './io/input-spec.js';
import type { IsoDate } from './io/values.js';

/** Where a record came from: enough for an officer to find the row again. */
export interface RowRef {
  file: string;
  sheet?: string;
  row: number;
}

export type InstitutionKind = '医疗机构' | '零售药店';

export interface Institution {
  code: string;
  name: string;
  kind: InstitutionKind;
  inpatient: boolean | null;
  hospitalLevel: string;
  district: string;
  /** 规划区域: the planning area of the designation layout; the district when not given. */
  planningArea: string;
  admittedOn: IsoDate | null;
  tier: string;
  tierSince: IsoDate | null;
  specialDrug: boolean | null;
  beds: number | null;
  insuranceStaff: number | null;
  agreementEnds: IsoDate | null;
  creditCode: string;
  /** 上年度考核得分 from the roster, used only when there is no results/Y-1 (decimal text). */
  priorScore: string | null;
  source: RowRef;
}

export interface IndicatorScore {
  code: string;
  indicator: string;
  score: string; // decimal text, exact
  /** The header of the column the score was read from, as written (得分, or the indicator code in the wide form). */
  scoreColumn: string;
  selfScore: string | null;
  reviewScore: string | null;
  note: string;
  source: RowRef;
}

/**
 * The year's score rows (src/io/score-table.ts holds them as columns): iterated in file
 * order, each row made as an IndicatorScore when it is reached.
 */
/** A score row as `ScoreRows.visit` shows it: the texts of the row, its reference made when asked for. */
export interface ScoreRowView {
  readonly code: string;
  readonly indicator: string;
  readonly score: string;
  readonly scoreColumn: string;
  readonly selfScore: string | null;
  readonly reviewScore: string | null;
  /** The file (and sheet) of the row: the same object for every row of a file. */
  readonly file: Pick<RowRef, 'file' | 'sheet'>;
  /** The row's number in its file. */
  readonly row: number;
  /** Where the row is (made on each call: ask only for a row that is reported). */
  source(): RowRef;
}

export interface ScoreRows extends Iterable<IndicatorScore> {
  readonly length: number;
  /**
   * Every row in file order, through one view that is moved from row to row (nothing is
   * made per row: checks over millions of rows). The view is the current row's only during
   * the call; keep a row with `of` or by iterating.
   */
  visit(each: (row: ScoreRowView) => void): void;
  /** One institution's rows in file order, through the same kind of moving view. */
  visitOf(code: string, each: (row: ScoreRowView) => void): void;
  /** One institution's rows, in file order; none when it has none. */
  of(code: string): IndicatorScore[];
  /** The rows `keep` keeps, in file order. */
  filter(keep: (s: IndicatorScore) => boolean): ScoreRows;
}

/** One institution's year of settlements, aggregated while streaming (index 0 = January). */
export interface SettlementYear {
  code: string;
  settledFen: (number | null)[]; // 12 months
  reservedFen: (number | null)[]; // 12 months; null: not given, computed from the rate
  rows: (number | null)[]; // source row per month
  file: string;
  sheet?: string;
}

export interface Violation {
  code: string;
  occurredOn: IsoDate;
  handledOn: IsoDate;
  type: HandlingType;
  basis: Basis | null;
  points: string | null; // 扣分 column, decimal text
  recoveredFen: number | null;
  note: string;
  source: RowRef;
}

export interface Investigation {
  code: string;
  openedOn: IsoDate;
  closedOn: IsoDate | null;
  conclusion: string;
  /** 涉嫌重大违规: only such an investigation defers a score (policy `statuses.pending`); blank reads as yes. */
  major: boolean;
  source: RowRef;
}

/** An appeal against an initial-review score, and how it was decided (SPEC §3 申诉记录). */
export interface Appeal {
  code: string;
  indicator: string;
  filedOn: IsoDate;
  result: AppealResult;
  /** 调整后得分 (decimal text), given when the result is 调整. */
  adjusted: string | null;
  reason: string;
  reply: string;
  source: RowRef;
}

/** An institution that left the scheme (SPEC §3 退出记录): its code need not be in this year's roster. */
export interface Exit {
  code: string;
  name: string;
  exitedOn: IsoDate;
  type: ExitType;
  creditCode: string;
  note: string;
  source: RowRef;
}

/** A person of the personnel demerit system (SPEC §5.2), keyed by 人员编码. */
export interface PersonRecord {
  code: string;
  name: string;
  /** 身份证号 where given ('' otherwise), checked to agree across the person's rows. */
  idNumber: string;
  /** The row of the person's first event. */
  firstRow: number;
}

export const PERSONNEL_KINDS = ['记分', '修复', '恢复'] as const;

/**
 * The year's personnel events, packed: one slot per event in parallel typed arrays (a few
 * bytes each), the person, institution and 情形 as indexes into small tables. Memory grows
 * by some 20 bytes an event and one record a person, never an object per row.
 */
export interface PersonnelEvents {
  file: string;
  sheet?: string;
  persons: PersonRecord[];
  count: number;
  person: Int32Array;
  /** yyyymmdd */
  date: Int32Array;
  points: Int8Array;
  /** Index into PERSONNEL_KINDS. */
  kind: Uint8Array;
  row: Int32Array;
  institution: Int32Array;
  institutionCodes: string[];
  /** Index into `situations`, -1 when blank. */
  situation: Int32Array;
  situations: string[];
}

export interface YearInputs {
  year: number;
  /** The day the assessment work ends: investigations open then make a score pending (policy `statuses.pending`). */
  asOf: IsoDate;
  /** The day the agency received the department's 通报 of the scores (--notified-on; the as-of date when not given). */
  notifiedOn: IsoDate;
  institutions: Institution[];
  scores: ScoreRows;
  settlements: ReadonlyMap<string, SettlementYear>;
  violations: Violation[];
  investigations: Investigation[];
  appeals: Appeal[];
  exits: Exit[];
  personnel: PersonnelEvents;
  /** Which files were read, with row counts, for the manifest. */
  sources: InputSource[];
}

export interface InputSource {
  kind: string;
  name: string;
  file: string;
  sheet?: string;
  path: string;
  rows: number;
  encoding?: string;
  /** The file was read and its header row found (otherwise a root problem says why). */
  readable: boolean;
}
