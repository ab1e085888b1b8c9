// Step 5 of the plan: assemble the lists (SPEC §5.5). The core fills `results` (every
// institution) and `terminated` (unqualified, or a terminating violation handled in the
// year); modules hand in their entries. Membership is decided here, once: one entry per
// list and institution (the first reason found wins), entries in roster order, and only
// the lists the policy publishes reach an institution's `lists`.
import type { RowRef, Violation } from '../domain.js';
import type { Policy } from '../policy/schema.js';
import type { ModuleResults } from '../modules/index.js';
import { terminationsOf } from './terminations.js';
import type { Trace } from './derivation.js';
import { isListCode, LISTS, type ListCode } from './lists.js';
import type { AssessedInstitution, ListEntry } from './types.js';

export interface AssembledLists {
  /** Every list filled this year, published or not, by code; entries in roster order. */
  entries: ReadonlyMap<ListCode, readonly ListEntry<ListCode>[]>;
  /** The lists the policy publishes, in its order. */
  published: readonly ListCode[];
  /** Per institution (aligned with the input): the published lists it is on, in the policy's order. */
  byInstitution: ListCode[][];
}

/**
 * What every institution's `results` entry carries, one record per status, and the empty
 * list of its rows: there is an entry per institution (1.1 million at national scale), and
 * none of them changes what it was given.
 */
const RESULTS_FACTS = { scored: Object.freeze({ status: 'scored' }), pending: Object.freeze({ status: 'pending' }), unqualified: Object.freeze({ status: 'unqualified' }) } as const;
const NO_ROWS: RowRef[] = Object.freeze([]) as unknown as RowRef[];

/** The core's own entries: every institution on `results` (and `allocation` when pooled); terminations on `terminated`. */
export function coreEntries(institutions: readonly AssessedInstitution[], violations: readonly Violation[], policy: Policy, year: number): ListEntry<ListCode>[] {
  const entries: ListEntry<ListCode>[] = [];
  const pooled = policy.deposit.method === 'pool';
  const ended = new Map(terminationsOf(institutions, violations, policy, year).map((t) => [t.code, t]));
  for (const r of institutions) {
    const code = r.institution.code;
    entries.push({ list: 'results', code, rule: 'listResults', policy: 'publication', facts: RESULTS_FACTS[r.assessment.status], inputs: NO_ROWS });
    // The pool's allocation plan (资金分配方案): what every institution receives and its net, published before settlement.
    if (pooled) entries.push({ list: 'allocation', code, rule: 'listAllocation', policy: 'deposit.pool', facts: { status: r.assessment.status, held: r.deposit.heldFen > 0, forfeited: r.deposit.forfeitedFen > 0 }, inputs: [] });
    const t = ended.get(code);
    if (!t) continue;
    const v = t.violation;
    const facts = { cause: t.cause, type: v.type, occurredOn: v.occurredOn, handledOn: v.handledOn, depositForfeited: r.deposit.forfeitedFen > 0, depositPooled: pooled && r.deposit.forfeitedFen === 0 };
    if (t.cause === 'unqualified') entries.push({ list: 'terminated', code, rule: 'listTerminatedUnqualified', policy: 'statuses.unqualified', facts, inputs: [v.source] });
    else entries.push({ list: 'terminated', code, rule: 'listTerminatedViolation', policy: 'statuses.terminated', facts, inputs: [v.source] });
  }
  return entries;
}

/**
 * A list's entries in roster order (entries of one institution in the order given; one not
 * on the roster first). The core lists every institution in roster order already: such a
 * list is kept as it is.
 */
function inRosterOrder(list: ListEntry<ListCode>[], rosterIndex: ReadonlyMap<string, number>): ListEntry<ListCode>[] {
  const index = list.map((e) => rosterIndex.get(e.code) ?? 0);
  if (index.every((n, k) => k === 0 || (index[k - 1] as number) <= n)) return list;
  const order = list.map((_e, k) => k).sort((a, b) => (index[a] as number) - (index[b] as number) || a - b);
  return order.map((k) => list[k] as ListEntry<ListCode>);
}

/**
 * Which codes a list has taken: by roster place for the roster's institutions (a national
 * list has a million), by code for the rest (persons, institutions not on the roster).
 */
class ListMembers {
  private readonly onRoster: Uint8Array;
  private readonly others = new Set<string>();
  constructor(rosterSize: number) {
    this.onRoster = new Uint8Array(rosterSize);
  }
  /** Adds the code (at `place` on the roster, or -1); false when the list has it already. */
  add(code: string, place: number): boolean {
    if (place >= 0) {
      if (this.onRoster[place] === 1) return false;
      this.onRoster[place] = 1;
      return true;
    }
    if (this.others.has(code)) return false;
    this.others.add(code);
    return true;
  }
}

export function assembleLists(
  institutions: readonly AssessedInstitution[],
  modules: ModuleResults,
  violations: readonly Violation[],
  policy: Policy,
  year: number,
  trace: Trace,
): AssembledLists {
  const moduleEntries = Object.values(modules).flatMap((run) => run?.entries ?? []);
  for (const e of moduleEntries) if (!isListCode(e.list)) throw new Error(`a module listed ${e.code} on ${e.list}, which is not in the list registry`);
  const all = [...coreEntries(institutions, violations, policy, year), ...(moduleEntries as ListEntry<ListCode>[])];
  const rosterIndex = new Map<string, number>();
  institutions.forEach((r, i) => rosterIndex.set(r.institution.code, i)); // a code twice: its last place, as the map was built before
  const entries = new Map<ListCode, ListEntry<ListCode>[]>();
  const onList = new Map<ListCode, ListMembers>();
  for (const e of all) {
    let members = onList.get(e.list);
    if (!members) onList.set(e.list, (members = new ListMembers(institutions.length)));
    if (!members.add(e.code, rosterIndex.get(e.code) ?? -1)) continue;
    const list = entries.get(e.list);
    if (list) list.push(e);
    else entries.set(e.list, [e]);
  }
  for (const [code, list] of entries) entries.set(code, inRosterOrder(list, rosterIndex));

  const published = policy.publication.lists.filter(isListCode);
  /** Per roster place: the published lists its institution is on. */
  const listsAt: (ListCode[] | undefined)[] = new Array(institutions.length);
  for (const code of published) {
    for (const e of entries.get(code) ?? []) {
      const place = rosterIndex.get(e.code);
      if (place === undefined) continue;
      const lists = listsAt[place];
      if (lists) lists.push(code);
      else listsAt[place] = [code];
    }
  }

  // The registry order of lists, for derivations: an institution's lists as an appeal reads them.
  const registryOrder = new Map(LISTS.map((l, i) => [l.code, i]));
  for (const list of [...entries.keys()].sort((a, b) => (registryOrder.get(a) ?? 0) - (registryOrder.get(b) ?? 0))) {
    for (const e of entries.get(list) ?? []) {
      if (!trace.wants(e.code)) continue;
      trace.add(e.code, { figure: 'list', list: e.list, value: e.list, rule: e.rule, policy: e.policy, inputs: e.inputs, facts: { ...e.facts, published: published.includes(e.list) } });
    }
  }
  // The same few combinations of lists repeat over every institution: each is kept once.
  const combinations = new Map<string, ListCode[]>();
  const combination = (lists: ListCode[]) => {
    const key = lists.join('\u0000');
    const kept = combinations.get(key);
    if (kept) return kept;
    combinations.set(key, lists);
    return lists;
  };
  return { entries, published, byInstitution: institutions.map((r) => combination(listsAt[rosterIndex.get(r.institution.code) as number] ?? [])) };
}
