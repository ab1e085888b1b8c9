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

/**
 * A list cell: a score stays decimal until it is written (a number in the workbook, text
 * with the policy's decimals in the CSV); money stays fen (a yuan number, yuan text).
 */
export type ListValue = string | number | Decimal | { fen: number } | null;

export interface ListLayout {
  title: (plan: YearPlan) => string;
  columns: ColumnDef[];
  row: (entry: ListEntry<ListCode>, r: InstitutionPlan, plan: YearPlan) => ListValue[];
}

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
    case 'terminated':
      return f.cause === 'unqualified'
        ? `${fact(f, 'handledOn')} ${fact(f, 'type')}：解除医保服务协议，年度考核不合格，扣除全部质量保证金`
        : `${fact(f, 'handledOn')} ${fact(f, 'type')}`;
  }
}

const assessmentName = (plan: YearPlan) => plan.policy.scoring.name ?? '考核';

export const LIST_LAYOUTS: Record<ListCode, ListLayout> = {
  results: {
    title: (p) => `${p.policy.region}${p.year}年度定点医药机构${assessmentName(p)}结果公示名单`,
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
    title: (p) => `${p.policy.region}${p.year}年度定点医疗机构质量保证金资金分配方案（公示）`,
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
  noRenewal: {
    title: (p) => {
      const rule = p.policy.sanctions.consecutiveLow;
      return `${p.policy.region}连续${rule?.years ?? ''}个协议年度考核低于${rule?.below ?? ''}分、不再续签医保服务协议的定点医药机构名单（${p.year}年度）`;
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
  terminated: {
    title: (p) => `${p.policy.region}${p.year}年度解除医保服务协议的定点医药机构名单`,
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
