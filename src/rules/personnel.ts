// The 12-point record of a person (SPEC §5.2; policy `personnel`, whose refs are the
// sections of the Qinghai drafting note): each natural year starts at 12 points; each
// event deducts its 分值 in date order (then row order), across every institution the
// person works at. Thresholds are reached on the date of the event that crosses them —
// key supervision, suspension for the months the points reached on the crossing event map
// to (a line is crossed once a year: later points below 12 do not lengthen it), termination with
// a ban of 1 year (cumulative) or 3 years (a single event of 12). One repair a year lowers
// the running total from its date but never undoes an outcome; none after a one-shot 12.
// A restoration ends a suspension early; during a termination's ban it is refused. Pure.
import type { IsoDate } from '../io/values.js';
import { addMonths, addYears } from './calendar.js';

export type PersonStatus = 'normal' | 'keySupervision' | 'suspended' | 'terminated';
export const PERSON_STATUSES: readonly PersonStatus[] = ['normal', 'keySupervision', 'suspended', 'terminated'];

export interface PersonnelRules {
  keySupervisionAt: number;
  suspendAt: number;
  terminateAt: number;
  /** Points reached (suspendAt .. terminateAt − 1) → months of suspension. */
  suspensionMonths: Readonly<Record<string, number>>;
  cumulativeBanYears: number;
  oneShotBanYears: number;
  repairsPerYear: number;
  /** The most points one repair takes off. */
  repairMaxPoints: number;
}

export interface PersonEvent {
  date: IsoDate;
  points: number;
  kind: '记分' | '修复' | '恢复';
  row: number;
  institution: string;
}

/** What last year's state carries for the person. */
export interface CarriedPerson {
  bannedUntil?: IsoDate | null;
  terminatedOn?: IsoDate | null;
  oneShot?: boolean;
  suspendedFrom?: IsoDate | null;
  suspendedUntil?: IsoDate | null;
}

/** Where an outcome was reached: the event's date, row and institution. */
export interface Reached {
  date: IsoDate;
  row: number;
  institution: string;
}

export interface PersonYear {
  deducted: number;
  repaired: number;
  /** deducted − repaired: the running total at the year's end. */
  points: number;
  status: PersonStatus;
  keySupervision: Reached | null;
  suspension: (Reached & { until: IsoDate; months: number; pointsReached: number; endedEarlyOn: IsoDate | null }) | null;
  termination: (Reached & { oneShot: boolean; bannedUntil: IsoDate }) | null;
  /** The event that reached the year's highest outcome (its institution is charged). */
  highest: Reached | null;
  /** A suspension of last year still running this year (ended early by a restoration if `endedEarlyOn`). */
  carriedSuspension: { from: IsoDate; until: IsoDate; endedEarlyOn: IsoDate | null } | null;
  /** Last year's ban in force when this year's first event came: the person should not be registered. */
  banned: { until: IsoDate; terminatedOn: IsoDate | null; oneShot: boolean } | null;
  repair: (Reached & { points: number }) | null;
}

export interface PersonProblem {
  row: number;
  column: '分值' | '事件类型' | '记分日期';
  value: string;
  message: string;
}

const rank = (s: PersonStatus) => PERSON_STATUSES.indexOf(s);

/** The months of suspension for the points reached: the largest mapping at or below them. */
export function suspensionMonthsFor(points: number, rules: PersonnelRules): number {
  const keys = Object.keys(rules.suspensionMonths)
    .map(Number)
    .filter((k) => k <= points)
    .sort((a, b) => b - a);
  const key = keys[0];
  return key === undefined ? 0 : (rules.suspensionMonths[String(key)] ?? 0);
}

/**
 * The person's year, event by event. `visit` sees each event with the running total after
 * it (a refused event leaves the total as it was).
 */
