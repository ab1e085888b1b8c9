// 考核结果-Y.xlsx (SPEC §6): summary, one sheet per category, indicator detail,
// deduction detail and pending institutions.
import type { Investigation, Violation } from '../domain.js';
import type { InstitutionResult, YearPlan } from '../run/plan.js';
import { STATUS_NAMES } from '../rules/scoring.js';
import type { OutputFile } from './output.js';
import { PrintBook, PrintableSheet, yuanCell, type Cell } from './workbook-style.js';

const num = (d: { toNumber(): number } | null) => (d === null ? null : d.toNumber());
const source = (s: { file: string; sheet?: string; row: number }) => `${s.file}${s.sheet ? `（${s.sheet}）` : ''} 第${s.row}行`;

/** Scored first by rank, then pending, then unqualified; code breaks ties. */
export function resultOrder(a: InstitutionResult, b: InstitutionResult): number {
  const order = { scored: 0, pending: 1, unqualified: 2 };
  return order[a.status] - order[b.status] || (a.rank ?? 0) - (b.rank ?? 0) || (a.institution.code < b.institution.code ? -1 : 1);
}

export function statusRemark(r: InstitutionResult): string {
  if (r.status === 'pending') return `${(r.statusBecause as Investigation).openedOn} 立案调查，未结案（${r.statusRef ?? ''}）`;
  if (r.status === 'unqualified') {
    const v = r.statusBecause as Violation;
    return `${v.handledOn} ${v.type}（${r.statusRef ?? ''}）`;
  }
  return r.terminatedBy ? `${r.terminatedBy.handledOn} 解除协议` : '';
}

function summarySheet(plan: YearPlan, wb: PrintBook) {
  const title = `${plan.policy.title}　${plan.year}年度结果汇总`;
  const grades = plan.policy.grades.map((g) => g.name);
  const byCategory = new PrintableSheet(wb, {
    name: '汇总',
    title,
    columns: [
      { header: '类别', kind: 'text' },
      { header: '机构数', kind: 'int' },
      { header: '已评分', kind: 'int' },
      { header: '待定', kind: 'int' },
      { header: '不合格（第十七条）', kind: 'int' },
      ...grades.map((g) => ({ header: `等级：${g}`, kind: 'int' as const })),
      { header: '平均分', kind: 'score' },
      { header: '最高分', kind: 'score' },
      { header: '最低分', kind: 'score' },
    ],
  });
  const line = (label: string, rs: InstitutionResult[]): Cell[] => {
    const scores = rs.filter((r) => r.score !== null).map((r) => r.score!.toNumber());
    const avg = scores.length ? Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 100) / 100 : null;
    return [
      label,
      rs.length,
      rs.filter((r) => r.status === 'scored').length,
      rs.filter((r) => r.status === 'pending').length,
      rs.filter((r) => r.status === 'unqualified').length,
      ...grades.map((g) => rs.filter((r) => r.status === 'scored' && r.grade === g).length),
      avg,
      scores.length ? Math.max(...scores) : null,
      scores.length ? Math.min(...scores) : null,
    ];
  };
  for (const c of plan.policy.categories) byCategory.add(line(c.name, plan.results.filter((r) => r.category.code === c.code)));
  byCategory.add(line('合计', plan.results), { bold: true, fill: 'FFF2F2F2' });
  byCategory.note('');
  const districts = [...new Set(plan.results.map((r) => r.institution.district || '（未填写）'))].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  byCategory.add(['按区县', '机构数', '已评分', '待定', '不合格', ...grades.map((g) => g), '平均分', '最高分', '最低分'], { bold: true, fill: 'FFDDEBF7' });
  for (const d of districts) byCategory.add(line(d, plan.results.filter((r) => (r.institution.district || '（未填写）') === d)));
  byCategory.note(`依据：${plan.policy.scoring.ref ?? ''}；满分${plan.policy.scoring.fullMark}分，保留${plan.policy.scoring.decimals}位小数（四舍五入）。`);
}

