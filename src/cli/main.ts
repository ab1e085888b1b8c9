// The commander wiring (SPEC §2). Thin: parses the command, calls the run, prints.
// Exit codes: 0 done; 1 input or policy invalid (nothing written); 2 usage; 3 internal.
import type { ProgressUnit } from '../progress.js';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Chalk, type ChalkInstance } from 'chalk';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { listProfiles, parsePolicy, profilePath } from '../policy/load.js';
import { parseDate } from '../io/values.js';
import { inputTemplates } from '../report/input-templates.js';
import { ReconciliationError } from '../plan/settle-deposits.js';
import { TOOL_VERSION, loadYear, runYear, type RunOptions } from '../run/year.js';
import { explainYear } from '../run/explain.js';
import { compareYear } from '../run/compare.js';
import { settleYear } from '../run/settle.js';
import { explainJson, explainText } from '../report/explain.js';
import { recoverResults } from '../io/atomic.js';
import { encodingName } from '../io/table.js';
import { WorkspaceBusy, lockWorkspace } from '../io/workspace-lock.js';
import { compareSummary, settleSummary, poolRefusal, problemListing, runSummary, warningListing, yuan } from './summary.js';
import { CHINESE_HELP, chineseError } from './commander-zh.js';
import { PoolInfeasible } from '../rules/pool.js';
import { EXIT } from './exit-codes.js';
import { CalendarGap } from '../rules/calendar.js';

export { EXIT } from './exit-codes.js';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Told when `assess year` starts writing its outputs (the command's worker lowers its heap's growth then: RunOptions.onWriting). */
  onWriting?: () => void;
}

class ExitWith extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function parseYear(value: string): number {
  if (!/^\d{4}$/.test(value) || Number(value) < 2000 || Number(value) > 2100) throw new InvalidArgumentError('年度应为四位数字，如 2024');
  return Number(value);
}

function parseAsOf(value: string): string {
  const parsed = parseDate(value);
  if (!parsed.ok) throw new InvalidArgumentError(`应为${parsed.expected}`);
  return parsed.value;
}

const AS_OF_HELP = '考核工作结束日期：此日仍在立案调查中的机构暂不计算成绩，默认为考核年度最后一天';
const ISSUED_ON_HELP = '公示公告的发布日期：公示期自此起算；不给出时公告中的日期留空，由经办人填写';
const NOTIFIED_ON_HELP = '收到医保行政部门考核结果通报的日期：解除定点资质等期限自此起算（工作日），默认为考核工作结束日期';

function chalkFor(io: CliIO): ChalkInstance {
  const noColor = io.env.NO_COLOR !== undefined && io.env.NO_COLOR !== '';
  const force = io.env.FORCE_COLOR !== undefined && io.env.FORCE_COLOR !== '0';
  return new Chalk({ level: noColor ? 0 : force || io.stdout.isTTY ? 1 : 0 });
}

/** How a bar counts what is done: megabytes of a file, rows of a workbook, named steps. */
const BAR_FORMATS: Record<ProgressUnit, { format: string; scale: number }> = {
  bytes: { format: '    [{bar}] {percentage}% | {value}/{total} MB', scale: 2 ** 20 },
  rows: { format: '    [{bar}] {percentage}% | {value}/{total} 千行', scale: 1000 },
  steps: { format: '    [{bar}] {percentage}% | 第 {value}/{total} 步', scale: 1 },
};

/** A stage shows its bar once it has run this long (a short one only its line). */
const BAR_AFTER_MS = 1000;

/**
 * A line per stage on stderr and, under a stage that has run a second or more, a progress
 * bar (a file read, the plan's steps, a workbook's rows), terminals only.
 */
