// An internal error while rendering: exit 3, the previous results untouched, no temporary folder left.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { newWorkspace, runCli, writeCsv } from '../helpers/workspace.js';

const failing = vi.hoisted(() => ({ on: false }));
vi.mock('../../src/report/notice-lists.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/report/notice-lists.js')>();
  return {
    ...real,
    noticeLists: (...args: Parameters<typeof real.noticeLists>) => {
      if (failing.on) throw new Error('disk on fire');
      return real.noticeLists(...args);
    },
  };
});

describe('internal errors', () => {
  it('exit 3 and leave the previous results as they were', async () => {
    const ws = newWorkspace();
    const dir = join(ws, 'inputs/2024');
    writeCsv(join(dir, '机构名册.csv'), [['机构编码', '机构名称', '机构类型'], ['P12010100001', '甲药房', '零售药店']]);
    writeCsv(join(dir, '指标得分.csv'), [['机构编码', 'P01', 'P02', 'P03', 'P04', 'P05'], ['P12010100001', 30, 15, 35, 10, 10]]);
    writeCsv(join(dir, '月度结算.csv'), [['机构编码', '结算月份', '结算金额'], ['P12010100001', '2024-01', '100']]);
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    const before = readFileSync(join(ws, 'results/2024/institutions.csv'));
    writeCsv(join(dir, '月度结算.csv'), [['机构编码', '结算月份', '结算金额'], ['P12010100001', '2024-01', '999']]);
    failing.on = true;
    const run = await runCli(['year', '2024', '-w', ws]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('内部错误，结果未写入：disk on fire');
    expect(readFileSync(join(ws, 'results/2024/institutions.csv'))).toEqual(before);
    expect(readdirSync(join(ws, 'results')).filter((e) => !/^\.2024\.r\d+$/.test(e))).toEqual(['2024']); // nothing temporary left
  });
});
