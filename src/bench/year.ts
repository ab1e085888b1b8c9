// `npm run bench`: one year's run on a generated workspace, timed stage by stage (each
// input read, the cross-file checks, the plan, each output, the write), with the process's
// peak RSS after each stage. Speed and memory are measured here, never by a timed test.
//   npm run bench -- --institutions 100000
//   npm run bench -- --institutions 100000 --compare-duckdb      (DuckDB reads and sums the same 月度结算.csv)
//   npm run bench -- --region xining --institutions 300 --events 500000   (Qinghai: 人员记分 rows a year)
//   npm run bench -- --institutions 100000 --node-heap   (in this thread, with Node's own heap limits)
// The workspace is generated once into --workspace DIR (default: the system's temp folder,
// one per region, size, events and seed) and reused by later runs of the same size.
// The run is in a worker thread with the heap `assess` gives a command (src/cli/heap.ts),
// so what is measured is what an officer's run does.
import { Worker } from 'node:worker_threads';
import { commandHeapLimits, processHeapSettings, setCommandV8Flags } from '../cli/heap.js';

const body = new URL('./year-run.js', import.meta.url);
if (process.argv.includes('--node-heap')) await import(body.href);
else {
  const settings = processHeapSettings();
  setCommandV8Flags(settings);
  const worker = new Worker(body, { argv: process.argv.slice(2), resourceLimits: commandHeapLimits(settings) });
  worker.on('error', (e) => {
    console.error(e);
    process.exitCode = 1;
  });
  worker.on('exit', (code) => {
    process.exitCode ||= code;
  });
}
