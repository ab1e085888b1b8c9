import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { areaPlaces, lowestInArea } from './rule.js';

const area = (...scores: number[]) => scores.map((s, i) => ({ code: `H${String(i + 1).padStart(3, '0')}`, score: new Decimal(s) }));

describe('lowestInArea (sanctions.bottomElimination)', () => {
  it('lists the N lowest, lowest first, with rank from the top and place from the bottom', () => {
    const listed = lowestInArea(area(95, 80, 70, 60, 50), 2);
    expect(listed.map((p) => [p.code, p.rank, p.of, p.fromBottom])).toEqual([
      ['H005', 5, 5, 1],
      ['H004', 4, 5, 2],
    ]);
  });
  it('lists every institution tied with the N-th lowest', () => {
    expect(lowestInArea(area(95, 80, 65, 65, 60, 50), 3).map((p) => p.code)).toEqual(['H006', 'H005', 'H003', 'H004']);
    // a tie below the cut takes two places: the next score is third from the bottom
    expect(lowestInArea(area(90, 70, 60, 60), 2).map((p) => p.code)).toEqual(['H003', 'H004']);
  });
  it('lists everyone when the area has N or fewer', () => {
    expect(lowestInArea(area(90, 85), 2)).toHaveLength(2);
    expect(lowestInArea([], 3)).toEqual([]);
  });
  it('equal scores share a rank', () => {
    expect(areaPlaces(area(80, 80, 70)).map((p) => p.rank)).toEqual([3, 1, 1]);
  });
  it('property: at least min(N, members) listed, every one listed scores no more than any not listed, and no one tied with a listed one is left out', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }), fc.integer({ min: 1, max: 10 }), (scores, n) => {
        const members = area(...scores.map((s) => s * 5));
        const listed = lowestInArea(members, n);
        const out = members.filter((m) => !listed.some((l) => l.code === m.code));
        expect(listed.length).toBeGreaterThanOrEqual(Math.min(n, members.length));
        for (const l of listed) for (const o of out) expect(l.score.lt(o.score)).toBe(true);
      }),
    );
  });
});
