// What each module adds to the report: its columns of institutions.csv (SPEC §6: "then,
// as modules add them", written only when the module ran) and the words of its
// derivation steps in `explain`. Keyed by module id, so a module added to the registry
// without its report pieces (empty when it has none) does not compile.
import { MODULES, type ModuleId, type OutcomeOf } from '../modules/index.js';
import { Decimal } from 'decimal.js';
import type { Facts, Step } from '../plan/derivation.js';
import type { InstitutionPlan, YearPlan } from '../plan/year-plan.js';
import type { OutputFile } from './output.js';
import { PERSON_STATUS_NAMES, personnelCsv, personnelWorkbook } from './personnel.js';
import { AGREEMENT_OUTCOME_NAMES, HISTORY_FROM_INPUTS, institutionName, renewalReason } from './list-layouts.js';

export interface ModuleColumn<O> {
  /** Stable English column name. */
  column: string;
  /** The cell for an institution; `outcome` is undefined when the module decided nothing for it. */
  value: (outcome: O | undefined, institution: InstitutionPlan) => string;
}

export interface ModuleReport<O> {
  /** The heading of the module's part of an explanation. */
  title: string;
  columns: readonly ModuleColumn<O>[];
  /** A module step in words, by figure. */
  steps: Readonly<Record<string, (step: Step, plan: YearPlan) => string>>;
  /** Files of its own among the results (personnel.csv, 人员记分-Y.xlsx). */
  files?: (plan: YearPlan) => Promise<OutputFile[]>;
}

const text = (facts: Facts | undefined, key: string): string => {
  const v = facts?.[key];
  return v === null || v === undefined ? '' : String(v);
};

const TIER_SOURCES: Record<string, string> = { roster: '机构名册「结算等级」', state: '上年度结果', initial: '过渡期定级' };
const PROMOTION_NEEDS: Record<string, string> = { onSiteCheck: '需现场核查其余条件', countyReview: '需县级医保部门论证本县域需求并组织专家论证' };


