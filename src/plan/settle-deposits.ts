// Step 3 of the plan: settle the quality deposits, once every score is known (SPEC §5.4).
// Each month's withholding, the year's total, then the policy's `deposit.method` picks how
// the deposits are paid: `refund` (withheld × the curve at the score) here; a method that
// needs every score at once (a whole pool) plugs into the same registry. The run refuses a
// plan whose deposits do not reconcile to the fen.
import { Decimal } from 'decimal.js';
import type { SettlementYear } from '../domain.js';
import { fenToYuanText } from '../io/values.js';
import type { Policy } from '../policy/schema.js';
import { depositTotals, monthlyWithholding, settleRefund, type DepositSettlement, type DepositTotals } from '../rules/deposit.js';
import { recorded, type Trace } from './derivation.js';
import { allocatePool } from '../rules/pool.js';
import type { ScoredInstitution } from './types.js';

/** The deposits do not reconcile to the fen: the run refuses to write anything. */
export class ReconciliationError extends Error {
  constructor(readonly differenceFen: number) {
    super(`deposits do not reconcile: payout + forfeited + held − withheld = ${differenceFen} fen`);
  }
}

/** The pool as a whole (SPEC §5.4 pool): what was pooled, the weights and the payout per unit of weight. */
export interface PoolSummary {
  poolFen: number;
  members: number;
  weightSum: Decimal;
  lambda: Decimal;
  /** Deposits of members with no weight (below the threshold, or unqualified), paid to the others. */
  redistributedFen: number;
}

/**
 * The 12 months' withholding of every institution, in fen, by roster index: a column of
 * numbers (NaN: a month without settlement), an institution's months made as an array when
 * asked. An array an institution was some 150 bytes held from the plan to the end of the run.
 */
export class MonthlyWithheld {
  private readonly fen: Float64Array;

  constructor(readonly institutions: number) {
    this.fen = new Float64Array(institutions * 12).fill(Number.NaN);
  }

  /** Sets the months of the institution at roster index `i`. */
  set(i: number, months: readonly (number | null)[]): void {
    months.forEach((m, k) => (this.fen[i * 12 + k] = m ?? Number.NaN));
  }

  /** The months of the institution at roster index `i`: fen, null for a month without settlement. */
  of(i: number): (number | null)[] {
    const months: (number | null)[] = [];
    for (let k = i * 12; k < i * 12 + 12; k++) {
      const m = this.fen[k] as number;
      months.push(Number.isNaN(m) ? null : m);
    }
    return months;
  }

  /** Adds the months of the institution at roster index `i` to `sums` (fen by month; a month without settlement adds nothing). */
  addTo(i: number, sums: number[]): void {
    for (let k = 0; k < 12; k++) {
      const m = this.fen[i * 12 + k] as number;
      if (!Number.isNaN(m)) sums[k] = (sums[k] as number) + m;
    }
  }
}

export interface DepositsSettled {
  /** Per institution (aligned with the input): the 12 months' withholding. */
  monthlyWithheldFen: MonthlyWithheld;
  settlements: DepositSettlement[];
  totals: DepositTotals;
  pool?: PoolSummary;
}

/** One institution as a settlement method sees it. */
export interface DepositCase {
  code: string;
  assessment: ScoredInstitution<unknown>['assessment'];
  withheldFen: number;
  /** Σ of the year's settlements (a pool's weight may be proportional to it). */
  settledFen: number;
}

export type DepositMethod = (cases: readonly DepositCase[], policy: Policy, trace: Trace) => { settlements: DepositSettlement[]; pool?: PoolSummary };

/** `refund`: each institution gets withheld × the refund curve at its score; the rest is forfeited. */
export const settleByRefund: DepositMethod = (cases, policy, trace) => {
  const bands = policy.deposit.refundCurve?.bands ?? [];
  const settlements = cases.map(({ code, assessment, withheldFen }) => {
    const score = assessment.status === 'scored' ? assessment.score : null;
    const settled = settleRefund(assessment.status, withheldFen, score, bands);
    if (trace.wants(code)) recordRefund(code, assessment.status, settled, trace);
    return settled;
  });
  return { settlements };
};

/**
 * `pool`: the deposits of the scored institutions (and of the unqualified ones, when the
 * policy redistributes them) form one pool, paid out by weight (src/rules/pool.ts); a
 * pending institution's deposit is held outside the pool; an unqualified one's is kept
 * by the fund when the policy says `unqualified: forfeit`.
 */
