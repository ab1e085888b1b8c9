// The plan of one year: every figure of the run as a plain value (SPEC §5; DESIGN "The year,
// as data flows through it"). The report renders it, explain and compare read it, the run
// writes it. Roster order throughout.
import type { Policy } from '../policy/schema.js';
import type { DepositTotals } from '../rules/deposit.js';
import type { ModuleResults } from '../modules/index.js';
import type { ListCode } from './lists.js';
import type { HeldDeposit, PriorYear } from './state.js';
import type { CarriedState } from './carry-state.js';
import type { AssessedInstitution, ListEntry } from './types.js';
import type { OutOfScope } from './select-scope.js';
import type { MonthlyWithheld, PoolSummary } from './settle-deposits.js';
import type { SettlementGap } from '../rules/settlement-months.js';

export interface InstitutionPlan extends AssessedInstitution {
  /** The published lists the institution is on, in the policy's order. */
  lists: ListCode[];
}

export interface YearPlan {
  year: number;
  asOf: string;
  /** The day the agency received the department's 通报 of the scores. */
  notifiedOn: string;
  policy: Policy;
  institutions: InstitutionPlan[];
  /** Every list filled this year (published or not), by code; entries in roster order. */
  lists: ReadonlyMap<ListCode, readonly ListEntry<ListCode>[]>;
  /** The lists the policy publishes, in its order. */
  published: readonly ListCode[];
  /** Each institution's 12 months of withholding, by roster index (the institutions' order). */
  monthlyWithheldFen: MonthlyWithheld;
  totals: DepositTotals;
  /** The whole pool, when deposits are pooled. */
  pool?: PoolSummary;
  /** Institutions of the roster the scheme does not cover, left out with their rows. */
  outOfScope: OutOfScope;
  /** Institutions with months of settlement missing in the span their agreement ran (roster order). */
  settlementGaps: SettlementGap[];
  /** Deposits held in earlier years, carried unchanged until their case is settled. */
  carriedHeld: HeldDeposit[];
  prior: PriorYear;
  /** What each module that ran returned, by module id. */
  modules: ModuleResults;
  /** state.json as the plan leaves it: an institution's entry is made when it is written or read. */
  state: CarriedState;
}
