// How each list of the registry (src/plan/lists.ts) is published: its printed title, its
// columns, and the reason of an entry in words, made here from the entry's facts. Keyed by
// list code, so a list added to the registry without its layout does not compile.
import { Decimal } from 'decimal.js';
import type { ListCode } from '../plan/lists.js';
import type { ListEntry } from '../plan/types.js';
import type { InstitutionPlan, YearPlan } from '../plan/year-plan.js';
import { citationAt, citeRef } from '../policy/refs.js';
import type { Facts } from '../plan/derivation.js';
import { gradeText } from '../plan/assessment.js';
import type { ColumnDef } from './workbook-style.js';
import { maskName } from './redact.js';

/**
 * A list cell: a score stays decimal until it is written (a number in the workbook, text
 * with the policy's decimals in the CSV); money stays fen (a yuan number, yuan text).
 */
export type ListValue = string | number | Decimal | { fen: number } | null;

/** A list of institutions: each entry's row reads the institution's plan. */
export interface InstitutionListLayout {
  subject: 'institution';
  title: (plan: YearPlan) => string;
  columns: ColumnDef[];
  row: (entry: ListEntry<ListCode>, r: InstitutionPlan, plan: YearPlan) => ListValue[];
  /** A note printed under the list, said once for all its entries. */
  note?: (entries: readonly ListEntry<ListCode>[], plan: YearPlan) => string | null;
}

/** A list of persons: the row is made from the entry alone; names are masked, ID numbers never shown. */
export interface PersonListLayout {
  subject: 'person';
  title: (plan: YearPlan) => string;
  columns: ColumnDef[];
  row: (entry: ListEntry<ListCode>, plan: YearPlan) => ListValue[];
}

export type ListLayout = InstitutionListLayout | PersonListLayout;

const fact = (facts: Facts, key: string): string => {
  const v = facts[key];
  return v === null || v === undefined ? '' : String(v);
};

/** 考核得分 of a list: the score, or the status that stands in for it (待定 / 不合格). */
export function listScore(r: InstitutionPlan, plan: YearPlan): ListValue {
  return r.assessment.status === 'scored' ? r.assessment.score : gradeText(r.assessment, plan.policy);
}

/** The entry's article as the public reads it: the document's title and the article. */
export function entryCitation(entry: ListEntry<ListCode>, plan: YearPlan): string {
  return citeRef(plan.policy, citationAt(plan.policy, entry.policy).ref);
}

