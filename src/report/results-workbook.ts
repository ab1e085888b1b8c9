// 考核结果-Y.xlsx (SPEC §6): summary, one sheet per category, indicator detail,
// deduction detail and pending institutions.
import { groupBy } from '../group-by.js';
import type { OnProgress } from '../progress.js';
import { Decimal } from 'decimal.js';
import { decimalNumber, scaledNumber } from '../rules/shared-decimal.js';
import type { RowRef } from '../domain.js';
import { citePath } from '../policy/refs.js';
import { signOff } from './sign-off.js';
import type { InstitutionPlan, YearPlan } from '../plan/year-plan.js';
import { gradeText } from '../plan/assessment.js';
import type { IndicatorLine } from '../plan/types.js';
import { dimensionSubtotalNumbers } from '../rules/scoring.js';
import { statusName, statusOrder } from '../rules/status.js';
import type { OutputFile } from './output.js';
import { FILLS, PrintBook, PrintableSheet, yuanCell, type Cell } from './workbook-style.js';
import type { LineRowsTable } from './line-rows.js';
import { heldLines, type IndicatorLineColumns } from '../plan/indicator-lines.js';
import type { Category, Indicator, Policy } from '../policy/schema.js';
import { Numbering, remembered } from '../numbering.js';

/** A decimal's cell (shared instances are converted once: detail sheets show them on millions of rows). */
const num = (d: Decimal | null | undefined) => (d === null || d === undefined ? null : decimalNumber(d));
export const sourceText = (s: RowRef) => `${s.file}${s.sheet ? `（${s.sheet}）` : ''} 第${s.row}行`;
const NO_DISTRICT = '（未填写区县）';
const districtOf = (r: InstitutionPlan) => r.institution.district || NO_DISTRICT;
const rankOf = (r: InstitutionPlan) => (r.assessment.status === 'scored' ? r.assessment.ranking.rank : 0);

/** Scored first by rank, then pending, then unqualified; code breaks ties. */
export function resultOrder(a: InstitutionPlan, b: InstitutionPlan): number {
  return (
    statusOrder(a.assessment.status) - statusOrder(b.assessment.status) ||
    rankOf(a) - rankOf(b) ||
    (a.institution.code < b.institution.code ? -1 : a.institution.code > b.institution.code ? 1 : 0)
  );
}

/** 备注 of a result: why it has no score (the sheet's note cites the articles), or the agreement ended in the year. */
export function statusRemark(r: InstitutionPlan, plan: YearPlan): string {
  const a = r.assessment;
  if (a.status === 'pending') {
    const inv = a.investigation;
    const state = inv.closedOn ? `${inv.closedOn} 结案，考核工作结束时未结案` : '未结案';
    return `${inv.openedOn} 立案调查，${state}`;
  }
  if (a.status === 'unqualified') {
    const v = a.violation;
    return `${v.occurredOn} 发生、${v.handledOn} 处理：${v.type}`;
  }
  // Only an institution on the list is looked up in it (a scan per row would be quadratic).
  const terminated = r.lists.includes('terminated') ? plan.lists.get('terminated')?.find((e) => e.code === r.institution.code) : undefined;
  return terminated ? `${String(terminated.facts.handledOn)} ${String(terminated.facts.type)}` : '';
}

/**
 * Score bands for the distribution: every grade boundary of the policy, and tenths of the
 * full mark from the lowest positive boundary up; each band holds its lower bound, not its
 * upper one.
 */
export function scoreBands(policy: Policy): { label: string; min: number; max: number | null }[] {
  const full = policy.scoring.fullMark;
  const edges = new Set(policy.grades.map((g) => g.min).filter((m) => m > 0 && m < full));
  const lowest = Math.min(...edges);
  for (let k = 1; k < 10; k++) {
    const edge = (full * k) / 10;
    if (edge >= lowest) edges.add(edge);
  }
  const sorted = [...edges].sort((a, b) => a - b);
  const bands = [{ label: `<${sorted[0] ?? full}`, min: 0, max: sorted[0] ?? null }];
  sorted.forEach((lo, i) => {
    const hi = sorted[i + 1];
    bands.push(hi === undefined ? { label: `≥${lo}`, min: lo, max: null } : { label: `${lo}-${hi}`, min: lo, max: hi });
  });
  return sorted.length ? bands : [{ label: '全部', min: 0, max: null }];
}

