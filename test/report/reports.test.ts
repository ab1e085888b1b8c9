// The printable workbooks and the public-notice lists, rendered from a small hand-made
// plan (planYear on hand-made inputs and the shipped Tianjin profile) and read back.
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { institutionsCsv, institutionsCsvFile } from '../../src/report/machine.js';
import { describe, expect, it } from 'vitest';
import type { InstitutionKind, YearInputs } from '../../src/domain.js';
import { institution as baseInstitution, scores, settlement, violation } from '../helpers/inputs.js';
import { tianjinPolicy } from '../helpers/policy.js';
import { emptyPersonnelEvents } from '../../src/io/personnel-events.js';
import { ScoreTable } from '../../src/io/score-table.js';
import { planYear } from '../../src/plan/assemble-year-plan.js';
import type { YearPlan } from '../../src/plan/year-plan.js';
import { STATE_SCHEMA, type PriorYear } from '../../src/plan/state.js';
import { listDef } from '../../src/plan/lists.js';
import { curveText, depositWorkbook } from '../../src/report/deposit-workbook.js';
import { noticeLists, publishedLists } from '../../src/report/notice-lists.js';
import { contentOf } from '../helpers/written.js';
import { noticeHtml } from '../../src/report/notice-html.js';
import type { OutputFile } from '../../src/report/output.js';
import { resultsWorkbook, scoreBands } from '../../src/report/results-workbook.js';
import { displayWidth, headerLines, safeText, sheetName } from '../../src/report/workbook-style.js';

const A = 'H12010100001'; // inpatient, 50 points − 约谈 2 = 48.00; last year 55.00 → 不予续签; deposit forfeited (< 60)
const B = 'H12010200001'; // outpatient, 68 of 95 → 71.58; partial refund; a formula-looking name
const C = 'P12010100001'; // pharmacy under investigation at year end → 待定, deposit held
const D = 'P12010200002'; // pharmacy that refused materials → 不合格, deposit forfeited, 解除协议 list
const FORMULA_NAME = '=HYPERLINK("http://x","点我")诊所';

const institution = (code: string, name: string, kind: InstitutionKind, inpatient: boolean | null, district: string, row: number) =>
  baseInstitution(code, { name, kind, inpatient, district, source: { file: 'inputs/2024/机构名册.csv', row } });

function buildPlan(): YearPlan {
  const policy = tianjinPolicy();
  const inputs: YearInputs = {
    year: 2024,
    asOf: '2024-12-31',
    notifiedOn: '2024-12-31',
    institutions: [
      institution(A, '天津市和平区第一医院', '医疗机构', true, '和平区', 2),
      institution(B, FORMULA_NAME, '医疗机构', false, '河东区', 3),
      institution(C, '+康民大药房', '零售药店', null, '和平区', 4),
      institution(D, '@百姓药店', '零售药店', null, '河东区', 5),
    ],
    scores: ScoreTable.from([
      ...scores(A, { H01: 7.5, H02: 5, H03: 5, H04: 2.5, H05: 10, H06: 7.5, H07: 5, H08: 5, H09: 2.5 }),
      ...scores(B, { H01: 11, H02: 7, H03: 7, H05: 15, H06: 11, H07: 7, H08: 7, H09: 3 }),
      ...scores(C, { P01: 25, P02: 12, P03: 30, P04: 8 }), // P05 missing
      ...scores(D, { P01: 20, P02: 10, P03: 20, P04: 5, P05: 5 }),
    ]),
    settlements: new Map([
      // 3,333.33 元 a month × 10 % = 333.333 → 333.33; × 12 = 3,999.96
      [A, settlement(A, Array(12).fill(333_333))],
      // January–June only: 1,000.05 × 10 % = 100.005 → 100.01 (half up); × 6 = 600.06
      [B, settlement(B, [...Array(6).fill(100_005), ...Array(6).fill(null)])],
      // 预留保证金 given: 50.00 a month → 600.00
      [C, settlement(C, Array(12).fill(1_000_000), Array(12).fill(5_000))],
      // 777.77 × 10 % = 77.777 → 77.78; × 12 = 933.36
      [D, settlement(D, Array(12).fill(77_777))],
    ]),
    violations: [violation(A, '2023-12-20', '2024-03-01', '约谈', 2), violation(D, '2024-05-01', '2024-05-10', '拒不提供资料', 3)],
    investigations: [{ code: C, openedOn: '2024-10-01', closedOn: null, conclusion: '', major: true, source: { file: 'inputs/2024/立案调查.csv', row: 2 } }],
    appeals: [],
    exits: [],
    personnel: emptyPersonnelEvents(),
    sources: [],
  };
  const prior: PriorYear = {
    source: 'state',
    file: 'results/2023/state.json',
    state: {
      schema: STATE_SCHEMA,
      year: 2023,
      region: '天津市',
      profile: 'tianjin',
      institutions: { [A]: { score: '55.00', status: 'scored', grade: '不合格', tier: null, tier_since: null, promotion_wait_until: null, banned_until: null } },
      personnel: {},
      held_deposits: [{ code: 'H12019900009', year: 2023, held: '1234.56', reason: '正在接受调查，待结案后兑现（天津第十六条）' }],
    },
  };
  return planYear(inputs, policy, prior);
}

