// The Jiangsu sample, checked from the files it writes (not from the generator's own
// records): what the tool will read must hold the invariants of SPEC §3 and §5.3–5.4 and
// the special cases the README promises.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { generateWorkspace, type JiangsuResult } from '../generate.js';

const YEAR = 2024;
const SEED = 11;
const INSTITUTIONS = 90;

type Row = Record<string, string>;

function readCsv(file: string): Row[] {
  return parseCsv(readFileSync(file), { bom: true, columns: true, skip_empty_lines: true }) as Row[];
}

/** A date cell or text in any of the spellings the generator mixes → YYYY-MM-DD. */
function isoDate(value: ExcelJS.CellValue | string | undefined): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const m = /^(\d{4})(?:-|\/|年)(\d{1,2})(?:-|\/|月)(\d{1,2})日?$/.exec(String(value ?? '').trim());
  if (!m) throw new Error(`not a date: ${String(value)}`);
  return `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
}

/** The rows of a workbook's first sheet below its header row, keyed by header. */
async function readSheet(file: string, headerRow: number): Promise<Record<string, ExcelJS.CellValue>[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error(`${file} has no sheet`);
  const names: string[] = [];
  sheet.getRow(headerRow).eachCell((cell, col) => (names[col] = String(cell.value)));
  const rows: Record<string, ExcelJS.CellValue>[] = [];
  sheet.eachRow((row, r) => {
    if (r <= headerRow) return;
    const record: Record<string, ExcelJS.CellValue> = {};
    names.forEach((name, col) => (record[name] = row.getCell(col).value));
    rows.push(record);
  });
  return rows;
}

/** Every cell value of every sheet, for comparing two workbooks. */
async function cellValues(file: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const out: unknown[] = [];
  workbook.eachSheet((sheet) => sheet.eachRow((row, r) => out.push([sheet.name, r, row.values])));
  return JSON.stringify(out);
}

/** Points text with at most one decimal, within 0..max. */
function points(text: string | undefined, max: number, what: string): number {
  expect(text, what).toMatch(/^\d+(\.\d)?$/);
  const value = Number(text);
  expect(value, what).toBeGreaterThanOrEqual(0);
  expect(value, what).toBeLessThanOrEqual(max);
  return value;
}

describe('the Jiangsu sample (region nanjing)', () => {
  let dir: string;
  let again: string;
  let result: JiangsuResult;
  const inputs = (file: string, base = dir) => path.join(base, 'inputs', String(YEAR), file);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'assess-jiangsu-'));
    again = mkdtempSync(path.join(tmpdir(), 'assess-jiangsu-'));
    const made = await generateWorkspace({ outDir: dir, region: 'nanjing', seed: SEED, institutions: INSTITUTIONS, year: YEAR });
    if (made.profile !== 'jiangsu') throw new Error(`expected the jiangsu scenario, got ${made.profile}`);
    result = made;
    await generateWorkspace({ outDir: again, profile: 'jiangsu', seed: SEED, institutions: INSTITUTIONS, year: YEAR });
  });
  afterAll(() => {
    for (const d of [dir, again]) rmSync(d, { recursive: true, force: true });
  });

  /** The workspace's policy: indicator maxima by category. */
  const policy = () =>
    parseYaml(readFileSync(path.join(dir, 'policy.yaml'), 'utf8')) as {
      region: string;
      indicators: { code: string; max: number; categories: string[]; local?: boolean; monitored?: boolean }[];
      deposit: { pool: { threshold: number } };
    };

  it('is the same workspace for the same seed, whether asked by region or by profile', async () => {
    for (const file of ['policy.yaml', 'README.md', ...['指标得分.csv', '申诉记录.csv', '月度结算.csv', '立案调查.csv'].map((f) => path.join('inputs', String(YEAR), f))]) {
      expect(readFileSync(path.join(again, file)).equals(readFileSync(path.join(dir, file))), file).toBe(true);
    }
    for (const file of ['机构名册.xlsx', '违规记录.xlsx']) {
      expect(await cellValues(inputs(file, again)), file).toBe(await cellValues(inputs(file)));
    }
  });

  it('copies the Jiangsu profile as policy.yaml with the city as its region and its bureau as the issuer', () => {
    const profile = readFileSync(new URL('../../../templates/policies/jiangsu.yaml', import.meta.url), 'utf8');
    expect(readFileSync(path.join(dir, 'policy.yaml'), 'utf8')).toBe(profile.replace(/^region: 江苏省/m, 'region: 南京市').replace(/^  issuer: 设区市医疗保障局/m, '  issuer: 南京市医疗保障局'));
    expect(policy().region).toBe('南京市');
  });

  it('has a roster of both medical categories across the districts, and a few pharmacies', async () => {
    const roster = await readSheet(inputs('机构名册.xlsx'), 3);
    expect(roster).toHaveLength(INSTITUTIONS);
    const medical = roster.filter((r) => r['机构类型'] === '医疗机构');
    const pharmacies = roster.filter((r) => r['机构类型'] === '零售药店');
    expect(medical.length + pharmacies.length).toBe(INSTITUTIONS);
    const inpatient = medical.filter((r) => r['有无住院服务'] === '是').length;
    expect(inpatient / medical.length).toBeGreaterThan(0.3);
    expect(inpatient / medical.length).toBeLessThan(0.5);
    expect(pharmacies.length).toBeGreaterThanOrEqual(2);
    expect(pharmacies.length / INSTITUTIONS).toBeLessThan(0.06);
    for (const r of roster) {
      const code = String(r['机构编码']);
      expect(code).toMatch(r['机构类型'] === '零售药店' ? /^P3201\d{7}$/ : /^H3201\d{7}$/);
    }
    expect(new Set(roster.map((r) => r['所属区县'])).size).toBeGreaterThan(5);
    expect(pharmacies.map((r) => r['机构编码']).sort()).toEqual([...result.special.pharmacies].sort());
  });

  it('scores every medical institution on exactly the indicators of its category, within each maximum, and no pharmacy', async () => {
    const roster = await readSheet(inputs('机构名册.xlsx'), 3);
    const categoryOf = new Map(
      roster.filter((r) => r['机构类型'] === '医疗机构').map((r) => [String(r['机构编码']), r['有无住院服务'] === '是' ? 'inpatient' : 'outpatient']),
    );
    const { indicators } = policy();
    const max = new Map(indicators.map((i) => [i.code, i.max]));
    const scores = readCsv(inputs('指标得分.csv'));
    expect(Object.keys(scores[0] ?? {})).toEqual(['机构编码', '指标编码', '自评得分', '初审得分', '得分', '备注']);

    const seen = new Map<string, string[]>();
    for (const r of scores) {
      const code = r['机构编码'] ?? '';
      expect(categoryOf.has(code), `${code} is a medical institution`).toBe(true);
      const m = max.get(r['指标编码'] ?? '') ?? NaN;
      for (const column of ['自评得分', '初审得分', '得分']) points(r[column], m, `${code} ${r['指标编码']} ${column}`);
      seen.set(code, [...(seen.get(code) ?? []), r['指标编码'] ?? '']);
    }
    expect([...seen.keys()].sort()).toEqual([...categoryOf.keys()].sort());
    for (const [code, codes] of seen) {
      const expected = indicators.filter((i) => i.categories.includes(categoryOf.get(code) ?? '')).map((i) => i.code);
      expect(codes, code).toEqual(expected);
    }
    // local and monitored indicators are scored
    const scored = new Set(scores.map((r) => r['指标编码']));
    expect(indicators.filter((i) => i.local).every((i) => scored.has(i.code))).toBe(true);
    expect(indicators.filter((i) => i.monitored).every((i) => scored.has(i.code))).toBe(true);
    // the self assessment is usually at or above the initial review
    const selfAtOrAbove = scores.filter((r) => Number(r['自评得分']) >= Number(r['初审得分'])).length;
    expect(selfAtOrAbove / scores.length).toBeGreaterThan(0.95);
  });

  it('has appeals both upheld and adjusted, each consistent with the score file', () => {
    const { indicators } = policy();
    const max = new Map(indicators.map((i) => [i.code, i.max]));
    const scores = new Map(readCsv(inputs('指标得分.csv')).map((r) => [`${r['机构编码']} ${r['指标编码']}`, r]));
    const appeals = readCsv(inputs('申诉记录.csv'));
    expect(Object.keys(appeals[0] ?? {})).toEqual(['机构编码', '指标编码', '申诉日期', '处理结果', '调整后得分', '申诉理由', '答复']);
    expect(appeals).toHaveLength(result.counts.appeals);
    expect(new Set(appeals.map((a) => `${a['机构编码']} ${a['指标编码']}`)).size).toBe(appeals.length);

    for (const a of appeals) {
      const key = `${a['机构编码']} ${a['指标编码']}`;
      const row = scores.get(key);
      if (!row) throw new Error(`appeal ${key} has no score row`);
      expect(isoDate(a['申诉日期'])).toMatch(new RegExp(`^${YEAR + 1}-02-`));
      expect(a['申诉理由'], key).not.toBe('');
      expect(a['答复'], key).not.toBe('');
      if (a['处理结果'] === '维持') {
        expect(a['调整后得分'], key).toBe('');
        expect(row['得分'], key).toBe(row['初审得分']);
      } else {
        expect(a['处理结果'], key).toBe('调整');
        const adjusted = points(a['调整后得分'], max.get(a['指标编码'] ?? '') ?? NaN, key);
        expect(Number(row['得分']), key).toBe(adjusted);
        expect(Number(row['初审得分']), key).not.toBe(adjusted);
      }
    }
    expect(appeals.some((a) => a['处理结果'] === '维持')).toBe(true);
    expect(appeals.some((a) => a['处理结果'] === '调整')).toBe(true);
  });

  it('changes a final score without an appeal in exactly the expert-review rows', () => {
    const appealed = new Set(readCsv(inputs('申诉记录.csv')).map((a) => `${a['机构编码']} ${a['指标编码']}`));
    const moved = readCsv(inputs('指标得分.csv'))
      .filter((r) => r['得分'] !== r['初审得分'] && !appealed.has(`${r['机构编码']} ${r['指标编码']}`))
      .map((r) => `${r['机构编码']} ${r['指标编码']}`);
    expect(moved).toHaveLength(3);
    expect(moved.sort()).toEqual(result.special.expertReviews.map((e) => `${e.code} ${e.indicator}`).sort());
  });

  it('settles every institution, pharmacies included, for 12 months without 预留保证金', () => {
    const settlements = readCsv(inputs('月度结算.csv'));
    const months = new Map<string, number>();
    for (const r of settlements) {
      expect(r['结算金额']).toMatch(/^\d{1,3}(,\d{3})*\.\d{2}$|^\d+\.\d{2}$/);
      expect(r['预留保证金']).toBe('');
      months.set(r['机构编码'] ?? '', (months.get(r['机构编码'] ?? '') ?? 0) + 1);
    }
    expect(months.size).toBe(INSTITUTIONS);
    expect([...months.values()].every((n) => n === 12)).toBe(true);
    for (const p of result.special.pharmacies) expect(months.get(p)).toBe(12);
  });

  it('has one refusal of materials and one termination handled in the year, and no violation of a pharmacy', async () => {
    const violations = await readSheet(inputs('违规记录.xlsx'), 1);
    const refusals = violations.filter((v) => v['处理类型'] === '拒不提供资料');
    expect(refusals.map((v) => v['机构编码'])).toEqual([result.special.refusal]);
    const terminations = violations.filter((v) => v['处理类型'] === '解除协议');
    expect(terminations.map((v) => v['机构编码'])).toEqual([result.special.terminated]);
    for (const v of [...refusals, ...terminations]) expect(isoDate(v['处理日期']).slice(0, 4)).toBe(String(YEAR));
    for (const v of violations) {
      expect(String(v['机构编码'])).toMatch(/^H/);
      expect(isoDate(v['处理日期']) >= isoDate(v['发生日期'])).toBe(true);
    }
    // ordinary violations too, and the one 扣分 with its points
    expect(new Set(violations.map((v) => v['处理类型'])).size).toBeGreaterThanOrEqual(6);
    const deductions = violations.filter((v) => v['处理类型'] === '扣分');
    expect(deductions.map((v) => [v['机构编码'], Number(v['扣分'])])).toEqual([[result.special.deduction.code, result.special.deduction.points]]);
  });

  it('has one investigation open at year end and one opened and closed in the year', () => {
    const investigations = readCsv(inputs('立案调查.csv'));
    const open = investigations.filter((r) => !r['结案日期'] || isoDate(r['结案日期']) > `${YEAR}-12-31`);
    expect(open.map((r) => r['机构编码'])).toEqual([result.special.pending]);
    expect(isoDate(open[0]?.['立案日期']).slice(0, 4)).toBe(String(YEAR));
    const closed = investigations.filter((r) => !open.includes(r));
    expect(closed.map((r) => r['机构编码'])).toEqual([result.special.closedInvestigation]);
    for (const r of closed) {
      expect(isoDate(r['立案日期']).slice(0, 4)).toBe(String(YEAR));
      expect(isoDate(r['结案日期']).slice(0, 4)).toBe(String(YEAR));
    }
  });

  it('puts a few institutions below the pool threshold, and only those', () => {
    const { threshold } = policy().deposit.pool;
    const totals = new Map<string, number>();
    for (const r of readCsv(inputs('指标得分.csv'))) {
      totals.set(r['机构编码'] ?? '', (totals.get(r['机构编码'] ?? '') ?? 0) + Math.round(Number(r['得分']) * 10));
    }
    const { code: deducted, points: deduction } = result.special.deduction;
    const score = (code: string): number => ((totals.get(code) ?? 0) - (code === deducted ? deduction * 10 : 0)) / 10;
    const low = [...totals.keys()].filter((c) => score(c) < threshold).sort();
    expect(low).toEqual(result.special.belowThreshold.map((b) => b.code));
    expect(low.length).toBeGreaterThanOrEqual(1);
    expect(low.length / totals.size).toBeLessThan(0.05);
    for (const b of result.special.belowThreshold) expect(score(b.code)).toBe(b.score);
    // most score 70–98
    const usual = [...totals.keys()].filter((c) => score(c) >= 70 && score(c) <= 98).length;
    expect(usual / totals.size).toBeGreaterThan(0.8);
  });

  it('lists every special case with its code in the README', () => {
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    const s = result.special;
    const codes = [
      ...s.pharmacies,
      s.refusal,
      s.terminated,
      s.pending,
      s.closedInvestigation,
      s.deduction.code,
      ...s.belowThreshold.map((b) => b.code),
      ...s.appeals.map((a) => `${a.code}（${a.indicator}`),
      ...s.expertReviews.map((e) => `${e.code}（${e.indicator}`),
    ];
    for (const c of codes) expect(readme, c).toContain(c);
    expect(readme).toContain(`--region nanjing --seed ${SEED} --institutions ${INSTITUTIONS} --year ${YEAR}`);
  });
});