interface Stats {
  count: number;
  avg: number | null;
  max: number | null;
  min: number | null;
}

/**
 * Average (half up to the policy's decimals), max and min of the scored results, in
 * decimal. In one pass, the sum of each score × 10^decimals as an exact integer; where a
 * score has more places, or the sum passes the exact integers, decimal.js sums the scores.
 */
export function scoreStats(rs: readonly Pick<InstitutionPlan, 'assessment'>[], decimals: number): Stats {
  let count = 0;
  let scaledSum = 0;
  let exact = true;
  let max: Decimal | null = null;
  let min: Decimal | null = null;
  for (const r of rs) {
    if (r.assessment.status !== 'scored') continue;
    const s = r.assessment.score;
    count++;
    const scaled = scaledNumber(s, decimals);
    if (scaled === null || !Number.isSafeInteger(scaledSum + scaled)) exact = false;
    else scaledSum += scaled;
    if (max === null || s.gt(max)) max = s;
    if (min === null || s.lt(min)) min = s;
  }
  if (count === 0 || max === null || min === null) return { count: 0, avg: null, max: null, min: null };
  const sum = exact ? new Decimal(scaledSum).dividedBy(new Decimal(10).pow(decimals)) : rs.reduce((a, r) => (r.assessment.status === 'scored' ? a.plus(r.assessment.score) : a), new Decimal(0));
  return { count, avg: sum.dividedBy(count).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toNumber(), max: max.toNumber(), min: min.toNumber() };
}

