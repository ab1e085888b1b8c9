// A module (SPEC §5.5; DESIGN "A module"): one regime's rule family, switched on by the
// policy, run at a stage of the plan, pure. It returns its outcomes per institution (or
// person), its list entries, the score deductions it imposes and the state next year's
// run must read. It never formats a sentence: facts are values, src/report words them.
import type { ZodType } from 'zod';
import type { YearInputs } from '../domain.js';
import type { Problem } from '../problems.js';
import type { WorkCalendar } from '../rules/calendar.js';
import type { IsoDate } from '../io/values.js';
import type { Policy } from '../policy/schema.js';
import type { RuleDef } from '../rules/registry.js';
import type { Trace } from '../plan/derivation.js';
import type { PriorYear } from '../plan/state.js';
import type { AssessedInstitution, ListEntry, ScoreDeduction } from '../plan/types.js';

/** A list a module fills: its stable code, Chinese title, whom it lists, and the policy path its article comes from. */
export interface ListDef {
  code: string;
  title: string;
  subject: 'institution' | 'person';
  /** The module (or core step) that fills it. */
  filledBy: string;
  policy: string;
  /** Whether the policy can fill it at all (a core list tied to a method); modules' lists follow `enabled`. */
  available?: (policy: Policy) => boolean;
}

export interface ModuleContext {
  year: number;
  /** The day the assessment work ends: windows of "the last 12 months" end here. */
  asOf: IsoDate;
  /** The day the agency received the department's 通报 of the scores (deadlines in working days run from it). */
  notifiedOn: IsoDate;
  /** The official working-day calendar. */
  calendar: WorkCalendar;
  policy: Policy;
  /** Everything read for the year: the whole violation history of the file, not only the year's. */
  inputs: YearInputs;
  /** Last year's state (or the roster's prior scores in a first year). */
  prior: PriorYear;
  trace: Trace;
}

export interface AfterScoreContext extends ModuleContext {
  /** Every institution, scored (or not) and ranked, with its deposit settled. Roster order. */
  institutions: readonly AssessedInstitution[];
  /** What the modules before this one returned (registry order), by module id. */
  earlier: Readonly<Record<string, ModuleRun<unknown>>>;
}

/** Fields a module carries into next year's state.json, per institution code. */
export type InstitutionStateFields = Readonly<Record<string, string | number | boolean | null>>;

export interface ModuleRun<O, L extends string = string> {
  /** The module's outcome per institution (or person) code. */
  outcomes: ReadonlyMap<string, O>;
  entries: readonly ListEntry<L>[];
  /** Score deductions per institution code (modules of stage beforeScore). */
  deductions: ReadonlyMap<string, readonly ScoreDeduction[]>;
  /**
   * Per-institution fields for state.json, per-person records (state.json `personnel`), and
   * the module's own slice (state.json `modules.<id>`), read back by `priorState`.
   */
  state: { institutions?: ReadonlyMap<string, InstitutionStateFields>; persons?: ReadonlyMap<string, unknown>; slice?: unknown };
}

interface ModuleCommon<L extends string> {
  id: string;
  enabled: (policy: Policy) => boolean;
  lists: readonly (ListDef & { code: L })[];
  /** The module's rules (id → label and policy path), for derivations. */
  rules: Readonly<Record<string, RuleDef>>;
  /** The module's own step figures, in the order an appeal reads them (after the core's). */
  figures: readonly string[];
  /** Input checks of its own (SPEC §5.1: every problem before anything is computed), when the module is on. */
  validate?: (inputs: YearInputs, policy: Policy, prior: PriorYear) => Problem[];
  /** What the officer must see but that does not stop the run (a policy naming an area no institution is in). */
  warn?: (inputs: YearInputs, policy: Policy) => Problem[];
  /** The schema of its slice of last year's state.json, checked when the state is read. */
  priorState?: ZodType;
}

export type PlanModule<O, L extends string = string> = ModuleCommon<L> &
  (
    | { stage: 'beforeScore'; run: (ctx: ModuleContext) => ModuleRun<O, L> }
    | { stage: 'afterScore'; run: (ctx: AfterScoreContext) => ModuleRun<O, L> }
  );

/** An empty run: nothing listed, deducted or carried. */
export function emptyRun<O, L extends string>(): ModuleRun<O, L> {
  return { outcomes: new Map(), entries: [], deductions: new Map(), state: {} };
}