export const settleByPool: DepositMethod = (cases, policy, trace) => {
  const rule = policy.deposit.pool;
  if (!rule) throw new Error('deposit.method pool without deposit.pool (the policy check should have refused it)');
  const inPool = (c: DepositCase) => c.assessment.status === 'scored' || (c.assessment.status === 'unqualified' && rule.unqualified === 'redistribute');
  const members = cases.filter(inPool);
  const poolFen = members.reduce((a, c) => a + c.withheldFen, 0);
  const allocation = allocatePool(
    poolFen,
    members.map((c) => ({ baseFen: rule.base === 'withheld' ? c.withheldFen : c.settledFen, withheldFen: c.withheldFen, score: c.assessment.status === 'scored' ? c.assessment.score : null })),
    { threshold: rule.threshold, fullMark: policy.scoring.fullMark, capRatio: rule.capRatio, floorRatio: rule.floorRatio },
  );
  const shareOf = new Map(members.map((c, k) => [c, allocation.shares[k]]));
  const summary: PoolSummary = {
    poolFen,
    members: members.length,
    weightSum: allocation.weightSum,
    lambda: allocation.lambda,
    redistributedFen: members.filter((_, k) => (allocation.shares[k]?.weight ?? new Decimal(0)).isZero()).reduce((a, c) => a + c.withheldFen, 0),
  };
  const settlements = cases.map((c): DepositSettlement => {
    const share = shareOf.get(c);
    let settled: DepositSettlement;
    if (share) {
      const ratio = c.withheldFen > 0 ? new Decimal(share.payoutFen).dividedBy(c.withheldFen) : null;
      settled = { withheldFen: c.withheldFen, ratio, payoutFen: share.payoutFen, forfeitedFen: 0, heldFen: 0, pool: { weight: share.weight, factor: share.factor, bound: share.bound } };
    } else if (c.assessment.status === 'pending') settled = { withheldFen: c.withheldFen, ratio: null, payoutFen: 0, forfeitedFen: 0, heldFen: c.withheldFen };
    else settled = { withheldFen: c.withheldFen, ratio: new Decimal(0), payoutFen: 0, forfeitedFen: c.withheldFen, heldFen: 0 };
    if (trace.wants(c.code)) recordPool(c, settled, summary, rule.base, trace);
    return settled;
  });
  return { settlements, pool: summary };
};

function recordPool(c: DepositCase, s: DepositSettlement, pool: PoolSummary, base: 'withheld' | 'settled', trace: Trace): void {
  const { code } = c;
  const yuan = fenToYuanText;
  const withheld = trace.find(code, 'withheld');
  if (!s.pool) {
    const rule = c.assessment.status === 'pending' ? 'holdPending' : 'poolForfeitUnqualified';
    trace.add(code, { figure: 'payout', value: yuan(0), rule, from: recorded(withheld) });
    trace.add(code, { figure: 'forfeited', value: yuan(s.forfeitedFen), rule, from: recorded(withheld, trace.find(code, 'status')) });
    trace.add(code, { figure: 'held', value: yuan(s.heldFen), rule, from: recorded(withheld, trace.find(code, 'status')) });
    trace.add(code, { figure: 'net', value: yuan(s.payoutFen - s.withheldFen), rule: 'poolNet', policy: 'deposit.pool' });
    return;
  }
  const weight = trace.add(code, {
    figure: 'weight',
    value: s.pool.weight.toString(),
    rule: c.assessment.status === 'scored' ? 'poolWeight' : 'poolUnqualifiedRedistributed',
    policy: 'deposit.pool',
    from: recorded(withheld, trace.find(code, 'score')),
    facts: { base, baseAmount: yuan(base === 'withheld' ? c.withheldFen : c.settledFen), factor: s.pool.factor.toString(), status: c.assessment.status },
  });
  const share = pool.weightSum.isZero() ? new Decimal(0) : s.pool.weight.dividedBy(pool.weightSum);
  const payout = trace.add(code, {
    figure: 'payout',
    value: yuan(s.payoutFen),
    rule: 'poolPayout',
    policy: 'deposit.pool',
    from: recorded(weight),
    facts: { pool: yuan(pool.poolFen), members: pool.members, weightSum: pool.weightSum.toString(), share: share.toString(), lambda: pool.lambda.toString(), bound: s.pool.bound },
  });
  trace.add(code, { figure: 'forfeited', value: yuan(0), rule: 'poolPayout', policy: 'deposit.pool' });
  trace.add(code, { figure: 'held', value: yuan(0), rule: 'poolPayout', policy: 'deposit.pool' });
  trace.add(code, { figure: 'net', value: yuan(s.payoutFen - s.withheldFen), rule: 'poolNet', policy: 'deposit.pool', from: recorded(payout, withheld) });
}

