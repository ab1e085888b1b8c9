// The year as named pure steps (SPEC §5; the shape of changesets' assemble-release-plan):
// select the scope → modules before scoring → score → rank → settle deposits → modules
// after scoring → lists → state. Nothing here touches the disk; the run (src/run/year.ts) applies the plan.
import type { YearInputs } from '../domain.js';
import type { Policy } from '../policy/schema.js';
import { NO_TRACE, type Trace } from './derivation.js';
import { scoreInstitutions } from './score-institutions.js';
import { agreementEndedOn, agreementEndingsByRecord, settlementGap } from '../rules/settlement-months.js';
import { selectScope } from './select-scope.js';
import { rankWithinCategories } from './rank-within-categories.js';
import { settleDeposits } from './settle-deposits.js';
import { moduleDeductions, runModules } from './run-modules.js';
import { assembleLists } from './assemble-lists.js';
import { carryState } from './carry-state.js';
import type { PriorYear } from './state.js';
import type { WorkCalendar } from '../rules/calendar.js';

/** No year known: any working-day count refuses (CalendarGap). */
const NO_CALENDAR: WorkCalendar = { years: new Set(), holidays: new Set(), workdays: new Set(), sources: new Map() };
import type { ScoredAssessment } from './types.js';
import type { InstitutionPlan, YearPlan } from './year-plan.js';
import type { ListCode } from './lists.js';

/** What an institution's plan holds until its deposit is settled and its lists assembled: shared, frozen (a write into them throws). */
const NO_DEPOSIT = Object.freeze({ withheldFen: 0, ratio: null, payoutFen: 0, forfeitedFen: 0, heldFen: 0 });
const NOT_LISTED: readonly ListCode[] = Object.freeze([]);

export interface PlanOptions {
  /** Which codes' derivations to record (none by default). */
  trace?: Trace;
  /** The official working-day calendar (none by default: a module that counts working days then refuses). */
  calendar?: WorkCalendar;
  /** The policy file's hash, carried with held deposits. */
  policySha256?: string;
  /** Told after each named step (for a progress bar; the plan stays pure). */
  onStep?: (done: number, total: number) => void;
  /**
   * Told once the plan no longer reads an input, so that the caller may let it go while the
   * plan goes on (a country's indicator rows and settlement months are hundreds of megabytes).
   * Where the scope left institutions out, the plan reads its own copy and holds it until it returns.
   */
  onSpent?: (input: 'scores' | 'settlements') => void;
}

/** The named steps planYear takes, for progress. */
const STEPS = 8;

/** Computes the year. Inputs must have passed validation (src/run/validate.ts). */
export function planYear(allInputs: YearInputs, policy: Policy, prior: PriorYear, options: PlanOptions = {}): YearPlan {
  const trace = options.trace ?? NO_TRACE;
  const { inputs, outOfScope } = selectScope(allInputs, policy);
  const { year, asOf, notifiedOn } = inputs;
  const calendar = options.calendar ?? NO_CALENDAR;
  const context = { year, asOf, notifiedOn, calendar, policy, inputs, prior, trace };

  let steps = 0;
  const stepDone = () => options.onStep?.(++steps, STEPS);
  const before = runModules('beforeScore', context);
  stepDone();
  const scored = scoreInstitutions({ inputs, policy, moduleDeductions: moduleDeductions(before), trace });
  options.onSpent?.('scores');
  stepDone();
  const rankings = rankWithinCategories(scored, trace);
  stepDone();
  // An institution's plan is made once, when it is ranked, and completed here step by step:
  // its deposit once settled, its lists once assembled. Each step reads only what is set
  // before it, and nothing outside sees the objects before the plan is returned. (A copy per
  // step was an object an institution at every step, kept until the plan was made: some
  // 100 MB of the old generation a step at 1.1 million.) Objects are written out field by
  // field, not spread: a spread copy of a record is several times its size in V8 (measured:
  // 370 bytes an indicator line instead of 90).
  const institutions: InstitutionPlan[] = scored.map((r, i) => {
    const a = r.assessment;
    const ranking = rankings[i];
    let assessment: InstitutionPlan['assessment'];
    if (a.status !== 'scored') assessment = a;
    else {
      if (!ranking) throw new Error(`scored institution ${r.institution.code} has no rank`);
      assessment = { status: 'scored', base: a.base, categoryMax: a.categoryMax, scaled: a.scaled, deductionTotal: a.deductionTotal, score: a.score, grade: a.grade, ranking } satisfies ScoredAssessment;
    }
    return { institution: r.institution, category: r.category, indicators: r.indicators, deductions: r.deductions, assessment, deposit: NO_DEPOSIT, lists: NOT_LISTED as ListCode[] };
  });
  const deposits = settleDeposits(institutions, inputs.settlements, policy, year, trace);
  for (let i = 0; i < institutions.length; i++) {
    const r = institutions[i] as InstitutionPlan;
    r.deposit = deposits.settlements[i] ?? { withheldFen: 0, ratio: null, payoutFen: 0, forfeitedFen: 0, heldFen: 0 };
  }
  // Months missing while an agreement ran: the last the plan reads of the settlements.
  const endings = agreementEndingsByRecord(year, inputs.violations, inputs.exits, policy);
  const settlementGaps = inputs.institutions.flatMap((inst) => {
    const gap = settlementGap(inst, inputs.settlements.get(inst.code), agreementEndedOn(inst, year, endings), year);
    return gap ? [gap] : [];
  });
  options.onSpent?.('settlements');
  stepDone();
  const after = runModules('afterScore', { ...context, institutions, earlier: {} });
  stepDone();
  const modules = { ...before, ...after };
  const lists = assembleLists(institutions, modules, inputs.violations, policy, year, trace);
  for (let i = 0; i < institutions.length; i++) (institutions[i] as InstitutionPlan).lists = lists.byInstitution[i] ?? [];
  stepDone();
  const carriedHeld = prior.state?.held_deposits ?? [];
  stepDone();
  const state = carryState({ year, policy, policySha256: options.policySha256, institutions, modules, carriedHeld });
  stepDone();
  return {
    year,
    asOf,
    notifiedOn,
    policy,
    institutions,
    lists: lists.entries,
    published: lists.published,
    monthlyWithheldFen: deposits.monthlyWithheldFen,
    totals: deposits.totals,
    ...(deposits.pool ? { pool: deposits.pool } : {}),
    outOfScope,
    settlementGaps,
    carriedHeld,
    prior,
    modules,
    state,
  };
}
