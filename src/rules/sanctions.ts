// Sanction modules (SPEC §5.5), each switched on by the policy. Pure functions.
import { Decimal } from 'decimal.js';
import type { Policy } from '../policy/schema.js';

export interface ConsecutiveLowDecision {
  listed: boolean;
  scoreThisYear: Decimal;
  scoreLastYear: Decimal;
}

/** 天津第十五条: below the line in this year and the last → the agreement is not renewed (不予续签). */
export function consecutiveLow(
  scoreThisYear: Decimal | null,
  scoreLastYear: Decimal | null,
  rule: NonNullable<Policy['sanctions']['consecutiveLow']>,
): ConsecutiveLowDecision | null {
  if (!rule.enabled || scoreThisYear === null || scoreLastYear === null) return null;
  const listed = scoreThisYear.lt(rule.below) && scoreLastYear.lt(rule.below);
  return { listed, scoreThisYear, scoreLastYear };
}
