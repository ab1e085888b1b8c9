// One year's run as a staged pipeline (SPEC §5): load → validate → plan → write.
// The shell around the pure plan: reads files, hashes inputs, writes results atomically.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { YearInputs } from '../domain.js';
import type { Problem } from '../problems.js';
import { loadPolicyFile, type LoadedPolicy } from '../policy/load.js';
import { ProblemLog, loadYearInputs } from '../io/inputs.js';
import { INPUT_SPECS } from '../io/input-spec.js';
import { ScoreTable } from '../io/score-table.js';
import { sha256Files } from '../io/file-hash.js';
import { loadCalendar } from '../io/calendar.js';
import type { WorkCalendar } from '../rules/calendar.js';
import type { Policy } from '../policy/schema.js';
import { modulesAt } from '../plan/run-modules.js';
import { forgetWorkbooks } from '../io/table.js';
import { writeFolderAtomically, type FileToWrite, type PublishOptions } from '../io/atomic.js';
import { planYear } from '../plan/assemble-year-plan.js';
import type { YearPlan } from '../plan/year-plan.js';
import { stateSchema, type PriorYear } from '../plan/state.js';
import { validateYear } from './validate.js';
import { checkWrittenIdentity, checkWrittenIdentityOnThread } from './written-identity.js';
import { heldKey, settledOnRecord } from './settled.js';
import { institutionsCsvFile, stateJson } from '../report/machine.js';
import { INSTITUTIONS_CSV } from '../report/output.js';
import { manifestJson } from '../report/manifest.js';
import { resultsBook, resultsWorkbookName } from '../report/results-workbook.js';
import { depositBook, depositWorkbookName } from '../report/deposit-workbook.js';
import type { PrintBook } from '../report/workbook-style.js';
import { noticeListFileNames, noticeLists, publishedLists } from '../report/notice-lists.js';
import { noticeHtml, noticeHtmlName, type NoticeOptions } from '../report/notice-html.js';
import { moduleFiles } from '../report/module-report.js';
import { Redactions, type Redaction } from '../report/redact.js';
import { HeldProgress, type OnProgress } from '../progress.js';

export interface RunOptions {
  workspace: string;
  year: number;
  /** The day the assessment work ends (policy `statuses.pending`); the year's last day when not given. */
  asOf?: string;
  /** The day the agency received the department's 通报 of the scores; the as-of date when not given. */
  notifiedOn?: string;
  onProgress?: OnProgress;
  onStage?: (stage: string) => void; // a line for the officer while a long step runs
  clock?: () => Date; // only the manifest's times read it
  /** How results are published (fault injection in tests). */
  publish?: PublishOptions;
  /** The date of issue of the public notice; blank in the notice when not given. */
  issuedOn?: string;
  /** A policy file other than the workspace's policy.yaml (compare's alternative). */
  policyFile?: string;
  /**
   * Told once the plan and 考核结果's tables are made, before the outputs are written: from
   * there on little that is made is kept (a command lowers its heap's growth then, heap.ts).
   */
  onWriting?: () => void;
}

export type Loaded =
  | { ok: true; policy: LoadedPolicy; policyFile: string; inputs: YearInputs; prior: PriorYear; calendar: WorkCalendar; warnings: Problem[] }
  | { ok: false; problems: Problem[]; total: number };

/** What results/Y holds besides the year's own outputs and keeps across its runs: comparisons and supplementary settlements (with their generations). */
export const isKeptWithTheYear = (entry: string): boolean => /^\.?(比较-|补充结算-)/.test(entry);

/** The copy of the year's policy in results/Y. */
export const POLICY_COPY = 'policy.yaml';

/** The notice template's file name, in templates/notice/ or a workspace's templates/. */
export const NOTICE_TEMPLATE = '公示公告.html';

export const TOOL_VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

