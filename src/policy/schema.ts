// The policy file (SPEC §4): every number the rules use, with the article it comes from.
// The key names of SPEC §4 are a stable contract; new keys may be added, not renamed.
// Nothing regional lives here: the numbers, the articles and the documents' titles are
// all in the profile (templates/policies/*.yaml).
import { z } from 'zod';
import { BASES, HANDLING_TYPES, INSTITUTION_KINDS, TIERS } from '../io/input-spec.js';

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

/** Which institutions of a roster a rule covers: by kind, a hospital by its 医院等级 ('' = blank), and not by name. */
export const scopeSchema = z.strictObject({
  kinds: z.array(z.enum(INSTITUTION_KINDS)).min(1),
  /** 医院等级 values a hospital must have to be covered ('' = left blank); absent: every level. */
  hospitalLevels: z.array(z.string()).optional(),
  /** Institutions whose name contains this text are not covered (e.g. 村卫生室). */
  excludeNamesMatching: z.string().min(1).optional(),
  ...sourced,
});

const tier = z.enum(TIERS);
const isoDateText = z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)).pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '应为日期，如 2025-01-01'));

/** One downgrade trigger: so many violations of these types (and bases) in the window → steps down, or termination. */
const triggerSchema = z.strictObject({
  clause: z.string().min(1),
  types: z.array(handlingType).min(1),
  /** 依据 values that count; absent: any basis. */
  bases: z.array(z.enum(BASES)).optional(),
  /** How many such violations make one trigger (two 约谈 under the agreement make one, 第十四条（一）). */
  count: z.number().int().min(1),
  terminate: z.boolean().optional(),
  ...sourced,
});

export const tiersSchema = z.strictObject({
  enabled: z.boolean(),
  /** When the tiers take effect: violations and waits count from here. */
  effectiveFrom: isoDateText,
  appliesTo: z.strictObject({ hospitalLevels: z.array(z.string()), pharmacies: z.boolean(), excludeNamesMatching: z.string().optional(), ...sourced }),
  downgrades: z.strictObject({
    windowMonths: z.number().int().min(1).max(36),
    perYear: z.number().int().min(1),
    triggers: z.array(triggerSchema).min(1),
    /** At the lowest tier a downgrade extends the wait for promotion instead (第十四条（五）). */
    atLowestExtendYears: z.number().int().min(0),
    ...sourced,
  }),
  promotion: z.strictObject({
    minYearsAtTier: z.number().int().min(0),
    yearsAfterDowngrade: z.number().int().min(0),
    /** Violation types that, in the period at the tier, block a promotion. */
    blockingTypes: z.array(handlingType),
    /** Tiers a promotion to which needs the county's demand and an expert review (第八条). */
    countyReviewTo: z.array(tier),
    ...sourced,
  }),
  /** Tiers where neither the state nor the roster gives one (第十七条). */
  initial: z.strictObject({
    specialDrug: tier,
    byAdmission: z.array(z.strictObject({ until: isoDateText.optional(), tier })).min(1),
    ...sourced,
  }),
  ...sourced,
});

const demerit = z.number().int().min(1).max(12);
/** 情形 → points: one value, or [least, most]. */
const situationPoints = z.strictObject({
  points: z.record(z.string().min(1), z.union([demerit, z.tuple([demerit, demerit]).refine(([a, b]) => a <= b, '范围应为 [最少, 最多]')])),
  ...sourced,
});

