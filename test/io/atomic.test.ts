// Publishing results atomically (SPEC §7), both ways: a kill at any step of the publication
// leaves the last complete set readable (link: at every moment; rename: after recovery).
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recoverInterrupted, recoverResults, writeFolderAtomically, type PublishStrategy } from '../../src/io/atomic.js';

const read = (target: string) => (existsSync(join(target, 'a.txt')) ? readFileSync(join(target, 'a.txt'), 'utf8') : null);
const hidden = (root: string) => readdirSync(root).filter((e) => e.startsWith('.')).sort();

/** Starts a publication that stops for good at `step`, as if killed there; resolves once it got there. */
function killedAt(target: string, content: string, step: string, strategy: PublishStrategy): Promise<void> {
  return new Promise((reached) => {
    void writeFolderAtomically(target, [{ name: 'a.txt', content }, { name: 'b.txt', content }], undefined, {
      strategy,
      pause: (s) => (s === step ? (reached(), new Promise<void>(() => undefined)) : Promise.resolve()),
    });
  });
}

describe('writeFolderAtomically, link strategy (Linux)', () => {
  it('publishes a link to a complete generation, keeps the previous one and drops older ones', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(root, '2024');
    for (const v of ['one', 'two', 'three']) await writeFolderAtomically(target, [{ name: 'a.txt', content: v }], undefined, { strategy: 'link' });
    expect(lstatSync(target).isSymbolicLink()).toBe(true);
    expect(read(target)).toBe('three');
    expect(hidden(root)).toEqual(['.2024.r2', '.2024.r3']);
    await expect(writeFolderAtomically(target, [{ name: 'a.txt', content: 'four' }], async () => Promise.reject(new Error('no')), { strategy: 'link' })).rejects.toThrow('no');
    expect(read(target)).toBe('three');
    expect(hidden(root)).toEqual(['.2024.r2', '.2024.r3']);
  });

  it('writes a file given as a function into the new generation, and publishes nothing when that function fails', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(root, '2024');
    await writeFolderAtomically(target, [{ name: 'a.txt', write: async (path) => writeFileSync(path, 'made while written') }], undefined, { strategy: 'link' });
    expect(read(target)).toBe('made while written');
    const failing = writeFolderAtomically(target, [{ name: 'b.txt', content: 'b' }, { name: 'a.txt', write: async (path) => (writeFileSync(path, 'half'), Promise.reject(new Error('disk full'))) }], undefined, { strategy: 'link' });
    await expect(failing).rejects.toThrow('disk full');
    expect(read(target)).toBe('made while written');
    expect(existsSync(join(target, 'b.txt'))).toBe(false);
    expect(hidden(root)).toEqual(['.2024.r1']);
  });

  it('writes the next files while one is finished off the thread; a file after the rest, the check and the publication wait for it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(root, '2024');
    const order: string[] = [];
    let finish = () => undefined as void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const files = [
      {
        name: 'a.txt',
        write: async (path: string) => {
          writeFileSync(path, 'begun');
          order.push('a begun');
          return {
            rest: finished.then(() => {
              writeFileSync(path, 'whole');
              order.push('a whole');
            }),
            onWait: () => {
              order.push('waiting for a');
              setTimeout(finish, 20); // the thread finishes a moment later
            },
          };
        },
      },
      {
        name: 'b.txt',
        write: async (path: string) => {
          writeFileSync(path, 'b');
          order.push('b');
        },
      },
      {
        name: 'manifest.json',
        afterTheRest: true,
        write: async (path: string) => {
          writeFileSync(path, readFileSync(join(path, '..', 'a.txt'), 'utf8'));
          order.push('manifest');
        },
      },
    ];
    await writeFolderAtomically(target, files, async (tmp) => void order.push(`checked ${readFileSync(join(tmp, 'a.txt'), 'utf8')}`), { strategy: 'link' });
    expect(order).toEqual(['a begun', 'b', 'waiting for a', 'a whole', 'manifest', 'checked whole']);
    expect(readFileSync(join(target, 'manifest.json'), 'utf8')).toBe('whole');
  });

  it('publishes nothing when a file fails after the next ones were written, and removes nothing it is still writing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(root, '2024');
    await writeFolderAtomically(target, [{ name: 'a.txt', content: 'one' }], undefined, { strategy: 'link' });
    let stillWriting = false;
    const failing = writeFolderAtomically(
      target,
      [
        { name: 'a.txt', write: async (path: string) => (writeFileSync(path, 'half'), { rest: Promise.reject(new Error('thread failed')) }) },
        {
          name: 'b.txt',
          write: async (path: string) => {
            writeFileSync(path, 'b');
            stillWriting = true;
            return { rest: new Promise<void>((resolve) => setTimeout(resolve, 50)).then(() => ((stillWriting = false), writeFileSync(path, 'b whole'))) };
          },
        },
      ],
      undefined,
      { strategy: 'link' },
    );
    await expect(failing).rejects.toThrow('thread failed');
    expect(stillWriting).toBe(false);
    expect(read(target)).toBe('one');
    expect(hidden(root)).toEqual(['.2024.r1']);
  });

  it('turns a folder published the older way into a generation', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    mkdirSync(join(root, '2024'));
    writeFileSync(join(root, '2024', 'a.txt'), 'old way');
    await writeFolderAtomically(join(root, '2024'), [{ name: 'a.txt', content: 'new' }], undefined, { strategy: 'link' });
    expect(read(join(root, '2024'))).toBe('new');
    expect(readFileSync(join(root, '.2024.r1', 'a.txt'), 'utf8')).toBe('old way');
  });

  for (const step of ['write', 'checked', 'generation', 'linked', 'published']) {
    it(`killed at "${step}": the previous set is readable at that moment, and recovery leaves one complete set`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'atomic-'));
      const target = join(root, '2024');
      await writeFolderAtomically(target, [{ name: 'a.txt', content: 'old' }], undefined, { strategy: 'link' });
      await killedAt(target, 'new', step, 'link');
      expect(read(target)).toBe(step === 'published' ? 'new' : 'old');
      await recoverInterrupted(target);
      expect(['old', 'new']).toContain(read(target));
      expect(hidden(root).every((e) => /^\.2024\.r\d+$/.test(e))).toBe(true);
    });
  }

  it('killed while migrating an older folder: recovery of the workspace links the newest generation back', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(ws, 'results', '2024');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'a.txt'), 'old way');
    await killedAt(target, 'new', 'migrated', 'link');
    expect(existsSync(target)).toBe(false); // the one moment of a migration
    await recoverResults(ws);
    expect(read(target)).toBe('old way');
    expect(hidden(join(ws, 'results'))).toEqual(['.2024.r1']);
  });
});