/** Last year's results: results/Y-1/state.json, or else the roster's 上年度考核得分 (first year). */
export async function loadPrior(workspace: string, year: number, policy: Policy, log: ProblemLog): Promise<PriorYear> {
  const file = join('results', String(year - 1), 'state.json');
  const path = join(workspace, file);
  if (!existsSync(path)) return { source: 'roster' };
  try {
    const text = await readFile(path, 'utf8');
    const parsed = stateSchema.safeParse(JSON.parse(text));
    if (parsed.success) {
      // Each module that is on checks its own slice of the state.
      for (const m of [...modulesAt('beforeScore', policy), ...modulesAt('afterScore', policy)]) {
        const slice = parsed.data.modules?.[m.id];
        if (!m.priorState || slice === undefined) continue;
        const checked = m.priorState.safeParse(slice);
        if (!checked.success) log.add({ file, column: `modules.${m.id}.${checked.error.issues[0]?.path.join('.') ?? ''}`, message: `上年度结果文件中 ${m.id} 的记录格式不正确：${checked.error.issues[0]?.message ?? ''}` });
      }
      // Deposits a supplementary settlement has settled since are no longer carried.
      const settled = new Set((await settledOnRecord(workspace)).map(heldKey));
      const state = { ...parsed.data, held_deposits: parsed.data.held_deposits.filter((h) => !settled.has(heldKey({ code: h.code, year: h.year, opened_on: h.investigation?.opened_on ?? null }))) };
      return { source: 'state', file, sha256: sha256(text), state };
    }
    log.add({ file, message: `上年度结果文件格式不正确：${parsed.error.issues[0]?.message ?? ''}（${parsed.error.issues[0]?.path.join('.') ?? ''}）` });
  } catch (e) {
    log.add({ file, message: `无法读取上年度结果：${(e as Error).message}` });
  }
  return { source: 'none', file };
}

/** Stages load and validate: everything is read and checked, nothing computed or written. */
export async function loadYear(opts: RunOptions): Promise<Loaded> {
  forgetWorkbooks();
  const log = new ProblemLog();
  // The workspace's policy.yaml, or another one (compare's alternative), named as the officer gave it.
  const policyPath = opts.policyFile ? resolve(opts.policyFile) : join(opts.workspace, 'policy.yaml');
  const shownPolicy = relative(opts.workspace, policyPath);
  const policyFile = shownPolicy && !shownPolicy.startsWith('..') ? shownPolicy : policyPath;
  const policyResult = await loadPolicyFile(policyPath);
  if (!policyResult.ok) {
    log.addAll(policyResult.problems.map((p) => ({ ...p, file: policyFile })));
    return { ok: false, problems: log.items, total: log.total };
  }
  const { policy } = policyResult.value;
  const asOf = opts.asOf ?? `${opts.year}-12-31`;
  const warnings: Problem[] = [];
  const unused = new Set(INPUT_SPECS.filter((s) => s.usedWhen && !s.usedWhen(policy)).map((s) => s.kind));
  const onUnused = (file: string, name: string) => warnings.push({ file, message: `本地政策文件未启用「${name}」的规则，这个文件没有读取` });
  const inputs = await loadYearInputs(
    { workspace: opts.workspace, year: opts.year, asOf, notifiedOn: opts.notifiedOn ?? asOf, indicatorCodes: new Set(policy.indicators.map((i) => i.code)), onProgress: opts.onProgress, onStage: opts.onStage, unused, onUnused },
    log,
  );
  opts.onStage?.('读取上年度结果与工作日历');
  const prior = await loadPrior(opts.workspace, opts.year, policy, log);
  const calendar = await loadCalendar(opts.workspace);
  if (!calendar.ok) log.addAll(calendar.problems);
  // Cross-file checks run on what did parse, so every problem of every file shows in one
  // run; without a roster they would only repeat "not in the roster" for every row.
  if (inputs.sources.some((s) => s.kind === 'institutions')) {
    opts.onStage?.('核对各输入之间的关系');
    const validation = validateYear(inputs, policy);
    log.addAll(validation.problems);
    for (const k of validation.knockOn) log.addConsequences(k.file, k.sheet, k.count);
    for (const w of validation.warnings) warnings.push(w); // one per institution may be hundreds of thousands: no spread
    for (const m of [...modulesAt('beforeScore', policy), ...modulesAt('afterScore', policy)]) {
      log.addAll(m.validate?.(inputs, policy, prior) ?? []);
      for (const w of m.warn?.(inputs, policy) ?? []) warnings.push(w);
    }
  }
  forgetWorkbooks();
  if (log.total > 0 || !calendar.ok) return { ok: false, problems: log.items, total: log.total };
  return { ok: true, policy: policyResult.value, policyFile, inputs, prior, calendar: calendar.calendar, warnings };
}

/** The notice's template: the workspace's own templates/公示公告.html, or the one shipped. */
async function noticeTemplate(workspace: string): Promise<{ file: string; text: string }> {
  const own = join(workspace, 'templates', NOTICE_TEMPLATE);
  const file = existsSync(own) ? own : fileURLToPath(new URL(`../../templates/notice/${NOTICE_TEMPLATE}`, import.meta.url));
  return { file, text: await readFile(file, 'utf8') };
}

/**
 * Files made when the first of them is written: their names are known now, their rows are
 * made once the folder is being written — while 考核结果's thread makes that workbook's rows.
 */