async function read(file: OutputFile): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file.content as unknown as ExcelJS.Buffer);
  return wb;
}

/** The rows of a sheet as arrays of cell values (index 0 = column A). */
function rows(ws: ExcelJS.Worksheet): unknown[][] {
  const out: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const values: unknown[] = [];
    for (let c = 1; c <= ws.columnCount; c++) values.push(row.getCell(c).value ?? null);
    out.push(values);
  });
  return out;
}

function rowWith(ws: ExcelJS.Worksheet, column: number, value: unknown): ExcelJS.Row {
  let found: ExcelJS.Row | undefined;
  ws.eachRow((row) => {
    if (!found && row.getCell(column).value === value) found = row;
  });
  if (!found) throw new Error(`no row with ${String(value)} in column ${column} of ${ws.name}`);
  return found;
}

const plan = buildPlan();

describe('the hand-made plan (sanity of the fixture)', () => {
  it('has the statuses, scores and deposits worked out above', () => {
    const by = (code: string) => plan.institutions.find((r) => r.institution.code === code)!.assessment;
    const score = (code: string) => {
      const a = by(code);
      return a.status === 'scored' ? a.score.toFixed(2) : a.status;
    };
    expect(score(A)).toBe('48.00');
    expect(score(B)).toBe('71.58');
    expect([by(C).status, by(D).status]).toEqual(['pending', 'unqualified']);
    expect(plan.totals).toMatchObject({ withheldFen: 613_338, heldFen: 60_000, differenceFen: 0 });
    expect(plan.published).toEqual(['results', 'noRenewal', 'terminated']);
  });
});

