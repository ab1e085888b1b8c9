// Killed at random points, 100 times (SPEC §7): a run of `assess year` is killed with
// SIGKILL at a random moment, or right after a named step of publishing its results
// (inside the swap); all the while a reader reads results/2024 and must always find a
// complete set, the old or the new one. After each kill, `validate` repairs what was left
// and the workspace is ready for the next run: no lock stuck, nothing temporary left.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newWorkspace, runCli, writeCsv } from '../helpers/workspace.js';

const KILLS = Number(process.env.ASSESS_KILLS ?? 100);
const LANES = 2;
const PAUSE_MS = 5;
const STEPS = ['write', 'checked', 'generation', 'linked', 'published'];

/** Inputs whose results differ by variant, so old and new sets can be told apart. */
function writeInputs(ws: string, variant: 0 | 1): void {
  const dir = join(ws, 'inputs/2024');
  writeCsv(join(dir, '机构名册.csv'), [['机构编码', '机构名称', '机构类型'], ['P12010100001', '甲药房', '零售药店'], ['P12010100002', '乙药房', '零售药店']]);
  writeCsv(join(dir, '指标得分.csv'), [['机构编码', 'P01', 'P02', 'P03', 'P04', 'P05'], ['P12010100001', 30, 15, 35, 10, 10], ['P12010100002', variant ? 10 : 20, 15, 35, 10, 10]]);
  writeCsv(join(dir, '月度结算.csv'), [['机构编码', '结算月份', '结算金额'], ...['P12010100001', 'P12010100002'].flatMap((c) => Array.from({ length: 12 }, (_, m) => [c, `2024-${String(m + 1).padStart(2, '0')}`, variant ? '2000' : '1000']))]);
}

const read = (ws: string, file: string) => readFileSync(join(ws, 'results/2024', file));

interface Lane {
  ws: string;
  sets: [Buffer, Buffer]; // institutions.csv of each variant
  readerFailures: string[];
  reads: number;
  killedAt: Map<string, number>;
}

async function prepare(): Promise<Lane> {
  const ws = newWorkspace();
  const sets: Buffer[] = [];
  for (const v of [0, 1] as const) {
    writeInputs(ws, v);
    expect((await runCli(['year', '2024', '-w', ws])).code).toBe(0);
    sets.push(read(ws, 'institutions.csv'));
  }
  expect(sets[0]!.equals(sets[1]!)).toBe(false);
  return { ws, sets: [sets[0]!, sets[1]!], readerFailures: [], reads: 0, killedAt: new Map() };
}

/** A reader polling the published results: every read must find a complete set. */
function startReader(lane: Lane): () => void {
  const timer = setInterval(() => {
    try {
      const csv = read(lane.ws, 'institutions.csv');
      const manifest = JSON.parse(read(lane.ws, 'manifest.json').toString('utf8'));
      if (!lane.sets.some((s) => s.equals(csv))) lane.readerFailures.push('institutions.csv is neither the old nor the new set');
      if (!manifest.reconciliation?.balanced) lane.readerFailures.push('manifest.json incomplete');
      lane.reads += 1;
    } catch (e) {
      lane.readerFailures.push((e as Error).message);
    }
  }, 3);
  return () => clearInterval(timer);
}

/** One run, killed either at a random moment or right after a publication step (then a random part of the pause). */
function runAndKill(ws: string, step: string | null, delayMs: number): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn('node', ['bin/assess.js', 'year', '2024', '-w', ws], { env: { ...process.env, NO_COLOR: '1', ASSESS_TEST_PUBLISH_PAUSE_MS: String(PAUSE_MS) } });
    let last = 'start';
    let killed = false;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stderr.on('data', (chunk: Buffer) => {
      for (const m of chunk.toString().matchAll(/publish:(\w+)/g)) {
        last = m[1]!;
        if (step !== null && last === step) setTimeout(kill, Math.random() * PAUSE_MS);
      }
    });
    if (step === null) setTimeout(kill, delayMs);
    child.on('exit', () => resolve(killed ? last : 'finished'));
  });
}

async function lane(lane: Lane, kills: number): Promise<void> {
  const stop = startReader(lane);
  try {
    for (let i = 0; i < kills; i++) {
      writeInputs(lane.ws, (i % 2) as 0 | 1);
      const aimed = i % 2 === 1 ? STEPS[Math.floor(Math.random() * STEPS.length)]! : null;
      const at = await runAndKill(lane.ws, aimed, 50 + Math.random() * 900);
      lane.killedAt.set(at, (lane.killedAt.get(at) ?? 0) + 1);
      // The published set is complete before any repair...
      expect(lane.sets.some((s) => s.equals(read(lane.ws, 'institutions.csv')))).toBe(true);
      // ...and after the repair the next command does, nothing temporary is left and no lock stays.
      const validate = await runCli(['validate', 'year', '2024', '-w', lane.ws]);
      expect(validate.code, validate.stderr).toBe(0);
      expect(readdirSync(join(lane.ws, 'results')).filter((e) => !/^(2024|\.2024\.r\d+)$/.test(e))).toEqual([]);
      expect(existsSync(join(lane.ws, '.assess.lock'))).toBe(false);
      expect(lane.sets.some((s) => s.equals(read(lane.ws, 'institutions.csv')))).toBe(true);
    }
  } finally {
    stop();
  }
}

describe('assess year killed at random points', () => {
  it(`${KILLS} kills, ${LANES} workspaces at once: the results are never absent or partial to a reader, and always repaired`, async () => {
    const lanes = await Promise.all(Array.from({ length: LANES }, prepare));
    await Promise.all(lanes.map((l) => lane(l, Math.ceil(KILLS / LANES))));
    const killedAt = new Map<string, number>();
    for (const l of lanes) for (const [k, n] of l.killedAt) killedAt.set(k, (killedAt.get(k) ?? 0) + n);
    console.log(`kills by the last step reached: ${JSON.stringify(Object.fromEntries(killedAt))}; reads: ${lanes.map((l) => l.reads).join(' + ')}`);
    for (const l of lanes) expect(l.readerFailures).toEqual([]);
    // Kills landed inside the publication, between its renames included.
    expect((killedAt.get('generation') ?? 0) + (killedAt.get('linked') ?? 0)).toBeGreaterThan(0);
    // And a run left alone still finishes.
    for (const l of lanes) expect((await runCli(['year', '2024', '-w', l.ws])).code).toBe(0);
  }, 600_000);
});
