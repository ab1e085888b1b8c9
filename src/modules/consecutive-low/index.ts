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
import { OutcomesMadeWhenRead } from '../outcomes.js';

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
    const entries: ListEntry<Lists>[] = [];
    if (!rule) return { outcomes: new Map(), entries, deductions: new Map(), state: {} };
    const decimals = ctx.policy.scoring.decimals;
    const below = sharedDecimal(rule.below); // compared with a number, decimal.js would make a Decimal of it per institution
    const judged = (r: AssessedInstitution) => {
      const thisYear = r.assessment.status === 'scored' ? r.assessment.score : null;
      const last = lastYearScore(r, ctx.prior);
      const listed = belowInConsecutiveYears(thisYear, last?.score ?? null, below);
      return listed === null || !last || !thisYear ? null : { listed, thisYear, last };
    };
    const outcomeOf = (r: AssessedInstitution): ConsecutiveLowOutcome | undefined => {
      const j = judged(r);
      return j ? { listed: j.listed, scoreThisYear: fixedText(j.thisYear, decimals), scoreLastYear: fixedText(j.last.score, decimals), lastYearFrom: j.last.from } : undefined;
    };
    for (const r of ctx.institutions) {
      const code = r.institution.code;
      const step = stepsFor(ctx.trace, code);
      const j = judged(r);
      // Only what is listed or traced is worded here; an outcome is made when it is read.
      if (!j || (!j.listed && !step)) continue;
      const facts = { lastYear: ctx.year - 1, scoreLastYear: fixedText(j.last.score, decimals), scoreThisYear: fixedText(j.thisYear, decimals), below: rule.below, years: rule.years, lastYearFrom: j.last.from, stateFile: ctx.prior.file ?? null };
      const inputs = j.last.input ? [j.last.input] : [];
      step?.({ figure: 'consecutiveLow', value: String(j.listed), rule: 'consecutiveLow', policy: POLICY, from: recorded(ctx.trace.find(code, 'score')), inputs, facts });
      if (j.listed) entries.push({ list: 'noRenewal', code, rule: 'consecutiveLow', policy: POLICY, facts, inputs });
    }
    return { outcomes: new OutcomesMadeWhenRead(ctx.institutions, outcomeOf), entries, deductions: new Map(), state: {} };
  },
} as const satisfies PlanModule<ConsecutiveLowOutcome, Lists>;
