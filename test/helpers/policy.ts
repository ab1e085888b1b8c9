import { readFileSync } from 'node:fs';
import { parsePolicy } from '../../src/policy/load.js';
import type { Policy } from '../../src/policy/schema.js';

/** The shipped Tianjin profile, parsed and validated. */
export function tianjinPolicy(): Policy {
  const result = parsePolicy(readFileSync('templates/policies/tianjin.yaml', 'utf8'), 'tianjin.yaml');
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.value.policy;
}
