// Which institutions of the roster the year's scheme covers (policy `scope`, whose ref is
// the article): all of them when the policy sets no scope.
import type { Institution } from '../domain.js';
import type { Policy } from '../policy/schema.js';

export function inScope(inst: Pick<Institution, 'kind'>, policy: Pick<Policy, 'scope'>): boolean {
  return !policy.scope || policy.scope.kinds.includes(inst.kind);
}
