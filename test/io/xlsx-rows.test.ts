import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { RawCell } from '../../src/io/values.js';
import { openXlsx, readXlsxSheet, unreadableReasons } from '../../src/io/xlsx-rows.js';

const dir = mkdtempSync(join(tmpdir(), 'assess-xlsx-rows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A cell as the reader before the streaming one took it from exceljs: a formula gives its
 * cached result; one without a result, or an error value, is unreadable, never blank.
 */
function plainCellValue(value: ExcelJS.CellValue): RawCell | { unreadable: string } {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('formula' in value || 'sharedFormula' in value) {
      const result = 'result' in value ? value.result : undefined;
      if (result === undefined || result === null) return { unreadable: unreadableReasons.formulaWithoutResult('formula' in value ? (value.formula ?? '') : '') };
      if (typeof result === 'object' && 'error' in result) return { unreadable: unreadableReasons.formulaError(String(result.error)) };
      return plainCellValue(result as ExcelJS.CellValue);
    }
    if ('error' in value) return { unreadable: unreadableReasons.errorValue(String(value.error)) };
    if ('text' in value && typeof value.text === 'string') return value.text;
  }
  return String(value);
}

/** Every row of every sheet as exceljs reads it (the reader used before): cells as the parsers take them. */
async function byExceljs(path: string) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  return wb.worksheets.map((ws) => {
    const rows: { rowNumber: number; cells: unknown[] }[] = [];
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells = Array.from({ length: row.cellCount }, (_, c) => plainCellValue(row.getCell(c + 1).value));
      // Rows with no cell at all are not in the sheet's XML: the streaming reader never sees them (and they carry nothing).
      if (cells.length > 0) rows.push({ rowNumber: r, cells });
    }
    return { name: ws.name, rows };
  });
}

async function byStream(path: string) {
  const book = await openXlsx(path);
  const out: { name: string; rows: { rowNumber: number; cells: unknown[] }[] }[] = [];
  for (const sheet of book.sheets) {
    const rows: { rowNumber: number; cells: unknown[] }[] = [];
    await readXlsxSheet(book, sheet, (row) => {
      rows.push({ rowNumber: row.rowNumber, cells: [...row.cells] });
      return true;
    });
    out.push({ name: sheet.name, rows });
  }
  return out;
}

/** Trailing blank cells are nothing to either reader's caller. */
const trimmed = (books: Awaited<ReturnType<typeof byStream>>) =>
  books.map((b) => ({
    name: b.name,
    rows: b.rows.map((r) => {
      const cells = [...r.cells];
      while (cells.length > 0 && (cells[cells.length - 1] === null || cells[cells.length - 1] === '')) cells.pop();
      return { rowNumber: r.rowNumber, cells };
    }),
  }));

function xlsxFiles(root: string): string[] {
  return readdirSync(root).flatMap((f) => {
    const p = join(root, f);
    if (statSync(p).isDirectory()) return f === 'results' || f === 'node_modules' ? [] : xlsxFiles(p);
    return f.endsWith('.xlsx') ? [p] : [];
  });
}

