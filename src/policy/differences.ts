// The parameters two policies set differently (compare's 政策差异 sheet): every path whose
// value differs, with both values. Lists of items with a code (categories, indicators) are
// paired by code, other lists by position. Pure.
import type { Policy } from './schema.js';

export interface PolicyDifference {
  path: string;
  current: string;
  alternative: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const keyOf = (v: unknown, i: number): string => (isObject(v) && typeof v.code === 'string' ? v.code : String(i));
const shown = (v: unknown): string => (v === undefined ? '（未设置）' : typeof v === 'string' ? v : JSON.stringify(v));

export function policyDifferences(current: Policy, alternative: Policy): PolicyDifference[] {
  const out: PolicyDifference[] = [];
  const walk = (a: unknown, b: unknown, path: string) => {
    if (isObject(a) && isObject(b)) {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) walk(a[k], b[k], path ? `${path}.${k}` : k);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const left = new Map(a.map((v, i) => [keyOf(v, i), v]));
      const right = new Map(b.map((v, i) => [keyOf(v, i), v]));
      for (const k of [...new Set([...left.keys(), ...right.keys()])]) walk(left.get(k), right.get(k), `${path}.${k}`);
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push({ path, current: shown(a), alternative: shown(b) });
  };
  walk(current, alternative, '');
  // Only what decides figures: references, notes and the profile's own name are not parameters.
  return out.filter((d) => !/(^|\.)(ref|note|assumed|rateAssumed|title|seed|profile|documents)(\.|$)/.test(d.path));
}
