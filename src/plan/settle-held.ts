// Settling deposits held while an investigation ran (SPEC §5.4; policy `statuses.pending`:
// once the case closes, the year is scored from its conclusion and the deposit paid). For each deposit held
// in year Y and not settled yet, from the year's inputs as they are now (the updated 立案调查
// and 违规记录) and the year's policy:
// - the case still open (or not found): the deposit stays held;
// - closed with 解除协议 (in its 结论, or a terminating or unqualifying violation handled
//   between its opening and its closing): the whole deposit is forfeited;
// - otherwise the institution is scored as of the closing — its indicator scores of year Y,
//   the year's deductions, and those the case brought (violations handled after year Y up
//   to the closing) — and paid by the year's method: a refund by the curve at that score; a
//   pool at the ratio payout/withheld the same score earned in the year's pool (its λ),
//   capped at the amount held, the rest to the fund (the year's pool is paid out already).
// Pure: records the score's steps for the codes the trace asks for.
import { Decimal } from 'decimal.js';
import type { Investigation, Violation, YearInputs } from '../domain.js';
import type { Policy } from '../policy/schema.js';
import { parseFen } from '../io/values.js';
import { settleRefund } from '../rules/deposit.js';
import { exchangeFactor } from '../rules/pool.js';
import { countsInYear } from '../rules/scoring.js';
import type { Trace } from './derivation.js';
import { scoreInstitutions, violationDeduction } from './score-institutions.js';
import type { HeldDeposit } from './state.js';
import type { Assessment, ScoreDeduction } from './types.js';
import type { YearPlan } from './year-plan.js';

export type HeldOutcome =
  | { kind: 'open'; held: HeldDeposit; heldFen: number; investigation: Investigation | null }
  | { kind: 'forfeited'; held: HeldDeposit; heldFen: number; investigation: Investigation; because: 'conclusion' | 'violation'; violation: Violation | null }
  | {
      kind: 'paid';
      held: HeldDeposit;
      heldFen: number;
      investigation: Investigation;
      assessment: Extract<Assessment<null>, { status: 'scored' }>;
      /** The deductions the case brought: violations handled after the year, up to the closing. */
      late: ScoreDeduction[];
      ratio: Decimal;
      payoutFen: number;
      forfeitedFen: number;
    };

export interface SettleHeldInput {
  year: number;
  /** The year's inputs as they are now. */
  inputs: YearInputs;
  /** The year's policy (the copy kept in results/Y). */
  policy: Policy;
  /** The year planned again from these inputs: its pool, its personnel deductions. */
  plan: YearPlan;
  /** The year's held deposits not settled yet. */
  held: readonly HeldDeposit[];
  trace: Trace;
}

const fenOf = (h: HeldDeposit): number => {
  const parsed = parseFen(h.held);
  if (!parsed.ok) throw new Error(`held deposit ${h.held} of ${h.code} passed the state schema but is not yuan`);
  return parsed.value;
};

/** The investigation the deposit was held for: same institution, same opening; the row number may have moved. */
function caseOf(h: HeldDeposit, investigations: readonly Investigation[]): Investigation | null {
  const own = investigations.filter((i) => i.code === h.code);
  return own.find((i) => i.openedOn === h.investigation?.opened_on) ?? (h.investigation ? null : (own[0] ?? null));
}

/** The ratio of the held amount paid under a pool: λ × f(score) × base ÷ withheld, within the pool's cap and floor, and never more than held. */
export function poolRatio(score: Decimal, plan: YearPlan, baseFen: number, withheldFen: number): Decimal {
  const pool = plan.policy.deposit.pool;
  if (!pool || !plan.pool || withheldFen === 0) return new Decimal(0);
  const rule = { threshold: pool.threshold, fullMark: plan.policy.scoring.fullMark };
  const factor = exchangeFactor(score, rule);
  if (factor.isZero()) return new Decimal(0);
  // λ pays yuan per fen of weight (weight = base in fen × f): × 100 for fen.
  let ratio = plan.pool.lambda.times(100).times(factor).times(baseFen).dividedBy(withheldFen);
  if (pool.capRatio !== undefined) ratio = Decimal.min(ratio, pool.capRatio);
  if (pool.floorRatio !== undefined) ratio = Decimal.max(ratio, pool.floorRatio);
  return Decimal.min(ratio, 1);
}

