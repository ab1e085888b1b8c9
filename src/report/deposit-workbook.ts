// 质量保证金-Y.xlsx (SPEC §6): the payout sheet with 12 monthly withholdings, district
// subtotals and a grand total, and the reconciliation sheet. Totals are summed in fen.
import type { InstitutionResult, YearPlan } from '../run/plan.js';
import { STATUS_NAMES } from '../rules/scoring.js';
import type { OutputFile } from './output.js';
import { PrintBook, PrintableSheet, yuanCell, type Cell } from './workbook-style.js';

const METHOD_NAMES = { refund: '按得分返还', pool: '统筹再分配' } as const;

interface Sums {
  months: number[];
  withheld: number;
  payout: number;
  forfeited: number;
  held: number;
}

const emptySums = (): Sums => ({ months: Array(12).fill(0), withheld: 0, payout: 0, forfeited: 0, held: 0 });

function addTo(s: Sums, r: InstitutionResult): void {
  r.monthlyWithheldFen.forEach((m, i) => (s.months[i] = (s.months[i] ?? 0) + (m ?? 0)));
  s.withheld += r.deposit.withheldFen;
  s.payout += r.deposit.payoutFen;
  s.forfeited += r.deposit.forfeitedFen;
  s.held += r.deposit.heldFen;
}

export async function depositWorkbook(plan: YearPlan): Promise<OutputFile> {
  const wb = new PrintBook(plan.year);
  const { deposit } = plan.policy;
  const subtitle = `单位：元　预留比例 ${(deposit.rate * 100).toFixed(2)}%（未提供预留保证金的月份按结算金额计算）　方式：${METHOD_NAMES[deposit.method]}　依据：${deposit.ref ?? ''}`;
  const payout = new PrintableSheet(wb, {
    name: '拨付表',
    title: `${plan.policy.region}${plan.year}年度定点医药机构质量保证金拨付表`,
    subtitle,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '类别', kind: 'text' },
      { header: '预留合计', kind: 'money' },
      { header: '考核得分', kind: 'score' },
      { header: '返还比例', kind: 'percent' },
      { header: '拨付金额', kind: 'money' },
      { header: '扣除金额', kind: 'money' },
      { header: '暂扣金额', kind: 'money' },
      { header: '状态', kind: 'text' },
    ],
  });
  const monthly = new PrintableSheet(wb, {
    name: '月度预留明细',
    title: `${plan.policy.region}${plan.year}年度质量保证金月度预留明细`,
    plain: true,
    subtitle,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      ...Array.from({ length: 12 }, (_, i) => ({ header: `${i + 1}月`, kind: 'money' as const })),
      { header: '预留合计', kind: 'money' },
    ],
  });
  const payoutSums = (label: string, s: Sums): Cell[] => ['', label, '', '', yuanCell(s.withheld), null, null, yuanCell(s.payout), yuanCell(s.forfeited), yuanCell(s.held), ''];
  const monthlySums = (label: string, s: Sums): Cell[] => ['', label, '', ...s.months.map((m) => yuanCell(m)), yuanCell(s.withheld)];
  const districts = new Map<string, InstitutionResult[]>();
  for (const r of plan.results) {
    const d = r.institution.district || '（未填写区县）';
    districts.set(d, [...(districts.get(d) ?? []), r]);
  }
  const total = emptySums();
  for (const d of [...districts.keys()].sort((a, b) => a.localeCompare(b, 'zh-CN'))) {
    const sub = emptySums();
    for (const r of (districts.get(d) ?? []).sort((a, b) => (a.institution.code < b.institution.code ? -1 : 1))) {
      addTo(sub, r);
      addTo(total, r);
      const { code, name, district } = r.institution;
      payout.add([
        code,
        name,
        district,
        r.category.name,
        yuanCell(r.deposit.withheldFen),
        r.score?.toNumber() ?? null,
        r.deposit.ratio?.toNumber() ?? null,
        yuanCell(r.deposit.payoutFen),
        yuanCell(r.deposit.forfeitedFen),
        yuanCell(r.deposit.heldFen),
        STATUS_NAMES[r.status],
      ]);
      monthly.add([code, name, district, ...r.monthlyWithheldFen.map((m) => yuanCell(m)), yuanCell(r.deposit.withheldFen)]);
    }
    payout.add(payoutSums(`${d} 小计`, sub), { bold: true, fill: 'FFF2F2F2' });
    monthly.add(monthlySums(`${d} 小计`, sub), { bold: true, fill: 'FFF2F2F2' });
  }
  payout.add(payoutSums('合计', total), { bold: true, fill: 'FFE2EFDA' });
  monthly.add(monthlySums('合计', total), { bold: true, fill: 'FFE2EFDA' });
  payout.note('返还比例：已评分机构按考核得分对应的返还比例拨付；待定机构暂扣，结案后兑现；不合格机构扣除当年度全部质量保证金。各月预留见「月度预留明细」。');

  const t = plan.totals;
  const rec = new PrintableSheet(wb, {
    name: '对账',
    title: `${plan.year}年度质量保证金对账`,
    columns: [
      { header: '项目', kind: 'text' },
      { header: '金额（元）', kind: 'money' },
      { header: '机构数', kind: 'int' },
    ],
  });
  const count = (pred: (r: InstitutionResult) => boolean) => plan.results.filter(pred).length;
  rec.add(['预留合计', yuanCell(t.withheldFen), plan.results.length]);
  rec.add(['拨付合计', yuanCell(t.payoutFen), count((r) => r.deposit.payoutFen > 0)]);
  rec.add(['扣除合计（归入基金）', yuanCell(t.forfeitedFen), count((r) => r.deposit.forfeitedFen > 0)]);
  rec.add(['暂扣合计（待结案）', yuanCell(t.heldFen), count((r) => r.deposit.heldFen > 0)]);
  rec.add(['差额：拨付 + 扣除 + 暂扣 − 预留', yuanCell(t.differenceFen), null], { bold: true, fill: t.differenceFen === 0 ? 'FFE2EFDA' : 'FFFFC7CE' });
  rec.note(t.differenceFen === 0 ? '已对平：拨付 + 扣除 + 暂扣 = 预留，精确到分。' : '未对平！');
  if (plan.carriedHeld.length > 0) {
    rec.note('');
    rec.add(['以前年度暂扣、仍待处理的保证金', null, plan.carriedHeld.length], { bold: true });
    for (const h of plan.carriedHeld) rec.add([`${h.year}年度 ${h.code}：${h.reason}`, Number(h.held), null]);
  }
  return wb.file(`质量保证金-${plan.year}.xlsx`);
}
