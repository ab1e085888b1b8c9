// Input forms of SPEC §3 that real exports have, end to end through the CLI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { newWorkspace, runCli, writeXlsx } from '../helpers/workspace.js';

const P1 = 'P12010100001';
const P2 = 'P12010100002';
const scoreRows = (code: string, points: number[]) => ['P01', 'P02', 'P03', 'P04', 'P05'].map((ind, i) => [code, ind, points[i]!]);

describe('one workbook inputs/2024.xlsx with a sheet per input', () => {
  it('reads every sheet: 万元 amounts, Excel serial dates, numbers as text, long-form scores', async () => {
    const ws = newWorkspace();
    await writeXlsx(join(ws, 'inputs/2024.xlsx'), {
      机构名册: [
        ['2024年度定点零售药店名册'], // title row above the header
        ['机构编码', '机构名称', '机构类型', '纳入定点日期'],
        [P1, '=HYPERLINK("http://x")药房', '零售药店', 45356], // a name that looks like a formula; a serial date
        [P2, '乙药房', '定点零售药店', '2020/1/2'],
      ],
      指标得分: [['机构编码', '指标编码', '得分'], ...scoreRows(P1, [30, 15, 35, 10, 10]), ...scoreRows(P2, [20, 10, 20, 5, 4.5])],
      // 1.2 万元 = 12,000.00 元 a month → 1,200.00 withheld a month at 10 %
      月度结算: [['机构编码', '结算月份', '结算金额（万元）'], ...Array.from({ length: 12 }, (_, m) => [P1, `2024年${m + 1}月`, '1.2']), [P2, 202401, 0.5]],
      违规记录: [
        ['机构编码', '发生日期', '处理日期', '处理类型', '扣分'],
        [P2, 45300, 45310, '扣分', '2.5'], // serial dates in 2024 (2024-01-09, 2024-01-19)
      ],
    });
    const run = await runCli(['year', '2024', '-w', ws]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const rows: Record<string, string>[] = parse(readFileSync(join(ws, 'results/2024/institutions.csv'), 'utf8'), { columns: true });
    expect(rows.map((r) => [r.code, r.score, r.withheld, r.payout, r.forfeited])).toEqual([
      [P1, '100.00', '14400.00', '14400.00', '0.00'],
      // 59.5 − 2.5 = 57.00 → below 60: nothing back; 0.5 万元 = 5,000 元 → 500.00 withheld
      [P2, '57.00', '500.00', '0.00', '500.00'],
    ]);
    // The formula-looking name is text: prefixed in CSV, a plain string in the workbook.
    expect(rows[0]!.name).toBe(`'=HYPERLINK("http://x")药房`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(ws, 'results/2024/公示名单-2024.xlsx'));
    const sheet = wb.getWorksheet('考核结果')!;
    const cells: ExcelJS.Cell[] = [];
    sheet.eachRow((row) => row.eachCell((c) => cells.push(c)));
    const nameCell = cells.find((c) => String(c.value).includes('HYPERLINK'))!;
    expect(nameCell.type).toBe(ExcelJS.ValueType.String);
    expect(nameCell.formula).toBeUndefined();
    const codeCell = cells.find((c) => c.value === P1)!;
    expect(codeCell.type).toBe(ExcelJS.ValueType.String);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen' });
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape' });
  });

  it('says where a file and a sheet both give the same input', async () => {
    const ws = newWorkspace();
    await writeXlsx(join(ws, 'inputs/2024.xlsx'), { 机构名册: [['机构编码', '机构名称', '机构类型']] });
    await writeXlsx(join(ws, 'inputs/2024/institutions.xlsx'), { Sheet1: [['机构编码', '机构名称', '机构类型']] });
    const run = await runCli(['validate', 'year', '2024', '-w', ws]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('「机构名册」有多个来源');
  });
});

describe('the deposit workbook reconciles', () => {
  it('has a grand total equal to the exact sum and a zero difference', async () => {
    const ws = newWorkspace();
    await writeXlsx(join(ws, 'inputs/2024.xlsx'), {
      机构名册: [['机构编码', '机构名称', '机构类型'], [P1, '甲', '零售药店'], [P2, '乙', '零售药店']],
      指标得分: [['机构编码', '指标编码', '得分'], ...scoreRows(P1, [25, 14, 30, 8, 9]), ...scoreRows(P2, [22, 11, 28, 7, 7])],
      月度结算: [['机构编码', '结算月份', '结算金额'], [P1, '2024-01', '333.33'], [P1, '2024-02', '0.05'], [P2, '2024-01', '1,000.01']],
    });
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(ws, 'results/2024/质量保证金-2024.xlsx'));
    const payout = wb.getWorksheet('拨付表')!;
    let total: ExcelJS.Row | undefined;
    payout.eachRow((row) => {
      if (row.getCell(2).value === '合计') total = row;
    });
    // 33.33 + 0.01 (0.005 half up) + 100.00 = 133.34
    expect(total!.getCell(5).value).toBe(133.34);
    const rec = wb.getWorksheet('对账')!;
    let diff: unknown;
    rec.eachRow((row) => {
      if (String(row.getCell(1).value).startsWith('差额')) diff = row.getCell(2).value;
    });
    expect(diff).toBe(0);
  });
});

describe('CSV quirks', () => {
  it('reads a stray quote inside a field and a UTF-8 file without BOM', async () => {
    const ws = newWorkspace();
    const dir = join(ws, 'inputs/2024');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, '机构名册.csv'), `机构编码,机构名称,机构类型\n${P1},甲"康"药房,零售药店\n`);
    writeFileSync(join(dir, '指标得分.csv'), `机构编码,指标编码,得分\n${scoreRows(P1, [30, 15, 35, 10, 10]).map((r) => r.join(',')).join('\n')}\n`);
    writeFileSync(join(dir, '月度结算.csv'), `机构编码,结算月份,结算金额\n${P1},2024-01,100\n`);
    const run = await runCli(['year', '2024', '-w', ws]);
    expect(run.stderr).toBe('');
    const rows: Record<string, string>[] = parse(readFileSync(join(ws, 'results/2024/institutions.csv'), 'utf8'), { columns: true });
    expect(rows[0]!.name).toBe('甲"康"药房');
  });
});
