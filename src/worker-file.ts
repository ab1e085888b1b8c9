// Where the compiled script of a worker thread is: beside the compiled modules in dist/, or,
// when the modules run from their TypeScript source (the tests), the build's copy (npm ci
// builds it). A worker thread runs JavaScript only.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The compiled worker `path` (from src/ or dist/, e.g. 'io/range-worker.js'), or null when there is no build. */
export function compiledWorker(path: string): string | null {
  for (const candidate of [`./${path}`, `../dist/${path}`]) {
    const file = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(file)) return file;
  }
  return null;
}
