import { Decimal } from 'decimal.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scoreStats } from '../../src/report/results-workbook.js';
import type { InstitutionPlan } from '../../src/plan/year-plan.js';

describe('the summary’s statistics at a province’s size', () => {
  it('take 300,000 scores (a spread of them as arguments overflowed the stack)', () => {
    const plans = Array.from({ length: 300_000 }, (_, i) => ({ assessment: { status: 'scored', score: new Decimal(60 + (i % 4001) / 100) } }) as unknown as Pick<InstitutionPlan, 'assessment'>);
    expect(scoreStats(plans, 2)).toMatchObject({ count: 300_000, max: 100, min: 60 });
  });

  it('are what decimal.js gives summing the scores themselves (any places, any statuses)', () => {
    const result = fc.record({ status: fc.constantFrom('scored', 'scored', 'pending', 'unqualified'), score: fc.oneof(fc.integer({ min: 0, max: 10_000 }).map((n) => new Decimal(n).dividedBy(100)), fc.integer({ min: 0, max: 100_000 }).map((n) => new Decimal(n).dividedBy(1000))) });
    fc.assert(
      fc.property(fc.array(result, { maxLength: 200 }), fc.constantFrom(0, 1, 2), (rows, decimals) => {
        const plans = rows.map((r) => ({ assessment: r }) as unknown as Pick<InstitutionPlan, 'assessment'>);
        const scores = rows.filter((r) => r.status === 'scored').map((r) => r.score);
        const sum = scores.reduce((a, s) => a.plus(s), new Decimal(0));
        expect(scoreStats(plans, decimals)).toEqual(
          scores.length === 0
            ? { count: 0, avg: null, max: null, min: null }
            : { count: scores.length, avg: sum.dividedBy(scores.length).toDecimalPlaces(decimals, Decimal.ROUND_HALF_UP).toNumber(), max: Decimal.max(...scores).toNumber(), min: Decimal.min(...scores).toNumber() },
        );
      }),
      { numRuns: 300 },
    );
  });
});
