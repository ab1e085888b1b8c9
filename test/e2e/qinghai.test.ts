// The Qinghai sample through the command line (samples/qinghai, 2024 and 2025; the cases of
// its README are checked one by one in src/sample/scenarios/qinghai.test.ts): what an office
// and the public get — personnel.csv, 人员记分-Y.xlsx, the institution's personnel_deduction,
// lists and the notice with masked names and no ID number, explain for a person.
import { cpSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/workspace.js';

let ws: string;
const stdout: Record<number, string> = {};
const csv = (year: number, file: string): Record<string, string>[] => parse(readFileSync(join(ws, `results/${year}`, file), 'utf8').replace(/^\uFEFF/, ''), { columns: true });

beforeAll(async () => {
  ws = join(mkdtempSync(join(tmpdir(), 'assess-qinghai-')), 'qinghai');
  cpSync('samples/qinghai', ws, { recursive: true });
  for (const year of [2024, 2025]) {
    const run = await runCli(['year', String(year), '-w', ws]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    stdout[year] = run.stdout;
  }
}, 120_000);

describe('the Qinghai sample through the command line', () => {
  it('says the persons in the summary', () => {
    expect(stdout[2024]).toContain('人员记分：3861 人（4500 条记分记录），重点监管 63，暂停 9，终止 7');
    expect(stdout[2025]).toContain('终止期内仍有记分 2 人');
  });

  it('writes personnel.csv with the SPEC columns and points = deducted − repaired', () => {
    const rows = csv(2024, 'personnel.csv');
    expect(Object.keys(rows[0] ?? {})).toEqual(['person', 'name', 'institutions', 'deducted', 'repaired', 'points', 'status', 'suspended_from', 'suspended_until', 'terminated_on', 'one_shot', 'banned_until']);
    for (const r of rows) expect(Number(r.points), r.person).toBe(Number(r.deducted) - Number(r.repaired));
    expect(rows.find((r) => r.person === 'D630103000003')).toMatchObject({ deducted: '9', repaired: '2', points: '7', status: 'suspended' }); // the repair 9 → 7
  });

  it('charges the institution: personnel_deduction in institutions.csv and a deduction step in explain', async () => {
    expect(csv(2024, 'institutions.csv').find((r) => r.code === 'H63010500011')).toMatchObject({ personnel_deduction: '5.5', score: '77.50' });
    const explained = await runCli(['explain', 'year', '2024', 'H63010500011', '-w', ws]);
    expect(explained.code).toBe(0);
    expect(explained.stdout).toMatch(/扣分 \d(\.5)? 分：本机构相关人员 [DNY]\d{12} 本年度记分达到「/);
  });

  it('prints 人员记分-2024.xlsx with every person, every event and a sheet per outcome', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(ws, 'results/2024/人员记分-2024.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['人员记分汇总', '记分明细', '重点监管', '暂停', '终止', '终止期内仍有记分']);
    expect(wb.getWorksheet('记分明细')!.rowCount).toBe(3 + 4500); // title, subtitle, header, then one row per event
  });

  it('publishes persons with masked names and no ID number, in the lists and in the notice', () => {
    const people = new Map(csv(2024, 'personnel.csv').map((r) => [r.person, r.name]));
    const files = readdirSync(join(ws, 'results/2024')).filter((f) => f.startsWith('公示名单-2024-人员') || f.startsWith('公示公告'));
    expect(files).toHaveLength(3);
    const terminated = csv(2024, '公示名单-2024-人员终止医保支付资格.csv');
    expect(terminated.length).toBe(7);
    for (const r of terminated) {
      const full = people.get(r['人员编码'] ?? '') ?? '';
      expect(r['姓名']).not.toBe(full);
      expect(r['姓名']).toMatch(/^(欧阳|[^*])\*+$/);
    }
    const html = readFileSync(join(ws, 'results/2024/公示公告-2024.html'), 'utf8');
    for (const r of terminated) {
      const code = r['人员编码'] ?? '';
      expect(html).toContain(`<td class="code">${code}</td><td class="text short">${r['姓名']}</td>`);
      // The full name never next to the person's code (it may be in a clinic's registered name, which is public).
      expect(html).not.toContain(`<td class="code">${code}</td><td class="text short">${people.get(code) ?? '∅'}</td>`);
    }
    for (const f of files) {
      const text = readFileSync(join(ws, 'results/2024', f), 'utf8');
      expect(text, f).not.toMatch(/\d{17}[\dXx]/);
      if (f.endsWith('.csv')) for (const r of csv(2024, f)) expect(r['姓名'], f).not.toBe(people.get(r['人员编码'] ?? ''));
    }
  });

  it('explains a person: the events, the carried ban, the lists', async () => {
    const run = await runCli(['explain', 'year', '2025', 'D630103000002', '-w', ws]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('上年度结果：2024-09-10 终止医保支付资格，2027-09-10 前不得再次登记备案');
    expect(run.stdout).toMatch(/终止期内仍有记分的人员（本地不公示）/);
    const json = JSON.parse((await runCli(['explain', 'year', '2025', 'D630103000002', '--json', '-w', ws])).stdout);
    expect(json).toMatchObject({ kind: 'person', person: 'D630103000002', year: 2025, one_shot: true, banned_until: '2027-09-10', lists: [] });
    expect(json.steps.find((s: { figure: string }) => s.figure === 'personnelEvent').inputs[0]).toMatchObject({ file: 'inputs/2025/人员记分.csv' });
  });
});
