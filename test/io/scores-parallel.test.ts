import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { ScoreRows } from '../../src/domain.js';
import { inputSpec } from '../../src/io/input-spec.js';
import { PARALLEL_FROM_BYTES } from '../../src/io/csv-parallel.js';
import { readScoresInParallel } from '../../src/io/scores-parallel.js';
import { loadYear } from '../../src/run/year.js';
import { copyOfSample } from '../helpers/workspace.js';

const spec = inputSpec('scores');

/** The year's scores as the careful reader reads them (the samples are small: under PARALLEL_FROM_BYTES). */
async function careful(workspace: string, year: number): Promise<ScoreRows> {
  const loaded = await loadYear({ workspace, year });
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  return loaded.inputs.scores;
}

const source = (path: string, year = 2024) => ({ path, file: `inputs/${year}/指标得分.csv`, format: 'csv' as const });
const scoresOf = (dir: string, year = 2024) => join(dir, 'inputs', String(year), '指标得分.csv');

describe('the parallel 指标得分 reader', () => {
  it.each([
    ['tianjin', 2024],
    ['jiangsu', 2024],
    ['linyi', 2024],
    ['qinghai', 2024],
  ])('reads the %s sample (%i) exactly as the careful reader does: every text, blank self or review score and row number, in file order, with 1, 2 or 3 threads', async (sample, year) => {
    const rows = [...(await careful(join('samples', sample), year))];
    expect(rows.length).toBeGreaterThan(100);
    for (const workers of [1, 2, 3]) {
      const fast = await readScoresInParallel(source(scoresOf(join('samples', sample), year), year), spec, { fromBytes: 0, workers });
      if (!fast.read) throw new Error(`not read: ${fast.reason} (line ${fast.line})`);
      expect(fast.rows).toBe(rows.length);
      expect([...fast.table]).toEqual(rows);
      // Grouped by institution as the plan asks for them.
      const first = rows[0]?.code ?? '';
      expect(fast.table.of(first)).toEqual(rows.filter((r) => r.code === first));
    }
  });

  it('reads notes, lower-case indicator codes, blank lines and a GBK file with tabs as the careful reader does', async () => {
    const dir = copyOfSample('tianjin');
    const path = scoresOf(dir);
    const lines = readFileSync(path, 'utf8').replace(/^\uFEFF/, '').replace(/\r/g, '').split('\n');
    const changed = lines.flatMap((l, i) => (i === 3 ? [l.replace(/,$/, ',  复核后调整（见附件） ')] : i === 7 ? [l.replace(',H', ',h')] : i === 9 ? ['', l] : [l]));
    writeFileSync(path, changed.join('\r\n'));
    const utf8 = [...(await careful(dir, 2024))];
    expect(utf8.find((r) => r.source.row === 4)?.note).toBe('复核后调整（见附件）');
    expect(utf8.find((r) => r.source.row === 8)?.indicator).toBe('H07');
    expect(utf8.find((r) => r.source.row === 11)?.indicator).toBe('H09'); // after the blank line
    const fast = await readScoresInParallel(source(path), spec, { fromBytes: 0, workers: 2 });
    expect(fast.read && [...fast.table]).toEqual(utf8);

    writeFileSync(path, iconv.encode(changed.join('\n').replace(/,/g, '\t'), 'gbk'));
    const gbk = [...(await careful(dir, 2024))];
    expect(gbk).toEqual(utf8);
    const fastGbk = await readScoresInParallel(source(path), spec, { fromBytes: 0, workers: 2 });
    expect(fastGbk.read && [...fastGbk.table]).toEqual(utf8);
  });

  it.each([
    ['a code in lower case', (l: string) => l.replace(/^H/, 'h'), '机构编码不是12位大写编码'],
    ['a score with a plus sign', (l: string) => l.replace(/^([^,]+,[^,]+,)/, '$1+'), '得分不是普通小数'],
    ['a blank score', (l: string) => l.replace(/^([^,]+,[^,]+,)[^,]*/, '$1'), '得分不是普通小数'],
    ['a self score in full-width digits', (l: string) => l.replace(/^([^,]+,[^,]+,[^,]+,)[^,]*/, '$1１２'), '自评或初审得分不是普通小数'],
    ['an indicator code with a space', (l: string) => l.replace(/^([^,]+,)([^,]+)/, '$1 $2'), '指标编码不是字母和数字'],
    ['a quote inside a field', (l: string) => `${l}"x""y"`, '引号用法复杂'],
  ])('steps aside for %s, naming the line, so that the careful reader words it', async (_what, change, reason) => {
    const dir = copyOfSample('tianjin');
    const path = scoresOf(dir);
    const lines = readFileSync(path, 'utf8').split('\n');
    writeFileSync(path, lines.map((l, i) => (i === 30 ? change(l.replace(/\r$/, '')) : l)).join('\n'));
    expect(await readScoresInParallel(source(path), spec, { fromBytes: 0 })).toEqual({ read: false, reason, line: 31 });
  });

  it('steps aside for the wide form, a title above the header, a thread that fails, and a file below the size threads pay off at', async () => {
    const dir = copyOfSample('tianjin');
    const path = scoresOf(dir);
    const text = readFileSync(path, 'utf8');
    expect(await readScoresInParallel(source(path), spec)).toEqual({ read: false, reason: '文件较小' });
    const failing = join(dir, 'failing-worker.mjs');
    writeFileSync(failing, "throw new Error('线程出错');\n");
    expect(await readScoresInParallel(source(path), spec, { fromBytes: 0, workerScript: failing })).toMatchObject({ read: false, reason: expect.stringContaining('读取线程失败') });
    writeFileSync(path, `2024年度指标得分\n${text}`);
    expect(await readScoresInParallel(source(path), spec, { fromBytes: 0 })).toEqual({ read: false, reason: '第一行不是表头', line: 1 });
    writeFileSync(path, '机构编码,H01,H02\nH12010100001,13.1,8.4\n');
    expect(await readScoresInParallel(source(path), spec, { fromBytes: 0 })).toEqual({ read: false, reason: '第一行不是表头', line: 1 });
  });

  it('in a run, a large file is read by it with its progress told, and one with a bad row is still refused by the careful reader naming file, row and column', async () => {
    const dir = copyOfSample('tianjin');
    const path = scoresOf(dir);
    const rows = [...(await careful(dir, 2024))];
    // A long 备注 on every row makes the file larger than PARALLEL_FROM_BYTES.
    const lines = readFileSync(path, 'utf8').replace(/\r/g, '').split('\n');
    const padding = '说明'.repeat(Math.ceil(PARALLEL_FROM_BYTES / lines.length / 6) + 10);
    const large = lines.map((l, i) => (i === 0 || l === '' ? l : `${l}${padding}`));
    writeFileSync(path, large.join('\r\n'));
    const progress: number[] = [];
    const fast = await readScoresInParallel(source(path), spec, { onProgress: (done, total) => progress.push(done / total) });
    expect(fast.read && [...fast.table]).toEqual(rows.map((r) => ({ ...r, note: r.note + padding })));
    expect(progress.at(-1)).toBe(1);
    // In a run its threads start while the roster is read; its bar is shown in its own stage only.
    const told: string[] = [];
    const loaded = await loadYear({ workspace: dir, year: 2024, onStage: (stage) => told.push(stage), onProgress: (label, done, total) => told.push(`${label} ${done}/${total}`) });
    expect(loaded.ok && loaded.inputs.scores.length).toBe(rows.length);
    const stage = told.indexOf('读取 inputs/2024/指标得分.csv');
    const scoreBar = told.flatMap((t, i) => (t.startsWith(`${spec.name} `) ? [i] : []));
    expect(stage).toBeGreaterThan(told.findIndex((t) => t.startsWith('读取 inputs/2024/机构名册')));
    expect(scoreBar.length).toBeGreaterThan(0);
    expect(scoreBar.every((i) => i > stage && i < stage + 1 + scoreBar.length)).toBe(true);
    const size = Buffer.byteLength(large.join('\r\n'));
    expect(told[scoreBar.at(-1) ?? 0]).toBe(`${spec.name} ${size}/${size}`);

    writeFileSync(path, large.map((l, i) => (i === 100 ? l.replace(/^([^,]+,[^,]+,)[^,]*/, '$1八十') : l)).join('\r\n'));
    const refused = await loadYear({ workspace: dir, year: 2024 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.problems).toContainEqual(expect.objectContaining({ file: 'inputs/2024/指标得分.csv', row: 101, column: '得分', value: '八十' }));
  });
});
