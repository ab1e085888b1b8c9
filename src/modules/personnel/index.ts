// Module personnel (SPEC §5.2; policy `personnel`, its articles the profile's refs): the 12-point
// record of every person of the designated institutions, across all the institutions they
// work at, walked event by event (src/rules/personnel.ts). It runs before scoring: where the
// policy sets `personnel.deductions`, each person's highest outcome of the year is deducted
// once from the score of the institution whose event reached it (`personnel.deductions`).
// Bans and suspensions running past 31 December are carried in state.json `personnel`.
// Events are read packed (src/domain.ts PersonnelEvents): memory grows with persons and a
// few bytes an event.
import { Decimal } from 'decimal.js';
import { z } from 'zod';
import { PERSONNEL_KINDS, type PersonnelEvents, type PersonRecord, type YearInputs } from '../../domain.js';
import { dateText } from '../../io/personnel-events.js';
import { suspensionMonthsByPoints, type Policy } from '../../policy/schema.js';
import type { PriorYear } from '../../plan/state.js';
import { stepsFor } from '../../plan/derivation.js';
import type { ListEntry, ScoreDeduction } from '../../plan/types.js';
import type { Problem } from '../../problems.js';
import { walkPerson, type CarriedPerson, type PersonEvent, type PersonnelRules, type PersonYear } from '../../rules/personnel.js';
import type { ModuleRun, PlanModule } from '../types.js';

export interface PersonOutcome {
  person: PersonRecord;
  /** The institutions of the person's events, in first-seen order. */
  institutions: string[];
  year: PersonYear;
  /** The person's events: indexes into `events`. */
  eventIndexes: Int32Array;
  /** The year's events, shared by every outcome (not copied). */
  events: PersonnelEvents;
}

type Lists = 'keySupervision' | 'suspended' | 'personnelTerminated' | 'personnelBanned';
const POLICY = 'personnel';

const carriedPerson = z.object({
  name: z.string().optional(),
  banned_until: z.string().nullable().optional(),
  terminated_on: z.string().nullable().optional(),
  one_shot: z.boolean().optional(),
  suspended_from: z.string().nullable().optional(),
  suspended_until: z.string().nullable().optional(),
});

export function personnelRules(policy: NonNullable<Policy['personnel']>): PersonnelRules {
  return {
    keySupervisionAt: policy.keySupervisionAt,
    suspendAt: policy.suspendAt,
    terminateAt: policy.terminateAt,
    suspensionMonths: suspensionMonthsByPoints(policy.suspensionMonths),
    cumulativeBanYears: policy.bans.cumulativeYears,
    oneShotBanYears: policy.bans.oneShotYears,
    repairsPerYear: policy.repair.perYear,
    repairMaxPoints: policy.repair.maxPoints,
  };
}

/** Each person's event indexes, in date then row order. */
export function eventsByPerson(events: PersonnelEvents): Int32Array[] {
  const order = Int32Array.from({ length: events.count }, (_, i) => i).sort((a, b) => events.person[a]! - events.person[b]! || events.date[a]! - events.date[b]! || events.row[a]! - events.row[b]!);
  const out: Int32Array[] = [];
  let start = 0;
  for (let k = 1; k <= order.length; k++) {
    if (k === order.length || events.person[order[k]!] !== events.person[order[start]!]) {
      const p = events.person[order[start]!];
      if (p !== undefined && order.length > 0) out[p] = order.subarray(start, k);
      start = k;
    }
  }
  return events.persons.map((_, p) => out[p] ?? new Int32Array(0));
}

export function personEvents(events: PersonnelEvents, indexes: Int32Array): PersonEvent[] {
  return Array.from(indexes, (i) => ({
    date: dateText(events.date[i]!),
    points: events.points[i]!,
    kind: PERSONNEL_KINDS[events.kind[i]!] ?? '记分',
    row: events.row[i]!,
    institution: events.institutionCodes[events.institution[i]!] ?? '',
  }));
}

export function carriedOf(prior: PriorYear, code: string): CarriedPerson | undefined {
  const parsed = carriedPerson.safeParse(prior.state?.personnel?.[code]);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  return { bannedUntil: p.banned_until ?? null, terminatedOn: p.terminated_on ?? null, oneShot: p.one_shot ?? false, suspendedFrom: p.suspended_from ?? null, suspendedUntil: p.suspended_until ?? null };
}

