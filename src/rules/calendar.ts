// Working days on the official calendar (SPEC §5.7): the State Council's arrangement of
// holidays (放假日) and make-up working days (调休上班日), year by year. A deadline of N
// working days counts the working days after the given day, the day itself not counted;
// N calendar days likewise, with no roll-forward when the last day is a rest day. A date
// in a year no calendar covers is refused, never guessed from weekdays. Pure.
import type { IsoDate } from '../io/values.js';

export interface WorkCalendar {
  /** Years whose arrangement is known. */
  years: ReadonlySet<number>;
  holidays: ReadonlySet<IsoDate>;
  /** Weekend days that are working days (调休上班). */
  workdays: ReadonlySet<IsoDate>;
  /** Where each year's arrangement comes from, for messages and explain. */
  sources: ReadonlyMap<number, string>;
}

/** A date whose year no calendar covers: the deadline cannot be known. */
export class CalendarGap extends Error {
  constructor(readonly year: number) {
    super(`no working-day calendar covers ${year}`);
  }
}

const DAY_MS = 86_400_000;
const toTime = (d: IsoDate) => Date.parse(`${d}T00:00:00Z`);
const fromTime = (t: number): IsoDate => new Date(t).toISOString().slice(0, 10);

export function addDays(d: IsoDate, n: number): IsoDate {
  return fromTime(toTime(d) + n * DAY_MS);
}

export function isWorkingDay(calendar: WorkCalendar, d: IsoDate): boolean {
  const year = Number(d.slice(0, 4));
  if (!calendar.years.has(year)) throw new CalendarGap(year);
  if (calendar.holidays.has(d)) return false;
  if (calendar.workdays.has(d)) return true;
  const weekday = new Date(toTime(d)).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The n-th working day after `from` (not counting `from`). */
export function addWorkingDays(calendar: WorkCalendar, from: IsoDate, n: number): IsoDate {
  let d = from;
  for (let counted = 0; counted < n; ) {
    d = addDays(d, 1);
    if (isWorkingDay(calendar, d)) counted += 1;
  }
  return d;
}

/** n calendar days after `from`; the last day stands even when it is a rest day. */
export function addCalendarDays(from: IsoDate, n: number): IsoDate {
  return addDays(from, n);
}

/**
 * A period's end (SPEC §5.7 `*_until`): the start plus whole months (or years), on the
 * same day of the month, or the month's last day when it has no such day; the first day
 * free of the period.
 */
export function addMonths(from: IsoDate, months: number): IsoDate {
  const [y = 0, m = 1, d = 1] = from.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function addYears(from: IsoDate, years: number): IsoDate {
  return addMonths(from, years * 12);
}
