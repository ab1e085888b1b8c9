// The input files of a year (SPEC §3): canonical names, English aliases, columns.
// One table here drives the reader, the validation messages and the `init` templates.
import type { Policy } from '../policy/schema.js';

export type ColumnType =
  | 'text'
  | 'institutionCode'
  | 'creditCode'
  | 'idNumber'
  | 'kind'
  | 'bool'
  | 'date'
  | 'month'
  | 'int'
  | 'points'
  | 'money'
  | 'tier'
  | 'handlingType'
  | 'basis'
  | 'appealResult'
  | 'exitType'
  | 'personnelEvent';

export interface ColumnSpec {
  key: string;
  header: string; // canonical Chinese header
  aliases: string[]; // other headers accepted (after normalisation)
  type: ColumnType;
  required: boolean;
  hint: string; // shown in templates and messages: what is expected
}

export type InputKind =
  | 'institutions'
  | 'scores'
  | 'settlements'
  | 'violations'
  | 'investigations'
  | 'appeals'
  | 'exits'
  | 'personnel';

export interface InputSpec {
  kind: InputKind;
  name: string; // canonical Chinese file / sheet name
  aliases: string[];
  required: boolean;
  description: string;
  columns: ColumnSpec[];
  /** An input only some regimes read (人员记分: the personnel module): templated, and read, only when the policy uses it. */
  usedWhen?: (policy: Policy) => boolean;
}

export const HANDLING_TYPES = [
  '约谈',
  '暂停结算',
  '不予支付',
  '罚款',
  '中止医保服务',
  '解除协议',
  '行政处罚',
  '拒不提供资料',
  '扣分',
] as const;
export type HandlingType = (typeof HANDLING_TYPES)[number];

export const BASES = ['协议', '条例第三十八条', '条例第三十九条', '其他'] as const;
export type Basis = (typeof BASES)[number];

export const INSTITUTION_KINDS = ['医疗机构', '零售药店'] as const;

/** 处理结果 of an appeal against an initial-review score (SPEC §3 申诉记录). */
export const APPEAL_RESULTS = ['维持', '调整'] as const;
export type AppealResult = (typeof APPEAL_RESULTS)[number];

/** 退出类型 of an institution that left the scheme (SPEC §3 退出记录). */
export const EXIT_TYPES = ['主动退出', '解除协议', '提供虚假材料', '列入失信黑名单'] as const;
export type ExitType = (typeof EXIT_TYPES)[number];

/** 事件类型 of a personnel demerit row (SPEC §3 人员记分): blank means by the sign of 分值. */
/** The usual conclusions of an investigation (立案调查「结论」), offered in the template; other text is kept as written. */
export const INVESTIGATION_CONCLUSIONS = ['未发现违规', '查实违规', '查实违规，解除协议'] as const;

export const PERSONNEL_EVENTS = ['记分', '修复', '恢复'] as const;
export type PersonnelEvent = (typeof PERSONNEL_EVENTS)[number];
export const TIERS = ['A', 'B', 'C', 'D'] as const;

const col = (
  key: string,
  header: string,
  type: ColumnType,
  required: boolean,
  hint: string,
  aliases: string[] = [],
): ColumnSpec => ({ key, header, type, required, hint, aliases });

const CODE = col('code', '机构编码', 'institutionCode', true, '12位：H或P＋6位行政区划＋5位序号，如 H12010100001', [
  '机构代码',
  '定点机构编码',
  '医保定点机构编码',
  '定点医药机构编码',
  'code',
]);