/** Why an entry is on its list, in words an officer can publish. */
export function entryReason(entry: ListEntry<ListCode>, plan: YearPlan): string {
  const f = entry.facts;
  switch (entry.list) {
    case 'results':
      return f.status === 'pending' ? '正在接受调查，暂不计算考核成绩' : '';
    case 'noRenewal':
      return `${fact(f, 'lastYear')}年度得分 ${fact(f, 'scoreLastYear')}、${plan.year}年度得分 ${fact(f, 'scoreThisYear')}，连续${fact(f, 'years')}个年度低于${fact(f, 'below')}分`;
    case 'allocation':
      return f.status === 'pending' ? '正在接受调查，保证金暂扣，不参与本次分配' : f.forfeited ? '考核不合格，保证金不参与分配，归入基金' : f.status === 'unqualified' ? '考核不合格，保证金并入统筹，本机构不参与分配' : '';
    case 'downgraded':
      return `${fact(f, 'on')} 起由 ${fact(f, 'from')} 级降为 ${fact(f, 'to')} 级（近一年违规触发第十四条${fact(f, 'clauses')}）`;
    case 'promotionWaitExtended':
      return `A 级机构近一年违规（第十四条${fact(f, 'clauses')}），晋级年限延长 ${fact(f, 'years')} 年，${fact(f, 'waitUntil')} 前不得申请晋级`;
    case 'agreementHandling':
      return `${fact(f, 'tier')} 级机构近一年内再次违规（第十四条${fact(f, 'clauses')}），按协议有关条款处理`;
    case 'promotionEligible':
      return `可申请由 ${fact(f, 'from')} 级晋升 ${fact(f, 'to')} 级（${f.needs === 'countyReview' ? '需县级医保部门论证需求并组织专家论证' : '服务年限及处罚条件已满足，其余条件需现场核查'}）`;
    case 'deregister':
      return `年度考评得分 ${fact(f, 'score')} 分，低于 ${fact(f, 'below')} 分：${fact(f, 'notifiedOn')} 收到考核结果通报，${fact(f, 'startBy')} 前启动解除定点资质程序，解除后 ${fact(f, 'days')} 日内（至迟 ${fact(f, 'deregisterBy')}）完成医保系统注销及业务交接`;
    case 'banned': {
      const how = f.matchedBy === 'creditCode' ? `统一社会信用代码 ${fact(f, 'creditCode')} 与已退出的 ${fact(f, 'bannedCode')}${f.bannedName ? `（${fact(f, 'bannedName')}）` : ''}相同` : '机构编码在禁入记录中';
      const admitted = f.admittedOn && String(f.admittedOn) >= String(f.since) ? `，本机构 ${fact(f, 'admittedOn')} 纳入定点时仍在禁入期内${f.inForce ? '' : '（禁入期现已届满）'}` : '';
      return `${how}：${fact(f, 'since')} 因${fact(f, 'cause')}退出，${fact(f, 'until')} 前不得重新申请定点${admitted}`;
    }
    case 'bottomElimination':
      return `规划区域「${fact(f, 'area')}」严重超额：本区域 ${fact(f, 'of')} 家已评分机构中排第 ${fact(f, 'rank')} 名（倒数第 ${fact(f, 'fromBottom')}），列入末位 ${fact(f, 'n')} 家${f.tied ? '（与其他机构得分相同，并列列入）' : ''}`;
    case 'staffingShort': {
      if (f.kind !== 'missing') return `床位 ${fact(f, 'beds')} 张，医保办应至少配备 ${fact(f, 'required')} 人，现有 ${fact(f, 'staff')} 人`;
      const missing = fact(f, 'missing').split(',').map((m) => (m === 'beds' ? '床位数' : '医保办人数'));
      return `机构名册未填${missing.join('、')}，无法核对医保办人员配备（数据缺失，不视为达标）`;
    }
    case 'renewal':
      return renewalReason(f);
    case 'keySupervision':
      return `${fact(f, 'on')} 累计记分达到 ${plan.policy.personnel?.keySupervisionAt ?? ''} 分，列为重点监管对象`;
    case 'suspended':
      return `${fact(f, 'from')} 累计记分达到 ${fact(f, 'reached')} 分，暂停医保支付资格 ${fact(f, 'months')} 个月${f.endedEarlyOn ? `，${fact(f, 'endedEarlyOn')} 提前恢复` : `，至 ${fact(f, 'until')}（不含）`}`;
    case 'personnelTerminated':
      return `${fact(f, 'on')} ${f.oneShot ? '一次性记满' : '累计记满'}${plan.policy.personnel?.terminateAt ?? ''}分，终止医保支付资格，${fact(f, 'bannedUntil')} 前不得再次登记备案`;
    case 'personnelBanned':
      return `${f.terminatedOn ? `${fact(f, 'terminatedOn')} 终止医保支付资格，` : ''}${fact(f, 'until')} 前不得再次登记备案，本年度仍有 ${fact(f, 'events')} 条记分记录`;
    case 'terminated':
      if (f.cause === 'tiers') return `${fact(f, 'handledOn')} ${fact(f, 'type')}：违反协议相关条款应予解除，解除医保服务协议（第十四条${fact(f, 'clause')}）`;
      if (f.cause !== 'unqualified') return `${fact(f, 'handledOn')} ${fact(f, 'type')}`;
      return `${fact(f, 'handledOn')} ${fact(f, 'type')}：解除医保服务协议，年度考核不合格${f.depositForfeited ? '，扣除当年度全部质量保证金' : f.depositPooled ? '，保证金并入统筹、本机构不参与分配' : ''}`;
  }
}

const assessmentName = (plan: YearPlan) => plan.policy.scoring.name ?? '考核';

/** Said once where the term's earlier years could be read only from this year's rows. */
export const HISTORY_FROM_INPUTS = '没有上年度结果（results 目录中无上年度 state.json）：协议期内以前年度的违规，只按本年度违规记录中的行判断。';

