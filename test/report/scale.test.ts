import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { scoreStats } from '../../src/report/results-workbook.js';
import type { InstitutionPlan } from '../../src/plan/year-plan.js';

describe('the summary’s statistics at a province’s size', () => {
  it('take 300,000 scores (a spread of them as arguments overflowed the stack)', () => {
    const plans = Array.from({ length: 300_000 }, (_, i) => ({ assessment: { status: 'scored', score: new Decimal(60 + (i % 4001) / 100) } }) as unknown as Pick<InstitutionPlan, 'assessment'>);
    expect(scoreStats(plans, 2)).toMatchObject({ count: 300_000, max: 100, min: 60 });
  });
});
