// Agreement terms (policy `sanctions.agreementTerm`; its article is the profile's ref): an agreement ending next year is renewed for the usual term, renewed for longer when
// the term had no violation of the blocking types (协议期内无违法违规行为的，延长续约有效期), or
// not renewed on the policy's criteria (the seed names none: a score below the line, a
// termination, a 末位淘汰 listing — as the profile sets). The term is the agreement's years
// up to its end date, the last day in force. Pure.
import type { IsoDate } from '../../io/values.js';
import type { Policy } from '../../policy/schema.js';
import { addCalendarDays, addYears } from '../../rules/calendar.js';

type TermRule = NonNullable<Policy['sanctions']['agreementTerm']>;

export type AgreementOutcome = 'renew' | 'renewExtended' | 'notRenewed' | 'pending';

export interface TermViolation {
  type: string;
  handledOn: IsoDate;
}

export interface AgreementFacts {
  endsOn: IsoDate;
  status: 'scored' | 'pending' | 'unqualified';
  /** The score, where scored. */
  belowLine: boolean;
  terminated: boolean;
  eliminated: boolean;
}

export type NotRenewedBecause = 'below' | 'unqualified' | 'terminated' | 'eliminated';

/**
 * The term of an agreement, both days in force: 协议到期日期 is its last day, so a three-year
 * agreement ending 2025-06-30 ran from 2022-07-01.
 */
export function termOf(endsOn: IsoDate, years: number): { from: IsoDate; to: IsoDate } {
  return { from: addCalendarDays(addYears(endsOn, -years), 1), to: endsOn };
}

/** Whether the agreement ends in year Y + 1 (the one the office renews or not after this run). */
export const endsNextYear = (endsOn: IsoDate | null, year: number): endsOn is IsoDate => endsOn !== null && endsOn.startsWith(`${year + 1}-`);

export function decideAgreement(f: AgreementFacts, blocking: readonly TermViolation[], rule: TermRule): { outcome: AgreementOutcome; because: NotRenewedBecause[]; newEnd: IsoDate | null } {
  const because: NotRenewedBecause[] = [];
  if (f.status === 'unqualified') because.push('unqualified');
  if (f.belowLine) because.push('below');
  if (f.terminated && rule.notRenewWhenTerminated) because.push('terminated');
  if (f.eliminated && rule.notRenewWhenEliminated) because.push('eliminated');
  if (because.length > 0) return { outcome: 'notRenewed', because, newEnd: null };
  // Under investigation: the score that may decide it is not there yet.
  if (f.status === 'pending') return { outcome: 'pending', because, newEnd: null };
  if (blocking.length > 0) return { outcome: 'renew', because, newEnd: addYears(f.endsOn, rule.years) };
  return { outcome: 'renewExtended', because, newEnd: addYears(f.endsOn, rule.extendedYears) };
}
