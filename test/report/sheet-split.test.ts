import ExcelJS from 'exceljs';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DeflateThread } from '../../src/report/deflate-thread.js';
import { FILLS, PrintBook, PrintableSheet, SHEET_MAX_ROWS, type Cell } from '../../src/report/workbook-style.js';

/** A book whose sheets hold `maxRows` rows, with one long sheet of `rows` data rows and a short one. */
async function book(rows: number, maxRows: number) {
  const b = new PrintBook(2024, maxRows);
  const long = new PrintableSheet(b, { name: '指标明细', title: '2024年度 指标得分明细', subtitle: '按机构编码排列', columns: [{ header: '机构编码', kind: 'code' }, { header: '得分', kind: 'score' }] });
  for (let i = 1; i <= rows; i++) long.add([`H${String(i).padStart(11, '0')}`, i / 100]);
  long.note('依据：考核办法第十五条');
  const short = new PrintableSheet(b, { name: '汇总', title: '汇总', columns: [{ header: '项目', kind: 'text' }] });
  short.add(['机构数']);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await b.file('考核结果-2024.xlsx')).content as unknown as ArrayBuffer);
  return wb;
}

const dataRows = (ws: ExcelJS.Worksheet, headerRow: number) => {
  const codes: string[] = [];
  ws.eachRow((row, n) => {
    const v = row.getCell(1).value;
    if (n > headerRow && typeof v === 'string' && v.startsWith('H')) codes.push(v);
  });
  return codes;
};

describe('a sheet longer than a sheet can hold', () => {
  it('is Excel’s limit, 1,048,576 rows, unless a test says less', () => {
    expect(SHEET_MAX_ROWS).toBe(1_048_576);
    expect(new PrintBook(2024).maxRows).toBe(SHEET_MAX_ROWS);
  });

  it('is written as numbered sheets, none over the limit, each with the title saying its part and the header; no row lost or repeated', async () => {
    const wb = await book(25, 13); // 10 data rows a sheet: 25 rows and the note make 3 parts
    expect(wb.worksheets.map((w) => w.name)).toEqual(['指标明细-1', '指标明细-2', '指标明细-3', '汇总']);
    const parts = wb.worksheets.slice(0, 3);
    for (const [k, ws] of parts.entries()) {
      expect(ws.rowCount).toBeLessThanOrEqual(13);
      expect(ws.getCell('A1').value).toBe(`2024年度 指标得分明细（第 ${k + 1} 部分，共 3 部分）`);
      expect(ws.getCell('A3').value).toBe('机构编码');
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    }
    const codes = parts.flatMap((ws) => dataRows(ws, 3));
    expect(codes).toEqual(Array.from({ length: 25 }, (_, i) => `H${String(i + 1).padStart(11, '0')}`));
    expect(parts[2]?.getCell(`A${parts[2].rowCount}`).value).toBe('依据：考核办法第十五条');
    expect(wb.getWorksheet('汇总')?.getCell('A1').value).toBe('汇总');
  });

  it('that fits stays one sheet under its own name', async () => {
    const wb = await book(9, 13);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['指标明细', '汇总']);
    expect(dataRows(wb.worksheets[0]!, 3)).toHaveLength(9);
  });
});

