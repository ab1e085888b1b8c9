// Bad inputs: every problem reported in one run, located by file, row and column; exit 1; nothing written.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newWorkspace, runCli, writeCsv } from '../helpers/workspace.js';

function validWorkspace(): string {
  const ws = newWorkspace();
  const dir = join(ws, 'inputs', '2024');
  writeCsv(join(dir, '机构名册.csv'), [
    ['机构编码', '机构名称', '机构类型', '有无住院服务'],
    ['P12010100001', '甲药房', '零售药店', ''],
    ['P12010100002', '乙药房', '零售药店', ''],
  ]);
  writeCsv(join(dir, '指标得分.csv'), [
    ['机构编码', '指标编码', '得分'],
    ...['P01', 'P02', 'P03', 'P04', 'P05'].flatMap((i) => [
      ['P12010100001', i, '5'],
      ['P12010100002', i, '5'],
    ]),
  ]);
  writeCsv(join(dir, '月度结算.csv'), [
    ['机构编码', '结算月份', '结算金额'],
    ['P12010100001', '2024-01', '100.00'],
    ['P12010100002', '2024-01', '100.00'],
  ]);
  return ws;
}

describe('bad inputs', () => {
  it('a valid workspace passes validate and writes nothing', async () => {
    const ws = validWorkspace();
    const run = await runCli(['validate', 'year', '2024', '-w', ws]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('检查通过');
    expect(existsSync(join(ws, 'results'))).toBe(false);
  });

  it('reports every problem of every file with file, row, column and value, and writes nothing', async () => {
    const ws = validWorkspace();
    const dir = join(ws, 'inputs', '2024');
    writeCsv(join(dir, '机构名册.csv'), [
      ['机构编码', '机构名称', '机构类型', '有无住院服务', '统一社会信用代码'],
      ['P12010100001', '甲药房', '零售药店', '', '12110000400686291J'], // bad check character
      ['P12010100002', '乙药房', '药铺', '', ''], // bad kind
      ['P12010100001', '甲药房（重复）', '零售药店', '', ''], // duplicate code
      ['H12010100009', '丙医院', '医疗机构', '', ''], // hospital without 有无住院服务
    ]);
    writeCsv(join(dir, '月度结算.csv'), [
      ['机构编码', '结算月份', '结算金额'],
      ['P12010100001', '2024-01', '12,34.5'], // bad amount (row 2)
      ['P12010100001', '2023-12', '100'], // outside the year (row 3)
      ['P99999900009', '2024-02', '100'], // unknown institution (row 4)
    ]);
    writeCsv(join(dir, '违规记录.csv'), [
      ['机构编码', '发生日期', '处理日期', '处理类型'],
      ['P12010100001', '2024-06-01', '2024-05-01', '约谈'], // handled before it occurred
      ['P12010100002', '2024-06-01', '2024-13-01', '警告'], // bad date, bad type
    ]);
    const run = await runCli(['year', '2024', '-w', ws]);
    expect(run.code).toBe(1);
    const lines = run.stderr.split('\n');
    const has = (...parts: string[]) => expect(lines.some((l) => parts.every((p) => l.includes(p))), parts.join(' ')).toBe(true);
    has('inputs/2024/机构名册.csv', '第2行', '「统一社会信用代码」列', '12110000400686291J', '校验位');
    has('inputs/2024/机构名册.csv', '第3行', '「机构类型」列', '药铺');
    has('inputs/2024/机构名册.csv', '第4行', '「机构编码」列', '重复');
    has('inputs/2024/机构名册.csv', '第5行', '医疗机构须填写「有无住院服务」');
    has('inputs/2024/月度结算.csv', '第2行', '「结算金额」列', '12,34.5');
    has('inputs/2024/月度结算.csv', '第3行', '「结算月份」列', '2024 年内');
    has('inputs/2024/月度结算.csv', '第4行', '「机构编码」列', 'P99999900009', '不在机构名册');
    has('inputs/2024/违规记录.csv', '第2行', '「处理日期」列', '早于发生日期');
    has('inputs/2024/违规记录.csv', '第3行', '「处理日期」列', '2024-13-01');
    has('inputs/2024/违规记录.csv', '第3行', '「处理类型」列', '警告');
    expect(run.stderr).toMatch(/共发现 \d+ 个问题，未写入任何结果/);
    expect(existsSync(join(ws, 'results'))).toBe(false);
  });

  it('reports cross-file problems: duplicates, unknown indicators, scores above the max, missing scores', async () => {
    const ws = validWorkspace();
    writeCsv(join(ws, 'inputs/2024/指标得分.csv'), [
      ['机构编码', '指标编码', '得分'],
      ['P12010100001', 'P01', '31'], // above max 30
      ['P12010100001', 'P01', '20'], // duplicate
      ['P12010100001', 'X99', '1'], // unknown indicator
      ['P12010100001', 'H01', '1'], // not a pharmacy indicator
    ]);
    const run = await runCli(['validate', 'year', '2024', '-w', ws]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('第2行 「得分」列：值「31」：得分应在 0 至 30');
    expect(run.stderr).toContain('第3行 「指标编码」列：值「P01」：同一机构同一指标重复（与第2行重复）');
    expect(run.stderr).toContain('第4行 「指标编码」列：值「X99」');
    expect(run.stderr).toContain('指标 H01（次均医疗费用控制）不适用于定点零售药店');
    expect(run.stderr).toMatch(/P12010100002（乙药房）缺少指标得分：P01/);
  });

  it('leaves the previous results untouched when the new run fails', async () => {
    const ws = validWorkspace();
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    const before = readFileSync(join(ws, 'results/2024/institutions.csv'));
    writeCsv(join(ws, 'inputs/2024/月度结算.csv'), [
      ['机构编码', '结算月份', '结算金额'],
      ['P12010100001', '2024-01', '-5'],
    ]);
    const run = await runCli(['year', '2024', '-w', ws]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('结算金额不得为负数');
    expect(readFileSync(join(ws, 'results/2024/institutions.csv'))).toEqual(before);
  });

  it('reports an invalid policy with its line and exits 1', async () => {
    const ws = validWorkspace();
    const policy = join(ws, 'policy.yaml');
    writeFileSync(policy, readFileSync(policy, 'utf8').replace('rate: 0.10', 'rate: 0.15'));
    const run = await runCli(['year', '2024', '-w', ws]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/policy\.yaml 第\d+行 「deposit\.rate」列：.*不得超过 0\.10/);
  });

  it('says which input is missing', async () => {
    const ws = newWorkspace();
    mkdirSync(join(ws, 'inputs/2024'), { recursive: true });
    writeCsv(join(ws, 'inputs/2024/机构名册.csv'), [['机构编码', '机构名称', '机构类型']]);
    const run = await runCli(['year', '2024', '-w', ws]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('缺少必需的输入「指标得分」');
    expect(run.stderr).toContain('缺少必需的输入「月度结算」');
  });

  it('exits 2 on a usage error', async () => {
    expect((await runCli(['year', 'abc'])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['--version'])).code).toBe(0);
  });
});

describe('the problem listing', () => {
  it('shows the same problem down one column three times, then counts the rest, so other problems still show', async () => {
    const ws = validWorkspace();
    writeCsv(join(ws, 'inputs/2024/月度结算.csv'), [
      ['机构编码', '结算月份', '结算金额'],
      ...Array.from({ length: 200 }, () => ['P12010100001', '一月', '100.00']),
      ['P12010100002', '2024-01', 'abc'],
    ]);
    const run = await runCli(['validate', 'year', '2024', '-w', ws]);
    expect(run.code).toBe(1);
    expect(run.stderr.match(/「结算月份」列：值「一月」/g)).toHaveLength(3);
    expect(run.stderr).toContain('同一列另有 197 行同样的问题');
    expect(run.stderr).toContain('第202行 「结算金额」列：值「abc」');
    expect(run.stderr).toContain('共发现 201 个问题');
    expect(run.stderr).not.toContain('未列出');
  });
});
