// 公示名单-Y.xlsx and one CSV per list (SPEC §6): only the columns a public notice
// carries; no personal names or ID numbers. CSVs are UTF-8 with BOM for Chinese Excel,
// CRLF line ends, byte-deterministic for the same plan.
import { stringify } from 'csv-stringify/sync';
import { Decimal } from 'decimal.js';
import type { ListCode } from '../policy/schema.js';
import type { InstitutionResult, ListEntry, YearPlan } from '../run/plan.js';
import type { OutputFile } from './output.js';
import { resultOrder } from './results-workbook.js';
import { PrintBook, PrintableSheet, safeText, type Cell, type ColumnDef } from './workbook-style.js';

export const LIST_TITLES: Record<ListCode, string> = {
  results: '考核结果',
  noRenewal: '不予续签',
  terminated: '解除协议',
};

/** A list cell: a score stays decimal until it is written (a number in the workbook, 2-decimal text in the CSV). */
type Value = string | number | Decimal | null;

interface ListLayout {
  title: (plan: YearPlan) => string;
  columns: ColumnDef[];
  row: (e: ListEntry) => Value[];
}

/** 考核得分 of a list: the score, or why there is none (待定 / 不合格). */
const scoreOf = (r: InstitutionResult): Value => (r.status === 'pending' ? '待定' : r.status === 'unqualified' ? '不合格' : r.score);

const LAYOUTS: Record<ListCode, ListLayout> = {
  results: {
    title: (p) => `${p.policy.region}${p.year}年度定点医药机构协议考核结果公示名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '机构类别', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '考核得分', kind: 'score' },
      { header: '排名', kind: 'int' },
      { header: '等级', kind: 'text' },
    ],
    row: ({ result: r }) => [r.institution.code, r.institution.name, r.category.name, r.institution.district, scoreOf(r), r.rank, r.grade],
  },
  noRenewal: {
    title: (p) => `${p.policy.region}连续2个协议年度考核低于${p.policy.sanctions.consecutiveLow?.below ?? ''}分、不再续签医保服务协议的定点医药机构名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '上年度得分', kind: 'score' },
      { header: '本年度得分', kind: 'score' },
      { header: '说明', kind: 'text' },
      { header: '依据', kind: 'text' },
    ],
    row: (e) => [e.result.institution.code, e.result.institution.name, e.result.institution.district, e.result.prior.score, scoreOf(e.result), e.reason, e.ref ?? ''],
  },
  terminated: {
    title: (p) => `${p.policy.region}${p.year}年度解除医保服务协议的定点医药机构名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '说明', kind: 'text' },
      { header: '依据', kind: 'text' },
    ],
    row: (e) => [e.result.institution.code, e.result.institution.name, e.result.institution.district, e.reason, e.ref ?? ''],
  },
};

/** A public-notice CSV: UTF-8 with BOM (Chinese Excel), CRLF, formula-looking text quoted away. */
export function noticeCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const records = [header.map((h) => safeText(h, 'csv')), ...rows.map((r) => r.map((c) => safeText(c, 'csv')))];
  return `\uFEFF${stringify(records, { record_delimiter: '\r\n', eof: true })}`;
}

export async function noticeLists(plan: YearPlan): Promise<OutputFile[]> {
  const wb = new PrintBook(plan.year);
  const csvs: OutputFile[] = [];
  const decimals = plan.policy.scoring.decimals;
  const order = plan.policy.categories.map((c) => c.code);
  for (const code of plan.policy.publication.lists) {
    const layout = LAYOUTS[code];
    const listed = plan.lists.get(code) ?? [];
    // The result list reads by category, then by rank; the others keep roster order.
    const entries =
      code === 'results' ? [...listed].sort((a, b) => order.indexOf(a.result.category.code) - order.indexOf(b.result.category.code) || resultOrder(a.result, b.result)) : listed;
    const sheet = new PrintableSheet(wb, {
      name: LIST_TITLES[code],
      title: layout.title(plan),
      columns: [{ header: '序号', kind: 'int' }, ...layout.columns],
    });
    const rows = entries.map((e, i): Value[] => [i + 1, ...layout.row(e)]);
    for (const r of rows) sheet.add(r.map((v): Cell => (v instanceof Decimal ? v.toNumber() : v)));
    if (rows.length === 0) sheet.note('（无）');
    if (code === 'results') sheet.note(`排名为机构类别内的名次；“待定”为正在接受调查、暂不计算考核成绩的机构。依据：${plan.policy.publication.ref ?? ''}`);
    const header = ['序号', ...layout.columns.map((c) => c.header)];
    const body = rows.map((r) => r.map((v) => (v === null ? '' : v instanceof Decimal ? v.toFixed(decimals) : String(v))));
    csvs.push({ name: `公示名单-${plan.year}-${LIST_TITLES[code]}.csv`, content: noticeCsv(header, body) });
  }
  return [await wb.file(`公示名单-${plan.year}.xlsx`), ...csvs];
}
