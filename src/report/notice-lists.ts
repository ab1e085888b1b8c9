// 公示名单-Y.xlsx and one CSV per list (SPEC §6): only the columns a public notice
// carries; no personal names or ID numbers. CSVs are UTF-8 with BOM for Chinese Excel,
// CRLF line ends, byte-deterministic for the same plan.
import { stringify } from 'csv-stringify/sync';
import { Decimal } from 'decimal.js';
import { listDef, type ListCode } from '../plan/lists.js';
import type { ListEntry } from '../plan/types.js';
import type { YearPlan } from '../plan/year-plan.js';
import { citePath } from '../policy/refs.js';
import type { OutputFile } from './output.js';
import { LIST_LAYOUTS, type ListValue } from './list-layouts.js';
import { resultOrder } from './results-workbook.js';
import { PrintBook, PrintableSheet, safeText, yuanCell, type Cell } from './workbook-style.js';
import { fenToYuanText } from '../io/values.js';
import { Redactions } from './redact.js';

const isMoney = (v: ListValue): v is { fen: number } => typeof v === 'object' && v !== null && !(v instanceof Decimal);

/** A public-notice CSV: UTF-8 with BOM (Chinese Excel), CRLF, formula-looking text quoted away. */
export function noticeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const records = [header.map((h) => safeText(h, 'csv')), ...rows.map((r) => r.map((c) => safeText(c, 'csv')))];
  return `\uFEFF${stringify(records, { record_delimiter: '\r\n', eof: true })}`;
}

/**
 * The public lists. Every text cell passes `redactions`: an ID number in a published cell
 * is masked and recorded. Text is otherwise written exactly as registered.
 */
export async function noticeLists(plan: YearPlan, redactions: Redactions = new Redactions()): Promise<OutputFile[]> {
  const wb = new PrintBook(plan.year);
  const csvs: OutputFile[] = [];
  const decimals = plan.policy.scoring.decimals;
  const order = plan.policy.categories.map((c) => c.code);
  const byCode = new Map(plan.institutions.map((r) => [r.institution.code, r]));
  for (const code of plan.published) {
    const layout = LIST_LAYOUTS[code];
    const title = listDef(code).title;
    const listRows = (): { e: ListEntry<ListCode>; cells: ListValue[] }[] => {
      const all = plan.lists.get(code) ?? [];
      if (layout.subject === 'person') return all.map((e) => ({ e, cells: layout.row(e, plan) }));
      const listed = all.flatMap((e) => {
        const r = byCode.get(e.code);
        return r ? [{ e, r }] : [];
      });
      // The result list reads by category, then by rank; the others keep roster order.
      const ordered = code === 'results' ? [...listed].sort((a, b) => order.indexOf(a.r.category.code) - order.indexOf(b.r.category.code) || resultOrder(a.r, b.r)) : listed;
      return ordered.map(({ e, r }) => ({ e, cells: layout.row(e, r, plan) }));
    };
    const entries = listRows();
    const sheet = new PrintableSheet(wb, {
      name: title,
      title: layout.title(plan),
      columns: [{ header: '序号', kind: 'int' }, ...layout.columns],
    });
    const book = `公示名单-${plan.year}.xlsx`;
    const rows = entries.map(({ e, cells }, i): ListValue[] =>
      [i + 1, ...cells].map((v, c) => (typeof v === 'string' ? redactions.text(v, { file: book, sheet: sheet.name, row: i + 3, column: layout.columns[c - 1]?.header ?? '', code: e.code }) : v)),
    );
    for (const r of rows) sheet.add(r.map((v): Cell => (v instanceof Decimal ? v.toNumber() : isMoney(v) ? yuanCell(v.fen) : v)));
    if (rows.length === 0) sheet.note('（无）');
    const note = layout.subject === 'institution' ? layout.note?.(plan.lists.get(code) ?? [], plan) : null;
    if (note) sheet.note(note);
    if (code === 'results') sheet.note(`排名为机构类别内的名次；“待定”为正在接受调查、暂不计算考核成绩的机构。依据：${citePath(plan.policy, 'publication')}`);
    const header = ['序号', ...layout.columns.map((c) => c.header)];
    const body = rows.map((r) => r.map((v) => (v === null ? '' : v instanceof Decimal ? v.toFixed(decimals) : isMoney(v) ? fenToYuanText(v.fen) : String(v))));
    csvs.push({ name: `公示名单-${plan.year}-${title}.csv`, content: noticeCsv(header, body) });
  }
  return [await wb.file(`公示名单-${plan.year}.xlsx`), ...csvs];
}
