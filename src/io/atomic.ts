// Publishing a results folder atomically (SPEC §7). The folder is built whole in a
// temporary sibling, its files flushed to disk, checked, and only then published:
//
// - `link` (Linux, macOS): `results/Y` is a symbolic link to a generation folder
//   `results/.Y.rN`. A new generation is renamed into place complete, then a new link is
//   renamed over the old one: rename(2) replaces it in one step, so at no moment is
//   `results/Y` absent or partial to a reader. The previous generation is kept (a reader
//   half-way through it is not cut off); older ones are removed.
// - `rename` (Windows, where a link cannot replace another in one step): the old folder is
//   renamed aside, the new one into place. A kill between the two renames leaves no
//   `results/Y`; `recoverResults`, which every command runs first, puts the last complete
//   set back.
//
// An error, a crash or a kill at any point leaves the previous complete results readable.
import { constants } from 'node:fs';
import { cp, lstat, mkdir, open, readdir, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** A file made as it is written to `path`, never held whole (a workbook, a million-row CSV). */
export interface WrittenFile {
  name: string;
  /**
   * Writes the file. It may resolve before the file is whole, with `rest`: the writing
   * still under way off this thread (a workbook whose detail rows a worker makes), while the
   * next files are written here. `onWait` is called if the folder then has to wait for it.
   */
  write: (path: string) => Promise<void | UnfinishedFile>;
  /** Written once every file before it is whole (a manifest of their hashes). */
  afterTheRest?: boolean;
}

/** What is left of a file's writing when its `write` resolves early. */
export interface UnfinishedFile {
  rest: Promise<void>;
  onWait?: () => void;
}

/** A file of the folder: its content, or a function writing it. */
export type FileToWrite = { name: string; content: Buffer | string } | WrittenFile;

export type PublishStrategy = 'link' | 'rename';

export const DEFAULT_STRATEGY: PublishStrategy = process.platform === 'win32' ? 'rename' : 'link';

export interface PublishOptions {
  strategy?: PublishStrategy;
  /**
   * Entries of the current folder that belong to it across runs (a comparison, a
   * supplementary settlement of the year): copied into the new folder before it is
   * published, so a new run of the year does not drop them.
   */
  keep?: (entry: string) => boolean;
  /** Fault injection for tests: awaited at each step of the publication, named by the step. */
  pause?: (step: string) => Promise<void>;
}

const names = (target: string) => {
  const parent = dirname(target);
  const name = basename(target);
  return {
    parent,
    prefix: `.${name}.`,
    tmp: join(parent, `.${name}.tmp-${process.pid}`),
    link: join(parent, `.${name}.link-${process.pid}`),
    old: join(parent, `.${name}.old-${process.pid}`),
    generation: (n: number) => `.${name}.r${n}`,
  };
};

/** Flushes a file or folder to disk; folders cannot be flushed on every platform, which is not an error. */
async function flush(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY);
    await handle.sync();
  } catch {
    // a folder on Windows: nothing more to do
  } finally {
    await handle?.close();
  }
}

async function kindOf(path: string): Promise<'link' | 'dir' | 'other' | null> {
  try {
    const s = await lstat(path);
    return s.isSymbolicLink() ? 'link' : s.isDirectory() ? 'dir' : 'other';
  } catch {
    return null;
  }
}

/** The generation numbers present for a target, ascending. */
async function generations(target: string): Promise<number[]> {
  const { parent, prefix } = names(target);
  if (!existsSync(parent)) return [];
  const out: number[] = [];
  for (const entry of await readdir(parent)) {
    const m = entry.startsWith(prefix) ? /^r(\d+)$/.exec(entry.slice(prefix.length)) : null;
    if (m) out.push(Number(m[1]));
  }
  return out.sort((a, b) => a - b);
}

/**
 * Leftovers of an interrupted publication, repaired: temporary folders and links removed,
 * and when `target` is missing (or its link dangles), the last complete set put back — a
 * folder set aside by the rename swap, or else the newest generation. Safe to run at any
 * time no publication is running (the workspace lock guarantees that).
 */
export async function recoverInterrupted(target: string): Promise<void> {
  const { parent, prefix } = names(target);
  if (!existsSync(parent)) return;
  const entries = (await readdir(parent)).filter((e) => e.startsWith(prefix));
  const kind = await kindOf(target);
  const dangling = kind === 'link' && !existsSync(target);
  const aside = entries.filter((e) => e.startsWith(`${prefix}old-`)).map((e) => join(parent, e));
  if ((kind === null || dangling) && aside[0]) {
    if (dangling) await rm(target, { force: true });
    await rename(aside[0], target);
  } else if (kind === null || dangling) {
    const newest = (await generations(target)).pop();
    if (newest !== undefined) {
      const link = names(target).link;
      await rm(link, { force: true });
      await symlink(names(target).generation(newest), link, 'dir');
      await rename(link, target);
    }
  }
  for (const e of entries) {
    const rest = e.slice(prefix.length);
    if (rest.startsWith('tmp-') || rest.startsWith('link-') || rest.startsWith('old-')) await rm(join(parent, e), { recursive: true, force: true });
  }
}

