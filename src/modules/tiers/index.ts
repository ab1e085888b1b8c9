// Module tiers (SPEC §5.5; policy `tiers`, its articles the profile's refs): each
// institution in the tiers' scope has a settlement tier A–D. Its tier before the year comes
// from the roster's 结算等级, else last year's state, else the transition rule; violations of
// the last months (by 处理日期, the window ending on the as-of date) fire downgrade triggers:
// one step down a year at most, a longer wait at A, termination for 解除协议; a non-A
// institution with a second trigger is handled under the agreement; and whoever has waited
// long enough, with no blocking violation, may apply for the next tier. The tier, its start
// and any extended wait are carried in state.json.
import { groupBy } from '../../group-by.js';
import { z } from 'zod';
import type { Institution, RowRef, Violation } from '../../domain.js';
import type { IsoDate } from '../../io/values.js';
import { recorded, stepsFor } from '../../plan/derivation.js';
import type { ListEntry } from '../../plan/types.js';
import type { Problem } from '../../problems.js';
import type { TiersPolicy } from '../../policy/schema.js';
import { addCalendarDays, addYears } from '../../rules/calendar.js';
import { inScope } from '../../rules/scope.js';
import type { PriorYear } from '../../plan/state.js';
import type { InstitutionStateFields, ModuleRun, PlanModule } from '../types.js';
import { decideDowngrade, firedTriggers, handledUnderAgreement, inTierScope, initialTier, isTier, latestBlock, promotionOf, windowStart, type FiredTrigger, type Promotion, type PromotionBlock, type Tier } from './rule.js';

export interface TierOutcome {
  tierBefore: Tier;
  sinceBefore: IsoDate;
  /** Where the tier before the year came from. */
  source: 'roster' | 'state' | 'initial';
  initialBasis: 'specialDrug' | 'admission' | null;
  fired: FiredTrigger[];
  decision: ReturnType<typeof decideDowngrade>['kind'];
  /** Null when the agreement is terminated. */
  tierAfter: Tier | null;
  sinceAfter: IsoDate | null;
  waitUntil: IsoDate | null;
  agreementHandling: boolean;
  promotion: Promotion | null;
  window: { from: IsoDate; to: IsoDate };
}

type Lists = 'downgraded' | 'promotionWaitExtended' | 'agreementHandling' | 'promotionEligible' | 'terminated';

/** The module's slice of state.json: the day the last window ended, so no violation counts twice. */
const slice = z.object({ as_of: z.string() });

const rows = (vs: readonly Violation[]): RowRef[] => vs.map((v) => v.source);

/** The tier before the year: the roster's, else last year's state, else the transition rule (第十七条). */
export function tierBefore(
  inst: Institution,
  prior: PriorYear,
  tiers: TiersPolicy,
): { tier: Tier; since: IsoDate; source: TierOutcome['source']; basis: TierOutcome['initialBasis']; sinceDowngrade: boolean; waitUntil: IsoDate | null; block: PromotionBlock | null } | null {
  const state = prior.state?.institutions[inst.code];
  const stateTier = state?.tier && isTier(state.tier) ? state.tier : null;
  const waitUntil = typeof state?.promotion_wait_until === 'string' ? state.promotion_wait_until : null;
  const sinceDowngrade = state?.tier_basis === 'downgrade';
  // The blocking violation of an earlier year at the same tier (the rows of that year are not read again).
  const blockedOn = state?.promotion_blocked_on;
  const block = typeof blockedOn === 'string' ? { handledOn: blockedOn, type: typeof state?.promotion_blocked_by === 'string' ? state.promotion_blocked_by : '', source: null } : null;
  if (inst.tier && isTier(inst.tier)) {
    const same = stateTier === inst.tier;
    const since = inst.tierSince ?? (same && state?.tier_since ? state.tier_since : null) ?? initialTier(inst, tiers)?.since ?? tiers.effectiveFrom;
    return { tier: inst.tier, since, source: 'roster', basis: null, sinceDowngrade: sinceDowngrade && same, waitUntil: same ? waitUntil : null, block: same ? block : null };
  }
  if (stateTier) return { tier: stateTier, since: state?.tier_since ?? tiers.effectiveFrom, source: 'state', basis: null, sinceDowngrade, waitUntil, block };
  const initial = initialTier(inst, tiers);
  return initial ? { tier: initial.tier, since: initial.since, source: 'initial', basis: initial.basis, sinceDowngrade: false, waitUntil: null, block: null } : null;
}