/** 续签结果 as published. */
export const AGREEMENT_OUTCOME_NAMES: Readonly<Record<string, string>> = { renew: '续签', renewExtended: '延长续签', notRenewed: '不予续签', pending: '待定' };

const NOT_RENEWED_BECAUSE: Readonly<Record<string, (f: Facts) => string>> = {
  below: (f) => `年度考核得分 ${fact(f, 'score')} 分，低于 ${fact(f, 'below')} 分`,
  unqualified: () => '年度考核不合格',
  terminated: () => '本年度已解除医保服务协议或定点资质',
  eliminated: () => '本年度列入末位淘汰名单',
};

/** Why an agreement ending next year is renewed, renewed for longer, not renewed, or pending. */
export function renewalReason(f: Facts): string {
  const term = `协议期 ${fact(f, 'termFrom')} 至 ${fact(f, 'endsOn')} `;
  switch (f.outcome) {
    case 'notRenewed':
      return `不予续签：${fact(f, 'because')
        .split(',')
        .map((b) => NOT_RENEWED_BECAUSE[b]?.(f) ?? b)
        .join('；')}`;
    case 'pending':
      return '正在接受调查，待结案后确定是否续签';
    case 'renew':
      return `${term}内有违规 ${fact(f, 'blocking')} 次（最早 ${fact(f, 'firstBlocking')}），按一般期限续签 ${fact(f, 'years')} 年`;
    default:
      return `${term}内无违法违规行为，延长续约有效期为 ${fact(f, 'extendedYears')} 年`;
  }
}

/** What the scheme's institutions are called: 定点医疗机构 when it covers medical institutions only, 定点零售药店 for pharmacies only. */
export function institutionsNoun(policy: YearPlan['policy']): string {
  const kinds = policy.scope?.kinds ?? ['医疗机构', '零售药店'];
  if (kinds.length === 1 && kinds[0] === '医疗机构') return '定点医疗机构';
  if (kinds.length === 1 && kinds[0] === '零售药店') return '定点零售药店';
  return '定点医药机构';
}

