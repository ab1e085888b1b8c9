// A seeded, deterministic generator of a sample workspace (SPEC §2, §3): policy.yaml,
// inputs/<year>/{机构名册.xlsx, 指标得分.csv, 月度结算.csv, 违规记录.xlsx, 立案调查.csv, …} and
// a README listing the special cases the data holds.
//
// Everything regional (city, districts, titles, the policy profile) comes from the region's
// data file templates/samples/<region>.yaml (see region.ts); what a profile's sample holds
// (categories scored, special cases, score files, README) is its scenario
// (scenarios/<profile>.ts); the machinery they share is in rng.ts, values.ts, csv.ts,
// roster.ts and records.ts. No file here names a region.
//
// Same seed → byte-identical CSVs, README and policy copy. The workbooks carry fixed
// created/modified dates; only the zip entry timestamps that exceljs/archiver stamp
// may differ between runs.
//
// Settlement and score rows are streamed, so `--institutions 100000` does not hold the
// rows in memory (only one small record per institution).
//
//   node dist/sample/generate.js --out samples/tianjin --seed 2024 --institutions 320 --year 2024
//   node dist/sample/generate.js --region nanjing --out samples/jiangsu --seed 2025 --institutions 320 --year 2024
//   node dist/sample/generate.js --region xianyang --out samples/xianyang --seed 2025 --institutions 330 --year 2025   (two years: 2025 and 2026)
//   node dist/sample/generate.js --region xining --out samples/qinghai --seed 2024 --institutions 300 --year 2024   (two years: 2024 and 2025)
//   node dist/sample/generate.js --region xining --out /tmp/qh --seed 7 --institutions 320 --year 2024 --events 500000   (人员记分: exactly 500,000 rows a year)
//   node dist/sample/generate.js --region linyi --out samples/linyi --seed 2024 --institutions 320 --year 2024   (two years: 2024 and 2025)

import { realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSampleRegion, SampleRegionError } from './region.js';
import { DEFAULT_REGION } from './scenario.js';
import { SCENARIOS, scenarioOf, type ScenarioResult } from './scenarios/index.js';
import { assertCreditCodeHelper } from './values.js';

export { mulberry32 } from './rng.js';
export type {
  BandEdgeCase,
  JiangsuResult,
  JiangsuSpecialCases,
  LinyiResult,
  LinyiSpecialCases,
  QinghaiResult,
  QinghaiSpecialCases,
  TianjinResult,
  TianjinSpecialCases,
  XianyangResult,
  XianyangSpecialCases,
} from './scenarios/index.js';

// ───────────────────────────── public API ─────────────────────────────

export interface GenerateOptions {
  outDir: string;
  /** The sample region: templates/samples/<region>.yaml (e.g. tianjin, nanjing); its file names the profile. */
  region?: string;
  /** The policy profile (e.g. jiangsu): its scenario's default region when no region is given, else a check. */
  profile?: string;
  seed: number;
  institutions: number;
  year: number;
  /** Months of settlement per institution, 1..12 (months 1..n of the year); default 12. */
  settlementRowsPerInstitution?: number;
  /**
   * Rows of each year's 人员记分.csv, exactly (--events; the persons scale with it), for a
   * profile whose sample writes it (qinghai); default: the scenario's (15 per institution).
   */
  personnelEvents?: number;
}

/** The files written (policy.yaml first) and what the scenario put in them. */
export type GenerateResult = ScenarioResult;

/** A request the generator cannot carry out as asked (an unknown profile, a region of another profile). */
export class SampleUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SampleUsageError';
  }
}

const MIN_INSTITUTIONS = 30;

/** What is wrong with the options, or null. */
function optionsProblem(opts: GenerateOptions): string | null {
  const months = opts.settlementRowsPerInstitution ?? 12;
  if (!Number.isInteger(opts.institutions) || opts.institutions < MIN_INSTITUTIONS) {
    return `institutions must be an integer ≥ ${MIN_INSTITUTIONS} (the special cases need that many)`;
  }
  if (!Number.isInteger(opts.year) || opts.year < 2001 || opts.year > 9998) return 'year must be an integer like 2024';
  if (!Number.isInteger(opts.seed)) return 'seed must be an integer';
  if (opts.personnelEvents !== undefined && (!Number.isInteger(opts.personnelEvents) || opts.personnelEvents < 1)) return 'personnelEvents (--events) must be an integer ≥ 1';
  if (!Number.isInteger(months) || months < 1 || months > 12) {
    return 'settlementRowsPerInstitution (--months) must be 1..12: one row per month, months never repeat';
  }
  return null;
}

const knownProfiles = (): string => SCENARIOS.map((s) => s.profile).join(', ');

