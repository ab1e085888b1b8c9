// The rules of the core, as data (SPEC §5.6): a stable id, the Chinese label an officer
// reads in `explain`, and the policy path whose `ref:` gives the article. The article is
// never written here: it comes from the profile, so a rule shared by two regions cites
// each region's own document. Modules declare their rules in their own folders.

export interface RuleDef {
  /** What the rule computes, in the words of an appeal (中文). */
  label: string;
  /** Where the rule's parameters and article live in the policy ('' when the rule has none); a step may name a deeper path. */
  policy: string;
}

export const RULES = {
  categoryOf: { label: '考核分类', policy: 'categories' },
  indicatorPoints: { label: '指标得分（不超过该指标满分）', policy: 'indicators' },
  indicatorSum: { label: '指标得分合计', policy: 'scoring' },
  scaleToFullMark: { label: '按满分折算', policy: 'scoring' },
  violationPoints: { label: '违规处理扣分（按处理日期计入年度）', policy: 'deductions' },
  finalScore: { label: '考核得分（扣分后限定在0至满分，四舍五入）', policy: 'scoring' },
  competitionRank: { label: '类别内排名（得分相同名次相同）', policy: '' },
  gradeBand: { label: '等级', policy: 'grades' },
  statusScored: { label: '正常计分', policy: '' },
  statusPending: { label: '正在接受调查，暂不计算考核成绩', policy: 'statuses.pending' },
  statusUnqualified: { label: '考核不合格（不计分）', policy: 'statuses.unqualified' },
  monthlyWithholding: { label: '月度预留质量保证金', policy: 'deposit' },
  withheldTotal: { label: '全年预留质量保证金合计', policy: 'deposit' },
  refundRatio: { label: '按考核得分返还的比例', policy: 'deposit.refundCurve' },
  refundPayout: { label: '拨付（预留 × 返还比例，分位按最大余额法）', policy: 'deposit' },
  refundForfeit: { label: '扣除（预留 − 拨付，归入基金）', policy: 'deposit' },
  holdPending: { label: '暂扣，待结案后兑现', policy: 'statuses.pending' },
  forfeitUnqualified: { label: '扣除当年度全部质量保证金', policy: 'statuses.unqualified' },
  poolWeight: { label: '统筹分配权重（基数 × 得分 ÷ 满分；低于门槛分数为 0）', policy: 'deposit.pool' },
  poolUnqualifiedRedistributed: { label: '考核不合格：保证金并入统筹，本机构不参与分配', policy: 'statuses.unqualified' },
  poolPayout: { label: '统筹分配金额（按权重分配全部统筹资金，封顶保底，分位按最大余额法）', policy: 'deposit.pool' },
  poolForfeitUnqualified: { label: '考核不合格：保证金不参与统筹，归入基金', policy: 'statuses.unqualified' },
  poolNet: { label: '调剂金额（分配 − 预留）', policy: 'deposit.pool' },
  listResults: { label: '列入考核结果公示名单', policy: 'publication' },
  listAllocation: { label: '列入质量保证金资金分配方案', policy: 'deposit.pool' },
  listTerminatedUnqualified: { label: '解除医保服务协议（考核不合格）', policy: 'statuses.unqualified' },
  listTerminatedViolation: { label: '解除医保服务协议（违规处理）', policy: 'statuses.terminated' },
} as const satisfies Record<string, RuleDef>;

export type CoreRuleId = keyof typeof RULES;
