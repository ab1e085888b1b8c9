// Module consecutiveLow (SPEC §5.5): a score below `below` in the year and the year before
// → 不予续签 (noRenewal). Last year's score comes from results/Y-1/state.json, or in a
// first year from the roster's 上年度考核得分.
import type { Decimal } from 'decimal.js';
import { fixedText, sharedDecimal } from '../../rules/shared-decimal.js';
import type { AssessedInstitution, ListEntry } from '../../plan/types.js';
import type { PriorYear } from '../../plan/state.js';
import { recorded, stepsFor } from '../../plan/derivation.js';
import type { RowRef } from '../../domain.js';
import type { ModuleRun, PlanModule } from '../types.js';
import { belowInConsecutiveYears } from './rule.js';

export interface ConsecutiveLowOutcome {
  listed: boolean;
  scoreThisYear: string;
  scoreLastYear: string;
  /** Where last year's score came from. */
  lastYearFrom: 'state' | 'roster';
}

type Lists = 'noRenewal';

const POLICY = 'sanctions.consecutiveLow';

/** Last year's score of an institution, with where it was read. */
export function lastYearScore(r: AssessedInstitution, prior: PriorYear): { score: Decimal; from: 'state' | 'roster'; input?: RowRef } | null {
  if (prior.source === 'state') {
    const s = prior.state?.institutions[r.institution.code]?.score;
    return s ? { score: sharedDecimal(s), from: 'state' } : null;
  }
  if (prior.source === 'roster' && r.institution.priorScore !== null) return { score: sharedDecimal(r.institution.priorScore), from: 'roster', input: r.institution.source };
  return null;
}

export const consecutiveLow = {
  id: 'consecutiveLow',
  stage: 'afterScore',
  enabled: (policy) => policy.sanctions.consecutiveLow?.enabled === true,
  lists: [{ code: 'noRenewal', title: '不予续签', subject: 'institution', filledBy: 'consecutiveLow', policy: POLICY }],
  rules: { consecutiveLow: { label: '连续两个年度考核得分低于分数线，不予续签', policy: POLICY } },
  figures: ['consecutiveLow'],
  run: (ctx): ModuleRun<ConsecutiveLowOutcome, Lists> => {
    const rule = ctx.policy.sanctions.consecutiveLow;
    const outcomes = new Map<string, ConsecutiveLowOutcome>();
    const entries: ListEntry<Lists>[] = [];
    if (!rule) return { outcomes, entries, deductions: new Map(), state: {} };
    const decimals = ctx.policy.scoring.decimals;
    const below = sharedDecimal(rule.below); // compared with a number, decimal.js would make a Decimal of it per institution
    for (const r of ctx.institutions) {
      const thisYear = r.assessment.status === 'scored' ? r.assessment.score : null;
      const last = lastYearScore(r, ctx.prior);
      const listed = belowInConsecutiveYears(thisYear, last?.score ?? null, below);
      if (listed === null || !last || !thisYear) continue;
      const code = r.institution.code;
      const outcome: ConsecutiveLowOutcome = { listed, scoreThisYear: fixedText(thisYear, decimals), scoreLastYear: fixedText(last.score, decimals), lastYearFrom: last.from };
      outcomes.set(code, outcome);
      const facts = { lastYear: ctx.year - 1, scoreLastYear: outcome.scoreLastYear, scoreThisYear: outcome.scoreThisYear, below: rule.below, years: rule.years, lastYearFrom: last.from, stateFile: ctx.prior.file ?? null };
      const inputs = last.input ? [last.input] : [];
      const step = stepsFor(ctx.trace, code);
      step?.({ figure: 'consecutiveLow', value: String(listed), rule: 'consecutiveLow', policy: POLICY, from: recorded(ctx.trace.find(code, 'score')), inputs, facts });
      if (listed) entries.push({ list: 'noRenewal', code, rule: 'consecutiveLow', policy: POLICY, facts, inputs });
    }
    return { outcomes, entries, deductions: new Map(), state: {} };
  },
} as const satisfies PlanModule<ConsecutiveLowOutcome, Lists>;
