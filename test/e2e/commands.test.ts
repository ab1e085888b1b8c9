// The other commands: init, profiles, --help; and the installed binary itself.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/workspace.js';

describe('assess init', () => {
  it('creates policy.yaml and xlsx input templates with Chinese headers, lists and instructions', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'assess-init-')), '天津');
    const run = await runCli(['init', dir, '--profile', 'tianjin', '--year', '2024']);
    expect(run.code).toBe(0);
    expect(existsSync(join(dir, 'policy.yaml'))).toBe(true);
    expect(readdirSync(join(dir, 'inputs/2024')).sort()).toEqual(['机构名册.xlsx', '指标得分.xlsx', '月度结算.xlsx', '立案调查.xlsx', '违规记录.xlsx', '申诉记录.xlsx', '退出记录.xlsx'].sort());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 'inputs/2024/违规记录.xlsx'), { ignoreNodes: ['dataValidations'] });
    const sheet = wb.getWorksheet('违规记录')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('机构编码');
    expect(wb.getWorksheet('填写说明')).toBeDefined();
    // Each drop-down once, over every row an office can fill (exceljs would write overlapping ranges cell by cell).
    const xml = async (file: string) => (await JSZip.loadAsync(readFileSync(join(dir, 'inputs/2024', file)))).file('xl/worksheets/sheet1.xml')!.async('string');
    const validations = (text: string) => [...text.matchAll(/<dataValidation [^>]*sqref="([^"]+)"[^>]*>\s*<formula1>([^<]*)<\/formula1>/g)].map((m) => [m[1], m[2]]);
    const violations = validations(await xml('违规记录.xlsx'));
    expect(violations.map(([range]) => range)).toEqual(['D2:D1048576', 'E2:E1048576']); // 处理类型, 依据
    expect(violations[0]![1]).toContain('拒不提供资料');
    expect(validations(await xml('机构名册.xlsx')).map(([range]) => range)).toEqual(['C2:C1048576', 'D2:D1048576', 'I2:I1048576', 'K2:K1048576']);
    // 立案调查: 结论 offered from a list (other text kept), 涉嫌重大违规 是/否
    const investigations = await xml('立案调查.xlsx');
    expect(validations(investigations)).toEqual([
      ['D2:D1048576', '&quot;未发现违规,查实违规,查实违规，解除协议&quot;'],
      ['E2:E1048576', '&quot;是,否&quot;'],
    ]);
    expect(investigations).toMatch(/<dataValidation [^>]*showErrorMessage="0"|<dataValidation (?![^>]*showErrorMessage)[^>]*sqref="D2/);
    // Name columns wide enough for a hospital's full name.
    const roster = new ExcelJS.Workbook();
    await roster.xlsx.readFile(join(dir, 'inputs/2024/机构名册.xlsx'), { ignoreNodes: ['dataValidations'] });
    expect(roster.getWorksheet('机构名册')!.getColumn(2).width).toBeGreaterThanOrEqual(40);
    // A second init does not overwrite.
    expect((await runCli(['init', dir, '--profile', 'tianjin'])).code).toBe(1);
  });

  it('an initialised workspace with empty templates says the roster is empty, not a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assess-init-'));
    await runCli(['init', dir, '--profile', 'tianjin', '--year', '2024']);
    const run = await runCli(['validate', 'year', '2024', '-w', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('inputs/2024/机构名册.xlsx 工作表「机构名册」：机构名册没有任何数据行');
  });

  it('never overwrites an input file already there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assess-init-'));
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(join(dir, 'inputs/2024'), { recursive: true });
    writeFileSync(join(dir, 'inputs/2024/机构名册.xlsx'), 'the officer’s own file');
    const run = await runCli(['init', dir, '--profile', 'tianjin', '--year', '2024']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('机构名册.xlsx（已存在，未覆盖）');
    expect(readFileSync(join(dir, 'inputs/2024/机构名册.xlsx'), 'utf8')).toBe('the officer’s own file');
  });

  it('asks for the profile rather than guess a region', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assess-init-'));
    const run = await runCli(['init', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('请用 --profile 指定');
    expect(existsSync(join(dir, 'policy.yaml'))).toBe(false);
  });

  it('refuses an unknown profile with exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assess-init-'));
    const run = await runCli(['init', dir, '--profile', 'atlantis']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('tianjin');
  });
});

