// The what-if comparison (SPEC §2 `compare`), in results/Y/比较-NAME/: 比较-NAME.xlsx (the
// changed institutions with before, after and difference and the first step of their
// derivation that differs; totals per category and district; the money moved; what differs
// between the two policies) and 比较明细.csv with stable English columns. Wording here.
import { stringify } from 'csv-stringify/sync';
import type { Comparison, ChangedInstitution, Group, Side } from '../plan/compare-plans.js';
import type { Step } from '../plan/derivation.js';
import { ruleDef } from '../plan/rule-book.js';
import type { YearPlan } from '../plan/year-plan.js';
import { fenToYuanText } from '../io/values.js';
import { statusName } from '../rules/status.js';
import { listDef, isListCode } from '../plan/lists.js';
import type { OutputFile } from './output.js';
import { FILLS, PrintBook, PrintableSheet, safeText, yuanCell, type Cell } from './workbook-style.js';
import { groupedYuan } from './explain.js';

/** What the two runs are: the current policy and the alternative, as named to the officer. */
export interface ComparedPolicies {
  name: string;
  current: { file: string; title: string };
  alternative: { file: string; title: string };
  /** Policy paths whose values differ: path, current, alternative (JSON text). */
  differences: { path: string; current: string; alternative: string }[];
}

/** The first differing step, by the alternative's step: why an institution changed. */
export interface ChangeReason {
  before: Step | null;
  after: Step | null;
}

const FIGURE_NAMES: Readonly<Record<string, string>> = {
  indicator: '指标得分',
  base: '指标合计',
  scaled: '折算得分',
  deduction: '扣分',
  score: '考核得分',
  rank: '排名',
  grade: '等级',
  status: '状态',
  withholding: '月度预留',
  withheld: '预留合计',
  ratio: '返还比例',
  weight: '分配权重',
  payout: '拨付',
  forfeited: '扣除',
  held: '暂扣',
  net: '调剂金额',
  list: '名单',
  // the modules' figures
  tier: '结算等级',
  promotion: '晋级',
  deregister: '解除定点资质',
  ban: '禁入',
  consecutiveLow: '连续两年低于分数线',
  elimination: '末位淘汰（倒数名次）',
  staffing: '医保办人员配备',
  agreement: '协议续签',
  personnelEvent: '人员记分',
  personnelStatus: '人员记分结果',
  personnelCharge: '人员记分扣减机构分数',
};

const CHANGE_NAMES: Readonly<Record<string, string>> = { scope: '评价范围', score: '得分', grade: '等级', status: '状态', tier: '结算等级', lists: '名单', money: '金额' };

const stepValue = (s: Step | null): string => {
  if (!s) return '（无）';
  if (s.figure === 'ratio') return `${(Number(s.value) * 100).toFixed(2)}%`;
  if (s.figure === 'status') return statusName(s.value as 'scored');
  if (s.figure === 'list') return isListCode(s.value) ? listDef(s.value).title : s.value;
  return s.value;
};

/** "返还比例：92.20% → 100.00%" */
export function reasonText(reason: ChangeReason | null | undefined): string {
  if (!reason) return '';
  const s = reason.before ?? reason.after;
  if (!s) return '';
  const name = FIGURE_NAMES[s.figure] ?? ruleDef(s.rule)?.label ?? s.figure;
  const which = s.indicator ? ` ${s.indicator}` : s.figure === 'list' && s.list && isListCode(s.list) ? ` ${listDef(s.list).title}` : '';
  return `${name}${which}：${stepValue(reason.before)} → ${stepValue(reason.after)}`;
}

const listNames = (s: Side | null) => (s ? s.lists.map((l) => (isListCode(l) ? listDef(l).title : l)).join('、') : '');
const scoreText = (s: Side | null, decimals: number) => (!s ? '（不在范围内）' : s.score ? s.score.toFixed(decimals) : statusName(s.status));
const arrow = (a: string, b: string) => (a === b ? a : `${a} → ${b}`);

