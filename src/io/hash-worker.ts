// The worker thread of sha256Files (file-hash.ts): hashes the files it is given, one after
// another, and posts their hashes in order, or why it could not.
import { parentPort, workerData } from 'node:worker_threads';
import { sha256File, type HashReport } from './file-hash.js';

const task = workerData as { sha256Of?: unknown } | null;
if (parentPort && Array.isArray(task?.sha256Of)) {
  const port = parentPort;
  const paths = task.sha256Of.map(String);
  (async () => {
    const hashes: string[] = [];
    for (const path of paths) hashes.push(await sha256File(path));
    return hashes;
  })().then(
    (hashes) => port.postMessage({ hashes } satisfies HashReport),
    (e: unknown) => port.postMessage({ failed: e instanceof Error ? e.message : String(e) } satisfies HashReport),
  );
}
