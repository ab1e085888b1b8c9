// `assess settle year Y` (SPEC §2, §5.4; policy `statuses.pending`), the shell: the deposits held in
// year Y (results/Y/state.json) and not settled yet are settled from the year's inputs as
// they are now — the updated 立案调查 and 违规记录; every other input must be as the year
// read it — under the year's own policy (the copy results/Y/policy.yaml keeps), and the
// supplementary settlement results/Y/补充结算-N/ is written atomically. Its manifest lists
// what it settled: later runs of settle skip them, and a later year no longer carries them
// (src/run/settled.ts). The year's published results are not touched.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Problem } from '../problems.js';
import { planYear } from '../plan/assemble-year-plan.js';
import { NO_TRACE } from '../plan/derivation.js';
import { settleHeld, settlementTotals, type HeldOutcome } from '../plan/settle-held.js';
import { stateSchema } from '../plan/state.js';
import type { YearPlan } from '../plan/year-plan.js';
import { writeFolderAtomically } from '../io/atomic.js';
import { fenToYuanText } from '../io/values.js';
import { settlementCsv, settlementWorkbook } from '../report/settlement.js';
import { heldKey, SETTLEMENT_PREFIX, settledOnRecord, settlementNumbers } from './settled.js';
import { loadYear, POLICY_COPY, TOOL_VERSION, type RunOptions } from './year.js';

export type SettleOptions = Pick<RunOptions, 'workspace' | 'year' | 'onProgress' | 'onStage' | 'publish'>;

export interface SettleDone {
  year: number;
  plan: YearPlan;
  outcomes: HeldOutcome[];
  /** The settlement written (补充结算-N), or null when nothing could be settled yet. */
  number: number | null;
  outDir: string | null;
  files: string[];
}

export type SettleResult = { ok: true; value: SettleDone } | { ok: false; problems: Problem[]; total: number };

const fail = (problems: Problem[]): SettleResult => ({ ok: false, problems, total: problems.length });
const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

/** What settle reads of the year's manifest: the dates, the policy, the inputs and their hashes. */
const manifestView = z.object({
  as_of: z.string().optional(),
  notified_on: z.string().optional(),
  policy: z.object({ file: z.string().optional(), sha256: z.string().optional() }).optional(),
  inputs: z.array(z.object({ name: z.string(), file: z.string(), sha256: z.string() })).optional(),
});

/** The inputs a case's closing updates; every other one must be as the year read it. */
const UPDATED_BY_A_CLOSING = new Set(['立案调查', '违规记录']);

