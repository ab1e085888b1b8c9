// Declarative cases per profile (OpenFisca style): test/cases/<profile>/*.yaml, each a few
// input rows and the figures expected, worked out by hand. A case is run the way the tool
// runs a year: its rows are written as CSV files into a workspace with the shipped profile,
// read and validated by the real readers, planned, and compared with institutions.csv's
// columns (so module columns can be expected too) and, where given, derivation steps.
//
//   name: what the case shows (and the article)
//   year: 2024
//   asOf: 2025-03-01                  optional (--as-of)
//   notifiedOn: 2025-09-22            optional (--notified-on)
//   policy: { deposit: { rate: 0.05 } } optional: merged into the profile
//   inputs:
//     机构名册: [ { 机构编码: …, 机构名称: …, 机构类型: 医疗机构, 有无住院服务: 是 } ]
//     指标得分: { CODE: { H01: 15, … } }         wide form, one row per institution
//     月度结算: { CODE: 100000 }                 12 months of the same 结算金额 (元), or
//               { CODE: [100000, null, …] }      one amount per month (null: no row), or rows
//     违规记录 / 立案调查 / …: [ { column: value } ]
//   priorState: { CODE: { score: "55.00" } }   optional: results/Y-1/state.json
//   priorPersonnel: { PERSON: { banned_until: "2025-07-01" } }   optional: state.json `personnel`
//   priorModules: { agreementTerm: { violations: [ … ] } }       optional: state.json `modules`
//   expect:
//     CODE: { status: scored, score: "95.00", grade: 优秀, rank: 1, withheld: "…", lists: [results],
//             steps: [ { figure: deduction, value: "5", row: 2 } ] }
//   persons:
//     PERSON: { status: suspended, points: 9, suspended_until: "2024-05-15", lists: [suspended],
//               steps: [ { figure: personnelEvent, value: "3", row: 4 } ] }   personnel.csv's columns
//   totals: { withheld: "…", payout: "…", forfeited: "…", held: "…" }
//   problems: [ { file: 违规记录, row: 3, column: 处理日期, message: 早于发生日期 } ]   the year is refused
//   warnings: [ { file: 指标得分, row: 5, message: 没有申诉记录 } ]              the run goes on, but says so
//   outOfScope: [ P32010100001 ]                 institutions the scheme leaves out (absent from the results)
//   refused: capsTooLow                          the plan refuses (a pool that cannot be paid out as the policy says;
//                                                `calendar 2027`: a working-day deadline in a year no calendar covers)
//   (in `policy:`, a null deletes the key: { deposit: { pool: { capRatio: null } } })
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { StepRecorder } from '../src/plan/derivation.js';
import { planYear } from '../src/plan/assemble-year-plan.js';
import { STATE_SCHEMA } from '../src/plan/state.js';
import { institutionsCsv } from '../src/report/machine.js';
import { personnelCsv } from '../src/report/personnel.js';
import { fenToYuanText } from '../src/io/values.js';
import { formatProblem, type Problem } from '../src/problems.js';
import { loadYear } from '../src/run/year.js';
import { writeCsv } from './helpers/workspace.js';

type Row = Record<string, string | number | boolean | null>;

interface ExpectedStep {
  figure: string;
  value?: string;
  indicator?: string;
  list?: string;
  row?: number;
}

interface Case {
  name: string;
  year: number;
  asOf?: string;
  notifiedOn?: string;
  policy?: Record<string, unknown>;
  inputs: Record<string, Row[] | Record<string, unknown>>;
  priorState?: Record<string, Record<string, string | null>>;
  priorPersonnel?: Record<string, Record<string, string | boolean | null>>;
  priorModules?: Record<string, unknown>;
  persons?: Record<string, Record<string, unknown> & { steps?: ExpectedStep[] }>;
  expect?: Record<string, Record<string, unknown> & { steps?: ExpectedStep[] }>;
  totals?: Partial<Record<'withheld' | 'payout' | 'forfeited' | 'held', string>>;
  problems?: { file?: string; row?: number; column?: string; message: string }[];
  warnings?: { file?: string; row?: number; column?: string; message: string }[];
  outOfScope?: string[];
  refused?: string;
}

