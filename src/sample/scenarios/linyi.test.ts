// The Linyi sample, checked from the files it writes and from what the tool makes of them:
// two consecutive years of a roster of medical institutions and pharmacies of 临沂市 with
// their planning areas (the districts and the 开发区 planned apart), scores, settlements,
// violations (earlier years' rows in the first year's file) and 退出记录 of every type. Each
// institution's expected result — score, every list it is on (the unpublished staffing list
// too), agreement outcome and the violations that decided it, ban — is held against what the
// runs of both years write (institutions.csv, the plan's lists), the second reading the
// first's results/Y/state.json.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { generateWorkspace, type LinyiResult } from '../generate.js';
import { isCreditCode } from '../../io/codes.js';
import { loadYear, runYear, type RunDone } from '../../run/year.js';
import type { Problem } from '../../problems.js';

// the shipped sample's command (samples/linyi/README.md)
const YEAR = 2024;
const NEXT = YEAR + 1;
const SEED = 2024;
const INSTITUTIONS = 320;

type Row = Record<string, string>;

function readCsv(file: string): Row[] {
  return parseCsv(readFileSync(file), { bom: true, columns: true, skip_empty_lines: true }) as Row[];
}

/** A date cell or text in any of the spellings the generator mixes → YYYY-MM-DD; '' for blank. */
function isoDate(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const m = /^(\d{4})(?:-|\/|年)(\d{1,2})(?:-|\/|月)(\d{1,2})日?$/.exec(String(value).trim());
  if (!m) throw new Error(`not a date: ${String(value)}`);
  return `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
}

/** The rows of a workbook's first sheet below its header row, keyed by header, as text (dates as YYYY-MM-DD). */
async function readSheet(file: string, headerRow: number): Promise<Row[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error(`${file} has no sheet`);
  const names: string[] = [];
  sheet.getRow(headerRow).eachCell((cell, col) => (names[col] = String(cell.value)));
  const rows: Row[] = [];
  sheet.eachRow((row, r) => {
    if (r <= headerRow) return;
    const record: Row = {};
    names.forEach((name, col) => {
      const v = row.getCell(col).value;
      record[name] = v instanceof Date ? isoDate(v) : v === null || v === undefined ? '' : String(v);
    });
    rows.push(record);
  });
  return rows;
}

interface Profile {
  indicators: { code: string; max: number }[];
  sanctions: {
    bottomElimination: { areas: Record<string, number> };
    staffing: { bands: { maxBeds?: number; min: number }[] };
    agreementTerm: { years: number; blockingTypes: string[] };
  };
}

describe('the Linyi sample (two years)', () => {
  let dir: string;
  let again: string;
  let result: LinyiResult;
  let profile: Profile;
  const runs = new Map<number, RunDone>();
  const warnings = new Map<number, Problem[]>();
  const rosters = new Map<number, Row[]>();
  const violations = new Map<number, Row[]>();
  const inputs = (year: number, file: string, base = dir) => path.join(base, 'inputs', String(year), file);
  const results = (year: number, file: string) => path.join(dir, 'results', String(year), file);
  const rosterOf = (y: number): Row[] => rosters.get(y) ?? [];
  const violationsOf = (y: number): Row[] => violations.get(y) ?? [];
  const casesOf = (y: number, role: string): string[] => result.special.cases.filter((c) => c.year === y && c.role === role).map((c) => c.code);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'assess-linyi-'));
    again = mkdtempSync(path.join(tmpdir(), 'assess-linyi-'));
    const made = await generateWorkspace({ outDir: dir, region: 'linyi', seed: SEED, institutions: INSTITUTIONS, year: YEAR });
    if (made.profile !== 'linyi') throw new Error(`expected the linyi scenario, got ${made.profile}`);
    result = made;
    await generateWorkspace({ outDir: again, profile: 'linyi', seed: SEED, institutions: INSTITUTIONS, year: YEAR });
    profile = parseYaml(readFileSync(path.join(dir, 'policy.yaml'), 'utf8')) as Profile;
    for (const year of [YEAR, NEXT]) {
      rosters.set(year, await readSheet(inputs(year, '机构名册.xlsx'), 3));
      violations.set(year, await readSheet(inputs(year, '违规记录.xlsx'), 1));
      const loaded = await loadYear({ workspace: dir, year });
      if (!loaded.ok) throw new Error(`${year}: ${loaded.problems.map((p) => `${p.file} ${p.row ?? ''} ${p.column ?? ''} ${p.message}`).join('; ')}`);
      warnings.set(year, loaded.warnings);
      runs.set(year, await runYear({ workspace: dir, year, clock: () => new Date(Date.UTC(NEXT + 1, 0, 1)) }, loaded));
    }
  }, 120_000);
  afterAll(() => {
    for (const d of [dir, again]) rmSync(d, { recursive: true, force: true });
  });

  it('is the same workspace for the same seed, whether asked by region or by profile', () => {
    for (const file of ['policy.yaml', 'README.md', ...[YEAR, NEXT].flatMap((y) => ['指标得分.csv', '月度结算.csv', '退出记录.csv'].map((f) => path.join('inputs', String(y), f)))]) {
      expect(readFileSync(path.join(again, file)).equals(readFileSync(path.join(dir, file))), file).toBe(true);
    }
  });

  it('copies the Linyi profile unchanged as policy.yaml', () => {
    const template = readFileSync(new URL('../../../templates/policies/linyi.yaml', import.meta.url));
    expect(readFileSync(path.join(dir, 'policy.yaml')).equals(template)).toBe(true);
  });

  it('is valid input with no warning in either year', () => {
    for (const y of [YEAR, NEXT]) expect(warnings.get(y), String(y)).toEqual([]);
  });

  it('has medical institutions and pharmacies of the twelve districts, coded H3713…/P3713… by their district', () => {
    const region = parseYaml(readFileSync(new URL('../../../templates/samples/linyi.yaml', import.meta.url), 'utf8')) as { districts: { code: string; name: string }[] };
    const districts = new Map(region.districts.map((d) => [d.code, d.name]));
    expect(rosterOf(YEAR)).toHaveLength(INSTITUTIONS);
    for (const y of [YEAR, NEXT]) {
      const rows = rosterOf(y);
      expect(new Set(rows.map((r) => r['机构编码'])).size).toBe(rows.length);
      for (const r of rows) {
        const code = r['机构编码'] ?? '';
        expect(code).toMatch(r['机构类型'] === '零售药店' ? /^P3713\d{7}$/ : /^H3713\d{7}$/);
        expect(districts.get(code.slice(1, 7)), code).toBe(r['所属区县']);
        if (r['统一社会信用代码']) expect(isCreditCode(r['统一社会信用代码']), code).toBe(true);
      }
      expect(new Set(rows.map((r) => r['所属区县']))).toEqual(new Set(districts.values()));
      expect(new Set(rows.map((r) => `${r['机构类型']}${r['有无住院服务']}`))).toEqual(new Set(['医疗机构是', '医疗机构否', '零售药店']));
    }
  });

  it('plans its areas in 规划区域: several, the over-quota ones well filled, some apart from 所属区县, some blank', () => {
    for (const y of [YEAR, NEXT]) {
      const rows = rosterOf(y);
      expect(Object.keys(rows[0] ?? {})).toContain('规划区域');
      const areaOf = (r: Row): string => r['规划区域'] || (r['所属区县'] ?? '');
      const areas = new Map<string, number>();
      for (const r of rows) areas.set(areaOf(r), (areas.get(areaOf(r)) ?? 0) + 1);
      expect(areas.size).toBeGreaterThanOrEqual(12);
      for (const [area, n] of Object.entries(profile.sanctions.bottomElimination.areas)) expect(areas.get(area) ?? 0, area).toBeGreaterThanOrEqual(5 * n);
      const apart = rows.filter((r) => r['规划区域'] && r['规划区域'] !== r['所属区县']);
      expect(apart.length).toBeGreaterThan(5);
      // a 开发区 carved from an over-quota district holds some of its institutions
      expect(apart.some((r) => (r['所属区县'] ?? '') in profile.sanctions.bottomElimination.areas)).toBe(true);
      const blank = rows.filter((r) => !r['规划区域']);
      expect(blank.length).toBeGreaterThan(10);
      expect(blank.some((r) => (r['所属区县'] ?? '') in profile.sanctions.bottomElimination.areas)).toBe(true);
      expect(result.special.areas[y]).toEqual(Object.fromEntries(areas));
    }
  });

  it('has the 医保办 at every bed-count band edge, just below and at the minimum, and beds or staff left blank', () => {
    const hospitals = rosterOf(YEAR).filter((r) => r['有无住院服务'] === '是');
    const bands = profile.sanctions.staffing.bands;
    const need = (beds: number): number => (bands.find((b) => b.maxBeds === undefined || beds <= b.maxBeds) ?? bands[bands.length - 1])?.min ?? 0;
    for (const b of bands) {
      if (b.maxBeds === undefined) continue;
      for (const beds of [b.maxBeds, b.maxBeds + 1]) {
        for (const staff of [need(beds) - 1, need(beds)]) {
          expect(hospitals.some((r) => r['床位数'] === String(beds) && r['医保办人数'] === String(staff)), `${beds} beds, ${staff} staff`).toBe(true);
        }
      }
    }
    expect(hospitals.some((r) => r['床位数'] === '' && r['医保办人数'] !== '')).toBe(true);
    expect(hospitals.some((r) => r['床位数'] !== '' && r['医保办人数'] === '')).toBe(true);
    const outpatient = rosterOf(YEAR).filter((r) => r['有无住院服务'] === '否');
    for (const r of outpatient) expect(r['床位数'], r['机构编码']).toBe('');
    expect(outpatient.some((r) => r['医保办人数'] === '0')).toBe(true);
  });

  it('scores every institution LY01–LY04 within their maxima, long form the first year, wide the next', () => {
    const max = new Map(profile.indicators.map((i) => [i.code, i.max]));
    const long = readCsv(inputs(YEAR, '指标得分.csv'));
    expect(Object.keys(long[0] ?? {})).toEqual(['机构编码', '指标编码', '得分']);
    expect(long).toHaveLength(INSTITUTIONS * max.size);
    for (const r of long) expect(Number(r['得分'])).toBeLessThanOrEqual(max.get(r['指标编码'] ?? '') ?? NaN);
    const wide = readCsv(inputs(NEXT, '指标得分.csv'));
    expect(Object.keys(wide[0] ?? {})).toEqual(['机构编码', '机构名称', ...max.keys()]);
    expect(wide).toHaveLength(rosterOf(NEXT).length);
  });

  it('settles every institution for the months it was designated', () => {
    for (const y of [YEAR, NEXT]) {
      const exits = new Map(readCsv(inputs(y, '退出记录.csv')).map((e) => [e['机构编码'], isoDate(e['退出日期'])]));
      const months = new Map<string, number[]>();
      for (const r of readCsv(inputs(y, '月度结算.csv'))) {
        const m = /^(\d{4})(?:-|年)?(\d{1,2})月?$/.exec(r['结算月份'] ?? '');
        expect(m?.[1], r['结算月份']).toBe(String(y));
        months.set(r['机构编码'] ?? '', [...(months.get(r['机构编码'] ?? '') ?? []), Number(m?.[2])]);
      }
      for (const r of rosterOf(y)) {
        const code = r['机构编码'] ?? '';
        const admitted = isoDate(r['纳入定点日期']);
        const exited = exits.get(code);
        const first = admitted.startsWith(`${y}-`) ? Number(admitted.slice(5, 7)) : 1;
        const last = exited?.startsWith(`${y}-`) ? Number(exited.slice(5, 7)) : 12;
        expect(months.get(code), code).toEqual(Array.from({ length: last - first + 1 }, (_, k) => first + k));
      }
    }
  });

  it('holds earlier years’ violations in the first year’s file (one the day before a term, one on its first day) and a row of the first year repeated in the next', () => {
    const first = violationsOf(YEAR);
    for (const v of [...first, ...violationsOf(NEXT)]) expect(isoDate(v['处理日期']) >= isoDate(v['发生日期'])).toBe(true);
    const handled = (v: Row): string => isoDate(v['处理日期']);
    expect(first.some((v) => handled(v).startsWith(`${YEAR - 2}-`))).toBe(true);
    expect(first.some((v) => handled(v).startsWith(`${YEAR - 1}-`))).toBe(true);
    const next = violationsOf(NEXT);
    expect(next.filter((v) => handled(v).startsWith(`${YEAR}-`))).toHaveLength(1);
    const repeated = next.find((v) => handled(v).startsWith(`${YEAR}-`));
    expect(first.some((v) => v['机构编码'] === repeated?.['机构编码'] && handled(v) === handled(repeated ?? {}) && v['处理类型'] === repeated?.['处理类型'])).toBe(true);
    // the terms of the agreements ending next year: a blocking violation the day before one began, one on its first day
    const years = profile.sanctions.agreementTerm.years;
    const ends = new Map(rosterOf(YEAR).map((r) => [r['机构编码'], isoDate(r['协议到期日期'])]));
    // 协议到期日期 is the last day in force: a term starts the day after the same date `years` earlier.
    const termStart = (v: Row): string => {
      const end = ends.get(v['机构编码']) ?? '';
      const d = new Date(`${Number(end.slice(0, 4)) - years}${end.slice(4)}T00:00:00Z`);
      return new Date(d.getTime() + 86_400_000).toISOString().slice(0, 10);
    };
    const blocking = first.filter((v) => profile.sanctions.agreementTerm.blockingTypes.includes(v['处理类型'] ?? '') && (ends.get(v['机构编码']) ?? '').startsWith(`${NEXT}-`));
    expect(blocking.some((v) => handled(v) === termStart(v))).toBe(true);
    expect(blocking.some((v) => new Date(`${termStart(v)}T00:00:00Z`).getTime() - new Date(`${handled(v)}T00:00:00Z`).getTime() === 86_400_000)).toBe(true);
  });

  it('has 退出记录 of every type, none with a code of the first roster left unexplained', () => {
    const first = readCsv(inputs(YEAR, '退出记录.csv'));
    expect(Object.keys(first[0] ?? {})).toEqual(['机构编码', '机构名称', '退出日期', '退出类型', '统一社会信用代码', '说明']);
    expect(new Set(first.map((e) => e['退出类型']))).toEqual(new Set(['主动退出', '解除协议', '提供虚假材料', '列入失信黑名单']));
    for (const e of [...first, ...readCsv(inputs(NEXT, '退出记录.csv'))]) if (e['统一社会信用代码']) expect(isCreditCode(e['统一社会信用代码'] ?? '')).toBe(true);
    // a termination of the year is also in 违规记录, on the same day
    for (const y of [YEAR, NEXT]) {
      for (const e of readCsv(inputs(y, '退出记录.csv')).filter((x) => x['退出类型'] === '解除协议' && isoDate(x['退出日期']).startsWith(`${y}-`))) {
        expect(violationsOf(y).some((v) => v['机构编码'] === e['机构编码'] && v['处理类型'] === '解除协议' && isoDate(v['处理日期']) === isoDate(e['退出日期'])), e['机构编码']).toBe(true);
      }
    }
  });

  for (const [label, year] of [
    ['first', YEAR],
    ['next', NEXT],
  ] as const) {
    it(`gives every institution of the ${label} year what the generator worked out: score, lists, agreement outcome and its violations, ban`, () => {
      const run = runs.get(year);
      if (!run) throw new Error('no run');
      const lists = new Map<string, string[]>();
      for (const [list, entries] of run.plan.lists) for (const e of entries) lists.set(e.code, [...(lists.get(e.code) ?? []), list]);
      const rows = readCsv(results(year, 'institutions.csv'));
      const expected = result.expected[year] ?? {};
      expect(rows.map((r) => r.code).sort()).toEqual(Object.keys(expected).sort());
      const agreements = run.plan.modules.agreementTerm?.outcomes;
      for (const r of rows) {
        const code = r.code ?? '';
        const x = expected[code];
        expect({ score: r.score, lists: (lists.get(code) ?? []).sort(), agreementOutcome: r.agreement_outcome, bannedUntil: r.banned_until }, code).toEqual({
          score: x?.score,
          lists: x?.lists,
          agreementOutcome: x?.agreementOutcome,
          bannedUntil: x?.bannedUntil,
        });
        expect(r.status, code).toBe('scored');
        const decided = agreements?.get(code);
        expect((decided?.blocking ?? []).map((b) => b.handled_on).sort(), code).toEqual(x?.blocking);
        // the next year's decisions read the first year's violations from its state.json
        if (decided) expect(decided.history, code).toBe(year === YEAR ? 'inputs' : 'state');
      }
      // the unpublished staffing list is not in institutions.csv's lists
      for (const r of rows) expect(r.lists?.split(';') ?? []).not.toContain('staffingShort');
    });
  }

  it('shows every kind of outcome the README names', () => {
    const e = (y: number) => Object.values(result.expected[y] ?? {});
    for (const y of [YEAR, NEXT]) {
      expect(new Set(e(y).map((x) => x.agreementOutcome))).toEqual(new Set(['', 'renew', 'renewExtended', 'notRenewed']));
      for (const list of ['bottomElimination', 'staffingShort', 'renewal', 'terminated', 'banned']) expect(e(y).some((x) => x.lists.includes(list)), `${y} ${list}`).toBe(true);
    }
    // a tie at the cut: more listed than N in the first over-quota area
    const [area, n] = Object.entries(profile.sanctions.bottomElimination.areas)[0] ?? ['', 0];
    const listed = Object.entries(result.expected[YEAR] ?? {}).filter(([, x]) => x.lists.includes('bottomElimination'));
    const areaOf = new Map(rosterOf(YEAR).map((r) => [r['机构编码'], r['规划区域'] || r['所属区县']]));
    expect(listed.filter(([code]) => areaOf.get(code) === area)).toHaveLength(n + 1);
    // blocking violations carried from the first year decide the next year's agreements
    const run = runs.get(NEXT);
    const carried = [...(run?.plan.modules.agreementTerm?.outcomes.values() ?? [])].flatMap((o) => o.blocking).filter((b) => b.year === YEAR);
    expect(carried.length).toBeGreaterThan(2);
    for (const b of carried) expect(b.source.file).toBe(`inputs/${YEAR}/违规记录.xlsx`);
    for (const role of ['carriedViolation', 'carriedRepeated', 'carriedBeforeTerm', 'creditBack', 'stillBanned'] as const) expect(casesOf(NEXT, role).length, role).toBeGreaterThan(0);
  });

  it('lists every case with its code and the commands in the README', () => {
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const c of result.special.cases) expect(readme, `${c.year} ${c.role}`).toContain(`- ${c.code} `);
    expect(readme).toContain(`node dist/sample/generate.js --out <目录> --region linyi --seed ${SEED} --institutions ${INSTITUTIONS} --year ${YEAR}`);
    for (const y of [YEAR, NEXT]) expect(readme).toContain(`npx assess year ${y} -w samples/linyi`);
    expect(readme).toContain(`## ${YEAR} 年度特殊情形`);
    expect(readme).toContain(`## ${NEXT} 年度特殊情形`);
  });
});
