// A year large enough that 考核结果 is deflated on a thread, which makes its detail and
// category sheets while the other files are written here: the run hands it off, the
// manifest hashes the workbook as it is once whole, and the workbook reads back whole —
// with 评审过程 (Jiangsu) made here after rows made on the thread.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { generateWorkspace } from '../../src/sample/generate.js';
import { loadYear, runYear } from '../../src/run/year.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('a year whose 考核结果 is made on its thread', () => {
  for (const profile of ['tianjin', 'jiangsu']) {
    it(`${profile}: hands the workbook off, writes the rest meanwhile, and the manifest hashes it whole`, async () => {
      const workspace = mkdtempSync(join(tmpdir(), `assess-handed-${profile}-`));
      await generateWorkspace({ outDir: workspace, profile, seed: 7, institutions: 3_000, year: 2024 });
      const stages: string[] = [];
      const onStage = (s: string) => stages.push(s);
      const loaded = await loadYear({ workspace, year: 2024, onStage });
      if (!loaded.ok) throw new Error(loaded.problems[0]?.message);
      const done = await runYear({ workspace, year: 2024, onStage }, loaded);
      // Handed off: the next files' stage follows the workbook's at once (its rows are many thousands).
      const at = stages.indexOf('写入 考核结果-2024.xlsx');
      expect(at).toBeGreaterThan(0);
      expect(stages[at + 1]).toBe('写入 results/2024/ 其余文件');
      expect(stages.slice(at + 2)).toContain('写入 质量保证金-2024.xlsx');
      // The other workbooks' and the lists' rows are made after the hand-off, while the thread works.
      expect(stages.indexOf('生成 质量保证金-2024.xlsx 的各表')).toBeGreaterThan(at);
      expect(stages.indexOf('生成 公示名单-2024 和 公示公告-2024.html')).toBeGreaterThan(at);
      const dir = join(workspace, 'results', '2024');
      const file = join(dir, '考核结果-2024.xlsx');
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { outputs: { name: string; sha256: string }[] };
      expect(manifest.outputs.find((o) => o.name === '考核结果-2024.xlsx')?.sha256).toBe(sha256(file));
      // Every file made after the hand-off was written whole under the name announced for it.
      expect(manifest.outputs.map((o) => o.name)).toEqual(expect.arrayContaining(['质量保证金-2024.xlsx', '公示名单-2024.xlsx', '公示名单-2024-考核结果.csv', '公示公告-2024.html']));
      for (const o of manifest.outputs) expect(sha256(join(dir, o.name)), o.name).toBe(o.sha256);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const detail = wb.getWorksheet('指标明细');
      const lines = done.plan.institutions.reduce((n, r) => n + r.indicators.length, 0);
      expect(lines).toBeGreaterThan(20_000);
      let codes = 0;
      detail?.eachRow((row, n) => {
        if (n > 2 && /^[HP]\d{11}$/.test(String(row.getCell(1).value))) codes++;
      });
      expect(codes).toBe(lines);
      if (profile === 'jiangsu') expect(wb.getWorksheet('评审过程')?.rowCount).toBeGreaterThan(lines);
    }, 60_000);
  }
});