const CASES_DIR = 'test/cases';

function deepMerge(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || over === null || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(out[k], v);
  }
  return out;
}

const cell = (v: unknown): string | number => (v === null || v === undefined ? '' : typeof v === 'boolean' ? (v ? '是' : '否') : (v as string | number));

/** Rows of objects → a CSV with the union of their keys as the header. */
function rowsToCsv(rows: Row[]): (string | number)[][] {
  const header = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [header, ...rows.map((r) => header.map((h) => cell(r[h])))];
}

function tableOf(kind: string, value: Row[] | Record<string, unknown>, year: number): (string | number)[][] {
  if (Array.isArray(value)) return rowsToCsv(value);
  if (kind === '指标得分') {
    const codes = Object.keys(value);
    const indicators = [...new Set(codes.flatMap((c) => Object.keys(value[c] as Record<string, unknown>)))];
    return [['机构编码', ...indicators], ...codes.map((c) => [c, ...indicators.map((i) => cell((value[c] as Record<string, unknown>)[i]))])];
  }
  if (kind === '月度结算') {
    const rows: Row[] = [];
    for (const [code, amounts] of Object.entries(value)) {
      const months = Array.isArray(amounts) ? amounts : Array(12).fill(amounts);
      months.forEach((a, m) => {
        if (a !== null && a !== undefined) rows.push({ 机构编码: code, 结算月份: `${year}-${String(m + 1).padStart(2, '0')}`, 结算金额: a as number });
      });
    }
    return rowsToCsv(rows);
  }
  throw new Error(`${kind}: give a list of rows`);
}

async function workspaceFor(profile: string, c: Case): Promise<string> {
  const ws = mkdtempSync(join(tmpdir(), `assess-case-${profile}-`));
  const policyText = readFileSync(`templates/policies/${profile}.yaml`, 'utf8');
  writeFileSync(join(ws, 'policy.yaml'), c.policy ? toYaml(deepMerge(parseYaml(policyText), c.policy)) : policyText);
  for (const [kind, value] of Object.entries(c.inputs)) writeCsv(join(ws, 'inputs', String(c.year), `${kind}.csv`), tableOf(kind, value, c.year));
  if (c.priorState || c.priorPersonnel || c.priorModules) {
    const institutions = Object.fromEntries(
      Object.entries(c.priorState ?? {}).map(([code, s]) => [code, { score: null, status: 'scored', grade: '', tier: null, tier_since: null, promotion_wait_until: null, banned_until: null, ...s }]),
    );
    const state = { schema: STATE_SCHEMA, year: c.year - 1, region: '', profile, institutions, personnel: c.priorPersonnel ?? {}, held_deposits: [], ...(c.priorModules ? { modules: c.priorModules } : {}) };
    mkdirSync(join(ws, 'results', String(c.year - 1)), { recursive: true });
    writeFileSync(join(ws, 'results', String(c.year - 1), 'state.json'), JSON.stringify(state));
  }
  return ws;
}

