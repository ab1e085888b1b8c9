// The policy file (SPEC §4): every number the rules use, with the article it comes from.
// The key names of SPEC §4 are a stable contract; new keys may be added, not renamed.
// Nothing regional lives here: the numbers, the articles and the documents' titles are
// all in the profile (templates/policies/*.yaml).
import { z } from 'zod';
import { HANDLING_TYPES, INSTITUTION_KINDS } from '../io/input-spec.js';

/**
 * Where a parameter comes from: `ref` is "<document file> <article>" (the file a key of
 * `documents:`, which gives its display title), and `assumed` says the document leaves
 * the number open and the profile chose it (with a comment saying why).
 */
const sourced = {
  ref: z.string().optional(),
  assumed: z.boolean().optional(),
  note: z.string().optional(),
};

const points = z.number().min(0).max(1000);
const ratio = z.number().min(0).max(1);
const handlingType = z.enum(HANDLING_TYPES);

export const categorySchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-zA-Z0-9_]*$/, '应为英文代码，如 inpatient'),
  name: z.string().min(1),
  when: z.strictObject({
    kind: z.enum(INSTITUTION_KINDS).optional(),
    inpatient: z.boolean().optional(),
  }),
  ...sourced,
});

export const indicatorSchema = z.strictObject({
  code: z.string().min(1),
  name: z.string().min(1),
  dimension: z.string().min(1),
  max: z.number().positive(), // ≤ scoring.fullMark: checked with the other cross-field rules
  categories: z.array(z.string()).min(1),
  monitored: z.boolean().optional(),
  local: z.boolean().optional(),
  ...sourced,
});

export const gradeSchema = z.strictObject({ min: points, name: z.string().min(1), ...sourced });

const deductionSchema = z.strictObject({ points, ...sourced });

export const curveBandSchema = z.strictObject({
  min: points,
  ratio,
  /** Linear from (min, ratio) up to (score, ratio) at the next band; absent: a step. */
  linearTo: z.strictObject({ score: points, ratio }).optional(),
  ...sourced,
});

/**
 * SPEC §5.4 `pool`: the whole pool of withheld deposits redistributed by weight = base ×
 * f(score), f linear (score ÷ full mark) at or above the threshold and 0 below; optional
 * cap and floor relative to each institution's own withheld deposit.
 */
export const poolSchema = z.strictObject({
  /** What a weight is proportional to: the institution's withheld deposit, or its settlement. */
  base: z.enum(['withheld', 'settled']),
  /** A score below gets weight 0 (payout 0). */
  threshold: points,
  exchange: z.enum(['linear']),
  /** Payout ≤ capRatio × withheld; the excess goes to the others by weight. */
  capRatio: z.number().min(1).max(10).optional(),
  /** Payout ≥ floorRatio × withheld at or above the threshold, funded pro rata by the others. */
  floorRatio: ratio.optional(),
  /** An unqualified institution's deposit: redistributed in the pool, or kept by the fund. */
  unqualified: z.enum(['redistribute', 'forfeit']),
  ...sourced,
});

export const depositSchema = z.strictObject({
  rate: z.number().positive().max(0.1, '预留比例不得超过 0.10（即结算金额的10%）'),
  rateAssumed: z.boolean().optional(),
  method: z.enum(['refund', 'pool']),
  refundCurve: z
    .strictObject({ bands: z.array(curveBandSchema).min(1), ...sourced })
    .optional(),
  pool: poolSchema.optional(),
  ...sourced,
});

export const policySchema = z.strictObject({
  region: z.string().min(1),
  profile: z.string().min(1),
  title: z.string().min(1),
  seed: z.string().optional(),
  /** Document file → display title (《…》): public text cites a document by its title, never by a file name. */
  documents: z.record(z.string(), z.string().min(1)).optional(),
  /**
   * Which institutions of the roster the scheme covers (all when absent). The others are
   * left out of scores, deposits and lists, and the run says how many and which.
   */
  scope: z.strictObject({ kinds: z.array(z.enum(INSTITUTION_KINDS)).min(1), ...sourced }).optional(),
  categories: z.array(categorySchema).min(1),
  scoring: z.strictObject({
    /** What the assessment is called in titles, e.g. 协议考核 or 绩效综合评价. */
    name: z.string().min(1).optional(),
    fullMark: z.number().positive(),
    decimals: z.number().int().min(0).max(4),
    /** The share of each category's full mark set by the city (`local: true` indicators), checked at load. */
    localShare: ratio.optional(),
    ...sourced,
  }),
  /**
   * Review stages (自评得分 → 初审得分 → 得分) and appeals against the initial review: where
   * the policy has this section, a final score that differs from the initial one without
   * an appeal is a warning and listed for review.
   */
  review: z.strictObject({ ...sourced }).optional(),
  indicators: z.array(indicatorSchema).min(1),
  grades: z.array(gradeSchema).min(1),
  deductions: z.strictObject({
    countBy: z.enum(['handledDate']),
    rowPointsOverride: z.boolean(),
    byType: z.partialRecord(handlingType, deductionSchema),
    ...sourced,
  }),
  statuses: z.strictObject({
    pending: z.strictObject({ ...sourced }).optional(),
    unqualified: z.strictObject({ types: z.array(handlingType), grade: z.string().min(1), ...sourced }).optional(),
    terminated: z.strictObject({ types: z.array(handlingType), ...sourced }).optional(),
  }),
  deposit: depositSchema,
  sanctions: z.strictObject({
    consecutiveLow: z
      .strictObject({
        enabled: z.boolean(),
        below: points,
        years: z.number().int().min(2).max(2, '目前只支持连续2个年度'),
        ...sourced,
      })
      .optional(),
  }),
  publication: z.strictObject({
    /** List codes of the list registry (src/plan/lists.ts), checked at load. */
    lists: z.array(z.string().min(1)),
    ...sourced,
  }),
});

export type Policy = z.infer<typeof policySchema>;
export type Category = z.infer<typeof categorySchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type Grade = z.infer<typeof gradeSchema>;
export type CurveBand = z.infer<typeof curveBandSchema>;
export type PoolPolicy = z.infer<typeof poolSchema>;
