// `assess explain year Y CODE` (SPEC §5.6), the shell: reads results/Y/manifest.json,
// refuses when the inputs, the policy or last year's state are no longer what the year
// was computed from, recomputes the year recording the derivation of CODE only, and hands
// the plan and the steps to src/report/explain.ts.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Problem } from '../problems.js';
import { planYear } from '../plan/assemble-year-plan.js';
import { StepRecorder, type Step } from '../plan/derivation.js';
import type { InstitutionPlan, YearPlan } from '../plan/year-plan.js';
import { modulesAt } from '../plan/run-modules.js';
import { loadYear, type RunOptions } from './year.js';
import { carriedOf, type PersonOutcome } from '../modules/personnel/index.js';
import type { CarriedPerson } from '../rules/personnel.js';

/** A person of the personnel module: this year's outcome, or only last year's ban or suspension still running. */
export interface ExplainedPerson {
  code: string;
  name: string;
  outcome?: PersonOutcome;
  carried?: CarriedPerson;
}

export type Explanation =
  | {
      kind: 'institution';
      plan: YearPlan;
      institution: InstitutionPlan;
      /** The institution's steps, in the order an appeal walks them. */
      steps: Step[];
    }
  | {
      kind: 'person';
      plan: YearPlan;
      person: ExplainedPerson;
      /** The person's events, status, lists and the deduction charged for them. */
      steps: Step[];
    };

/** The code an explanation is of. */
export const explainedCode = (x: Explanation): string => (x.kind === 'institution' ? x.institution.institution.code : x.person.code);

export type ExplainResult = { ok: true; value: Explanation } | { ok: false; problems: Problem[]; total: number };

/** What explain reads of manifest.json: the as-of date and the hashes of what the year was computed from. */
const manifestView = z.object({
  as_of: z.string().optional(),
  notified_on: z.string().optional(),
  policy: z.object({ file: z.string().optional(), sha256: z.string().optional() }).optional(),
  prior_year: z.object({ file: z.string().nullable().optional(), sha256: z.string().optional() }).optional(),
  inputs: z.array(z.object({ file: z.string(), sha256: z.string() })).optional(),
});
type ManifestView = z.infer<typeof manifestView>;

const fail = (problems: Problem[]): ExplainResult => ({ ok: false, problems, total: problems.length });

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}

/** What changed since the year's results were written, one problem per file. */
async function changedSince(workspace: string, manifest: ManifestView, year: number): Promise<Problem[]> {
  const problems: Problem[] = [];
  const rerun = `请重新运行 assess year ${year} 后再说明`;
  const seen = new Set<string>();
  for (const input of manifest.inputs ?? []) {
    if (seen.has(input.file)) continue; // one workbook holding several inputs is hashed once
    seen.add(input.file);
    const path = join(workspace, input.file);
    if (!existsSync(path)) problems.push({ file: input.file, message: `生成结果时读取的这个输入文件已不存在，无法说明已生成的结果：${rerun}` });
    else if ((await sha256Of(path)) !== input.sha256) problems.push({ file: input.file, message: `这个输入文件在生成结果之后被修改过（SHA-256 与 manifest.json 不一致），无法说明已生成的结果：${rerun}` });
  }
  if (manifest.policy?.sha256) {
    const file = manifest.policy.file ?? 'policy.yaml';
    const path = join(workspace, file);
    if (!existsSync(path) || (await sha256Of(path)) !== manifest.policy.sha256) problems.push({ file, message: `政策文件在生成结果之后被修改过（SHA-256 与 manifest.json 不一致）：${rerun}` });
  }
  const prior = manifest.prior_year;
  if (prior?.file && prior.sha256) {
    const path = join(workspace, prior.file);
    if (!existsSync(path) || (await sha256Of(path)) !== prior.sha256) problems.push({ file: prior.file, message: `上年度结果在本年度结果生成之后被修改过（SHA-256 与 manifest.json 不一致）：${rerun}` });
  }
  return problems;
}