const profiles = readdirSync(CASES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

for (const profile of profiles) {
  const files = readdirSync(join(CASES_DIR, profile)).filter((f) => f.endsWith('.yaml')).sort();
  describe(`cases/${profile}`, () => {
    for (const file of files) {
      const c = parseYaml(readFileSync(join(CASES_DIR, profile, file), 'utf8'), { merge: true }) as Case; // merge: YAML anchors with << for shared score sets
      it(`${file}: ${c.name}`, async () => {
        const ws = await workspaceFor(profile, c);
        const loaded = await loadYear({ workspace: ws, year: c.year, asOf: c.asOf, notifiedOn: c.notifiedOn });
        if (c.problems) {
          expect(loaded.ok, 'the year should be refused').toBe(false);
          const found = loaded.ok ? [] : loaded.problems;
          for (const p of c.problems) {
            const hit = found.some((f) => (p.file === undefined || f.file.includes(p.file)) && (p.row === undefined || f.row === p.row) && (p.column === undefined || f.column === p.column) && f.message.includes(p.message));
            expect(hit, `${JSON.stringify(p)} among:\n${found.map(formatProblem).join('\n')}`).toBe(true);
          }
          return;
        }
        if (!loaded.ok) throw new Error(loaded.problems.map(formatProblem).join('\n'));
        const matches = (f: Problem, p: NonNullable<Case['warnings']>[number]) =>
          (p.file === undefined || f.file.includes(p.file)) && (p.row === undefined || f.row === p.row) && (p.column === undefined || f.column === p.column) && f.message.includes(p.message);
        expect(loaded.warnings.length, `warnings: ${loaded.warnings.map(formatProblem).join('\n')}`).toBe(c.warnings?.length ?? 0);
        for (const w of c.warnings ?? []) expect(loaded.warnings.some((f) => matches(f, w)), `${JSON.stringify(w)} among:\n${loaded.warnings.map(formatProblem).join('\n')}`).toBe(true);
        const recorder = new StepRecorder('all');
        if (c.refused) {
          const gap = /^calendar (\d{4})$/.exec(c.refused);
          const refusal = gap ? { year: Number(gap[1]) } : { reason: c.refused };
          expect(() => planYear(loaded.inputs, loaded.policy.policy, loaded.prior, { calendar: loaded.calendar })).toThrowError(expect.objectContaining(refusal));
          return;
        }
        const plan = planYear(loaded.inputs, loaded.policy.policy, loaded.prior, { trace: recorder, calendar: loaded.calendar });
        if (c.outOfScope) expect(plan.outOfScope.institutions.map((i) => i.code)).toEqual(c.outOfScope);
        const rows: Record<string, string>[] = parseCsv(institutionsCsv(plan).content as string, { columns: true });
        const expectSteps = (code: string, steps: readonly ExpectedStep[]) => {
          for (const s of steps) {
            const found = recorder
              .stepsOf(code)
              .some((x) => x.figure === s.figure && (s.value === undefined || x.value === s.value) && (s.indicator === undefined || x.indicator === s.indicator) && (s.list === undefined || x.list === s.list) && (s.row === undefined || (x.inputs ?? []).some((i) => i.row === s.row)));
            expect(found, `${code}: step ${JSON.stringify(s)} among ${JSON.stringify(recorder.stepsOf(code).map((x) => [x.figure, x.value]))}`).toBe(true);
          }
        };
        const expectColumns = (what: string, row: Record<string, string> | undefined, columns: Record<string, unknown>) => {
          expect(row, what).toBeDefined();
          for (const [column, value] of Object.entries(columns)) {
            const want = Array.isArray(value) ? value.join(';') : String(value);
            expect(row?.[column], `${what} ${column}`).toBe(want);
          }
        };
        for (const [code, expected] of Object.entries(c.expect ?? {})) {
          const { steps, ...columns } = expected;
          expectColumns(`${code} in institutions.csv`, rows.find((r) => r.code === code), columns);
          expectSteps(code, steps ?? []);
        }
        if (c.persons) {
          const people: Record<string, string>[] = parseCsv(personnelCsv(plan).content as string, { columns: true });
          for (const [code, expected] of Object.entries(c.persons)) {
            const { steps, lists, ...columns } = expected;
            expectColumns(`${code} in personnel.csv`, people.find((r) => r.person === code), columns);
            // Every list the person is on, published or not.
            if (lists !== undefined) expect([...plan.lists].filter(([, es]) => es.some((e) => e.code === code)).map(([l]) => l).sort(), `${code} lists`).toEqual([...(lists as string[])].sort());
            expectSteps(code, steps ?? []);
          }
        }
        if (c.totals) {
          const t = plan.totals;
          const got = { withheld: fenToYuanText(t.withheldFen), payout: fenToYuanText(t.payoutFen), forfeited: fenToYuanText(t.forfeitedFen), held: fenToYuanText(t.heldFen) };
          expect(got).toMatchObject(c.totals);
        }
      });
    }
  });
}
