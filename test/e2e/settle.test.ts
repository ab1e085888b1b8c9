// `assess settle year Y` on the shipped samples: deposits held while an investigation ran
// are settled from the updated 立案调查 (and 违规记录) when the case closes — scored as of the
// closing and paid by the year's method (a refund by the curve; a pool at the ratio the same
// score earned), forfeited when it closed with 解除协议 — into results/Y/补充结算-N/, never
// twice, the year's results untouched, and no longer carried by the next year. Killed while
// it publishes, it leaves nothing half-written; compare likewise.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import { ProblemLog } from '../../src/io/inputs.js';
import { loadPolicyFile } from '../../src/policy/load.js';
import { loadPrior } from '../../src/run/year.js';
import { runCli } from '../helpers/workspace.js';

type Row = Record<string, string>;

function workspace(sample: string): string {
  const ws = join(mkdtempSync(join(tmpdir(), `assess-settle-${sample}-`)), sample);
  cpSync(`samples/${sample}`, ws, { recursive: true });
  return ws;
}

const rows = (ws: string, n: number): Row[] => parseCsv(readFileSync(join(ws, `results/2024/补充结算-${n}/补充结算.csv`), 'utf8').replace(/^\uFEFF/, ''), { columns: true });
const hashes = (dir: string) => Object.fromEntries(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => [e.name, createHash('sha256').update(readFileSync(join(dir, e.name))).digest('hex')]));

/** 立案调查.csv with one institution's case closed. */
function close(ws: string, code: string, closedOn: string, conclusion: string): void {
  const file = join(ws, 'inputs/2024/立案调查.csv');
  const text = readFileSync(file, 'utf8');
  const line = new RegExp(`^(${code},[^,\\r\\n]*),[^,\\r\\n]*,[^\\r\\n]*$`, 'm');
  expect(text).toMatch(line);
  writeFileSync(file, text.replace(line, `$1,${closedOn},${conclusion}`));
}

const heldNextYear = async (ws: string) => {
  const policy = await loadPolicyFile(join(ws, 'policy.yaml'));
  if (!policy.ok) throw new Error('policy');
  return (await loadPrior(ws, 2025, policy.value.policy, new ProblemLog())).state?.held_deposits.map((h) => h.code) ?? [];
};

