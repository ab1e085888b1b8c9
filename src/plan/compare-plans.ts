// What-if (SPEC §2 `compare`): the same year planned under two policies, side by side —
// every institution whose score, grade, status, tier, lists or money differ, totals per
// category and district, and the money that moves. Pure: two plans in, the comparison out;
// the first step of each changed institution's derivation that differs is found by
// `firstDifference` on the steps the shell records for the changed codes only.
import type { Decimal } from 'decimal.js';
import type { AssessmentStatus } from '../rules/status.js';
import type { DepositTotals } from '../rules/deposit.js';
import { gradeText } from './assessment.js';
import type { Step } from './derivation.js';
import type { InstitutionPlan, YearPlan } from './year-plan.js';

/** One institution as one policy sees it; null when that policy's scope leaves it out. */
export interface Side {
  status: AssessmentStatus;
  score: Decimal | null;
  grade: string;
  tier: string;
  /** Every list it is on (published or not), in registry order. */
  lists: string[];
  withheldFen: number;
  payoutFen: number;
  forfeitedFen: number;
  heldFen: number;
}

export type ChangedField = 'scope' | 'score' | 'grade' | 'status' | 'tier' | 'lists' | 'money';

export interface ChangedInstitution {
  code: string;
  name: string;
  category: string;
  district: string;
  before: Side | null;
  after: Side | null;
  changed: ChangedField[];
}

export interface Group {
  name: string;
  institutions: number;
  changed: number;
  before: Pick<DepositTotals, 'withheldFen' | 'payoutFen' | 'forfeitedFen' | 'heldFen'>;
  after: Pick<DepositTotals, 'withheldFen' | 'payoutFen' | 'forfeitedFen' | 'heldFen'>;
}

export interface Comparison {
  changed: ChangedInstitution[];
  institutions: number;
  byCategory: Group[];
  byDistrict: Group[];
  totals: { before: DepositTotals; after: DepositTotals };
  /** Money moved: to the institutions that get more, from those that get less (fen, both ≥ 0), and the fund's change. */
  moved: { gainedFen: number; lostFen: number; gainers: number; losers: number; fundFen: number };
}

function sideOf(r: InstitutionPlan, plan: YearPlan): Side {
  const a = r.assessment;
  const code = r.institution.code;
  const tierOutcome = plan.modules.tiers?.outcomes.get(code);
  const lists = [...plan.lists].filter(([, entries]) => entries.some((e) => e.code === code)).map(([list]) => list);
  return {
    status: a.status,
    score: a.status === 'scored' ? a.score : null,
    grade: gradeText(a, plan.policy),
    tier: tierOutcome ? (tierOutcome.tierAfter ?? '') : r.institution.tier,
    lists,
    withheldFen: r.deposit.withheldFen,
    payoutFen: r.deposit.payoutFen,
    forfeitedFen: r.deposit.forfeitedFen,
    heldFen: r.deposit.heldFen,
  };
}

function changesOf(a: Side | null, b: Side | null): ChangedField[] {
  if (!a || !b) return a === b ? [] : ['scope'];
  const out: ChangedField[] = [];
  if (a.status !== b.status) out.push('status');
  if ((a.score === null) !== (b.score === null) || (a.score && b.score && !a.score.eq(b.score))) out.push('score');
  if (a.grade !== b.grade) out.push('grade');
  if (a.tier !== b.tier) out.push('tier');
  if (a.lists.join(';') !== b.lists.join(';')) out.push('lists');
  if (a.withheldFen !== b.withheldFen || a.payoutFen !== b.payoutFen || a.forfeitedFen !== b.forfeitedFen || a.heldFen !== b.heldFen) out.push('money');
  return out;
}

const zero = () => ({ withheldFen: 0, payoutFen: 0, forfeitedFen: 0, heldFen: 0 });
const add = (t: Group['before'], s: Side | null) => {
  if (!s) return;
  t.withheldFen += s.withheldFen;
  t.payoutFen += s.payoutFen;
  t.forfeitedFen += s.forfeitedFen;
  t.heldFen += s.heldFen;
};

export function comparePlans(before: YearPlan, after: YearPlan): Comparison {
  const beforeBy = new Map(before.institutions.map((r) => [r.institution.code, r]));
  const afterBy = new Map(after.institutions.map((r) => [r.institution.code, r]));
  // Roster order of either plan (an institution only one scope covers comes where that plan has it).
  const codes = [...new Set([...before.institutions, ...after.institutions].map((r) => r.institution.code))];
  const rows = codes.map((code) => {
    const a = beforeBy.get(code);
    const b = afterBy.get(code);
    const r = (a ?? b)!;
    const sa = a ? sideOf(a, before) : null;
    const sb = b ? sideOf(b, after) : null;
    return { code, name: r.institution.name, category: r.category.name, district: r.institution.district || '（未填写区县）', before: sa, after: sb, changed: changesOf(sa, sb) };
  });
  const group = (key: (r: (typeof rows)[number]) => string, order: readonly string[]): Group[] => {
    const groups = new Map<string, Group>(order.map((name) => [name, { name, institutions: 0, changed: 0, before: zero(), after: zero() }]));
    for (const r of rows) {
      const name = key(r);
      let g = groups.get(name);
      if (!g) groups.set(name, (g = { name, institutions: 0, changed: 0, before: zero(), after: zero() }));
      g.institutions += 1;
      if (r.changed.length > 0) g.changed += 1;
      add(g.before, r.before);
      add(g.after, r.after);
    }
    return [...groups.values()].filter((g) => g.institutions > 0);
  };
  const categories = [...new Set([...before.policy.categories, ...after.policy.categories].map((c) => c.name))];
  const districts = [...new Set(rows.map((r) => r.district))].sort((x, y) => x.localeCompare(y, 'zh-CN'));
  let gainedFen = 0;
  let lostFen = 0;
  let gainers = 0;
  let losers = 0;
  for (const r of rows) {
    const delta = (r.after?.payoutFen ?? 0) - (r.before?.payoutFen ?? 0);
    if (delta > 0) {
      gainedFen += delta;
      gainers += 1;
    } else if (delta < 0) {
      lostFen -= delta;
      losers += 1;
    }
  }
  return {
    changed: rows.filter((r) => r.changed.length > 0),
    institutions: rows.length,
    byCategory: group((r) => r.category, categories),
    byDistrict: group((r) => r.district, districts),
    totals: { before: before.totals, after: after.totals },
    moved: { gainedFen, lostFen, gainers, losers, fundFen: after.totals.forfeitedFen - before.totals.forfeitedFen },
  };
}

/** A step's place in a derivation, to pair it with the other policy's: the figure, its indicator or list, and its occurrence. */
function keyed(steps: readonly Step[]): Map<string, Step> {
  const seen = new Map<string, number>();
  const out = new Map<string, Step>();
  for (const s of steps) {
    const base = `${s.figure}\u0000${s.indicator ?? ''}\u0000${s.list ?? ''}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.set(`${base}\u0000${n}`, s);
  }
  return out;
}

/** The first step of the derivation (in the order given: the order computed, so a cause comes before its consequences) whose value differs, or that one policy has and the other not. */
export function firstDifference(before: readonly Step[], after: readonly Step[]): { before: Step | null; after: Step | null } | null {
  const a = keyed(before);
  const b = keyed(after);
  for (const [key, s] of a) {
    const t = b.get(key);
    if (!t || t.value !== s.value) return { before: s, after: t ?? null };
  }
  for (const [key, t] of b) if (!a.has(key)) return { before: null, after: t };
  return null;
}
