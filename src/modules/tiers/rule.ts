// Settlement tiers (policy `tiers`; its refs are the articles): A → B → C → D by the
// services an institution may settle, downgrades from the violations of the last months,
// a wait before promotion, and the tiers given at the start. Pure.
import type { Institution, Violation } from '../../domain.js';
import type { IsoDate } from '../../io/values.js';
import type { TiersPolicy } from '../../policy/schema.js';
import { addMonths, addYears } from '../../rules/calendar.js';
import { coveredBy } from '../../rules/scope.js';

export const TIER_ORDER = ['A', 'B', 'C', 'D'] as const;
export type Tier = (typeof TIER_ORDER)[number];

export const isTier = (t: string): t is Tier => (TIER_ORDER as readonly string[]).includes(t);
const next = (t: Tier): Tier | null => TIER_ORDER[TIER_ORDER.indexOf(t) + 1] ?? null;
const lower = (t: Tier): Tier | null => TIER_ORDER[TIER_ORDER.indexOf(t) - 1] ?? null;
const later = (a: IsoDate, b: IsoDate) => (a > b ? a : b);

/** `tiers.appliesTo`: hospitals of the levels given ('' = blank), pharmacies when included, not the names excluded. */
export function inTierScope(inst: Pick<Institution, 'kind' | 'hospitalLevel' | 'name'>, appliesTo: TiersPolicy['appliesTo']): boolean {
  return coveredBy(inst, { kinds: appliesTo.pharmacies ? ['医疗机构', '零售药店'] : ['医疗机构'], hospitalLevels: appliesTo.hospitalLevels, excludeNamesMatching: appliesTo.excludeNamesMatching });
}

/**
 * `tiers.initial`: the tier of an institution neither the roster nor last year's state
 * gives one — special-drug service first, then by the date it was admitted. Null when
 * neither is known. The tier starts when the tiers take effect, or at admission if later.
 */
export function initialTier(inst: Pick<Institution, 'specialDrug' | 'admittedOn'>, tiers: Pick<TiersPolicy, 'initial' | 'effectiveFrom'>): { tier: Tier; since: IsoDate; basis: 'specialDrug' | 'admission' } | null {
  const since = inst.admittedOn ? later(inst.admittedOn, tiers.effectiveFrom) : tiers.effectiveFrom;
  if (inst.specialDrug) return { tier: tiers.initial.specialDrug, since, basis: 'specialDrug' };
  if (!inst.admittedOn) return null;
  const admitted = inst.admittedOn;
  const band = tiers.initial.byAdmission.find((b) => b.until === undefined || admitted <= b.until);
  return band ? { tier: band.tier, since, basis: 'admission' } : null;
}

/** A violation handled in the window (from, asOf]: the last months ending on the day the assessment work ends. */
export function windowStart(asOf: IsoDate, months: number, notBefore: IsoDate | null): IsoDate {
  const start = addMonths(asOf, -months);
  return notBefore && notBefore > start ? notBefore : start;
}

export interface FiredTrigger {
  clause: string;
  index: number; // the trigger's index in the policy
  terminate: boolean;
  violations: Violation[];
  /** When the trigger fired: the handling date of its last violation. */
  firedOn: IsoDate;
}

/**
 * `tiers.downgrades.triggers`: each trigger fires once for every `count` violations of its
 * types (and bases) in the window — two 约谈 under the agreement make one. A violation
 * counts for one trigger only. Fired triggers in the order they fired.
 */
export function firedTriggers(violations: readonly Violation[], triggers: TiersPolicy['downgrades']['triggers']): FiredTrigger[] {
  const used = new Set<Violation>();
  const fired: FiredTrigger[] = [];
  const ordered = [...violations].sort((a, b) => (a.handledOn < b.handledOn ? -1 : a.handledOn > b.handledOn ? 1 : a.source.row - b.source.row));
  triggers.forEach((t, index) => {
    const matching = ordered.filter((v) => !used.has(v) && (t.types as readonly string[]).includes(v.type) && (t.bases === undefined || (v.basis !== null && (t.bases as readonly string[]).includes(v.basis))));
    for (let k = 0; k + t.count <= matching.length; k += t.count) {
      const group = matching.slice(k, k + t.count);
      group.forEach((v) => used.add(v));
      fired.push({ clause: t.clause, index, terminate: t.terminate === true, violations: group, firedOn: group[group.length - 1]?.handledOn ?? '' });
    }
  });
  return fired.sort((a, b) => (a.firedOn < b.firedOn ? -1 : a.firedOn > b.firedOn ? 1 : a.index - b.index));
}

