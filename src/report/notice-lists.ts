// 公示名单-Y.xlsx and one CSV per list (SPEC §6): only the columns a public notice
// carries; no personal names or ID numbers. CSVs are UTF-8 with BOM for Chinese Excel.
import { stringify } from 'csv-stringify/sync';
import type { ListCode } from '../policy/schema.js';
import type { ListEntry, YearPlan } from '../run/plan.js';
import { csvSafe } from './machine.js';
import type { OutputFile } from './output.js';
import { resultOrder } from './results-workbook.js';
import { PrintBook, PrintableSheet, type Cell, type ColumnDef } from './workbook-style.js';

export const LIST_TITLES: Record<ListCode, string> = {
  results: '考核结果',
  noRenewal: '不予续签',
  terminated: '解除协议',
};

interface ListLayout {
  title: (plan: YearPlan) => string;
  columns: ColumnDef[];
  row: (e: ListEntry, plan: YearPlan) => Cell[];
}

const scoreText = (e: ListEntry, decimals: number) =>
  e.result.status === 'pending' ? '待定' : e.result.status === 'unqualified' ? '不合格' : (e.result.score?.toFixed(decimals) ?? '');

const LAYOUTS: Record<ListCode, ListLayout> = {
  results: {
    title: (p) => `${p.policy.region}${p.year}年度定点医药机构协议考核结果公示名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '机构类别', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '考核得分', kind: 'text' },
      { header: '类别内排名', kind: 'int' },
      { header: '等级', kind: 'text' },
    ],
    row: (e, p) => [e.result.institution.code, e.result.institution.name, e.result.category.name, e.result.institution.district, scoreText(e, p.policy.scoring.decimals), e.result.rank, e.result.grade],
  },
  noRenewal: {
    title: (p) => `${p.policy.region}连续2个协议年度考核低于${p.policy.sanctions.consecutiveLow?.below ?? ''}分、不再续签医保服务协议的定点医药机构名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '上年度得分', kind: 'text' },
      { header: '本年度得分', kind: 'text' },
      { header: '说明', kind: 'text' },
      { header: '依据', kind: 'text' },
    ],
    row: (e, p) => [
      e.result.institution.code,
      e.result.institution.name,
      e.result.institution.district,
      e.result.prior.score?.toFixed(p.policy.scoring.decimals) ?? '',
      scoreText(e, p.policy.scoring.decimals),
      e.reason,
      e.ref ?? '',
    ],
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

export async function noticeLists(plan: YearPlan): Promise<OutputFile[]> {
  const wb = new PrintBook(plan.year);
  const csvs: OutputFile[] = [];
  const order = plan.policy.categories.map((c) => c.code);
  for (const code of plan.policy.publication.lists) {
    const layout = LAYOUTS[code];
    const listed = plan.lists.get(code) ?? [];
    // The result list reads by category, then by rank; the others keep roster order.
    const entries = code === 'results' ? [...listed].sort((a, b) => order.indexOf(a.result.category.code) - order.indexOf(b.result.category.code) || resultOrder(a.result, b.result)) : listed;
    const sheet = new PrintableSheet(wb, {
      name: LIST_TITLES[code],
      title: layout.title(plan),
      columns: [{ header: '序号', kind: 'int' }, ...layout.columns],
    });
    const rows = entries.map((e, i) => [i + 1, ...layout.row(e, plan)]);
    rows.forEach((r) => sheet.add(r));
    if (rows.length === 0) sheet.note('（无）');
    const header = ['序号', ...layout.columns.map((c) => c.header)];
    const body = rows.map((r) => r.map((c) => csvSafe(c === null ? '' : String(c))));
    csvs.push({ name: `公示名单-${plan.year}-${LIST_TITLES[code]}.csv`, content: `\uFEFF${stringify([header, ...body], { record_delimiter: '\r\n' })}` });
  }
  return [await wb.file(`公示名单-${plan.year}.xlsx`), ...csvs];
}
