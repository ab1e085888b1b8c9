// The status of an assessment (SPEC §5.3): defined once here, with the Chinese name and
// the order every list, sheet and count uses, and the rule that decides it. Pure.
import type { Investigation, Violation } from '../domain.js';
import type { IsoDate } from '../io/values.js';
import type { Policy } from '../policy/schema.js';

/** The statuses, in the order results are listed (scored first), and their Chinese names. */
export const STATUS_CODES = ['scored', 'pending', 'unqualified'] as const;

export type AssessmentStatus = (typeof STATUS_CODES)[number];

// 评定不合格 (policy `statuses.unqualified`: the year is rated unqualified), never plain 不合格: that is a grade band's
// name, and a status and a grade are never two columns or counts of the same name.
const STATUS_NAMES: Readonly<Record<AssessmentStatus, string>> = { scored: '已评分', pending: '待定', unqualified: '评定不合格' };

export const STATUSES: readonly { code: AssessmentStatus; name: string }[] = STATUS_CODES.map((code) => ({ code, name: STATUS_NAMES[code] }));

export function statusName(status: AssessmentStatus): string {
  return STATUS_NAMES[status];
}

export function statusOrder(status: AssessmentStatus): number {
  return STATUS_CODES.indexOf(status);
}

/** Why an institution is not scored, or that it is: the decision, with the row that made it. */
export type StatusDecision =
  | { status: 'scored' }
  | { status: 'pending'; investigation: Investigation }
  | { status: 'unqualified'; violation: Violation };

/**
 * An investigation open on the day the assessment work ends (`asOf`): opened on or before
 * it and not closed by then (policy `statuses.pending`).
 */
export function openInvestigationOn(investigations: readonly Investigation[], asOf: IsoDate): Investigation | undefined {
  return investigations.find((inv) => inv.major && inv.openedOn <= asOf && (inv.closedOn === null || inv.closedOn > asOf));
}

/**
 * The status of the year: a violation of a type the policy makes unqualifying
 * (`statuses.unqualified.types`, handled in the year) wins over an open investigation (the
 * agreement is terminated either way); an open investigation makes it pending when the
 * policy has `statuses.pending`; otherwise it is scored.
 */
export function assessmentStatus(violationsInYear: readonly Violation[], investigations: readonly Investigation[], asOf: IsoDate, statuses: Policy['statuses']): StatusDecision {
  const unqualifiedTypes: readonly string[] = statuses.unqualified?.types ?? [];
  const refusal = violationsInYear.find((v) => unqualifiedTypes.includes(v.type));
  if (refusal) return { status: 'unqualified', violation: refusal };
  const open = statuses.pending ? openInvestigationOn(investigations, asOf) : undefined;
  if (open) return { status: 'pending', investigation: open };
  return { status: 'scored' };
}
