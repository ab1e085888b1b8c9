// Derivations (SPEC §5.6): every figure of the plan is recorded, where it is computed, as a
// step naming its rule, its policy path, the steps it came from and the input rows it read.
// Recording is asked for per code: a bulk run records nothing (a step costs nothing at
// national scale), `explain` records the one code it explains, tests record all. The same
// code computes the figure and records the step, so the two cannot drift apart.
import type { RowRef } from '../domain.js';

/** Values a step or a list entry carries for the report to word: plain, never sentences. */
export type Facts = Readonly<Record<string, string | number | boolean | null>>;

export interface Step {
  /** Stable figure name: indicator, base, scaled, deduction, score, rank, grade, status, withholding, withheld, ratio, payout, forfeited, held, list, and the modules' own. */
  figure: string;
  /** The figure's exact value as text: yuan with 2 decimals, a score with the policy's decimals, a code. */
  value: string;
  /** Rule id: the core registry (src/rules/registry.ts) or a module's `rules`. */
  rule: string;
  /** Policy path whose ref gives the article; the rule's own path when absent. */
  policy?: string;
  /** Indexes (in this code's steps) of the figures this one was computed from. */
  from?: number[];
  /** The input rows read (the spreadsheet's own 1-based row numbers). */
  inputs?: RowRef[];
  indicator?: string;
  list?: string;
  facts?: Facts;
}

export interface Trace {
  /** Whether steps of this institution (or person) are recorded. */
  wants(code: string): boolean;
  /** Records a step; returns its index among the code's steps (-1 when not recorded). */
  add(code: string, step: Step): number;
  /** Index of the code's last step with this figure (and indicator or list, when given); -1 when none. */
  find(code: string, figure: string, key?: string): number;
}

/** Records nothing: the bulk run. */
export const NO_TRACE: Trace = { wants: () => false, add: () => -1, find: () => -1 };

/** Records the steps of the codes asked for ('all' in tests). */
export class StepRecorder implements Trace {
  private readonly steps = new Map<string, Step[]>();
  constructor(private readonly codes: ReadonlySet<string> | 'all') {}

  wants(code: string): boolean {
    return this.codes === 'all' || this.codes.has(code);
  }

  add(code: string, step: Step): number {
    if (!this.wants(code)) return -1;
    let list = this.steps.get(code);
    if (!list) this.steps.set(code, (list = []));
    list.push(step);
    return list.length - 1;
  }

  find(code: string, figure: string, key?: string): number {
    const list = this.steps.get(code) ?? [];
    for (let i = list.length - 1; i >= 0; i--) {
      const s = list[i];
      if (s && s.figure === figure && (key === undefined || s.indicator === key || s.list === key)) return i;
    }
    return -1;
  }

  /** The code's steps in the order an appeal walks them (see `appealOrder`). */
  /** The code's steps in the order they were computed (the pipeline's), not an appeal's. */
  computedOf(code: string): readonly Step[] {
    return this.steps.get(code) ?? [];
  }

  stepsOf(code: string, moduleFigures: readonly string[] = []): Step[] {
    return appealOrder(this.steps.get(code) ?? [], moduleFigures);
  }
}

/** The figures in the order an appeal would walk them (SPEC §5.6); module figures follow, then anything else. */
export const FIGURE_ORDER = [
  'indicator',
  'base',
  'scaled',
  'deduction',
  'score',
  'rank',
  'grade',
  'status',
  'withholding',
  'withheld',
  'ratio',
  'weight',
  'payout',
  'forfeited',
  'held',
  'net',
  'list',
] as const;

/**
 * Reorders steps recorded in pipeline order into appeal order (a stable sort by figure)
 * and renumbers their `from` indexes to match.
 */
export function appealOrder(steps: readonly Step[], moduleFigures: readonly string[] = []): Step[] {
  const order = [...FIGURE_ORDER, ...moduleFigures];
  const rank = (figure: string) => {
    const i = order.indexOf(figure);
    return i < 0 ? order.length : i;
  };
  const sorted = steps.map((step, i) => ({ step, i })).sort((a, b) => rank(a.step.figure) - rank(b.step.figure) || a.i - b.i);
  const newIndex = new Map(sorted.map((s, n) => [s.i, n]));
  return sorted.map(({ step }) => (step.from ? { ...step, from: step.from.map((f) => newIndex.get(f) ?? f) } : step));
}

/** A recorder bound to one code: a no-op function when the code is not traced. */
export function stepsFor(trace: Trace, code: string): ((step: Step) => number) | null {
  return trace.wants(code) ? (step) => trace.add(code, step) : null;
}

/** Step indexes for `from`, leaving out figures that were not recorded (-1). */
export function recorded(...indexes: number[]): number[] {
  return indexes.filter((i) => i >= 0);
}
