// `assess compare year Y --policy ALT.yaml` (SPEC §2), the shell: the year read and planned
// under the workspace's policy and under the alternative, compared (src/plan/compare-plans.ts),
// the changed institutions' derivations recorded to find the first step that differs, and
// results/Y/比较-NAME/ written atomically — the year's own results are never touched.
import { createHash } from 'node:crypto';
import { basename, extname, join } from 'node:path';
import type { Problem } from '../problems.js';
import { planYear } from '../plan/assemble-year-plan.js';
import { comparePlans, firstDifference, type Comparison } from '../plan/compare-plans.js';
import { StepRecorder } from '../plan/derivation.js';
import type { YearPlan } from '../plan/year-plan.js';
import { policyDifferences } from '../policy/differences.js';
import { writeFolderAtomically } from '../io/atomic.js';
import { comparisonCsv, comparisonWorkbook, type ChangeReason, type ComparedPolicies } from '../report/comparison.js';
import { loadYear, TOOL_VERSION, type Loaded, type RunOptions } from './year.js';

export interface CompareOptions extends Pick<RunOptions, 'workspace' | 'year' | 'asOf' | 'notifiedOn' | 'onProgress' | 'onStage' | 'publish'> {
  /** The alternative policy file. */
  policyFile: string;
  /** The comparison's name (比较-NAME); the alternative's file name when not given. */
  name?: string;
}

export interface CompareDone {
  before: YearPlan;
  after: YearPlan;
  comparison: Comparison;
  policies: ComparedPolicies;
  outDir: string;
  files: string[];
}

export type CompareResult = { ok: true; value: CompareDone } | { ok: false; problems: Problem[]; total: number };

const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');

/** A comparison's name as a folder name: the alternative's file name, without characters a folder cannot hold. */
export function comparisonName(policyFile: string, name?: string): string {
  const raw = name ?? basename(policyFile, extname(policyFile));
  return raw.replace(/[\\/:*?"<>|\s]+/g, '_').replace(/^[._]+/, '') || '备选';
}

type LoadedOk = Extract<Loaded, { ok: true }>;

/** The plan of the year recording the derivations of `codes` only. */
function traced(loaded: LoadedOk, codes: ReadonlySet<string>): { plan: YearPlan; recorder: StepRecorder } {
  const recorder = new StepRecorder(codes);
  const plan = planYear(loaded.inputs, loaded.policy.policy, loaded.prior, { trace: recorder, policySha256: loaded.policy.sha256, calendar: loaded.calendar });
  return { plan, recorder };
}

export async function compareYear(opts: CompareOptions): Promise<CompareResult> {
  const { policyFile, name: _name, ...run } = opts;
  opts.onStage?.('按现行政策读取输入');
  const current = await loadYear(run);
  if (!current.ok) return current;
  opts.onStage?.(`按备选政策 ${policyFile} 读取输入`);
  const alternative = await loadYear({ ...run, policyFile });
  if (!alternative.ok) return alternative;

  opts.onStage?.('计算并比较');
  const plan = (l: LoadedOk) => planYear(l.inputs, l.policy.policy, l.prior, { policySha256: l.policy.sha256, calendar: l.calendar });
  const comparison = comparePlans(plan(current), plan(alternative));
  // Why each changed institution changed: its two derivations, side by side, to the first step that differs.
  const codes = new Set(comparison.changed.map((r) => r.code));
  const a = traced(current, codes);
  const b = traced(alternative, codes);
  // In the order the figures were computed, so that a cause comes before what it brought (a tier before the 降级 list).
  const reasons = new Map<string, ChangeReason | null>([...codes].map((code) => [code, firstDifference(a.recorder.computedOf(code), b.recorder.computedOf(code))]));

  const name = comparisonName(policyFile, opts.name);
  const policies: ComparedPolicies = {
    name,
    current: { file: current.policyFile, title: current.policy.policy.title },
    alternative: { file: alternative.policyFile, title: alternative.policy.policy.title },
    differences: policyDifferences(current.policy.policy, alternative.policy.policy),
  };
  const decimals = a.plan.policy.scoring.decimals;
  const outputs = [await comparisonWorkbook(a.plan, comparison, reasons, policies), comparisonCsv(comparison, reasons, decimals)];
  // No clock in it: a rerun on the same inputs and policies gives the same bytes.
  const manifest = {
    tool: 'assess',
    tool_version: TOOL_VERSION,
    command: 'compare',
    year: opts.year,
    as_of: a.plan.asOf,
    current: { file: current.policyFile, sha256: current.policy.sha256 },
    alternative: { file: alternative.policyFile, sha256: alternative.policy.sha256 },
    inputs: current.inputs.sources.map((s) => ({ name: s.name, file: s.file, ...(s.sheet ? { sheet: s.sheet } : {}), rows: s.rows })),
    institutions: comparison.institutions,
    changed: comparison.changed.length,
    outputs: outputs.map((o) => ({ name: o.name, sha256: sha256(o.content) })),
  };
  const files = [...outputs, { name: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` }];
  const outDir = join(opts.workspace, 'results', String(opts.year), `比较-${name}`);
  opts.onStage?.(`写入 results/${opts.year}/比较-${name}/`);
  await writeFolderAtomically(outDir, files, undefined, opts.publish);
  return { ok: true, value: { before: a.plan, after: b.plan, comparison, policies, outDir, files: files.map((f) => f.name) } };
}
