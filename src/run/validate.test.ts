import { describe, expect, it } from 'vitest';
import { institution, scores, yearInputs } from '../../test/helpers/inputs.js';
import { tianjinPolicy } from '../../test/helpers/policy.js';
import type { IndicatorScore } from '../domain.js';
import { validateYear } from './validate.js';

const policy = tianjinPolicy();
const P = 'P12010300001';
const roster = { kind: 'institutions' as const, name: '机构名册', file: 'inputs/2024/机构名册.csv', path: '', rows: 1, readable: true };

describe('validateYear: scores within each indicator’s bounds', () => {
  it('judges the same score text against each indicator’s own maximum, in every stage', () => {
    // P01 has 30 points, P02 15: "20" is within P01 and above P02, whichever comes first.
    const rows: IndicatorScore[] = [
      ...scores(P, { P01: '20', P02: '20', P03: '-0.5', P04: '10', P05: '10' }),
      { ...(scores(P, { P01: '20' }, 7)[0] as IndicatorScore), code: 'P12010300002' },
    ];
    const withStages = rows.map((r, i) => (i === 3 ? { ...r, selfScore: '10.5', reviewScore: '11' } : i === 4 ? { ...r, selfScore: '9', reviewScore: '-1' } : r));
    const inputs = yearInputs({
      institutions: [institution(P), institution('P12010300002', { source: { file: 'inputs/2024/机构名册.csv', row: 3 } })],
      scores: withStages,
      sources: [roster],
    });
    const found = validateYear(inputs, policy).problems.filter((p) => p.message.includes('应在')).map((p) => `${p.row} ${p.column} ${p.value} ${p.message}`);
    expect(found).toEqual([
      '3 得分 20 得分应在 0 至 15（指标 P02 满分）之间',
      '4 得分 -0.5 得分应在 0 至 35（指标 P03 满分）之间',
      '5 自评得分 10.5 自评得分应在 0 至 10（指标 P04 满分）之间',
      '5 初审得分 11 初审得分应在 0 至 10（指标 P04 满分）之间',
      '6 初审得分 -1 初审得分应在 0 至 10（指标 P05 满分）之间',
    ]);
  });
});
