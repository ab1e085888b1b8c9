// The Qinghai sample, checked from the files it writes and from what the tool makes of them:
// two consecutive years of a roster of medical institutions and pharmacies of 西宁 and 海东,
// their scores, settlements and a few violations, and 人员记分 with thousands of persons —
// every outcome at and around each line of the 12-point year, points added up across two
// institutions, a repair, restorations, suspensions and bans carried through
// results/Y/state.json. Each case's expectation (the README's line) is compared with what the
// runs of both years write: personnel.csv, the person lists, institutions.csv
// personnel_deduction and state.json. And --events: exactly that many rows a year.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { generateWorkspace, SampleUsageError, type QinghaiResult } from '../generate.js';
import type { QinghaiCase, QinghaiYearCounts } from './qinghai.js';
import { isCreditCode, isIdNumber } from '../../io/codes.js';
import { loadYear, runYear, type RunDone } from '../../run/year.js';

// the shipped sample's command (samples/qinghai/README.md)
const YEAR = 2024;
const NEXT = YEAR + 1;
const SEED = 2024;
const INSTITUTIONS = 300;

type Row = Record<string, string>;

function readCsv(file: string): Row[] {
  return parseCsv(readFileSync(file), { bom: true, columns: true, skip_empty_lines: true }) as Row[];
}

