// 质量保证金-Y.xlsx (SPEC §6): the payout sheet with 12 monthly withholdings, district
// subtotals and a grand total, and the reconciliation sheet. Totals are summed in fen.
import type { OnProgress } from '../progress.js';
import { Decimal } from 'decimal.js';
import type { CurveBand } from '../policy/schema.js';
import { citePath, citeRef } from '../policy/refs.js';
import { signOff } from './sign-off.js';
import type { HeldDeposit } from '../plan/state.js';
import type { InstitutionPlan, YearPlan } from '../plan/year-plan.js';
import { statusName } from '../rules/status.js';
import type { OutputFile } from './output.js';
import { institutionsNoun } from './list-layouts.js';
import { parseFen } from '../io/values.js';
import { monthsText } from '../rules/settlement-months.js';
import { FILLS, PrintBook, PrintableSheet, yuanCell, type Cell, type ColumnDef, type SourcedRow } from './workbook-style.js';

const METHOD_NAMES = { refund: '按得分返还', pool: '统筹再分配' } as const;

interface Sums {
  months: number[];
  withheld: number;
  payout: number;
  forfeited: number;
  held: number;
}

const emptySums = (): Sums => ({ months: Array(12).fill(0), withheld: 0, payout: 0, forfeited: 0, held: 0 });

function addTo(s: Sums, r: InstitutionPlan, i: number, plan: YearPlan): void {
  plan.monthlyWithheldFen.addTo(i, s.months);
  s.withheld += r.deposit.withheldFen;
  s.payout += r.deposit.payoutFen;
  s.forfeited += r.deposit.forfeitedFen;
  s.held += r.deposit.heldFen;
}

const pct = (ratio: number) => `${new Decimal(ratio).times(100).toString()}%`;

/** The refund curve in words, e.g. "80分及以上返还100%；60至80分返还40%至100%（线性）；60分以下返还0%". */
export function curveText(bands: readonly CurveBand[]): string {
  return bands
    .map((b, i) => {
      const upper = bands[i - 1]?.min;
      const range = upper === undefined ? `${b.min}分及以上` : b.min === 0 ? `${upper}分以下` : `${b.min}至${upper}分`;
      return b.linearTo ? `${range}返还${pct(b.ratio)}至${pct(b.linearTo.ratio)}（线性）` : `${range}返还${pct(b.ratio)}`;
    })
    .join('；');
}

/** Why a deposit of an earlier year is still held, in words: its investigation and article. */
export function heldReason(h: HeldDeposit, plan: YearPlan): string {
  if (h.reason && !h.investigation) return h.reason;
  const since = h.investigation ? `${h.investigation.opened_on} 立案调查，` : '';
  const ref = h.ref ?? citeRef(plan.policy, plan.policy.statuses.pending?.ref);
  return `${since}正在接受调查，待结案后兑现${ref ? `（${ref}）` : ''}`;
}

interface PayoutLayout {
  sheet: string;
  columns: ColumnDef[];
  row: (r: InstitutionPlan, plan: YearPlan) => Cell[];
  sums: (s: Sums, plan: YearPlan) => Cell[];
  note: (plan: YearPlan) => string;
}

const scoreCell = (r: InstitutionPlan): Cell => (r.assessment.status === 'scored' ? r.assessment.score.toNumber() : null);

/** What a pool member's line says beside its figures. */
function poolRemark(r: InstitutionPlan): string {
  const bound = r.deposit.pool?.bound;
  if (bound === 'cap') return '封顶';
  if (bound === 'floor') return '保底';
  if (r.assessment.status === 'scored' && r.deposit.pool?.weight.isZero()) return '低于门槛分数，权重为0';
  if (r.assessment.status === 'pending') return '待定，暂扣';
  if (r.assessment.status === 'unqualified') return r.deposit.forfeitedFen > 0 ? '不合格，归入基金' : '不合格，并入统筹';
  return '';
}

