// Step 4 of the plan: run the modules the policy switches on, at their stage (SPEC §5.5).
// Modules of stage beforeScore (personnel) run first and hand their score deductions to
// the scoring step; modules of stage afterScore see every institution scored, ranked and
// settled. Each module's run is pure; this step only dispatches and collects.
import { MODULES, type ModuleResults } from '../modules/index.js';
import type { AfterScoreContext, ModuleContext, ModuleRun, PlanModule } from '../modules/types.js';
import type { ScoreDeduction } from './types.js';

type Stage = PlanModule<unknown>['stage'];

/** The modules switched on by the policy at a stage, in registry order. */
export function modulesAt(stage: Stage, policy: ModuleContext['policy']): readonly PlanModule<unknown>[] {
  return (MODULES as readonly PlanModule<unknown>[]).filter((m) => m.stage === stage && m.enabled(policy));
}

export function runModules(stage: 'beforeScore', ctx: ModuleContext): ModuleResults;
export function runModules(stage: 'afterScore', ctx: AfterScoreContext): ModuleResults;
export function runModules(stage: Stage, ctx: ModuleContext | AfterScoreContext): ModuleResults {
  const results: Record<string, ModuleRun<unknown>> = {};
  for (const m of modulesAt(stage, ctx.policy)) {
    if (m.stage === 'beforeScore') results[m.id] = m.run(ctx);
    else if ('institutions' in ctx) results[m.id] = m.run({ ...ctx, earlier: { ...results } });
  }
  // Each module's run returned its own outcome type under its own id: the registry's pairing
  // of id and outcome type (ModuleResults) holds by construction.
  return results as ModuleResults;
}

/** The score deductions modules impose, gathered per institution code in module order. */
export function moduleDeductions(results: ModuleResults): Map<string, ScoreDeduction[]> {
  const out = new Map<string, ScoreDeduction[]>();
  for (const run of Object.values(results)) {
    for (const [code, ds] of run?.deductions ?? []) out.set(code, [...(out.get(code) ?? []), ...ds]);
  }
  return out;
}
