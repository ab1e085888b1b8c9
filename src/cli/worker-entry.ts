// The command line as run in the worker thread runInWorker starts (src/cli/heap.ts): its
// stdout and stderr are told what the terminal is, so colours and progress bars show as
// they would in the process itself.
import { workerData } from 'node:worker_threads';
import { main } from './main.js';
import { setWritingV8Flags, type TerminalOf } from './heap.js';

const terminal = workerData as TerminalOf;
Object.assign(process.stdout, terminal.stdout);
Object.assign(process.stderr, terminal.stderr);
// This worker's heap was given the command's flags (heap.ts): its growth is lowered once the outputs are written.
process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, onWriting: () => setWritingV8Flags() });
