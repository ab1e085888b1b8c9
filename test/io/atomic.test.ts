import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverInterrupted, writeFolderAtomically } from '../../src/io/atomic.js';

describe('writeFolderAtomically (SPEC §7)', () => {
  it('replaces the folder whole, and keeps the old one when the check fails', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(root, '2024');
    await writeFolderAtomically(target, [{ name: 'a.txt', content: 'one' }]);
    await expect(writeFolderAtomically(target, [{ name: 'a.txt', content: 'two' }], async () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(readFileSync(join(target, 'a.txt'), 'utf8')).toBe('one');
    await writeFolderAtomically(target, [{ name: 'b.txt', content: 'three' }]);
    expect(readdirSync(target)).toEqual(['b.txt']);
    expect(readdirSync(root)).toEqual(['2024']);
  });

  it('restores the previous results after a kill between the two renames, and drops a half-built folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    mkdirSync(join(root, '.2024.old-4242'));
    writeFileSync(join(root, '.2024.old-4242', 'a.txt'), 'previous');
    mkdirSync(join(root, '.2024.tmp-4242'));
    await recoverInterrupted(join(root, '2024'));
    expect(readFileSync(join(root, '2024', 'a.txt'), 'utf8')).toBe('previous');
    expect(existsSync(join(root, '.2024.tmp-4242'))).toBe(false);
  });
});
