// Outputs for machines and the next run (SPEC §6): institutions.csv with stable English
// columns, and state.json. Byte-deterministic for the same plan.
import { stringify } from 'csv-stringify/sync';
import { fenToYuanText } from '../io/values.js';
import type { YearPlan } from '../run/plan.js';
import type { OutputFile } from './output.js';
import { safeText } from './workbook-style.js';

export const INSTITUTION_COLUMNS = [
  'code',
  'name',
  'category',
  'status',
  'score',
  'rank',
  'grade',
  'withheld',
  'payout',
  'forfeited',
  'held',
  'tier_before',
  'tier_after',
  'lists',
] as const;

export function institutionsCsv(plan: YearPlan): OutputFile {
  const decimals = plan.policy.scoring.decimals;
  const rows = plan.results.map((r) => {
    const tier = r.institution.tier || '';
    const record: Record<(typeof INSTITUTION_COLUMNS)[number], string> = {
      code: r.institution.code,
      name: r.institution.name,
      category: r.category.code,
      status: r.status,
      score: r.score?.toFixed(decimals) ?? '',
      rank: r.rank === null ? '' : String(r.rank),
      grade: r.grade,
      withheld: fenToYuanText(r.deposit.withheldFen),
      payout: fenToYuanText(r.deposit.payoutFen),
      forfeited: fenToYuanText(r.deposit.forfeitedFen),
      held: fenToYuanText(r.deposit.heldFen),
      tier_before: tier,
      tier_after: tier, // tiers (咸阳) are not computed yet: unchanged
      lists: r.lists.join(';'),
    };
    return INSTITUTION_COLUMNS.map((c) => safeText(record[c], 'csv'));
  });
  return { name: 'institutions.csv', content: stringify([[...INSTITUTION_COLUMNS], ...rows], { record_delimiter: '\n' }) };
}

export function stateJson(plan: YearPlan): OutputFile {
  return { name: 'state.json', content: `${JSON.stringify(plan.state, null, 2)}\n` };
}
