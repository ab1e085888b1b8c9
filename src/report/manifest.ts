// manifest.json (SPEC §6): what went in, what came out, and the reconciliation identity,
// for an auditor. Only started_at / finished_at change between identical reruns.
import { fenToYuanText } from '../io/values.js';
import type { YearPlan } from '../plan/year-plan.js';
import type { OutputFile } from './output.js';
import type { Redaction } from './redact.js';
import type { Problem } from '../problems.js';

export interface ManifestInput {
  name: string;
  file: string;
  sheet?: string;
  rows: number;
  encoding?: string;
  sha256: string;
}

export interface ManifestContext {
  toolVersion: string;
  policyFile: string;
  policySha256: string;
  inputs: ManifestInput[];
  outputs: { name: string; sha256: string }[];
  /** Published cells where an ID number was masked. */
  redactions: Redaction[];
  warnings: Problem[];
  /** The public notice: its date of issue (null: left blank) and the template it was made from. */
  notice: { issuedOn: string | null; template: string; sha256: string };
  startedAt: Date;
  finishedAt: Date;
}

export function manifestJson(plan: YearPlan, ctx: ManifestContext): OutputFile {
  const t = plan.totals;
  const count = (status: string) => plan.institutions.filter((r) => r.assessment.status === status).length;
  const manifest = {
    tool: 'assess',
    tool_version: ctx.toolVersion,
    year: plan.year,
    as_of: plan.asOf,
    notified_on: plan.notifiedOn,
    notice: { issued_on: ctx.notice.issuedOn, template: ctx.notice.template, template_sha256: ctx.notice.sha256 },
    region: plan.policy.region,
    profile: plan.policy.profile,
    policy: { file: ctx.policyFile, sha256: ctx.policySha256 },
    prior_year: { source: plan.prior.source, file: plan.prior.file ?? null, ...(plan.prior.sha256 ? { sha256: plan.prior.sha256 } : {}) },
    inputs: ctx.inputs,
    counts: {
      institutions: plan.institutions.length,
      scored: count('scored'),
      pending: count('pending'),
      unqualified: count('unqualified'),
      lists: Object.fromEntries(plan.published.map((code) => [code, plan.lists.get(code)?.length ?? 0])),
    },
    totals: {
      withheld: fenToYuanText(t.withheldFen),
      payout: fenToYuanText(t.payoutFen),
      forfeited: fenToYuanText(t.forfeitedFen),
      held: fenToYuanText(t.heldFen),
    },
    reconciliation: {
      identity: 'payout + forfeited + held = withheld',
      difference: fenToYuanText(t.differenceFen),
      balanced: t.differenceFen === 0,
    },
    carried_held_deposits: plan.carriedHeld.length,
    ...(plan.pool ? { pool: { pool: fenToYuanText(plan.pool.poolFen), members: plan.pool.members, redistributed: fenToYuanText(plan.pool.redistributedFen), identity: 'Σ payout = pool', balanced: plan.totals.payoutFen === plan.pool.poolFen } } : {}),
    out_of_scope: { institutions: plan.outOfScope.institutions.map((i) => ({ code: i.code, name: i.name, kind: i.kind })), rows_left_out: plan.outOfScope.rowsLeftOut },
    outputs: ctx.outputs,
    redacted_id_numbers: ctx.redactions,
    warnings: ctx.warnings.map((w) => ({ file: w.file, ...(w.sheet ? { sheet: w.sheet } : {}), ...(w.row !== undefined ? { row: w.row } : {}), ...(w.column ? { column: w.column } : {}), message: w.message })),
    started_at: ctx.startedAt.toISOString(),
    finished_at: ctx.finishedAt.toISOString(),
  };
  return { name: 'manifest.json', content: `${JSON.stringify(manifest, null, 2)}\n` };
}