describe('考核结果 workbook', () => {
  it('has the summary, one sheet per category in policy order, and the detail sheets', async () => {
    const file = await resultsWorkbook(plan);
    expect(file.name).toBe('考核结果-2024.xlsx');
    const wb = await read(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '有住院服务医疗机构', '无住院服务医疗机构', '定点零售药店', '指标明细', '扣分明细', '待定机构']);
    expect(wb.creator).toBe('assess');
    expect(wb.created?.toISOString()).toBe('2025-01-01T00:00:00.000Z');
  });

  it('prints: title row, frozen header, autofilter, A4 landscape one page wide, repeating titles, page numbers', async () => {
    const wb = await read(await resultsWorkbook(plan));
    const ws = wb.getWorksheet('有住院服务医疗机构')!;
    expect(ws.getCell('A1').value).toBe('天津市2024年度协议考核结果（有住院服务医疗机构）');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getRow(2).getCell(1).value).toBe('序号');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(ws.pageSetup.printTitlesRow).toBe('1:2');
    expect(ws.headerFooter.oddFooter).toContain('第 &P 页，共 &N 页');
    expect(ws.autoFilter).toBeDefined();
    // The scaled category carries a subtitle, so its header is the third row.
    const outpatient = wb.getWorksheet('无住院服务医疗机构')!;
    expect(String(outpatient.getCell('A2').value)).toContain('95');
    expect(outpatient.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(outpatient.pageSetup.printTitlesRow).toBe('1:3');
  });

  it('writes codes as text cells with the text format, and a formula-looking name as a plain string', async () => {
    const wb = await read(await resultsWorkbook(plan));
    const ws = wb.getWorksheet('无住院服务医疗机构')!;
    const row = rowWith(ws, 2, B);
    expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
    expect(row.getCell(2).numFmt).toBe('@');
    const name = row.getCell(3);
    expect(name.type).toBe(ExcelJS.ValueType.String);
    expect(name.value).toBe(FORMULA_NAME);
    expect(name.formula).toBeUndefined();
    // 考核得分 is a number shown with 2 decimals; 排名 and 参评数 are numbers.
    const header = rows(ws)[2]!;
    const col = (h: string) => header.indexOf(h) + 1;
    expect(row.getCell(col('考核得分')).value).toBe(71.58);
    expect(row.getCell(col('考核得分')).numFmt).toBe('0.00');
    expect([row.getCell(col('排名')).value, row.getCell(col('参评数')).value, row.getCell(col('等级')).value, row.getCell(col('状态')).value]).toEqual([1, 1, '合格', '已评分']);
  });

  it('lists a category scored first by rank, then pending with its 立案日期, then unqualified with the violation', async () => {
    const wb = await read(await resultsWorkbook(plan));
    const ws = wb.getWorksheet('定点零售药店')!;
    // Long headers are printed on two lines.
    const header = rows(ws)[1]!.map((h) => String(h).replace('\n', ''));
    expect(header).toEqual(['序号', '机构编码', '机构名称', '所属区县', '联网医疗费考核', '实地考核', '医药采购管理考核', '指标合计', '折算得分', '扣分', '考核得分', '排名', '参评数', '等级', '状态', '备注']);
    const body = rows(ws).slice(2, 4);
    expect(body.map((r) => [r[0], r[1], r[10], r[13], r[14]])).toEqual([
      [1, C, null, '待定', '待定'],
      [2, D, null, '不合格', '评定不合格'],
    ]);
    expect(String(body[0]![15])).toContain('2024-10-01 立案调查');
    expect(String(body[1]![15])).toContain('2024-05-10 处理：拒不提供资料');
  });

  it('details every indicator (blank when missing) and every deduction with its source row', async () => {
    const wb = await read(await resultsWorkbook(plan));
    const detail = rows(wb.getWorksheet('指标明细')!);
    const missing = detail.find((r) => r[0] === C && r[3] === 'P05')!;
    expect(missing.slice(4)).toEqual(['集采药品采购执行', '医药采购管理考核', 10, null, 0]);
    expect(detail.filter((r) => r[0] === A)).toHaveLength(9);
    const deductions = rows(wb.getWorksheet('扣分明细')!);
    const line = deductions.find((r) => r[0] === A)!;
    expect(line.slice(2, 7)).toEqual(['2023-12-20', '2024-03-01', '约谈', '协议', 2]);
    expect(line[8]).toBe('inputs/2024/违规记录.xlsx（违规记录） 第2行');
    expect(deductions.find((r) => r[0] === '合计')![6]).toBe(2);
    const pending = rows(wb.getWorksheet('待定机构')!);
    expect(pending.find((r) => r[0] === C)!.slice(4, 7)).toEqual(['2024-10-01', '未结案', 600]);
  });

  it('summarises by category, district and score band', async () => {
    const wb = await read(await resultsWorkbook(plan));
    const summary = rows(wb.getWorksheet('汇总')!);
    const total = summary.find((r) => r[0] === '合计')!;
    // 机构数, 已评分, 待定, 不合格; grades 优秀, 合格, 不合格; average of 48.00 and 71.58; max; min
    expect(total).toEqual(['合计', 4, 2, 1, 1, 0, 1, 1, 59.79, 71.58, 48]);
    expect(summary.find((r) => r[0] === '河东区')!.slice(0, 5)).toEqual(['河东区', 2, 1, 0, 1]);
    const bands = summary.find((r) => r[0] === '分数段（已评分机构数）')!;
    expect(bands.slice(1, 6)).toEqual(['<60', '60-70', '70-80', '80-90', '≥90']);
    const bandTotal = summary.filter((r) => r[0] === '合计').at(-1)!;
    expect(bandTotal.slice(1, 6)).toEqual([1, 0, 1, 0, 0]);
  });

  it('gives the same cell values on a rerun (the same bytes, in fact)', async () => {
    const first = await resultsWorkbook(plan);
    const second = await resultsWorkbook(buildPlan());
    expect(Buffer.compare(first.content as Buffer, second.content as Buffer)).toBe(0);
  });
});

