// Step 6 of the plan: the state next year's run reads (SPEC §6 state.json): per institution
// its score, status and grade, the roster's tier unless a module carries its own, the
// fields modules carry (waits, bans...); deposits held for open investigations, with the
// investigation's row and the policy they were held under, added to those carried from
// earlier years.
import { MembersMadeWhenRead } from '../io/json-file.js';
import { fenToYuanText } from '../io/values.js';
import { fixedText } from '../rules/shared-decimal.js';
import type { Policy } from '../policy/schema.js';
import { citePath } from '../policy/refs.js';
import type { ModuleResults } from '../modules/index.js';
import { gradeText } from './assessment.js';
import { STATE_SCHEMA, type HeldDeposit, type InstitutionState, type YearState } from './state.js';
import type { AssessedInstitution } from './types.js';

export interface CarryInput {
  year: number;
  policy: Policy;
  policySha256?: string;
  institutions: readonly AssessedInstitution[];
  modules: ModuleResults;
  /** Deposits held in earlier years and not yet settled. */
  carriedHeld: readonly HeldDeposit[];
}

/** The state the plan carries: state.json's, with an institution's entry made when it is written or read. */
export type CarriedState = Omit<YearState, 'institutions'> & { institutions: MembersMadeWhenRead<InstitutionState> };

export function carryState({ year, policy, policySha256, institutions, modules, carriedHeld }: CarryInput): CarriedState {
  const decimals = policy.scoring.decimals;
  const held: HeldDeposit[] = [...carriedHeld];
  // Roster indexes in code order: the entries are made from them when state.json is written,
  // not held from the plan to the end of the run (an object and a key of a million-key
  // record an institution nationally).
  const codeOf = (n: number) => (institutions[n] as AssessedInstitution).institution.code;
  const byCode = Int32Array.from(institutions, (_, n) => n).sort((a, b) => {
    const x = codeOf(a);
    const y = codeOf(b);
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  // A code twice in the roster (the checks refuse it) has one entry, its last, as a record keeps.
  const entries = byCode.filter((n, k) => k === byCode.length - 1 || codeOf(n) !== codeOf(byCode[k + 1] as number));
  const moduleRuns = Object.values(modules);
  const stateOf = (r: AssessedInstitution): InstitutionState => {
    const a = r.assessment;
    let state: InstitutionState = {
      score: a.status === 'scored' ? fixedText(a.score, decimals) : null,
      status: a.status,
      grade: gradeText(a, policy),
      tier: r.institution.tier || null,
      tier_since: r.institution.tierSince,
      promotion_wait_until: null,
      banned_until: null,
    };
    for (const run of moduleRuns) {
      const fields = run?.state.institutions?.get(r.institution.code);
      if (fields) state = { ...state, ...fields };
    }
    return state;
  };
  for (const n of byCode) {
    const r = institutions[n] as AssessedInstitution;
    const a = r.assessment;
    if (a.status === 'pending' && r.deposit.heldFen > 0) {
      const inv = a.investigation;
      held.push({
        code: r.institution.code,
        year,
        held: fenToYuanText(r.deposit.heldFen),
        investigation: { file: inv.source.file, sheet: inv.source.sheet, row: inv.source.row, opened_on: inv.openedOn },
        ref: citePath(policy, 'statuses.pending'),
        ...(policySha256 ? { policy_sha256: policySha256 } : {}),
      });
    }
  }
  // Each module's own slice, in registry order (only modules that carry one).
  const slices = Object.entries(modules).flatMap(([id, run]) => (run?.state.slice === undefined ? [] : [[id, run.state.slice] as const]));
  return {
    schema: STATE_SCHEMA,
    year,
    region: policy.region,
    profile: policy.profile,
    institutions: new MembersMadeWhenRead(entries.length, (n) => codeOf(entries[n] as number), (n) => stateOf(institutions[entries[n] as number] as AssessedInstitution)),
    personnel: Object.fromEntries(Object.values(modules).flatMap((run) => [...(run?.state.persons ?? [])]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    held_deposits: held,
    ...(slices.length > 0 ? { modules: Object.fromEntries(slices) } : {}),
  };
}
