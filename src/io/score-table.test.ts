import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { IndicatorScore } from '../domain.js';
import { ScoreTable } from './score-table.js';

const row = (code: string, indicator: string, score: string, rowNumber: number, over: Partial<IndicatorScore> = {}): IndicatorScore => ({
  code,
  indicator,
  score,
  scoreColumn: '得分',
  selfScore: null,
  reviewScore: null,
  note: '',
  source: { file: 'inputs/2024/指标得分.csv', sheet: undefined, row: rowNumber },
  ...over,
});

const scoreRow = fc.record({
  code: fc.constantFrom('H12010100001', 'H12010100002', 'P12010300001'),
  indicator: fc.constantFrom('H01', 'H02', 'P01'),
  score: fc.constantFrom('0', '7.5', '10', '12.25'),
  scoreColumn: fc.constantFrom('得分', 'H01'),
  selfScore: fc.option(fc.constantFrom('8', '9.5'), { nil: null }),
  reviewScore: fc.option(fc.constantFrom('8', '9.5'), { nil: null }),
  note: fc.constantFrom('', '复核后调整'),
  source: fc.record({ file: fc.constantFrom('inputs/2024/指标得分.csv', 'inputs/2024.xlsx'), sheet: fc.constantFrom(undefined, '指标得分'), row: fc.integer({ min: 2, max: 1_048_576 }) }),
}).map((r): IndicatorScore => ({ ...r, source: { ...r.source } })); // plain objects, as the reader makes

describe('ScoreTable', () => {
  it('gives back every row as it was pushed, in file order (more rows than its first columns hold)', () => {
    fc.assert(
      fc.property(fc.array(scoreRow, { maxLength: 3000 }), (rows) => {
        const table = ScoreTable.from(rows);
        expect(table.length).toBe(rows.length);
        expect([...table]).toEqual(rows);
        rows.forEach((r, i) => expect(table.at(i)).toStrictEqual(r));
        // The visit shows each row's texts and reference, in the same order.
        const visited: IndicatorScore[] = [];
        table.visit((v) => visited.push({ code: v.code, indicator: v.indicator, score: v.score, scoreColumn: v.scoreColumn, selfScore: v.selfScore, reviewScore: v.reviewScore, note: rows[visited.length]?.note ?? '', source: v.source() }));
        expect(visited).toEqual(rows);
      }),
      { numRuns: 30 },
    );
  });

  it("gives one institution's rows in file order, wherever they are in the file", () => {
    const rows = [row('H1', 'H01', '10', 2), row('H2', 'H01', '9', 3), row('H1', 'H02', '8', 4, { note: '补录' }), row('H2', 'H02', '7', 5), row('H1', 'H03', '6', 6)];
    const table = ScoreTable.from(rows);
    expect(table.of('H1')).toEqual([rows[0], rows[2], rows[4]]);
    expect(table.of('H2')).toEqual([rows[1], rows[3]]);
    expect(table.of('H9')).toEqual([]);
    table.push(row('H2', 'H03', '5', 7));
    expect(table.of('H2').map((r) => r.source.row)).toEqual([3, 5, 7]);
  });

  it("shows one institution's rows through the moving view as `of` gives them, each file one object", () => {
    fc.assert(
      fc.property(fc.array(scoreRow, { maxLength: 500 }), (rows) => {
        const table = ScoreTable.from(rows);
        const files = new Map<string, object>();
        for (const code of ['H12010100001', 'H12010100002', 'P12010300001', 'H9']) {
          const seen: IndicatorScore[] = [];
          table.visitOf(code, (v) => {
            const key = `${v.file.file}|${v.file.sheet}`;
            expect(files.get(key) ?? v.file).toBe(v.file); // the same object for every row of a file
            files.set(key, v.file);
            seen.push({ code: v.code, indicator: v.indicator, score: v.score, scoreColumn: v.scoreColumn, selfScore: v.selfScore, reviewScore: v.reviewScore, note: '', source: { file: v.file.file, sheet: v.file.sheet, row: v.row } });
          });
          expect(seen).toEqual(table.of(code).map((r) => ({ ...r, note: '' })));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('keeps the rows a filter keeps, in order, and leaves itself as it was', () => {
    const rows = [row('H1', 'H01', '10', 2), row('P1', 'P01', '9', 3), row('H1', 'H02', '8', 4)];
    const table = ScoreTable.from(rows);
    const kept = table.filter((r) => r.code !== 'P1');
    expect([...kept]).toEqual([rows[0], rows[2]]);
    expect(kept.of('P1')).toEqual([]);
    expect(table.length).toBe(3);
  });
});
