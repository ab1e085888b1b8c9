// `assess compare year Y --policy ALT.yaml` on the shipped samples: identical policies
// compare empty; a new refund curve moves money and says why (the ratio); a refund → pool
// switch moves everyone's money; each profile's own levers (a pool threshold, the tiers'
// window, a personnel deduction) change what they should. The year's results are never
// touched, and a rerun gives the same bytes.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/workspace.js';

type Row = Record<string, string>;

function workspace(sample: string): string {
  const ws = join(mkdtempSync(join(tmpdir(), `assess-compare-${sample}-`)), sample);
  cpSync(`samples/${sample}`, ws, { recursive: true });
  return ws;
}

/** The workspace's policy changed by `edit`, written as ALT.yaml beside it. */
function alternative(ws: string, file: string, edit: (policy: Record<string, any>) => void): string {
  const policy = parse(readFileSync(join(ws, 'policy.yaml'), 'utf8'));
  edit(policy);
  writeFileSync(join(ws, file), stringify(policy));
  return file;
}

const rowsOf = (ws: string, year: number, name: string): Row[] => parseCsv(readFileSync(join(ws, `results/${year}/比较-${name}/比较明细.csv`), 'utf8').replace(/^\uFEFF/, ''), { columns: true });
const hashes = (dir: string) => Object.fromEntries(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => [e.name, createHash('sha256').update(readFileSync(join(dir, e.name))).digest('hex')]));
const fen = (y: string | undefined) => Math.round(Number(y) * 100);

