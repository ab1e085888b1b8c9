// The body of `npm run bench` (src/bench/year.ts starts it in a worker with the CLI's heap).
import { existsSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { isMainThread } from 'node:worker_threads';
import { YOUNG_GENERATION_MB, commandV8Flags, processHeapSettings, setWritingV8Flags, writingV8Flags } from '../cli/heap.js';
import { generateWorkspace } from '../sample/generate.js';
import { loadYear, runYear } from '../run/year.js';

const argAt = (name: string) => process.argv.indexOf(`--${name}`);
const numberArg = (name: string, fallback: number) => (argAt(name) >= 0 ? Number(process.argv[argAt(name) + 1]) : fallback);
const textArg = (name: string, fallback: string) => (argAt(name) >= 0 ? (process.argv[argAt(name) + 1] ?? fallback) : fallback);
const flag = (name: string) => argAt(name) >= 0;

const institutions = numberArg('institutions', 20_000);
const events = numberArg('events', 0);
const seed = numberArg('seed', 7);
const region = textArg('region', 'tianjin');
const year = 2024;
const workspace = textArg('workspace', join(tmpdir(), `assess-bench-${region}-${institutions}${events > 0 ? `-e${events}` : ''}-s${seed}`));
const MB = 2 ** 20;

interface Stage {
  name: string;
  seconds: number;
  /** CPU time of every thread of the process (user and system) over the stage: above the wall time where both cores worked. */
  cpuSeconds: number;
  rssMB: number;
  /** The process's peak RSS so far, at the stage's end (getrusage: counts moments no timer sees). */
  peakMB: number;
  /** What is still alive after a full collection (JS heap and array buffers): run with `node --expose-gc`. */
  liveMB?: number;
}

/** With `node --expose-gc`: a full collection after each stage, outside its time, to see what it keeps. */
const collect = (globalThis as { gc?: () => void }).gc;

/** Splits the run into the stages it announces (onStage), timing each. */
class StageClock {
  readonly stages: Stage[] = [];
  private current: { name: string; start: number; cpu: NodeJS.CpuUsage } | undefined;
  start(name: string) {
    this.end();
    this.current = { name, start: performance.now(), cpu: process.cpuUsage() };
  }
  end() {
    if (!this.current) return;
    const stage = {
      name: this.current.name,
      seconds: (performance.now() - this.current.start) / 1000,
      cpuSeconds: ((c) => (c.user + c.system) / 1e6)(process.cpuUsage(this.current.cpu)),
      rssMB: process.memoryUsage().rss / MB,
      peakMB: (process.resourceUsage().maxRSS * 1024) / MB,
      ...(collect ? { liveMB: liveHeapMB(collect) } : {}),
    };
    this.current = undefined;
    // A stage the run comes back to (writing the remaining files after each large workbook) is one row.
    const before = this.stages.find((s) => s.name === stage.name);
    if (!before) this.stages.push(stage);
    else Object.assign(before, { seconds: before.seconds + stage.seconds, cpuSeconds: before.cpuSeconds + stage.cpuSeconds, rssMB: stage.rssMB, peakMB: stage.peakMB, liveMB: stage.liveMB });
  }
}

function liveHeapMB(gc: () => void): number {
  gc();
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / MB;
}

const row = (cells: string[]) => `| ${cells.join(' | ')} |`;

function table(stages: Stage[]): string {
  const live = stages.some((s) => s.liveMB !== undefined);
  const lines = [row(['stage', 'wall s', 'cpu s', 'RSS after MB', 'peak RSS MB', ...(live ? ['live after MB'] : [])]), row(['---', '---:', '---:', '---:', '---:', ...(live ? ['---:'] : [])])];
  for (const s of stages) lines.push(row([s.name, s.seconds.toFixed(2), s.cpuSeconds.toFixed(2), s.rssMB.toFixed(0), s.peakMB.toFixed(0), ...(live ? [s.liveMB?.toFixed(0) ?? ''] : [])]));
  return lines.join('\n');
}

/** DuckDB reading 月度结算.csv and summing it per institution, on all cores. */
async function duckdbSettlements(path: string): Promise<{ seconds: number; institutions: number }> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const t = performance.now();
  const sql = `SELECT count(*) AS n FROM (SELECT "机构编码", sum("结算金额") AS settled, sum("预留保证金") AS reserved, count(*) AS months
     FROM read_csv('${path.replace(/'/g, "''")}', header = true, columns = {'机构编码': 'VARCHAR', '结算月份': 'VARCHAR', '结算金额': 'DECIMAL(18,2)', '预留保证金': 'DECIMAL(18,2)'})
     GROUP BY 1)`;
  const result = await connection.runAndReadAll(sql);
  const seconds = (performance.now() - t) / 1000;
  connection.closeSync();
  return { seconds, institutions: Number(result.getRows()[0]?.[0]) };
}

