// The agreements ended in the year by what the core decides (SPEC §5.5 terminated): an
// unqualified year (refused materials), or a violation of a terminating type handled in
// the year. One list for the 解除协议 entries and for the bans that follow them.
import type { Violation } from '../domain.js';
import type { Policy } from '../policy/schema.js';
import { countsInYear } from '../rules/scoring.js';
import { groupBy } from '../group-by.js';
import type { AssessedInstitution } from './types.js';

export interface Termination {
  code: string;
  cause: 'unqualified' | 'violation';
  violation: Violation;
}

export function terminationsOf(institutions: readonly AssessedInstitution[], violations: readonly Violation[], policy: Policy, year: number): Termination[] {
  const terminatingTypes: readonly string[] = policy.statuses.terminated?.types ?? [];
  const terminating = groupBy(
    violations.filter((v) => countsInYear(v, year) && terminatingTypes.includes(v.type)),
    (v) => v.code,
  );
  const out: Termination[] = [];
  for (const r of institutions) {
    const a = r.assessment;
    if (a.status === 'unqualified') out.push({ code: r.institution.code, cause: 'unqualified', violation: a.violation });
    else {
      const v = terminating.get(r.institution.code)?.[0];
      if (v) out.push({ code: r.institution.code, cause: 'violation', violation: v });
    }
  }
  return out;
}