describe('质量保证金 workbook', () => {
  it('has district subtotals and a grand total equal to the exact fen sums', async () => {
    const file = await depositWorkbook(plan);
    expect(file.name).toBe('质量保证金-2024.xlsx');
    const wb = await read(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['拨付表', '月度预留明细', '对账', '数据缺失']);
    const ws = wb.getWorksheet('拨付表')!;
    expect(rows(ws)[2]).toEqual(['机构编码', '机构名称', '所属区县', '类别', '预留合计', '考核得分', '返还比例', '拨付金额', '扣除金额', '暂扣金额', '状态']);
    const sum = (pick: (r: YearPlan['institutions'][number]) => number, district?: string) =>
      plan.institutions.filter((r) => !district || r.institution.district === district).reduce((a, r) => a + pick(r), 0) / 100;
    const total = rowWith(ws, 2, '合计');
    expect(total.font?.bold).toBe(true);
    expect(total.getCell(5).value).toBe(6133.38);
    expect([5, 8, 9, 10].map((c) => total.getCell(c).value)).toEqual([
      sum((r) => r.deposit.withheldFen),
      sum((r) => r.deposit.payoutFen),
      sum((r) => r.deposit.forfeitedFen),
      sum((r) => r.deposit.heldFen),
    ]);
    expect(total.getCell(5).numFmt).toBe('#,##0.00');
    const heping = rowWith(ws, 2, '和平区 小计');
    expect(heping.getCell(5).value).toBe(4599.96); // 3,999.96 + 600.00
    expect(heping.getCell(10).value).toBe(600);
    // B: 71.58 → 40 % + 60 % × 11.58 / 20 = 74.74 %: 448.48 back, 151.58 forfeited (largest remainder)
    const b = rowWith(ws, 1, B);
    expect([b.getCell(6).value, b.getCell(7).value, b.getCell(8).value, b.getCell(9).value]).toEqual([71.58, 0.7474, 448.48, 151.58]);
    expect(b.getCell(7).numFmt).toBe('0.00%');
    expect(b.getCell(1).type).toBe(ExcelJS.ValueType.String);
  });

  it('shows the 12 monthly withholdings, blank for a month without settlement', async () => {
    const wb = await read(await depositWorkbook(plan));
    const ws = wb.getWorksheet('月度预留明细')!;
    expect(rows(ws)[2]!.slice(3, 16)).toEqual([...Array.from({ length: 12 }, (_, i) => `${i + 1}月`), '预留合计']);
    const b = rows(ws).find((r) => r[0] === B)!;
    expect(b.slice(3, 16)).toEqual([...Array(6).fill(100.01), ...Array(6).fill(null), 600.06]);
    const total = rows(ws).find((r) => r[1] === '合计')!;
    expect(total[15]).toBe(6133.38);
  });

  it('reconciles to the fen: the difference is 0.00, and earlier years’ held deposits are listed apart', async () => {
    const wb = await read(await depositWorkbook(plan));
    const rec = rows(wb.getWorksheet('对账')!);
    const item = (label: string) => rec.find((r) => String(r[0]).startsWith(label))!;
    expect(item('预留合计').slice(1)).toEqual([6133.38, 4]);
    expect(item('拨付合计')[1]).toBe(448.48);
    expect(item('扣除合计')[1]).toBe(5084.9); // 151.58 + 3,999.96 + 933.36
    expect(item('暂扣合计')[1]).toBe(600);
    expect(item('差额')[1]).toBe(0);
    expect(item('2023年度 H12019900009').slice(1)).toEqual([1234.56, 1]);
    expect(item('以前年度暂扣合计').slice(1)).toEqual([1234.56, 1]);
  });

  it('describes the refund curve of the policy in words', () => {
    expect(curveText(plan.policy.deposit.refundCurve!.bands)).toBe('80分及以上返还100%；60至80分返还40%至100%（线性）；60分以下返还0%');
  });
});

