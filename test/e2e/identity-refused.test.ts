// The deposit identity of institutions.csv is checked on a thread while the other files are
// written (written-identity.ts); a failing check must still stop the year from being published.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { copyOfSample } from '../helpers/workspace.js';

const seen: string[][] = [];
vi.mock('../../src/run/written-identity.js', async (original) => ({
  ...(await original<typeof import('../../src/run/written-identity.js')>()),
  checkWrittenIdentityOnThread: async (dir: string) => {
    seen.push(readdirSync(dir).sort());
    throw new Error('写出的 institutions.csv 不满足 拨付+扣除+暂扣=预留（差 1 分），结果未写入');
  },
}));

const { loadYear, runYear } = await import('../../src/run/year.js');

describe('a run whose written institutions.csv fails the deposit identity', () => {
  it('is checked as soon as institutions.csv is written (after 考核结果, which is handed to its thread first), before the other files, and publishes nothing', async () => {
    const workspace = copyOfSample('tianjin');
    const loaded = await loadYear({ workspace, year: 2024 });
    if (!loaded.ok) throw new Error(loaded.problems[0]?.message);
    await expect(runYear({ workspace, year: 2024 }, loaded)).rejects.toThrow('（差 1 分），结果未写入');
    expect(seen).toEqual([['institutions.csv', '考核结果-2024.xlsx']]);
    expect(existsSync(join(workspace, 'results', '2024'))).toBe(false);
    expect(readdirSync(join(workspace, 'results')).filter((f) => !f.startsWith('.'))).toEqual([]);
  });
});