function summarySheet(plan: YearPlan, wb: PrintBook) {
  const { policy } = plan;
  const decimals = policy.scoring.decimals;
  const grades = policy.grades.map((g) => g.name);
  const sheet = new PrintableSheet(wb, {
    name: '汇总',
    title: `${policy.title}　${plan.year}年度结果汇总`,
    columns: [
      { header: '类别', kind: 'text' },
      { header: '机构数', kind: 'int' },
      { header: '已评分', kind: 'int' },
      { header: '待定', kind: 'int' },
      { header: `${statusName('unqualified')}（不计分）`, kind: 'int' },
      ...grades.map((g) => ({ header: `等级：${g}`, kind: 'int' as const })),
      { header: '平均分', kind: 'score' },
      { header: '最高分', kind: 'score' },
      { header: '最低分', kind: 'score' },
    ],
  });
  const line = (label: string, rs: InstitutionPlan[]): Cell[] => {
    const s = scoreStats(rs, decimals);
    // Counted in one pass (a filter per status and grade went over every institution each).
    let pending = 0;
    let unqualified = 0;
    const byGrade = new Map(grades.map((g) => [g, 0]));
    for (const r of rs) {
      const a = r.assessment;
      if (a.status === 'pending') pending++;
      else if (a.status === 'unqualified') unqualified++;
      else if (a.status === 'scored' && byGrade.has(a.grade.name)) byGrade.set(a.grade.name, (byGrade.get(a.grade.name) ?? 0) + 1);
    }
    return [label, rs.length, s.count, pending, unqualified, ...grades.map((g) => byGrade.get(g) ?? 0), s.avg, s.max, s.min];
  };
  const byCategory = policy.categories.map((c) => ({ name: c.name, rs: plan.institutions.filter((r) => r.category.code === c.code) }));
  for (const { name, rs } of byCategory) sheet.add(line(name, rs));
  sheet.total(line('合计', plan.institutions), FILLS.subtotal);

  // By district: the same counts and statistics.
  sheet.note('');
  sheet.add(['按区县', '机构数', statusName('scored'), statusName('pending'), `${statusName('unqualified')}（不计分）`, ...grades.map((g) => `等级：${g}`), '平均分', '最高分', '最低分'], { bold: true, fill: FILLS.header });
  const byDistrict = groupBy(plan.institutions, districtOf);
  for (const d of [...byDistrict.keys()].sort((a, b) => a.localeCompare(b, 'zh-CN'))) sheet.add(line(d, byDistrict.get(d) ?? []));
  sheet.total(line('合计', plan.institutions), FILLS.subtotal);

  // Score distribution of the scored institutions, by category.
  const bands = scoreBands(policy);
  const width = 5 + grades.length + 3;
  const pad = (cells: Cell[]): Cell[] => [...cells, ...Array<Cell>(Math.max(0, width - cells.length)).fill(null)];
  // Each band's bounds as Decimals made once (decimal.js makes one of a number at every comparison).
  const bounds = bands.map((b) => ({ min: new Decimal(b.min), max: b.max === null ? null : new Decimal(b.max) }));
  // The bands a score falls in, found once per score: scores are shared instances, a few thousand of them.
  const bandsOf = new WeakMap<Decimal, number[]>();
  const bandsOfScore = (score: Decimal) =>
    remembered(bandsOf, score, () => bounds.flatMap((b, k) => (score.gte(b.min) && (b.max === null || score.lt(b.max)) ? [k] : [])));
  const distribution = (label: string, rs: InstitutionPlan[]): Cell[] => {
    const counts = bounds.map(() => 0);
    for (const r of rs) {
      if (r.assessment.status !== 'scored') continue;
      for (const k of bandsOfScore(r.assessment.score)) counts[k] = (counts[k] ?? 0) + 1;
    }
    return pad([label, ...counts]);
  };
  sheet.note('');
  sheet.add(pad(['分数段（已评分机构数）', ...bands.map((b) => b.label)]), { bold: true, fill: FILLS.header });
  for (const { name, rs } of byCategory) sheet.add(distribution(name, rs));
  sheet.total(distribution('合计', plan.institutions), FILLS.subtotal);
  const example = bands[1];
  const exampleText = example && example.max !== null ? `（如 ${example.label} 为 ${example.min} ≤ 得分 < ${example.max}）` : '';
  sheet.note(`分数段含下限、不含上限${exampleText}。依据：${citePath(policy, 'scoring')}；满分${policy.scoring.fullMark}分，保留${decimals}位小数（四舍五入）。`);
  signOff(sheet, policy);
}