export function walkPerson(
  events: readonly PersonEvent[],
  carried: CarriedPerson | undefined,
  rules: PersonnelRules,
  visit?: (event: PersonEvent, running: number) => void,
): { year: PersonYear; problems: PersonProblem[] } {
  const problems: PersonProblem[] = [];
  const y: PersonYear = { deducted: 0, repaired: 0, points: 0, status: 'normal', keySupervision: null, suspension: null, termination: null, highest: null, carriedSuspension: null, banned: null, repair: null };
  const first = events[0];
  if (carried?.suspendedUntil && carried.suspendedFrom) y.carriedSuspension = { from: carried.suspendedFrom, until: carried.suspendedUntil, endedEarlyOn: null };
  if (carried?.bannedUntil && first && first.date < carried.bannedUntil) y.banned = { until: carried.bannedUntil, terminatedOn: carried.terminatedOn ?? null, oneShot: carried.oneShot ?? false };
  let total = 0;
  let repairs = 0;
  const reach = (status: PersonStatus, e: PersonEvent) => {
    if (rank(status) > rank(y.status)) {
      y.status = status;
      y.highest = { date: e.date, row: e.row, institution: e.institution };
    }
  };
  for (const e of events) {
    walkEvent(e);
    visit?.(e, total);
  }
  y.points = y.deducted - y.repaired;
  return { year: y, problems };

  function walkEvent(e: PersonEvent): void {
    if (e.kind === '记分') {
      total += e.points;
      y.deducted += e.points;
      if (y.termination) return; // points still count; nothing more to reach this year
      if (total >= rules.keySupervisionAt && !y.keySupervision) {
        y.keySupervision = { date: e.date, row: e.row, institution: e.institution };
        reach('keySupervision', e);
      }
      if (total >= rules.terminateAt) {
        const oneShot = e.points >= rules.terminateAt;
        y.termination = { date: e.date, row: e.row, institution: e.institution, oneShot, bannedUntil: addYears(e.date, oneShot ? rules.oneShotBanYears : rules.cumulativeBanYears) };
        reach('terminated', e);
      } else if (total >= rules.suspendAt && !y.suspension) {
        // Crossed on this event: suspended from its date for the months the total it reached maps to.
        // Later points below the termination line start no second suspension (the line is crossed once).
        const months = suspensionMonthsFor(total, rules);
        y.suspension = { date: e.date, row: e.row, institution: e.institution, until: addMonths(e.date, months), months, pointsReached: total, endedEarlyOn: null };
        reach('suspended', e);
      }
    } else if (e.kind === '修复') {
      if (repairs >= rules.repairsPerYear) {
        problems.push({ row: e.row, column: '分值', value: String(e.points), message: `每个自然年度只能修复 ${rules.repairsPerYear} 次，该人员本年度已在第${y.repair?.row ?? ''}行修复` });
        return;
      }
      if (-e.points > rules.repairMaxPoints) {
        problems.push({ row: e.row, column: '分值', value: String(e.points), message: `每次修复最多减免 ${rules.repairMaxPoints} 分` });
        return;
      }
      if (y.termination?.oneShot) {
        problems.push({ row: e.row, column: '分值', value: String(e.points), message: `一次性记满12分（第${y.termination.row}行）的不予修复` });
        return;
      }
      repairs += 1;
      const points = Math.min(-e.points, total); // a repair lowers what was deducted, never below nothing
      total -= points;
      y.repaired += points;
      y.repair = { date: e.date, row: e.row, institution: e.institution, points };
    } else {
      // 恢复: ends a running suspension early; refused while a termination's ban runs.
      const bannedUntil = y.termination?.bannedUntil ?? (y.banned ? y.banned.until : null);
      if (bannedUntil && e.date < bannedUntil) {
        problems.push({ row: e.row, column: '事件类型', value: '恢复', message: `该人员已终止医保支付资格，${bannedUntil} 前不得恢复（终止资格的恢复需重新登记备案）` });
        return;
      }
      if (y.suspension && !y.suspension.endedEarlyOn && e.date < y.suspension.until) y.suspension = { ...y.suspension, endedEarlyOn: e.date, until: e.date };
      else if (y.carriedSuspension && !y.carriedSuspension.endedEarlyOn && e.date < y.carriedSuspension.until) y.carriedSuspension = { ...y.carriedSuspension, endedEarlyOn: e.date, until: e.date };
      else problems.push({ row: e.row, column: '事件类型', value: '恢复', message: '该人员当时没有处于暂停期，无须恢复' });
    }
  }
}
