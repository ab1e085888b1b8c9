// The Xianyang sample, checked from the files it writes (not from the generator's own
// records): two consecutive years whose inputs hold every downgrade trigger of the profile,
// all four tiers (from the roster and from the transition rule), the out-of-scope rows,
// scores below the line in the first year only, the exits, and the banned entity back under
// a new code (same 统一社会信用代码) and under its own code.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { generateWorkspace, type XianyangResult } from '../generate.js';
import { isCreditCode } from '../../io/codes.js';
import { loadCalendar } from '../../io/calendar.js';
import { addWorkingDays } from '../../rules/calendar.js';

const YEAR = 2025;
const NEXT = YEAR + 1;
const SEED = 13;
const INSTITUTIONS = 80;
const OUT_OF_SCOPE = 4;

type Row = Record<string, string>;
type Cells = Record<string, ExcelJS.CellValue>;

function readCsv(file: string): Row[] {
  return parseCsv(readFileSync(file), { bom: true, columns: true, skip_empty_lines: true }) as Row[];
}

/** A date cell or text in any of the spellings the generator mixes → YYYY-MM-DD; '' for blank. */
function isoDate(value: ExcelJS.CellValue | string | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const m = /^(\d{4})(?:-|\/|年)(\d{1,2})(?:-|\/|月)(\d{1,2})日?$/.exec(String(value).trim());
  if (!m) throw new Error(`not a date: ${String(value)}`);
  return `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
}

const text = (v: ExcelJS.CellValue | undefined): string => (v === null || v === undefined ? '' : String(v));

/** The rows of a workbook's first sheet below its header row, keyed by header. */
async function readSheet(file: string, headerRow: number): Promise<Cells[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error(`${file} has no sheet`);
  const names: string[] = [];
  sheet.getRow(headerRow).eachCell((cell, col) => (names[col] = String(cell.value)));
  const rows: Cells[] = [];
  sheet.eachRow((row, r) => {
    if (r <= headerRow) return;
    const record: Cells = {};
    names.forEach((name, col) => (record[name] = row.getCell(col).value));
    rows.push(record);
  });
  return rows;
}

async function cellValues(file: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const out: unknown[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row, r) => out.push([sheet.name, r, row.values])));
  return JSON.stringify(out);
}

interface Trigger {
  clause: string;
  types: string[];
  bases?: string[];
  count: number;
  terminate?: boolean;
}
interface Profile {
  indicators: { code: string; max: number }[];
  tiers: {
    effectiveFrom: string;
    appliesTo: { hospitalLevels: string[]; excludeNamesMatching: string };
    downgrades: { triggers: Trigger[] };
    promotion: { blockingTypes: string[] };
    initial: { specialDrug: string; byAdmission: { until?: string; tier: string }[] };
  };
  sanctions: { annualLowTerminate: { below: number; startWithinWorkingDays: number } };
}

interface Violation {
  code: string;
  occurred: string;
  handled: string;
  type: string;
  basis: string;
}

describe('the Xianyang sample (two years)', () => {
  let dir: string;
  let again: string;
  let result: XianyangResult;
  let profile: Profile;
  const roster = new Map<number, Cells[]>();
  const violations = new Map<number, Violation[]>();
  const inputs = (year: number, file: string, base = dir) => path.join(base, 'inputs', String(year), file);
  const codeOf = (r: Cells): string => text(r['机构编码']);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'assess-xianyang-'));
    again = mkdtempSync(path.join(tmpdir(), 'assess-xianyang-'));
    const made = await generateWorkspace({ outDir: dir, region: 'xianyang', seed: SEED, institutions: INSTITUTIONS, year: YEAR });
    if (made.profile !== 'xianyang') throw new Error(`expected the xianyang scenario, got ${made.profile}`);
    result = made;
    await generateWorkspace({ outDir: again, profile: 'xianyang', seed: SEED, institutions: INSTITUTIONS, year: YEAR });
    profile = parseYaml(readFileSync(path.join(dir, 'policy.yaml'), 'utf8')) as Profile;
    for (const y of [YEAR, NEXT]) {
      roster.set(y, await readSheet(inputs(y, '机构名册.xlsx'), 3));
      violations.set(
        y,
        (await readSheet(inputs(y, '违规记录.xlsx'), 1)).map((v) => ({
          code: text(v['机构编码']),
          occurred: isoDate(v['发生日期']),
          handled: isoDate(v['处理日期']),
          type: text(v['处理类型']),
          basis: text(v['依据']),
        })),
      );
    }
  });
  afterAll(() => {
    for (const d of [dir, again]) rmSync(d, { recursive: true, force: true });
  });

  const rosterOf = (y: number): Cells[] => roster.get(y) ?? [];
  const violationsOf = (y: number): Violation[] => violations.get(y) ?? [];
  const inScope = (r: Cells): boolean => {
    const scope = profile.tiers.appliesTo;
    if (text(r['机构名称']).includes(scope.excludeNamesMatching)) return false;
    return r['机构类型'] === '零售药店' || scope.hospitalLevels.includes(text(r['医院等级']));
  };
  /** 第十七条 as the profile has it: the tier of a roster row without 结算等级. */
  const transitionTier = (r: Cells): string => {
    if (r['开展特药结算'] === '是') return profile.tiers.initial.specialDrug;
    const admitted = isoDate(r['纳入定点日期']);
    const band = profile.tiers.initial.byAdmission.find((b) => b.until === undefined || admitted <= b.until);
    if (!band) throw new Error(`no band for ${admitted}`);
    return band.tier;
  };
  const startTier = (r: Cells): string => text(r['结算等级']) || transitionTier(r);
  /** The triggers a list of violations (handled in the window) fires, by the trigger's index; each violation counts once. */
  const fired = (vs: Violation[]): number[] => {
    const used = new Set<Violation>();
    const out: number[] = [];
    profile.tiers.downgrades.triggers.forEach((t, i) => {
      const matching = vs.filter((v) => !used.has(v) && t.types.includes(v.type) && (t.bases === undefined || t.bases.includes(v.basis)));
      for (let k = 0; k + t.count <= matching.length; k += t.count) {
        matching.slice(k, k + t.count).forEach((v) => used.add(v));
        out.push(i);
      }
    });
    return out;
  };
  /** The year's handling records of each institution (by 处理日期). */
  const handledIn = (y: number): Map<string, Violation[]> => {
    const by = new Map<string, Violation[]>();
    for (const v of violationsOf(y).filter((v) => v.handled.startsWith(`${y}-`))) by.set(v.code, [...(by.get(v.code) ?? []), v]);
    return by;
  };
  const casesOf = (y: number, role: string): string[] => result.special.cases.filter((c) => c.year === y && c.role === role).map((c) => c.code);

  it('is the same workspace for the same seed, whether asked by region or by profile', async () => {
    const csv = ['指标得分.csv', '月度结算.csv', '退出记录.csv'];
    for (const file of ['policy.yaml', 'README.md', ...[YEAR, NEXT].flatMap((y) => csv.map((f) => path.join('inputs', String(y), f)))]) {
      expect(readFileSync(path.join(again, file)).equals(readFileSync(path.join(dir, file))), file).toBe(true);
    }
    for (const y of [YEAR, NEXT]) {
      for (const file of ['机构名册.xlsx', '违规记录.xlsx']) expect(await cellValues(inputs(y, file, again)), file).toBe(await cellValues(inputs(y, file)));
    }
  });

  it('copies the Xianyang profile unchanged as policy.yaml', () => {
    const template = readFileSync(new URL('../../../templates/policies/xianyang.yaml', import.meta.url));
    expect(readFileSync(path.join(dir, 'policy.yaml')).equals(template)).toBe(true);
  });

  it('has clinics and pharmacies of the city’s districts in scope, and a 二级 hospital, a 一级 hospital and 村卫生室 out of it', async () => {
    const rows = rosterOf(YEAR);
    expect(rows).toHaveLength(INSTITUTIONS);
    const region = parseYaml(readFileSync(new URL('../../../templates/samples/xianyang.yaml', import.meta.url), 'utf8')) as { districts: { code: string; name: string }[] };
    const districts = new Map(region.districts.map((d) => [d.code, d.name]));
    for (const r of [...rows, ...rosterOf(NEXT)]) {
      const code = codeOf(r);
      expect(code).toMatch(r['机构类型'] === '零售药店' ? /^P\d{11}$/ : /^H\d{11}$/);
      expect(districts.get(code.slice(1, 7)), code).toBe(r['所属区县']);
      if (text(r['统一社会信用代码'])) expect(isCreditCode(text(r['统一社会信用代码'])), code).toBe(true);
    }
    const inside = rows.filter(inScope);
    const outside = rows.filter((r) => !inScope(r));
    expect(inside).toHaveLength(INSTITUTIONS - OUT_OF_SCOPE);
    expect(outside.map(codeOf).sort()).toEqual([...result.special.outOfScope].sort());
    expect(outside.filter((r) => r['医院等级'] === '二级' && r['有无住院服务'] === '是')).toHaveLength(1);
    expect(outside.filter((r) => r['医院等级'] === '一级')).toHaveLength(1);
    expect(outside.filter((r) => text(r['机构名称']).endsWith('村卫生室'))).toHaveLength(2);
    for (const r of inside) {
      const name = text(r['机构名称']);
      if (r['机构类型'] === '医疗机构') {
        expect(name).toMatch(/(诊所|门诊部|社区卫生服务站)(（\d+部）)?$/);
        expect(r['有无住院服务']).toBe('否');
      } else expect(name).toMatch(/(药房|店)$/);
    }
    expect(inside.some((r) => r['机构类型'] === '医疗机构')).toBe(true);
    expect(inside.some((r) => r['机构类型'] === '零售药店')).toBe(true);
    // out-of-scope rows settle but have no scores
    const scored = new Set(readCsv(inputs(YEAR, '指标得分.csv')).map((s) => s['机构编码']));
    const settled = new Set(readCsv(inputs(YEAR, '月度结算.csv')).map((s) => s['机构编码']));
    for (const r of outside) {
      expect(scored.has(codeOf(r)), codeOf(r)).toBe(false);
      expect(settled.has(codeOf(r)), codeOf(r)).toBe(true);
    }
  });

  it('has all four tiers in the first year, from the roster and from the transition rule (第十七条)', () => {
    const inside = rosterOf(YEAR).filter(inScope);
    const given = inside.filter((r) => text(r['结算等级']));
    const blank = inside.filter((r) => !text(r['结算等级']));
    expect(new Set(given.map((r) => text(r['结算等级'])))).toEqual(new Set(['A', 'B', 'C', 'D']));
    for (const r of given) expect(isoDate(r['等级起始日期']), codeOf(r)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Set(blank.map(transitionTier))).toEqual(new Set(['A', 'B', 'C', 'D']));
    for (const r of blank) {
      expect(isoDate(r['纳入定点日期']), codeOf(r)).not.toBe('');
      expect(isoDate(r['等级起始日期'])).toBe('');
    }
    expect(blank.length / inside.length).toBeLessThan(0.25);
    const listed = Object.values(result.special.transition).flat().sort();
    expect(listed).toEqual(blank.map(codeOf).sort());
    for (const [tier, codes] of Object.entries(result.special.transition)) {
      for (const code of codes) expect(transitionTier(blank.find((r) => codeOf(r) === code) ?? {}), code).toBe(tier);
    }
  });

  it('fires every downgrade trigger of the profile in each year, by 处理日期, on institutions in scope', () => {
    const triggers = profile.tiers.downgrades.triggers;
    for (const y of [YEAR, NEXT]) {
      const scope = new Set(rosterOf(y).filter(inScope).map(codeOf));
      const firedBy = [...handledIn(y)].map(([code, vs]) => [code, fired(vs)] as const);
      triggers.forEach((t, i) => {
        const hits = firedBy.filter(([, f]) => f.includes(i)).map(([code]) => code);
        expect(hits.length, `${y} ${t.clause} ${t.types.join('/')}`).toBeGreaterThan(0);
        for (const code of hits) expect(scope.has(code), code).toBe(true);
      });
      // the (二) 约谈 trigger under each article, the (三) 罚款 under at least one
      for (const basis of ['条例第三十八条', '条例第三十九条']) {
        expect(violationsOf(y).some((v) => v.handled.startsWith(`${y}-`) && v.type === '约谈' && v.basis === basis), `${y} 约谈 ${basis}`).toBe(true);
      }
      // a 约谈 under the agreement alone, and a 行政处罚 (no trigger, blocks promotion)
      expect(firedBy.some(([code, f]) => f.length === 0 && (handledIn(y).get(code) ?? []).some((v) => v.type === '约谈' && v.basis === '协议')), `${y} one 约谈`).toBe(true);
      expect(violationsOf(y).some((v) => v.handled.startsWith(`${y}-`) && v.type === '行政处罚')).toBe(true);
      for (const v of violationsOf(y)) expect(v.handled >= v.occurred, `${v.code} ${v.handled}`).toBe(true);
    }
  });

  it('has a trigger at A (a longer wait) and a second trigger at another tier (handled under the agreement) in the first year', () => {
    const rows = new Map(rosterOf(YEAR).map((r) => [codeOf(r), r]));
    const firedBy = [...handledIn(YEAR)].map(([code, vs]) => ({ code, fired: fired(vs), tier: startTier(rows.get(code) ?? {}) }));
    const terminating = new Set(profile.tiers.downgrades.triggers.flatMap((t, i) => (t.terminate ? [i] : [])));
    expect(firedBy.some((f) => f.tier === 'A' && f.fired.length > 0 && !f.fired.some((i) => terminating.has(i)))).toBe(true);
    expect(firedBy.some((f) => f.tier !== 'A' && f.fired.filter((i) => !terminating.has(i)).length >= 2)).toBe(true);
    // a transition-rule A with a trigger: its wait, from the day the tiers took effect, runs past the next year
    expect(firedBy.some((f) => f.tier === 'A' && f.fired.length > 0 && !text(rows.get(f.code)?.['结算等级']))).toBe(true);
    // in the next year, one of those admitted in the first year has a trigger at A
    const next = new Map(rosterOf(NEXT).map((r) => [codeOf(r), r]));
    const atA = casesOf(NEXT, 'atA');
    expect(atA.length).toBeGreaterThan(0);
    for (const code of atA) {
      const first = rows.get(code);
      if (!first) throw new Error(`${code} not in the first roster`);
      expect(startTier(first)).toBe('A');
      expect(fired(handledIn(YEAR).get(code) ?? [])).toEqual([]);
      expect(fired(handledIn(NEXT).get(code) ?? []).length).toBeGreaterThan(0);
      expect(text(next.get(code)?.['结算等级'])).toBe(''); // carried from state.json
    }
  });

  it('puts scores below the line in the first year only, on the chosen institutions, and one exactly on it', () => {
    const { below } = profile.sanctions.annualLowTerminate;
    const max = new Map(profile.indicators.map((i) => [i.code, i.max]));
    const totals = (y: number): Map<string, number> => {
      const t = new Map<string, number>();
      const rows = readCsv(inputs(y, '指标得分.csv'));
      for (const r of rows) {
        if (r['指标编码'] !== undefined) {
          const v = Number(r['得分']);
          expect(v).toBeLessThanOrEqual(max.get(r['指标编码']) ?? NaN);
          t.set(r['机构编码'] ?? '', (t.get(r['机构编码'] ?? '') ?? 0) + Math.round(v * 10));
        } else {
          // wide form: one column per indicator
          let sum = 0;
          for (const [code, m] of max) {
            const v = Number(r[code]);
            expect(v, `${r['机构编码']} ${code}`).toBeLessThanOrEqual(m);
            sum += Math.round(v * 10);
          }
          t.set(r['机构编码'] ?? '', sum);
        }
      }
      return t;
    };
    const first = totals(YEAR);
    const next = totals(NEXT);
    // long form in the first year, wide in the next
    expect(Object.keys(readCsv(inputs(YEAR, '指标得分.csv'))[0] ?? {})).toEqual(['机构编码', '指标编码', '得分']);
    expect(Object.keys(readCsv(inputs(NEXT, '指标得分.csv'))[0] ?? {})).toEqual(['机构编码', '机构名称', ...profile.indicators.map((i) => i.code)]);
    for (const [y, t] of [[YEAR, first], [NEXT, next]] as const) {
      expect([...t.keys()].sort(), `${y}: every institution in scope is scored`).toEqual(rosterOf(y).filter(inScope).map(codeOf).sort());
    }
    const low = [...first].filter(([, s]) => s < below * 10).map(([c]) => c).sort();
    expect(low).toEqual([...casesOf(YEAR, 'belowLine')].sort());
    expect(low.length).toBeGreaterThanOrEqual(2);
    expect([...first].filter(([, s]) => s === below * 10).map(([c]) => c)).toEqual(casesOf(YEAR, 'onLine'));
    expect([...next].filter(([, s]) => s < below * 10)).toEqual([]);
    // deregistered in the next year: not in its roster
    const nextCodes = new Set(rosterOf(NEXT).map(codeOf));
    for (const code of low) expect(nextCodes.has(code), code).toBe(false);
  });

  it('has the department’s notice of the first year late, so that the 15 working days straddle National Day of the next', async () => {
    const { notifiedOn, deregister } = result.special;
    expect(notifiedOn >= `${YEAR}-12-31`).toBe(true);
    expect(notifiedOn.startsWith(`${NEXT}-09-`)).toBe(true);
    const loaded = await loadCalendar(dir);
    if (!loaded.ok) throw new Error('no calendar');
    const startBy = addWorkingDays(loaded.calendar, notifiedOn, profile.sanctions.annualLowTerminate.startWithinWorkingDays);
    expect(startBy).toBe(deregister.startBy);
    expect(startBy > `${NEXT}-10-07`).toBe(true);
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(`npx assess year ${YEAR} --notified-on ${notifiedOn} -w samples/xianyang`);
    expect(readme).toContain(`npx assess year ${NEXT} -w samples/xianyang`);
  });

  it('settles every institution for the months it was designated, without 预留保证金', () => {
    for (const y of [YEAR, NEXT]) {
      const exits = new Map(readCsv(inputs(y, '退出记录.csv')).map((e) => [e['机构编码'], isoDate(e['退出日期'])]));
      const months = new Map<string, number[]>();
      for (const r of readCsv(inputs(y, '月度结算.csv'))) {
        expect(r['预留保证金']).toBe('');
        const m = /^(\d{4})(?:-|年)?(\d{1,2})月?$/.exec(r['结算月份'] ?? '');
        expect(m?.[1], r['结算月份']).toBe(String(y));
        months.set(r['机构编码'] ?? '', [...(months.get(r['机构编码'] ?? '') ?? []), Number(m?.[2])]);
      }
      const rows = rosterOf(y);
      expect([...months.keys()].sort()).toEqual(rows.map(codeOf).sort());
      let full = 0;
      for (const r of rows) {
        const code = codeOf(r);
        const admitted = isoDate(r['纳入定点日期']);
        const exited = exits.get(code);
        const first = admitted.startsWith(`${y}-`) ? Number(admitted.slice(5, 7)) : 1;
        const last = exited?.startsWith(`${y}-`) && exited > admitted ? Number(exited.slice(5, 7)) : 12;
        const expected = Array.from({ length: last - first + 1 }, (_, k) => first + k);
        expect(months.get(code), code).toEqual(expected);
        if (expected.length === 12) full++;
      }
      expect(full / rows.length).toBeGreaterThan(0.75);
    }
  });

  it('has exits of both kinds in the first year, absent from the next roster, and bans caught by credit code and by code', () => {
    const firstExits = readCsv(inputs(YEAR, '退出记录.csv'));
    const nextExits = readCsv(inputs(NEXT, '退出记录.csv'));
    expect(Object.keys(firstExits[0] ?? {})).toEqual(['机构编码', '机构名称', '退出日期', '退出类型', '统一社会信用代码', '说明']);
    const firstCodes = new Set(rosterOf(YEAR).map(codeOf));
    const next = rosterOf(NEXT);
    const nextCodes = new Set(next.map(codeOf));
    const ofYear = firstExits.filter((e) => isoDate(e['退出日期']).startsWith(`${YEAR}-`));
    for (const type of ['主动退出', '解除协议']) {
      expect(ofYear.some((e) => e['退出类型'] === type && firstCodes.has(e['机构编码'] ?? '') && !nextCodes.has(e['机构编码'] ?? '')), type).toBe(true);
    }
    // every 解除协议 of the year is also a 解除协议 in the violations, on the same day
    for (const e of [...ofYear, ...nextExits].filter((e) => e['退出类型'] === '解除协议' && firstCodes.has(e['机构编码'] ?? ''))) {
      if (casesOf(YEAR, 'belowLine').includes(e['机构编码'] ?? '')) continue; // deregistered for the score
      const y = Number(isoDate(e['退出日期']).slice(0, 4));
      expect(violationsOf(y).some((v) => v.code === e['机构编码'] && v.type === '解除协议' && v.handled === isoDate(e['退出日期'])), e['机构编码']).toBe(true);
    }
    const terminated = ofYear.filter((e) => e['退出类型'] === '解除协议');
    // the same legal entity under a new code
    const byCredit = next.filter((r) => !firstCodes.has(codeOf(r)) && terminated.some((e) => e['统一社会信用代码'] && e['统一社会信用代码'] === text(r['统一社会信用代码'])));
    expect(byCredit.map(codeOf)).toEqual(casesOf(NEXT, 'creditReadmit'));
    for (const r of byCredit) expect(isoDate(r['纳入定点日期']).startsWith(`${NEXT}-`)).toBe(true);
    // the same code back during its ban
    const byCode = next.filter((r) => terminated.some((e) => e['机构编码'] === codeOf(r)));
    expect(byCode.map(codeOf)).toEqual(casesOf(NEXT, 'codeReadmit'));
    for (const r of byCode) expect(isoDate(r['纳入定点日期']).startsWith(`${NEXT}-`)).toBe(true);
    // an older termination in the first year's register, its code back in the first roster
    const older = firstExits.filter((e) => isoDate(e['退出日期']) < `${YEAR}-01-01`);
    expect(older.some((e) => e['退出类型'] === '解除协议' && firstCodes.has(e['机构编码'] ?? ''))).toBe(true);
    for (const e of [...firstExits, ...nextExits]) if (e['统一社会信用代码']) expect(isCreditCode(e['统一社会信用代码'] ?? '')).toBe(true);
  });

  it('gives 结算等级 in the next roster only to new admissions and promotions; the rest carry over from state.json', () => {
    const firstCodes = new Set(rosterOf(YEAR).map(codeOf));
    const given = rosterOf(NEXT).filter((r) => text(r['结算等级']));
    expect(given.length).toBeGreaterThan(0);
    for (const r of given) {
      expect(isoDate(r['等级起始日期']).startsWith(`${NEXT}-`), codeOf(r)).toBe(true);
      const known = firstCodes.has(codeOf(r));
      if (known && !casesOf(NEXT, 'codeReadmit').includes(codeOf(r))) expect(casesOf(NEXT, 'promoted')).toContain(codeOf(r));
    }
    expect(casesOf(NEXT, 'promoted').length).toBeGreaterThan(0);
    // the next year's violations: handled since the first year, of institutions still designated
    const nextCodes = new Set(rosterOf(NEXT).map(codeOf));
    for (const v of violationsOf(NEXT)) {
      expect(nextCodes.has(v.code), v.code).toBe(true);
      expect(v.handled >= `${YEAR}-01-01`).toBe(true);
    }
    expect(violationsOf(NEXT).some((v) => v.handled.startsWith(`${YEAR}-`))).toBe(true);
    // a violation handled before the first year (before the window) is in the first year's file
    expect(violationsOf(YEAR).some((v) => v.handled < `${YEAR}-01-01`)).toBe(true);
    // one occurred in the first year, handled in the next
    expect(violationsOf(NEXT).some((v) => v.occurred.startsWith(`${YEAR}-`) && v.handled.startsWith(`${NEXT}-`) && !violationsOf(YEAR).some((w) => w.code === v.code && w.handled === v.handled))).toBe(true);
  });

  it('lists every special case with its code and the commands in the README', () => {
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    for (const c of result.special.cases) expect(readme, `${c.year} ${c.role}`).toContain(`${c.code} `);
    for (const code of [...result.special.outOfScope, ...Object.values(result.special.transition).flat()]) expect(readme).toContain(code);
    expect(readme).toContain(`--region xianyang --seed ${SEED} --institutions ${INSTITUTIONS} --year ${YEAR}`);
    expect(readme).toContain(`## ${YEAR} 年度特殊情形`);
    expect(readme).toContain(`## ${NEXT} 年度特殊情形`);
  });
});
