// The words and the JSON of `assess explain` (SPEC §5.6): the derivation of one
// institution, step by step in the order an appeal walks it — indicators, base, scaling,
// deductions, rounding, score, rank, grade, status; each month's withholding, the ratio,
// payout, forfeited, held; every list and why; the modules' own figures — each with the
// input rows it read and the article it applies, cited by the document's title.
import { Decimal } from 'decimal.js';
import type { RowRef } from '../domain.js';
import type { Facts, Step } from '../plan/derivation.js';
import { gradeText } from '../plan/assessment.js';
import { isListCode, listDef } from '../plan/lists.js';
import { ruleDef } from '../plan/rule-book.js';
import { explainedCode, type ExplainedPerson, type Explanation } from '../run/explain.js';
import type { InstitutionPlan, YearPlan } from '../plan/year-plan.js';
import { citationAt, citeRef } from '../policy/refs.js';
import { statusName } from '../rules/status.js';
import { fenToYuanText } from '../io/values.js';
import { curveText } from './deposit-workbook.js';
import { entryReason, institutionName } from './list-layouts.js';
import { moduleSections } from './module-report.js';
import { PERSON_STATUS_NAMES } from './personnel.js';

const text = (facts: Facts | undefined, key: string): string => {
  const v = facts?.[key];
  return v === null || v === undefined ? '' : String(v);
};

/** "6362221.83" → "6,362,221.83". */
export function groupedYuan(value: string): string {
  const [int = '0', frac] = value.split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? grouped : `${grouped}.${frac}`;
}

const percent = (ratio: Decimal.Value) => `${new Decimal(ratio).times(100).toDecimalPlaces(4).toString()}%`;

/** A long decimal (an unrounded intermediate) shown to 6 places, marked as such. */
function shown(value: string): string {
  const d = new Decimal(value);
  return d.decimalPlaces() > 6 ? `${d.toDecimalPlaces(6, Decimal.ROUND_HALF_UP).toString()}…` : d.toString();
}

export function rowText(r: RowRef): string {
  return `${r.file}${r.sheet ? ` 工作表「${r.sheet}」` : ' '}第${r.row}行`;
}

/** What a payout, forfeited or held figure was, by the rule that set it. */
const MONEY_RULES: Readonly<Record<string, string>> = {
  refundPayout: '＝ 预留合计 × 返还比例，分位按最大余额法',
  refundForfeit: '＝ 预留合计 − 拨付，归入基金',
  holdPending: '正在接受调查，待结案后兑现',
  forfeitUnqualified: '考核不合格，扣除当年度全部质量保证金',
  poolForfeitUnqualified: '考核不合格，保证金不参与统筹，归入基金',
};

interface Cited {
  ref: string;
  assumed: boolean;
}

/** The policy path a step's figure used: its own, or its rule's. */
const policyPath = (step: Step): string => step.policy ?? ruleDef(step.rule)?.policy ?? '';

function citationOf(step: Step, x: Explanation): Cited {
  const path = policyPath(step);
  const c = citationAt(x.plan.policy, path);
  return { ref: citeRef(x.plan.policy, c.ref), assumed: c.assumed };
}

