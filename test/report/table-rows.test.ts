import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DeflateThread } from '../../src/report/deflate-thread.js';
import { lineRowCount, lineRows, walkLineRows, type LineRowsTable } from '../../src/report/line-rows.js';
import { PrintBook, PrintableSheet, type Cell, type ColumnDef } from '../../src/report/workbook-style.js';

/**
 * A table of `institutions` institutions in two groups (3 and 2 lines), lines held out of
 * order in shared memory, a blank given score every so often, texts that need escaping.
 */
function table(institutions: number): LineRowsTable {
  const group = new Int32Array(institutions);
  const lineCount = new Int32Array(institutions);
  const firstLine = new Int32Array(institutions);
  let lines = 0;
  for (let i = 0; i < institutions; i++) {
    group[i] = i % 4 === 3 ? 1 : 0;
    lineCount[i] = i === 5 ? 0 : group[i] === 0 ? 3 : 2; // institution 5 has no lines: no row, and its code and name must not widen their columns
    lines += lineCount[i] as number;
  }
  // The institutions' lines held last first (as a plan may hold them in another order).
  for (let i = institutions - 1, at = 0; i >= 0; i--) {
    firstLine[i] = at;
    at += lineCount[i] as number;
  }
  const given = new Int32Array(new SharedArrayBuffer(lines * 4));
  const counted = new Int32Array(new SharedArrayBuffer(lines * 4));
  for (let l = 0; l < lines; l++) {
    given[l] = l % 7 === 0 ? -1 : l % 5;
    counted[l] = l % 5;
  }
  return {
    institutionTexts: [
      Array.from({ length: institutions }, (_, i) => (i === 5 ? `H${'0'.repeat(29)}` : `H${String(i).padStart(11, '0')}`)),
      // Now and then a name too wide for its column, first after a few thousand rows: its row is taller.
      Array.from({ length: institutions }, (_, i) => (i === 5 ? '不显示'.repeat(40) : i % 9 === 0 ? `<&"'>医院${i}` : i % 1_777 === 1_776 ? `机构${i}${'（第一分院南院门诊部）'.repeat(3)}` : `机构${i}（${'南院'.repeat(i % 5)}）`)),
    ],
    group,
    firstLine,
    lineCount,
    groupCells: [
      [
        ['有住院服务医疗机构', 'H01', '基金监管', '联网医疗费考核', 10],
        ['有住院服务医疗机构', 'H02', '结算数据质量', '联网医疗费考核', 5],
        ['有住院服务医疗机构', 'H03', '服务协议执行', '实地考核', 20],
      ],
      [
        ['定点零售药店', 'P01', '药品进销存', '实地考核', 15],
        ['定点零售药店', 'P02', '处方管理', '实地考核', 7.5],
      ],
    ],
    lineColumns: [
      { ids: given, values: Float64Array.from([0, 2.5, 4.75, 8.2, 10]) },
      { ids: counted, values: Float64Array.from([0, 2.5, 4.75, 8.2, 10]) },
    ],
    layout: [
      { from: 'institution', column: 0 },
      { from: 'institution', column: 1 },
      ...[0, 1, 2, 3, 4].map((column) => ({ from: 'group' as const, column })),
      { from: 'line', column: 0 },
      { from: 'line', column: 1 },
    ],
  };
}

const COLUMNS: ColumnDef[] = [
  { header: '机构编码', kind: 'code' },
  { header: '机构名称', kind: 'text' },
  { header: '分类', kind: 'text' },
  { header: '指标编码', kind: 'code' },
  { header: '指标名称', kind: 'text' },
  { header: '维度', kind: 'text' },
  { header: '满分', kind: 'score' },
  { header: '得分', kind: 'score' },
  { header: '计入得分', kind: 'score' },
];

/** The rows of the table worked out by hand from its parts, as the sheet must show them. */
function expectedRows(t: LineRowsTable): Cell[][] {
  const rows: Cell[][] = [];
  t.lineCount.forEach((count, i) => {
    for (let k = 0; k < count; k++) {
      const line = (t.firstLine[i] as number) + k;
      const value = (column: number) => {
        const { ids, values } = t.lineColumns[column]!;
        const id = ids![line]!;
        return id < 0 ? null : values[id]!;
      };
      const [codes, names] = t.institutionTexts as string[][];
      rows.push([codes![i]!, names![i]!, ...(t.groupCells[t.group[i] as number]![k] as Cell[]), value(0), value(1)]);
    }
  });
  return rows;
}