export async function comparisonWorkbook(before: YearPlan, c: Comparison, reasons: ReadonlyMap<string, ChangeReason | null>, policies: ComparedPolicies): Promise<OutputFile> {
  const wb = new PrintBook(before.year);
  const decimals = before.policy.scoring.decimals;
  const title = `${before.policy.region}${before.year}年度 政策比较：现行（${policies.current.file}）与备选（${policies.alternative.file}）`;
  const detail = new PrintableSheet(wb, {
    name: '变化明细',
    title,
    subtitle: `同一年度、同一批输入，分别按两个政策文件计算；只列出得分、等级、状态、结算等级、名单或金额有变化的机构。单位：元`,
    pagesWide: 2, // 15 columns: two pages across, code and name on both
    repeatColumns: 2,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '类别', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '变化', kind: 'text' },
      { header: '得分', kind: 'text' },
      { header: '等级', kind: 'text' },
      { header: '结算等级', kind: 'text' },
      { header: '名单', kind: 'text', wrap: true },
      { header: '拨付（现行）', kind: 'money' },
      { header: '拨付（备选）', kind: 'money' },
      { header: '拨付差额', kind: 'money' },
      { header: '扣除差额', kind: 'money' },
      { header: '暂扣差额', kind: 'money' },
      { header: '原因（首个不同的计算步骤）', kind: 'text', wrap: true },
    ],
  });
  const fen = (s: Side | null, key: 'payoutFen' | 'forfeitedFen' | 'heldFen') => s?.[key] ?? 0;
  for (const r of c.changed) {
    detail.add([
      r.code,
      r.name,
      r.category,
      r.district,
      r.changed.map((f) => CHANGE_NAMES[f] ?? f).join('、'),
      arrow(scoreText(r.before, decimals), scoreText(r.after, decimals)),
      arrow(r.before?.grade ?? '', r.after?.grade ?? ''),
      arrow(r.before?.tier ?? '', r.after?.tier ?? ''),
      arrow(listNames(r.before), listNames(r.after)),
      yuanCell(fen(r.before, 'payoutFen')),
      yuanCell(fen(r.after, 'payoutFen')),
      yuanCell(fen(r.after, 'payoutFen') - fen(r.before, 'payoutFen')),
      yuanCell(fen(r.after, 'forfeitedFen') - fen(r.before, 'forfeitedFen')),
      yuanCell(fen(r.after, 'heldFen') - fen(r.before, 'heldFen')),
      reasonText(reasons.get(r.code)),
    ]);
  }
  if (c.changed.length === 0) detail.note('（两个政策下所有机构的结果都相同）');

  const summary = new PrintableSheet(wb, {
    name: '汇总',
    title: `${before.policy.region}${before.year}年度 政策比较汇总`,
    subtitle: '单位：元',
    columns: [
      { header: '分组', kind: 'text' },
      { header: '机构数', kind: 'int' },
      { header: '有变化', kind: 'int' },
      { header: '预留（现行）', kind: 'money' },
      { header: '预留（备选）', kind: 'money' },
      { header: '拨付（现行）', kind: 'money' },
      { header: '拨付（备选）', kind: 'money' },
      { header: '拨付差额', kind: 'money' },
      { header: '扣除（现行）', kind: 'money' },
      { header: '扣除（备选）', kind: 'money' },
      { header: '暂扣（现行）', kind: 'money' },
      { header: '暂扣（备选）', kind: 'money' },
    ],
  });
  const line = (g: Group): Cell[] => [
    g.name,
    g.institutions,
    g.changed,
    yuanCell(g.before.withheldFen),
    yuanCell(g.after.withheldFen),
    yuanCell(g.before.payoutFen),
    yuanCell(g.after.payoutFen),
    yuanCell(g.after.payoutFen - g.before.payoutFen),
    yuanCell(g.before.forfeitedFen),
    yuanCell(g.after.forfeitedFen),
    yuanCell(g.before.heldFen),
    yuanCell(g.after.heldFen),
  ];
  const total: Group = { name: '合计', institutions: c.institutions, changed: c.changed.length, before: c.totals.before, after: c.totals.after };
  summary.add(['按类别', null, null, null, null, null, null, null, null, null, null, null], { bold: true, fill: FILLS.header });
  for (const g of c.byCategory) summary.add(line(g));
  summary.total(line(total), FILLS.subtotal);
  summary.add(['按区县', null, null, null, null, null, null, null, null, null, null, null], { bold: true, fill: FILLS.header });
  for (const g of c.byDistrict) summary.add(line(g));
  summary.total(line(total), FILLS.subtotal);
  summary.note(movedText(c));

  const policy = new PrintableSheet(wb, {
    name: '政策差异',
    title: '两个政策文件中取值不同的参数',
    columns: [
      { header: '参数路径', kind: 'text' },
      { header: `现行（${policies.current.file}）`, kind: 'text', wrap: true },
      { header: `备选（${policies.alternative.file}）`, kind: 'text', wrap: true },
    ],
  });
  for (const d of policies.differences) policy.add([d.path, d.current, d.alternative]);
  if (policies.differences.length === 0) policy.note('（两个政策文件的参数相同）');
  policy.note(`现行：${policies.current.title}；备选：${policies.alternative.title}。`);
  return wb.file(`比较-${policies.name}.xlsx`);
}