export type TierDecision =
  | { kind: 'none' }
  | { kind: 'terminate'; trigger: FiredTrigger }
  | { kind: 'downgrade'; from: Tier; to: Tier; on: IsoDate; triggers: FiredTrigger[] }
  /** At the lowest tier: the wait for promotion is extended instead (第十四条（五）). */
  | { kind: 'extendWait'; years: number; triggers: FiredTrigger[] };

/** `tiers.downgrades`: termination wins; otherwise one step down a year at most, or at A a longer wait. */
export function decideDowngrade(tier: Tier, fired: readonly FiredTrigger[], downgrades: TiersPolicy['downgrades']): TierDecision {
  const termination = fired.find((f) => f.terminate);
  if (termination) return { kind: 'terminate', trigger: termination };
  if (fired.length === 0) return { kind: 'none' };
  const to = lower(tier);
  if (!to) return { kind: 'extendWait', years: downgrades.atLowestExtendYears, triggers: [...fired] };
  let steps = Math.min(downgrades.perYear, fired.length);
  let target: Tier = tier;
  while (steps-- > 0) target = lower(target) ?? target;
  const firstTrigger = fired[0];
  return { kind: 'downgrade', from: tier, to: target, on: firstTrigger?.firedOn ?? '', triggers: [...fired] };
}

/** 第十四条（五）: a non-A institution with a second trigger in the window is handled under the agreement. */
export function handledUnderAgreement(tier: Tier, fired: readonly FiredTrigger[]): boolean {
  return lower(tier) !== null && fired.filter((f) => !f.terminate).length >= 2;
}

/** A violation that blocks promotion: this year's row, or one carried in state from an earlier year (no row then). */
export interface PromotionBlock {
  handledOn: IsoDate;
  type: string;
  source: Violation['source'] | null;
}

export type Promotion =
  | { kind: 'top' }
  | { kind: 'notYet'; to: Tier; earliest: IsoDate }
  | { kind: 'blocked'; to: Tier; block: PromotionBlock }
  | { kind: 'eligible'; to: Tier; needs: 'countyReview' | 'onSiteCheck'; earliest: IsoDate | null };

/** The latest blocking violation handled in (since, asOf]: this year's rows, or the one carried from an earlier year. */
export function latestBlock(since: IsoDate, violations: readonly Violation[], carried: PromotionBlock | null, asOf: IsoDate, promotion: TiersPolicy['promotion']): PromotionBlock | null {
  const blocks: PromotionBlock[] = violations
    .filter((v) => (promotion.blockingTypes as readonly string[]).includes(v.type))
    .map((v) => ({ handledOn: v.handledOn, type: v.type, source: v.source }));
  if (carried) blocks.push(carried);
  return blocks.filter((b) => b.handledOn > since && b.handledOn <= asOf).reduce<PromotionBlock | null>((a, b) => (a === null || b.handledOn > a.handledOn ? b : a), null);
}

/**
 * `tiers.promotion`: after `minYearsAtTier` at the tier (`yearsAfterDowngrade` when it began with a downgrade) and
 * any extended wait, with none of the blocking violations in the period at the tier (`block`: see latestBlock), an
 * institution may apply for the next tier; a tier that needs the county's demand and an
 * expert review has no wait. What the data cannot show is left to an on-site check.
 */
export function promotionOf(tier: Tier, since: IsoDate, sinceDowngrade: boolean, waitUntil: IsoDate | null, block: PromotionBlock | null, asOf: IsoDate, promotion: TiersPolicy['promotion']): Promotion {
  const to = next(tier);
  if (!to) return { kind: 'top' };
  if (block) return { kind: 'blocked', to, block };
  if ((promotion.countyReviewTo as readonly string[]).includes(to)) return { kind: 'eligible', to, needs: 'countyReview', earliest: null };
  const years = sinceDowngrade ? Math.max(promotion.minYearsAtTier, promotion.yearsAfterDowngrade) : promotion.minYearsAtTier;
  const earliest = [addYears(since, years), waitUntil ?? since].reduce(later);
  if (earliest > asOf) return { kind: 'notYet', to, earliest };
  return { kind: 'eligible', to, needs: 'onSiteCheck', earliest };
}
