// The columns each module adds to institutions.csv (SPEC §6: "then, as modules add them"),
// written only when the module ran. Keyed by module id, so a module added to the registry
// without its columns (an empty list when it has none) does not compile.
import { MODULES, type ModuleId, type OutcomeOf } from '../modules/index.js';
import type { YearPlan } from '../plan/year-plan.js';

export interface ModuleColumn<O> {
  /** Stable English column name. */
  column: string;
  /** The cell for an institution; `outcome` is undefined when the module decided nothing for it. */
  value: (outcome: O | undefined) => string;
}

export const MODULE_COLUMNS: { [Id in ModuleId]: readonly ModuleColumn<OutcomeOf<Id>>[] } = {
  consecutiveLow: [],
};

/** The columns of one module that ran, bound to its outcomes. */
function columnsOf<Id extends ModuleId>(id: Id, plan: YearPlan): { column: string; cell: (code: string) => string }[] {
  const run = plan.modules[id];
  if (!run) return [];
  const columns: readonly ModuleColumn<OutcomeOf<Id>>[] = MODULE_COLUMNS[id];
  return columns.map((c) => ({ column: c.column, cell: (code: string) => c.value(run.outcomes.get(code)) }));
}

/** The module columns of institutions.csv for this plan, in registry order. */
export function moduleColumns(plan: YearPlan): { column: string; cell: (code: string) => string }[] {
  return MODULES.flatMap((m) => columnsOf(m.id, plan));
}