/** A date in any of the spellings the generator mixes → YYYY-MM-DD. */
function isoDate(value: string): string {
  const m = /^(\d{4})(?:-|\/|年)(\d{1,2})(?:-|\/|月)(\d{1,2})日?$/.exec(value.trim());
  if (!m) throw new Error(`not a date: ${value}`);
  return `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
}

async function rosterRows(file: string): Promise<Row[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error(`${file} has no sheet`);
  const names: string[] = [];
  sheet.getRow(3).eachCell((cell, col) => (names[col] = String(cell.value)));
  const rows: Row[] = [];
  sheet.eachRow((row, r) => {
    if (r <= 3) return;
    const record: Row = {};
    names.forEach((name, col) => {
      const v = row.getCell(col).value;
      record[name] = v === null || v === undefined ? '' : String(v);
    });
    rows.push(record);
  });
  return rows;
}

interface Profile {
  indicators: { code: string; max: number }[];
  personnel: { severities: { points: Record<string, [number, number]> }; situations: { points: Record<string, number | [number, number]> } };
}

describe('the Qinghai sample (two years)', () => {
  let dir: string;
  let again: string;
  let result: QinghaiResult;
  let profile: Profile;
  const runs = new Map<number, RunDone>();
  const inputs = (year: number, file: string, base = dir) => path.join(base, 'inputs', String(year), file);
  const results = (year: number, file: string) => path.join(dir, 'results', String(year), file);
  const casesOf = (y: number): QinghaiCase[] => result.special.cases.filter((c) => c.year === y);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'assess-qinghai-'));
    again = mkdtempSync(path.join(tmpdir(), 'assess-qinghai-'));
    const made = await generateWorkspace({ outDir: dir, region: 'xining', seed: SEED, institutions: INSTITUTIONS, year: YEAR });
    if (made.profile !== 'qinghai') throw new Error(`expected the qinghai scenario, got ${made.profile}`);
    result = made;
    await generateWorkspace({ outDir: again, profile: 'qinghai', seed: SEED, institutions: INSTITUTIONS, year: YEAR });
    profile = parseYaml(readFileSync(path.join(dir, 'policy.yaml'), 'utf8')) as Profile;
    for (const year of [YEAR, NEXT]) {
      const loaded = await loadYear({ workspace: dir, year });
      if (!loaded.ok) throw new Error(`${year}: ${loaded.problems.map((p) => `${p.file} ${p.row ?? ''} ${p.column ?? ''} ${p.message}`).join('; ')}`);
      runs.set(year, await runYear({ workspace: dir, year, clock: () => new Date(Date.UTC(NEXT + 1, 0, 1)) }, loaded));
    }
  }, 120_000);
  afterAll(() => {
    for (const d of [dir, again]) rmSync(d, { recursive: true, force: true });
  });

  it('is the same workspace for the same seed, whether asked by region or by profile', () => {
    for (const file of ['policy.yaml', 'README.md', ...[YEAR, NEXT].flatMap((y) => ['指标得分.csv', '月度结算.csv', '人员记分.csv'].map((f) => path.join('inputs', String(y), f)))]) {
      expect(readFileSync(path.join(again, file)).equals(readFileSync(path.join(dir, file))), file).toBe(true);
    }
  });

  it('copies the Qinghai profile unchanged as policy.yaml', () => {
    const template = readFileSync(new URL('../../../templates/policies/qinghai.yaml', import.meta.url));
    expect(readFileSync(path.join(dir, 'policy.yaml')).equals(template)).toBe(true);
  });

  it('has medical institutions and pharmacies of the districts of 西宁 and 海东, the same both years, scored QH01–QH04 and settled every month', async () => {
    const region = parseYaml(readFileSync(new URL('../../../templates/samples/xining.yaml', import.meta.url), 'utf8')) as { districts: { code: string; name: string }[] };
    const districts = new Map(region.districts.map((d) => [d.code, d.name]));
    const first = await rosterRows(inputs(YEAR, '机构名册.xlsx'));
    const next = await rosterRows(inputs(NEXT, '机构名册.xlsx'));
    expect(first).toHaveLength(INSTITUTIONS);
    expect(next.map((r) => r['机构编码'])).toEqual(first.map((r) => r['机构编码']));
    for (const r of first) {
      const code = r['机构编码'] ?? '';
      expect(code).toMatch(r['机构类型'] === '零售药店' ? /^P63\d{9}$/ : /^H63\d{9}$/);
      expect(districts.get(code.slice(1, 7)), code).toBe(r['所属区县']);
      if (r['统一社会信用代码']) expect(isCreditCode(r['统一社会信用代码']), code).toBe(true);
    }
    const kinds = new Set(first.map((r) => `${r['机构类型']}${r['有无住院服务']}`));
    expect(kinds).toEqual(new Set(['医疗机构是', '医疗机构否', '零售药店']));
    expect(new Set(first.map((r) => (r['机构编码'] ?? '').slice(1, 5)))).toEqual(new Set(['6301', '6302']));

    const max = new Map(profile.indicators.map((i) => [i.code, i.max]));
    const long = readCsv(inputs(YEAR, '指标得分.csv'));
    expect(long).toHaveLength(INSTITUTIONS * max.size);
    for (const r of long) expect(Number(r['得分'])).toBeLessThanOrEqual(max.get(r['指标编码'] ?? '') ?? NaN);
    const wide = readCsv(inputs(NEXT, '指标得分.csv'));
    expect(Object.keys(wide[0] ?? {})).toEqual(['机构编码', '机构名称', ...max.keys()]);
    expect(wide).toHaveLength(INSTITUTIONS);
    for (const y of [YEAR, NEXT]) expect(readCsv(inputs(y, '月度结算.csv'))).toHaveLength(INSTITUTIONS * 12);
  });

  it('writes 人员记分 as the tool reads it: one name and one ID number per person across both years, points by event type, 情形 within their range', () => {
    const names = new Map<string, string>();
    const ids = new Map<string, string>();
    const named = new Map<string, [number, number]>(
      [...Object.entries(profile.personnel.severities.points), ...Object.entries(profile.personnel.situations.points)].map(([k, v]) => [k, typeof v === 'number' ? [v, v] : v]),
    );
    for (const y of [YEAR, NEXT]) {
      const rows = readCsv(inputs(y, '人员记分.csv'));
      expect(Object.keys(rows[0] ?? {})).toEqual(['人员编码', '姓名', '机构编码', '记分日期', '分值', '事件类型', '情形', '身份证号']);
      expect(rows).toHaveLength(INSTITUTIONS * 15);
      let withId = 0;
      let withSituation = 0;
      for (const r of rows) {
        const person = r['人员编码'] ?? '';
        expect(person).toMatch(/^[DNY]63\d{10}$/);
        expect(names.get(person) ?? r['姓名'], person).toBe(r['姓名']);
        names.set(person, r['姓名'] ?? '');
        expect(isoDate(r['记分日期'] ?? '').startsWith(`${y}-`)).toBe(true);
        const points = Number(r['分值']);
        const kind = r['事件类型'] || (points > 0 ? '记分' : points < 0 ? '修复' : '恢复');
        if (kind === '记分') expect(points >= 1 && points <= 12, `${person} ${points}`).toBe(true);
        else if (kind === '修复') expect(points >= -3 && points <= -1).toBe(true);
        else expect(points).toBe(0);
        const id = r['身份证号'] ?? '';
        if (id) {
          withId++;
          expect(isIdNumber(id), id).toBe(true);
          expect(ids.get(person) ?? id, person).toBe(id);
          ids.set(person, id);
        }
        const situation = r['情形'] ?? '';
        if (situation) {
          withSituation++;
          const range = named.get(situation);
          expect(range, situation).toBeDefined();
          expect(points >= (range?.[0] ?? 0) && points <= (range?.[1] ?? 0), `${person} ${situation} ${points}`).toBe(true);
        }
      }
      // most rows leave 身份证号 and 情形 blank, some give them
      expect(withId).toBeGreaterThan(0);
      expect(withId / rows.length).toBeLessThan(0.3);
      expect(withSituation).toBeGreaterThan(0);
      expect(withSituation / rows.length).toBeLessThan(0.3);
      // thousands of persons, most with a row or two
      const persons = new Set(rows.map((r) => r['人员编码']));
      expect(persons.size).toBeGreaterThan(3000);
      expect(result.counts.byYear[y]?.persons).toBe(persons.size);
    }
    // every severity of the profile named somewhere
    const all = [YEAR, NEXT].flatMap((y) => readCsv(inputs(y, '人员记分.csv')).map((r) => r['情形']));
    for (const severity of Object.keys(profile.personnel.severities.points)) expect(all, severity).toContain(severity);
  });

  it('has every outcome at and around each line, two institutions, a repair, restorations, carried suspensions and bans', () => {
    const roles = (y: number) => new Set(casesOf(y).map((c) => c.role));
    for (const role of ['five', 'six', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'oneShot', 'twoSites', 'twoSitesHighest', 'twoPharmacies', 'repair', 'repairBefore', 'restored', 'restoredThenMore', 'carriedRestored', 'carriedFresh', 'carriedQuiet', 'banEnded'] as const) {
      expect(roles(YEAR).has(role), role).toBe(true);
    }
    for (const role of ['bannedWithEvents', 'banEnded', 'bannedQuiet', 'carriedRestored', 'carriedFresh', 'carriedQuiet', 'freshYear', 'repairAgain', 'carriedOn'] as const) {
      expect(roles(NEXT).has(role), role).toBe(true);
    }
    const totals = casesOf(YEAR).filter((c) => c.institutions.length > 0).map((c) => c.expected.deducted - c.expected.repaired);
    for (const t of [5, 6, 7, 8, 9, 10, 11, 12, 13]) expect(totals, String(t)).toContain(t);
    expect(casesOf(YEAR).some((c) => c.expected.oneShot === true)).toBe(true);
    expect(casesOf(YEAR).filter((c) => c.institutions.length === 2).length).toBeGreaterThanOrEqual(3);
  });

  const personnelRows = (y: number): Map<string, Row> => new Map(readCsv(results(y, 'personnel.csv')).map((r) => [r.person ?? '', r]));

  for (const [label, year] of [
    ['first', YEAR],
    ['next', NEXT],
  ] as const) {
    it(`gives each case of the ${label} year what the README says: personnel.csv, the lists, the institution charged, state.json`, () => {
      const rows = personnelRows(year);
      const run = runs.get(year);
      if (!run) throw new Error('no run');
      const lists = new Map<string, string[]>();
      for (const code of ['keySupervision', 'suspended', 'personnelTerminated', 'personnelBanned'] as const) {
        for (const e of run.plan.lists.get(code) ?? []) lists.set(e.code, [...(lists.get(e.code) ?? []), code]);
      }
      const state = JSON.parse(readFileSync(results(year, 'state.json'), 'utf8')) as { personnel: Record<string, unknown> };
      const charged = new Map<string, { institution: string; points: number }[]>();
      for (const [code, ds] of run.plan.modules.personnel?.deductions ?? []) {
        for (const d of ds) charged.set(String(d.facts.person), [...(charged.get(String(d.facts.person)) ?? []), { institution: code, points: Number(d.points) }]);
      }
      const cases = casesOf(year);
      expect(cases.length).toBeGreaterThan(8);
      for (const c of cases) {
        const e = c.expected;
        const r = rows.get(c.person);
        const what = `${year} ${c.role} ${c.person}`;
        expect(r !== undefined, `${what}: a row in personnel.csv`).toBe(e.row);
        expect(c.person in state.personnel, `${what}: in state.json`).toBe(e.carried);
        if (!r) continue;
        expect(r, what).toMatchObject({
          name: c.name,
          institutions: c.institutions.join(';'),
          status: e.status,
          deducted: String(e.deducted),
          repaired: String(e.repaired),
          points: String(e.points),
          suspended_from: e.suspendedFrom,
          suspended_until: e.suspendedUntil,
          terminated_on: e.terminatedOn,
          banned_until: e.bannedUntil,
        });
        if (e.oneShot !== undefined) expect(r.one_shot, what).toBe(String(e.oneShot));
        expect(lists.get(c.person) ?? [], what).toEqual(e.lists);
        expect(charged.get(c.person) ?? [], what).toEqual(e.charged ? [e.charged] : []);
      }
    });

    it(`deducts from each institution of the ${label} year's cases what the README says`, () => {
      const institutions = new Map(readCsv(results(year, 'institutions.csv')).map((r) => [r.code ?? '', r]));
      const charged = result.special.charged[year] ?? [];
      expect(charged.length).toBeGreaterThan(5);
      for (const x of charged) {
        const r = institutions.get(x.code);
        expect(r?.personnel_deduction, x.code).toBe(x.deduction === 0 ? '' : String(x.deduction));
        expect(r?.score, x.code).toBe(x.score);
      }
    });
  }

  it('brings the deduction case’s score below the full refund in the first year', () => {
    const r = readCsv(results(YEAR, 'institutions.csv')).find((x) => x.code === result.special.deductionCase);
    expect(Number(r?.score)).toBeLessThan(80);
    expect(Number(r?.payout)).toBeLessThan(Number(r?.withheld));
    expect(Number(r?.personnel_deduction)).toBeGreaterThan(3);
  });

  it('lists every case with its code and the commands in the README', () => {
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const c of result.special.cases) expect(readme, `${c.year} ${c.role}`).toContain(`- ${c.person} ${c.name}`);
    expect(readme).toContain(`node dist/sample/generate.js --out <目录> --region xining --seed ${SEED} --institutions ${INSTITUTIONS} --year ${YEAR}`);
    expect(readme).toContain(`npx assess year ${YEAR} -w samples/qinghai`);
    expect(readme).toContain(`npx assess year ${NEXT} -w samples/qinghai`);
    expect(readme).toContain('--events');
  });
});

