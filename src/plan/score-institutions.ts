// Step 1 of the plan: categorise and score every institution (SPEC §5.3). Decides the
// status first (unqualified, pending, scored), then for a scored institution: indicator
// points capped at their max, their sum, scaling to the full mark, the year's deductions
// (violations handled in the year, and what modules of stage beforeScore impose), the
// clamped and rounded score, and its grade. Pure; records the steps asked for.
import { sharedDecimal } from '../rules/shared-decimal.js';
import { Decimal } from 'decimal.js';
import type { Investigation, RowRef, Violation, YearInputs } from '../domain.js';
import type { Grade, Policy } from '../policy/schema.js';
import { categoryOf, countsInYear, finalScore, gradeOf, indicatorPoints, indicatorsOf, scaleToFullMark, violationPoints, type IndicatorPoints } from '../rules/scoring.js';
import { assessmentStatus } from '../rules/status.js';
import { groupBy } from '../group-by.js';
import { stepsFor, type Step, type Trace } from './derivation.js';
import { IndicatorLineColumns } from './indicator-lines.js';
import { remembered } from '../numbering.js';
import type { Assessment, IndicatorLine, IndicatorLines, ScoreDeduction, ScoredInstitution } from './types.js';

export interface ScoreInput {
  inputs: YearInputs;
  policy: Policy;
  /** Deductions imposed by modules of stage beforeScore, per institution code. */
  moduleDeductions?: ReadonlyMap<string, readonly ScoreDeduction[]>;
  trace: Trace;
}

const ZERO = new Decimal(0);
/** Most institutions have no deduction: they share one empty list (frozen: nothing adds to it). */
const NO_DEDUCTIONS: ScoreDeduction[] = Object.freeze([]) as unknown as ScoreDeduction[];

/** The deduction a violation handled in the year brings (zero-point types bring none). */
export function violationDeduction(v: Violation, policy: Policy): ScoreDeduction | null {
  const points = violationPoints(v, policy.deductions);
  if (points.isZero()) return null;
  const fromRow = policy.deductions.rowPointsOverride && v.points !== null;
  return {
    points,
    rule: 'violationPoints',
    policy: policy.deductions.byType[v.type] ? `deductions.byType.${v.type}` : 'deductions',
    facts: { type: v.type, basis: v.basis, occurredOn: v.occurredOn, handledOn: v.handledOn, pointsFrom: fromRow ? 'row' : 'type' },
    inputs: [v.source],
    violation: v,
  };
}

export function scoreInstitutions({ inputs, policy, moduleDeductions, trace }: ScoreInput): ScoredInstitution<null>[] {
  const violationsBy = groupBy(
    inputs.violations.filter((v) => countsInYear(v, inputs.year)),
    (v) => v.code,
  );
  const investigationsBy = groupBy(inputs.investigations, (i) => i.code);
  const appealsBy = groupBy(inputs.appeals, (a) => a.code);
  // What is the same for every institution of a category: its indicators and their maximum sum.
  const ofCategory = new Map(
    policy.categories.map((c) => {
      const indicators = indicatorsOf(c.code, policy.indicators);
      const position = new Map(indicators.map((i, k) => [i.code, k]));
      return [c.code, { indicators, position, categoryMax: sharedDecimal(indicators.reduce((a, i) => a.plus(i.max), ZERO)), scaledOf: new Map<Decimal, Decimal>() }] as const;
    }),
  );
  // An institution's score row of each of its category's indicators (by position), as read
  // through the table's moving view: filled anew for each institution, nothing made per row.
  const width = Math.max(0, ...[...ofCategory.values()].map((c) => c.indicators.length));
  const found = {
    score: new Array<string | undefined>(width),
    self: new Array<string | null>(width),
    review: new Array<string | null>(width),
    file: new Array<Pick<RowRef, 'file' | 'sheet'> | null>(width),
    row: new Array<number>(width),
  };

  const categories = inputs.institutions.map((inst) => {
    const category = categoryOf(inst, policy.categories);
    if (!category) throw new Error(`institution ${inst.code} has no category (validation should have caught it)`);
    const same = ofCategory.get(category.code);
    if (!same) throw new Error(`category ${category.code} is not the policy's`);
    return { category, same };
  });
  const figures: DecidedFigures = { scoreOf: new Map(), gradeOf: new Map() };
  const lines = new IndicatorLineColumns(categories.reduce((n, c) => n + c.same.indicators.length, 0));

  return inputs.institutions.map((inst, i) => {
    const { category, same } = categories[i] as (typeof categories)[number];
    const violations = violationsBy.get(inst.code) ?? [];
    found.score.fill(undefined);
    // A row of an indicator outside the category is not counted (the checks refuse it); of two rows of one indicator, the later (the checks refuse that too).
    inputs.scores.visitOf(inst.code, (s) => {
      const k = same.position.get(s.indicator);
      if (k === undefined) return;
      found.score[k] = s.score;
      found.self[k] = s.selfScore;
      found.review[k] = s.reviewScore;
      found.file[k] = s.file;
      found.row[k] = s.row;
    });
    const appeals = new Map((appealsBy.get(inst.code) ?? []).map((a) => [a.indicator, a]));
    const points = indicatorPoints(same.indicators, { get: (code) => found.score[same.position.get(code) as number] });
    const first = lines.length;
    points.forEach((p, k) => {
      const given = found.score[k] !== undefined;
      const self = given ? found.self[k] : null;
      const review = given ? found.review[k] : null;
      lines.add({
        given: p.given,
        counted: p.counted,
        self: self ? sharedDecimal(self) : null,
        initial: review ? sharedDecimal(review) : null,
        appeal: appeals.get(p.indicator.code) ?? null,
        file: given ? (found.file[k] ?? null) : null,
        row: given ? (found.row[k] ?? 0) : 0,
      });
    });
    const indicators = lines.linesOf(same.indicators, first);
    const own = [...violations.flatMap((v) => violationDeduction(v, policy) ?? []), ...(moduleDeductions?.get(inst.code) ?? [])];
    const deductions = own.length === 0 ? NO_DEDUCTIONS : own;
    const decision = assessmentStatus(violations, investigationsBy.get(inst.code) ?? [], inputs.asOf, policy.statuses);
    const step = stepsFor(trace, inst.code);
    let assessment: Assessment<null>;
    if (decision.status === 'scored') {
      assessment = scoreOne(points, indicators, same, figures, deductions, policy, step);
    } else if (decision.status === 'pending') {
      assessment = decision;
      step?.(pendingStep(decision.investigation, inputs.asOf));
    } else {
      assessment = decision;
      step?.(unqualifiedStep(decision.violation));
    }
    return { institution: inst, category, indicators, deductions, assessment };
  });
}

