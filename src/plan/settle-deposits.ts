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
import type { ScoredInstitution } from './types.js';

/** The deposits do not reconcile to the fen: the run refuses to write anything. */
export class ReconciliationError extends Error {
  constructor(readonly differenceFen: number) {
    super(`deposits do not reconcile: payout + forfeited + held − withheld = ${differenceFen} fen`);
  }
}

export interface DepositsSettled {
  /** Per institution (aligned with the input): the 12 months' withholding in fen, null for a month without settlement. */
  monthlyWithheldFen: (number | null)[][];
  settlements: DepositSettlement[];
  totals: DepositTotals;
}

/** One institution as a settlement method sees it. */
export interface DepositCase {
  code: string;
  assessment: ScoredInstitution<unknown>['assessment'];
  withheldFen: number;
}

export type DepositMethod = (cases: readonly DepositCase[], policy: Policy, trace: Trace) => DepositSettlement[];

/** `refund`: each institution gets withheld × the refund curve at its score; the rest is forfeited. */
export const settleByRefund: DepositMethod = (cases, policy, trace) => {
  const bands = policy.deposit.refundCurve?.bands ?? [];
  return cases.map(({ code, assessment, withheldFen }) => {
    const score = assessment.status === 'scored' ? assessment.score : null;
    const settled = settleRefund(assessment.status, withheldFen, score, bands);
    if (trace.wants(code)) recordRefund(code, assessment.status, settled, trace);
    return settled;
  });
};

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
  const monthlyWithheldFen = institutions.map((r) => withholdingOf(r.institution.code, settlements.get(r.institution.code), policy, year, trace));
  const cases = institutions.map((r, i) => ({
    code: r.institution.code,
    assessment: r.assessment,
    withheldFen: (monthlyWithheldFen[i] ?? []).reduce<number>((a, b) => a + (b ?? 0), 0),
  }));
  const settled = method(cases, policy, trace);
  const totals = depositTotals(settled);
  if (totals.differenceFen !== 0) {
    throw new ReconciliationError(totals.differenceFen);
  }
  return { monthlyWithheldFen, settlements: settled, totals };
}
