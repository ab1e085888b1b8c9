// Step 0 of the plan: the institutions the scheme covers (policy `scope`). The others (a
// Jiangsu city's pharmacies: the scheme evaluates 定点医疗机构 only) are left out of scores,
// deposits and lists with their rows in the other inputs, and the plan keeps who they are
// and how many rows were left, for the summary and the manifest: never silently.
import type { Institution, YearInputs } from '../domain.js';
import type { Policy } from '../policy/schema.js';
import { inScope } from '../rules/scope.js';

export interface OutOfScope {
  institutions: Institution[];
  /** Rows of the other inputs (scores, settlement months, violations, investigations, appeals) left out with them. */
  rowsLeftOut: number;
}

export function selectScope(inputs: YearInputs, policy: Policy): { inputs: YearInputs; outOfScope: OutOfScope } {
  const out = inputs.institutions.filter((i) => !inScope(i, policy));
  if (out.length === 0) return { inputs, outOfScope: { institutions: [], rowsLeftOut: 0 } };
  const excluded = new Set(out.map((i) => i.code));
  const keep = <T extends { code: string }>(rows: readonly T[]) => rows.filter((r) => !excluded.has(r.code));
  const settlements = new Map([...inputs.settlements].filter(([code]) => !excluded.has(code)));
  const monthsLeft = [...inputs.settlements.values()].filter((s) => excluded.has(s.code)).reduce((a, s) => a + s.rows.filter((r) => r !== null).length, 0);
  const scoped: YearInputs = {
    ...inputs,
    institutions: inputs.institutions.filter((i) => !excluded.has(i.code)),
    scores: inputs.scores.filter((r) => !excluded.has(r.code)),
    settlements,
    violations: keep(inputs.violations),
    investigations: keep(inputs.investigations),
    appeals: keep(inputs.appeals),
  };
  const rowsLeftOut =
    monthsLeft +
    (inputs.scores.length - scoped.scores.length) +
    (inputs.violations.length - scoped.violations.length) +
    (inputs.investigations.length - scoped.investigations.length) +
    (inputs.appeals.length - scoped.appeals.length);
  return { inputs: scoped, outOfScope: { institutions: out, rowsLeftOut } };
}
