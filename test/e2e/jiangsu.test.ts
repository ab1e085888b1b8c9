// The Jiangsu sample end to end (samples/jiangsu, 南京市 2024; its README lists the special
// cases): review stages with appeals, pharmacies out of scope, the whole pool paid out to
// the fen with caps binding, a refusal's deposit redistributed, a pending deposit held.
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/workspace.js';

let ws: string;
let rows: Record<string, string>[];
let stdout: string;
const by = (code: string) => rows.find((r) => r.code === code);
const fen = (yuan: string | undefined) => Math.round(Number(yuan) * 100);

beforeAll(async () => {
  ws = join(mkdtempSync(join(tmpdir(), 'assess-jiangsu-')), 'jiangsu');
  cpSync('samples/jiangsu', ws, { recursive: true });
  const run = await runCli(['year', '2024', '-w', ws]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  stdout = run.stdout;
  rows = parse(readFileSync(join(ws, 'results/2024/institutions.csv'), 'utf8'), { columns: true });
}, 60_000);

describe('the Jiangsu sample (南京市 2024)', () => {
  it('leaves the pharmacies out of the scheme, and says so once, in the summary and the manifest', () => {
    expect(rows).toHaveLength(310);
    expect(rows.some((r) => (r.code ?? '').startsWith('P'))).toBe(false);
    expect(stdout.match(/10 家零售药店不在本办法评价范围内/g)).toHaveLength(1);
    const manifest = JSON.parse(readFileSync(join(ws, 'results/2024/manifest.json'), 'utf8'));
    expect(manifest.out_of_scope.institutions).toHaveLength(10);
    expect(manifest.out_of_scope.rows_left_out).toBe(120); // their 12 months each
  });

  it('pays the whole pool out to the fen: Σ payout = the pool, nothing kept by the fund, the pending deposit held outside', () => {
    const sum = (key: string) => rows.reduce((a, r) => a + fen(r[key]), 0);
    const pending = by('H32010400030');
    expect(pending).toMatchObject({ status: 'pending', payout: '0.00', net: '' });
    expect(pending?.held).toBe(pending?.withheld);
    expect(sum('forfeited')).toBe(0);
    expect(sum('payout')).toBe(sum('withheld') - fen(pending?.held));
    const manifest = JSON.parse(readFileSync(join(ws, 'results/2024/manifest.json'), 'utf8'));
    expect(manifest.pool).toMatchObject({ balanced: true, members: 309 });
    expect(fen(manifest.pool.pool)).toBe(sum('payout'));
    // Every member's net adds to nothing: the pool only moves money between them.
    expect(rows.filter((r) => r.net !== '').reduce((a, r) => a + fen(r.net), 0)).toBe(0);
  });

  it('gives nothing to the institutions below 60 and to the refusal, whose deposits the others share', () => {
    for (const code of ['H32010600020', 'H32011300015', 'H32011500002', 'H32011500006', 'H32011500021', 'H32011500048']) {
      const r = by(code);
      expect(Number(r?.score), code).toBeLessThan(60);
      expect(r?.payout).toBe('0.00');
      expect(fen(r?.net)).toBe(-fen(r?.withheld));
    }
    const refusal = by('H32010200016');
    expect(refusal).toMatchObject({ status: 'unqualified', payout: '0.00', forfeited: '0.00', lists: 'results;allocation;terminated' });
  });

  it('caps six institutions at exactly 1.2 × their own deposit (rounded down to the fen), and nobody above it', () => {
    for (const code of ['H32010400007', 'H32010400010', 'H32010600038', 'H32011500064', 'H32011600001', 'H32011600022']) {
      const r = by(code);
      expect(fen(r?.payout), code).toBe(Math.floor((fen(r?.withheld) * 12) / 10));
    }
    for (const r of rows) expect(fen(r.payout), r.code).toBeLessThanOrEqual(Math.floor((fen(r.withheld) * 12) / 10));
  });

  it('warns of the three final scores the city changed without an appeal, and lists them in 复核调整', async () => {
    expect(stdout).toContain('需要注意 3 处');
    for (const row of [2800, 3458, 3465]) expect(stdout).toContain(`inputs/2024/指标得分.csv 第${row}行 「得分」列`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(ws, 'results/2024/考核结果-2024.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['评审过程', '复核调整', '省级监测指标']));
    const changes: string[] = [];
    wb.getWorksheet('复核调整')!.eachRow((row, n) => n > 2 && changes.push(`${String(row.getCell(1).value)} ${String(row.getCell(3).value)}`));
    expect(changes.filter((c) => /^H32/.test(c))).toEqual(['H32011500028 JS04', 'H32011600014 DS01', 'H32011600015 JS06']);
  });

  it('publishes the 资金分配方案 with every institution, and shows weight, share and 调剂金额 in the deposit workbook', async () => {
    expect(existsSync(join(ws, 'results/2024/公示名单-2024-资金分配方案.csv'))).toBe(true);
    const list = readFileSync(join(ws, 'results/2024/公示名单-2024-资金分配方案.csv'), 'utf8').split('\r\n');
    expect(list[0]).toBe('\uFEFF序号,机构编码,机构名称,机构类别,所属区县,评价得分,预留保证金（元）,分配金额（元）,调剂金额（元）,说明');
    expect(list.filter((l) => /^\d+,H/.test(l))).toHaveLength(310);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(ws, 'results/2024/质量保证金-2024.xlsx'));
    const sheet = wb.getWorksheet('分配表')!;
    const header = (sheet.getRow(3).values as unknown[]).slice(1).map(String);
    expect(header).toEqual(expect.arrayContaining(['分配权重', '权重占比', '分配金额', '调剂金额']));
  });

  it('explains a capped institution back to its weight, the pool and the cap', async () => {
    const run = await runCli(['explain', 'year', '2024', 'H32010400007', '-w', ws]);
    expect(run.stdout).toContain('分配权重：预留保证金 162,305.94 元 × 得分系数 0.94');
    expect(run.stdout).toContain('超过封顶，按封顶金额分配');
    expect(run.stdout).toContain('分配：194,767.12 元'); // 162,305.94 × 1.2 = 194,767.128 → 194,767.12
  });
});