describe('公示名单', () => {
  /** The list files as written. */
  const listFiles = (p: YearPlan) => Promise.all(noticeLists(p).map(contentOf));

  it('has one sheet per published list in policy order and one CSV per list', async () => {
    const files = await listFiles(plan);
    expect(files.map((f) => f.name)).toEqual(['公示名单-2024.xlsx', '公示名单-2024-考核结果.csv', '公示名单-2024-不予续签.csv', '公示名单-2024-解除协议.csv']);
    const wb = await read(files[0]!);
    expect(wb.worksheets.map((w) => w.name)).toEqual(plan.published.map((l) => listDef(l).title));
    const results = rows(wb.getWorksheet('考核结果')!);
    expect(results[1]).toEqual(['序号', '机构编码', '机构名称', '机构类别', '所属区县', '考核得分', '排名', '等级']);
    expect(results.slice(2, 6).map((r) => [r[1], r[5], r[6]])).toEqual([
      [A, 48, 1],
      [B, 71.58, 1],
      [C, '待定', null],
      [D, '不合格', null],
    ]);
    const name = wb.getWorksheet('考核结果')!.getRow(4).getCell(3);
    expect(name.value).toBe(FORMULA_NAME);
    expect(name.type).toBe(ExcelJS.ValueType.String);
  });

  it('writes UTF-8 CSV with BOM and CRLF, formula-looking text quoted away, scores with 2 decimals', async () => {
    const [, results, noRenewal, terminated] = await listFiles(plan);
    const bytes = results!.content;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = results!.content.toString('utf8').slice(1);
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('序号,机构编码,机构名称,机构类别,所属区县,考核得分,排名,等级');
    expect(lines[1]).toBe(`1,${A},天津市和平区第一医院,有住院服务医疗机构,和平区,48.00,1,不合格`);
    expect(lines[2]).toBe(`2,${B},"'=HYPERLINK(""http://x"",""点我"")诊所",无住院服务医疗机构,河东区,71.58,1,合格`);
    expect(lines[3]).toBe(`3,${C},'+康民大药房,定点零售药店,和平区,待定,,待定`);
    expect(lines[4]).toBe(`4,${D},'@百姓药店,定点零售药店,河东区,不合格,,不合格`);
    expect(lines[5]).toBe('');
    expect(text).not.toMatch(/[^\r]\n/);
    const renewal = noRenewal!.content.toString('utf8').slice(1).split('\r\n');
    expect(renewal[0]).toBe('序号,机构编码,机构名称,所属区县,上年度得分,本年度得分,说明,依据');
    expect(renewal[1]).toMatch(new RegExp(`^1,${A},天津市和平区第一医院,和平区,55.00,48.00,2023年度得分 55.00、2024年度得分 48.00，连续2个年度低于60分,`));
    const ended = terminated!.content.toString('utf8').slice(1).split('\r\n');
    expect(ended[0]).toBe('序号,机构编码,机构名称,所属区县,说明,依据');
    expect(ended[1]).toContain(`1,${D},'@百姓药店,河东区,2024-05-10 拒不提供资料`);
  });

  it('publishes no personal data: only institution columns', async () => {
    const files = await listFiles(plan);
    for (const f of files.slice(1)) expect(f.content.toString('utf8')).not.toMatch(/姓名|身份证/);
  });

  it('is byte-deterministic', async () => {
    const a = await listFiles(plan);
    const b = await listFiles(buildPlan());
    expect(b.map((f) => f.content)).toEqual(a.map((f) => f.content));
  });
});

