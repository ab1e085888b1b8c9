// Outputs for machines and the next run (SPEC §6): institutions.csv with stable English
// columns, and state.json. Byte-deterministic for the same plan.
import { stringify } from 'csv-stringify/sync';
import type { WrittenFile } from '../io/atomic.js';
import { writeJsonFile } from '../io/json-file.js';
import { writeTextFile } from '../io/text-file.js';
import { fenToYuanText } from '../io/values.js';
import type { InstitutionPlan, YearPlan } from '../plan/year-plan.js';
import { gradeText } from '../plan/assessment.js';
import { CSV_BATCH, INSTITUTIONS_CSV, csvPieces, type OutputFile } from './output.js';
import { moduleColumns } from './module-report.js';
import { safeText } from './workbook-style.js';
import { ROWS_PER_REPORT, type OnProgress } from '../progress.js';

/** The core columns of institutions.csv; the modules that ran add theirs after `lists`. */
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

/** institutions.csv as its header and its rows, one per institution, made as they are read. */
function institutionTable(plan: YearPlan): { header: string[]; rows: () => Generator<string[]> } {
  const decimals = plan.policy.scoring.decimals;
  // A pool adds each institution's gain or loss (调剂金额, SPEC §6 `net`); then the modules' columns.
  const pooled = plan.pool !== undefined;
  const extra = [
    ...(pooled ? [{ column: 'net', cell: netOf }] : []),
    ...moduleColumns(plan),
  ];
  const core: readonly string[] = INSTITUTION_COLUMNS;
  const replacing = extra.filter((c) => core.includes(c.column));
  const appended = extra.filter((c) => !core.includes(c.column));
  const row = (r: InstitutionPlan): string[] => {
    const a = r.assessment;
    const tier = r.institution.tier || '';
    const record: Record<(typeof INSTITUTION_COLUMNS)[number], string> = {
      code: r.institution.code,
      name: r.institution.name,
      category: r.category.code,
      status: a.status,
      score: a.status === 'scored' ? a.score.toFixed(decimals) : '',
      rank: a.status === 'scored' ? String(a.ranking.rank) : '',
      grade: gradeText(a, plan.policy),
      withheld: fenToYuanText(r.deposit.withheldFen),
      payout: fenToYuanText(r.deposit.payoutFen),
      forfeited: fenToYuanText(r.deposit.forfeitedFen),
      held: fenToYuanText(r.deposit.heldFen),
      tier_before: tier,
      tier_after: tier, // no tier module ran: unchanged
      lists: r.lists.join(';'),
    };
    // A module's column named like a core one (tier_after) replaces the core's value in place.
    for (const c of replacing) record[c.column as (typeof INSTITUTION_COLUMNS)[number]] = c.cell(r);
    return [...INSTITUTION_COLUMNS.map((c) => record[c]), ...appended.map((c) => c.cell(r))].map((v) => safeText(v, 'csv'));
  };
  return {
    header: [...INSTITUTION_COLUMNS, ...appended.map((c) => c.column)],
    rows: function* () {
      for (const r of plan.institutions) yield row(r);
    },
  };
}

const CSV_OPTIONS = { record_delimiter: '\n' } as const;

/** institutions.csv in memory (a test's few institutions). */
export function institutionsCsv(plan: YearPlan): OutputFile {
  const { header, rows } = institutionTable(plan);
  return { name: INSTITUTIONS_CSV, content: stringify([header, ...rows()], CSV_OPTIONS) };
}

/** institutions.csv written row batch by row batch into the folder being published: a country's million rows are never one string. */
export function institutionsCsvFile(plan: YearPlan, onProgress?: OnProgress, batchRows: number = CSV_BATCH): WrittenFile {
  return {
    name: INSTITUTIONS_CSV,
    write: (path) => {
      const { header, rows } = institutionTable(plan);
      const total = plan.institutions.length;
      return writeTextFile(path, csvPieces((function* () {
        yield header;
        let done = 0;
        for (const row of rows()) {
          yield row;
          if (++done % ROWS_PER_REPORT === 0 || done === total) onProgress?.(INSTITUTIONS_CSV, done, total, 'rows');
        }
      })(), CSV_OPTIONS, batchRows));
    },
  };
}

/** payout − withheld of a pool member, '' for a deposit held or kept by the fund. */
function netOf(r: InstitutionPlan): string {
  if (r.deposit.heldFen > 0 || r.deposit.forfeitedFen > 0) return '';
  return fenToYuanText(r.deposit.payoutFen - r.deposit.withheldFen);
}

/** state.json, written piece by piece into the folder being published (an entry per institution). */
export function stateJson(plan: YearPlan): WrittenFile {
  return { name: 'state.json', write: (path) => writeJsonFile(path, plan.state) };
}
