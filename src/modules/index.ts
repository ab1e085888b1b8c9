// The module registry (SPEC §5.5): every module the plan can run, in the order it runs them
// within a stage. A policy switches a module on; adding a module touches this array, its
// own folder, the policy schema and its report columns (src/report/module-columns.ts).
import type { ModuleRun, PlanModule } from './types.js';
import { consecutiveLow } from './consecutive-low/index.js';

export const MODULES = [consecutiveLow] as const;

export type AnyModule = (typeof MODULES)[number];
export type ModuleId = AnyModule['id'];
export type ModuleListCode = AnyModule['lists'][number]['code'];
export type OutcomeOf<Id extends ModuleId> = Extract<AnyModule, { id: Id }> extends PlanModule<infer O, infer _L> ? O : never;

/** What each module that ran returned, by module id. */
export type ModuleResults = { [Id in ModuleId]?: ModuleRun<OutcomeOf<Id>, ModuleListCode> };
