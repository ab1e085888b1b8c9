// Months without settlement (SPEC §5.4 withholding; issue: missing data is never silent): an
// institution is expected to have a settlement row for every month from its admission (or the
// year's first month) to the end of its agreement in the year (a termination handled, an exit
// recorded) or else December. A month in that span with no row withholds nothing, and that is
// said; so is an institution with no row at all. Pure.
import type { Exit, Institution, SettlementYear, Violation } from '../domain.js';
import type { IsoDate } from '../io/values.js';
import type { Policy } from '../policy/schema.js';

export interface SettlementGap {
  code: string;
  /** The months (1–12) expected to have a row. */
  from: number;
  to: number;
  /** Why the span starts or ends where it does. */
  admittedOn: IsoDate | null;
  endedOn: IsoDate | null;
  /** Expected months with no row; every one of them when the institution has no row at all. */
  missing: number[];
  /** No settlement row in the whole year. */
  none: boolean;
}

/**
 * The day each institution's agreement was ended in the year by a record: a terminating
 * violation handled, or an exit (the earliest, when several). One pass over the records.
 */
export function agreementEndingsByRecord(year: number, violations: readonly Violation[], exits: readonly Exit[], policy: Pick<Policy, 'statuses'>): Map<string, IsoDate> {
  const ending = new Set<string>([...(policy.statuses.terminated?.types ?? []), ...(policy.statuses.unqualified?.types ?? [])]);
  const endings = new Map<string, IsoDate>();
  const note = (code: string, on: IsoDate) => {
    const earlier = endings.get(code);
    if (earlier === undefined || on < earlier) endings.set(code, on);
  };
  for (const v of violations) if (v.handledOn.startsWith(`${year}-`) && ending.has(v.type)) note(v.code, v.handledOn);
  for (const e of exits) if (e.exitedOn.startsWith(`${year}-`)) note(e.code, e.exitedOn);
  return endings;
}

/**
 * The day the institution's agreement ended in the year: a record ending it (see
 * agreementEndingsByRecord), or the roster's 协议到期日期 falling in it (an agreement not
 * renewed); null when it did not.
 */
export function agreementEndedOn(inst: Pick<Institution, 'code' | 'agreementEnds'>, year: number, endingsByRecord: ReadonlyMap<string, IsoDate>): IsoDate | null {
  const byRecord = endingsByRecord.get(inst.code) ?? null;
  const byRoster = inst.agreementEnds !== null && inst.agreementEnds.startsWith(`${year}-`) && inst.agreementEnds < `${year}-12-31` ? inst.agreementEnds : null;
  if (byRecord === null) return byRoster;
  return byRoster !== null && byRoster < byRecord ? byRoster : byRecord;
}

const monthOf = (d: IsoDate) => Number(d.slice(5, 7));

/** The gap of one institution, or null when every expected month has its row (or none is expected). */
export function settlementGap(inst: Pick<Institution, 'code' | 'admittedOn'>, settlement: SettlementYear | undefined, endedOn: IsoDate | null, year: number): SettlementGap | null {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const admittedOn = inst.admittedOn !== null && inst.admittedOn > start ? inst.admittedOn : null;
  if (admittedOn && admittedOn > end) return null; // admitted after the year
  const from = admittedOn ? monthOf(admittedOn) : 1;
  const to = endedOn ? monthOf(endedOn) : 12;
  if (to < from) return null;
  const rows = settlement?.rows ?? [];
  const none = rows.every((r) => r === null || r === undefined);
  const missing: number[] = [];
  for (let m = from; m <= to; m++) if (rows[m - 1] === null || rows[m - 1] === undefined) missing.push(m);
  return missing.length === 0 ? null : { code: inst.code, from, to, admittedOn, endedOn, missing, none };
}

/** "3月、4月、7月", or "1–12月" for a run of months. */
export function monthsText(months: readonly number[]): string {
  const runs: [number, number][] = [];
  for (const m of months) {
    const last = runs[runs.length - 1];
    if (last && m === last[1] + 1) last[1] = m;
    else runs.push([m, m]);
  }
  return runs.map(([a, b]) => (a === b ? `${a}月` : b === a + 1 ? `${a}月、${b}月` : `${a}–${b}月`)).join('、');
}