function madeWhenWritten(names: readonly string[], make: () => readonly FileToWrite[]): FileToWrite[] {
  let made: readonly FileToWrite[] | null = null;
  let unwritten = names.length;
  return names.map((name) => ({
    name,
    write: async (path) => {
      made ??= make();
      const file = made.find((f) => f.name === name);
      if (!file) throw new Error(`internal: ${name} was announced but not made (made: ${made.map((f) => f.name).join(', ')})`);
      const written = 'content' in file ? await writeFile(path, file.content) : await file.write(path);
      // Once the last of them is written, what they were made from (a row per institution) is let go.
      if (--unwritten === 0) made = null;
      return written;
    },
  }));
}

/**
 * Every output of the year, in the manifest's order. The large ones — the two workbooks (measured
 * here), the notice, institutions.csv and state.json — are written later, straight into the
 * folder being published (`write`): at national scale they are hundreds of megabytes, never
 * held whole. 考核结果's sheets are made here; the other workbooks' and the lists' rows when
 * the folder is written, after 考核结果 is handed to its thread.
 */
export async function renderOutputs(
  plan: YearPlan,
  notice: NoticeOptions,
  onStage: (stage: string) => void = () => undefined,
  redactions: Redactions = new Redactions(),
  onProgress?: OnProgress,
): Promise<FileToWrite[]> {
  const others = `写入 results/${plan.year}/ 其余文件`;
  const written = (name: string, makeBook: () => PrintBook): FileToWrite => ({
    name,
    write: async (path) => {
      const book = makeBook();
      onStage(`写入 ${name}`);
      // Once rows are handed to the thread that deflates the workbook (a large 指标明细), the
      // next files are written here while the thread makes them. The workbook's progress
      // is held meanwhile (one stage on the bar at a time), and shown again if the folder
      // has to wait for it.
      let showing = true;
      const held = new HeldProgress(onProgress && ((done, total) => onProgress(name, done, total, 'rows')));
      let handOff = () => undefined as void;
      const handedOff = new Promise<'handed'>((resolve) => (handOff = () => resolve('handed')));
      book.onRowsOnThread = () => {
        showing = false;
        handOff();
      };
      const whole = book.writeFile(path, name, onProgress && ((label, done, total, unit) => (showing ? onProgress(label, done, total, unit) : held.report(done, total))));
      let finished = false;
      const rest = whole.then(() => {
        finished = true;
      });
      const first = await Promise.race([rest.then(() => 'whole' as const), handedOff]);
      onStage(others);
      if (first === 'whole') return;
      return {
        rest,
        onWait: () => {
          if (finished) return;
          onStage(`写入 ${name}（其余各表）`);
          showing = true;
          held.release();
        },
      };
    },
  });
  onStage(`生成 考核结果-${plan.year}.xlsx 的各表`);
  // Held here only until written: the book (its tables: a row per institution and line) is
  // then the writing's alone, and let go with it.
  let resultSheets: PrintBook | null = resultsBook(plan, onProgress);
  const results = written(resultsWorkbookName(plan.year), () => {
    const book = resultSheets;
    if (!book) throw new Error(`internal: ${resultsWorkbookName(plan.year)} written twice`);
    resultSheets = null;
    return book;
  });
  const deposit = written(depositWorkbookName(plan.year), () => {
    onStage(`生成 质量保证金-${plan.year}.xlsx 的各表`);
    return depositBook(plan, onProgress);
  });
  const notices = madeWhenWritten([...noticeListFileNames(plan), noticeHtmlName(plan.year)], () => {
    onStage(`生成 公示名单-${plan.year} 和 ${noticeHtmlName(plan.year)}`);
    const published = publishedLists(plan, redactions, onProgress);
    const made = [...noticeLists(plan, published, onProgress), noticeHtml(plan, published, notice)];
    onStage(others);
    return made;
  });
  const own = await moduleFiles(plan, onStage);
  return [results, deposit, ...notices, ...own, institutionsCsvFile(plan, onProgress), stateJson(plan)];
}

export interface RunDone {
  plan: YearPlan;
  outDir: string;
  files: string[];
  /** Published cells where an ID number was masked. */
  redactions: Redaction[];
  /** What the officer must see but that did not stop the run. */
  warnings: Problem[];
}

