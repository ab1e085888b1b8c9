// One run at a time per workspace (SPEC §7): a lock file naming the process that holds it.
// A second run is refused with who holds it; a lock whose process is gone (a run that was
// killed) is taken over at once, so a kill never leaves the workspace stuck. Written whole:
// the lock is linked into place from a complete temporary file, so a lock is never empty.
//
// Not proper-lockfile: its staleness is by modification time, which would refuse every
// run for seconds after a kill and cannot tell a dead owner from a slow one.
import { hostname } from 'node:os';
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = '.assess.lock';

export interface LockHolder {
  pid: number;
  host: string;
  command: string;
  started: string;
}

export class WorkspaceBusy extends Error {
  constructor(readonly holder: LockHolder) {
    super(`workspace is locked by pid ${holder.pid}`);
  }
}

export interface WorkspaceLock {
  release(): Promise<void>;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holderOf(path: string): Promise<LockHolder | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/**
 * Takes the workspace lock for `command`, or throws WorkspaceBusy naming the live holder.
 * The lock is released by `release()`, and at the latest when the process exits.
 */
export async function lockWorkspace(workspace: string, command: string, clock: () => Date = () => new Date()): Promise<WorkspaceLock> {
  const path = join(workspace, LOCK_FILE);
  const me: LockHolder = { pid: process.pid, host: hostname(), command, started: clock().toISOString() };
  const tmp = `${path}.${process.pid}`;
  await writeFile(tmp, JSON.stringify(me));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await link(tmp, path);
        const drop = () => {
          try {
            unlinkSync(path);
          } catch {
            // already gone
          }
        };
        process.once('exit', drop);
        return {
          release: async () => {
            process.removeListener('exit', drop);
            await unlink(path).catch(() => undefined);
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = await holderOf(path);
      // A holder on this machine whose process is gone left the lock behind: take it over.
      if (holder && (holder.host !== me.host || alive(holder.pid)) && holder.pid !== process.pid) throw new WorkspaceBusy(holder);
      await unlink(path).catch(() => undefined);
    }
    const holder = await holderOf(path);
    throw new WorkspaceBusy(holder ?? { pid: 0, host: me.host, command: '', started: '' });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
