// Module agreementTerm (SPEC §5.5; policy `sanctions.agreementTerm`, its article the profile's ref): every
// agreement ending next year (roster 协议到期日期) is decided — renewed, renewed for longer,
// not renewed, or left pending while its institution is under investigation — with the
// violations of its term that decided it (src/modules/agreement-term/rule.ts).
//
// A term spans earlier years. Their violations come from two places, and each decision says
// which: the violations of the blocking types this module carried in state.json (its slice,
// `modules.agreementTerm.violations`, one record per violation with its year's file and row),
// and the rows of this year's 违规记录 (which may hold earlier years' rows too; a violation in
// both is counted once). Without last year's results, only this year's 违规记录 is known.
import { z } from 'zod';
import type { RowRef, Violation } from '../../domain.js';
import type { IsoDate } from '../../io/values.js';
import { stepsFor } from '../../plan/derivation.js';
import { terminationsOf } from '../../plan/terminations.js';
import type { ListEntry } from '../../plan/types.js';
import { addYears } from '../../rules/calendar.js';
import type { ModuleRun, PlanModule } from '../types.js';
import { decideAgreement, endsNextYear, termOf, type AgreementOutcome, type NotRenewedBecause } from './rule.js';

export interface AgreementTermOutcome {
  endsOn: IsoDate;
  term: { from: IsoDate; to: IsoDate };
  outcome: AgreementOutcome;
  because: NotRenewedBecause[];
  newEnd: IsoDate | null;
  /** The violations of the blocking types handled in the term, oldest first. */
  blocking: CarriedViolation[];
  /** Where the term's earlier years were read: last year's carried state and this year's rows, or this year's rows only. */
  history: 'state' | 'inputs';
}

type Lists = 'renewal';
const POLICY = 'sanctions.agreementTerm';

const carriedViolation = z.object({
  code: z.string(),
  type: z.string(),
  handled_on: z.string(),
  occurred_on: z.string(),
  year: z.number().int(),
  source: z.object({ file: z.string(), sheet: z.string().optional(), row: z.number().int() }),
});
type CarriedViolation = z.infer<typeof carriedViolation>;
const slice = z.object({ violations: z.array(carriedViolation) });

const carried = (v: Violation, year: number): CarriedViolation => ({ code: v.code, type: v.type, handled_on: v.handledOn, occurred_on: v.occurredOn, year, source: { file: v.source.file, ...(v.source.sheet ? { sheet: v.source.sheet } : {}), row: v.source.row } });
const sameViolation = (a: CarriedViolation, b: CarriedViolation) => a.code === b.code && a.type === b.type && a.handled_on === b.handled_on && a.occurred_on === b.occurred_on;
const rowOf = (v: CarriedViolation): RowRef => ({ file: v.source.file, ...(v.source.sheet ? { sheet: v.source.sheet } : {}), row: v.source.row });

export const agreementTerm = {
  id: 'agreementTerm',
  stage: 'afterScore',
  enabled: (policy) => policy.sanctions.agreementTerm?.enabled === true,
  lists: [{ code: 'renewal', title: '协议续签', subject: 'institution', filledBy: 'agreementTerm', policy: POLICY }],
  rules: { agreementTerm: { label: '协议期满续签：协议期内无违法违规的延长续约有效期', policy: POLICY } },
  figures: ['agreement'],
  priorState: slice,
  run: (ctx): ModuleRun<AgreementTermOutcome, Lists> => {
    const rule = ctx.policy.sanctions.agreementTerm;
    const outcomes = new Map<string, AgreementTermOutcome>();
    const entries: ListEntry<Lists>[] = [];
    if (!rule) return { outcomes, entries, deductions: new Map(), state: {} };
    const blockingTypes: readonly string[] = rule.blockingTypes;
    // The violations of the blocking types known so far: carried, then this year's rows not already carried.
    const prior = slice.safeParse(ctx.prior.state?.modules?.agreementTerm);
    const history: CarriedViolation[] = prior.success ? [...prior.data.violations] : [];
    for (const v of ctx.inputs.violations) {
      if (!blockingTypes.includes(v.type) || v.handledOn > ctx.asOf) continue;
      const record = carried(v, ctx.year);
      if (!history.some((h) => sameViolation(h, record))) history.push(record);
    }
    history.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.handled_on < b.handled_on ? -1 : a.handled_on > b.handled_on ? 1 : 0));
    const byCode = new Map<string, CarriedViolation[]>();
    for (const h of history) byCode.set(h.code, [...(byCode.get(h.code) ?? []), h]);

    const terminated = new Set(terminationsOf(ctx.institutions, ctx.inputs.violations, ctx.policy, ctx.year).map((t) => t.code));
    for (const [code, o] of ctx.earlier.tiers?.outcomes ?? []) if ((o as { decision?: string }).decision === 'terminate') terminated.add(code);
    for (const code of ctx.earlier.annualLowTerminate?.outcomes.keys() ?? []) terminated.add(code);
    const eliminated = ctx.earlier.bottomElimination?.outcomes ?? new Map();
    const source: AgreementTermOutcome['history'] = ctx.prior.source === 'state' ? 'state' : 'inputs';
    const decimals = ctx.policy.scoring.decimals;

    for (const r of ctx.institutions) {
      const inst = r.institution;
      if (!endsNextYear(inst.agreementEnds, ctx.year)) continue;
      const endsOn = inst.agreementEnds;
      const term = termOf(endsOn, rule.years);
      const blocking = (byCode.get(inst.code) ?? []).filter((v) => v.handled_on >= term.from && v.handled_on <= term.to);
      const a = r.assessment;
      const decision = decideAgreement(
        {
          endsOn,
          status: a.status,
          belowLine: a.status === 'scored' && rule.notRenewBelow !== undefined && a.score.lt(rule.notRenewBelow),
          terminated: terminated.has(inst.code),
          eliminated: eliminated.has(inst.code),
        },
        blocking.map((v) => ({ type: v.type, handledOn: v.handled_on })),
        rule,
      );
      const outcome: AgreementTermOutcome = { endsOn, term, outcome: decision.outcome, because: decision.because, newEnd: decision.newEnd, blocking, history: source };
      outcomes.set(inst.code, outcome);
      const facts = {
        outcome: decision.outcome,
        endsOn,
        termFrom: term.from,
        newEnd: decision.newEnd,
        because: decision.because.join(','),
        score: a.status === 'scored' ? a.score.toFixed(decimals) : null,
        below: rule.notRenewBelow ?? null,
        blocking: blocking.length,
        firstBlocking: blocking[0] ? `${blocking[0].handled_on} ${blocking[0].type}` : null,
        years: rule.years,
        extendedYears: rule.extendedYears,
        history: source,
      };
      const inputs = [inst.source, ...blocking.map(rowOf)];
      entries.push({ list: 'renewal', code: inst.code, rule: 'agreementTerm', policy: decision.outcome === 'renewExtended' ? `${POLICY}.extendedYears` : POLICY, facts, inputs });
      stepsFor(ctx.trace, inst.code)?.({ figure: 'agreement', value: decision.outcome, rule: 'agreementTerm', policy: POLICY, inputs, facts });
    }
    // Carried: every blocking violation a term still open next year may reach back to.
    const keepFrom = addYears(ctx.asOf, -Math.max(rule.years, rule.extendedYears));
    return { outcomes, entries, deductions: new Map(), state: { slice: { violations: history.filter((v) => v.handled_on >= keepFrom) } } };
  },
} as const satisfies PlanModule<AgreementTermOutcome, Lists>;
