// End to end: the CLI on a small workspace whose every figure is worked out by hand below.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { newWorkspace, runCli, writeCsv, writeXlsx } from '../helpers/workspace.js';

const A = 'H12010100001'; // inpatient hospital, 90 points − 约谈 2 − 扣分 1.5 (occurred 2023, handled 2024) = 86.50
const B = 'H12010200002'; // outpatient hospital, 75 of 95 → 78.947… − 罚款 5 = 73.95
const C = 'P12010300003'; // pharmacy, exactly 60.00; last year 55 (not below 60 twice)
const D = 'P12010300004'; // pharmacy, 55.00; last year 58 → 不予续签
const E = 'H12010100005'; // inpatient hospital under investigation at year end → 待定
const F = 'P12010100006'; // pharmacy that refused materials → 不合格

async function buildWorkspace(): Promise<string> {
  const ws = newWorkspace();
  const dir = join(ws, 'inputs', '2024');
  // Roster: GBK, with a title row and a blank row above the header, header aliases.
  writeCsv(
    join(dir, '机构名册.csv'),
    [
      ['天津市定点医药机构名册（2024年度）'],
      [],
      ['机构代码', '机构名称', '机构类型', '有无住院服务', '所属区县', '统一社会信用代码', '上年度考核得分'],
      [A, '天津市和平区第一医院', '医疗机构', '是', '和平区', '12110000400686291H', '92'],
      [B, '河东区东新街社区卫生服务中心', '医疗机构', '否', '河东区', '', '85'],
      [C, '河西区康民大药房', '零售药店', '', '河西区', '', '55'],
      [D, '河西区百姓大药房', '零售药店', '', '河西区', '', '58'],
      [E, '天津市和平区第二医院', '医疗机构', 'Y', '和平区', '', '80'],
      [F, '和平区惠民药店', '零售药店', '', '和平区', '', '75'],
    ],
    'gbk',
  );
  // Scores: wide form, one column per indicator.
  writeCsv(join(dir, '指标得分.csv'), [
    ['机构编码', 'H01', 'H02', 'H03', 'H04', 'H05', 'H06', 'H07', 'H08', 'H09', 'P01', 'P02', 'P03', 'P04', 'P05'],
    [A, 14, 9, 9.5, 5, 18, 13, 9, 8, 4.5, '', '', '', '', ''],
    [B, 12, 8, 8, '', 16, 12, 8, 7, 4, '', '', '', '', ''],
    [C, '', '', '', '', '', '', '', '', '', 20, 10, 20, 5, 5],
    [D, '', '', '', '', '', '', '', '', '', 15, 10, 20, 5, 5],
    [F, '', '', '', '', '', '', '', '', '', 25, 12, 30, 8, 8],
  ]);
  const months = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}`);
  writeCsv(join(dir, '月度结算.csv'), [
    ['机构编码', '结算月份', '结算金额', '预留保证金'],
    ...months.map((m) => [A, m, '100,000.00', '']), // 10 % → 10,000.00 a month
    ...months.map((m) => [B, m.replace('-', ''), '33333.33', '']), // 10 % → 3,333.33 (half up of 3,333.333)
    ...months.map((m) => [C, m, '10000', '1,000.00']), // given
    ...months.slice(0, 6).map((m) => [D, m, '5000.00', '']),
    ...months.map((m) => [E, m, '50000', '']),
    ...months.map((m) => [F, m, '2000', '']),
  ]);
  await writeXlsx(join(dir, '违规记录.xlsx'), {
    违规记录: [
      ['机构编码', '发生日期', '处理日期', '处理类型', '依据', '扣分', '追回金额', '说明'],
      [A, '2024-03-01', '2024/5/10', '约谈', '协议', null, null, ''],
      [A, '2023年11月20日', '2024年1月15日', '扣分', '协议', 1.5, 1200, '2023年发生、2024年处理'],
      [B, new Date(Date.UTC(2024, 5, 1)), new Date(Date.UTC(2024, 6, 1)), '罚款', '条例第三十八条', null, '5,000.00', ''],
      [C, '2023-05-01', '2023-06-01', '约谈', '协议', null, null, '上年度已处理，不计入'],
      [C, '2024-12-20', '2025-01-10', '罚款', '协议', null, null, '下年度处理，不计入'],
      [F, '2024-08-01', '2024-08-05', '拒不提供资料', '协议', null, null, ''],
    ],
  });
  writeCsv(join(dir, '立案调查.csv'), [
    ['机构编码', '立案日期', '结案日期', '结论'],
    [E, '2024-10-08', '', ''],
    [C, '2024-02-01', '2024-04-30', '未发现违规'],
  ]);
  return ws;
}

let ws: string;
let rows: Record<string, string>[];
const row = (code: string) => rows.find((r) => r.code === code)!;

describe('assess year 2024 on a hand-worked workspace', () => {
  beforeAll(async () => {
    ws = await buildWorkspace();
    const run = await runCli(['year', '2024', '-w', ws]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    rows = parse(readFileSync(join(ws, 'results/2024/institutions.csv'), 'utf8'), { columns: true });
  });

  it('scores, ranks and grades every institution as worked out by hand', () => {
    expect(rows.map((r) => [r.code, r.category, r.status, r.score, r.rank, r.grade])).toEqual([
      [A, 'inpatient', 'scored', '86.50', '1', '合格'],
      [B, 'outpatient', 'scored', '73.95', '1', '合格'],
      [C, 'pharmacy', 'scored', '60.00', '1', '合格'],
      [D, 'pharmacy', 'scored', '55.00', '2', '不合格'],
      [E, 'inpatient', 'pending', '', '', '待定'],
      [F, 'pharmacy', 'unqualified', '', '', '不合格'],
    ]);
  });

  it('withholds, refunds, forfeits and holds the deposit to the fen', () => {
    expect(rows.map((r) => [r.code, r.withheld, r.payout, r.forfeited, r.held])).toEqual([
      [A, '120000.00', '120000.00', '0.00', '0.00'], // ratio 1 at ≥ 80
      // 39,999.96 × (1 − 0.03 × (80 − 73.95)) = 39,999.96 × 0.8185 = 32,739.96726 → 32,739.97
      [B, '39999.96', '32739.97', '7259.99', '0.00'],
      [C, '12000.00', '4800.00', '7200.00', '0.00'], // 40 % at 60
      [D, '3000.00', '0.00', '3000.00', '0.00'], // nothing below 60
      [E, '60000.00', '0.00', '0.00', '60000.00'], // 天津第十六条: held
      [F, '2400.00', '0.00', '2400.00', '0.00'], // 天津第十七条: forfeited
    ]);
  });

  it('lists the non-renewal and the termination', () => {
    expect(row(D).lists).toBe('results;noRenewal');
    expect(row(C).lists).toBe('results');
    expect(row(F).lists).toBe('results;terminated');
  });

  it('writes a manifest whose identity balances, and a state for next year', () => {
    const manifest = JSON.parse(readFileSync(join(ws, 'results/2024/manifest.json'), 'utf8'));
    expect(manifest.totals).toEqual({ withheld: '237399.96', payout: '157539.97', forfeited: '19859.99', held: '60000.00' });
    expect(manifest.reconciliation.balanced).toBe(true);
    expect(manifest.prior_year.source).toBe('roster');
    expect(manifest.inputs.find((i: { name: string }) => i.name === '机构名册').encoding).toBe('gb18030');
    const state = JSON.parse(readFileSync(join(ws, 'results/2024/state.json'), 'utf8'));
    expect(state.institutions[D].score).toBe('55.00');
    // The held deposit carries its investigation's row, the article and the policy it was held under (for `settle`).
    expect(state.held_deposits).toEqual([
      {
        code: E,
        year: 2024,
        held: '60000.00',
        investigation: { file: 'inputs/2024/立案调查.csv', row: 2, opened_on: '2024-10-08' },
        ref: '《天津市医疗保障协议考核办法》第十六条',
        policy_sha256: manifest.policy.sha256,
      },
    ]);
  });

  it('writes the workbooks, the list CSVs and the notice, and nothing else', () => {
    expect(readdirSync(join(ws, 'results/2024')).sort()).toEqual(
      [
        'institutions.csv',
        'manifest.json',
        'policy.yaml',
        'state.json',
        '公示名单-2024-不予续签.csv',
        '公示名单-2024-考核结果.csv',
        '公示名单-2024-解除协议.csv',
        '公示名单-2024.xlsx',
        '公示公告-2024.html',
        '考核结果-2024.xlsx',
        '质量保证金-2024.xlsx',
      ].sort(),
    );
    // Published as a link to a complete generation folder; no temporary folder left.
    expect(readdirSync(join(ws, 'results')).filter((e) => !/^\.2024\.r\d+$/.test(e))).toEqual(['2024']);
  });

  it("gives the same bytes on a rerun, the manifest's times aside", async () => {
    const files = readdirSync(join(ws, 'results/2024')).sort();
    const snapshot = () =>
      files.map((f) => {
        const bytes = readFileSync(join(ws, 'results/2024', f));
        return f === 'manifest.json' ? bytes.toString().replace(/"(started|finished)_at": "[^"]+"/g, '') : bytes;
      });
    const before = snapshot();
    await new Promise((r) => setTimeout(r, 2100)); // zip timestamps have a 2-second resolution
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    expect(snapshot()).toEqual(before);
  });

  it('takes the day the assessment ends (--as-of, 天津第十六条) and records it', async () => {
    const asOfWs = await buildWorkspace();
    // E's investigation opened 2024-10-08; closed 2025-02-10, before the assessment ended on 2025-03-01.
    writeFileSync(join(asOfWs, 'inputs/2024/立案调查.csv'), `机构编码,立案日期,结案日期\n${E},2024-10-08,2025-02-10\n`);
    const missingScores = await runCli(['year', '2024', '--as-of', '2025-03-01', '-w', asOfWs]);
    expect(missingScores.code).toBe(1); // now scored, so its indicator scores are required
    expect(missingScores.stderr).toContain(`${E}（天津市和平区第二医院）缺少指标得分`);
    expect((await runCli(['year', '2024', '--as-of', '2024-06-30', '-w', asOfWs])).code).toBe(2);
    const atYearEnd = await runCli(['year', '2024', '-w', asOfWs]);
    expect(atYearEnd.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(asOfWs, 'results/2024/manifest.json'), 'utf8'));
    expect(manifest.as_of).toBe('2024-12-31');
  });

  it('reads last year from results/2023/state.json in the following year', async () => {
    // Next year: D scores below 60 again → listed from state.json, not the roster.
    cpSync(join(ws, 'inputs/2024'), join(ws, 'inputs/2025'), { recursive: true });
    const fix = (f: string) => {
      const p = join(ws, 'inputs/2025', f);
      writeFileSync(p, readFileSync(p, 'utf8').replaceAll('2024-', '2025-').replaceAll('2024', '2025'));
    };
    fix('月度结算.csv');
    fix('立案调查.csv');
    const run = await runCli(['year', '2025', '-w', ws]);
    expect(run.stderr).toBe('');
    const next: Record<string, string>[] = parse(readFileSync(join(ws, 'results/2025/institutions.csv'), 'utf8'), { columns: true });
    expect(next.find((r) => r.code === D)!.lists).toBe('results;noRenewal');
    expect(next.find((r) => r.code === C)!.lists).toBe('results'); // 60.00 is not below 60
    const manifest = JSON.parse(readFileSync(join(ws, 'results/2025/manifest.json'), 'utf8'));
    expect(manifest.prior_year).toEqual({ source: 'state', file: 'results/2024/state.json', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(existsSync(join(ws, 'results/2024/state.json'))).toBe(true);
  });
});

describe('last year\'s state.json', () => {
  it('is rejected, with its file named, when a carried held deposit is not an amount in yuan', async () => {
    const ws = newWorkspace();
    mkdirSync(join(ws, 'results/2023'), { recursive: true });
    const state = { schema: 'assess/state@1', year: 2023, region: '天津市', profile: 'tianjin', institutions: {}, personnel: {}, held_deposits: [{ code: 'H12010100001', year: 2023, held: '12,000', reason: 'x' }] };
    writeFileSync(join(ws, 'results/2023/state.json'), JSON.stringify(state));
    const run = await runCli(['validate', 'year', '2024', '-w', ws]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('results/2023/state.json');
    expect(run.stderr).toContain('上年度结果文件格式不正确');
  });
});