export async function explainYear(opts: Pick<RunOptions, 'workspace' | 'year' | 'onProgress' | 'onStage'>, code: string): Promise<ExplainResult> {
  const { workspace, year } = opts;
  const manifestFile = join('results', String(year), 'manifest.json');
  const manifestPath = join(workspace, manifestFile);
  if (!existsSync(manifestPath)) return fail([{ file: manifestFile, message: `没有 ${year} 年度的结果：请先运行 assess year ${year}` }]);
  let manifest: ManifestView;
  try {
    const parsed = manifestView.safeParse(JSON.parse(await readFile(manifestPath, 'utf8')));
    if (!parsed.success) return fail([{ file: manifestFile, message: `格式不正确（${parsed.error.issues[0]?.path.join('.') ?? ''}）：请重新运行 assess year ${year}` }]);
    manifest = parsed.data;
  } catch (e) {
    return fail([{ file: manifestFile, message: `无法读取：${(e as Error).message}` }]);
  }
  const changed = await changedSince(workspace, manifest, year);
  if (changed.length > 0) return fail(changed);

  const loaded = await loadYear({ ...opts, asOf: manifest.as_of, notifiedOn: manifest.notified_on });
  if (!loaded.ok) return { ok: false, problems: loaded.problems, total: loaded.total };
  const recorded = new Set(loaded.inputs.sources.map((s) => s.file));
  const added = [...recorded].filter((f) => !(manifest.inputs ?? []).some((i) => i.file === f));
  if (added.length > 0) return fail(added.map((file) => ({ file, message: `这个输入文件是在生成结果之后新增的，无法说明已生成的结果：请重新运行 assess year ${year} 后再说明` })));

  const wanted = code.trim().toUpperCase();
  const inRoster = loaded.inputs.institutions.some((i) => i.code === wanted);
  const personnelOn = loaded.policy.policy.personnel?.enabled === true;
  const isPerson = !inRoster && personnelOn && (loaded.inputs.personnel.persons.some((p) => p.code === wanted) || loaded.prior.state?.personnel[wanted] !== undefined);
  if (!inRoster && !isPerson) {
    const roster = loaded.inputs.sources.find((s) => s.kind === 'institutions');
    const persons = loaded.inputs.sources.find((s) => s.kind === 'personnel');
    const where = personnelOn ? `${year} 年度的机构名册、人员记分${persons ? '' : '（本年度未提供）'}和上年度结果中都没有这个编码` : `${year} 年度的机构名册中没有这个机构编码`;
    return fail([{ file: roster?.file ?? '机构名册', value: code, message: where }]);
  }
  const recorder = new StepRecorder(new Set([wanted]));
  const plan = planYear(loaded.inputs, loaded.policy.policy, loaded.prior, { trace: recorder, policySha256: loaded.policy.sha256, calendar: loaded.calendar });
  const moduleFigures = [...modulesAt('beforeScore', plan.policy), ...modulesAt('afterScore', plan.policy)].flatMap((m) => m.figures);
  const steps = recorder.stepsOf(wanted, moduleFigures);
  if (isPerson) {
    const outcome = plan.modules.personnel?.outcomes.get(wanted);
    const carried = carriedOf(plan.prior, wanted);
    const stateName = plan.prior.state?.personnel[wanted];
    const name = outcome?.person.name ?? (typeof stateName === 'object' && stateName !== null && 'name' in stateName ? String(stateName.name) : '');
    return { ok: true, value: { kind: 'person', plan, person: { code: wanted, name, ...(outcome ? { outcome } : {}), ...(carried ? { carried } : {}) }, steps } };
  }
  const institution = plan.institutions.find((r) => r.institution.code === wanted);
  if (!institution) {
    const out = plan.outOfScope.institutions.find((i) => i.code === wanted);
    const roster = loaded.inputs.sources.find((s) => s.kind === 'institutions');
    return fail([{ file: roster?.file ?? '机构名册', value: code, message: `${out ? `${out.name} ` : ''}不在本地考核范围内（政策文件 scope），没有考核得分和质量保证金可说明` }]);
  }
  return { ok: true, value: { kind: 'institution', plan, institution, steps } };
}