/** Every results/<year> of a workspace, repaired (see recoverInterrupted). */
export async function recoverResults(workspace: string): Promise<void> {
  const results = join(workspace, 'results');
  if (!existsSync(results)) return;
  const targets = new Set<string>();
  for (const entry of await readdir(results)) {
    const m = /^\.?(\d{4})(?:\.|$)/.exec(entry);
    if (m?.[1]) targets.add(m[1]);
  }
  for (const year of targets) {
    const dir = join(results, year);
    await recoverInterrupted(dir);
    // Folders published inside the year (比较-NAME, 补充结算-N) the same way.
    if (!existsSync(dir)) continue;
    const inner = new Set<string>();
    for (const entry of await readdir(dir)) {
      const m = /^\.(.+)\.(?:r\d+|tmp-\d+|link-\d+|old-\d+)$/.exec(entry);
      if (m?.[1]) inner.add(m[1]);
    }
    for (const name of inner) await recoverInterrupted(join(dir, name));
  }
}

/**
 * Writes `files` as the whole content of folder `target` and publishes it atomically.
 * `check` runs on the finished temporary folder first; throwing there aborts with nothing
 * changed.
 */
export async function writeFolderAtomically(target: string, files: readonly FileToWrite[], check?: (tmp: string) => Promise<void>, options: PublishOptions = {}): Promise<void> {
  const strategy = options.strategy ?? DEFAULT_STRATEGY;
  const pause = options.pause ?? (async () => undefined);
  const n = names(target);
  await mkdir(n.parent, { recursive: true });
  await recoverInterrupted(target);
  await rm(n.tmp, { recursive: true, force: true });
  await mkdir(n.tmp);
  // Files whose writing goes on while the next are written: each flushed once whole.
  const unfinished: UnfinishedFile[] = [];
  const whole = async () => {
    for (const u of unfinished) {
      u.onWait?.();
      await u.rest;
    }
    unfinished.length = 0;
  };
  try {
    for (const f of files) {
      const path = join(n.tmp, f.name);
      if ('afterTheRest' in f && f.afterTheRest) await whole();
      const written = 'content' in f ? await writeFile(path, f.content) : await f.write(path);
      if (written) {
        const rest = written.rest.then(() => flush(path));
        rest.catch(() => undefined); // awaited below; a later file's failure must not leave it unhandled
        unfinished.push({ ...written, rest });
      } else await flush(path);
      await pause('write');
    }
    await whole();
    if (options.keep && existsSync(target)) {
      const written = new Set(files.map((f) => f.name));
      for (const entry of await readdir(target)) {
        if (!options.keep(entry) || written.has(entry)) continue;
        await cp(join(target, entry), join(n.tmp, entry), { recursive: true, verbatimSymlinks: true });
      }
      await pause('kept');
    }
    await flush(n.tmp);
    if (check) await check(n.tmp);
    await pause('checked');
    if (strategy === 'link') await publishByLink(target, pause);
    else await publishByRename(target, pause);
  } catch (e) {
    // Nothing is removed while a file is still being written into the folder.
    await Promise.allSettled(unfinished.map((u) => u.rest));
    await rm(n.tmp, { recursive: true, force: true });
    throw e;
  }
}

async function publishByLink(target: string, pause: (step: string) => Promise<void>): Promise<void> {
  const n = names(target);
  const existing = await generations(target);
  let next = (existing[existing.length - 1] ?? 0) + 1;
  const current = await kindOf(target);
  let previous = current === 'link' ? basename(await readlink(target)) : null;
  if (current === 'dir') {
    // A folder published the older way: it becomes a generation of its own first. Only
    // here, once per workspace, is there a moment without `target`; recovery links it back.
    previous = n.generation(next);
    await rename(target, join(n.parent, previous));
    next += 1;
    await pause('migrated');
  }
  const generation = n.generation(next);
  await rename(n.tmp, join(n.parent, generation));
  await flush(n.parent);
  await pause('generation');
  await rm(n.link, { force: true });
  await symlink(generation, n.link, 'dir');
  await pause('linked');
  await rename(n.link, target); // the one step a reader sees: old set, then new set
  await flush(n.parent);
  await pause('published');
  // Keep the previous generation for readers still in it; drop the older ones.
  for (const g of await generations(target)) {
    const name = n.generation(g);
    if (name !== generation && name !== previous) await rm(join(n.parent, name), { recursive: true, force: true });
  }
}

async function publishByRename(target: string, pause: (step: string) => Promise<void>): Promise<void> {
  const n = names(target);
  if ((await kindOf(target)) !== null) {
    await rm(n.old, { recursive: true, force: true });
    await rename(target, n.old);
    await pause('aside');
    await rename(n.tmp, target);
    await pause('published');
    await rm(n.old, { recursive: true, force: true });
  } else {
    await rename(n.tmp, target);
  }
  await flush(n.parent);
}