export async function settleYear(opts: SettleOptions): Promise<SettleResult> {
  const { workspace, year } = opts;
  const dir = join('results', String(year));
  const rerun = `请先运行 assess year ${year}`;
  if (!existsSync(join(workspace, dir, 'manifest.json')) || !existsSync(join(workspace, dir, 'state.json'))) return fail([{ file: dir, message: `没有 ${year} 年度的结果，无从结算暂扣的保证金：${rerun}` }]);
  const manifest = manifestView.safeParse(JSON.parse(await readFile(join(workspace, dir, 'manifest.json'), 'utf8')));
  if (!manifest.success) return fail([{ file: join(dir, 'manifest.json'), message: '格式不正确' }]);
  const state = stateSchema.safeParse(JSON.parse(await readFile(join(workspace, dir, 'state.json'), 'utf8')));
  if (!state.success) return fail([{ file: join(dir, 'state.json'), message: `格式不正确：${state.error.issues[0]?.message ?? ''}` }]);

  // The year's own policy: the copy kept with its results, or else the workspace's if it is still the same.
  const copy = join(workspace, dir, POLICY_COPY);
  const policyFile = existsSync(copy) ? copy : join(workspace, 'policy.yaml');
  const wanted = manifest.data.policy?.sha256;
  if (wanted && existsSync(policyFile) && sha256(await readFile(policyFile)) !== wanted) {
    return fail([{ file: 'policy.yaml', message: `${year} 年度结果中没有保留当年的政策文件，而工作目录的 policy.yaml 已经改过（SHA-256 与 manifest.json 不一致）：请用当年的政策文件结算` }]);
  }
  // Every input but the ones a closing updates must be as the year read it.
  const changed: Problem[] = [];
  for (const input of manifest.data.inputs ?? []) {
    if (UPDATED_BY_A_CLOSING.has(input.name)) continue;
    const path = join(workspace, input.file);
    if (!existsSync(path) || sha256(await readFile(path)) !== input.sha256) {
      changed.push({ file: input.file, message: `${input.name}在 ${year} 年度结果生成之后改过：补充结算只按更新的立案调查和违规记录计算，其他输入须与当年一致。请恢复原文件，或重新运行 assess year ${year}` });
    }
  }
  if (changed.length > 0) return fail(changed);

  opts.onStage?.(`读取 ${year} 年度输入（更新后的立案调查、违规记录）`);
  const loaded = await loadYear({ ...opts, policyFile, asOf: manifest.data.as_of, notifiedOn: manifest.data.notified_on });
  if (!loaded.ok) return loaded;
  const settled = new Set((await settledOnRecord(workspace)).map(heldKey));
  const held = state.data.held_deposits.filter((h) => h.year === year && !settled.has(heldKey({ code: h.code, year: h.year, opened_on: h.investigation?.opened_on ?? null })));

  opts.onStage?.('结算暂扣的质量保证金');
  const policy = loaded.policy.policy;
  const plan = planYear(loaded.inputs, policy, loaded.prior, { policySha256: loaded.policy.sha256, calendar: loaded.calendar });
  const outcomes = settleHeld({ year, inputs: loaded.inputs, policy, plan, held, trace: NO_TRACE });
  const done = outcomes.filter((o) => o.kind !== 'open');
  if (done.length === 0) return { ok: true, value: { year, plan, outcomes, number: null, outDir: null, files: [] } };
  const totals = settlementTotals(outcomes);
  if (totals.differenceFen !== 0) throw new Error(`settlement does not reconcile: ${totals.differenceFen} fen`);

  const number = ((await settlementNumbers(workspace, year)).pop() ?? 0) + 1;
  const roster = new Map(loaded.inputs.institutions.map((i) => [i.code, i]));
  const outputs = [await settlementWorkbook(year, number, outcomes, roster, policy), settlementCsv(outcomes, roster, policy)];
  const record = (o: HeldOutcome) => ({
    code: o.held.code,
    year: o.held.year,
    opened_on: o.held.investigation?.opened_on ?? null,
    held: fenToYuanText(o.heldFen),
    payout: fenToYuanText(o.kind === 'paid' ? o.payoutFen : 0),
    forfeited: fenToYuanText(o.kind === 'paid' ? o.forfeitedFen : o.kind === 'forfeited' ? o.heldFen : 0),
  });
  // No clock: the settlement is the same bytes whenever it is made from the same files.
  const sources = await Promise.all(loaded.inputs.sources.map(async (s) => ({ name: s.name, file: s.file, ...(s.sheet ? { sheet: s.sheet } : {}), rows: s.rows, sha256: sha256(await readFile(s.path)) })));
  const settlementManifest = {
    tool: 'assess',
    tool_version: TOOL_VERSION,
    command: 'settle',
    year,
    number,
    policy: { file: loaded.policyFile, sha256: loaded.policy.sha256 },
    inputs: sources,
    settled: done.map(record),
    still_held: outcomes.filter((o) => o.kind === 'open').map(record),
    totals: { held: fenToYuanText(totals.heldFen), payout: fenToYuanText(totals.payoutFen), forfeited: fenToYuanText(totals.forfeitedFen), still_held: fenToYuanText(totals.stillHeldFen) },
    reconciliation: { identity: 'payout + forfeited + still_held = held', difference: fenToYuanText(totals.differenceFen), balanced: totals.differenceFen === 0 },
    outputs: outputs.map((o) => ({ name: o.name, sha256: sha256(o.content) })),
  };
  const files = [...outputs, { name: 'manifest.json', content: `${JSON.stringify(settlementManifest, null, 2)}\n` }];
  const outDir = join(workspace, dir, `${SETTLEMENT_PREFIX}${number}`);
  opts.onStage?.(`写入 ${dir}/${SETTLEMENT_PREFIX}${number}/`);
  await writeFolderAtomically(outDir, files, undefined, opts.publish);
  return { ok: true, value: { year, plan, outcomes, number, outDir, files: files.map((f) => f.name) } };
}