export const MODULE_REPORTS: { [Id in ModuleId]: ModuleReport<OutcomeOf<Id>> } = {
  bottomElimination: {
    title: '末位淘汰',
    columns: [],
    steps: {
      elimination: (step) => {
        const f = step.facts;
        return `末位淘汰：规划区域「${text(f, 'area')}」列入末位 ${text(f, 'n')} 家；本机构 ${text(f, 'score')} 分，区域内 ${text(f, 'of')} 家已评分机构中排第 ${text(f, 'rank')} 名（倒数第 ${step.value}）${f?.tied ? '，与其他机构得分相同、并列列入' : ''}`;
      },
    },
  },
  staffing: {
    title: '医保办人员配备',
    columns: [],
    steps: {
      staffing: (step) => {
        const f = step.facts;
        if (step.value === 'missing') return `医保办人员配备：机构名册未填${text(f, 'missing').replace('beds', '床位数').replace('staff', '医保办人数').replace(',', '、')}，无法核对，列入配备不足名单`;
        return `医保办人员配备：床位 ${text(f, 'beds')} 张，应至少 ${text(f, 'required')} 人，现有 ${text(f, 'staff')} 人${step.value === 'short' ? '，配备不足' : '，符合要求'}`;
      },
    },
  },
  agreementTerm: {
    title: '协议续签',
    columns: [{ column: 'agreement_outcome', value: (o) => (o?.outcome ?? '') }],
    steps: {
      agreement: (step) => {
        const f = step.facts ?? {};
        const known = f.history === 'inputs' ? `。${HISTORY_FROM_INPUTS}` : '';
        return `协议于 ${text(f, 'endsOn')} 到期：${AGREEMENT_OUTCOME_NAMES[step.value] ?? step.value}${f.newEnd ? `，新协议至 ${text(f, 'newEnd')}` : ''}（${renewalReason(f)}）${known}`;
      },
    },
  },
  personnel: {
    title: '人员记分',
    columns: [
      {
        column: 'personnel_deduction',
        value: (_o, r) => {
          const sum = r.deductions.filter((d) => d.rule === 'personnelDeduction').reduce((a, d) => a.plus(d.points), new Decimal(0));
          return sum.isZero() ? '' : sum.toString();
        },
      },
    ],
    steps: {
      personnelEvent: (step) => {
        const f = step.facts;
        const what = f?.kind === '修复' ? `修复 ${step.value.replace('-', '')} 分` : f?.kind === '恢复' ? '恢复医保支付资格（提前结束暂停）' : `记 ${step.value} 分`;
        return `${text(f, 'date')} 在 ${text(f, 'institution')} ${what}，累计 ${text(f, 'running')} 分`;
      },
      personnelStatus: (step) => {
        const f = step.facts;
        const parts = [`本年度记分 ${text(f, 'deducted')} 分、修复 ${text(f, 'repaired')} 分，累计 ${text(f, 'points')} 分：${PERSON_STATUS_NAMES[step.value] ?? step.value}`];
        if (f?.keySupervisionOn) parts.push(`${text(f, 'keySupervisionOn')} 起重点监管`);
        if (f?.suspendedFrom) parts.push(`${text(f, 'suspendedFrom')} 起暂停医保支付资格至 ${text(f, 'suspendedUntil')}（不含）`);
        if (f?.terminatedOn) parts.push(`${text(f, 'terminatedOn')} 终止医保支付资格（${f.oneShot ? '一次性记满12分' : '累计记满12分'}），${text(f, 'bannedUntil')} 前不得再次登记备案`);
        else if (f?.bannedUntil) parts.push(`上年度终止，${text(f, 'bannedUntil')} 前不得再次登记备案`);
        return parts.join('；');
      },
      personnelCharge: (step, plan) => {
        const f = step.facts;
        const code = text(f, 'institution');
        const name = institutionName(plan, code) ?? '';
        const scored = plan.institutions.some((r) => r.institution.code === code);
        return `本年度最高结果「${PERSON_STATUS_NAMES[text(f, 'outcome')] ?? ''}」由 ${code}${name ? ` ${name}` : ''} 的记分事件达到（${text(f, 'date')}），该机构考核分数扣减 ${step.value} 分${scored ? '' : '（该机构不在本地考核范围内，无考核分数可扣）'}`;
      },
    },
    files: async (plan) => [personnelCsv(plan), await personnelWorkbook(plan)],
  },
  annualLowTerminate: {
    title: '解除定点资质（年度考评低于分数线）',
    columns: [
      { column: 'deregister_start_by', value: (o) => o?.startBy ?? '' },
      { column: 'deregister_done_by', value: (o) => o?.deregisterBy ?? '' },
      { column: 'clearing_by', value: (o) => o?.clearingBy ?? '' },
    ],
    steps: {
      deregister: (step) => {
        const f = step.facts;
        return `年度考评 ${text(f, 'score')} 分低于 ${text(f, 'below')} 分：${text(f, 'notifiedOn')} 收到通报后 ${text(f, 'workingDays')} 个工作日内（${text(f, 'startBy')} 前）启动解除定点资质程序；解除后 ${text(f, 'days')} 日内完成注销及业务交接（至迟 ${text(f, 'deregisterBy')}）；强制退出的清算小组于 ${text(f, 'clearingWorkingDays')} 个工作日内（${text(f, 'clearingBy')} 前）成立`;
      },
    },
  },
  bans: {
    title: '禁入期',
    columns: [{ column: 'banned_until', value: (o) => o?.bannedUntil ?? '' }],
    steps: {
      ban: (step) => {
        const f = step.facts;
        if (f?.own) return `禁入期：本机构 ${step.value} 前不得重新申请定点`;
        const how = f?.matchedBy === 'creditCode' ? `统一社会信用代码与已退出的 ${text(f, 'bannedCode')}${f?.bannedName ? `（${text(f, 'bannedName')}）` : ''}相同` : '机构编码在禁入记录中';
        return `禁入期内：${how}，${text(f, 'since')} 因${text(f, 'cause')}退出，${step.value} 前不得重新申请定点`;
      },
    },
  },
  tiers: {
    title: '结算等级',
    columns: [
      { column: 'tier_before', value: (o) => o?.tierBefore ?? '' },
      { column: 'tier_after', value: (o) => (o ? (o.tierAfter ?? '') : '') },
      { column: 'promotion_wait_until', value: (o) => o?.waitUntil ?? '' },
    ],
    steps: {
      tier: (step) => {
        const f = step.facts;
        const before = `年初 ${text(f, 'before')} 级（${TIER_SOURCES[text(f, 'source')] ?? ''}${f?.basis === 'specialDrug' ? '：开展特药结算' : f?.basis === 'admission' ? '：按纳入定点日期' : ''}，自 ${text(f, 'since')} 起）`;
        const window = `${text(f, 'windowFrom')} 之后至 ${text(f, 'windowTo')}`;
        switch (f?.decision) {
          case 'terminate':
            return `结算等级：${before}；${window} 的违规触发第十四条${text(f, 'clauses')}：解除医保服务协议`;
          case 'downgrade':
            return `结算等级：${before}；${window} 的违规触发 ${text(f, 'clauses')}，降为 ${step.value} 级（自 ${text(f, 'sinceAfter')} 起，每年至多降一级）${f?.agreementHandling ? '；年度内再次违规，按协议处理' : ''}`;
          case 'extendWait':
            return `结算等级：${before}；${window} 的违规触发 ${text(f, 'clauses')}，A 级不再降级，晋级年限延长至 ${text(f, 'waitUntil')}`;
          default: {
            const noPromotion = f?.exitedOn ? `；${text(f, 'exitedOn')} 已退出定点，不再列入可申请晋级` : f?.deregistered ? '；正在解除定点资质，不列入可申请晋级' : '';
            return `结算等级：${before}；${window} 无触发降级的违规，保持 ${step.value} 级${noPromotion}`;
          }
        }
      },
      promotion: (step) => {
        const f = step.facts;
        switch (step.value) {
          case 'eligible':
            return `晋级：可申请晋升 ${text(f, 'to')} 级（${PROMOTION_NEEDS[text(f, 'needs')] ?? ''}）`;
          case 'notYet':
            return `晋级：${text(f, 'earliest')} 起方可申请晋升 ${text(f, 'to')} 级`;
          case 'blocked':
            return `晋级：暂不能申请晋升 ${text(f, 'to')} 级（本等级期间有 ${text(f, 'blockedBy')}${f?.blockCarried ? '，以前年度结果结转' : ''}）`;
          default:
            return '晋级：已是最高等级';
        }
      },
    },
  },
  consecutiveLow: {
    title: '连续两个年度低于分数线（不予续签）',
    columns: [],
    steps: {
      consecutiveLow: (step, plan) => {
        const f = step.facts;
        const source = f?.lastYearFrom === 'roster' ? '上年度得分取自机构名册「上年度考核得分」' : `上年度得分取自 ${text(f, 'stateFile')}`;
        const scores = `${text(f, 'lastYear')}年度得分 ${text(f, 'scoreLastYear')}、${plan.year}年度得分 ${text(f, 'scoreThisYear')}`;
        return step.value === 'true'
          ? `不予续签：是——${scores}，连续${text(f, 'years')}个年度低于${text(f, 'below')}分（${source}）`
          : `不予续签：否——${scores}，未连续${text(f, 'years')}个年度低于${text(f, 'below')}分（${source}）`;
      },
    },
  },
};