function categorySheets(plan: YearPlan, wb: PrintBook, texts: InstitutionTexts) {
  const { policy } = plan;
  const { institutions } = plan;
  for (const category of policy.categories) {
    // Roster indexes in the sheet's order: an institution's texts are read where the workbook's tables share them.
    const order = institutions.flatMap((r, i) => (r.category.code === category.code ? [i] : [])).sort((a, b) => resultOrder(institutions[a] as InstitutionPlan, institutions[b] as InstitutionPlan));
    const results = order.map((i) => institutions[i] as InstitutionPlan);
    const indicators = policy.indicators.filter((i) => i.categories.includes(category.code));
    const dimensions = [...new Set(indicators.map((i) => i.dimension))];
    const max = indicators.reduce((a, i) => a.plus(i.max), new Decimal(0));
    const sheet = new PrintableSheet(wb, {
      name: category.name,
      title: `${policy.region}${plan.year}年度${policy.scoring.name ?? '考核'}结果（${category.name}）`,
      subtitle: max.eq(policy.scoring.fullMark) ? undefined : `本类指标满分合计 ${max.toString()} 分，按 ${policy.scoring.fullMark} 分折算：折算得分 = 指标合计 × ${policy.scoring.fullMark} ÷ ${max.toString()}`,
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
    sheet.addTable(resultTable(plan, results, dimensions, { texts, rows: Int32Array.from(order) }, (done) => sheet.making(done, results.length)));
    if (results.length === 0) sheet.note('（本类无机构）');
    else sheet.note(`排名：本类已评分机构中按考核得分从高到低，得分相同者名次相同。${statusName('pending')}（正在接受调查，${citePath(policy, 'statuses.pending')}）、${statusName('unqualified')}（${citePath(policy, 'statuses.unqualified')}）机构不参与排名，列于最后。`);
    signOff(sheet, policy);
  }
}

/**
 * Every institution's code, name and district, in roster order: the columns the workbook's
 * tables share (line-rows.ts, `textRow`). A thread that makes the rows is handed each column
 * once, not a copy per sheet (a million texts each, at national scale).
 */
interface InstitutionTexts {
  codes: string[];
  names: string[];
  districts: string[];
}

const institutionTexts = ({ institutions }: YearPlan): InstitutionTexts => ({
  codes: institutions.map((r) => r.institution.code),
  names: institutions.map((r) => r.institution.name),
  districts: institutions.map((r) => r.institution.district),
});

/** Rows of a table made between reports of its progress. */
const MADE_REPORT_EVERY = 20_000;

/**
 * A category sheet's rows as a table (line-rows.ts), a line per institution in the sheet's
 * order: 序号, code, name, district, the dimensions' subtotals, 指标合计, 折算得分, 扣分,
 * 考核得分, rank and of (blank where not scored), grade, status and remark. Numbers in a
 * column each, not a record per institution; made on the deflating thread in a large workbook.
 */
function resultTable(plan: YearPlan, results: readonly InstitutionPlan[], dimensions: readonly string[], shared: { texts: InstitutionTexts; rows: Int32Array }, onMade?: (rows: number) => void): LineRowsTable {
  const { policy } = plan;
  const n = results.length;
  // Code, name and district the workbook's (`shared.rows`: each result's roster index); grade,
  // status and remark numbered (a few texts repeat); the numbers in shared memory: the thread
  // reads them where they are.
  const repeated = Array.from({ length: 3 }, () => ({ ids: new Int32Array(n), numbering: new Numbering<string>() }));
  const figures = Array.from({ length: dimensions.length + 7 }, () => new Float64Array(new SharedArrayBuffer(n * Float64Array.BYTES_PER_ELEMENT)).fill(Number.NaN));
  const set = (k: number, i: number, v: number | null | undefined) => {
    if (v !== null && v !== undefined) (figures[k] as Float64Array)[i] = v;
  };
  const d = dimensions.length;
  results.forEach((r, i) => {
    const a = r.assessment;
    const scored = a.status === 'scored' ? a : null;
    set(0, i, i + 1);
    if (scored) {
      dimensionSubtotalNumbers(r.indicators, dimensions).forEach((v, k) => set(1 + k, i, v));
      set(d + 2, i, scored.scaled.toDecimalPlaces(policy.scoring.decimals, Decimal.ROUND_HALF_UP).toNumber());
    }
    set(d + 1, i, num(scored?.base));
    set(d + 3, i, num(scored?.deductionTotal));
    set(d + 4, i, num(scored?.score));
    set(d + 5, i, scored?.ranking.rank);
    set(d + 6, i, scored?.ranking.of);
    if ((i + 1) % MADE_REPORT_EVERY === 0 || i + 1 === n) onMade?.(i + 1);
    [gradeText(a, policy), statusName(a.status), statusRemark(r, plan)].forEach((t, k) => {
      const column = repeated[k] as (typeof repeated)[number];
      column.ids[i] = column.numbering.numberOf(t);
    });
  });
  const line = (column: number) => ({ from: 'line' as const, column });
  const text = (column: number) => ({ from: 'institution' as const, column });
  return {
    institutionTexts: [shared.texts.codes, shared.texts.names, shared.texts.districts, ...repeated.map(({ ids, numbering }) => ({ ids, texts: Array.from({ length: numbering.size }, (_, k) => numbering.at(k)) }))],
    textRow: shared.rows,
    group: new Int32Array(n),
    firstLine: Int32Array.from({ length: n }, (_, i) => i),
    lineCount: new Int32Array(n).fill(1),
    groupCells: [[[]]],
    lineColumns: figures.map((values) => ({ ids: null, values })),
    layout: [line(0), text(0), text(1), text(2), ...dimensions.map((_d, k) => line(1 + k)), line(d + 1), line(d + 2), line(d + 3), line(d + 4), line(d + 5), line(d + 6), text(3), text(4), text(5)],
  };
}

/** Indicator lines of all institutions: the rows of the per-indicator sheets. */
const indicatorLines = (plan: YearPlan) => plan.institutions.reduce((a, r) => a + r.indicators.length, 0);

function indicatorSheet(plan: YearPlan, wb: PrintBook, texts: InstitutionTexts) {
  const sheet = new PrintableSheet(wb, {
    name: '指标明细',
    title: `${plan.year}年度考核指标得分明细`,
    plain: true,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '分类', kind: 'text' },
      { header: '指标编码', kind: 'code' },
      { header: '指标名称', kind: 'text' },
      { header: '维度', kind: 'text' },
      { header: '满分', kind: 'score' },
      { header: '得分', kind: 'score' },
      { header: '计入得分', kind: 'score' },
    ],
  });
  sheet.addTable(indicatorTable(plan, texts));
  sheet.note('得分：指标得分表中的原值（空白为未提供：只有待定、不合格机构可以不提供）；计入得分：不超过该指标满分的部分。');
}