export const tiers = {
  id: 'tiers',
  stage: 'afterScore',
  enabled: (policy) => policy.tiers?.enabled === true,
  lists: [
    { code: 'downgraded', title: '降级', subject: 'institution', filledBy: 'tiers', policy: 'tiers.downgrades' },
    { code: 'promotionWaitExtended', title: '延长晋级年限', subject: 'institution', filledBy: 'tiers', policy: 'tiers.downgrades' },
    { code: 'agreementHandling', title: '再次违规按协议处理', subject: 'institution', filledBy: 'tiers', policy: 'tiers.downgrades' },
    { code: 'promotionEligible', title: '可申请晋级', subject: 'institution', filledBy: 'tiers', policy: 'tiers.promotion' },
  ],
  rules: {
    tierBefore: { label: '年初结算等级（机构名册、上年度结果或过渡期定级）', policy: 'tiers.initial' },
    tierDowngrade: { label: '近一年违规降级（每年至多一级；A级延长晋级年限；应解除协议的解除）', policy: 'tiers.downgrades' },
    tierPromotion: { label: '晋级申请条件（服务满一年、期间无罚款等处罚、D级需县级论证）', policy: 'tiers.promotion' },
  },
  figures: ['tier', 'promotion'],
  priorState: slice,
  validate: (inputs, policy, prior) => {
    const t = policy.tiers;
    if (!t) return [];
    // An institution in the tiers' scope needs a tier: the roster's, last year's, or what the transition rule can give.
    const problems: Problem[] = [];
    for (const inst of inputs.institutions) {
      if (!inScope(inst, policy) || !inTierScope(inst, t.appliesTo) || tierBefore(inst, prior, t)) continue;
      if (!inst.specialDrug && !inst.admittedOn) {
        problems.push({ file: inst.source.file, sheet: inst.source.sheet, row: inst.source.row, column: '纳入定点日期', message: '机构名册没有结算等级，定级（过渡期按纳入定点日期或特药结算定级）需要纳入定点日期或「开展特药结算」' });
      }
    }
    return problems;
  },
  run: (ctx): ModuleRun<TierOutcome, Lists> => {
    const t = ctx.policy.tiers;
    const outcomes = new Map<string, TierOutcome>();
    const entries: ListEntry<Lists>[] = [];
    const states = new Map<string, InstitutionStateFields>();
    if (!t) return { outcomes, entries, deductions: new Map(), state: {} };
    const priorSlice = slice.safeParse(ctx.prior.state?.modules?.tiers);
    // The window's start is exclusive: the day before the tiers took effect (a violation handled that day counts), or last year's as-of date (counted then).
    const notBefore = [addCalendarDays(t.effectiveFrom, -1), priorSlice.success ? priorSlice.data.as_of : null].filter((d): d is string => d !== null).reduce((a, b) => (a > b ? a : b));
    const from = windowStart(ctx.asOf, t.downgrades.windowMonths, notBefore);
    const byCode = groupBy(ctx.inputs.violations, (v) => v.code);
    const exitsByCode = groupBy(ctx.inputs.exits, (e) => e.code);
    for (const r of ctx.institutions) {
      const inst = r.institution;
      if (!inTierScope(inst, t.appliesTo)) continue;
      const before = tierBefore(inst, ctx.prior, t);
      if (!before) continue; // refused at validation
      const history = byCode.get(inst.code) ?? [];
      // (from, asOf], never before the tiers took effect or a violation already counted last year (`from` is exclusive).
      const inWindow = history.filter((v) => v.handledOn > from && v.handledOn <= ctx.asOf);
      const fired = firedTriggers(inWindow, t.downgrades.triggers);
      const decision = decideDowngrade(before.tier, fired, t.downgrades);
      let tierAfter: Tier | null = before.tier;
      let sinceAfter: IsoDate | null = before.since;
      let sinceDowngrade = before.sinceDowngrade;
      let waitUntil = before.waitUntil;
      if (decision.kind === 'terminate') {
        tierAfter = null;
        sinceAfter = null;
      } else if (decision.kind === 'downgrade') {
        tierAfter = decision.to;
        sinceAfter = decision.on;
        sinceDowngrade = true;
        waitUntil = null;
      } else if (decision.kind === 'extendWait') {
        // 第十四条（五）: the wait for promotion grows by a year — from the latest of its end, the usual
        // one and the trigger, so that an institution long at A does not get an extension already over.
        const usual = addYears(before.since, t.promotion.minYearsAtTier);
        const firedOn = decision.triggers[decision.triggers.length - 1]?.firedOn ?? usual;
        const base = [usual, firedOn, waitUntil ?? usual].reduce((a, b) => (a > b ? a : b));
        waitUntil = addYears(base, decision.years);
      }
      const agreementHandling = decision.kind !== 'terminate' && handledUnderAgreement(before.tier, fired);
      // No promotion for an institution whose designation is being ended (a score below the line, run
      // before this module) or that has left (退出记录 after its admission).
      const deregistered = ctx.earlier.annualLowTerminate?.outcomes.has(inst.code) === true;
      const exited = (exitsByCode.get(inst.code) ?? []).find((e) => e.exitedOn <= ctx.asOf && (inst.admittedOn === null || e.exitedOn >= inst.admittedOn)) ?? null;
      const block = sinceAfter ? latestBlock(sinceAfter, history, before.block, ctx.asOf, t.promotion) : null;
      const promotion = tierAfter && sinceAfter && decision.kind !== 'downgrade' && !deregistered && !exited ? promotionOf(tierAfter, sinceAfter, sinceDowngrade, waitUntil, block, ctx.asOf, t.promotion) : null;
      const outcome: TierOutcome = { tierBefore: before.tier, sinceBefore: before.since, source: before.source, initialBasis: before.basis, fired, decision: decision.kind, tierAfter, sinceAfter, waitUntil, agreementHandling, promotion, window: { from, to: ctx.asOf } };
      outcomes.set(inst.code, outcome);
      states.set(inst.code, {
        tier: tierAfter,
        tier_since: sinceAfter,
        promotion_wait_until: waitUntil,
        tier_basis: decision.kind === 'downgrade' || sinceDowngrade ? 'downgrade' : before.source,
        // Blocks promotion while the institution stays at this tier: carried, as next year's rows will not hold it.
        promotion_blocked_on: block?.handledOn ?? null,
        promotion_blocked_by: block?.type ?? null,
      });

      const code = inst.code;
      const clauses = fired.map((f) => f.clause).join('、');
      const firedRows = fired.flatMap((f) => rows(f.violations));
      if (decision.kind === 'terminate') {
        const v = decision.trigger.violations[decision.trigger.violations.length - 1];
        entries.push({ list: 'terminated', code, rule: 'tierDowngrade', policy: `tiers.downgrades.triggers.${decision.trigger.index}`, facts: { cause: 'tiers', clause: decision.trigger.clause, type: v?.type ?? '', handledOn: v?.handledOn ?? '' }, inputs: rows(decision.trigger.violations) });
      } else if (decision.kind === 'downgrade') {
        entries.push({ list: 'downgraded', code, rule: 'tierDowngrade', policy: 'tiers.downgrades', facts: { from: decision.from, to: decision.to, on: decision.on, clauses, triggers: fired.length }, inputs: firedRows });
      } else if (decision.kind === 'extendWait') {
        entries.push({ list: 'promotionWaitExtended', code, rule: 'tierDowngrade', policy: 'tiers.downgrades.atLowestExtendYears', facts: { tier: before.tier, years: decision.years, waitUntil, clauses }, inputs: firedRows });
      }
      if (agreementHandling) entries.push({ list: 'agreementHandling', code, rule: 'tierDowngrade', policy: 'tiers.downgrades', facts: { tier: before.tier, triggers: fired.length, clauses }, inputs: firedRows });
      if (promotion?.kind === 'eligible') entries.push({ list: 'promotionEligible', code, rule: 'tierPromotion', policy: 'tiers.promotion', facts: { from: tierAfter ?? '', to: promotion.to, needs: promotion.needs, since: sinceAfter ?? '' }, inputs: [] });

      const step = stepsFor(ctx.trace, code);
      if (step) {
        const tierStep = step({
          figure: 'tier',
          value: tierAfter ?? '解除',
          rule: decision.kind === 'none' ? 'tierBefore' : 'tierDowngrade',
          // A tier kept: the transition rule's article when it set the tier, the tiers' own (第四条) otherwise.
          policy: decision.kind === 'terminate' ? `tiers.downgrades.triggers.${decision.trigger.index}` : decision.kind !== 'none' ? 'tiers.downgrades' : before.source === 'initial' ? 'tiers.initial' : 'tiers',
          inputs: [...(before.source === 'roster' || before.source === 'initial' ? [inst.source] : []), ...firedRows],
          facts: { before: before.tier, since: before.since, source: before.source, basis: before.basis, decision: decision.kind, clauses, windowFrom: from, windowTo: ctx.asOf, waitUntil, agreementHandling, sinceAfter, exitedOn: exited?.exitedOn ?? null, deregistered },
        });
        if (promotion) {
          const p = promotion;
          step({
            figure: 'promotion',
            value: p.kind,
            rule: 'tierPromotion',
            policy: 'tiers.promotion',
            from: recorded(tierStep),
            inputs: p.kind === 'blocked' && p.block.source ? [p.block.source] : [],
            facts: {
              to: p.kind === 'top' ? null : p.to,
              needs: p.kind === 'eligible' ? p.needs : null,
              earliest: p.kind === 'notYet' || p.kind === 'eligible' ? p.earliest : null,
              blockedBy: p.kind === 'blocked' ? `${p.block.handledOn} ${p.block.type}` : null,
              blockCarried: p.kind === 'blocked' && p.block.source === null,
            },
          });
        }
      }
    }
    return { outcomes, entries, deductions: new Map(), state: { institutions: states, slice: { as_of: ctx.asOf } } };
  },
} as const satisfies PlanModule<TierOutcome, Lists>;
