// The worker thread of checkWrittenIdentityOnThread (written-identity.ts): checks the
// deposit identity of the institutions.csv in the folder it is given and posts the outcome.
import { parentPort, workerData } from 'node:worker_threads';
import { checkWrittenIdentity, type IdentityReport } from './written-identity.js';

const task = workerData as { identityOf?: unknown } | null;
if (parentPort && typeof task?.identityOf === 'string') {
  const port = parentPort;
  checkWrittenIdentity(task.identityOf).then(
    () => port.postMessage({ passed: true } satisfies IdentityReport),
    (e: unknown) => port.postMessage({ failed: e instanceof Error ? e.message : String(e) } satisfies IdentityReport),
  );
}
