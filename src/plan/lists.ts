// The list registry (SPEC §5.5): every list has a stable code, a Chinese title, whom it
// lists, the step or module that fills it, and the policy path its article comes from.
// The core fills `results` and `terminated`; modules declare their own lists. The columns
// and the wording of each list's reasons are in src/report/list-layouts.ts.
import { MODULES, type ModuleListCode } from '../modules/index.js';
import type { ListDef } from '../modules/types.js';

export const CORE_LISTS = [
  { code: 'results', title: '考核结果', subject: 'institution', filledBy: 'publication', policy: 'publication' },
  { code: 'allocation', title: '资金分配方案', subject: 'institution', filledBy: 'deposit', policy: 'deposit.pool', available: (policy) => policy.deposit.method === 'pool' },
  { code: 'terminated', title: '解除协议', subject: 'institution', filledBy: 'statuses', policy: 'statuses.terminated' },
] as const satisfies readonly ListDef[];

export type ListCode = (typeof CORE_LISTS)[number]['code'] | ModuleListCode;

export const LISTS: readonly (ListDef & { code: ListCode })[] = [...CORE_LISTS, ...MODULES.flatMap((m): readonly (ListDef & { code: ListCode })[] => m.lists)];

export function listDef(code: ListCode): ListDef & { code: ListCode } {
  const def = LISTS.find((l) => l.code === code);
  if (!def) throw new Error(`list ${code} is not in the registry`);
  return def;
}

export function isListCode(code: string): code is ListCode {
  return LISTS.some((l) => l.code === code);
}