describe('the Qinghai sample at scale (--events)', () => {
  const made: string[] = [];
  const out = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'assess-qinghai-'));
    made.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of made) rmSync(d, { recursive: true, force: true });
  });
  const lines = (file: string): number => readFileSync(file, 'utf8').split('\r\n').filter(Boolean).length - 1;

  it('writes exactly the events asked each year, the persons growing with them, the same for the same seed', async () => {
    const a = out();
    const b = out();
    const result = await generateWorkspace({ outDir: a, region: 'xining', seed: 7, institutions: 40, year: YEAR, personnelEvents: 50_000 });
    const byYear = (result.counts as { byYear: Record<number, QinghaiYearCounts> }).byYear;
    await generateWorkspace({ outDir: b, region: 'xining', seed: 7, institutions: 40, year: YEAR, personnelEvents: 50_000 });
    for (const y of [YEAR, NEXT]) {
      const file = path.join('inputs', String(y), '人员记分.csv');
      expect(lines(path.join(a, file))).toBe(50_000);
      expect(readFileSync(path.join(a, file)).equals(readFileSync(path.join(b, file))), file).toBe(true);
      expect(byYear[y]?.events).toBe(50_000);
      expect(byYear[y]?.persons).toBeGreaterThan(35_000);
    }
    const loaded = await loadYear({ workspace: a, year: YEAR });
    expect(loaded.ok && loaded.inputs.personnel.count).toBe(50_000);
  }, 60_000);

  it('refuses --events for a sample without 人员记分, and fewer events than the cases have', async () => {
    await expect(generateWorkspace({ outDir: out(), region: 'tianjin', seed: 1, institutions: 30, year: YEAR, personnelEvents: 1000 })).rejects.toBeInstanceOf(SampleUsageError);
    await expect(generateWorkspace({ outDir: out(), region: 'xining', seed: 1, institutions: 40, year: YEAR, personnelEvents: 10 })).rejects.toThrow(/--events\) must be an integer ≥ \d+/);
  });
});
