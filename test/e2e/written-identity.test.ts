// The last check before results are published (SPEC §5.4): the deposit identity, summed from
// institutions.csv as written on disk, read row by row.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkWrittenIdentity, checkWrittenIdentityOnThread, plainIdentityDifference } from '../../src/run/written-identity.js';
import { compiledWorker } from '../../src/worker-file.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function folder(rows: string[], header = 'code,name,withheld,payout,forfeited,held'): string {
  const dir = mkdtempSync(join(tmpdir(), 'identity-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'institutions.csv'), [header, ...rows].join('\n') + '\n');
  return dir;
}

describe('checkWrittenIdentity', () => {
  it('passes when payout + forfeited + held = withheld over all rows, to the fen', async () => {
    await expect(checkWrittenIdentity(folder(['H1,甲,100.00,60.00,40.00,0.00', 'H2,"乙,丙",0.01,0.00,0.00,0.01']))).resolves.toBeUndefined();
  });

  it('refuses a difference of one fen, naming it', async () => {
    await expect(checkWrittenIdentity(folder(['H1,甲,100.00,60.00,40.00,0.00', 'H2,乙,0.02,0.00,0.00,0.01']))).rejects.toThrow('差 -1 分');
  });

  it('finds the columns by the header, in any order, and refuses a file without one of them', async () => {
    await expect(checkWrittenIdentity(folder(['0.00,40.00,H1,100.00,60.00'], 'held,forfeited,code,withheld,payout'))).resolves.toBeUndefined();
    await expect(checkWrittenIdentity(folder(['0.00,40.00,H1,100.00,60.00'], 'held,forfeited,code,withheld,paid'))).rejects.toThrow('缺少 payout 列');
  });

  it('refuses an amount it cannot read back', async () => {
    await expect(checkWrittenIdentity(folder(['H1,甲,100.00,六十,40.00,0.00']))).rejects.toThrow('金额「六十」无法读回');
  });
});

describe('the identity summed straight from the bytes of a file in the plain form', () => {
  const csvOf = (dir: string) => join(dir, 'institutions.csv');

  it('sums the plain form, a simply quoted name too, to the fen, as the CSV reader does', async () => {
    const rows = ['H1,甲,100.00,60.00,40.00,0.00', 'H2,"乙,丙",0.02,0.00,0.00,0.01', 'H3,丁,1207735.22,1207735.22,0,0'];
    expect(await plainIdentityDifference(csvOf(folder(rows)))).toBe(-1);
    expect(await plainIdentityDifference(csvOf(folder(rows.map((r) => `${r}\r`))))).toBe(-1); // CR LF
    await expect(checkWrittenIdentity(folder(rows))).rejects.toThrow('差 -1 分');
  });

  it.each([
    ['an escaped quote in a name', ['H1,"甲""乙",100.00,60.00,40.00,0.00', 'H2,乙,0.02,0.00,0.00,0.01'], '差 -1 分'],
    ['a name over two lines', ['H1,"甲\n乙",100.00,60.00,40.00,0.00', 'H2,乙,0.02,0.00,0.00,0.01'], '差 -1 分'],
    ['a blank line', ['H1,甲,100.00,60.00,40.00,0.00', '', 'H2,乙,0.02,0.00,0.00,0.01'], /Invalid Record Length/],
    ['a row with a field more', ['H1,甲,100.00,60.00,40.00,0.00,x'], /Invalid Record Length/],
    ['an amount not in ASCII', ['H1,甲,100.00,６０.00,40.00,0.00'], null], // read as 60.00: balanced
  ])('leaves a file with %s to the CSV reader, which reads it as before', async (_what, rows, refused) => {
    const dir = folder(rows);
    expect(await plainIdentityDifference(csvOf(dir))).toBeNull();
    const check = checkWrittenIdentity(dir);
    if (refused) await expect(check).rejects.toThrow(refused);
    else await expect(check).resolves.toBeUndefined();
  });
});

describe('checkWrittenIdentityOnThread (the check made on a worker thread while the rest is written)', () => {
  it('passes and refuses as the check does, with the check’s own message', async () => {
    // The thread is the build's compiled worker: were it missing, the check would run here and prove nothing about it.
    expect(compiledWorker('run/identity-worker.js')).not.toBeNull();
    await expect(checkWrittenIdentityOnThread(folder(['H1,甲,100.00,60.00,40.00,0.00', 'H2,"乙,丙",0.01,0.00,0.00,0.01']))).resolves.toBeUndefined();
    await expect(checkWrittenIdentityOnThread(folder(['H1,甲,100.00,60.00,40.00,0.00', 'H2,乙,0.02,0.00,0.00,0.01']))).rejects.toThrow('写出的 institutions.csv 不满足 拨付+扣除+暂扣=预留（差 -1 分），结果未写入');
  });

  it('makes the check here when the thread dies, so that a failing identity is still refused', async () => {
    const dying = new URL(`data:text/javascript,${encodeURIComponent('process.exit(3);')}`);
    await expect(checkWrittenIdentityOnThread(folder(['H1,甲,100.00,60.00,40.00,0.00', 'H2,乙,0.02,0.00,0.00,0.01']), dying)).rejects.toThrow('差 -1 分');
    await expect(checkWrittenIdentityOnThread(folder(['H1,甲,100.00,60.00,40.00,0.00']), dying)).resolves.toBeUndefined();
  });
});
