// Where the compiled script of a worker thread is: beside the compiled modules in dist/, or,
// when the modules run from their TypeScript source (the tests), the build's copy (npm ci
// builds it). A worker thread runs JavaScript only.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The compiled worker `path` (from src/ or dist/, e.g. 'io/range-worker.js'), or null when there is no build. */
export function compiledWorker(path: string): string | null {
  for (const candidate of [`./${path}`, `../dist/${path}`]) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Runs a one-task thread (`script` given `workerData`) and resolves to the one report it
 * posts, or null when it could not run or ended without one (a missing build, out of
 * memory): the caller then does the task on its own thread, which costs only the speed.
 */
export function reportOfThread<T>(script: string | URL, workerData: unknown): Promise<T | null> {
  return new Promise((resolve) => {
    const worker = new Worker(script, { workerData });
    worker.once('message', (report: T) => resolve(report));
    worker.once('error', () => resolve(null));
    worker.once('exit', () => resolve(null)); // after a report, a no-op
  });
}