describe('compare on the Tianjin sample', () => {
  const ws = workspace('tianjin');

  it('an identical policy compares empty', async () => {
    writeFileSync(join(ws, '同样.yaml'), readFileSync(join(ws, 'policy.yaml')));
    const run = await runCli(['compare', 'year', '2024', '--policy', '同样.yaml', '-w', ws]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('参数不同 0 处；机构 320 家中 0 家结果有变化');
    expect(rowsOf(ws, 2024, '同样')).toEqual([]);
  }, 60_000);

  it('a new refund curve: who is paid what, the ratio as the reason, the totals reconciled; the year untouched; the same bytes again', async () => {
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    const before = hashes(join(ws, 'results/2024'));
    const alt = alternative(ws, '新曲线.yaml', (p) => {
      p.deposit.refundCurve.bands = [{ min: 85, ratio: 1 }, { min: 60, ratio: 0.5, linearTo: { score: 85, ratio: 1 } }, { min: 0, ratio: 0 }];
    });
    const run = await runCli(['compare', 'year', '2024', '--policy', alt, '-w', ws]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows = rowsOf(ws, 2024, '新曲线');
    expect(rows.length).toBeGreaterThan(50);
    for (const r of rows) {
      expect(r.changed).toBe('money');
      expect(r.first_difference).toMatch(/^返还比例：\d+\.\d{2}% → \d+\.\d{2}%$/);
      expect(fen(r.payout_after) + fen(r.forfeited_after) + fen(r.held_after)).toBe(fen(r.withheld_after)); // each reconciles to the fen
    }
    // 77.40 earned 92.2 % on 60 → 40 %, 80 → 100 %; on 60 → 50 %, 85 → 100 % it earns 84.8 %.
    expect(rows.find((r) => r.code === 'H12010100001')).toMatchObject({ score_before: '77.40', payout_before: '8896913.32', first_difference: '返还比例：92.20% → 84.80%' });
    const moved = rows.reduce((a, r) => a + fen(r.payout_difference), 0);
    expect(run.stdout).toContain(`家多拨付共`);
    expect(moved).toBeLessThan(0); // a stingier curve: the fund keeps more
    expect(hashes(join(ws, 'results/2024'))).toEqual(before);
    const first = hashes(join(ws, 'results/2024/比较-新曲线'));
    expect((await runCli(['compare', 'year', '2024', '--policy', alt, '-w', ws])).code).toBe(0);
    expect(hashes(join(ws, 'results/2024/比较-新曲线'))).toEqual(first);
    // A new run of the year keeps the comparison with it.
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    expect(hashes(join(ws, 'results/2024/比较-新曲线'))).toEqual(first);
  }, 120_000);

  it('a switch from refund to a pool moves every scored institution’s money, the pool paid out whole', async () => {
    const alt = alternative(ws, '统筹.yaml', (p) => {
      p.deposit.method = 'pool';
      p.deposit.pool = { base: 'withheld', threshold: 60, exchange: 'linear', unqualified: 'redistribute', assumed: true };
    });
    const run = await runCli(['compare', 'year', '2024', '--policy', alt, '--name', '统筹分配', '-w', ws]);
    expect(run.code).toBe(0);
    const rows = rowsOf(ws, 2024, '统筹分配');
    expect(rows.length).toBeGreaterThan(300);
    expect(rows.reduce((a, r) => a + fen(r.forfeited_after), 0)).toBe(0); // everything redistributed
    expect(rows.filter((r) => r.status_after === 'scored').every((r) => (r.changed ?? '').includes('money'))).toBe(true);
  }, 60_000);

  it('refuses an alternative that does not load, naming it', async () => {
    writeFileSync(join(ws, '坏.yaml'), 'region: [');
    const run = await runCli(['compare', 'year', '2024', '--policy', '坏.yaml', '-w', ws]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('坏.yaml');
    const missing = await runCli(['compare', 'year', '2024', '--policy', '没有.yaml', '-w', ws]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('找不到备选政策文件 没有.yaml');
    expect((await runCli(['compare', 'year', '2024', '-w', ws])).stderr).toContain('错误：缺少必需的选项 --policy <file>');
  });
});

describe('compare works for every profile’s own levers', () => {
  it('Jiangsu: a pool threshold of 70 (no cap) takes the pool from those between 60 and 70; with the cap it could not be paid out, and says so', async () => {
    const ws = workspace('jiangsu');
    const capped = alternative(ws, '门槛70封顶.yaml', (p) => (p.deposit.pool.threshold = 70));
    const refused = await runCli(['compare', 'year', '2024', '--policy', capped, '-w', ws]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('无法全额分配');
    const alt = alternative(ws, '门槛70.yaml', (p) => {
      p.deposit.pool.threshold = 70;
      delete p.deposit.pool.capRatio;
    });
    expect((await runCli(['compare', 'year', '2024', '--policy', alt, '-w', ws])).code).toBe(0);
    const rows = rowsOf(ws, 2024, '门槛70');
    const dropped = rows.filter((r) => Number(r.score_after) >= 60 && Number(r.score_after) < 70);
    expect(dropped.length).toBeGreaterThan(0);
    for (const r of dropped) expect(r.payout_after).toBe('0.00');
    expect(rows.reduce((a, r) => a + fen(r.payout_difference), 0)).toBe(0); // the pool only moves between members
  }, 60_000);

  it('Xianyang: a 6-month window changes tiers and lists', async () => {
    const ws = workspace('xianyang');
    const alt = alternative(ws, '半年.yaml', (p) => (p.tiers.downgrades.windowMonths = 6));
    expect((await runCli(['compare', 'year', '2025', '--notified-on', '2026-09-22', '--policy', alt, '-w', ws])).code).toBe(0);
    const rows = rowsOf(ws, 2025, '半年');
    expect(rows.some((r) => (r.changed ?? '').includes('tier') && r.tier_before !== r.tier_after)).toBe(true);
    const tier = rows.find((r) => (r.changed ?? '').includes('tier'));
    expect(tier?.first_difference).toMatch(/^结算等级/);
  }, 60_000);

  it('Qinghai: a larger deduction for a suspended person lowers the institutions that answer for one', async () => {
    const ws = workspace('qinghai');
    const alt = alternative(ws, '扣3分.yaml', (p) => (p.personnel.deductions.suspended = 3));
    expect((await runCli(['compare', 'year', '2024', '--policy', alt, '-w', ws])).code).toBe(0);
    const rows = rowsOf(ws, 2024, '扣3分');
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows.filter((x) => (x.changed ?? '').includes('score'))) expect(Number(r.score_after)).toBeLessThan(Number(r.score_before));
    expect(rows.some((r) => (r.first_difference ?? '').startsWith('扣分'))).toBe(true);
  }, 60_000);
});