/**
 * 指标明细's rows as a table (line-rows.ts): per institution its code and name; per category
 * and indicator the category's name, the indicator's code, name, dimension and maximum;
 * per line the score given (blank where none) and the points counted, read where the plan
 * holds them (the year's indicator-line columns, shared memory).
 */
function indicatorTable(plan: YearPlan, texts: InstitutionTexts): LineRowsTable {
  const n = plan.institutions.length;
  const group = new Int32Array(n);
  const firstLine = new Int32Array(n);
  const lineCount = new Int32Array(n);
  const groups = new Map<Category, Map<readonly Indicator[], number>>();
  const groupCells: Cell[][][] = [];
  let held: IndicatorLineColumns | undefined;
  plan.institutions.forEach((r, i) => {
    const at = heldLines(r.indicators);
    if (!at || (held && at.columns !== held)) throw new Error(`指标明细: the lines of ${r.institution.code} are not in the year's indicator-line columns`);
    held = at.columns;
    const byIndicators = remembered(groups, r.category, () => new Map<readonly Indicator[], number>());
    group[i] = remembered(byIndicators, at.indicators, () => groupCells.push(at.indicators.map((d) => [r.category.name, d.code, d.name, d.dimension, d.max])) - 1);
    firstLine[i] = at.first;
    lineCount[i] = at.indicators.length;
  });
  // Both columns number their values in one table (the year's Decimals): one table of numbers.
  const values = Float64Array.from(held?.figureValues() ?? [], (d) => decimalNumber(d));
  const ids = (field: 'given' | 'counted') => held?.figureIds(field) ?? new Int32Array(0);
  return {
    institutionTexts: [texts.codes, texts.names],
    group,
    firstLine,
    lineCount,
    groupCells,
    lineColumns: [
      { ids: ids('given'), values },
      { ids: ids('counted'), values },
    ],
    layout: [
      { from: 'institution', column: 0 },
      { from: 'institution', column: 1 },
      ...[0, 1, 2, 3, 4].map((column) => ({ from: 'group' as const, column })),
      { from: 'line', column: 0 },
      { from: 'line', column: 1 },
    ],
  };
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
  let count = 0;
  let sum = new Decimal(0);
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  for (const r of plan.institutions) {
    for (const d of r.deductions) {
      const f = d.facts;
      const row = d.inputs[0];
      sheet.add([r.institution.code, r.institution.name, text(f.occurredOn), text(f.handledOn), text(f.type), text(f.basis), d.points.toNumber(), citePath(plan.policy, d.policy), row ? sourceText(row) : '']);
      count += 1;
      sum = sum.plus(d.points);
    }
  }
  sheet.total(['合计', `${count} 条`, null, null, null, null, sum.toNumber(), null, null]);
  sheet.note(`依据：${citePath(plan.policy, 'deductions')}——既往年度发生、当年度处理的违规行为纳入当年度考核。`);
}

