// Writing a results folder atomically (SPEC §7): build it in a temporary sibling, then
// rename it into place. An error, a crash or a kill leaves the previous results intact.
import { mkdir, rename, rm, writeFile, readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface FileToWrite {
  name: string;
  content: Buffer | string;
}

const tmpName = (target: string) => join(dirname(target), `.${basename(target)}.tmp-${process.pid}`);
const oldName = (target: string) => join(dirname(target), `.${basename(target)}.old-${process.pid}`);

/** Leftovers of an interrupted run: a kept previous result is restored, temporary folders removed. */
export async function recoverInterrupted(target: string): Promise<void> {
  const parent = dirname(target);
  if (!existsSync(parent)) return;
  const prefix = `.${basename(target)}.`;
  for (const entry of await readdir(parent)) {
    if (!entry.startsWith(prefix)) continue;
    const path = join(parent, entry);
    if (entry.startsWith(`${prefix}old-`) && !existsSync(target)) await rename(path, target);
    else await rm(path, { recursive: true, force: true });
  }
}

/**
 * Writes `files` as the whole content of folder `target`. `check` runs on the finished
 * temporary folder before it replaces the target; throwing there aborts with nothing changed.
 */
export async function writeFolderAtomically(target: string, files: readonly FileToWrite[], check?: (tmp: string) => Promise<void>): Promise<void> {
  await recoverInterrupted(target);
  const tmp = tmpName(target);
  await mkdir(tmp, { recursive: true });
  try {
    for (const f of files) await writeFile(join(tmp, f.name), f.content);
    if (check) await check(tmp);
    if (existsSync(target)) {
      const old = oldName(target);
      await rename(target, old);
      await rename(tmp, target);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, target);
    }
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
