// Every rule a derivation step can name: the core registry and each module's own rules.
import { MODULES } from '../modules/index.js';
import { RULES, type RuleDef } from '../rules/registry.js';

const BOOK: ReadonlyMap<string, RuleDef> = new Map<string, RuleDef>([...Object.entries(RULES), ...MODULES.flatMap((m) => Object.entries(m.rules))]);

export function ruleDef(id: string): RuleDef | undefined {
  return BOOK.get(id);
}

export function allRuleIds(): string[] {
  return [...BOOK.keys()];
}