describe('assess profiles and help', () => {
  it('lists the shipped profiles', async () => {
    const run = await runCli(['profiles']);
    expect(run.stdout).toMatch(/tianjin\s+天津市/);
  });
  it('prints help in Chinese, headings and usage words too, with -w in every subcommand', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('运行某一年度的年终考核与清算');
    for (const args of [['--help'], ['year', '--help'], ['validate', 'year', '--help'], ['explain', 'year', '--help'], ['init', '--help'], ['help', 'year']]) {
      const help = await runCli(args);
      expect(help.code, args.join(' ')).toBe(0);
      expect(help.stdout, args.join(' ')).not.toMatch(/Usage:|Options:|Arguments:|Commands:|\[options\]|default:|display help/);
      expect(help.stdout, args.join(' ')).toContain('用法：');
      expect(help.stdout, args.join(' ')).toContain('-w, --workspace <dir>');
    }
  });
  it('says commander\'s errors in Chinese, with exit 2', async () => {
    const cases: [string[], string][] = [
      [['yaer', '2024'], '错误：没有「yaer」这个命令\n（是否想输入 year？）'],
      [['year'], '错误：缺少参数 <year>'],
      [['year', '20x4'], '错误：参数 <year> 的值「20x4」无效：年度应为四位数字，如 2024'],
      [['year', '2024', '--bogus'], '错误：没有 --bogus 这个选项'],
      [['year', '2024', '2025'], '错误：命令 year 的参数过多：应为 1 个，实际给了 2 个'],
      [['year', '2024', '--as-of'], '错误：选项 --as-of <date> 缺少取值'],
      [['validate'], '用法： assess validate [选项] <命令>'],
    ];
    for (const [args, said] of cases) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr + run.stdout, args.join(' ')).toContain(said);
      expect(run.stderr, args.join(' ')).not.toMatch(/error:|Did you mean/);
    }
  });
  it('says a workspace folder that does not exist as such', async () => {
    const run = await runCli(['year', '2024', '-w', join(tmpdir(), 'assess-no-such-folder')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/✖ 工作目录 .*assess-no-such-folder 不存在：请检查 -w 参数，或用 assess init 创建/);
  });
});

describe('the built binary', () => {
  it('runs the sample end to end and exits 0, without colour under NO_COLOR', async () => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { stdio: 'ignore' });
    const out = mkdtempSync(join(tmpdir(), 'assess-bin-'));
    execFileSync('cp', ['-r', 'samples/tianjin', out]);
    const run = spawnSync('node', ['bin/assess.js', 'year', '2024', '-w', join(out, 'tianjin')], { env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' }, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('年度考核完成');
    expect(run.stdout).not.toMatch(/\u001b\[/);
    // The roster's 初审得分 column is read, but Tianjin has no review stages: nothing to warn of
    // (a city change without appeal is Jiangsu's 三（二）3, not Tianjin's).
    expect(run.stdout).not.toContain('需要注意');
    const resultsBook = new ExcelJS.Workbook();
    await resultsBook.xlsx.readFile(join(out, 'tianjin/results/2024/考核结果-2024.xlsx'));
    expect(resultsBook.worksheets.map((w) => w.name)).not.toContain('复核调整');
    expect(resultsBook.worksheets.map((w) => w.name)).not.toContain('评审过程');
    // Golden facts of the sample, by the generator's design (samples/tianjin/README.md).
    const rows: Record<string, string>[] = parse(readFileSync(join(out, 'tianjin/results/2024/institutions.csv'), 'utf8'), { columns: true });
    const by = new Map(rows.map((r) => [r.code, r]));
    expect(rows).toHaveLength(320);
    expect(rows.filter((r) => (r.lists ?? '').includes('noRenewal')).map((r) => r.code).sort()).toEqual(['H12010300003', 'H12010400008', 'H12011400002', 'P12010200003']);
    expect(by.get('P12010300009')).toMatchObject({ status: 'unqualified', payout: '0.00', lists: 'results;terminated' });
    expect(by.get('P12010300009')!.forfeited).toBe(by.get('P12010300009')!.withheld);
    expect(by.get('H12011800007')).toMatchObject({ status: 'pending', score: '' });
    expect(by.get('P12011500007')!.held).toBe(by.get('P12011500007')!.withheld);
    expect(by.get('H12011300003')!.status).toBe('scored'); // investigation closed within the year
    expect(by.get('P12011600003')!.lists).toBe('results;terminated'); // 解除协议
    for (const [code, score] of [['H12011600008', '60.00'], ['P12011600010', '80.00'], ['H12011800002', '90.00'], ['P12010400002', '59.90'], ['H12010200001', '60.00'], ['H12011900002', '80.00'], ['H12010200015', '90.00']]) {
      expect(by.get(code)!.score, code).toBe(score); // band edges, outpatient ones scaled from 95
    }
    const manifest = JSON.parse(readFileSync(join(out, 'tianjin/results/2024/manifest.json'), 'utf8'));
    expect(manifest.reconciliation.balanced).toBe(true);
    expect(manifest.inputs.map((i: { name: string }) => i.name)).toEqual(['机构名册', '指标得分', '月度结算', '违规记录', '立案调查']);
  }, 60_000);
});
