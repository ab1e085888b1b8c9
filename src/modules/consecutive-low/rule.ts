// The consecutive-low rule (policy `sanctions.consecutiveLow`, whose ref is the article):
// a score below the line in this year and in the last → the agreement is not renewed.
import { Decimal } from 'decimal.js';

/** Null when either year has no score (pending, unqualified, or no prior score known): no decision. */
export function belowInConsecutiveYears(scoreThisYear: Decimal | null, scoreLastYear: Decimal | null, below: Decimal.Value): boolean | null {
  if (scoreThisYear === null || scoreLastYear === null) return null;
  return scoreThisYear.lt(below) && scoreLastYear.lt(below);
}