/** A workbook of the table (or of the same rows from a row source), a sheet between and after it. */
function book(t: LineRowsTable, how: { maxRows: number; deflate: 'here' | 'thread'; asTable: boolean; plainRows?: 'xml' | 'exceljs' }) {
  const b = new PrintBook(2024, how.maxRows, how.plainRows ?? 'xml', 'lean', how.deflate);
  const before = new PrintableSheet(b, { name: '汇总', title: '汇总', columns: [{ header: '项目', kind: 'text' }] });
  before.add(['机构数']);
  const s = new PrintableSheet(b, { name: '指标明细', title: '2024年度考核指标得分明细', plain: true, columns: COLUMNS });
  if (how.asTable) s.addTable(t);
  else s.addRows(() => expectedRows(t));
  s.note('得分：指标得分表中的原值');
  const after = new PrintableSheet(b, { name: '扣分明细', title: '扣分明细', columns: [{ header: '机构编码', kind: 'code' }] });
  after.add(['H00000000001']);
  return b;
}

describe('a detail sheet held as a table (line-rows.ts)', () => {
  it('walks its rows in order from any row, each institution with its group’s lines and its own figures', () => {
    const t = table(11);
    const all = expectedRows(t);
    expect(lineRowCount(t)).toBe(all.length);
    expect([...lineRows(t)]).toEqual(all);
    for (const first of [0, 1, 3, 4, 17, all.length - 1]) {
      const got: Cell[][] = [];
      walkLineRows(t, first, 5, (cells) => got.push([...cells]));
      expect(got).toEqual(all.slice(first, first + 5));
    }
    expect(all.some((row) => row[7] === null)).toBe(true); // blank given scores among them
    expect(all.some((row) => row[1] === '不显示'.repeat(40))).toBe(false);
  });

  it('gives the bytes of the same rows written through exceljs, split into parts, whether its rows are made here or on the deflating thread', async () => {
    const thread = DeflateThread.start();
    expect(thread).not.toBeNull(); // the compiled worker: without it both would be made here and prove nothing
    await thread?.stop();
    const t = table(5_000); // 13,750 rows: parts of 4,998 rows, runs that start mid-institution
    const [onThread, here, asRows, throughExceljs] = await Promise.all([
      book(t, { maxRows: 5_000, deflate: 'thread', asTable: true }).file('x.xlsx'),
      book(t, { maxRows: 5_000, deflate: 'here', asTable: true }).file('x.xlsx'),
      book(t, { maxRows: 5_000, deflate: 'thread', asTable: false }).file('x.xlsx'),
      book(t, { maxRows: 5_000, deflate: 'here', asTable: false, plainRows: 'exceljs' }).file('x.xlsx'),
    ]);
    expect(onThread.content.equals(asRows.content)).toBe(true);
    expect(onThread.content.length).toBeGreaterThan(100_000);
    expect(here.content.equals(asRows.content)).toBe(true);
    expect(throughExceljs.content.equals(asRows.content)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(onThread.content as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['汇总', '指标明细-1', '指标明细-2', '指标明细-3', '扣分明细']);
    const read: Cell[][] = [];
    for (const ws of wb.worksheets.slice(1, 4)) {
      ws.eachRow((row, n) => {
        const values = (row.values as Cell[]).slice(1);
        if (n > 2 && String(values[0]).startsWith('H')) read.push(COLUMNS.map((_c, i) => values[i] ?? null));
      });
    }
    expect(read).toEqual(expectedRows(t));
    // The wide names wrap: their rows are taller, the others keep the default height.
    const tall = wb.worksheets.slice(1, 4).flatMap((ws) => {
      const found: string[] = [];
      ws.eachRow((row, n) => {
        if (n > 2 && row.height > 20) found.push(String(row.getCell(2).value));
      });
      return found;
    });
    expect(tall.length).toBeGreaterThan(0);
    expect(tall.every((name) => name.includes('（第一分院南院门诊部）'))).toBe(true);
    expect(wb.getWorksheet('指标明细-3')?.getCell(`A${wb.getWorksheet('指标明细-3')!.rowCount}`).value).toBe('得分：指标得分表中的原值');
  });

  it('holds numbers without ids and texts by number too (a line per institution: a category sheet), blanks where NaN, and writes what its rows would', async () => {
    const n = 3_000;
    const t: LineRowsTable = {
      institutionTexts: [Array.from({ length: n }, (_, i) => `P${String(i).padStart(11, '0')}`), { ids: Int32Array.from({ length: n }, (_, i) => (i % 500 === 0 ? 1 : 0)), texts: ['合格', '待定'] }],
      group: new Int32Array(n),
      firstLine: Int32Array.from({ length: n }, (_, i) => i),
      lineCount: new Int32Array(n).fill(1),
      groupCells: [[[]]],
      lineColumns: [
        { ids: null, values: Float64Array.from({ length: n }, (_, i) => i + 1) },
        { ids: null, values: Float64Array.from({ length: n }, (_, i) => (i % 500 === 0 ? Number.NaN : 100_000_000 - i * 7.25)) },
      ],
      layout: [
        { from: 'line', column: 0 },
        { from: 'institution', column: 0 },
        { from: 'line', column: 1 },
        { from: 'institution', column: 1 },
      ],
    };
    const rows: Cell[][] = Array.from({ length: n }, (_, i) => [i + 1, `P${String(i).padStart(11, '0')}`, i % 500 === 0 ? null : 100_000_000 - i * 7.25, i % 500 === 0 ? '待定' : '合格']);
    expect([...lineRows(t)]).toEqual(rows);
    const columns: ColumnDef[] = [
      { header: '序号', kind: 'int' },
      { header: '机构编码', kind: 'code' },
      { header: '考核得分', kind: 'score' },
      { header: '状态', kind: 'text' },
    ];
    const written = async (asTable: boolean, deflate: 'here' | 'thread') => {
      const b = new PrintBook(2024, 1_048_576, 'xml', 'lean', deflate);
      const s = new PrintableSheet(b, { name: '定点零售药店', title: '考核结果（定点零售药店）', columns });
      if (asTable) s.addTable(t);
      else s.addRows(() => rows);
      return (await b.file('x.xlsx')).content;
    };
    const [table, onThread, asRows] = await Promise.all([written(true, 'here'), written(true, 'thread'), written(false, 'here')]);
    expect(table.equals(asRows)).toBe(true);
    expect(onThread.equals(asRows)).toBe(true);
  });

  it('reads the texts of tables that share a workbook’s columns at each institution’s row (textRow), on the thread as here, its numbered texts its own', async () => {
    // Every institution's code and name once, in roster order; two sheets list some of them, each in its own order.
    const roster = 4_000;
    const codes = Array.from({ length: roster }, (_, i) => `H${String(i).padStart(11, '0')}`);
    const names = Array.from({ length: roster }, (_, i) => (i % 97 === 0 ? `<&"'>医院${i}` : `机构${i}`));
    const sheetTable = (rows: number[]): LineRowsTable => ({
      institutionTexts: [codes, names, { ids: Int32Array.from(rows, (_r, k) => k % 3), texts: ['优秀', '合格', '不合格'] }],
      textRow: Int32Array.from(rows),
      group: new Int32Array(rows.length),
      firstLine: Int32Array.from(rows, (_r, k) => k),
      lineCount: new Int32Array(rows.length).fill(1),
      groupCells: [[[]]],
      lineColumns: [{ ids: null, values: Float64Array.from(rows, (_r, k) => k + 1) }],
      layout: [
        { from: 'line', column: 0 },
        { from: 'institution', column: 0 },
        { from: 'institution', column: 1 },
        { from: 'institution', column: 2 },
      ],
    });
    const odd = Array.from({ length: roster / 2 }, (_, k) => roster - 1 - 2 * k); // the odd ones, last first
    const even = Array.from({ length: roster / 2 }, (_, k) => 2 * k);
    const expected = (rows: number[]): Cell[][] => rows.map((r, k) => [k + 1, codes[r]!, names[r]!, ['优秀', '合格', '不合格'][k % 3]!]);
    const [oddTable, evenTable] = [sheetTable(odd), sheetTable(even)];
    expect([...lineRows(oddTable)]).toEqual(expected(odd));
    expect([...lineRows(evenTable)]).toEqual(expected(even));
    const columns: ColumnDef[] = [
      { header: '序号', kind: 'int' },
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '等级', kind: 'text' },
    ];
    const written = async (asTable: boolean, deflate: 'here' | 'thread') => {
      const b = new PrintBook(2024, 1_048_576, 'xml', 'lean', deflate);
      for (const [name, rows, t] of [['奇数', odd, oddTable], ['偶数', even, evenTable]] as const) {
        const s = new PrintableSheet(b, { name, title: name, columns });
        if (asTable) s.addTable(t);
        else s.addRows(() => expected([...rows]));
      }
      return (await b.file('x.xlsx')).content;
    };
    const [here, onThread, asRows] = await Promise.all([written(true, 'here'), written(true, 'thread'), written(false, 'here')]);
    expect(here.equals(asRows)).toBe(true);
    expect(onThread.equals(asRows)).toBe(true);
  });

  it('tells the progress of the rows made on the thread, every row once', async () => {
    const t = table(30_000);
    const b = book(t, { maxRows: 1_048_576, deflate: 'thread', asTable: true });
    let handed = 0;
    b.onRowsOnThread = () => handed++;
    let last = 0;
    await b.file('x.xlsx', (_name, done) => (last = done));
    expect(handed).toBe(1);
    expect(last).toBe(b.sheets.reduce((a, s) => a + s.rowCount, 0));
  });
});
