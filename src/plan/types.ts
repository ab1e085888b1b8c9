// The values the plan's steps hand to each other: what an assessment is (a tagged union,
// so a pending result cannot be read as scored), score deductions and list entries.
// Plain data: decimals for scores, integer fen for money, row references for inputs.
import type { Decimal } from 'decimal.js';
import type { Appeal, Institution, Investigation, RowRef, Violation } from '../domain.js';
import type { Category, Grade } from '../policy/schema.js';
import type { DepositSettlement } from '../rules/deposit.js';
import type { IndicatorPoints } from '../rules/scoring.js';
import type { Facts } from './derivation.js';

/** A deduction from an institution's score: a violation handled in the year, or a module's (personnel outcomes). */
export interface ScoreDeduction {
  points: Decimal;
  rule: string;
  /** Policy path of the points (its ref is the article). */
  policy: string;
  /** What the report words: for a violation its type, basis and dates. */
  facts: Facts;
  inputs: RowRef[];
  /** The violation behind the deduction, when there is one. */
  violation?: Violation;
}

export interface Ranking {
  rank: number;
  /** Scored institutions in the category. */
  of: number;
}

/** Scored: the score and how it was reached. `R` is the ranking once the rank step has run. */
export interface ScoredAssessment<R = Ranking> {
  status: 'scored';
  base: Decimal; // Σ counted indicator points
  categoryMax: Decimal; // Σ max of the category's indicators
  scaled: Decimal; // base scaled to the full mark
  deductionTotal: Decimal;
  score: Decimal;
  grade: Grade;
  ranking: R;
}

/** Not scored while the investigation is open on the day the assessment work ends. */
export interface PendingAssessment {
  status: 'pending';
  investigation: Investigation;
}

/** Not scored: the violation that makes the year unqualified (refused materials). */
export interface UnqualifiedAssessment {
  status: 'unqualified';
  violation: Violation;
}

export type Assessment<R = Ranking> = ScoredAssessment<R> | PendingAssessment | UnqualifiedAssessment;

/** An indicator's score and the review stages that reached it (SPEC §5.3 自评 → 初审 → 得分). */
export interface IndicatorLine extends IndicatorPoints {
  /** 自评得分 and 初审得分, where the score file gives them. */
  self: Decimal | null;
  initial: Decimal | null;
  /** The appeal against the initial score, if there was one. */
  appeal: Appeal | null;
  /** The score's row. */
  source: RowRef | null;
}

/**
 * An institution's indicator lines, in its category's order: read from the year's columns
 * (indicator-lines.ts), a line made as an object each time it is read.
 */
export interface IndicatorLines extends Iterable<IndicatorLine> {
  readonly length: number;
  toArray(): IndicatorLine[];
}

/** What the scoring step knows of an institution. */
export interface ScoredInstitution<R = Ranking> {
  institution: Institution;
  category: Category;
  /** Every indicator of the category, with the score given (null when missing), the points counted and the review stages. */
  indicators: IndicatorLines;
  /** Deductions of the year, whatever the status (a pending institution's apply when its case is settled). */
  deductions: ScoreDeduction[];
  assessment: Assessment<R>;
}

/** What modules after scoring see of an institution: its assessment, ranked, and its deposit (its months: the plan's monthlyWithheldFen). */
export interface AssessedInstitution extends ScoredInstitution {
  deposit: DepositSettlement;
}

/**
 * An institution (or person) on a list, and why: facts for the report to word, the policy
 * path whose ref is the list entry's article, and the input rows behind it.
 */
export interface ListEntry<L extends string = string> {
  list: L;
  code: string;
  rule: string;
  policy: string;
  facts: Facts;
  inputs: RowRef[];
}