export async function generateWorkspace(opts: GenerateOptions): Promise<GenerateResult> {
  assertCreditCodeHelper();
  const problem = optionsProblem(opts);
  if (problem) throw new Error(problem);
  const { outDir, seed, institutions, year } = opts;
  const months = opts.settlementRowsPerInstitution ?? 12;

  const asked = opts.profile === undefined ? undefined : scenarioOf(opts.profile);
  if (opts.profile !== undefined && !asked) {
    throw new SampleUsageError(`no sample scenario for profile "${opts.profile}"; profiles with a sample: ${knownProfiles()}`);
  }
  const region = await loadSampleRegion(opts.region ?? asked?.defaultRegion ?? DEFAULT_REGION);
  const scenario = scenarioOf(region.profile);
  if (!scenario) {
    throw new SampleUsageError(`region "${region.name}" is of profile ${region.profile}, which has no sample scenario; profiles with a sample: ${knownProfiles()}`);
  }
  if (asked && asked !== scenario) {
    throw new SampleUsageError(`region "${region.name}" is of profile ${region.profile}, not ${asked.profile}`);
  }
  const unscored = scenario.scored.filter((c) => region.indicators[c].length === 0);
  if (unscored.length > 0) {
    throw new SampleRegionError(`templates/policies/${region.profile}.yaml has no indicator for ${unscored.join(', ')}, which the ${scenario.profile} sample scores`);
  }
  if (opts.personnelEvents !== undefined && !scenario.personnel) {
    throw new SampleUsageError(`--events is for a sample with 人员记分 (${SCENARIOS.filter((s) => s.personnel).map((s) => s.profile).join(', ')}); the ${scenario.profile} sample has none`);
  }
  if (institutions < scenario.minInstitutions) {
    throw new Error(`institutions must be ≥ ${scenario.minInstitutions} for the ${scenario.profile} sample (the special cases need that many)`);
  }

  const inputsDir = path.join(outDir, 'inputs', String(year));
  await mkdir(inputsDir, { recursive: true });
  const policyFile = path.join(outDir, 'policy.yaml');
  await writeFile(policyFile, region.policyBytes);
  const result = await scenario.generate({ outDir, inputsDir, seed, institutions, year, months, region, personnelEvents: opts.personnelEvents });
  return { ...result, files: [policyFile, ...result.files] };
}

// ───────────────────────────── command line ─────────────────────────────

const USAGE =
  'usage: node dist/sample/generate.js --out DIR [--region NAME | --profile NAME] [--seed N] [--institutions N] [--year YYYY] [--months 1..12] [--events N]\n' +
  `  --region: a file templates/samples/NAME.yaml, which names its profile (default ${DEFAULT_REGION})\n` +
  `  --profile: a policy profile with a sample scenario (${SCENARIOS.map((s) => `${s.profile} → region ${s.defaultRegion}`).join(', ')})\n` +
  `  --events: rows of each year's 人员记分.csv, exactly (persons scale with it); only for ${SCENARIOS.filter((s) => s.personnel).map((s) => s.profile).join(', ')}`;

const KNOWN_OPTIONS = ['out', 'region', 'profile', 'seed', 'institutions', 'year', 'months', 'events'];

function parseArgs(argv: string[]): GenerateOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    }
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !m[1]) throw new Error(`unknown argument ${arg}`);
    if (!KNOWN_OPTIONS.includes(m[1])) throw new Error(`unknown option --${m[1]}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    values.set(m[1], value);
  }
  const int = (k: string, fallback: number): number => {
    const v = values.get(k);
    if (v === undefined) return fallback;
    if (!/^-?\d+$/.test(v)) throw new Error(`--${k} must be an integer, got ${v}`);
    return Number(v);
  };
  const outDir = values.get('out');
  if (!outDir) throw new Error('--out is required');
  const opts: GenerateOptions = {
    outDir,
    region: values.get('region'),
    profile: values.get('profile'),
    seed: int('seed', 2024),
    institutions: int('institutions', 320),
    year: int('year', 2024),
    settlementRowsPerInstitution: int('months', 12),
    personnelEvents: values.has('events') ? int('events', 0) : undefined,
  };
  const problem = optionsProblem(opts);
  if (problem) throw new Error(problem);
  return opts;
}

async function main(): Promise<void> {
  let opts: GenerateOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const started = performance.now();
  let result: GenerateResult;
  try {
    result = await generateWorkspace(opts);
  } catch (err) {
    if (err instanceof SampleUsageError) {
      console.error(`${err.message}\n${USAGE}`);
      process.exit(2);
    }
    if (!(err instanceof SampleRegionError)) throw err;
    // an unknown region is a usage error; a broken region file, invalid input
    console.error(err.unknown ? `${err.message}\n${USAGE}` : err.message);
    process.exit(err.unknown ? 2 : 1);
  }
  const { files, special, counts } = result;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`已生成样例工作区 ${opts.outDir}（种子 ${opts.seed}，${counts.institutions} 家机构，用时 ${seconds} 秒）`);
  for (const f of files) console.log(`  ${f}`);
  const appeals = 'appeals' in counts ? `，申诉记录 ${counts.appeals} 条` : '';
  const exits = 'exits' in counts ? `，退出记录 ${counts.exits} 条` : '';
  const personnel = 'personnel' in counts ? `，人员记分 ${counts.personnel} 条` : '';
  console.log(
    `  指标得分 ${counts.scores} 行，月度结算 ${counts.settlements} 行，违规记录 ${counts.violations} 条，立案调查 ${counts.investigations} 条${appeals}${exits}${personnel}`,
  );
  // The special cases are the README's: counted here, listed there with their codes.
  console.log(`  特殊情形 ${Object.keys(special).length} 类，逐项（机构编码、预期结果）见 ${path.join(opts.outDir, 'README.md')}`);
  console.log(`  运行：assess validate year ${opts.year} -w ${opts.outDir}，再运行 assess year ${opts.year} -w ${opts.outDir}`);
}

function isMain(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(path.resolve(arg)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(3);
  });
}