/**
 * Figures decided once per shared instance of what they are made from: a year has a million
 * institutions and a few thousand distinct sums, and decimal.js makes a new Decimal of its
 * argument in every operation. Per scaled score and deduction total, the final score; per
 * score, its grade.
 */
interface DecidedFigures {
  scoreOf: Map<Decimal, Map<Decimal, Decimal>>;
  gradeOf: Map<Decimal, Grade>;
}

/** `points`: the counted points of the institution's `lines`; `same`: its category's indicators, their maximum sum, and the scaled sums decided so far. */
function scoreOne(
  points: readonly IndicatorPoints[],
  lines: IndicatorLines,
  same: { categoryMax: Decimal; scaledOf: Map<Decimal, Decimal> },
  figures: DecidedFigures,
  deductions: ScoreDeduction[],
  policy: Policy,
  step: ((s: Step) => number) | null,
): Assessment<null> {
  const { fullMark, decimals } = policy.scoring;
  const { categoryMax } = same;
  // Each kept figure is the shared instance of its value (shared-decimal.ts: memory at scale).
  const base = sharedDecimal(points.reduce((a, p) => a.plus(p.counted), ZERO));
  const scaled = remembered(same.scaledOf, base, () => sharedDecimal(scaleToFullMark(base, categoryMax, fullMark)));
  const deductionTotal = deductions.length === 0 ? ZERO : sharedDecimal(deductions.reduce((a, d) => a.plus(d.points), ZERO));
  const score = remembered(remembered(figures.scoreOf, scaled, () => new Map<Decimal, Decimal>()), deductionTotal, () => sharedDecimal(finalScore(scaled, deductionTotal, fullMark, decimals)));
  const grade = remembered(figures.gradeOf, score, () => gradeOf(score, policy.grades));
  if (step) {
    const indicatorSteps = lines.toArray().map((p: IndicatorLine) =>
      step({
        figure: 'indicator',
        indicator: p.indicator.code,
        value: p.counted.toString(),
        rule: 'indicatorPoints',
        policy: `indicators.${p.indicator.code}`,
        inputs: [...(p.source ? [p.source] : []), ...(p.appeal ? [p.appeal.source] : [])],
        facts: {
          name: p.indicator.name,
          dimension: p.indicator.dimension,
          given: p.given?.toString() ?? null,
          max: p.indicator.max,
          self: p.self?.toString() ?? null,
          initial: p.initial?.toString() ?? null,
          appeal: p.appeal?.result ?? null,
          adjusted: p.appeal?.adjusted ?? null,
          local: p.indicator.local === true,
          monitored: p.indicator.monitored === true,
        },
      }),
    );
    const baseStep = step({ figure: 'base', value: base.toString(), rule: 'indicatorSum', policy: 'scoring', from: indicatorSteps, facts: { categoryMax: categoryMax.toString() } });
    const scaledStep = categoryMax.eq(fullMark)
      ? baseStep
      : step({ figure: 'scaled', value: scaled.toString(), rule: 'scaleToFullMark', policy: 'scoring.fullMark', from: [baseStep], facts: { base: base.toString(), categoryMax: categoryMax.toString(), fullMark } });
    const deductionSteps = deductions.map((d) => step({ figure: 'deduction', value: d.points.toString(), rule: d.rule, policy: d.policy, inputs: d.inputs, facts: d.facts }));
    const scoreStep = step({
      figure: 'score',
      value: score.toFixed(decimals),
      rule: 'finalScore',
      policy: 'scoring',
      from: [scaledStep, ...deductionSteps],
      facts: { scaled: scaled.toString(), deductions: deductionTotal.toString(), unrounded: scaled.minus(deductionTotal).toString(), fullMark, decimals },
    });
    const higher = policy.grades[policy.grades.indexOf(grade) - 1];
    step({ figure: 'grade', value: grade.name, rule: 'gradeBand', policy: `grades.${grade.name}`, from: [scoreStep], facts: { min: grade.min, below: higher?.min ?? null } });
    step({ figure: 'status', value: 'scored', rule: 'statusScored' });
  }
  return { status: 'scored', base, categoryMax, scaled, deductionTotal, score, grade, ranking: null };
}

function pendingStep(inv: Investigation, asOf: string): Step {
  return { figure: 'status', value: 'pending', rule: 'statusPending', policy: 'statuses.pending', inputs: [inv.source], facts: { openedOn: inv.openedOn, closedOn: inv.closedOn, asOf } };
}

function unqualifiedStep(v: Violation): Step {
  return { figure: 'status', value: 'unqualified', rule: 'statusUnqualified', policy: 'statuses.unqualified', inputs: [v.source], facts: { type: v.type, occurredOn: v.occurredOn, handledOn: v.handledOn } };
}
