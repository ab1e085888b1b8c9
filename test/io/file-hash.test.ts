import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256File, sha256Files } from '../../src/io/file-hash.js';

/** Files of different sizes (one empty, one of several read chunks), with their hashes made in one piece. */
function files(): { paths: string[]; expected: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'assess-hash-'));
  const contents = [Buffer.alloc(0), Buffer.from('机构编码,得分\n'), Buffer.alloc(3_000_000, 7), Buffer.from('a'.repeat(70_000)), Buffer.from('最后一个')];
  const paths = contents.map((c, i) => {
    const path = join(dir, `file-${i}.csv`);
    writeFileSync(path, c);
    return path;
  });
  return { paths, expected: contents.map((c) => createHash('sha256').update(c).digest('hex')) };
}

describe('hashing the files a manifest names', () => {
  it('gives each file its SHA-256, in the order asked, on 1, 2 or 8 threads, and on this thread', async () => {
    const { paths, expected } = files();
    for (const threads of [1, 2, 8]) expect(await sha256Files(paths, threads, { fromBytes: 0 })).toEqual(expected);
    expect(await sha256Files(paths, 0, { fromBytes: 0 })).toEqual(expected);
    expect(await sha256Files(paths, 2)).toEqual(expected); // 3 MB in all: hashed here
    expect(await sha256File(paths[2] as string)).toBe(expected[2]);
  });

  it('hashes here what a thread that fails was given, and rejects for a file that cannot be read', async () => {
    const { paths, expected } = files();
    const dir = mkdtempSync(join(tmpdir(), 'assess-hash-'));
    const failing = join(dir, 'failing-worker.mjs');
    writeFileSync(failing, "throw new Error('线程出错');\n");
    expect(await sha256Files(paths, 2, { fromBytes: 0, script: failing })).toEqual(expected);
    await expect(sha256Files([...paths, join(dir, 'missing.csv')], 2, { fromBytes: 0 })).rejects.toThrow(/ENOENT/);
  });
});