/** The payout sheet by deposit method: a refund's ratio, or a pool's weight, share and net. */
const PAYOUT_LAYOUTS: Record<'refund' | 'pool', PayoutLayout> = {
  refund: {
    sheet: '拨付表',
    columns: [
      { header: '预留合计', kind: 'money' },
      { header: '考核得分', kind: 'score' },
      { header: '返还比例', kind: 'percent' },
      { header: '拨付金额', kind: 'money' },
      { header: '扣除金额', kind: 'money' },
      { header: '暂扣金额', kind: 'money' },
      { header: '状态', kind: 'text' },
    ],
    row: (r) => [yuanCell(r.deposit.withheldFen), scoreCell(r), r.deposit.ratio?.toNumber() ?? null, yuanCell(r.deposit.payoutFen), yuanCell(r.deposit.forfeitedFen), yuanCell(r.deposit.heldFen), statusName(r.assessment.status)],
    sums: (s) => [yuanCell(s.withheld), null, null, yuanCell(s.payout), yuanCell(s.forfeited), yuanCell(s.held), ''],
    note: (plan) => {
      const curve = curveText(plan.policy.deposit.refundCurve?.bands ?? []);
      return `返还比例：已评分机构按考核得分对应的返还比例拨付${curve ? `（${curve}）` : ''}，其余扣除；待定机构暂扣，结案后兑现；不合格机构扣除当年度全部质量保证金。`;
    },
  },
  pool: {
    sheet: '分配表',
    columns: [
      { header: '预留合计', kind: 'money' },
      { header: '评价得分', kind: 'score' },
      { header: '分配权重', kind: 'money' },
      { header: '权重占比', kind: 'percent' },
      { header: '分配金额', kind: 'money' },
      { header: '调剂金额', kind: 'money' },
      { header: '扣除金额（归入基金）', kind: 'money' },
      { header: '暂扣金额', kind: 'money' },
      { header: '说明', kind: 'text' },
    ],
    row: (r, plan) => {
      const weight = r.deposit.pool?.weight;
      const share = weight && plan.pool && !plan.pool.weightSum.isZero() ? weight.dividedBy(plan.pool.weightSum).toNumber() : null;
      const net = r.deposit.heldFen > 0 || r.deposit.forfeitedFen > 0 ? null : yuanCell(r.deposit.payoutFen - r.deposit.withheldFen);
      // The weight is in yuan × f(score): shown with the money format, to 2 decimals.
      return [yuanCell(r.deposit.withheldFen), scoreCell(r), weight ? weight.dividedBy(100).toDecimalPlaces(2).toNumber() : null, share, yuanCell(r.deposit.payoutFen), net, yuanCell(r.deposit.forfeitedFen), yuanCell(r.deposit.heldFen), poolRemark(r)];
    },
    sums: (s, plan) => [yuanCell(s.withheld), null, plan.pool ? plan.pool.weightSum.dividedBy(100).toDecimalPlaces(2).toNumber() : null, plan.pool ? 1 : null, yuanCell(s.payout), yuanCell(s.payout - s.withheld + s.held + s.forfeited), yuanCell(s.forfeited), yuanCell(s.held), ''],
    note: (plan) => {
      const p = plan.policy.deposit.pool;
      if (!p) return '';
      const base = p.base === 'withheld' ? '本机构预留保证金' : '本机构年度结算金额';
      const cap = p.capRatio !== undefined ? `每家分配金额不超过本机构预留的 ${p.capRatio} 倍，超出部分按权重分给其他机构；` : '';
      const floor = p.floorRatio !== undefined ? `达到门槛的机构分配金额不低于本机构预留的 ${p.floorRatio} 倍，差额由其他机构按比例承担；` : '';
      const unq = p.unqualified === 'redistribute' ? '不合格机构的保证金并入统筹，由其他机构分配' : '不合格机构的保证金不参与统筹，归入基金';
      return `统筹分配：参与统筹机构预留的全部质量保证金按权重分配，权重 = ${base} × 评价得分 ÷ ${plan.policy.scoring.fullMark}，低于 ${p.threshold} 分的权重为 0；${cap}${floor}${unq}；待定机构暂扣，不参与本次分配。调剂金额 = 分配金额 − 预留合计。依据：${citePath(plan.policy, 'deposit.pool')}。`;
    },
  },
};

