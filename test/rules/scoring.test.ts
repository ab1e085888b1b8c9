import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import type { Investigation, Violation } from '../../src/domain.js';
import {
  categoryOf,
  competitionRanks,
  countsInYear,
  dimensionSubtotalNumbers,
  dimensionSubtotals,
  finalScore,
  gradeOf,
  indicatorPoints,
  indicatorsOf,
  scaleToFullMark,
  violationPoints,
} from '../../src/rules/scoring.js';
import { assessmentStatus } from '../../src/rules/status.js';
import { sharedDecimal } from '../../src/rules/shared-decimal.js';
import { tianjinPolicy } from '../helpers/policy.js';

const policy = tianjinPolicy();
const src = { file: 'x.csv', row: 2 };
const violation = (over: Partial<Violation>): Violation => ({
  code: 'H12010100001',
  occurredOn: '2024-03-01',
  handledOn: '2024-04-01',
  type: '约谈',
  basis: '协议',
  points: null,
  recoveredFen: null,
  note: '',
  source: src,
  ...over,
});
const investigation = (openedOn: string, closedOn: string | null, major = true): Investigation => ({ code: 'H12010100001', openedOn, closedOn, conclusion: '', major, source: src });

describe('categoryOf (天津第二条)', () => {
  it('splits hospitals by inpatient service and pharmacies', () => {
    expect(categoryOf({ kind: '医疗机构', inpatient: true }, policy.categories)?.code).toBe('inpatient');
    expect(categoryOf({ kind: '医疗机构', inpatient: false }, policy.categories)?.code).toBe('outpatient');
    expect(categoryOf({ kind: '零售药店', inpatient: null }, policy.categories)?.code).toBe('pharmacy');
  });
  it('does not guess a hospital whose inpatient service is blank', () => {
    expect(categoryOf({ kind: '医疗机构', inpatient: null }, policy.categories)).toBeUndefined();
  });
});

describe('indicator points and scaling (天津第十四条: 百分制)', () => {
  it('caps a score at its indicator max', () => {
    const inds = indicatorsOf('pharmacy', policy.indicators);
    const pts = indicatorPoints(inds, new Map([['P01', '35'], ['P02', '10']]));
    expect(pts.find((p) => p.indicator.code === 'P01')?.counted.toString()).toBe('30');
    expect(pts.find((p) => p.indicator.code === 'P03')?.counted.toString()).toBe('0');
  });
  it('scales an outpatient hospital (95 points of indicators) to 100', () => {
    const max = indicatorsOf('outpatient', policy.indicators).reduce((a, i) => a + i.max, 0);
    expect(max).toBe(95);
    expect(scaleToFullMark(new Decimal('85.5'), max, 100).toString()).toBe('90');
    expect(scaleToFullMark(new Decimal('85.5'), 100, 100).toString()).toBe('85.5');
  });
});

describe('deductions (天津第八条)', () => {
  it('counts a violation in the year it is handled, whatever year it occurred', () => {
    expect(countsInYear(violation({ occurredOn: '2023-11-20', handledOn: '2024-01-15' }), 2024)).toBe(true);
    expect(countsInYear(violation({ occurredOn: '2024-11-20', handledOn: '2025-01-15' }), 2024)).toBe(false);
  });
  it('uses the points of the 处理类型, or the row 扣分 when filled', () => {
    expect(violationPoints(violation({ type: '罚款' }), policy.deductions).toString()).toBe('5');
    expect(violationPoints(violation({ type: '扣分', points: '1.5' }), policy.deductions).toString()).toBe('1.5');
    expect(violationPoints(violation({ type: '约谈', points: '4' }), policy.deductions).toString()).toBe('4');
  });
});

describe('finalScore (SPEC §5.3)', () => {
  it('clamps to 0..100 and rounds half up to 2 decimals', () => {
    expect(finalScore(new Decimal('90.125'), new Decimal(0), 100, 2).toFixed(2)).toBe('90.13');
    expect(finalScore(new Decimal('90.124999'), new Decimal(0), 100, 2).toFixed(2)).toBe('90.12');
    expect(finalScore(new Decimal('3'), new Decimal(5), 100, 2).toFixed(2)).toBe('0.00');
    expect(finalScore(new Decimal('100'), new Decimal(0), 100, 2).toFixed(2)).toBe('100.00');
    // 89.3 of 95 scaled: 94.0000… − 2 points → 92.00
    expect(finalScore(scaleToFullMark(new Decimal('89.3'), 95, 100), new Decimal(2), 100, 2).toFixed(2)).toBe('92.00');
  });
});

describe('gradeOf', () => {
  it.each([
    ['100', '优秀'],
    ['90', '优秀'],
    ['89.99', '合格'],
    ['60', '合格'],
    ['59.99', '不合格'],
    ['0', '不合格'],
  ])('%s → %s', (s, g) => expect(gradeOf(new Decimal(s), policy.grades).name).toBe(g));
});

