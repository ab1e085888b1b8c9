import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeInPieces } from '../helpers/pieces.js';
import { WorksheetRows, type XlsxRow } from '../../src/io/worksheet-rows.js';

const SHEET_START =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"/></sheetViews><cols><col min="1" max="3" width="12"/></cols><sheetData>';
const SHEET_END = '</sheetData><mergeCells count="1"><mergeCell ref="D2:E3"/></mergeCells><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';

/** Rows of every kind of cell a spreadsheet program writes, row `n` varying with n. */
function rowXml(n: number): string {
  const cells = [
    `<c r="A${n}" s="1" t="s"><v>${n % 3}</v></c>`,
    `<c r="B${n}"><v>${n}.25</v></c>`,
    `<c r="C${n}" s="2"><v>${45000 + n}</v></c>`, // a date style
    `<c r="D${n}" t="inlineStr"><is><t xml:space="preserve"> 南院 &amp; 北院 &lt;${n}&gt; </t></is></c>`,
    `<c r="E${n}" t="inlineStr"><is><r><rPr><b/><sz val="11"/></rPr><t>机构</t></r><r><t>名称</t></r><rPh sb="0" eb="1"><t>めい</t></rPh><phoneticPr fontId="1"/></is></c>`,
    `<c r="F${n}" t="str"><f>"a&gt;b"&amp;${n}</f><v>a&gt;b${n}</v></c>`,
    `<c r="G${n}"><f t="shared" si="0"/><v>${n * 2}</v></c>`,
    `<c r="H${n}"><f>SUM(A1:A2)</f></c>`,
    `<c r="I${n}" t="e"><v>#N/A</v></c>`,
    `<c r="J${n}" t="b"><v>${n % 2}</v></c>`,
    `<c r="K${n}" s="1"/>`,
    `<c t="str"><v>换行\r\n与&#13;回车</v></c>`, // no address: the column after the last
    `<c r="Z${n}" t='s'><v/></c>`,
    `<c r='AA${n}' s='1' t='n'><v>-3</v></c>`,
  ];
  return n % 5 === 0 ? `<row>${cells.join('\n  ')}</row>\n` : `<row r="${n}" spans="1:27" x14ac:dyDescent="0.25">${cells.join('')}</row>`;
}

const context = { strings: ['甲', '乙 & 丙', ''], dateStyles: [false, false, true], date1904: false, merges: [{ top: 2, left: 4, bottom: 3, right: 5 }] };

function rowsOf(xml: string, cuts: number[]): XlsxRow[] {
  const rows: XlsxRow[] = [];
  const reader = new WorksheetRows(context, (row) => {
    rows.push({ rowNumber: row.rowNumber, cells: [...row.cells] });
    return true;
  });
  writeInPieces(reader, xml, cuts);
  return rows;
}

/** The same sheet read by the general reader alone: the fast one looks for `<sheetData>` exactly, and never finds it here. */
const byGeneralReader = (xml: string) => rowsOf(xml.replace('<sheetData>', '<sheetData >'), []);

describe('the worksheet rows reader', () => {
  const body = Array.from({ length: 60 }, (_, i) => rowXml(i + 2)).join('');
  const plain = SHEET_START + body + '<row r="70"/>' + SHEET_END;

  it('reads rows fast as the general reader reads them, however the text is cut into pieces', () => {
    const expected = byGeneralReader(plain);
    expect(expected).toHaveLength(61);
    expect(expected[2]?.cells.slice(0, 12)).toEqual(['乙 & 丙', 4.25, new Date(Date.UTC(2023, 2, 19)), ' 南院 & 北院 <4> ', '机构名称', 'a>b4', 8, { unreadable: expect.stringContaining('=SUM(A1:A2)') }, { unreadable: '单元格是错误值 #N/A' }, false, null, '换行\n与\r回车']);
    expect(expected[2]?.cells[25]).toBe(''); // a shared string without its index
    expect(expected[2]?.cells[26]).toBe(-3);
    expect(expected[1]?.cells[4]).toBe(expected[0]?.cells[3]); // D2:E3 merged: every cell gives D2's value
    expect(expected[3]?.rowNumber).toBe(5); // a row without an address: the one after the last
    expect(rowsOf(plain, [])).toEqual(expected);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: plain.length }), { maxLength: 12 }), (cuts) => {
        expect(rowsOf(plain, cuts)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('hands the rest of the sheet to the general reader at a row it does not know (a comment, CDATA), losing no row', () => {
    const rows = Array.from({ length: 60 }, (_, i) => rowXml(i + 2));
    rows[20] = (rows[20] as string).replace('<v>', '<v><!-- 批注 -->');
    rows[40] = (rows[40] as string).replace(/<v>([^<]*)<\/v>/, '<v><![CDATA[$1]]></v>');
    const odd = SHEET_START + rows.join('') + SHEET_END;
    const expected = byGeneralReader(odd);
    expect(expected).toEqual(byGeneralReader(plain).slice(0, 60));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: odd.length }), { maxLength: 12 }), (cuts) => {
        expect(rowsOf(odd, cuts)).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('gives no row once told to stop', () => {
    let given = 0;
    const reader = new WorksheetRows(context, () => ++given < 3);
    reader.write(plain);
    reader.close();
    expect(given).toBe(3);
    expect(reader.stopped).toBe(true);
  });
});