/** The money moved, in words. */
export function movedText(c: Comparison): string {
  const m = c.moved;
  const fund = m.fundFen === 0 ? '归入基金的扣除不变' : `归入基金的扣除${m.fundFen > 0 ? '增加' : '减少'} ${groupedYuan(fenToYuanText(Math.abs(m.fundFen)))} 元`;
  return `拨付合计 ${groupedYuan(fenToYuanText(c.totals.before.payoutFen))} 元 → ${groupedYuan(fenToYuanText(c.totals.after.payoutFen))} 元；${m.gainers} 家多拨付共 ${groupedYuan(fenToYuanText(m.gainedFen))} 元，${m.losers} 家少拨付共 ${groupedYuan(fenToYuanText(m.lostFen))} 元；${fund}。`;
}

export const COMPARISON_COLUMNS = [
  'code',
  'name',
  'category',
  'district',
  'changed',
  'status_before',
  'status_after',
  'score_before',
  'score_after',
  'grade_before',
  'grade_after',
  'tier_before',
  'tier_after',
  'lists_before',
  'lists_after',
  'withheld_before',
  'withheld_after',
  'payout_before',
  'payout_after',
  'payout_difference',
  'forfeited_before',
  'forfeited_after',
  'held_before',
  'held_after',
  'first_difference',
] as const;

export function comparisonCsv(c: Comparison, reasons: ReadonlyMap<string, ChangeReason | null>, decimals: number): OutputFile {
  const money = (s: Side | null, key: 'withheldFen' | 'payoutFen' | 'forfeitedFen' | 'heldFen') => (s ? fenToYuanText(s[key]) : '');
  const row = (r: ChangedInstitution) => [
    r.code,
    r.name,
    r.category,
    r.district,
    r.changed.join(';'),
    r.before?.status ?? '',
    r.after?.status ?? '',
    r.before?.score?.toFixed(decimals) ?? '',
    r.after?.score?.toFixed(decimals) ?? '',
    r.before?.grade ?? '',
    r.after?.grade ?? '',
    r.before?.tier ?? '',
    r.after?.tier ?? '',
    r.before?.lists.join(';') ?? '',
    r.after?.lists.join(';') ?? '',
    money(r.before, 'withheldFen'),
    money(r.after, 'withheldFen'),
    money(r.before, 'payoutFen'),
    money(r.after, 'payoutFen'),
    fenToYuanText((r.after?.payoutFen ?? 0) - (r.before?.payoutFen ?? 0)),
    money(r.before, 'forfeitedFen'),
    money(r.after, 'forfeitedFen'),
    money(r.before, 'heldFen'),
    money(r.after, 'heldFen'),
    reasonText(reasons.get(r.code)),
  ];
  const rows = c.changed.map((r) => row(r).map((v) => safeText(v, 'csv')));
  return { name: '比较明细.csv', content: `\uFEFF${stringify([[...COMPARISON_COLUMNS], ...rows], { record_delimiter: '\r\n' })}` };
}