/** One step in words (without its rows and citation). */
function stepLine(step: Step, x: Explanation): string {
  const f = step.facts;
  const { policy } = x.plan;
  switch (step.figure) {
    case 'indicator': {
      const stages = policy.review && f?.initial !== null && f?.initial !== undefined ? `（${f?.self !== null && f?.self !== undefined ? `自评 ${text(f, 'self')} → ` : ''}初审 ${text(f, 'initial')} → 确认 ${text(f, 'given')}${f?.appeal ? `，申诉${text(f, 'appeal')}` : !new Decimal(text(f, 'initial')).eq(text(f, 'given') || '0') ? '，设区市复核调整' : ''}）` : '';
      const kind = f?.local ? '，设区市指标' : f?.monitored ? '，全省监测指标' : '';
      return `${step.indicator ?? ''} ${text(f, 'name')}（${text(f, 'dimension')}${kind}）：得分 ${f?.given ?? '未提供'}${stages}，满分 ${text(f, 'max')}，计入 ${step.value}`;
    }
    case 'base':
      return `指标得分合计：${step.value}（本类指标满分合计 ${text(f, 'categoryMax')}）`;
    case 'scaled':
      return `按满分折算：${text(f, 'base')} × ${text(f, 'fullMark')} ÷ ${text(f, 'categoryMax')} = ${shown(step.value)}`;
    case 'deduction': {
      if (step.rule === 'personnelDeduction') return `扣分 ${step.value} 分：本机构相关人员 ${text(f, 'person')} 本年度记分达到「${PERSON_STATUS_NAMES[text(f, 'outcome')] ?? text(f, 'outcome')}」（${text(f, 'date')}，由本机构的记分事件达到）`;
      const basis = text(f, 'basis');
      const detail = f?.type !== undefined ? `${text(f, 'type')}（${text(f, 'occurredOn')} 发生，${text(f, 'handledOn')} 处理${basis ? `，依据 ${basis}` : ''}${f?.pointsFrom === 'row' ? '，分值取该行「扣分」列' : ''}）` : (ruleDef(step.rule)?.label ?? step.rule);
      return `扣分 ${step.value} 分：${detail}`;
    }
    case 'score': {
      const deductions = text(f, 'deductions');
      const arithmetic = deductions && !new Decimal(deductions).isZero() ? `${shown(text(f, 'scaled'))} − ${deductions} = ${shown(text(f, 'unrounded'))}` : shown(text(f, 'scaled'));
      return `考核得分：${arithmetic}，限定在 0 至 ${text(f, 'fullMark')} 分，保留 ${text(f, 'decimals')} 位小数（四舍五入）→ ${step.value}`;
    }
    case 'rank':
      return `排名：第 ${step.value} 名，共 ${text(f, 'of')} 家已评分（${text(f, 'category')}；得分相同者名次相同）`;
    case 'grade':
      return `等级：${step.value}（${text(f, 'min')} ≤ 得分${f?.below !== null && f?.below !== undefined ? ` < ${text(f, 'below')}` : ''}）`;
    case 'status':
      if (step.value === 'pending') {
        const closed = text(f, 'closedOn');
        return `状态：${statusName('pending')}——${text(f, 'openedOn')} 立案调查，${closed ? `${closed} 结案，` : '未结案，'}考核工作结束日（${text(f, 'asOf')}）时仍在调查，暂不计算考核成绩`;
      }
      if (step.value === 'unqualified') return `状态：${statusName('unqualified')}——${text(f, 'occurredOn')} 发生、${text(f, 'handledOn')} 处理：${text(f, 'type')}`;
      return `状态：${statusName('scored')}`;
    case 'withholding': {
      const reserved = f?.reserved;
      return reserved !== null && reserved !== undefined
        ? `${text(f, 'month')}：预留保证金 ${groupedYuan(String(reserved))} 元（月度结算表中填写）`
        : `${text(f, 'month')}：结算 ${groupedYuan(text(f, 'settled'))} 元 × ${percent(text(f, 'rate'))} = ${groupedYuan(step.value)} 元（四舍五入到分）`;
    }
    case 'withheld':
      return `预留合计：${groupedYuan(step.value)} 元（${text(f, 'months')} 个月）`;
    case 'ratio': {
      const curve = curveText(policy.deposit.refundCurve?.bands ?? []);
      const a = x.kind === 'institution' ? x.institution.assessment : null;
      return `返还比例：${percent(step.value)}（考核得分 ${a?.status === 'scored' ? a.score.toFixed(policy.scoring.decimals) : ''}${curve ? `；${curve}` : ''}）`;
    }
    case 'weight': {
      const base = f?.base === 'withheld' ? '预留保证金' : '年度结算金额';
      const weight = groupedYuan(new Decimal(step.value).dividedBy(100).toDecimalPlaces(2).toFixed(2));
      if (f?.status === 'unqualified') return `分配权重：0（${ruleDef(step.rule)?.label ?? ''}）`;
      const threshold = x.plan.policy.deposit.pool?.threshold;
      return new Decimal(text(f, 'factor')).isZero()
        ? `分配权重：0（评价得分低于 ${threshold ?? ''} 分，不参与分配，其保证金由其他机构分配）`
        : `分配权重：${base} ${groupedYuan(text(f, 'baseAmount'))} 元 × 得分系数 ${shown(text(f, 'factor'))} = ${weight}`;
    }
    case 'net': {
      const v = new Decimal(step.value);
      return `调剂金额：${v.isNegative() ? '−' : '+'}${groupedYuan(v.abs().toFixed(2))} 元（分配金额 − 预留合计）`;
    }
    case 'payout':
      if (step.rule === 'poolPayout') {
        const share = new Decimal(text(f, 'share')).times(100).toDecimalPlaces(4).toString();
        const bound = f?.bound === 'cap' ? '；超过封顶，按封顶金额分配，超出部分由其他机构分配' : f?.bound === 'floor' ? '；低于保底，按保底金额分配' : '';
        return `分配：${groupedYuan(step.value)} 元（统筹资金池 ${groupedYuan(text(f, 'pool'))} 元，${text(f, 'members')} 家参与，本机构权重占 ${share}%${bound}；分位按最大余额法）`;
      }
    // falls through: a refund's payout is worded with forfeited and held
    case 'forfeited':
    case 'held': {
      const name = { payout: x.plan.pool ? '分配' : '拨付', forfeited: '扣除', held: '暂扣' }[step.figure];
      const why = step.value !== '0.00' ? MONEY_RULES[step.rule] : undefined;
      return `${name}：${groupedYuan(step.value)} 元${why ? `（${why}）` : ''}`;
    }
    case 'list': {
      const code = step.list ?? '';
      if (!isListCode(code)) return `名单 ${code}`;
      const entry = x.plan.lists.get(code)?.find((e) => e.code === explainedCode(x));
      const reason = entry ? entryReason(entry, x.plan) : '';
      return `${listDef(code).title}${f?.published === false ? '（本地不公示）' : ''}${reason ? `：${reason}` : ''}`;
    }
    default: {
      const words = moduleSections(x.plan).find((m) => m.figures.includes(step.figure))?.words[step.figure];
      return words ? words(step, x.plan) : `${ruleDef(step.rule)?.label ?? step.rule}：${step.value}`;
    }
  }
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

const SCORE_SECTIONS: { title: string; figures: readonly string[] }[] = [
  { title: '考核得分', figures: ['indicator', 'base', 'scaled', 'deduction', 'score', 'rank', 'grade', 'status'] },
  { title: '质量保证金', figures: ['withholding', 'withheld', 'ratio', 'weight', 'payout', 'forfeited', 'held', 'net'] },
];
const LIST_SECTION = { title: '名单', figures: ['list'] };

/** The heading lines of an institution's explanation: who, and the conclusion. */
function institutionHeading(plan: YearPlan, r: InstitutionPlan): string[] {
  const inst = r.institution;
  const a = r.assessment;
  const score = a.status === 'scored' ? `${a.score.toFixed(plan.policy.scoring.decimals)} 分，第 ${a.ranking.rank} 名 / ${a.ranking.of} 家` : statusName(a.status);
  return [
    `${inst.code} ${inst.name}　${plan.year}年度${plan.policy.scoring.name ?? '考核'}说明`,
    `类别：${r.category.name}　所属区县：${inst.district || '（未填写）'}　考核工作结束日：${plan.asOf}`,
    `结论：${score}，等级 ${gradeText(a, plan.policy)}；质量保证金 预留 ${groupedYuan(fenToYuanText(r.deposit.withheldFen))} 元，${plan.pool ? '分配' : '拨付'} ${groupedYuan(fenToYuanText(r.deposit.payoutFen))} 元，扣除 ${groupedYuan(fenToYuanText(r.deposit.forfeitedFen))} 元，暂扣 ${groupedYuan(fenToYuanText(r.deposit.heldFen))} 元`,
  ];
}

/** The heading lines of a person's explanation: who, where, and the year's outcome. */
function personHeading(plan: YearPlan, p: ExplainedPerson): string[] {
  const lines = [`${p.code} ${p.name}　${plan.year}年度人员医保支付资格记分说明`];
  const y = p.outcome?.year;
  if (p.outcome) lines.push(`所在机构（本年度记分事件涉及）：${p.outcome.institutions.map((c) => `${c} ${institutionName(plan, c) ?? ''}`.trim()).join('；')}`);
  if (y) lines.push(`结论：本年度记分 ${y.deducted} 分，修复 ${y.repaired} 分，累计 ${y.points} 分，${PERSON_STATUS_NAMES[y.status] ?? y.status}`);
  else lines.push('结论：本年度没有记分记录');
  const c = p.carried;
  if (c?.bannedUntil && c.bannedUntil > `${plan.year}-01-01`) lines.push(`上年度结果：${c.terminatedOn ? `${c.terminatedOn} 终止医保支付资格，` : ''}${c.bannedUntil} 前不得再次登记备案`);
  if (c?.suspendedUntil && c.suspendedUntil > `${plan.year}-01-01`) lines.push(`上年度结果：${c.suspendedFrom ?? ''} 起暂停医保支付资格，至 ${c.suspendedUntil}（不含）`);
  return lines;
}

/** The explanation as an officer reads it (中文), ready to print. */
export function explainText(x: Explanation): string {
  const { plan } = x;
  const lines: string[] = x.kind === 'institution' ? institutionHeading(plan, x.institution) : personHeading(plan, x.person);
  let anyAssumed = false;
  const render = (step: Step) => {
    const cited = citationOf(step, x);
    if (cited.assumed) anyAssumed = true;
    const rows = step.figure === 'withheld' ? '' : (step.inputs ?? []).map((i) => `〔${rowText(i)}〕`).join('');
    const basis = cited.ref ? `　依据：${cited.ref}${cited.assumed ? '＊' : ''}` : cited.assumed ? '　＊' : '';
    return `  ${stepLine(step, x)}${rows ? `　${rows}` : ''}${basis}`;
  };
  // An institution reads score, deposit, lists, then the modules; a person their record, then their lists.
  const modules = moduleSections(plan).map((m) => ({ title: m.title, figures: m.figures }));
  const sections = x.kind === 'institution' ? [...SCORE_SECTIONS, LIST_SECTION, ...modules] : [...modules, LIST_SECTION];
  const known = new Set(sections.flatMap((s) => s.figures));
  let numbered = 0;
  for (const section of sections) {
    const steps = x.steps.filter((s) => section.figures.includes(s.figure));
    if (steps.length === 0) continue;
    lines.push('', `${NUMERALS[numbered] ?? String(numbered + 1)}、${section.title}`, ...steps.map(render));
    numbered += 1;
  }
  const others = x.steps.filter((s) => !known.has(s.figure));
  if (others.length > 0) lines.push('', '其他', ...others.map(render));
  if (anyAssumed) lines.push('', '＊ 该数值为本地政策文件（policy.yaml）中标注为本地约定（assumed）的参数，应与本地医保服务协议、考核细则一致。');
  return `${lines.join('\n')}\n`;
}

/** A step for machines: its figure, value, rule, article, rows and facts. */
function stepJson(s: Step, x: Explanation) {
  const cited = citationOf(s, x);
  return {
    figure: s.figure,
    ...(s.indicator !== undefined ? { indicator: s.indicator } : {}),
    ...(s.list !== undefined ? { list: s.list } : {}),
    value: s.value,
    rule: s.rule,
    label: ruleDef(s.rule)?.label ?? s.rule,
    ...(policyPath(s) ? { policy: policyPath(s) } : {}),
    ref: cited.ref,
    ...(cited.assumed ? { assumed: true } : {}),
    ...(s.from && s.from.length > 0 ? { from: s.from } : {}),
    inputs: (s.inputs ?? []).map((i) => ({ file: i.file, ...(i.sheet ? { sheet: i.sheet } : {}), row: i.row })),
    ...(s.facts ? { facts: s.facts } : {}),
  };
}

/** The explanation for machines (SPEC §5.6 `--json`); a person's carries the columns of personnel.csv. */
export function explainJson(x: Explanation): string {
  if (x.kind === 'person') {
    const p = x.person;
    const y = p.outcome?.year;
    const lists = x.steps.filter((s) => s.figure === 'list' && x.plan.published.some((l) => l === s.list)).map((s) => s.list);
    const out = {
      kind: 'person',
      person: p.code,
      name: p.name,
      year: x.plan.year,
      institutions: p.outcome?.institutions ?? [],
      deducted: y?.deducted ?? 0,
      repaired: y?.repaired ?? 0,
      points: y?.points ?? 0,
      status: y?.status ?? 'normal',
      suspended_from: y?.suspension?.date ?? null,
      suspended_until: y?.suspension?.until ?? null,
      terminated_on: y?.termination?.date ?? p.carried?.terminatedOn ?? null,
      one_shot: y?.termination?.oneShot ?? p.carried?.oneShot ?? false,
      banned_until: y?.termination?.bannedUntil ?? p.carried?.bannedUntil ?? null,
      lists,
      steps: x.steps.map((s) => stepJson(s, x)),
    };
    return `${JSON.stringify(out, null, 2)}\n`;
  }
  const { plan, institution: r } = x;
  const a = r.assessment;
  const decimals = plan.policy.scoring.decimals;
  const out = {
    code: r.institution.code,
    name: r.institution.name,
    year: plan.year,
    category: r.category.code,
    status: a.status,
    score: a.status === 'scored' ? a.score.toFixed(decimals) : null,
    grade: gradeText(a, plan.policy),
    rank: a.status === 'scored' ? a.ranking.rank : null,
    rankOf: a.status === 'scored' ? a.ranking.of : null,
    withheld: fenToYuanText(r.deposit.withheldFen),
    payout: fenToYuanText(r.deposit.payoutFen),
    forfeited: fenToYuanText(r.deposit.forfeitedFen),
    held: fenToYuanText(r.deposit.heldFen),
    lists: r.lists,
    steps: x.steps.map((s) => stepJson(s, x)),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}