function pendingSheet(plan: YearPlan, wb: PrintBook) {
  const sheet = new PrintableSheet(wb, {
    name: '待定机构',
    title: `${plan.year}年度暂不计算考核成绩的机构（正在接受调查）`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '类别', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '立案日期', kind: 'text' },
      { header: '结案日期', kind: 'text' },
      { header: '暂扣保证金（元）', kind: 'money' },
      { header: '来源', kind: 'text' },
    ],
  });
  let heldFen = 0;
  let count = 0;
  for (const r of plan.institutions) {
    const a = r.assessment;
    if (a.status !== 'pending') continue;
    const inv = a.investigation;
    sheet.add([r.institution.code, r.institution.name, r.category.name, r.institution.district, inv.openedOn, inv.closedOn ?? '未结案', yuanCell(r.deposit.heldFen), sourceText(inv.source)]);
    heldFen += r.deposit.heldFen;
    count += 1;
  }
  sheet.total(['合计', `${count} 家`, null, null, null, null, yuanCell(heldFen), null]);
  sheet.note(`依据：${citePath(plan.policy, 'statuses.pending')}——待结案后依据调查结论计算考核成绩并兑现质量保证金。`);
}

const difference = (a: Decimal | null, b: Decimal | null): Cell => (a === null || b === null ? null : a.minus(b).toNumber());

/** A final score that differs from the initial review with no appeal (SPEC §5.3: the city's own review, to be confirmed). */
const changedWithoutAppeal = (p: IndicatorLine) => p.initial !== null && p.given !== null && p.appeal === null && !p.given.eq(p.initial);

/**
 * 评审过程 (SPEC §5.3, policy `review`): per institution and indicator, self-assessment → initial
 * review → final score with the differences, and the appeal that decided it.
 */
function reviewSheet(plan: YearPlan, wb: PrintBook) {
  if (!plan.policy.review || !plan.institutions.some((r) => r.indicators.toArray().some((p) => p.self !== null || p.initial !== null))) return;
  const sheet = new PrintableSheet(wb, {
    name: '评审过程',
    title: `${plan.year}年度指标得分评审过程（自评 → 初审 → 确认）`,
    plain: true,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '指标编码', kind: 'code' },
      { header: '指标名称', kind: 'text' },
      { header: '满分', kind: 'score' },
      { header: '自评得分', kind: 'score' },
      { header: '初审得分', kind: 'score' },
      { header: '初审−自评', kind: 'score' },
      { header: '确认得分', kind: 'score' },
      { header: '确认−初审', kind: 'score' },
      { header: '申诉', kind: 'text' },
      { header: '说明', kind: 'text', wrap: true },
    ],
  });
  sheet.addRows(function* () {
    for (const r of plan.institutions) {
      for (const p of r.indicators) {
        const appeal = p.appeal ? `${p.appeal.filedOn} 申诉，${p.appeal.result}${p.appeal.result === '调整' ? `为 ${p.appeal.adjusted ?? ''}` : ''}` : '';
        const remark = changedWithoutAppeal(p) ? '确认得分与初审得分不同、无申诉：设区市复核调整' : p.appeal ? `${sourceText(p.appeal.source)}${p.appeal.reply ? `；答复：${p.appeal.reply}` : ''}` : '';
        yield [r.institution.code, r.institution.name, p.indicator.code, p.indicator.name, p.indicator.max, num(p.self), num(p.initial), difference(p.initial, p.self), num(p.given), difference(p.given, p.initial), appeal, remark];
      }
    }
  }, indicatorLines(plan));
  sheet.note(`依据：${citePath(plan.policy, 'review')}——定点医疗机构自评申报，县（市、区）初审并接受申诉，设区市确认评价结果。申诉“维持”以初审得分为准，“调整”以调整后得分为准。`);
}