/** The problems of walking every person's year (second repair, repair after a one-shot 12, restoration during a ban), and 情形 with other points. */
function personnelProblems(inputs: YearInputs, policy: Policy, prior: PriorYear): Problem[] {
  const p = policy.personnel;
  if (!p) return [];
  const ev = inputs.personnel;
  const problems: Problem[] = [];
  const at = (row: number, column: string, value: string, message: string) => problems.push({ file: ev.file, ...(ev.sheet ? { sheet: ev.sheet } : {}), row, column, value, message });
  const rules = personnelRules(p);
  const byPerson = eventsByPerson(ev);
  ev.persons.forEach((person, k) => {
    const { problems: walked } = walkPerson(personEvents(ev, byPerson[k] ?? new Int32Array(0)), carriedOf(prior, person.code), rules);
    for (const w of walked) at(w.row, w.column, w.value, w.message);
  });
  // A 情形 the policy names (a severity of (五), or a situation of the local rules) fixes the points a demerit carries.
  const named = [...Object.entries(p.severities?.points ?? {}).map(([k, v]) => [k, v, 'severities'] as const), ...Object.entries(p.situations?.points ?? {}).map(([k, v]) => [k, v, 'situations'] as const)];
  if (named.length > 0) {
    const wanted = new Map(named.map(([k, v, where]) => [k, { range: typeof v === 'number' ? ([v, v] as const) : v, where }]));
    for (let i = 0; i < ev.count; i++) {
      const situation = ev.situations[ev.situation[i]!];
      const w = situation === undefined ? undefined : wanted.get(situation);
      const points = ev.points[i]!;
      if (ev.kind[i] !== 0 || !w || (points >= w.range[0] && points <= w.range[1])) continue;
      const range = w.range[0] === w.range[1] ? `${w.range[0]}` : `${w.range[0]} 至 ${w.range[1]}`;
      at(ev.row[i]!, '分值', String(points), `情形「${situation}」的记分应为 ${range} 分（政策文件 personnel.${w.where}）`);
    }
  }
  return problems;
}