/** The columns of one module that ran, bound to its outcomes. */
function columnsOf<Id extends ModuleId>(id: Id, plan: YearPlan): { column: string; cell: (r: InstitutionPlan) => string }[] {
  const run = plan.modules[id];
  if (!run) return [];
  const columns: readonly ModuleColumn<OutcomeOf<Id>>[] = MODULE_REPORTS[id].columns;
  return columns.map((c) => ({ column: c.column, cell: (r: InstitutionPlan) => c.value(run.outcomes.get(r.institution.code), r) }));
}

/** The module columns of institutions.csv for this plan, in registry order. */
export function moduleColumns(plan: YearPlan): { column: string; cell: (r: InstitutionPlan) => string }[] {
  return MODULES.flatMap((m) => columnsOf(m.id, plan));
}

/** The explain sections of the modules that ran: heading and the figures they own, in registry order. */
export function moduleSections(plan: YearPlan): { title: string; figures: readonly string[]; words: ModuleReport<unknown>['steps'] }[] {
  return MODULES.filter((m) => plan.modules[m.id] !== undefined).map((m) => ({ title: MODULE_REPORTS[m.id].title, figures: m.figures, words: MODULE_REPORTS[m.id].steps }));
}

/** The files the modules that ran add to the results, in registry order. */
export async function moduleFiles(plan: YearPlan, onStage: (stage: string) => void = () => undefined): Promise<OutputFile[]> {
  const out: OutputFile[] = [];
  for (const m of MODULES) {
    const files = plan.modules[m.id] ? MODULE_REPORTS[m.id].files : undefined;
    if (!files) continue;
    onStage(`生成「${MODULE_REPORTS[m.id].title}」的结果文件`);
    out.push(...(await files(plan)));
  }
  return out;
}