describe('workbook helpers', () => {
  it('measures Chinese text as two columns a character', () => {
    expect(displayWidth('机构编码')).toBe(8);
    expect(displayWidth('H12010100001')).toBe(12);
    expect(displayWidth('𠀀医（Ａ）a')).toBe(2 + 2 + 2 + 2 + 2 + 1); // a character outside the BMP is one wide character
  });
  it('measures any text as counting its characters: two from U+2E80 (outside the BMP too, lone surrogates each), else one', () => {
    const byCharacter = (text: string) => [...text].reduce((w, ch) => w + ((ch.codePointAt(0) ?? 0) > 0x2e7f ? 2 : 1), 0);
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => displayWidth(text) === byCharacter(text)), { numRuns: 2000 });
    // Lone and reversed surrogates, which the generator gives rarely.
    for (const text of ['\ud800', '\udc00', '\udc00\ud800', 'a\ud800b', '\ud83d\ude00\ud83d']) expect(displayWidth(text)).toBe(byCharacter(text));
  });
  it('quotes formula-looking text for CSV only', () => {
    expect(safeText('=1+1', 'csv')).toBe("'=1+1");
    expect(safeText('-5', 'csv')).toBe('-5'); // a negative amount is a number, not a formula
    expect(safeText('-5+cmd', 'csv')).toBe("'-5+cmd");
    expect(safeText('-', 'csv')).toBe("'-");
    expect(safeText('@x', 'csv')).toBe("'@x");
    expect(safeText('=1+1')).toBe('=1+1');
    expect(safeText('康民', 'csv')).toBe('康民');
  });
  it('makes sheet names Excel accepts, unique', () => {
    expect(sheetName('医疗机构/药店', [])).toBe('医疗机构_药店');
    expect(sheetName('汇总', ['汇总'])).toBe('汇总(2)');
    expect(sheetName("'x'", [])).toBe('x');
    expect([...sheetName('很'.repeat(40), [])]).toHaveLength(31);
  });
  it('breaks a long header before its bracket, or at its middle', () => {
    expect(headerLines('暂扣保证金（元）')).toEqual(['暂扣保证金', '（元）']);
    expect(headerLines('医药采购管理考核')).toEqual(['医药采购', '管理考核']);
    expect(headerLines('机构编码')).toEqual(['机构编码']);
  });
  it('bands scores at the policy grades and tenths of the full mark above the lowest', () => {
    expect(scoreBands(plan.policy).map((b) => b.label)).toEqual(['<60', '60-70', '70-80', '80-90', '≥90']);
  });
});

describe('institutions.csv written batch by batch', () => {
  it('is the same text as the whole file stringified at once, whatever the batch size', async () => {
    const whole = institutionsCsv(plan).content;
    expect(plan.institutions.length).toBeGreaterThan(3);
    for (const batch of [1, 2, 3, 20_000]) expect((await contentOf(institutionsCsvFile(plan, undefined, batch))).content.toString('utf8')).toBe(whole);
  });

  it('reports its rows as they are written, the last report when every institution is (a bar at national scale)', async () => {
    const reports: [string, number, number, string | undefined][] = [];
    await contentOf(institutionsCsvFile(plan, (label, done, total, unit) => reports.push([label, done, total, unit])));
    expect(reports).toEqual([['institutions.csv', plan.institutions.length, plan.institutions.length, 'rows']]);
  });
});

describe('the published lists, made', () => {
  it('report the rows made across every list, the last report when all are', () => {
    const reports: [string, number, number][] = [];
    const lists = publishedLists(plan, undefined, (label, done, total) => reports.push([label, done, total]));
    const rows = lists.reduce((n, l) => n + l.rows.length, 0);
    expect(rows).toBeGreaterThan(0);
    expect(reports).toEqual([[`公示名单-${plan.year}.xlsx`, rows, rows]]);
  });
});

describe('公示公告 written with its tables made in place', () => {
  const calendar = { years: new Set<number>(), holidays: new Set<string>(), workdays: new Set<string>(), sources: new Map<number, string>() };
  const write = async (template: string) => (await contentOf(noticeHtml(plan, publishedLists(plan), { template, issuedOn: null, calendar }))).content.toString('utf8');

  it('puts each list’s table, whole and unescaped, where the template asks for it ({{{表格}}}), twice if asked twice', async () => {
    const html = await write('<h1>{{标题}}</h1>{{#名单}}<h2>{{标题}}</h2>{{{表格}}}|{{{表格}}}{{/名单}}<p>end</p>');
    const tables = html.match(/<table>[\s\S]*?<\/table>/g) ?? [];
    expect(tables.length).toBe(publishedLists(plan).length * 2);
    expect(tables[0]).toBe(tables[1]);
    expect(tables[0]).toContain('<tbody>\n<tr>');
    expect(html).not.toContain('\u0000');
    expect(html.endsWith('</table>|' + tables[tables.length - 1] + '<p>end</p>')).toBe(true);
  });

  it('escapes the table where the template prints it escaped ({{表格}}), as mustache does', async () => {
    const html = await write('{{#名单}}{{表格}}{{/名单}}');
    expect(html.startsWith('&lt;table&gt;')).toBe(true);
    expect(html).not.toContain('<table>');
  });
});