describe('settle on the Tianjin sample (refund)', () => {
  const ws = workspace('tianjin');

  it('settles the case closed since (P12011500007), keeps the open one held, never twice, the year untouched', async () => {
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    const year = hashes(join(ws, 'results/2024'));
    expect(await heldNextYear(ws)).toEqual(['H12011800007', 'P12011500007']);
    const run = await runCli(['settle', 'year', '2024', '-w', ws]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('补充结算（第 1 次）完成');
    const [open, paid] = rows(ws, 1);
    // 2025-02-03 结案（查实违规，另案处理）: scored 94.60 on the year's scores, refunded in full.
    expect(paid).toMatchObject({ code: 'P12011500007', outcome: 'paid', closed_on: '2025-02-03', score: '94.60', ratio: '1', held: '124627.85', payout: '124627.85', forfeited: '0.00' });
    expect(open).toMatchObject({ code: 'H12011800007', outcome: 'open', still_held: '2676724.15' });
    const manifest = JSON.parse(readFileSync(join(ws, 'results/2024/补充结算-1/manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ command: 'settle', year: 2024, number: 1, reconciliation: { balanced: true }, settled: [{ code: 'P12011500007', payout: '124627.85' }], still_held: [{ code: 'H12011800007' }] });
    expect(hashes(join(ws, 'results/2024'))).toEqual(year);
    // The next year carries only what is still held.
    expect(await heldNextYear(ws)).toEqual(['H12011800007']);
    // Run again: nothing more can be settled; nothing is written.
    const again = await runCli(['settle', 'year', '2024', '-w', ws]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('都还没有结案，未做补充结算；仍暂扣 1 笔 2,676,724.15 元');
    expect(existsSync(join(ws, 'results/2024/补充结算-2'))).toBe(false);
  }, 60_000);

  it('scores a case as of its closing with the sanction it brought (a 暂停结算 handled in 2025)', async () => {
    const other = workspace('tianjin');
    expect((await runCli(['year', '2024', '-w', other])).code).toBe(0);
    close(other, 'H12011800007', '2025-04-20', '查实违规，暂停结算');
    // The case's sanction, added to the year's 违规记录 when it was handled.
    const book = new ExcelJS.Workbook();
    const file = join(other, 'inputs/2024/违规记录.xlsx');
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const row: Record<string, string> = { 机构编码: 'H12011800007', 发生日期: '2024-09-01', 处理日期: '2025-04-20', 处理类型: '暂停结算', 依据: '协议' };
    sheet.addRow(headers.map((h) => row[h] ?? null));
    await book.xlsx.writeFile(file);
    const run = await runCli(['settle', 'year', '2024', '-w', other]);
    expect(run.code).toBe(0);
    const settled = rows(other, 1).find((r) => r.code === 'H12011800007');
    // 87.90 on the year's scores, − 5 for the 暂停结算 the case brought: 82.90, still a full refund (≥ 80).
    expect(settled).toMatchObject({ outcome: 'paid', score: '82.90', payout: '2676724.15' });
    expect(settled?.reason).toContain('含案件处理扣分 2025-04-20 暂停结算 5 分');
  }, 60_000);

  it('forfeits the whole deposit of a case closed with 解除协议', async () => {
    close(ws, 'H12011800007', '2025-05-10', '查实违规，解除协议');
    const run = await runCli(['settle', 'year', '2024', '-w', ws]);
    expect(run.code).toBe(0);
    expect(rows(ws, 2)).toEqual([expect.objectContaining({ code: 'H12011800007', outcome: 'forfeited', payout: '0.00', forfeited: '2676724.15', still_held: '0.00' })]);
    expect(await heldNextYear(ws)).toEqual([]);
  }, 60_000);

  it('refuses when an input other than 立案调查 and 违规记录 changed since the year, naming it', async () => {
    const other = workspace('tianjin');
    expect((await runCli(['year', '2024', '-w', other])).code).toBe(0);
    writeFileSync(join(other, 'inputs/2024/指标得分.csv'), readFileSync(join(other, 'inputs/2024/指标得分.csv'), 'utf8').replace('13.1', '13.2'));
    const run = await runCli(['settle', 'year', '2024', '-w', other]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('inputs/2024/指标得分.csv');
    expect(run.stderr).toContain('补充结算只按更新的立案调查和违规记录计算');
    expect((await runCli(['settle', 'year', '2023', '-w', other])).stderr).toContain('没有 2023 年度的结果');
  }, 60_000);
});

describe('settle on the Jiangsu sample (pool)', () => {
  it('pays a closed case at the ratio the same score earned in the year’s pool, capped at the amount held', async () => {
    const ws = workspace('jiangsu');
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    close(ws, 'H32010400030', '2025-03-01', '未发现违规');
    const run = await runCli(['settle', 'year', '2024', '-w', ws]);
    expect(run.code).toBe(0);
    const [settled] = rows(ws, 1);
    expect(settled).toMatchObject({ code: 'H32010400030', outcome: 'paid' });
    // The year's pool paid every unbound member λ × score ÷ 100 of its deposit: read λ off one of them.
    const year: Row[] = parseCsv(readFileSync(join(ws, 'results/2024/institutions.csv'), 'utf8'), { columns: true });
    const member = year.find((r) => r.status === 'scored' && Number(r.score) >= 60 && Number(r.payout) / Number(r.withheld) < 1.19)!;
    const lambda = new Decimal(member.payout!).dividedBy(member.withheld!).dividedBy(new Decimal(member.score!).dividedBy(100));
    const ratio = Decimal.min(lambda.times(new Decimal(settled!.score!).dividedBy(100)), 1.2, 1);
    expect(Number(settled!.ratio)).toBeCloseTo(ratio.toNumber(), 4);
    expect(Number(settled!.payout)).toBeCloseTo(new Decimal(settled!.held!).times(ratio).toNumber(), 0); // λ read off a rounded payout: within a yuan
    expect(Math.round(Number(settled!.payout) * 100) + Math.round(Number(settled!.forfeited) * 100)).toBe(Math.round(Number(settled!.held) * 100));
  }, 60_000);
});

/** settle or compare, killed right after a named step of publishing its folder. */
function killedAt(args: string[], step: string): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('node', ['bin/assess.js', ...args], { env: { ...process.env, NO_COLOR: '1', ASSESS_TEST_PUBLISH_PAUSE_MS: '30' } });
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => {
      if (!killed && chunk.toString().includes(`publish:${step}`)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', () => resolve(killed));
  });
}

describe('settle and compare killed while they publish', () => {
  it('leave the year as it was and their own folder absent or whole; the next run finishes', async () => {
    const ws = workspace('tianjin');
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    writeFileSync(join(ws, '同样.yaml'), readFileSync(join(ws, 'policy.yaml')));
    const year = hashes(join(ws, 'results/2024'));
    const whole = (folder: string, files: string[], step: string) => {
      const dir = join(ws, 'results/2024', folder);
      if (existsSync(dir)) expect(readdirSync(dir).sort(), `${folder} after a kill at ${step}`).toEqual(files);
    };
    for (const step of ['write', 'checked', 'generation', 'linked']) {
      // A settle killed once its folder was in place is published by the repair: then there is nothing left to settle.
      const settling = !existsSync(join(ws, 'results/2024/补充结算-1'));
      const commands = [...(settling ? [['settle', 'year', '2024', '-w', ws]] : []), ['compare', 'year', '2024', '--policy', '同样.yaml', '-w', ws]];
      for (const args of commands) {
        expect(await killedAt(args, step), `${args[0]} reached ${step}`).toBe(true);
        expect(hashes(join(ws, 'results/2024')), `${args[0]} killed at ${step}`).toEqual(year);
        whole('补充结算-1', ['manifest.json', '补充结算-2024-1.xlsx', '补充结算.csv'], step);
        whole('比较-同样', ['manifest.json', '比较-同样.xlsx', '比较明细.csv'], step);
      }
      // Repaired by the next command; nothing temporary left.
      expect((await runCli(['validate', 'year', '2024', '-w', ws])).code).toBe(0);
      expect(readdirSync(join(ws, 'results/2024')).filter((e) => /\.(tmp|link|old)-/.test(e))).toEqual([]);
    }
    expect((await runCli(['settle', 'year', '2024', '-w', ws])).code).toBe(0);
    expect(existsSync(join(ws, 'results/2024/补充结算-1/manifest.json'))).toBe(true);
    expect(existsSync(join(ws, 'results/2024/补充结算-2'))).toBe(false); // settled once, whether or not a killed run had published it
  }, 180_000);
});

