import { describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { tianjinPolicy } from '../../test/helpers/policy.js';
import { yearInputs } from '../../test/helpers/inputs.js';
import type { ModuleResults } from '../modules/index.js';
import { NO_TRACE } from './derivation.js';
import { moduleDeductions, modulesAt, runModules } from './run-modules.js';

const policy = tianjinPolicy();
const off = { ...policy, sanctions: { consecutiveLow: { ...policy.sanctions.consecutiveLow!, enabled: false } } };
const calendar = { years: new Set<number>(), holidays: new Set<string>(), workdays: new Set<string>(), sources: new Map() };
const context = { year: 2024, asOf: '2024-12-31', notifiedOn: '2025-01-31', calendar, inputs: yearInputs(), prior: { source: 'roster' as const }, trace: NO_TRACE, earlier: {} };

describe('runModules', () => {
  it('runs the modules the policy switches on, at their stage only', () => {
    expect(modulesAt('afterScore', policy).map((m) => m.id)).toEqual(['consecutiveLow']);
    expect(modulesAt('beforeScore', policy)).toEqual([]);
    expect(modulesAt('afterScore', off)).toEqual([]);
    expect(Object.keys(runModules('afterScore', { ...context, policy, institutions: [] }))).toEqual(['consecutiveLow']);
    expect(Object.keys(runModules('afterScore', { ...context, policy: off, institutions: [] }))).toEqual([]);
    expect(Object.keys(runModules('beforeScore', { ...context, policy }))).toEqual([]);
  });

  it('gathers the score deductions of every module per institution', () => {
    const d = (points: string) => ({ points: new Decimal(points), rule: 'x', policy: 'x', facts: {}, inputs: [] });
    const results = {
      consecutiveLow: { outcomes: new Map(), entries: [], deductions: new Map([['P1', [d('1')]], ['P2', [d('2')]]]), state: {} },
    } as ModuleResults;
    expect([...moduleDeductions(results)].map(([code, ds]) => [code, ds.map((x) => x.points.toString())])).toEqual([
      ['P1', ['1']],
      ['P2', ['2']],
    ]);
  });
});