describe('plain rows written as their XML', () => {
  /** A book with every kind of row: plain, wrapped (tall), blank cells, totals, notes, sign-off, text needing escapes. */
  async function bytes(plainRows: 'xml' | 'exceljs', maxRows?: number) {
    const b = new PrintBook(2024, maxRows, plainRows);
    const s = new PrintableSheet(b, {
      name: '考核结果',
      title: '2024年度 考核结果',
      subtitle: '副标题',
      columns: [
        { header: '机构编码', kind: 'code' },
        { header: '机构名称', kind: 'text' },
        { header: '得分', kind: 'score' },
        { header: '拨付金额（元）', kind: 'money' },
        { header: '说明', kind: 'text', wrap: true },
      ],
    });
    for (let i = 0; i < 300; i++) {
      // Rows over several pieces of XML, and one longer than a piece (a note of 100,000 characters).
      const note = i === 200 ? '长'.repeat(100_000) : i % 19 === 0 ? '𠀀𪚥 é \uD800 孤立代理 \uDC00' : i % 7 === 0 ? '很长的说明文字，'.repeat(12) : i % 11 === 0 ? '<&"\'>\u0001控制字符' : i % 17 === 0 ? '含\u0000的文字' : i % 5 === 0 ? null : '';
      s.add([`H${String(i).padStart(11, '0')}`, i % 13 === 0 ? '=SUM(A1)' : `机构${i}（南院）`, i % 9 === 0 ? null : 60 + (i % 40) / 4, i * 1234.56 - 5000, note]);
      if (i % 50 === 49) s.total(['', '小计', null, i * 10, null]);
    }
    s.note('依据：第十五条');
    s.sign('经办人：');
    const plain = new PrintableSheet(b, { name: '明细', title: '明细', plain: true, columns: [{ header: '编码', kind: 'text' }, { header: '分', kind: 'int' }] });
    for (let i = 0; i < 50; i++) plain.add([`X${i}`, i]);
    return (await b.file('x.xlsx')).content;
  }

  it('gives the same bytes as exceljs writing each row and cell itself', async () => {
    const [xml, exceljs] = await Promise.all([bytes('xml'), bytes('exceljs')]);
    expect(xml.length).toBeGreaterThan(10_000);
    expect(xml.equals(exceljs)).toBe(true);
  });

  it('and the same bytes on a detail sheet of 12,000 rows whose names, categories and indicators repeat in turn (one-byte é, a character outside the BMP)', async () => {
    const book = async (plainRows: 'xml' | 'exceljs') => {
      const b = new PrintBook(2024, undefined, plainRows);
      const s = new PrintableSheet(b, { name: '指标明细', title: '明细', plain: true, columns: [{ header: '名称', kind: 'text' }, { header: '指标', kind: 'text' }, { header: '分', kind: 'score' }] });
      for (let i = 0; i < 12_000; i++) s.add([`机构${i % 5_000}（é）`, ['医保基金', 'ab', '服务质量', '𠀀'][i % 4] ?? '', i / 4]);
      return (await b.file('x.xlsx')).content;
    };
    const [xml, exceljs] = await Promise.all([book('xml'), book('exceljs')]);
    expect(xml.equals(exceljs)).toBe(true);
  });

  it('and the same bytes when the sheet is split into parts', async () => {
    const [xml, exceljs] = await Promise.all([bytes('xml', 100), bytes('exceljs', 100)]);
    expect(xml.equals(exceljs)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xml as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['考核结果-1', '考核结果-2', '考核结果-3', '考核结果-4', '明细']);
  });
});