/** The 12-point record of the persons of designated institutions (SPEC §5.2). */
export const personnelSchema = z.strictObject({
  enabled: z.boolean(),
  /** Points available at the start of each natural year. */
  initialPoints: z.number().int().min(1),
  keySupervisionAt: z.number().int().min(1),
  suspendAt: z.number().int().min(1),
  terminateAt: z.number().int().min(1),
  /** Points reached → months of suspension (1–6), with the map's own ref or `assumed`: { 9: 1, 10: 2, assumed: true }. */
  suspensionMonths: z
    .object(sourced)
    .catchall(z.number().int().min(1, '暂停期限为1个月以上6个月以下').max(6, '暂停期限为1个月以上6个月以下'))
    .superRefine((m, ctx) => {
      for (const key of Object.keys(m)) if (!(key in sourced) && !/^\d+$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: '应为分值（如 9）对应的暂停月数' });
    }),
  bans: z.strictObject({ cumulativeYears: z.number().int().min(1), oneShotYears: z.number().int().min(1), ...sourced }),
  repair: z.strictObject({ perYear: z.number().int().min(0), maxPoints: z.number().int().min(1), ...sourced }),
  /** Points deducted from the institution's score for a person's highest outcome of the year, charged to the institution that reached it. */
  deductions: z.strictObject({ keySupervision: points, suspended: points, terminated: points, ...sourced }).optional(),
  /** Severity (the 情形 column may name one) → the range of points it carries (e.g. 较轻 1-3 … 最严重 10-12). */
  severities: situationPoints.optional(),
  /** 情形 → the points it carries, or their range: a row naming a 情形 here must carry them. */
  situations: situationPoints.optional(),
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
  scope: scopeSchema.optional(),
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
  /** How the inputs are held to account: a month of settlement missing is a warning, or an error that stops the run. */
  inputs: z.strictObject({ missingMonths: z.enum(['warning', 'error']), ...sourced }).optional(),
  deposit: depositSchema,
  tiers: tiersSchema.optional(),
  personnel: personnelSchema.optional(),
  sanctions: z.strictObject({
    annualLowTerminate: z
      .strictObject({
        enabled: z.boolean(),
        below: points,
        startWithinWorkingDays: z.number().int().min(1),
        deregisterWithinDays: z.number().int().min(1),
        clearingWithinWorkingDays: z.number().int().min(1),
        ...sourced,
      })
      .optional(),
    bans: z
      .strictObject({
        enabled: z.boolean(),
        /** After a termination (解除协议, and the tool's own terminations). */
        terminatedYears: z.number().int().min(1),
        /** After a voluntary exit (主动退出). */
        voluntaryYears: z.number().int().min(0),
        falseMaterialsYears: z.number().int().min(1).optional(),
        blacklistYears: z.number().int().min(1).optional(),
        ...sourced,
      })
      .optional(),
    /** 末位淘汰 in the planning areas named as over quota. */
    bottomElimination: z
      .strictObject({
        enabled: z.boolean(),
        /** 规划区域 → how many of its lowest-scored institutions are listed. */
        areas: z.record(z.string().min(1), z.number().int().min(1)),
        ...sourced,
      })
      .optional(),
    /** The medical-insurance office's staff by bed count. */
    staffing: z
      .strictObject({
        enabled: z.boolean(),
        /** By bed count, lowest first: up to `maxBeds` beds (inclusive) at least `min` staff; the last band has no maxBeds. */
        bands: z.array(z.strictObject({ maxBeds: z.number().int().min(0).optional(), min: z.number().int().min(0) })).min(1),
        ...sourced,
      })
      .optional(),
    /** Agreements ending next year: renew, renew for longer, or not. */
    agreementTerm: z
      .strictObject({
        enabled: z.boolean(),
        /** The usual term (years): the term is counted back from the agreement's end date. */
        years: z.number().int().min(1),
        /** The term of an agreement renewed for longer: no violation of `blockingTypes` in the term. */
        extendedYears: z.number().int().min(1),
        blockingTypes: z.array(handlingType).min(1),
        /** Not renewed: a score below this line (and, as set, a termination or a 末位淘汰 listing in the year). */
        notRenewBelow: points.optional(),
        notRenewWhenTerminated: z.boolean().optional(),
        notRenewWhenEliminated: z.boolean().optional(),
        ...sourced,
      })
      .optional(),
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
    /** The issuing office, under the notice and in the sign-off blocks of the workbooks. */
    issuer: z.string().min(1).optional(),
    /** 公示期 from the date of issue: working days on the official calendar, or calendar days. */
    period: z
      .strictObject({ workingDays: z.number().int().min(1).optional(), days: z.number().int().min(1).optional(), ...sourced })
      .refine((p) => (p.workingDays === undefined) !== (p.days === undefined), '公示期给出 workingDays（工作日）或 days（自然日）其中之一')
      .optional(),
    /** How and to whom an institution objects, as the notice says it. */
    objection: z.strictObject({ text: z.string().min(1), ...sourced }).optional(),
    /** 联系方式 printed in the notice. */
    contact: z.string().min(1).optional(),
    ...sourced,
  }),
});

export type Policy = z.infer<typeof policySchema>;
export type Category = z.infer<typeof categorySchema>;
export type Indicator = z.infer<typeof indicatorSchema>;
export type Grade = z.infer<typeof gradeSchema>;
export type CurveBand = z.infer<typeof curveBandSchema>;
export type PoolPolicy = z.infer<typeof poolSchema>;
export type TiersPolicy = z.infer<typeof tiersSchema>;
export type PersonnelPolicy = z.infer<typeof personnelSchema>;

/** The points → months of `personnel.suspensionMonths`, without its ref / assumed / note. */
export function suspensionMonthsByPoints(m: PersonnelPolicy['suspensionMonths']): Record<string, number> {
  return Object.fromEntries(Object.entries(m).filter((e): e is [string, number] => /^\d+$/.test(e[0]) && typeof e[1] === 'number'));
}
export type Scope = z.infer<typeof scopeSchema>;