function progressReporter(io: CliIO, c: ChalkInstance): { onProgress?: RunOptions['onProgress']; onStage?: RunOptions['onStage']; stop: () => void } {
  if (!io.stderr.isTTY) return { stop: () => undefined };
  let bar: cliProgress.SingleBar | undefined;
  let current = '';
  let stageStarted = Date.now();
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    onStage: (stage) => {
      stop();
      stageStarted = Date.now();
      io.stderr.write(c.dim(`  … ${stage}\n`));
    },
    onProgress: (label, done, total, unit = 'bytes') => {
      if (!bar && Date.now() - stageStarted < BAR_AFTER_MS) return;
      const { format, scale } = BAR_FORMATS[unit];
      if (label !== current || !bar) {
        stop();
        current = label;
        bar = new cliProgress.SingleBar(
          { stream: io.stderr as NodeJS.WritableStream, format: `${format} | ${label}`, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(Math.max(1, Math.ceil(total / scale)), 0);
      }
      bar.update(Math.floor(done / scale));
    },
    stop,
  };
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const c = chalkFor(io);
  const out = (s: string) => io.stdout.write(s);
  const err = (s: string) => io.stderr.write(s);
  const program = new Command();
  program
    .name('assess')
    .description('医保定点医药机构年度考核与质量保证金清算')
    .version(TOOL_VERSION, '-V, --version', '显示版本号')
    .helpOption('-h, --help', '显示帮助')
    .helpCommand('help [command]', '显示某个命令的帮助')
    .option('-w, --workspace <dir>', '工作目录：含 policy.yaml 和 inputs/ 的文件夹（默认当前目录）', '.')
    .exitOverride()
    .configureHelp(CHINESE_HELP)
    .configureOutput({ writeOut: out, writeErr: err, outputError: (s, write) => write(c.red(chineseError(s))) })
    .showHelpAfterError('（使用 assess --help 查看用法，assess <命令> --help 查看某个命令）');

  const workspace = () => {
    const dir = resolve(program.opts<{ workspace: string }>().workspace);
    if (!existsSync(dir)) {
      err(c.red(`✖ 工作目录 ${dir} 不存在：请检查 -w 参数，或用 assess init 创建\n`));
      throw new ExitWith(EXIT.invalid);
    }
    return dir;
  };

  /** Fault injection for the kill tests: at each step of publishing results, the step's name on stderr and a pause. */
  const pauseMs = Number(io.env.ASSESS_TEST_PUBLISH_PAUSE_MS ?? 0);
  const publish =
    pauseMs > 0
      ? {
          pause: (step: string) => {
            io.stderr.write(`publish:${step}\n`);
            return new Promise<void>((r) => setTimeout(r, pauseMs));
          },
        }
      : undefined;

  const busy = (e: WorkspaceBusy): never => {
    const h = e.holder;
    err(c.red(`✖ 另一个 assess 进程（PID ${h.pid}，${h.command}，开始于 ${h.started}）正在处理这个工作目录：请等它结束后再运行。未做任何修改。\n`));
    throw new ExitWith(EXIT.invalid);
  };

  /**
   * Commands that only read (validate, explain) first repair the results an interrupted run
   * may have left, when no run holds the workspace; a run in progress keeps the previous
   * results readable, so they read on.
   */
  const repairResults = async (dir: string) => {
    try {
      const lock = await lockWorkspace(dir, 'recover');
      try {
        await recoverResults(dir);
      } finally {
        await lock.release();
      }
    } catch (e) {
      if (!(e instanceof WorkspaceBusy)) throw e;
    }
  };

  const loadOrReport = async (year: number, dates: { asOf?: string; notifiedOn?: string }, progress: ReturnType<typeof progressReporter>) => {
    const { asOf, notifiedOn } = dates;
    if (asOf !== undefined && asOf < `${year}-12-31`) {
      err(c.red(`--as-of ${asOf} 早于 ${year} 年度结束：考核工作结束日期应不早于 ${year}-12-31\n`));
      throw new ExitWith(EXIT.usage);
    }
    if (notifiedOn !== undefined && notifiedOn < (asOf ?? `${year}-12-31`)) {
      err(c.red(`--notified-on ${notifiedOn} 早于考核工作结束日期 ${asOf ?? `${year}-12-31`}：考核结果通报应在考核工作结束之后\n`));
      throw new ExitWith(EXIT.usage);
    }
    const opts: RunOptions = { workspace: workspace(), year, asOf, notifiedOn, onProgress: progress.onProgress, onStage: progress.onStage, publish };
    const loaded = await loadYear(opts);
    progress.stop();
    if (!loaded.ok) {
      err(problemListing(loaded.problems, loaded.total, c));
      throw new ExitWith(EXIT.invalid);
    }
    return { opts, loaded };
  };

  program
    .command('year')
    .description('运行某一年度的年终考核与清算，结果写入 results/<年度>/')
    .argument('<year>', '考核年度，如 2024', parseYear)
    .option('--as-of <date>', AS_OF_HELP, parseAsOf)
    .option('--notified-on <date>', NOTIFIED_ON_HELP, parseAsOf)
    .option('--issued-on <date>', ISSUED_ON_HELP, parseAsOf)
    .action(async (year: number, options: { asOf?: string; notifiedOn?: string; issuedOn?: string }) => {
      if (options.issuedOn !== undefined && options.issuedOn < (options.asOf ?? `${year}-12-31`)) {
        err(c.red(`--issued-on ${options.issuedOn} 早于考核工作结束日期 ${options.asOf ?? `${year}-12-31`}：公示应在考核工作结束之后\n`));
        throw new ExitWith(EXIT.usage);
      }
      const dir = workspace();
      const lock = await lockWorkspace(dir, `assess year ${year}`).catch((e: unknown) => (e instanceof WorkspaceBusy ? busy(e) : Promise.reject(e)));
      // The bar of the run's last stage is stopped too: a bar left running keeps redrawing,
      // and the command would print its summary and never return.
      const progress = progressReporter(io, c);
      try {
        await recoverResults(dir);
        const { opts, loaded } = await loadOrReport(year, options, progress);
        const done = await runYear({ ...opts, ...(options.issuedOn ? { issuedOn: options.issuedOn } : {}), ...(io.onWriting ? { onWriting: io.onWriting } : {}) }, loaded);
        progress.stop();
        out(runSummary(done, c));
      } finally {
        progress.stop();
        await lock.release();
      }
    });

  program
    .command('validate')
    .description('只检查输入和政策文件，列出全部问题，不写任何文件')
    .command('year')
    .description('检查某一年度的全部输入和政策文件（assess validate year 2024）')
    .argument('<year>', '考核年度，如 2024', parseYear)
    .option('--as-of <date>', AS_OF_HELP, parseAsOf)
    .option('--notified-on <date>', NOTIFIED_ON_HELP, parseAsOf)
    .action(async (year: number, options: { asOf?: string; notifiedOn?: string }) => {
      await repairResults(workspace());
      const { loaded } = await loadOrReport(year, options, progressReporter(io, c));
      const rows = loaded.inputs.sources.map((s) => `    ${s.name}：${s.file}${s.sheet ? `（${s.sheet}）` : ''}，${s.rows} 行${s.encoding ? `，${encodingName(s.encoding)} 编码` : ''}`);
      out(`${c.green('✔ 检查通过')}：${loaded.policy.policy.region} ${year} 年度输入无误\n${rows.join('\n')}\n`);
      if (loaded.warnings.length > 0) out(warningListing(loaded.warnings, c));
    });

  program
    .command('explain')
    .description('说明某个机构的得分、排名、等级、质量保证金和名单是怎样得出的：逐步列出所用的输入行和政策依据')
    .command('year')
    .description('说明某一年度某个机构（或人员）的结果（assess explain year 2024 H12010100001）')
    .argument('<year>', '考核年度，如 2024', parseYear)
    .argument('<code>', '机构编码，如 H12010100001；启用人员记分的地区也可以是人员编码')
    .option('--json', '以 JSON 输出（供其他程序读取）')
    .action(async (year: number, code: string, options: { json?: boolean }) => {
      const progress = progressReporter(io, c);
      await repairResults(workspace());
      const result = await explainYear({ workspace: workspace(), year, onProgress: progress.onProgress, onStage: progress.onStage }, code);
      progress.stop();
      if (!result.ok) {
        err(problemListing(result.problems, result.total, c, '未能给出说明。'));
        throw new ExitWith(EXIT.invalid);
      }
      out(options.json ? explainJson(result.value) : explainText(result.value));
    });

  program
    .command('compare')
    .description('政策比较：同一年度、同一批输入按另一个政策文件计算，列出得分、等级、结算等级、名单和金额有变化的机构，不改动年度结果')
    .command('year')
    .description('比较某一年度在现行 policy.yaml 与备选政策文件下的结果（assess compare year 2024 --policy 新方案.yaml）')
    .argument('<year>', '考核年度，如 2024', parseYear)
    .requiredOption('--policy <file>', '备选政策文件（如 新方案.yaml）')
    .option('--name <name>', '比较的名称，结果写入 results/<年度>/比较-<名称>/（默认为备选政策文件名）')
    .option('--as-of <date>', AS_OF_HELP, parseAsOf)
    .option('--notified-on <date>', NOTIFIED_ON_HELP, parseAsOf)
    .action(async (year: number, options: { policy: string; name?: string; asOf?: string; notifiedOn?: string }) => {
      const dir = workspace();
      // As given from the current folder, or else inside the workspace.
      const policyFile = [resolve(options.policy), resolve(dir, options.policy)].find((p) => existsSync(p));
      if (!policyFile) {
        err(c.red(`✖ 找不到备选政策文件 ${options.policy}（在当前目录和工作目录中都没有）\n`));
        throw new ExitWith(EXIT.invalid);
      }
      const lock = await lockWorkspace(dir, `assess compare year ${year}`).catch((e: unknown) => (e instanceof WorkspaceBusy ? busy(e) : Promise.reject(e)));
      const progress = progressReporter(io, c);
      try {
        await recoverResults(dir);
        const result = await compareYear({ workspace: dir, year, policyFile, ...(options.name ? { name: options.name } : {}), asOf: options.asOf, notifiedOn: options.notifiedOn, onProgress: progress.onProgress, onStage: progress.onStage, publish });
        progress.stop();
        if (!result.ok) {
          err(problemListing(result.problems, result.total, c));
          throw new ExitWith(EXIT.invalid);
        }
        out(compareSummary(result.value, c));
      } finally {
        progress.stop();
        await lock.release();
      }
    });

  program
    .command('settle')
    .description('补充结算：调查结案后，依据更新的立案调查（和违规记录）结算当年暂扣的质量保证金，写入 results/<年度>/补充结算-<序号>/，不改动年度结果')
    .command('year')
    .description('结算某一年度暂扣、现已结案的质量保证金（assess settle year 2024）')
    .argument('<year>', '暂扣保证金的考核年度，如 2024', parseYear)
    .action(async (year: number) => {
      const dir = workspace();
      const lock = await lockWorkspace(dir, `assess settle year ${year}`).catch((e: unknown) => (e instanceof WorkspaceBusy ? busy(e) : Promise.reject(e)));
      const progress = progressReporter(io, c);
      try {
        await recoverResults(dir);
        const result = await settleYear({ workspace: dir, year, onProgress: progress.onProgress, onStage: progress.onStage, publish });
        progress.stop();
        if (!result.ok) {
          err(problemListing(result.problems, result.total, c));
          throw new ExitWith(EXIT.invalid);
        }
        out(settleSummary(result.value, c));
      } finally {
        progress.stop();
        await lock.release();
      }
    });

  program
    .command('init')
    .description('从政策模板创建工作目录（policy.yaml 和空白输入模板）')
    .argument('[dir]', '工作目录', '.')
    .option('-p, --profile <profile>', `政策模板（必填）：${listProfiles().join('、')}`)
    .option('-y, --year <year>', '输入模板放在哪个年度目录（默认上一年）', parseYear)
    .action(async (dir: string, options: { profile?: string; year?: number }) => {
      if (options.profile === undefined) {
        err(c.red(`请用 --profile 指定本地区的政策模板，可用：${listProfiles().join('、')}（assess profiles 列出各模板的地区和名称）\n`));
        throw new ExitWith(EXIT.usage);
      }
      const profile = options.profile;
      if (!listProfiles().includes(profile)) {
        err(c.red(`没有名为「${profile}」的政策模板。可用：${listProfiles().join('、')}\n`));
        throw new ExitWith(EXIT.usage);
      }
      const target = resolve(dir);
      if (existsSync(join(target, 'policy.yaml'))) {
        err(c.red(`${join(dir, 'policy.yaml')} 已存在，未做任何修改\n`));
        throw new ExitWith(EXIT.invalid);
      }
      const year = options.year ?? new Date().getFullYear() - 1;
      const policyText = await readFile(profilePath(profile), 'utf8');
      const parsed = parsePolicy(policyText, profilePath(profile));
      if (!parsed.ok) throw new Error(`shipped profile ${profile} is invalid`);
      const inputDir = join(target, 'inputs', String(year));
      await mkdir(inputDir, { recursive: true });
      await copyFile(profilePath(profile), join(target, 'policy.yaml'));
      const templates = await inputTemplates(parsed.value.policy, year);
      const kept: string[] = [];
      for (const t of templates) {
        const path = join(inputDir, t.name);
        if (existsSync(path)) kept.push(t.name); // an officer's file is never replaced by an empty template
        else await writeFile(path, t.content);
      }
      out(
        `${c.green('✔ 已创建工作目录')} ${dir}\n    policy.yaml（${parsed.value.policy.title}）\n` +
          templates.map((t) => `    inputs/${year}/${t.name}${kept.includes(t.name) ? '（已存在，未覆盖）' : ''}`).join('\n') +
          `\n  填好输入后运行：assess validate year ${year} -w ${dir}，再运行 assess year ${year} -w ${dir}\n`,
      );
    });

  program
    .command('profiles')
    .description('列出内置的政策模板')
    .action(async () => {
      for (const name of listProfiles()) {
        const parsed = parsePolicy(await readFile(profilePath(name), 'utf8'), name);
        out(`  ${c.bold(name.padEnd(10))} ${parsed.ok ? `${parsed.value.policy.region}　${parsed.value.policy.title}` : c.red('（模板无效）')}\n`);
      }
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof ExitWith) return e.code;
    if (e instanceof CommanderError) {
      // Help asked for is done; help shown because a command was incomplete (assess validate) is a usage error.
      return ['commander.helpDisplayed', 'commander.version'].includes(e.code) || (e.code === 'commander.help' && e.exitCode === 0) ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof CalendarGap) {
      err(c.red(`✖ ${e.year} 年的国务院办公厅节假日安排不在内置日历中，无法计算以工作日计的期限：请在工作目录的 calendar.yaml 中补充 ${e.year} 年的放假日和调休上班日（格式见 README）。未写入任何结果\n`));
      return EXIT.invalid;
    }
    if (e instanceof PoolInfeasible) {
      err(c.red(`✖ ${poolRefusal(e)}，结果未写入\n`));
      return EXIT.invalid;
    }
    if (e instanceof ReconciliationError) {
      err(c.red(`✖ 质量保证金不平衡：拨付 + 扣除 + 暂扣 − 预留 = ${yuan(e.differenceFen)} 元，结果未写入\n`));
      return EXIT.internal;
    }
    err(c.red(`✖ 内部错误，结果未写入：${(e as Error).message}\n`));
    if (io.env.ASSESS_DEBUG) err(`${(e as Error).stack ?? ''}\n`);
    return EXIT.internal;
  }
}