export const INPUT_SPECS: readonly InputSpec[] = [
  {
    kind: 'institutions',
    name: '机构名册',
    aliases: ['institutions', '定点机构名册', '定点医药机构名册'],
    required: true,
    description: '定点医药机构名册，每行一家机构',
    columns: [
      CODE,
      col('name', '机构名称', 'text', true, '机构全称', ['定点机构名称', 'name']),
      col('kind', '机构类型', 'kind', true, '医疗机构 或 零售药店', ['类型', 'kind']),
      col('inpatient', '有无住院服务', 'bool', false, '是/否（医疗机构填写）', ['是否有住院服务', '住院服务', 'inpatient']),
      col('hospitalLevel', '医院等级', 'text', false, '如 三级甲等', ['等级']),
      col('district', '所属区县', 'text', false, '如 和平区', ['区县', '所属区', 'district']),
      col('planningArea', '规划区域', 'text', false, '定点布局规划的区域；不填时按所属区县', ['布局规划区域', '规划片区']),
      col('admittedOn', '纳入定点日期', 'date', false, '日期，如 2020-03-05', ['定点日期']),
      col('tier', '结算等级', 'tier', false, 'A/B/C/D', ['tier']),
      col('tierSince', '等级起始日期', 'date', false, '日期', []),
      col('specialDrug', '开展特药结算', 'bool', false, '是/否', ['特药结算']),
      col('beds', '床位数', 'int', false, '整数', ['编制床位数', '实际开放床位数']),
      col('insuranceStaff', '医保办人数', 'int', false, '整数', ['医保办人员数']),
      col('agreementEnds', '协议到期日期', 'date', false, '日期', ['协议截止日期']),
      col('creditCode', '统一社会信用代码', 'creditCode', false, '18位，GB 32100-2015', ['信用代码']),
      col('priorScore', '上年度考核得分', 'points', false, '0 至满分，仅首年（无上年度结果时）填写', ['上年度得分', '上年得分']),
    ],
  },
  {
    kind: 'scores',
    name: '指标得分',
    aliases: ['scores', '考核得分', '指标评分'],
    required: true,
    description: '每行一家机构的一项指标得分（或宽表：每个指标编码一列）',
    columns: [
      CODE,
      col('indicator', '指标编码', 'text', true, '政策文件中的指标编码，如 H01', ['指标代码', 'indicator']),
      col('score', '得分', 'points', true, '0 至该指标满分', ['考核得分', '确认得分', 'score']),
      col('selfScore', '自评得分', 'points', false, '数值', []),
      col('reviewScore', '初审得分', 'points', false, '数值', []),
      col('note', '备注', 'text', false, '', ['说明']),
    ],
  },
  {
    kind: 'settlements',
    name: '月度结算',
    aliases: ['settlements', '月度结算费用', '结算数据'],
    required: true,
    description: '每行一家机构一个月的医保结算金额',
    columns: [
      CODE,
      col('month', '结算月份', 'month', true, '月份，如 2024-03、202403、2024年3月', ['月份', 'month']),
      col('settled', '结算金额', 'money', true, '金额（元），表头注明（万元）时按万元', ['医保结算金额', '结算费用', 'amount']),
      col('reserved', '预留保证金', 'money', false, '金额（元）；不填时按政策比例计算', ['预留质量保证金', '质量保证金']),
    ],
  },
  {
    kind: 'violations',
    name: '违规记录',
    aliases: ['violations', '违规处理记录', '处理记录'],
    required: false,
    description: '每行一次违规处理',
    columns: [
      CODE,
      col('occurredOn', '发生日期', 'date', true, '日期', ['违规日期']),
      col('handledOn', '处理日期', 'date', true, '日期，不早于发生日期', ['处理时间']),
      col('type', '处理类型', 'handlingType', true, HANDLING_TYPES.join('/'), ['处理方式', 'type']),
      col('basis', '依据', 'basis', false, BASES.join('/'), ['处理依据']),
      col('points', '扣分', 'points', false, '数值；填写时取代该处理类型的默认扣分', ['扣减分值']),
      col('recovered', '追回金额', 'money', false, '金额（元）', ['追回基金']),
      col('note', '说明', 'text', false, '', ['备注']),
    ],
  },
  {
    kind: 'investigations',
    name: '立案调查',
    aliases: ['investigations', '调查记录'],
    required: false,
    description: '每行一次对机构的立案调查',
    columns: [
      CODE,
      col('openedOn', '立案日期', 'date', true, '日期', []),
      col('closedOn', '结案日期', 'date', false, '日期；未结案不填', []),
      col('conclusion', '结论', 'text', false, `结案时填写，如 ${INVESTIGATION_CONCLUSIONS.join('、')}`, ['调查结论']),
      col('major', '涉嫌重大违规', 'bool', false, '是/否；不填视为是（只有涉嫌重大违法违规、正在接受调查的机构暂不计算考核成绩）', ['重大违规', '是否涉嫌重大违规']),
    ],
  },
  {
    kind: 'appeals',
    name: '申诉记录',
    aliases: ['appeals', '申诉', '初审申诉记录'],
    required: false,
    description: '每行一次机构对某项指标初审得分的申诉及处理结果',
    columns: [
      CODE,
      col('indicator', '指标编码', 'text', true, '政策文件中的指标编码，如 JS01', ['指标代码', 'indicator']),
      col('filedOn', '申诉日期', 'date', true, '日期', ['申诉时间']),
      col('result', '处理结果', 'appealResult', true, APPEAL_RESULTS.join('/'), ['处理意见', 'result']),
      col('adjusted', '调整后得分', 'points', false, '处理结果为「调整」时填写', ['调整得分']),
      col('reason', '申诉理由', 'text', false, '', ['理由']),
      col('reply', '答复', 'text', false, '', ['答复意见']),
    ],
  },
  {
    kind: 'exits',
    name: '退出记录',
    aliases: ['exits', '退出定点记录', '退出名单'],
    required: false,
    description: '每行一家已退出定点的机构（可以不在本年度机构名册中）',
    columns: [
      CODE,
      col('name', '机构名称', 'text', false, '退出时的机构名称', ['名称']),
      col('exitedOn', '退出日期', 'date', true, '日期', ['退出时间', '解除日期']),
      col('type', '退出类型', 'exitType', true, EXIT_TYPES.join('/'), ['退出原因']),
      col('creditCode', '统一社会信用代码', 'creditCode', false, '18位，GB 32100-2015', ['信用代码']),
      col('note', '说明', 'text', false, '', ['备注']),
    ],
  },
  {
    kind: 'personnel',
    name: '人员记分',
    aliases: ['personnel', '人员记分记录', '医保支付资格记分'],
    required: false,
    description: '每行一名相关人员的一次记分、修复或恢复',
    usedWhen: (policy) => policy.personnel?.enabled === true,
    columns: [
      col('person', '人员编码', 'text', true, '医保相关人员编码', ['人员代码', '医保医师编码', 'person']),
      col('name', '姓名', 'text', true, '姓名', ['人员姓名', 'name']),
      { ...CODE, hint: '人员记分时所在机构的12位机构编码' },
      col('date', '记分日期', 'date', true, '日期，在考核年度内', ['日期', '处理日期']),
      col('points', '分值', 'int', true, '记分 1 至 12；修复 -1 至 -3；恢复 0', ['记分分值', '扣分']),
      col('event', '事件类型', 'personnelEvent', false, `${PERSONNEL_EVENTS.join('/')}；不填时按分值正负判断`, ['类型']),
      col('situation', '情形', 'text', false, '记分情形', ['违规情形', '记分情形']),
      col('idNumber', '身份证号', 'idNumber', false, '18位公民身份号码（GB 11643）', ['身份证号码', '证件号码']),
    ],
  },
];

export function inputSpec(kind: InputKind): InputSpec {
  const spec = INPUT_SPECS.find((s) => s.kind === kind);
  if (!spec) throw new Error(`unknown input kind ${kind}`);
  return spec;
}
