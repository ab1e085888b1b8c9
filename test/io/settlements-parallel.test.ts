import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SettlementYear } from '../../src/domain.js';
import { institutionKey } from '../../src/io/csv-range.js';
import { inputSpec } from '../../src/io/input-spec.js';
import { PARALLEL_FROM_BYTES, readSettlementsInParallel } from '../../src/io/settlements-parallel.js';
import { loadYear } from '../../src/run/year.js';
import { copyOfSample } from '../helpers/workspace.js';

const spec = inputSpec('settlements');

/** The year as the careful reader reads it (the samples are small: under PARALLEL_FROM_BYTES). */
async function careful(workspace: string, year: number) {
  const loaded = await loadYear({ workspace, year });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  return { settlements: loaded.inputs.settlements, roster: loaded.inputs.institutions.map((i) => i.code) };
}

const sorted = (m: ReadonlyMap<string, SettlementYear>) => [...m.values()].sort((a, b) => (a.code < b.code ? -1 : 1));
const source = (path: string) => ({ path, file: 'inputs/2024/月度结算.csv', format: 'csv' as const });

describe('the parallel 月度结算 reader', () => {
  it.each([
    ['tianjin', 2024],
    ['jiangsu', 2024],
    ['linyi', 2024],
    ['qinghai', 2024],
  ])('reads the %s sample (%i) exactly as the careful reader does: every amount, blank reserve and row number, with 1, 2 or 3 threads', async (sample, year) => {
    const { settlements, roster } = await careful(join('samples', sample), year);
    expect(settlements.size).toBeGreaterThan(100);
    for (const workers of [1, 2, 3]) {
      const fast = await readSettlementsInParallel({ ...source(join('samples', sample, 'inputs', String(year), '月度结算.csv')), file: `inputs/${year}/月度结算.csv` }, spec, year, roster, { fromBytes: 0, workers });
      if (!fast.read) throw new Error(`not read: ${fast.reason} (line ${fast.line})`);
      expect(sorted(fast.byCode)).toEqual(sorted(settlements));
    }
  });

  it('finds each row’s institution in a roster in any order, with a code twice or not a code at all, as in the roster’s own order', async () => {
    const { settlements, roster } = await careful(join('samples', 'tianjin'), 2024);
    const path = join('samples', 'tianjin', 'inputs', '2024', '月度结算.csv');
    // Reversed (pharmacies before hospitals), the first code again at the end, and two that are not codes.
    const shuffled = [...roster].reverse().concat(roster[0] ?? '', 'h12010100001', 'H1201010000１');
    const fast = await readSettlementsInParallel(source(path), spec, 2024, shuffled, { fromBytes: 0, workers: 2 });
    if (!fast.read) throw new Error(`not read: ${fast.reason} (line ${fast.line})`);
    expect(sorted(fast.byCode)).toEqual(sorted(settlements));
  });

  it('keys a code as the pattern H/P and eleven ASCII digits says, and nothing else', () => {
    const byPattern = (code: string) => (/^[HP]\d{11}$/.test(code) ? (code[0] === 'P' ? 1e11 : 0) + Number(code.slice(1)) : -1);
    fc.assert(
      fc.property(fc.oneof(fc.stringMatching(/^[HPhp][0-9]{10,12}$/), fc.string({ maxLength: 13 }), fc.constantFrom('H12010100001', 'P99999999999', 'H00000000000', 'H1201010000１', 'H12010100001 ')), (code) => {
        expect(institutionKey(code)).toBe(byPattern(code));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a GBK file with 2024年3月 months, and a tab-separated one, as their UTF-8 comma forms', async () => {
    const dir = copyOfSample('tianjin');
    const path = join(dir, 'inputs', '2024', '月度结算.csv');
    const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    const { settlements, roster } = await careful(dir, 2024);
    const monthsInChinese = text.replace(/,2024-0?(\d{1,2}),/g, (_m, month: string) => `,2024年${Number(month)}月,`);
    writeFileSync(path, iconv.encode(monthsInChinese, 'gbk'));
    const gbk = await readSettlementsInParallel(source(path), spec, 2024, roster, { fromBytes: 0 });
    expect(gbk.read && sorted(gbk.byCode)).toEqual(sorted(settlements));
    writeFileSync(path, text.replace(/"([^"]*)"/g, (_q, amount: string) => amount.replace(/,/g, '')).replace(/,/g, '\t'));
    const tabs = await readSettlementsInParallel(source(path), spec, 2024, roster, { fromBytes: 0 });
    expect(tabs.read && sorted(tabs.byCode)).toEqual(sorted(settlements));
  });

  it.each([
    ['a month twice', (lines: string[]) => [...lines.slice(0, 40), lines[39] ?? '', ...lines.slice(40)], 41, '同一机构同一月份重复'],
    ['a code not in the roster', (lines: string[]) => lines.map((l, i) => (i === 30 ? l.replace(/^[HP]\d+/, 'H99999999999') : l)), 31, '机构编码不在名册中或格式不同'],
    ['three decimals', (lines: string[]) => lines.map((l, i) => (i === 20 ? l.replace(/,(\d+)\.(\d\d)(,|\r|$)/, ',$1.$2' + '5$3') : l)), 21, '结算金额不是最多两位小数的元'],
    ['a negative amount', (lines: string[]) => lines.map((l, i) => (i === 12 ? l.replace(/,2024-(\d\d),/, ',2024-$1,-') : l)), 13, '结算金额不是最多两位小数的元'],
    ['another year', (lines: string[]) => lines.map((l, i) => (i === 8 ? l.replace(/,2024-/, ',2023-') : l)), 9, '结算月份不是本年度的常见写法'],
    ['a quote inside a field', (lines: string[]) => lines.map((l, i) => (i === 5 ? l.replace(/\r$/, '"x""y"\r') : l)), 6, '引号用法复杂'],
  ])('steps aside for %s, naming the line, so that the careful reader words it', async (_what, change, line, reason) => {
    const dir = copyOfSample('tianjin');
    const path = join(dir, 'inputs', '2024', '月度结算.csv');
    const { roster } = await careful(dir, 2024);
    writeFileSync(path, change(readFileSync(path, 'utf8').split('\n')).join('\n'));
    expect(await readSettlementsInParallel(source(path), spec, 2024, roster, { fromBytes: 0 })).toEqual({ read: false, reason, line });
  });

  it('steps aside when a thread fails, so that the careful reader reads the file', async () => {
    const dir = copyOfSample('tianjin');
    const path = join(dir, 'inputs', '2024', '月度结算.csv');
    const { roster } = await careful(dir, 2024);
    const failing = join(dir, 'failing-worker.mjs');
    writeFileSync(failing, "throw new Error('线程出错');\n");
    expect(await readSettlementsInParallel(source(path), spec, 2024, roster, { fromBytes: 0, workerScript: failing })).toMatchObject({ read: false, reason: expect.stringContaining('读取线程失败') });
  });

  it('steps aside for an amount in 万元, and for a file below the size threads pay off at', async () => {
    const dir = copyOfSample('tianjin');
    const path = join(dir, 'inputs', '2024', '月度结算.csv');
    const { roster } = await careful(dir, 2024);
    expect(await readSettlementsInParallel(source(path), spec, 2024, roster)).toEqual({ read: false, reason: '文件较小' });
    writeFileSync(path, readFileSync(path, 'utf8').replace('结算金额', '结算金额（万元）'));
    expect(await readSettlementsInParallel(source(path), spec, 2024, roster, { fromBytes: 0 })).toMatchObject({ read: false, reason: '万元', line: 1 });
  });

  it('in a run, a large file is read by it, and one with a bad row is still refused by the careful reader naming file, row and column', async () => {
    const dir = copyOfSample('tianjin');
    const path = join(dir, 'inputs', '2024', '月度结算.csv');
    const { settlements } = await careful(dir, 2024);
    // A 备注 column of long text makes the file larger than PARALLEL_FROM_BYTES; nothing reads it.
    const lines = readFileSync(path, 'utf8').replace(/\r/g, '').split('\n');
    const padding = '说明'.repeat(Math.ceil(PARALLEL_FROM_BYTES / lines.length / 6) + 10);
    const large = lines.map((l, i) => (l === '' ? l : `${l},${i === 0 ? '备注' : padding}`));
    writeFileSync(path, large.join('\r\n'));
    const loaded = await careful(dir, 2024);
    expect(sorted(loaded.settlements)).toEqual(sorted(settlements));
    const fast = await readSettlementsInParallel(source(path), spec, 2024, loaded.roster);
    expect(fast.read).toBe(true);

    writeFileSync(path, large.map((l, i) => (i === 100 ? l.replace(/,2024-(\d\d),/, ',2024-13,') : l)).join('\r\n'));
    const refused = await loadYear({ workspace: dir, year: 2024 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems).toContainEqual(expect.objectContaining({ file: 'inputs/2024/月度结算.csv', row: 101, column: '结算月份', value: '2024-13' }));
  });
});