describe('competitionRanks', () => {
  it('gives equal scores the same rank and skips after a tie', () => {
    expect(competitionRanks(['80', '95', '80', '70'].map((s) => new Decimal(s)))).toEqual([2, 1, 2, 4]);
  });
  it('ranks by the decimals, not by their nearest numbers', () => {
    // The first two are one number as doubles, but not equal.
    expect(competitionRanks(['90.000000000000000001', '90', '90.000000000000000001', '89.99'].map((s) => new Decimal(s)))).toEqual([1, 3, 1, 4]);
  });
  it('is consistent with the scores (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 1, maxLength: 50 }), (xs) => {
        const scores = xs.map((x) => new Decimal(x).dividedBy(2));
        const ranks = competitionRanks(scores);
        scores.forEach((a, i) =>
          scores.forEach((b, j) => {
            if (a.gt(b)) expect(ranks[i]!).toBeLessThan(ranks[j]!);
            if (a.eq(b)) expect(ranks[i]).toBe(ranks[j]);
          }),
        );
        // rank = 1 + number of strictly higher scores
        scores.forEach((a, i) => expect(ranks[i]).toBe(1 + scores.filter((b) => b.gt(a)).length));
      }),
    );
  });
});

describe('assessmentStatus (天津第十六、十七条)', () => {
  it('is pending while an investigation is open at year end', () => {
    expect(assessmentStatus([], [investigation('2024-06-01', null)], '2024-12-31', policy.statuses).status).toBe('pending');
    expect(assessmentStatus([], [investigation('2024-06-01', '2025-02-01')], '2024-12-31', policy.statuses).status).toBe('pending');
  });
  it('follows the day the assessment ends when given (第十六条: 考核工作结束前)', () => {
    expect(assessmentStatus([], [investigation('2024-06-01', '2025-02-01')], '2025-03-15', policy.statuses).status).toBe('scored');
    expect(assessmentStatus([], [investigation('2025-01-10', null)], '2025-03-15', policy.statuses).status).toBe('pending');
  });
  it('waits only for an investigation of a suspected major violation (第十六条: 涉嫌存在重大违法违规情形)', () => {
    expect(assessmentStatus([], [investigation('2024-06-01', null, false)], '2024-12-31', policy.statuses).status).toBe('scored');
    expect(assessmentStatus([], [investigation('2024-06-01', null, false), investigation('2024-07-01', null)], '2024-12-31', policy.statuses).status).toBe('pending');
  });
  it('is scored when the investigation closed within the year, or opens after it', () => {
    expect(assessmentStatus([], [investigation('2024-03-01', '2024-09-30')], '2024-12-31', policy.statuses).status).toBe('scored');
    expect(assessmentStatus([], [investigation('2025-01-10', null)], '2024-12-31', policy.statuses).status).toBe('scored');
  });
  it('is unqualified after refusing materials, even under investigation', () => {
    const s = assessmentStatus([violation({ type: '拒不提供资料' })], [investigation('2024-06-01', null)], '2024-12-31', policy.statuses);
    expect(s.status).toBe('unqualified');
    expect(s.status === 'unqualified' && s.violation.type).toBe('拒不提供资料');
  });
});

describe('dimension subtotals as the numbers a sheet shows', () => {
  const dimensions = ['基础管理', '服务质量', '基金管理', '无指标的维度'];
  /** A line of points in one of the first three dimensions: any value of up to 9 places, some of them past 2^53 once scaled. */
  const line = fc.record({
    dimension: fc.constantFrom('基础管理', '服务质量', '基金管理'),
    units: fc.bigInt({ min: 0n, max: 10n ** 17n }),
    places: fc.integer({ min: 0, max: 9 }),
  });

  it('are each exactly decimal.js’ sum’s toNumber(), NaN where a dimension has no indicator, whatever the places', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const points = lines.map((l, k) => {
          const counted = sharedDecimal(new Decimal(l.units.toString()).dividedBy(new Decimal(10).pow(l.places)));
          return { indicator: { ...policy.indicators[0]!, code: `X${k}`, dimension: l.dimension }, given: counted, counted };
        });
        const decimal = dimensionSubtotals(points);
        expect([...dimensionSubtotalNumbers(points, dimensions)]).toEqual(dimensions.map((d) => decimal.get(d)?.toNumber() ?? Number.NaN));
      }),
      { numRuns: 2000 },
    );
  });

  it('sum 0.1 + 0.2 to 0.3, as decimal.js does (not 0.30000000000000004)', () => {
    const points = ['0.1', '0.2'].map((v) => ({ indicator: { ...policy.indicators[0]!, dimension: '基础管理' }, given: null, counted: sharedDecimal(v) }));
    expect(dimensionSubtotalNumbers(points, ['基础管理'])[0]).toBe(0.3);
  });
});