function recordRefund(code: string, status: DepositCase['assessment']['status'], s: DepositSettlement, trace: Trace): void {
  const withheld = trace.find(code, 'withheld');
  const yuan = fenToYuanText;
  if (status === 'pending') {
    trace.add(code, { figure: 'payout', value: yuan(0), rule: 'holdPending', from: recorded(withheld) });
    trace.add(code, { figure: 'forfeited', value: yuan(0), rule: 'holdPending', from: recorded(withheld) });
    trace.add(code, { figure: 'held', value: yuan(s.heldFen), rule: 'holdPending', from: recorded(withheld, trace.find(code, 'status')) });
    return;
  }
  if (status === 'unqualified') {
    trace.add(code, { figure: 'payout', value: yuan(0), rule: 'forfeitUnqualified', from: recorded(withheld) });
    trace.add(code, { figure: 'forfeited', value: yuan(s.forfeitedFen), rule: 'forfeitUnqualified', from: recorded(withheld, trace.find(code, 'status')) });
    trace.add(code, { figure: 'held', value: yuan(0), rule: 'forfeitUnqualified' });
    return;
  }
  const ratio = trace.add(code, { figure: 'ratio', value: (s.ratio ?? new Decimal(0)).toString(), rule: 'refundRatio', policy: 'deposit.refundCurve', from: recorded(trace.find(code, 'score')) });
  const payout = trace.add(code, { figure: 'payout', value: yuan(s.payoutFen), rule: 'refundPayout', from: recorded(withheld, ratio) });
  trace.add(code, { figure: 'forfeited', value: yuan(s.forfeitedFen), rule: 'refundForfeit', from: recorded(withheld, payout) });
  trace.add(code, { figure: 'held', value: yuan(0), rule: 'refundPayout' });
}

/** The settlement methods by `deposit.method`; a method not here is refused when the policy is loaded. */
export const DEPOSIT_METHODS: Readonly<Partial<Record<Policy['deposit']['method'], DepositMethod>>> = {
  refund: settleByRefund,
  pool: settleByPool,
};

/** The 12 months' withholding of an institution (SPEC §5.4): the given 预留保证金, or rate × 结算金额. */
export function withholdingOf(code: string, settlement: SettlementYear | undefined, policy: Policy, year: number, trace: Trace): (number | null)[] {
  const months = Array.from({ length: 12 }, (_, m) => {
    const settled = settlement?.settledFen[m];
    return settled === null || settled === undefined ? null : monthlyWithholding(settled, settlement?.reservedFen[m] ?? null, policy.deposit.rate);
  });
  if (trace.wants(code)) {
    const monthSteps: number[] = [];
    const rows: { file: string; sheet?: string; row: number }[] = [];
    months.forEach((fen, m) => {
      const row = settlement?.rows[m];
      if (fen === null || !settlement || row === null || row === undefined) return;
      const input = { file: settlement.file, sheet: settlement.sheet, row };
      rows.push(input);
      const reserved = settlement.reservedFen[m] ?? null;
      monthSteps.push(
        trace.add(code, {
          figure: 'withholding',
          value: fenToYuanText(fen),
          rule: 'monthlyWithholding',
          policy: reserved === null ? 'deposit.rate' : 'deposit',
          inputs: [input],
          facts: { month: `${year}-${String(m + 1).padStart(2, '0')}`, settled: fenToYuanText(settlement.settledFen[m] ?? 0), reserved: reserved === null ? null : fenToYuanText(reserved), rate: policy.deposit.rate },
        }),
      );
    });
    const total = months.reduce<number>((a, b) => a + (b ?? 0), 0);
    trace.add(code, { figure: 'withheld', value: fenToYuanText(total), rule: 'withheldTotal', policy: 'deposit', from: monthSteps, inputs: rows, facts: { months: monthSteps.length } });
  }
  return months;
}

export function settleDeposits(
  institutions: readonly ScoredInstitution<unknown>[],
  settlements: ReadonlyMap<string, SettlementYear>,
  policy: Policy,
  year: number,
  trace: Trace,
  methods: Readonly<Partial<Record<Policy['deposit']['method'], DepositMethod>>> = DEPOSIT_METHODS,
): DepositsSettled {
  const method = methods[policy.deposit.method];
  if (!method) throw new Error(`deposit method ${policy.deposit.method} has no implementation (the policy check should have refused it)`);
  const monthlyWithheldFen = new MonthlyWithheld(institutions.length);
  const cases: DepositCase[] = [];
  for (const [i, r] of institutions.entries()) {
    const code = r.institution.code;
    const settlement = settlements.get(code); // made on each asking (settlements-parallel.ts): asked once
    const months = withholdingOf(code, settlement, policy, year, trace);
    monthlyWithheldFen.set(i, months);
    cases.push({
      code,
      assessment: r.assessment,
      withheldFen: months.reduce<number>((a, b) => a + (b ?? 0), 0),
      settledFen: (settlement?.settledFen ?? []).reduce<number>((a, b) => a + (b ?? 0), 0),
    });
  }
  const { settlements: settled, pool } = method(cases, policy, trace);
  const totals = depositTotals(settled);
  if (totals.differenceFen !== 0) {
    throw new ReconciliationError(totals.differenceFen);
  }
  return { monthlyWithheldFen, settlements: settled, totals, ...(pool ? { pool } : {}) };
}
