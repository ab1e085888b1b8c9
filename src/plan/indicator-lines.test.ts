import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import type { Appeal } from '../domain.js';
import type { Indicator } from '../policy/schema.js';
import { sharedDecimal } from '../rules/shared-decimal.js';
import { IndicatorLineColumns, type IndicatorLineFields } from './indicator-lines.js';

const indicator = (code: string, max: number): Indicator => ({ code, name: `指标${code}`, dimension: '基础管理', max, categories: ['A'] }) as Indicator;
const H01 = indicator('H01', 10);
const H02 = indicator('H02', 20);
const file = { file: 'inputs/2024/指标得分.xlsx', sheet: '得分' };
const appeal: Appeal = { code: 'H1', indicator: 'H02', filedOn: '2025-01-10', result: '调整', adjusted: '18', reason: '', reply: '', source: { file: 'inputs/2024/申诉记录.csv', row: 4 } };

describe('IndicatorLineColumns', () => {
  it('gives back each institution its lines as added: figures, review stages, appeal and row', () => {
    const columns = new IndicatorLineColumns(4);
    const lines: IndicatorLineFields[] = [
      { given: sharedDecimal('12.5'), counted: sharedDecimal(10), self: sharedDecimal(11), initial: null, appeal: null, file, row: 7 },
      { given: null, counted: sharedDecimal(0), self: null, initial: null, appeal: null, file: null, row: 0 },
      { given: sharedDecimal('-1'), counted: sharedDecimal(0), self: null, initial: sharedDecimal('17'), appeal: null, file, row: 9 },
      { given: sharedDecimal('18'), counted: sharedDecimal('18'), self: null, initial: sharedDecimal('15'), appeal, file, row: 10 },
    ];
    for (const l of lines) columns.add(l);
    const first = columns.linesOf([H01, H02], 0).toArray();
    const second = [...columns.linesOf([H01, H02], 2)];
    expect(first.map((p) => [p.indicator.code, p.given?.toString() ?? null, p.counted.toString(), p.self?.toString() ?? null, p.initial, p.appeal, p.source])).toEqual([
      ['H01', '12.5', '10', '11', null, null, { file: file.file, sheet: file.sheet, row: 7 }],
      ['H02', null, '0', null, null, null, null],
    ]);
    expect(second.map((p) => [p.indicator.code, p.given?.toString(), p.initial?.toString(), p.appeal, p.source?.row])).toEqual([
      ['H01', '-1', '17', null, 9],
      ['H02', '18', '15', appeal, 10],
    ]);
    expect(columns.linesOf([H01, H02], 2)).toHaveLength(2);
  });

  it('refuses a line past the count it was made for, and lines not yet added', () => {
    const columns = new IndicatorLineColumns(1);
    expect(() => columns.linesOf([H01], 0)).toThrow();
    columns.add({ given: null, counted: sharedDecimal(0), self: null, initial: null, appeal: null, file: null, row: 0 });
    expect(() => columns.add({ given: null, counted: sharedDecimal(0), self: null, initial: null, appeal: null, file: null, row: 0 })).toThrow();
  });

  it('reads back any figures, including values that are not shared instances', () => {
    const figure = fc.option(
      fc.integer({ min: -10_000, max: 10_000 }).map((n) => new Decimal(n).dividedBy(100)),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.array(fc.record({ given: figure, self: figure, initial: figure, row: fc.nat() }), { minLength: 1, maxLength: 30 }), (rows) => {
        const columns = new IndicatorLineColumns(rows.length);
        for (const r of rows) columns.add({ ...r, counted: r.given ?? sharedDecimal(0), appeal: null, file });
        const read = columns.linesOf(rows.map(() => H01), 0).toArray();
        expect(read.map((p) => [p.given?.toString() ?? null, p.self?.toString() ?? null, p.initial?.toString() ?? null, p.source?.row])).toEqual(
          rows.map((r) => [r.given?.toString() ?? null, r.self?.toString() ?? null, r.initial?.toString() ?? null, r.row]),
        );
      }),
    );
  });
});