export const LIST_LAYOUTS: Record<ListCode, ListLayout> = {
  results: {
    subject: 'institution',
    title: (p) => `${p.policy.region}${p.year}年度${institutionsNoun(p.policy)}${assessmentName(p)}结果公示名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '机构类别', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '考核得分', kind: 'score' },
      { header: '排名', kind: 'int' },
      { header: '等级', kind: 'text' },
    ],
    row: (_e, r, p) => {
      const a = r.assessment;
      return [r.institution.code, r.institution.name, r.category.name, r.institution.district, listScore(r, p), a.status === 'scored' ? a.ranking.rank : null, gradeText(a, p.policy)];
    },
  },
  allocation: {
    subject: 'institution',
    title: (p) => `${p.policy.region}${p.year}年度${institutionsNoun(p.policy)}质量保证金资金分配方案（公示）`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '机构类别', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '评价得分', kind: 'score' },
      { header: '预留保证金（元）', kind: 'money' },
      { header: '分配金额（元）', kind: 'money' },
      { header: '调剂金额（元）', kind: 'money' },
      { header: '说明', kind: 'text' },
    ],
    row: (e, r, p) => [
      r.institution.code,
      r.institution.name,
      r.category.name,
      r.institution.district,
      listScore(r, p),
      { fen: r.deposit.withheldFen },
      { fen: r.deposit.payoutFen },
      r.deposit.heldFen > 0 ? null : { fen: r.deposit.payoutFen - r.deposit.withheldFen },
      entryReason(e, p),
    ],
  },
  downgraded: tierLayout('降级的{institutions}名单', '降级前', '降级后'),
  promotionWaitExtended: tierLayout('延长晋级年限的{institutions}名单', '结算等级', '可申请晋级日期'),
  agreementHandling: tierLayout('年度内再次违规、按协议处理的{institutions}名单', '结算等级', null),
  promotionEligible: tierLayout('可申请晋级的{institutions}名单', '现结算等级', '可申请等级'),
  deregister: {
    subject: 'institution',
    title: (p) => `${p.policy.region}${p.year}年度年度考评低于${p.policy.sanctions.annualLowTerminate?.below ?? ''}分、解除定点资质的${institutionsNoun(p.policy)}名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '年度考评得分', kind: 'score' },
      { header: '启动解除程序截止日', kind: 'text' },
      { header: '完成注销截止日', kind: 'text' },
      { header: '成立清算小组截止日', kind: 'text' },
      { header: '依据', kind: 'text' },
    ],
    row: (e, r, p) => [r.institution.code, r.institution.name, r.institution.district, listScore(r, p), fact(e.facts, 'startBy'), fact(e.facts, 'deregisterBy'), fact(e.facts, 'clearingBy'), entryCitation(e, p)],
  },
  banned: {
    subject: 'institution',
    title: (p) => `${p.policy.region}${p.year}年度禁入期内重新纳入名册的${institutionsNoun(p.policy)}名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '禁入至', kind: 'text' },
      { header: '说明', kind: 'text' },
      { header: '依据', kind: 'text' },
    ],
    row: (e, r, p) => [r.institution.code, r.institution.name, r.institution.district, fact(e.facts, 'until'), entryReason(e, p), entryCitation(e, p)],
  },
  noRenewal: {
    subject: 'institution',
    title: (p) => {
      const rule = p.policy.sanctions.consecutiveLow;
      return `${p.policy.region}连续${rule?.years ?? ''}个协议年度考核低于${rule?.below ?? ''}分、不再续签医保服务协议的${institutionsNoun(p.policy)}名单（${p.year}年度）`;
    },
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '上年度得分', kind: 'score' },
      { header: '本年度得分', kind: 'score' },
      { header: '说明', kind: 'text' },
      { header: '依据', kind: 'text' },
    ],
    row: (e, r, p) => [r.institution.code, r.institution.name, r.institution.district, new Decimal(fact(e.facts, 'scoreLastYear')), listScore(r, p), entryReason(e, p), entryCitation(e, p)],
  },
  bottomElimination: {
    subject: 'institution',
    title: (p) => `${p.policy.region}${p.year}年度规划区域内实行末位淘汰的${institutionsNoun(p.policy)}名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '规划区域', kind: 'text' },
      { header: '考核得分', kind: 'score' },
      { header: '区域内排名', kind: 'text' },
      { header: '说明', kind: 'text', wrap: true },
      { header: '依据', kind: 'text', wrap: true },
    ],
    row: (e, r, p) => [r.institution.code, r.institution.name, fact(e.facts, 'area'), listScore(r, p), `${fact(e.facts, 'rank')}/${fact(e.facts, 'of')}`, entryReason(e, p), entryCitation(e, p)],
  },
  staffingShort: {
    subject: 'institution',
    title: (p) => `${p.policy.region}${p.year}年度医保办人员配备不足的定点医疗机构名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '床位数', kind: 'int' },
      { header: '医保办人数', kind: 'int' },
      { header: '应配人数', kind: 'int' },
      { header: '说明', kind: 'text', wrap: true },
      { header: '依据', kind: 'text', wrap: true },
    ],
    row: (e, r, p) => {
      const n = (key: string) => (typeof e.facts[key] === 'number' ? (e.facts[key] as number) : null);
      return [r.institution.code, r.institution.name, r.institution.district, n('beds'), n('staff'), n('required'), entryReason(e, p), entryCitation(e, p)];
    },
  },
  renewal: {
    subject: 'institution',
    title: (p) => `${p.policy.region}医保服务协议于${p.year + 1}年到期的${institutionsNoun(p.policy)}续签情况（${p.year}年度）`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '协议到期日期', kind: 'text' },
      { header: '续签结果', kind: 'text' },
      { header: '新协议到期日期', kind: 'text' },
      { header: '说明', kind: 'text', wrap: true },
      { header: '依据', kind: 'text', wrap: true },
    ],
    row: (e, r, p) => [r.institution.code, r.institution.name, r.institution.district, fact(e.facts, 'endsOn'), AGREEMENT_OUTCOME_NAMES[fact(e.facts, 'outcome')] ?? '', fact(e.facts, 'newEnd'), entryReason(e, p), entryCitation(e, p)],
    note: (entries) => (entries.some((e) => e.facts.history === 'inputs') ? HISTORY_FROM_INPUTS : null),
  },
  keySupervision: personLayout('定点医药机构相关人员重点监管名单', [{ header: '重点监管起', fact: 'on' }]),
  suspended: personLayout('定点医药机构相关人员暂停医保支付资格名单', [
    { header: '暂停起', fact: 'from' },
    { header: '暂停至（不含）', fact: 'until' },
  ]),
  personnelTerminated: personLayout('定点医药机构相关人员终止医保支付资格名单', [
    { header: '终止日期', fact: 'on' },
    { header: '不得再次登记备案至', fact: 'bannedUntil' },
  ]),
  personnelBanned: personLayout('终止医保支付资格期内仍有记分记录的人员名单', [{ header: '不得再次登记备案至', fact: 'until' }]),
  terminated: {
    subject: 'institution',
    title: (p) => `${p.policy.region}${p.year}年度解除医保服务协议的${institutionsNoun(p.policy)}名单`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: '说明', kind: 'text' },
      { header: '依据', kind: 'text' },
    ],
    row: (e, r, p) => [r.institution.code, r.institution.name, r.institution.district, entryReason(e, p), entryCitation(e, p)],
  },
};

const namesByPlan = new WeakMap<YearPlan, Map<string, string>>();

/** An institution's registered name by code, in scope or not (built once per plan: person lists name one per entry). */
export function institutionName(plan: YearPlan, code: string): string | undefined {
  let names = namesByPlan.get(plan);
  if (!names) namesByPlan.set(plan, (names = new Map([...plan.institutions.map((r) => r.institution), ...plan.outOfScope.institutions].map((i) => [i.code, i.name]))));
  return names.get(code);
}

/** The person of a list entry as the public reads them: masked name, and the institution of the event that put them on the list. */
function listedPerson(entry: ListEntry<ListCode>, plan: YearPlan): { name: string; institution: string } {
  const outcome = plan.modules.personnel?.outcomes.get(entry.code);
  const code = fact(entry.facts, 'institution');
  return { name: maskName(outcome?.person.name ?? ''), institution: institutionName(plan, code) ?? code };
}

/** A list of persons: code, masked name, institution, the columns of the outcome, the reason and the article. */
function personLayout(title: string, columns: readonly { header: string; fact: string }[]): PersonListLayout {
  return {
    subject: 'person',
    title: (p) => `${p.policy.region}${p.year}年度${title}`,
    columns: [
      { header: '人员编码', kind: 'code' },
      { header: '姓名', kind: 'text' },
      { header: '所在机构', kind: 'text' },
      ...columns.map((c) => ({ header: c.header, kind: 'text' as const })),
      { header: '说明', kind: 'text', wrap: true },
      { header: '依据', kind: 'text', wrap: true },
    ],
    row: (e, p) => {
      const who = listedPerson(e, p);
      return [e.code, who.name, who.institution, ...columns.map((c) => fact(e.facts, c.fact)), entryReason(e, p), entryCitation(e, p)];
    },
  };
}

/** A tier list: code, name, district, the tier columns, the reason and the article. */
function tierLayout(title: string, first: string, second: string | null): InstitutionListLayout {
  return {
    subject: 'institution',
    title: (p) => `${p.policy.region}${p.year}年度${title.replace('{institutions}', institutionsNoun(p.policy))}`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '所属区县', kind: 'text' },
      { header: first, kind: 'text' },
      ...(second ? [{ header: second, kind: 'text' as const }] : []),
      { header: '说明', kind: 'text' },
      { header: '依据', kind: 'text' },
    ],
    row: (e, r, p) => {
      const f = e.facts;
      const cells: Record<string, [string, string]> = {
        downgraded: [fact(f, 'from'), fact(f, 'to')],
        promotionWaitExtended: [fact(f, 'tier'), fact(f, 'waitUntil')],
        agreementHandling: [fact(f, 'tier'), ''],
        promotionEligible: [fact(f, 'from'), fact(f, 'to')],
      };
      const [a, b] = cells[e.list] ?? ['', ''];
      return [r.institution.code, r.institution.name, r.institution.district, a, ...(second ? [b] : []), entryReason(e, p), entryCitation(e, p)];
    },
  };
}