/** 复核调整: the final scores the city changed without an appeal, for the officer to confirm (each is also a warning of the run). */
function cityChangesSheet(plan: YearPlan, wb: PrintBook) {
  if (!plan.policy.review) return; // the stages are the policy's (`review`); elsewhere an 初审得分 column is only read
  const changes = plan.institutions.flatMap((r) => r.indicators.toArray().filter(changedWithoutAppeal).map((p) => ({ r, p })));
  const sheet = new PrintableSheet(wb, {
    name: '复核调整',
    title: `${plan.year}年度设区市复核调整的指标得分（确认得分与初审得分不同、无申诉记录）`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '指标编码', kind: 'code' },
      { header: '指标名称', kind: 'text' },
      { header: '初审得分', kind: 'score' },
      { header: '确认得分', kind: 'score' },
      { header: '差额', kind: 'score' },
      { header: '来源', kind: 'text' },
    ],
  });
  for (const { r, p } of changes) sheet.add([r.institution.code, r.institution.name, p.indicator.code, p.indicator.name, num(p.initial), num(p.given), difference(p.given, p.initial), p.source ? sourceText(p.source) : '']);
  if (changes.length === 0) sheet.note('（无）');
  sheet.note('设区市可通过专家论证等形式复核复审并调整得分（三（二）3）；没有申诉记录的调整在运行时逐条提示，请核对确认。');
}

/** 省级监测指标: the monitored indicators of every institution, for the province. */
function monitoredSheet(plan: YearPlan, wb: PrintBook) {
  const monitored = plan.policy.indicators.filter((i) => i.monitored);
  if (monitored.length === 0) return;
  const sheet = new PrintableSheet(wb, {
    name: '省级监测指标',
    title: `${plan.policy.region}${plan.year}年度全省监测指标得分（报送省局）`,
    plain: true,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '类别', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      ...monitored.map((i) => ({ header: `${i.code} ${i.name}（满分${i.max}）`, kind: 'score' as const })),
      { header: '状态', kind: 'text' },
    ],
  });
  sheet.addRows(function* () {
    for (const r of plan.institutions) {
      const byCode = new Map(r.indicators.toArray().map((p) => [p.indicator.code, p]));
      yield [r.institution.code, r.institution.name, r.category.name, r.institution.district, ...monitored.map((i) => num(byCode.get(i.code)?.given)), statusName(r.assessment.status)];
    }
  }, plan.institutions.length);
  sheet.note(`依据：${citePath(plan.policy, 'scoring')}——省局确定的全省监测指标；不适用于本类机构的指标为空。`);
}

/** 考核结果-Y.xlsx with its sheets measured, ready to be written (see PrintBook). */
export function resultsBook(plan: YearPlan, onProgress?: OnProgress): PrintBook {
  const wb = new PrintBook(plan.year);
  if (onProgress) wb.onMeasure = (sheet, done, total) => onProgress(`${resultsWorkbookName(plan.year)} ${sheet}`, done, total, 'rows');
  const texts = institutionTexts(plan);
  summarySheet(plan, wb);
  categorySheets(plan, wb, texts);
  indicatorSheet(plan, wb, texts);
  reviewSheet(plan, wb);
  cityChangesSheet(plan, wb);
  monitoredSheet(plan, wb);
  deductionSheet(plan, wb);
  pendingSheet(plan, wb);
  return wb;
}

export const resultsWorkbookName = (year: number) => `考核结果-${year}.xlsx`;

export async function resultsWorkbook(plan: YearPlan, onProgress?: OnProgress): Promise<OutputFile> {
  return resultsBook(plan, onProgress).file(resultsWorkbookName(plan.year), onProgress);
}
