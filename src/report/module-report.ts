// What each module adds to the report: its columns of institutions.csv (SPEC §6: "then,
// as modules add them", written only when the module ran) and the words of its
// derivation steps in `explain`. Keyed by module id, so a module added to the registry
// without its report pieces (empty when it has none) does not compile.
import { MODULES, type ModuleId, type OutcomeOf } from '../modules/index.js';
import type { Facts, Step } from '../plan/derivation.js';
import type { InstitutionPlan, YearPlan } from '../plan/year-plan.js';

export interface ModuleColumn<O> {
  /** Stable English column name. */
  column: string;
  /** The cell for an institution; `outcome` is undefined when the module decided nothing for it. */
  value: (outcome: O | undefined) => string;
}

export interface ModuleReport<O> {
  /** The heading of the module's part of an explanation. */
  title: string;
  columns: readonly ModuleColumn<O>[];
  /** A module step in words, by figure. */
  steps: Readonly<Record<string, (step: Step, plan: YearPlan) => string>>;
}

const text = (facts: Facts | undefined, key: string): string => {
  const v = facts?.[key];
  return v === null || v === undefined ? '' : String(v);
};

export const MODULE_REPORTS: { [Id in ModuleId]: ModuleReport<OutcomeOf<Id>> } = {
  consecutiveLow: {
    title: '连续两个年度低于分数线（不予续签）',
    columns: [],
    steps: {
      consecutiveLow: (step, plan) => {
        const f = step.facts;
        const source = f?.lastYearFrom === 'roster' ? '上年度得分取自机构名册「上年度考核得分」' : `上年度得分取自 ${text(f, 'stateFile')}`;
        const scores = `${text(f, 'lastYear')}年度得分 ${text(f, 'scoreLastYear')}、${plan.year}年度得分 ${text(f, 'scoreThisYear')}`;
        return step.value === 'true'
          ? `不予续签：是——${scores}，连续${text(f, 'years')}个年度低于${text(f, 'below')}分（${source}）`
          : `不予续签：否——${scores}，未连续${text(f, 'years')}个年度低于${text(f, 'below')}分（${source}）`;
      },
    },
  },
};

/** The columns of one module that ran, bound to its outcomes. */
function columnsOf<Id extends ModuleId>(id: Id, plan: YearPlan): { column: string; cell: (r: InstitutionPlan) => string }[] {
  const run = plan.modules[id];
  if (!run) return [];
  const columns: readonly ModuleColumn<OutcomeOf<Id>>[] = MODULE_REPORTS[id].columns;
  return columns.map((c) => ({ column: c.column, cell: (r: InstitutionPlan) => c.value(run.outcomes.get(r.institution.code)) }));
}

/** The module columns of institutions.csv for this plan, in registry order. */
export function moduleColumns(plan: YearPlan): { column: string; cell: (r: InstitutionPlan) => string }[] {
  return MODULES.flatMap((m) => columnsOf(m.id, plan));
}

/** The explain sections of the modules that ran: heading and the figures they own, in registry order. */
export function moduleSections(plan: YearPlan): { title: string; figures: readonly string[]; words: ModuleReport<unknown>['steps'] }[] {
  return MODULES.filter((m) => plan.modules[m.id] !== undefined).map((m) => ({ title: MODULE_REPORTS[m.id].title, figures: m.figures, words: MODULE_REPORTS[m.id].steps }));
}
