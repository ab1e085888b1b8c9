// Which institutions of the roster the year's scheme covers (policy `scope`, whose ref is
// the article): all of them when the policy sets no scope.
import type { Institution } from '../domain.js';
import type { Policy, Scope } from '../policy/schema.js';

export function inScope(inst: Pick<Institution, 'kind' | 'hospitalLevel' | 'name'>, policy: Pick<Policy, 'scope'>): boolean {
  return !policy.scope || coveredBy(inst, policy.scope);
}

/** Whether a scope covers an institution: its kind, a hospital's 医院等级 ('' = blank), and not excluded by name. */
export function coveredBy(inst: Pick<Institution, 'kind' | 'hospitalLevel' | 'name'>, scope: Pick<Scope, 'kinds' | 'hospitalLevels' | 'excludeNamesMatching'>): boolean {
  if (!scope.kinds.includes(inst.kind)) return false;
  if (inst.kind === '医疗机构' && scope.hospitalLevels && !scope.hospitalLevels.includes(inst.hospitalLevel.trim())) return false;
  return !(scope.excludeNamesMatching && inst.name.includes(scope.excludeNamesMatching));
}
