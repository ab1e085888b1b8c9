// Reading an assessment: its score when scored, and the grade text results carry.
import type { Decimal } from 'decimal.js';
import type { Policy } from '../policy/schema.js';
import { statusName } from '../rules/status.js';
import type { Assessment } from './types.js';

export function scoreOf(a: Assessment<unknown>): Decimal | null {
  return a.status === 'scored' ? a.score : null;
}

/**
 * The grade a result carries: the band of a scored one; for an unqualified one the
 * policy's `statuses.unqualified.grade`; for a pending one the status's own name.
 */
export function gradeText(a: Assessment<unknown>, policy: Policy): string {
  if (a.status === 'scored') return a.grade.name;
  if (a.status === 'unqualified') return policy.statuses.unqualified?.grade ?? statusName('unqualified');
  return statusName('pending');
}