/** 数据缺失: institutions with months of settlement missing while their agreement ran (each also a warning of the run). */
function dataGapsSheet(plan: YearPlan, wb: PrintBook): void {
  const sheet = new PrintableSheet(wb, {
    name: '数据缺失',
    title: `${plan.policy.region}${plan.year}年度月度结算数据缺失的${institutionsNoun(plan.policy)}`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '应有月份', kind: 'text' },
      { header: '缺少月份', kind: 'text' },
      { header: '说明', kind: 'text', wrap: true },
    ],
  });
  const byCode = new Map(plan.institutions.map((r) => [r.institution.code, r.institution]));
  for (const gap of plan.settlementGaps) {
    const inst = byCode.get(gap.code);
    if (!inst) continue;
    const expected = monthsText(Array.from({ length: gap.to - gap.from + 1 }, (_, k) => gap.from + k));
    const why = [gap.admittedOn ? `${gap.admittedOn} 纳入定点` : '', gap.endedOn ? `${gap.endedOn} 协议终止` : ''].filter(Boolean).join('，');
    sheet.add([inst.code, inst.name, inst.district, expected, gap.none ? '全年无记录' : monthsText(gap.missing), `${why ? `${why}；` : ''}缺少的月份未预留质量保证金`]);
  }
  if (plan.settlementGaps.length === 0) sheet.note('（无：每家机构在协议有效的各月都有结算记录）');
  sheet.note('应有月份：自年初（或纳入定点当月）至年末（或协议终止当月）。缺少的月份按 0 预留；如为漏报，请补齐月度结算后重新运行。');
}

export const depositWorkbookName = (year: number) => `质量保证金-${year}.xlsx`;

export async function depositWorkbook(plan: YearPlan, onProgress?: OnProgress): Promise<OutputFile> {
  return depositBook(plan, onProgress).file(depositWorkbookName(plan.year), onProgress);
}