export function settleHeld({ year, inputs, policy, plan, held, trace }: SettleHeldInput): HeldOutcome[] {
  const ending = new Set<string>([...(policy.statuses.terminated?.types ?? []), ...(policy.statuses.unqualified?.types ?? [])]);
  return held.map((h): HeldOutcome => {
    const heldFen = fenOf(h);
    const investigation = caseOf(h, inputs.investigations);
    if (!investigation || investigation.closedOn === null) return { kind: 'open', held: h, heldFen, investigation };
    const closedOn = investigation.closedOn;
    const own = inputs.violations.filter((v) => v.code === h.code);
    if (investigation.conclusion.includes('解除协议')) return { kind: 'forfeited', held: h, heldFen, investigation, because: 'conclusion', violation: null };
    const ended = own.find((v) => ending.has(v.type) && v.handledOn >= investigation.openedOn && v.handledOn <= closedOn);
    if (ended) return { kind: 'forfeited', held: h, heldFen, investigation, because: 'violation', violation: ended };

    const inst = inputs.institutions.find((i) => i.code === h.code);
    if (!inst) return { kind: 'open', held: h, heldFen, investigation };
    // What the case brought: violations handled after the year, up to the closing.
    const late = own.filter((v) => !countsInYear(v, year) && v.handledOn > `${year}-12-31` && v.handledOn <= closedOn).flatMap((v) => violationDeduction(v, policy) ?? []);
    const [scored] = scoreInstitutions({
      inputs: {
        ...inputs,
        asOf: closedOn > inputs.asOf ? closedOn : inputs.asOf,
        institutions: [inst],
        scores: inputs.scores.filter((s) => s.code === h.code),
        violations: own,
        investigations: inputs.investigations.filter((i) => i.code === h.code),
        appeals: inputs.appeals.filter((a) => a.code === h.code),
      },
      policy,
      moduleDeductions: new Map([[h.code, [...(plan.modules.personnel?.deductions.get(h.code) ?? []), ...late]]]),
      trace,
    });
    const a = scored?.assessment;
    if (!a || a.status === 'pending') return { kind: 'open', held: h, heldFen, investigation }; // another case still open
    if (a.status === 'unqualified') return { kind: 'forfeited', held: h, heldFen, investigation, because: 'violation', violation: a.violation };
    if (policy.deposit.method === 'pool') {
      const settledFen = (inputs.settlements.get(h.code)?.settledFen ?? []).reduce<number>((s, x) => s + (x ?? 0), 0);
      const withheldFen = plan.institutions.find((r) => r.institution.code === h.code)?.deposit.withheldFen ?? heldFen;
      const ratio = poolRatio(a.score, plan, policy.deposit.pool?.base === 'settled' ? settledFen : withheldFen, withheldFen);
      const payoutFen = Number(ratio.times(heldFen).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toFixed(0));
      return { kind: 'paid', held: h, heldFen, investigation, assessment: { ...a, ranking: null }, late, ratio, payoutFen, forfeitedFen: heldFen - payoutFen };
    }
    const refund = settleRefund('scored', heldFen, a.score, policy.deposit.refundCurve?.bands ?? []);
    return { kind: 'paid', held: h, heldFen, investigation, assessment: { ...a, ranking: null }, late, ratio: refund.ratio ?? new Decimal(0), payoutFen: refund.payoutFen, forfeitedFen: refund.forfeitedFen };
  });
}

/** payout + forfeited + still held = held, to the fen, over every deposit of a settlement. */
export function settlementTotals(outcomes: readonly HeldOutcome[]): { heldFen: number; payoutFen: number; forfeitedFen: number; stillHeldFen: number; differenceFen: number } {
  let heldFen = 0;
  let payoutFen = 0;
  let forfeitedFen = 0;
  let stillHeldFen = 0;
  for (const o of outcomes) {
    heldFen += o.heldFen;
    if (o.kind === 'paid') {
      payoutFen += o.payoutFen;
      forfeitedFen += o.forfeitedFen;
    } else if (o.kind === 'forfeited') forfeitedFen += o.heldFen;
    else stillHeldFen += o.heldFen;
  }
  return { heldFen, payoutFen, forfeitedFen, stillHeldFen, differenceFen: payoutFen + forfeitedFen + stillHeldFen - heldFen };
}
