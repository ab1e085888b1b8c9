// `npm run check:money`: the money rules' properties over a million generated cases each
// (SPEC §7; src/bench/money-properties.ts). Too slow for the default test run, which
// checks the same properties a few thousand times.
//   npm run check:money                      # 1,000,000 runs per property
//   npm run check:money -- --runs 50000 --seed 42
import { checkMoney } from './money-properties.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const runs = Number(arg('runs') ?? 1_000_000);
const seed = arg('seed') === undefined ? undefined : Number(arg('seed'));
const started = performance.now();
console.log(`money properties, ${runs.toLocaleString('en')} runs each${seed === undefined ? '' : `, seed ${seed}`}`);
try {
  checkMoney(runs, (name, ms) => console.log(`  ✔ ${name} (${(ms / 1000).toFixed(1)} s)`), seed);
  console.log(`all held, ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