/** 质量保证金-Y.xlsx with its sheets measured, ready to be written (see PrintBook). */
export function depositBook(plan: YearPlan, onProgress?: OnProgress): PrintBook {
  const wb = new PrintBook(plan.year);
  if (onProgress) wb.onMeasure = (sheet, done, total) => onProgress(`${depositWorkbookName(plan.year)} ${sheet}`, done, total, 'rows');
  const { deposit } = plan.policy;
  const subtitle = `单位：元　预留比例 ${(deposit.rate * 100).toFixed(2)}%（未提供预留保证金的月份按结算金额计算）　方式：${METHOD_NAMES[deposit.method]}　依据：${citePath(plan.policy, 'deposit')}`;
  const layout = PAYOUT_LAYOUTS[deposit.method];
  const payout = new PrintableSheet(wb, {
    name: layout.sheet,
    title: `${plan.policy.region}${plan.year}年度${institutionsNoun(plan.policy)}质量保证金${layout.sheet}`,
    subtitle,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '类别', kind: 'text' },
      ...layout.columns,
    ],
  });
  const monthly = new PrintableSheet(wb, {
    name: '月度预留明细',
    title: `${plan.policy.region}${plan.year}年度质量保证金月度预留明细`,
    plain: true,
    pagesWide: 2, // 1–6月 and 7–12月 side by side on two pages, code and name repeated: 12 months on one A4 width would print at 6 pt
    repeatColumns: 2,
    subtitle,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      ...Array.from({ length: 12 }, (_, i) => ({ header: `${i + 1}月`, kind: 'money' as const })),
      { header: '预留合计', kind: 'money' },
    ],
  });
  const payoutSums = (label: string, s: Sums): Cell[] => ['', label, '', '', ...layout.sums(s, plan)];
  const monthlySums = (label: string, s: Sums): Cell[] => ['', label, '', ...s.months.map((m) => yuanCell(m)), yuanCell(s.withheld)];
  // Roster indexes, district by district: an institution's months are read by its index.
  const districts = new Map<string, number[]>();
  plan.institutions.forEach((r, i) => {
    const d = r.institution.district || '（未填写区县）';
    const members = districts.get(d);
    if (members) members.push(i);
    else districts.set(d, [i]);
  });
  const codeAt = (i: number) => (plan.institutions[i] as InstitutionPlan).institution.code;
  const ordered = [...districts.keys()].sort((a, b) => a.localeCompare(b, 'zh-CN')).map((d) => ({
    district: d,
    members: (districts.get(d) ?? []).sort((a, b) => (codeAt(a) < codeAt(b) ? -1 : 1)),
  }));
  /** Both sheets list the institutions district by district, each district closed by its subtotal, then the total. */
  const byDistrict = (row: (r: InstitutionPlan, i: number) => Cell[], sums: (label: string, s: Sums) => Cell[]) =>
    function* (): Generator<SourcedRow> {
      const total = emptySums();
      for (const { district, members } of ordered) {
        const sub = emptySums();
        for (const i of members) {
          const r = plan.institutions[i] as InstitutionPlan;
          addTo(sub, r, i, plan);
          addTo(total, r, i, plan);
          yield row(r, i);
        }
        yield { values: sums(`${district} 小计`, sub), style: { bold: true, fill: FILLS.subtotal } };
      }
      yield { values: sums('合计', total), style: { bold: true, fill: FILLS.total } };
    };
  const rows = plan.institutions.length + ordered.length + 1; // institutions, a subtotal per district, the total
  payout.addRows(byDistrict((r) => [r.institution.code, r.institution.name, r.institution.district, r.category.name, ...layout.row(r, plan)], payoutSums), rows);
  monthly.addRows(byDistrict((r, i) => [r.institution.code, r.institution.name, r.institution.district, ...plan.monthlyWithheldFen.of(i).map((m) => yuanCell(m)), yuanCell(r.deposit.withheldFen)], monthlySums), rows);
  payout.note(`${layout.note(plan)}各月预留见「月度预留明细」。`);
  signOff(payout, plan.policy);

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
  const count = (pred: (r: InstitutionPlan) => boolean) => plan.institutions.filter(pred).length;
  rec.add(['预留合计', yuanCell(t.withheldFen), plan.institutions.length]);
  if (plan.pool) {
    rec.add(['其中：统筹资金池（参与统筹机构的预留）', yuanCell(plan.pool.poolFen), plan.pool.members]);
    rec.add(['　　　低于门槛或不合格、并入统筹由其他机构分配', yuanCell(plan.pool.redistributedFen), null]);
  }
  rec.add([plan.pool ? '分配合计' : '拨付合计', yuanCell(t.payoutFen), count((r) => r.deposit.payoutFen > 0)]);
  rec.add(['扣除合计（归入基金）', yuanCell(t.forfeitedFen), count((r) => r.deposit.forfeitedFen > 0)]);
  rec.add(['暂扣合计（待结案）', yuanCell(t.heldFen), count((r) => r.deposit.heldFen > 0)]);
  rec.add([`差额：${plan.pool ? '分配' : '拨付'} + 扣除 + 暂扣 − 预留`, yuanCell(t.differenceFen), null], { bold: true, fill: t.differenceFen === 0 ? FILLS.total : FILLS.alarm });
  if (plan.pool) {
    const poolDifference = t.payoutFen - plan.pool.poolFen;
    rec.add(['差额：分配合计 − 统筹资金池', yuanCell(poolDifference), null], { bold: true, fill: poolDifference === 0 ? FILLS.total : FILLS.alarm });
  }
  rec.note(t.differenceFen === 0 ? `已对平：${plan.pool ? '分配' : '拨付'} + 扣除 + 暂扣 = 预留，精确到分${plan.pool ? '；统筹资金全额分配' : ''}。` : '未对平！');
  if (plan.carriedHeld.length > 0) {
    // Held in earlier years while an investigation runs, carried unchanged until the case is settled: not part of this year's identity.
    rec.note('');
    rec.add(['以前年度暂扣、仍待结案的保证金（不计入本年度对账）', null, null], { bold: true, fill: FILLS.header });
    let carriedFen = 0;
    for (const h of plan.carriedHeld) {
      const fen = parseFen(h.held);
      if (!fen.ok) throw new Error(`held deposit ${h.held} of ${h.code} passed the state schema but is not yuan`);
      carriedFen += fen.value;
      rec.add([`${h.year}年度 ${h.code}：${heldReason(h, plan)}`, yuanCell(fen.value), 1]);
    }
    rec.total(['以前年度暂扣合计', yuanCell(carriedFen), plan.carriedHeld.length], FILLS.subtotal);
  }
  signOff(rec, plan.policy);
  dataGapsSheet(plan, wb);
  return wb;
}
