// The module registry (SPEC §5.5): every module the plan can run, in the order it runs them
// within a stage. A policy switches a module on; adding a module touches this array, its
// own folder, the policy schema and its report columns (src/report/module-columns.ts).
import type { ModuleRun, PlanModule } from './types.js';
import { consecutiveLow } from './consecutive-low/index.js';
import { tiers } from './tiers/index.js';
import { annualLowTerminate } from './annual-low-terminate/index.js';
import { bans } from './bans/index.js';
import { personnel } from './personnel/index.js';
import { bottomElimination } from './bottom-elimination/index.js';
import { staffing } from './staffing/index.js';
import { agreementTerm } from './agreement-term/index.js';

/**
 * In the order they run within a stage: a module reads the results of those before it —
 * tiers offers no promotion to an institution being deregistered, agreementTerm does not
 * renew one terminated or eliminated, bans reads every termination.
 */
export const MODULES = [personnel, consecutiveLow, annualLowTerminate, tiers, bottomElimination, staffing, agreementTerm, bans] as const;

export type AnyModule = (typeof MODULES)[number];
export type ModuleId = AnyModule['id'];
export type ModuleListCode = AnyModule['lists'][number]['code'];
export type OutcomeOf<Id extends ModuleId> = Extract<AnyModule, { id: Id }> extends PlanModule<infer O, infer _L> ? O : never;

/** What each module that ran returned, by module id. */
/** A module's entries may add to a core list too (tiers to 解除协议): checked against the registry when lists are assembled. */
export type ModuleResults = { [Id in ModuleId]?: ModuleRun<OutcomeOf<Id>, string> };
