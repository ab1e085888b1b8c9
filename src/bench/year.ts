// `npm run bench`: times one year's run on a generated workspace and reports peak memory.
// Speed and memory are measured here, never by a timed test.
//   npm run bench -- --institutions 20000
//   npm run bench -- --region xining --institutions 300 --events 500000   (Qinghai: 人员记分 rows a year)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorkspace } from '../sample/generate.js';
import { loadYear, runYear } from '../run/year.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

const institutions = arg('institutions', 20_000);
const events = arg('events', 0);
const textArg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
};
const region = textArg('region', 'tianjin');
const dir = mkdtempSync(join(tmpdir(), 'assess-bench-'));
let peakRss = 0;
const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
try {
  let t = performance.now();
  await generateWorkspace({ outDir: dir, region, seed: 7, institutions, year: 2024, ...(events > 0 ? { personnelEvents: events } : {}) });
  const generated = performance.now() - t;
  const rssBefore = process.memoryUsage().rss;
  t = performance.now();
  const loaded = await loadYear({ workspace: dir, year: 2024 });
  if (!loaded.ok) throw new Error(`generated workspace is invalid: ${loaded.problems[0]?.message}`);
  const read = performance.now() - t;
  t = performance.now();
  const done = await runYear({ workspace: dir, year: 2024 }, loaded);
  const run = performance.now() - t;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const rows = loaded.inputs.sources.map((s) => `${s.name} ${s.rows}`).join(', ');
  console.log(`region: ${region}, institutions: ${institutions} (${rows})`);
  console.log(`generate: ${(generated / 1000).toFixed(1)} s`);
  console.log(`load + validate: ${(read / 1000).toFixed(1)} s`);
  console.log(`plan + render + write: ${(run / 1000).toFixed(1)} s (${done.files.length} files)`);
  console.log(`rss before load: ${(rssBefore / 2 ** 20).toFixed(0)} MB, peak: ${(peakRss / 2 ** 20).toFixed(0)} MB`);
} finally {
  clearInterval(sample);
  rmSync(dir, { recursive: true, force: true });
}