describe('writeFolderAtomically, rename strategy (Windows)', () => {
  it('replaces the folder whole, and keeps the old one when the check fails', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    const target = join(root, '2024');
    await writeFolderAtomically(target, [{ name: 'a.txt', content: 'one' }], undefined, { strategy: 'rename' });
    await expect(writeFolderAtomically(target, [{ name: 'a.txt', content: 'two' }], async () => Promise.reject(new Error('no')), { strategy: 'rename' })).rejects.toThrow('no');
    expect(read(target)).toBe('one');
    await writeFolderAtomically(target, [{ name: 'b.txt', content: 'three' }], undefined, { strategy: 'rename' });
    expect(readdirSync(target)).toEqual(['b.txt']);
    expect(readdirSync(root)).toEqual(['2024']);
  });

  for (const step of ['write', 'checked', 'aside', 'published']) {
    it(`killed at "${step}": recovery puts a complete set back`, async () => {
      const root = mkdtempSync(join(tmpdir(), 'atomic-'));
      const target = join(root, '2024');
      await writeFolderAtomically(target, [{ name: 'a.txt', content: 'old' }], undefined, { strategy: 'rename' });
      await killedAt(target, 'new', step, 'rename');
      if (step === 'aside') expect(existsSync(target)).toBe(false); // the moment this platform cannot avoid
      await recoverInterrupted(target);
      expect(read(target)).toBe(step === 'published' ? 'new' : 'old');
      expect(readdirSync(root)).toEqual(['2024']);
    });
  }

  it('restores what an older version left between its two renames', async () => {
    const root = mkdtempSync(join(tmpdir(), 'atomic-'));
    mkdirSync(join(root, '.2024.old-4242'));
    writeFileSync(join(root, '.2024.old-4242', 'a.txt'), 'previous');
    mkdirSync(join(root, '.2024.tmp-4242'));
    await recoverInterrupted(join(root, '2024'));
    expect(read(join(root, '2024'))).toBe('previous');
    expect(existsSync(join(root, '.2024.tmp-4242'))).toBe(false);
  });
});
