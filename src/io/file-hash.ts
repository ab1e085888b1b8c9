// SHA-256 of the files a manifest names (SPEC §7). At national scale these are gigabytes —
// the inputs some 0.8 GB, the outputs some 1.8 GB — and hashing them on this thread took
// seconds in which it did nothing else. They are hashed on worker threads (hash-worker.ts):
// the inputs' while the year is planned, the outputs' on every core at the end.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { compiledWorker, reportOfThread } from '../worker-file.js';

/** The SHA-256 of a file, in hex, read as it streams (on this thread). */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/** What a hashing thread posts: the hashes of its files in order, or why it could not. */
export type HashReport = { hashes: string[] } | { failed: string };

/** Hashes `paths` one after another on a thread; null when the thread could not (then they are hashed here). */
async function hashOnThread(script: string | URL, paths: readonly string[]): Promise<string[] | null> {
  const report = await reportOfThread<HashReport>(script, { sha256Of: paths });
  return report && 'hashes' in report ? report.hashes : null;
}

/** Below this many bytes in all, the files are hashed here: starting threads would take longer. */
export const HASH_ON_THREADS_FROM_BYTES = 64 << 20;

/**
 * The SHA-256 of each of `paths`, in order, on up to `threads` worker threads: the largest
 * file first, each to the thread with the fewest bytes so far. A thread that cannot run or
 * fails costs only the speed: its files are hashed here, and a file that cannot be read
 * rejects as sha256File does. `fromBytes` and `script` are other values in tests.
 */
export async function sha256Files(
  paths: readonly string[],
  threads: number,
  opts: { fromBytes?: number; script?: string | URL | null } = {},
): Promise<string[]> {
  const script = opts.script === undefined ? compiledWorker('io/hash-worker.js') : opts.script;
  const files = paths.map((path, i) => ({ i, bytes: sizeOf(path) }));
  const total = files.reduce((a, f) => a + f.bytes, 0);
  if (!script || threads < 1 || total < (opts.fromBytes ?? HASH_ON_THREADS_FROM_BYTES)) return Promise.all(paths.map(sha256File));
  const shares = Array.from({ length: Math.min(threads, paths.length) }, () => ({ bytes: 0, files: [] as number[] }));
  for (const file of files.sort((a, b) => b.bytes - a.bytes || a.i - b.i)) {
    const least = shares.reduce((a, s) => (s.bytes < a.bytes ? s : a));
    least.bytes += file.bytes;
    least.files.push(file.i);
  }
  const hashes: string[] = Array(paths.length).fill('');
  await Promise.all(
    shares.map(async ({ files: own }) => {
      const ownPaths = own.map((i) => paths[i] as string);
      const done = (await hashOnThread(script, ownPaths)) ?? (await Promise.all(ownPaths.map(sha256File)));
      own.forEach((i, k) => (hashes[i] = done[k] as string));
    }),
  );
  return hashes;
}

/** A file's size, 0 when it cannot be read (its thread then fails, and hashing it here says why). */
function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