describe('rows from a row source (addRows), made again when written instead of kept', () => {
  const columns = [
    { header: '机构编码', kind: 'code' as const },
    { header: '机构名称', kind: 'text' as const },
    { header: '拨付金额（元）', kind: 'money' as const },
  ];
  const row = (i: number): Cell[] => [`H${String(i).padStart(11, '0')}`, i % 7 === 0 ? '很长的机构名称（第一分院）'.repeat(2) : `机构${i}`, i * 1234.56];

  /** The same sheet, rows added one by one or from a source; parts of `maxRows`. */
  async function bytes(how: 'add' | 'source', maxRows?: number) {
    const b = new PrintBook(2024, maxRows);
    const s = new PrintableSheet(b, { name: '拨付表', title: '拨付表', subtitle: '单位：元', columns });
    s.add(['', '前置行', null], { bold: true });
    if (how === 'add') {
      for (let i = 0; i < 120; i++) {
        s.add(row(i));
        if (i % 40 === 39) s.total(['', `第${(i + 1) / 40}组 小计`, i], FILLS.subtotal);
      }
    } else {
      s.addRows(function* () {
        for (let i = 0; i < 120; i++) {
          yield row(i);
          if (i % 40 === 39) yield { values: ['', `第${(i + 1) / 40}组 小计`, i], style: { bold: true, fill: FILLS.subtotal } };
        }
      });
    }
    s.note('依据：第十五条');
    expect(s.rowCount).toBe(1 + 120 + 3 + 1);
    return (await b.file('x.xlsx')).content;
  }

  it('gives the bytes of the same rows added one by one: widths measured, subtotals styled, order kept', async () => {
    const [added, sourced] = await Promise.all([bytes('add'), bytes('source')]);
    expect(sourced.length).toBeGreaterThan(5_000);
    expect(sourced.equals(added)).toBe(true);
  });

  it('and when the sheet is split into parts, a part boundary falling inside the source', async () => {
    const [added, sourced] = await Promise.all([bytes('add', 50), bytes('source', 50)]);
    expect(sourced.equals(added)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(sourced as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['拨付表-1', '拨付表-2', '拨付表-3']);
  });

  it('tells the book how far its measuring has come, against the rows the caller expects', () => {
    const b = new PrintBook(2024);
    const seen: [string, number, number][] = [];
    b.onMeasure = (sheet, done, total) => seen.push([sheet, done, total]);
    const s = new PrintableSheet(b, { name: '指标明细', title: '指标明细', columns });
    s.addRows(function* () {
      for (let i = 0; i < 45_000; i++) yield row(i);
    }, 45_000);
    expect(seen).toEqual([
      ['指标明细', 20_000, 45_000],
      ['指标明细', 40_000, 45_000],
    ]);
    expect(s.rowCount).toBe(45_000);
  });

  it('refuses a source that yields other rows the second time (the sheet would not match its measure)', async () => {
    for (const second of [3, 5]) {
      const b = new PrintBook(2024);
      const s = new PrintableSheet(b, { name: '明细', title: '明细', columns });
      let runs = 0;
      s.addRows(function* () {
        const n = runs++ === 0 ? 4 : second;
        for (let i = 0; i < n; i++) yield row(i);
      });
      await expect(b.file('x.xlsx')).rejects.toThrow(second < 4 ? /fewer rows/ : /more rows/);
    }
  });
});

describe('the zip container written as the workbook is made (XlsxZip)', () => {
  /** Two sheets, one split into parts, rows with CJK text and escapes. */
  function book(zip: 'lean' | 'rezip', deflate: 'here' | 'thread' = 'here') {
    const b = new PrintBook(2024, 40, 'xml', zip, deflate);
    const s = new PrintableSheet(b, { name: '指标明细', title: '2024年度 指标得分明细', columns: [{ header: '机构编码', kind: 'code' }, { header: '机构名称', kind: 'text' }, { header: '得分', kind: 'score' }] });
    s.addRows(function* () {
      for (let i = 0; i < 100; i++) yield [`H${String(i).padStart(11, '0')}`, i % 9 === 0 ? '<&"\'>医院' : `机构${i}（南院）`, 60 + i / 4];
    });
    s.note('依据：第十五条');
    const t = new PrintableSheet(b, { name: '汇总', title: '汇总', columns: [{ header: '项目', kind: 'text' }, { header: '金额（元）', kind: 'money' }] });
    t.total(['合计', 1234.5]);
    return b;
  }

  it('gives the bytes of archiver’s zip re-zipped with the fixed date, as before', async () => {
    const [lean, rezip] = await Promise.all([book('lean').file('x.xlsx'), book('rezip').file('x.xlsx')]);
    expect(lean.content.length).toBeGreaterThan(5_000);
    expect(lean.content.equals(rezip.content)).toBe(true);
  });

  it('gives the same bytes when the sheets are deflated on a worker thread (large workbooks)', async () => {
    // The thread is the build's compiled worker: were it missing, the book would deflate here and prove nothing.
    const thread = DeflateThread.start();
    expect(thread).not.toBeNull();
    await thread?.stop();
    // Rows enough for many pieces and many waits on the zip, as in a province's workbook.
    const large = (deflate: 'here' | 'thread') => {
      const b = new PrintBook(2024, SHEET_MAX_ROWS, 'xml', 'lean', deflate);
      const s = new PrintableSheet(b, { name: '指标明细', title: '指标得分明细', plain: true, columns: [{ header: '机构编码', kind: 'code' }, { header: '机构名称', kind: 'text' }, { header: '得分', kind: 'score' }] });
      s.addRows(function* () {
        for (let i = 0; i < 30_000; i++) yield [`H${String(i).padStart(11, '0')}`, `机构${i}（${'南院'.repeat(i % 7)}）`, (i % 1000) / 10];
      });
      return b;
    };
    const [onThread, here] = await Promise.all([large('thread').file('x.xlsx'), large('here').file('x.xlsx')]);
    expect(onThread.content.length).toBeGreaterThan(300_000);
    expect(onThread.content.equals(here.content)).toBe(true);
  });

  it('writes the same bytes to a file, which exceljs reads back whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assess-zip-'));
    try {
      const path = join(dir, 'x.xlsx');
      await book('lean').writeFile(path, 'x.xlsx');
      const bytes = readFileSync(path);
      expect(bytes.equals((await book('rezip').file('x.xlsx')).content)).toBe(true);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(bytes as unknown as ArrayBuffer);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['指标明细-1', '指标明细-2', '指标明细-3', '汇总']);
      expect(wb.getWorksheet('指标明细-3')?.getCell('A1').value).toBe('2024年度 指标得分明细（第 3 部分，共 3 部分）');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