describe('the streaming xlsx reader', () => {
  const samples = xlsxFiles('samples');
  it('finds the samples’ workbooks', () => expect(samples.length).toBeGreaterThanOrEqual(10));

  it('tells its progress in bytes of the sheet read, rising to the sheet’s whole size (the roster’s bar)', async () => {
    const path = join('samples', 'tianjin', 'inputs', '2024', '机构名册.xlsx');
    const book = await openXlsx(path);
    const sheet = book.sheets[0]!;
    const xml = await (await JSZip.loadAsync(readFileSync(path))).file(sheet.path)!.async('nodebuffer');
    const told: [number, number][] = [];
    await readXlsxSheet(book, sheet, () => true, (done, total) => told.push([done, total]));
    book.zip.close();
    expect(told.length).toBeGreaterThan(0);
    expect(told.every(([, total]) => total === xml.length)).toBe(true);
    expect(told.every(([done], i) => i === 0 || done > told[i - 1]![0])).toBe(true);
    expect(told.at(-1)?.[0]).toBe(xml.length);
  });

  it('stops reading a long sheet when told to, and the workbook reads again afterwards (a file with too many problems)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('机构名册');
    for (let r = 1; r <= 20_000; r++) ws.addRow([`H${String(r).padStart(11, '0')}`, `天津市第${r}医院`, r]);
    const path = join(dir, 'long.xlsx');
    await wb.xlsx.writeFile(path);
    const book = await openXlsx(path);
    let told = 0;
    await readXlsxSheet(book, book.sheets[0]!, () => ++told < 10);
    // Rows of the piece being scanned may still be told; the rest of the sheet is not read.
    expect(told).toBeGreaterThanOrEqual(10);
    expect(told).toBeLessThan(5_000);
    let all = 0;
    await readXlsxSheet(book, book.sheets[0]!, () => ++all > 0);
    book.zip.close();
    expect(all).toBe(20_000);
  });

  it.each(samples)('reads %s as exceljs does, row by row and cell by cell', async (path) => {
    expect(trimmed(await byStream(path))).toEqual(trimmed(await byExceljs(path)));
  });

  it('gives what exceljs gives for merged, formula, error, date, rich-text, boolean and Chinese cells, in a 1904 workbook too', async () => {
    for (const date1904 of [false, true]) {
      const wb = new ExcelJS.Workbook();
      wb.properties.date1904 = date1904;
      const ws = wb.addWorksheet('违规记录');
      ws.addRow(['2024年度违规记录（标题，合并单元格）']);
      ws.mergeCells('A1:F1');
      ws.addRow(['机构编码', '发生日期', '扣分', '备注', '有效', '追回金额']);
      ws.addRow(['H12010100001', new Date(Date.UTC(2024, 2, 15)), 5, { richText: [{ text: '重复' }, { text: '收费', font: { bold: true } }] }, true, { formula: 'B3*2', result: 1200.5 }]);
      ws.addRow(['H12010100002', new Date(Date.UTC(2024, 11, 31)), { formula: '1/0', result: { error: '#DIV/0!' } }, '换行\r\n与 & < > 符号 _x000D_', false, { formula: 'SUM(F3:F3)' }]);
      ws.addRow(['H12010100003', '2024-05-06', { error: '#N/A' }, '（南院）'.repeat(3000), null, 0]);
      ws.mergeCells('D5:D6');
      ws.addRow(['H12010100004', 45000, 1.5, null, null, -3]);
      ws.getColumn(2).numFmt = 'yyyy-mm-dd';
      ws.getCell('B6').numFmt = '0.00';
      wb.addWorksheet('空表');
      const path = join(dir, `tricky-${date1904}.xlsx`);
      await wb.xlsx.writeFile(path);
      const stream = await byStream(path);
      expect(trimmed(stream)).toEqual(trimmed(await byExceljs(path)));
      expect(stream[0]?.rows[2]?.cells[1]).toEqual(new Date(Date.UTC(2024, 2, 15)));
      expect(stream[0]?.rows[3]?.cells[5]).toMatchObject({ unreadable: expect.stringContaining('没有计算结果') });
      expect(stream[0]?.rows[5]?.cells[3]).toBe('（南院）'.repeat(3000)); // the merged cell's value below it
    }
  });

  it('reads inline strings and cells without addresses, as a program writing the XML itself may', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('机构名册').addRow(['x']);
    const path = join(dir, 'inline.xlsx');
    await wb.xlsx.writeFile(path);
    const zip = await JSZip.loadAsync(await (await import('node:fs/promises')).readFile(path));
    const sheetPath = Object.keys(zip.files).find((f) => /worksheets\/sheet1\.xml$/.test(f)) ?? '';
    const xml = (await zip.file(sheetPath)?.async('string')) ?? '';
    const rows = '<row r="1"><c t="inlineStr"><is><t>机构编码</t></is></c><c t="inlineStr"><is><r><t>机构</t></r><r><t>名称</t></r><rPh><t>めい</t></rPh></is></c></row><row r="3"><c r="B3" t="inlineStr"><is><t xml:space="preserve"> 天津市第一医院 </t></is></c><c><v>7</v></c></row>';
    zip.file(sheetPath, xml.replace(/<sheetData>.*<\/sheetData>|<sheetData\/>/s, `<sheetData>${rows}</sheetData>`));
    await writeFile(path, await zip.generateAsync({ type: 'nodebuffer' }));
    const stream = await byStream(path);
    expect(stream[0]?.rows).toEqual([
      { rowNumber: 1, cells: ['机构编码', '机构名称'] },
      { rowNumber: 3, cells: [null, ' 天津市第一医院 ', 7] },
    ]);
  });
});