/** The whole run: plans, renders and writes results/Y atomically. It spends `loaded` (its indicator rows are let go once planned). */
export async function runYear(opts: RunOptions, loaded: Extract<Loaded, { ok: true }>): Promise<RunDone> {
  const clock = opts.clock ?? (() => new Date());
  const startedAt = clock();
  // The inputs are hashed for the manifest on a thread while the year is planned here (this
  // thread keeps its core: the plan is most of the run).
  const inputHashes = sha256Files(
    loaded.inputs.sources.map((s) => s.path),
    Math.max(1, availableParallelism() - 1),
  );
  inputHashes.catch(() => undefined); // awaited below; a plan that fails first must not leave it unhandled
  opts.onStage?.('计算得分与质量保证金');
  const onStep = opts.onProgress && ((done: number, total: number) => opts.onProgress?.('计算得分与质量保证金', done, total, 'steps'));
  // The plan keeps what it needs of the indicator rows (their values and source rows) and of
  // the settlements (each month's withholding); the rows themselves — one per institution and
  // indicator (7.7 million at 1.1 million institutions, some 250 MB of columns), and 12 months
  // of settled and reserved fen and source rows per institution (240 bytes each: 260 MB at
  // 1.1 million) — are let go as soon as the plan has read them, while it goes on: the
  // plan's objects are made meanwhile, and the run's memory peaked as the plan ended, with
  // both still held. `loaded` is spent by the run.
  const onSpent = (input: 'scores' | 'settlements') => {
    if (input === 'scores') loaded.inputs.scores = new ScoreTable();
    else loaded.inputs.settlements = new Map();
  };
  const plan = planYear(loaded.inputs, loaded.policy.policy, loaded.prior, { policySha256: loaded.policy.sha256, calendar: loaded.calendar, onSpent, ...(onStep ? { onStep } : {}) });
  const redactions = new Redactions();
  const template = await noticeTemplate(opts.workspace);
  const outputs = await renderOutputs(plan, { template: template.text, issuedOn: opts.issuedOn ?? null, calendar: loaded.calendar }, opts.onStage, redactions, opts.onProgress);
  opts.onWriting?.();
  const hashes = await inputHashes;
  const inputs = loaded.inputs.sources.map((s, i) => ({ name: s.name, file: s.file, sheet: s.sheet, rows: s.rows, encoding: s.encoding, sha256: hashes[i] ?? '' }));
  // The manifest is written last, from the outputs as they are on disk (some are written straight
  // there), hashed on every core: nothing else is left to do.
  const outputHashes = async (folder: string) => {
    const hashed = await sha256Files(
      outputs.map((o) => join(folder, o.name)),
      availableParallelism(),
    );
    return outputs.map((o, i) => ({ name: o.name, sha256: hashed[i] ?? '' }));
  };
  const manifest: FileToWrite = {
    name: 'manifest.json',
    afterTheRest: true,
    write: async (path) => {
      const folder = dirname(path);
      const file = manifestJson(plan, {
        toolVersion: TOOL_VERSION,
        policyFile: loaded.policyFile,
        policySha256: loaded.policy.sha256,
        inputs,
        outputs: await outputHashes(folder),
        redactions: redactions.found,
        warnings: loaded.warnings,
        notice: { issuedOn: opts.issuedOn ?? null, template: relative(opts.workspace, template.file).startsWith('..') ? `（内置）templates/notice/${NOTICE_TEMPLATE}` : relative(opts.workspace, template.file), sha256: sha256(template.text) },
        startedAt,
        finishedAt: clock(),
      });
      await writeFile(path, file.content);
    },
  };
  const outDir = join(opts.workspace, 'results', String(opts.year));
  // The policy the year was computed under, kept with it (a later settle of its held deposits uses it).
  const files = [...outputs, { name: POLICY_COPY, content: loaded.policy.text }, manifest];
  // institutions.csv is written early (second) and its deposit identity checked on a thread while the
  // rest is written; nothing is published before the check has passed (SPEC §5.4).
  let identity: Promise<void> | null = null;
  const checkedEarly = (f: FileToWrite): FileToWrite => {
    if (f.name !== INSTITUTIONS_CSV || !('write' in f)) return f;
    return {
      name: f.name,
      write: async (path) => {
        await f.write(path);
        const check = checkWrittenIdentityOnThread(dirname(path));
        check.catch(() => undefined); // awaited below; a later file's failure must not leave it unhandled
        identity = check;
      },
    };
  };
  // 考核结果 first: where a thread makes its detail rows, they are made while the other files
  // are made and written here. Then institutions.csv, its identity checked on a thread while
  // the rest is written.
  const first = [resultsWorkbookName(opts.year), INSTITUTIONS_CSV];
  const inWritingOrder = [...first.flatMap((name) => files.filter((f) => f.name === name)), ...files.filter((f) => !first.includes(f.name))].map(checkedEarly);
  opts.onStage?.(`写入 results/${opts.year}/`);
  await writeFolderAtomically(outDir, inWritingOrder, (tmp) => identity ?? checkWrittenIdentity(tmp), { ...opts.publish, keep: isKeptWithTheYear });
  const shown = relative(process.cwd(), outDir);
  return { plan, outDir: shown && !shown.startsWith('..') ? shown : outDir, files: files.map((f) => f.name), redactions: redactions.found, warnings: loaded.warnings };
}
