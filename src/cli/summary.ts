// The printed summary at the end of a run, and the problem listing of a failed one.
import type { ChalkInstance } from 'chalk';
import { fenToYuanText } from '../io/values.js';
import { formatProblem, type Problem } from '../problems.js';
import { STATUSES } from '../rules/status.js';
import { listDef } from '../plan/lists.js';
import type { RunDone } from '../run/year.js';

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
    `  质量保证金（元）：预留 ${c.bold(yuan(t.withheldFen))}，拨付 ${c.green(yuan(t.payoutFen))}，扣除 ${c.red(yuan(t.forfeitedFen))}，暂扣 ${c.yellow(yuan(t.heldFen))}` +
      (t.differenceFen === 0 ? c.green('（已对平）') : c.red(`（差额 ${yuan(t.differenceFen)}）`)),
    `  名单：${plan.published.map((code) => `${listDef(code).title} ${plan.lists.get(code)?.length ?? 0}`).join('，')}`,
  ];
  if (plan.carriedHeld.length > 0) lines.push(c.yellow(`  以前年度暂扣的保证金 ${plan.carriedHeld.length} 笔仍待结案后处理，已转入本年度状态文件`));
  if (done.redactions.length > 0) {
    lines.push(c.yellow(`  ⚠ 公示名单中有 ${done.redactions.length} 处出现身份证号，已自动遮盖（请核对并更正输入）：`));
    for (const r of done.redactions.slice(0, 20)) lines.push(c.yellow(`    ${r.file}${r.sheet ? ` 工作表「${r.sheet}」` : ''} 第${r.row}行「${r.column}」列（${r.code}）`));
    if (done.redactions.length > 20) lines.push(c.yellow(`    …… 另有 ${done.redactions.length - 20} 处，见 manifest.json`));
  }
  lines.push(`  结果已写入 ${c.cyan(done.outDir)}：`, ...done.files.map((f) => `    ${f}`));
  return `${lines.join('\n')}\n`;
}

export const SHOWN_PROBLEMS = 50;

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
