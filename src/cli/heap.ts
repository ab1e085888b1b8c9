// The heap a command runs with. Node's defaults do not fit a country's year: the old
// generation (about 4 GB) runs out past some 350,000 institutions, and the young one
// (16 MB semi-spaces) is collected thousands of times while a workbook of millions of rows
// is written, each collection walking every page of the old generation — a cost that grows
// with the square of the institutions. The command runs in a worker thread given these
// limits (bin/assess.js → runInWorker); `npm run bench` measures the same.
import { totalmem } from 'node:os';
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { Chalk } from 'chalk';
import { EXIT } from './exit-codes.js';

const MB = 2 ** 20;

/** Three 64 MB semi-spaces' worth: V8's young generation is two semi-spaces and as much again for large young objects. */
export const YOUNG_GENERATION_MB = 192;

/** The share of the machine's memory the old generation may take. */
const OLD_GENERATION_SHARE = 0.75;

/**
 * How far V8 lets the old generation grow past what a full collection left, in percent. On
 * its own V8 lets a busy heap grow up to fourfold before it marks again: with 2 GB live at
 * 1.1 million institutions the process peaked at 5.2–5.3 GB. At 50 % it peaked at 4.3 GB,
 * in the same time (205 s); at 25 % a run of 300,000 took a third longer.
 */
export const HEAP_GROWING_PERCENT = 50;

export interface HeapSettings {
  /** The machine's memory, or the container's limit when lower (bytes). */
  memoryBytes: number;
  /** The old generation's limit the process was started with (bytes). */
  startedWithBytes: number;
  /** Node's options as given (`process.execArgv` and NODE_OPTIONS): a limit set there is kept. */
  options: readonly string[];
}

/** The limits of the worker a command runs in: what the officer set is kept, Node's defaults raised. */
export function commandHeapLimits({ memoryBytes, startedWithBytes, options }: HeapSettings): ResourceLimits {
  const given = (flag: string) => options.some((o) => o.replace(/_/g, '-').startsWith(`--${flag}`));
  const started = Math.floor(startedWithBytes / MB);
  return {
    maxOldGenerationSizeMb: given('max-old-space-size') ? started : Math.max(started, Math.floor((memoryBytes * OLD_GENERATION_SHARE) / MB)),
    ...(given('max-semi-space-size') ? {} : { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB }),
  };
}

/** V8's flags for a command's run, unless the officer set them through Node's options. */
export function commandV8Flags({ options }: Pick<HeapSettings, 'options'>): string[] {
  return growingFlags(options, HEAP_GROWING_PERCENT);
}

/** `--heap-growing-percent=percent`, unless Node's options set the growth (either spelling). */
function growingFlags(options: readonly string[], percent: number): string[] {
  const given = options.some((o) => o.replace(/_/g, '-').startsWith('--heap-growing-percent'));
  return given ? [] : [`--heap-growing-percent=${percent}`];
}

/**
 * How far the old generation may grow past what a full collection left once the plan and
 * 考核结果's tables are made and the outputs are written, in percent. Little made then is
 * kept (a file's rows are let go once it is written), and the plan, which is kept, is marked
 * again at every full collection whatever the growth: at 50 % the heap ran up to some 500 MB
 * of garbage ahead of its 1.35 GB live at 1.1 million institutions, and the process peaked
 * there. At 20 % the writing's RSS was about 200 MB lower at 1.1 million, its time the same
 * within the machine's swings. (Lower from the start, the plan — which keeps nearly all it
 * makes — is marked again and again: a run of 300,000 took a third longer at 25 %.)
 */
export const WRITING_HEAP_GROWING_PERCENT = 20;

/** V8's flags while a command writes its outputs, unless the officer set the growth through Node's options. */
export function writingV8Flags({ options }: Pick<HeapSettings, 'options'>): string[] {
  return growingFlags(options, WRITING_HEAP_GROWING_PERCENT);
}

/** Sets `writingV8Flags` (RunOptions.onWriting of a command run with `commandV8Flags`). */
export function setWritingV8Flags(settings: Pick<HeapSettings, 'options'> = processHeapSettings()): void {
  for (const flag of writingV8Flags(settings)) setFlagsFromString(flag);
}

/**
 * Sets `commandV8Flags` before the command's worker starts. V8's flags are the process's:
 * the worker's heap reads this one each time it decides how far to grow.
 */
export function setCommandV8Flags(settings: Pick<HeapSettings, 'options'>): void {
  for (const flag of commandV8Flags(settings)) setFlagsFromString(flag);
}

/** This process's settings: its memory (a container's limit when set), its heap limit, its Node options. */
export function processHeapSettings(): HeapSettings {
  // process.constrainedMemory (Node 19.6 and later): a cgroup's limit, or 0 / undefined when none.
  const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const machine = totalmem();
  return {
    memoryBytes: limit && limit > 0 && limit < machine ? limit : machine,
    startedWithBytes: getHeapStatistics().heap_size_limit,
    options: [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean)],
  };
}

/** What the worker is told of the terminal it writes to (a worker's own stdout and stderr are no TTY). */
export interface TerminalOf {
  stdout: { isTTY?: boolean; columns?: number };
  stderr: { isTTY?: boolean; columns?: number };
}

/**
 * Runs the command line in a worker thread with the heap above; resolves to its exit code.
 * Its output reaches this process's stdout and stderr as it is written.
 */
export function runInWorker(argv: string[]): Promise<number> {
  const settings = processHeapSettings();
  const limits = commandHeapLimits(settings);
  setCommandV8Flags(settings);
  const terminal: TerminalOf = {
    stdout: { isTTY: process.stdout.isTTY, columns: process.stdout.columns },
    stderr: { isTTY: process.stderr.isTTY, columns: process.stderr.columns },
  };
  const worker = new Worker(new URL('./worker-entry.js', import.meta.url), { argv, resourceLimits: limits, workerData: terminal });
  return new Promise((resolve) => {
    let failure: (Error & { code?: string }) | null = null;
    worker.on('error', (e: Error) => {
      failure = e;
    });
    worker.on('exit', (code) => {
      if (!failure) return resolve(code);
      const noColor = (process.env.NO_COLOR ?? '') !== '';
      const c = new Chalk({ level: !noColor && process.stderr.isTTY ? 1 : 0 });
      process.stderr.write(
        failure.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? c.red(`✖ 内存不足：计算用尽了可用的 ${limits.maxOldGenerationSizeMb} MB 内存，结果未写入。请在内存更大的机器上运行，或用环境变量 NODE_OPTIONS=--max-old-space-size=<MB> 给出更大的上限\n`)
          : c.red(`✖ 内部错误，结果未写入：${failure.message}\n`),
      );
      resolve(EXIT.internal);
    });
  });
}
