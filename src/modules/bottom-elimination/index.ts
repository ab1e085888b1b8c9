// Module bottomElimination (SPEC §5.5; policy `sanctions.bottomElimination`, its articles the profile's refs): in
// each planning area (规划区域) the office names as over quota, its N lowest-scored
// institutions are listed as 末位淘汰 candidates, ties at the cut all listed; pending and
// unqualified institutions are not ranked, nor one whose agreement or designation ends this year
// (it is leaving already) (src/modules/bottom-elimination/rule.ts).
import type { IsoDate } from '../../io/values.js';
import { recorded, stepsFor } from '../../plan/derivation.js';
import type { ListEntry } from '../../plan/types.js';
import { terminationsOf } from '../../plan/terminations.js';
import type { Problem } from '../../problems.js';
import { inScope } from '../../rules/scope.js';
import type { ModuleRun, PlanModule } from '../types.js';
import { lowestInArea } from './rule.js';

export interface EliminationOutcome {
  area: string;
  /** How many of the area's lowest the policy lists. */
  n: number;
  score: string;
  rank: number;
  of: number;
  fromBottom: number;
}

type Lists = 'bottomElimination';
const POLICY = 'sanctions.bottomElimination';

export const bottomElimination = {
  id: 'bottomElimination',
  stage: 'afterScore',
  enabled: (policy) => policy.sanctions.bottomElimination?.enabled === true,
  lists: [{ code: 'bottomElimination', title: '末位淘汰', subject: 'institution', filledBy: 'bottomElimination', policy: POLICY }],
  rules: { bottomElimination: { label: '规划区域内严重超额的，考核排名末位的实行末位淘汰', policy: POLICY } },
  figures: ['elimination'],
  // An area the policy names that no institution of the roster is in: a misspelt name would list no one, silently.
  warn: (inputs, policy) => {
    const rule = policy.sanctions.bottomElimination;
    if (!rule) return [];
    const areas = new Set(inputs.institutions.filter((i) => inScope(i, policy)).map((i) => i.planningArea));
    const roster = inputs.sources.find((s) => s.kind === 'institutions');
    return Object.keys(rule.areas)
      .filter((a) => !areas.has(a))
      .map((a): Problem => ({ file: roster?.file ?? '机构名册', value: a, message: `政策文件 ${POLICY}.areas 中的规划区域「${a}」在机构名册中没有机构，该区域无人列入末位淘汰：请核对区域名称（机构名册「规划区域」列，不填时按「所属区县」）` }));
  },
  run: (ctx): ModuleRun<EliminationOutcome, Lists> => {
    const rule = ctx.policy.sanctions.bottomElimination;
    const outcomes = new Map<string, EliminationOutcome>();
    const entries: ListEntry<Lists>[] = [];
    if (!rule) return { outcomes, entries, deductions: new Map(), state: {} };
    const decimals = ctx.policy.scoring.decimals;
    // An institution whose agreement or designation ends this year is leaving already: it takes no place among the lowest.
    const leaving = new Set(terminationsOf(ctx.institutions, ctx.inputs.violations, ctx.policy, ctx.year).map((t) => t.code));
    for (const [code, o] of ctx.earlier.tiers?.outcomes ?? []) if ((o as { decision?: string }).decision === 'terminate') leaving.add(code);
    for (const code of ctx.earlier.annualLowTerminate?.outcomes.keys() ?? []) leaving.add(code);
    const listed: { code: string; outcome: EliminationOutcome }[] = [];
    for (const [area, n] of Object.entries(rule.areas)) {
      const members = ctx.institutions.flatMap((r) => (r.institution.planningArea === area && r.assessment.status === 'scored' && !leaving.has(r.institution.code) ? [{ code: r.institution.code, score: r.assessment.score }] : []));
      for (const p of lowestInArea(members, n)) listed.push({ code: p.code, outcome: { area, n, score: p.score.toFixed(decimals), rank: p.rank, of: p.of, fromBottom: p.fromBottom } });
    }
    const roster = new Map(ctx.institutions.map((r, i) => [r.institution.code, i]));
    listed.sort((a, b) => (roster.get(a.code) ?? 0) - (roster.get(b.code) ?? 0));
    for (const { code, outcome } of listed) {
      outcomes.set(code, outcome);
      const facts: Record<string, string | number | boolean | IsoDate> = { ...outcome, tied: listed.some((o) => o.code !== code && o.outcome.area === outcome.area && o.outcome.fromBottom === outcome.fromBottom) };
      entries.push({ list: 'bottomElimination', code, rule: 'bottomElimination', policy: `${POLICY}.areas`, facts, inputs: [] });
      stepsFor(ctx.trace, code)?.({ figure: 'elimination', value: String(outcome.fromBottom), rule: 'bottomElimination', policy: `${POLICY}.areas`, from: recorded(ctx.trace.find(code, 'score')), facts });
    }
    return { outcomes, entries, deductions: new Map(), state: {} };
  },
} as const satisfies PlanModule<EliminationOutcome, Lists>;