export const personnel = {
  id: 'personnel',
  stage: 'beforeScore',
  enabled: (policy) => policy.personnel?.enabled === true,
  lists: [
    { code: 'keySupervision', title: '人员重点监管', subject: 'person', filledBy: 'personnel', policy: `${POLICY}.keySupervisionAt` },
    { code: 'suspended', title: '人员暂停医保支付资格', subject: 'person', filledBy: 'personnel', policy: `${POLICY}.suspendAt` },
    { code: 'personnelTerminated', title: '人员终止医保支付资格', subject: 'person', filledBy: 'personnel', policy: `${POLICY}.terminateAt` },
    { code: 'personnelBanned', title: '终止期内仍有记分的人员', subject: 'person', filledBy: 'personnel', policy: `${POLICY}.bans` },
  ],
  rules: {
    personnelPoints: { label: '人员记分（12分制，按记分日期累计）', policy: POLICY },
    personnelStatus: { label: '人员记分结果（重点监管、暂停、终止）', policy: POLICY },
    personnelDeduction: { label: '相关人员记分结果扣减机构考核分数', policy: `${POLICY}.deductions` },
  },
  figures: ['personnelEvent', 'personnelStatus', 'personnelCharge'],
  validate: personnelProblems,
  run: (ctx): ModuleRun<PersonOutcome, Lists> => {
    const p = ctx.policy.personnel;
    const outcomes = new Map<string, PersonOutcome>();
    const entries: ListEntry<Lists>[] = [];
    const deductions = new Map<string, ScoreDeduction[]>(); // one institution may answer for thousands: pushed in place
    const persons = new Map<string, unknown>();
    if (!p) return { outcomes, entries, deductions, state: {} };
    const ev = ctx.inputs.personnel;
    const rules = personnelRules(p);
    const byPerson = eventsByPerson(ev);
    const yearEnd = `${ctx.year}-12-31`;
    ev.persons.forEach((person, k) => {
      const indexes = byPerson[k] ?? new Int32Array(0);
      const events = personEvents(ev, indexes);
      const step = stepsFor(ctx.trace, person.code);
      const running: number[] = [];
      const { year } = walkPerson(events, carriedOf(ctx.prior, person.code), rules, step ? (_e, total) => running.push(total) : undefined);
      const institutions = [...new Set(events.map((e) => e.institution))];
      outcomes.set(person.code, { person, institutions, year, eventIndexes: indexes, events: ev });
      const code = person.code;
      const highest = year.highest;
      if (year.status === 'terminated' && year.termination) entries.push({ list: 'personnelTerminated', code, rule: 'personnelStatus', policy: `${POLICY}.terminateAt`, facts: { on: year.termination.date, oneShot: year.termination.oneShot, bannedUntil: year.termination.bannedUntil, points: year.points, institution: year.termination.institution }, inputs: [{ file: ev.file, sheet: ev.sheet, row: year.termination.row }] });
      else if (year.status === 'suspended' && year.suspension) entries.push({ list: 'suspended', code, rule: 'personnelStatus', policy: `${POLICY}.suspendAt`, facts: { from: year.suspension.date, until: year.suspension.until, months: year.suspension.months, reached: year.suspension.pointsReached, endedEarlyOn: year.suspension.endedEarlyOn, points: year.points, institution: year.suspension.institution }, inputs: [{ file: ev.file, sheet: ev.sheet, row: year.suspension.row }] });
      else if (year.status === 'keySupervision' && year.keySupervision) entries.push({ list: 'keySupervision', code, rule: 'personnelStatus', policy: `${POLICY}.keySupervisionAt`, facts: { on: year.keySupervision.date, points: year.points, institution: year.keySupervision.institution }, inputs: [{ file: ev.file, sheet: ev.sheet, row: year.keySupervision.row }] });
      if (year.banned) entries.push({ list: 'personnelBanned', code, rule: 'personnelStatus', policy: `${POLICY}.bans`, facts: { until: year.banned.until, terminatedOn: year.banned.terminatedOn, events: events.length }, inputs: events.slice(0, 1).map((e) => ({ file: ev.file, sheet: ev.sheet, row: e.row })) });

      // The institution answers for its people: the highest outcome, once, to the institution that reached it.
      const points = p.deductions && year.status !== 'normal' ? p.deductions[year.status] : 0;
      if (highest && points > 0) {
        const d: ScoreDeduction = {
          points: new Decimal(points),
          rule: 'personnelDeduction',
          policy: `${POLICY}.deductions.${year.status}`,
          facts: { person: code, outcome: year.status, date: highest.date },
          inputs: [{ file: ev.file, sheet: ev.sheet, row: highest.row }],
        };
        const charged = deductions.get(highest.institution);
        if (charged) charged.push(d);
        else deductions.set(highest.institution, [d]);
        step?.({ figure: 'personnelCharge', value: String(points), rule: 'personnelDeduction', policy: d.policy, inputs: d.inputs, facts: { institution: highest.institution, outcome: year.status, date: highest.date } });
      }

      // Carried: a ban or a suspension still running after the year.
      const ban = year.termination && year.termination.bannedUntil > yearEnd ? year.termination : null;
      const carriedBan = !ban && year.banned && year.banned.until > yearEnd ? year.banned : null;
      const suspension = year.suspension && year.suspension.until > yearEnd && !year.termination ? year.suspension : null;
      if (ban || carriedBan || suspension) {
        persons.set(code, {
          name: person.name,
          banned_until: ban?.bannedUntil ?? carriedBan?.until ?? null,
          terminated_on: ban?.date ?? carriedBan?.terminatedOn ?? null,
          one_shot: ban?.oneShot ?? carriedBan?.oneShot ?? false,
          suspended_from: suspension?.date ?? null,
          suspended_until: suspension?.until ?? null,
        });
      }

      if (step) {
        events.forEach((e, i) => {
          step({ figure: 'personnelEvent', value: String(e.points), rule: 'personnelPoints', policy: POLICY, inputs: [{ file: ev.file, sheet: ev.sheet, row: e.row }], facts: { date: e.date, kind: e.kind, institution: e.institution, running: running[i] ?? 0 } });
        });
        step({ figure: 'personnelStatus', value: year.status, rule: 'personnelStatus', policy: POLICY, facts: { points: year.points, deducted: year.deducted, repaired: year.repaired, keySupervisionOn: year.keySupervision?.date ?? null, suspendedFrom: year.suspension?.date ?? null, suspendedUntil: year.suspension?.until ?? null, terminatedOn: year.termination?.date ?? null, oneShot: year.termination?.oneShot ?? null, bannedUntil: year.termination?.bannedUntil ?? year.banned?.until ?? null } });
      }
    });
    // Persons of last year's state with no event this year: their bans and suspensions carry on while they run.
    for (const [code, raw] of Object.entries(ctx.prior.state?.personnel ?? {})) {
      if (outcomes.has(code)) continue;
      const c = carriedPerson.safeParse(raw);
      if (c.success && ((c.data.banned_until ?? '') > yearEnd || (c.data.suspended_until ?? '') > yearEnd)) persons.set(code, c.data);
    }
    // Persons are listed in code order (their first rows may be anywhere in the file).
    entries.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    return { outcomes, entries, deductions, state: { persons } };
  },
} as const satisfies PlanModule<PersonOutcome, Lists>;
