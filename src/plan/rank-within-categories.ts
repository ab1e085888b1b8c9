// Step 2 of the plan: rank the scored institutions within each category, highest score
// first, equal scores sharing a rank (SPEC §5.3). Pending and unqualified ones get no rank.
import { Decimal } from 'decimal.js';
import { competitionRanks } from '../rules/scoring.js';
import { recorded, type Trace } from './derivation.js';
import type { Ranking, ScoredInstitution } from './types.js';

/** The ranking of each institution, aligned with the input (null when not scored). */
export function rankWithinCategories(institutions: readonly ScoredInstitution<unknown>[], trace: Trace): (Ranking | null)[] {
  const rankings: (Ranking | null)[] = institutions.map(() => null);
  const byCategory = new Map<string, { index: number; score: Decimal }[]>();
  institutions.forEach((r, index) => {
    if (r.assessment.status !== 'scored') return;
    const group = byCategory.get(r.category.code) ?? [];
    group.push({ index, score: r.assessment.score });
    byCategory.set(r.category.code, group);
  });
  for (const group of byCategory.values()) {
    const ranks = competitionRanks(group.map((g) => g.score));
    group.forEach((g, i) => {
      const rank = ranks[i] ?? 0;
      rankings[g.index] = { rank, of: group.length };
      const r = institutions[g.index];
      if (r && trace.wants(r.institution.code)) {
        const code = r.institution.code;
        trace.add(code, { figure: 'rank', value: String(rank), rule: 'competitionRank', from: recorded(trace.find(code, 'score')), facts: { of: group.length, category: r.category.name } });
      }
    });
  }
  return rankings;
}