const clock = new StageClock();
if (!existsSync(join(workspace, 'policy.yaml'))) {
  clock.start('generate the workspace');
  try {
    await generateWorkspace({ outDir: workspace, region, seed, institutions, year, ...(events > 0 ? { personnelEvents: events } : {}) });
  } catch (e) {
    rmSync(workspace, { recursive: true, force: true });
    throw e;
  }
  clock.end();
  console.log(`generated ${workspace} in ${clock.stages[0]?.seconds.toFixed(1)} s (reused by the next run of this size)`);
}
const generated = clock.stages.length;
rmSync(join(workspace, 'results'), { recursive: true, force: true });
const rssBefore = process.memoryUsage().rss / MB;
const started = performance.now();
const cpuStarted = process.cpuUsage();
const onStage = (stage: string) => clock.start(stage);
clock.start('读取 policy.yaml');
const loaded = await loadYear({ workspace, year, onStage });
if (!loaded.ok) throw new Error(`generated workspace is invalid: ${loaded.problems[0]?.message}`);
// As assess runs a command (not with --node-heap): the heap grows less once the outputs are written.
const done = await runYear({ workspace, year, onStage, ...(isMainThread ? {} : { onWriting: () => setWritingV8Flags() }) }, loaded);
clock.end();
const total = (performance.now() - started) / 1000;
const stages = clock.stages.slice(generated);

const rows = loaded.inputs.sources.map((s) => `${s.name} ${s.rows.toLocaleString('en')}`).join(', ');
console.log(`\nregion ${region}, ${institutions.toLocaleString('en')} institutions (${rows}); ${done.files.length} files written`);
console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
const heapLimit = `${(getHeapStatistics().heap_size_limit / MB).toFixed(0)} MB`;
console.log(isMainThread ? `heap: Node's own (--node-heap), limit ${heapLimit}\n` : `heap: as assess runs a command (a worker: young generation ${YOUNG_GENERATION_MB} MB, limit ${heapLimit}, V8 ${commandV8Flags(processHeapSettings()).join(' ') || 'flags as given'}, while writing ${writingV8Flags(processHeapSettings()).join(' ') || 'as given'})\n`);
console.log(table(stages));
const peak = (process.resourceUsage().maxRSS * 1024) / MB;
const cpu = ((c) => (c.user + c.system) / 1e6)(process.cpuUsage(cpuStarted));
console.log(row(['**total**', `**${total.toFixed(2)}**`, `**${cpu.toFixed(2)}**`, '', `**${peak.toFixed(0)}**`]));
console.log(`\nRSS before reading: ${rssBefore.toFixed(0)} MB`);

if (flag('compare-duckdb')) {
  const settlements = loaded.inputs.sources.find((s) => s.kind === 'settlements');
  const ours = stages.find((s) => settlements && s.name.startsWith(`读取 ${settlements.file}`));
  if (!settlements || !ours || !settlements.file.endsWith('.csv')) {
    console.log('\n--compare-duckdb: no 月度结算 CSV in this workspace');
  } else {
    const duck = await duckdbSettlements(settlements.path);
    console.log(`\nreading and summing ${settlements.file} (${settlements.rows.toLocaleString('en')} rows, ${duck.institutions.toLocaleString('en')} institutions):`);
    console.log(`  assess ${ours.seconds.toFixed(2)} s, DuckDB ${duck.seconds.toFixed(2)} s: ratio ${(ours.seconds / duck.seconds).toFixed(2)}×`);
  }
}
if (!flag('keep-results')) rmSync(join(workspace, 'results'), { recursive: true, force: true });
