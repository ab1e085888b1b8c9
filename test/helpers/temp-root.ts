// Every temporary folder the tests make (workspaces, outputs, calendars) goes under one
// folder made for the run, removed when the run ends: a test that fails halfway, or one that
// leaves its folders to the system, leaves nothing behind in the machine's temp directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'assess-tests-'));
  const before = process.env.TMPDIR;
  // The test workers (and the commands they start) are started after this, with this environment.
  process.env.TMPDIR = root;
  return () => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(root, { recursive: true, force: true });
  };
}
