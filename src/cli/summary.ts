// The printed summary at the end of a run, and the problem listing of a failed one.
import type { ChalkInstance } from 'chalk';
import type { PoolInfeasible } from '../rules/pool.js';
import { fenToYuanText } from '../io/values.js';
import { formatProblem, type Problem } from '../problems.js';
import { STATUSES } from '../rules/status.js';
import { listDef } from '../plan/lists.js';
import { citePath } from '../policy/refs.js';
import type { RunDone } from '../run/year.js';
import type { CompareDone } from '../run/compare.js';
import type { SettleDone } from '../run/settle.js';
import type { HeldOutcome } from '../plan/settle-held.js';
import { movedText } from '../report/comparison.js';
import { relative } from 'node:path';

/** 1234567 fen → "12,345.67". */
export function yuan(fen: number): string {
  const [int = '0', frac = '00'] = fenToYuanText(fen).split('.');
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

const tally = (values: string[]) => {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
};

export function runSummary(done: RunDone, c: ChalkInstance): string {
  const { plan } = done;
  const t = plan.totals;
  const statuses = tally(plan.institutions.map((r) => r.assessment.status));
  const grades = tally(plan.institutions.flatMap((r) => (r.assessment.status === 'scored' ? [r.assessment.grade.name] : [])));
  const gradeOrder = plan.policy.grades.map((g) => g.name);
  const lines = [
    c.bold.green(`✔ ${plan.policy.region} ${plan.year} 年度考核完成`),
    `  机构 ${c.bold(plan.institutions.length)} 家：` + STATUSES.map((s) => `${s.name} ${statuses.get(s.code) ?? 0}`).join('，'),
    `  等级：${gradeOrder.map((g) => `${g} ${grades.get(g) ?? 0}`).join('，')}`,
    `  质量保证金（元）：预留 ${c.bold(yuan(t.withheldFen))}，${plan.pool ? "分配" : "拨付"} ${c.green(yuan(t.payoutFen))}，扣除 ${c.red(yuan(t.forfeitedFen))}，暂扣 ${c.yellow(yuan(t.heldFen))}` +
      (t.differenceFen === 0 ? c.green('（已对平）') : c.red(`（差额 ${yuan(t.differenceFen)}）`)),
    `  名单：${plan.published.map((code) => `${listDef(code).title} ${plan.lists.get(code)?.length ?? 0}`).join('，')}`,
  ];
  const persons = plan.modules.personnel;
  if (persons) {
    const status = tally([...persons.outcomes.values()].map((o) => o.year.status));
    const banned = plan.lists.get('personnelBanned')?.length ?? 0;
    const events = persons.outcomes.values().next().value?.events.count ?? 0;
    lines.push(
      `  人员记分：${persons.outcomes.size} 人（${events} 条记分记录），重点监管 ${status.get('keySupervision') ?? 0}，暂停 ${status.get('suspended') ?? 0}，终止 ${status.get('terminated') ?? 0}` +
        (banned > 0 ? c.yellow(`；终止期内仍有记分 ${banned} 人，请核查其登记备案状态`) : ''),
    );
  }
  if (plan.pool) lines.push(`  统筹分配：资金池 ${yuan(plan.pool.poolFen)} 元全额分配给 ${plan.pool.members} 家参与统筹的机构，其中低于门槛或不合格机构的 ${yuan(plan.pool.redistributedFen)} 元由其他机构分配`);
  const out = plan.outOfScope.institutions;
  if (out.length > 0) {
    const kinds = [...new Set(out.map((i) => i.kind))].join('、');
    const scopeRef = citePath(plan.policy, 'scope');
    lines.push(c.yellow(`  机构名册中有 ${out.length} 家${kinds}不在本办法评价范围内${scopeRef ? `（${scopeRef}）` : ''}，未参与评分、质量保证金和名单；其在其他输入中的 ${plan.outOfScope.rowsLeftOut} 行未使用。名单见 manifest.json：${out.slice(0, 5).map((i) => i.code).join('、')}${out.length > 5 ? ' 等' : ''}`));
  }
  if (plan.carriedHeld.length > 0) lines.push(c.yellow(`  以前年度暂扣的保证金 ${plan.carriedHeld.length} 笔仍待结案后处理，已转入本年度状态文件`));
  if (done.warnings.length > 0) lines.push(warningListing(done.warnings, c).trimEnd());
  if (done.redactions.length > 0) {
    lines.push(c.yellow(`  ⚠ 公示名单中有 ${done.redactions.length} 处出现身份证号，已自动遮盖（请核对并更正输入）：`));
    for (const r of done.redactions.slice(0, 20)) lines.push(c.yellow(`    ${r.file}${r.sheet ? ` 工作表「${r.sheet}」` : ''} 第${r.row}行「${r.column}」列（${r.code}）`));
    if (done.redactions.length > 20) lines.push(c.yellow(`    …… 另有 ${done.redactions.length - 20} 处，见 manifest.json`));
  }
  lines.push(`  结果已写入 ${c.cyan(done.outDir)}：`, ...done.files.map((f) => `    ${f}`));
  return `${lines.join('\n')}\n`;
}

export const SHOWN_PROBLEMS = 50;

const SHOWN_WARNINGS = 20;

/** Warnings: the run went on, but the officer must look. */
export function warningListing(warnings: Problem[], c: ChalkInstance): string {
  const lines = [c.yellow(`  ⚠ 需要注意 ${warnings.length} 处（未影响计算，请核对）：`)];
  for (const w of warnings.slice(0, SHOWN_WARNINGS)) lines.push(c.yellow(`    ${formatProblem(w)}`));
  if (warnings.length > SHOWN_WARNINGS) lines.push(c.yellow(`    …… 另有 ${warnings.length - SHOWN_WARNINGS} 处，见 manifest.json`));
  return `${lines.join('\n')}\n`;
}

/** Problems of the same kind in the same column of one file: shown this many times, then counted. */
const SHOWN_PER_COLUMN = 3;

/**
 * The problems as an officer reads them: root causes first (they come first), then the
 * rest; the same problem repeated down one column is shown a few times and then counted,
 * so one wrong column does not hide every other problem.
 */
export function problemListing(problems: Problem[], total: number, c: ChalkInstance, outcome = '未写入任何结果。请修改后重新运行。'): string {
  const lines: string[] = [];
  const seen = new Map<string, number>();
  const groupOf = (p: Problem) => (p.row !== undefined && p.column !== undefined ? `${p.file}\u0000${p.sheet ?? ''}\u0000${p.column}\u0000${p.message}` : null);
  const groupSize = new Map<string, number>();
  for (const p of problems) {
    const g = groupOf(p);
    if (g) groupSize.set(g, (groupSize.get(g) ?? 0) + 1);
  }
  let shown = 0;
  let summarised = 0;
  for (const p of problems) {
    if (shown >= SHOWN_PROBLEMS) break;
    const g = groupOf(p);
    const n = g ? (seen.get(g) ?? 0) + 1 : 1;
    if (g) seen.set(g, n);
    if (n > SHOWN_PER_COLUMN) continue; // counted in its column's line below
    lines.push(`  ${c.red('✖')} ${formatProblem(p)}`);
    shown += 1;
    const rest = g ? (groupSize.get(g) ?? 0) - SHOWN_PER_COLUMN : 0;
    if (n === SHOWN_PER_COLUMN && rest > 0) {
      lines.push(c.dim(`    …… 同一列另有 ${rest} 行同样的问题`));
      summarised += rest;
    }
  }
  const unlisted = total - shown - summarised;
  if (unlisted > 0) lines.push(c.dim(`  …… 另有 ${unlisted} 个问题未列出`));
  lines.push(c.red.bold(`共发现 ${total} 个问题，${outcome}`));
  return `${lines.join('\n')}\n`;
}

/** Why the pool cannot be paid out as the policy says, in words (the run stops, nothing written). */
export function poolRefusal(e: PoolInfeasible): string {
  const pool = `统筹资金池 ${yuan(e.poolFen)} 元`;
  if (e.reason === 'noWeight') return `${pool}无法分配：没有任何参与统筹的机构达到门槛分数（policy.yaml 中 deposit.pool.threshold），权重合计为 0`;
  if (e.reason === 'capsTooLow') return `${pool}无法全额分配：各机构的封顶金额合计只有 ${yuan(e.boundFen)} 元（deposit.pool.capRatio 过低，或低于门槛的机构过多）`;
  return `${pool}不足以保证各机构的保底金额（合计 ${yuan(e.boundFen)} 元，deposit.pool.floorRatio 过高）`;
}

/** The printed summary of a comparison. */
export function compareSummary(done: CompareDone, c: ChalkInstance): string {
  const { comparison: cmp, policies } = done;
  const count = (field: string) => cmp.changed.filter((r) => (r.changed as string[]).includes(field)).length;
  const kinds = [['grade', '等级'], ['status', '状态'], ['tier', '结算等级'], ['lists', '名单'], ['money', '金额'], ['scope', '评价范围']]
    .map(([f, n]) => [n, count(f ?? '')] as const)
    .filter(([, k]) => k > 0)
    .map(([n, k]) => `${n} ${k}`);
  const lines = [
    c.bold.green(`✔ ${done.before.policy.region} ${done.before.year} 年度政策比较完成`),
    `  现行：${policies.current.file}（${policies.current.title}）`,
    `  备选：${policies.alternative.file}（${policies.alternative.title}）`,
    `  参数不同 ${policies.differences.length} 处；机构 ${cmp.institutions} 家中 ${c.bold(cmp.changed.length)} 家结果有变化${kinds.length > 0 ? `（${kinds.join('，')}）` : ''}`,
    `  ${movedText(cmp)}`,
    `  结果已写入 ${c.cyan(relativeOut(done.outDir))}：`,
    ...done.files.map((f) => `    ${f}`),
  ];
  return `${lines.join('\n')}\n`;
}

function relativeOut(dir: string): string {
  const shown = relative(process.cwd(), dir);
  return shown && !shown.startsWith('..') ? shown : dir;
}

/** The printed summary of a supplementary settlement. */
export function settleSummary(done: SettleDone, c: ChalkInstance): string {
  const paid = done.outcomes.filter((o) => o.kind === 'paid');
  const forfeited = done.outcomes.filter((o) => o.kind === 'forfeited');
  const open = done.outcomes.filter((o) => o.kind === 'open');
  const sum = (os: readonly HeldOutcome[], f: (o: HeldOutcome) => number) => os.reduce((a, o) => a + f(o), 0);
  const stillHeld = open.length > 0 ? `；仍暂扣 ${open.length} 笔 ${yuan(sum(open, (o) => o.heldFen))} 元（调查尚未结案）` : '';
  if (done.number === null) {
    const none = done.outcomes.length === 0 ? `${done.year} 年度没有待结算的暂扣保证金` : `${done.year} 年度暂扣的保证金都还没有结案，未做补充结算`;
    return `${c.yellow(`  ${none}`)}${stillHeld}\n`;
  }
  const lines = [
    c.bold.green(`✔ ${done.plan.policy.region} ${done.year} 年度质量保证金补充结算（第 ${done.number} 次）完成`),
    `  结算 ${paid.length + forfeited.length} 笔：拨付 ${paid.length} 笔 ${c.green(yuan(sum(paid, (o) => (o.kind === 'paid' ? o.payoutFen : 0))))} 元，扣除 ${c.red(yuan(sum(paid, (o) => (o.kind === 'paid' ? o.forfeitedFen : 0)) + sum(forfeited, (o) => o.heldFen)))} 元${forfeited.length > 0 ? `（其中 ${forfeited.length} 笔全部扣除）` : ''}${stillHeld}`,
    `  结果已写入 ${c.cyan(relativeOut(done.outDir ?? ''))}：`,
    ...done.files.map((f) => `    ${f}`),
  ];
  return `${lines.join('\n')}\n`;
}