function categorySheets(plan: YearPlan, wb: PrintBook) {
  for (const category of plan.policy.categories) {
    const results = plan.results.filter((r) => r.category.code === category.code).sort(resultOrder);
    const dimensions = [...new Set(plan.policy.indicators.filter((i) => i.categories.includes(category.code)).map((i) => i.dimension))];
    const max = results[0]?.categoryMax.toNumber();
    const sheet = new PrintableSheet(wb, {
      name: category.name,
      title: `${plan.policy.region}${plan.year}年度协议考核结果（${category.name}）`,
      subtitle: max !== undefined && max !== plan.policy.scoring.fullMark ? `本类指标满分合计 ${max} 分，按 ${plan.policy.scoring.fullMark} 分折算` : undefined,
      columns: [
        { header: '序号', kind: 'int' },
        { header: '机构编码', kind: 'code' },
        { header: '机构名称', kind: 'text' },
        { header: '所属区县', kind: 'text' },
        ...dimensions.map((d) => ({ header: d, kind: 'score' as const })),
        { header: '指标合计', kind: 'score' },
        { header: '折算得分', kind: 'score' },
        { header: '扣分', kind: 'score' },
        { header: '考核得分', kind: 'score' },
        { header: '排名', kind: 'int' },
        { header: '参评数', kind: 'int' },
        { header: '等级', kind: 'text' },
        { header: '状态', kind: 'text' },
        { header: '备注', kind: 'text', wrap: true },
      ],
    });
    results.forEach((r, i) => {
      const scored = r.status === 'scored';
      sheet.add([
        i + 1,
        r.institution.code,
        r.institution.name,
        r.institution.district,
        ...dimensions.map((d) => (scored ? num(r.dimensions.get(d) ?? null) : null)),
        scored ? r.base.toNumber() : null,
        scored ? r.scaled.toDecimalPlaces(plan.policy.scoring.decimals).toNumber() : null,
        scored ? r.deductionTotal.toNumber() : null,
        num(r.score),
        r.rank,
        scored ? r.rankOf : null,
        r.grade,
        STATUS_NAMES[r.status],
        statusRemark(r),
      ]);
    });
  }
}

function indicatorSheet(plan: YearPlan, wb: PrintBook) {
  const sheet = new PrintableSheet(wb, {
    name: '指标明细',
    title: `${plan.year}年度考核指标得分明细`,
    plain: true,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '类别', kind: 'text' },
      { header: '指标编码', kind: 'code' },
      { header: '指标名称', kind: 'text' },
      { header: '维度', kind: 'text' },
      { header: '满分', kind: 'score' },
      { header: '得分', kind: 'score' },
      { header: '计入得分', kind: 'score' },
    ],
  });
  for (const r of plan.results) {
    for (const p of r.indicators) {
      sheet.add([r.institution.code, r.institution.name, r.category.name, p.indicator.code, p.indicator.name, p.indicator.dimension, p.indicator.max, num(p.given), p.counted.toNumber()]);
    }
  }
}

function deductionSheet(plan: YearPlan, wb: PrintBook) {
  const sheet = new PrintableSheet(wb, {
    name: '扣分明细',
    title: `${plan.year}年度违规处理扣分明细（按处理日期计入当年度）`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '发生日期', kind: 'text' },
      { header: '处理日期', kind: 'text' },
      { header: '处理类型', kind: 'text' },
      { header: '依据', kind: 'text' },
      { header: '扣分', kind: 'score' },
      { header: '政策依据', kind: 'text' },
      { header: '来源', kind: 'text' },
    ],
  });
  for (const r of plan.results) {
    for (const d of r.deductions) {
      const v = d.violation;
      sheet.add([r.institution.code, r.institution.name, v.occurredOn, v.handledOn, v.type, v.basis ?? '', d.points.toNumber(), d.ref ?? '', source(v.source)]);
    }
  }
  sheet.note(`依据：${plan.policy.deductions.ref ?? ''}——既往年度发生、当年度处理的违规行为纳入当年度考核。`);
}

function pendingSheet(plan: YearPlan, wb: PrintBook) {
  const sheet = new PrintableSheet(wb, {
    name: '待定机构',
    title: `${plan.year}年度暂不计算考核成绩的机构（正在接受调查）`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '类别', kind: 'text' },
      { header: '立案日期', kind: 'text' },
      { header: '结案日期', kind: 'text' },
      { header: '暂扣保证金（元）', kind: 'money' },
      { header: '来源', kind: 'text' },
    ],
  });
  for (const r of plan.results.filter((x) => x.status === 'pending')) {
    const inv = r.statusBecause as Investigation;
    sheet.add([r.institution.code, r.institution.name, r.category.name, inv.openedOn, inv.closedOn ?? '未结案', yuanCell(r.deposit.heldFen), source(inv.source)]);
  }
  sheet.note(`依据：${plan.policy.statuses.pending?.ref ?? ''}——待结案后依据调查结论计算考核成绩并兑现质量保证金。`);
}

export async function resultsWorkbook(plan: YearPlan): Promise<OutputFile> {
  const wb = new PrintBook(plan.year);
  summarySheet(plan, wb);
  categorySheets(plan, wb);
  indicatorSheet(plan, wb);
  deductionSheet(plan, wb);
  pendingSheet(plan, wb);
  return wb.file(`考核结果-${plan.year}.xlsx`);
}
