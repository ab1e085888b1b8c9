import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeInPieces } from '../helpers/pieces.js';
import { SharedStringsReader } from '../../src/io/shared-strings.js';

const ITEMS = [
  '<si><t>天津市第一医院</t></si>',
  '<si><t xml:space="preserve"> 南院 &amp; 北院 &lt;分院&gt; &#x4E2D; </t></si>',
  '<si><t/></si>',
  '<si><t></t></si>',
  '<si><r><rPr><b/><sz val="11"/></rPr><t>机构</t></r><r><t>名称</t></r><rPh sb="0" eb="1"><t>めい</t></rPh><phoneticPr fontId="1"/></si>',
  '<si><t>换行\r\n与_x000D_回车</t><rPh sb="0" eb="1"><t>かい</t></rPh></si>',
  '<si><t>H12010100001</t></si>',
];
const EXPECTED = ['天津市第一医院', ' 南院 & 北院 <分院> 中 ', '', '', '机构名称', '换行\n与\r回车', 'H12010100001'];

const part = (items: string[]) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${items.length}" uniqueCount="${items.length}">${items.join('')}</sst>`;

function stringsOf(xml: string, cuts: number[]): string[] {
  const reader = new SharedStringsReader();
  writeInPieces(reader, xml, cuts);
  return reader.strings;
}

describe('the shared strings reader', () => {
  const items = Array.from({ length: 10 }, () => ITEMS).flat();
  const expected = Array.from({ length: 10 }, () => EXPECTED).flat();

  it('reads plain strings fast and the others by the general reader, as the general reader alone reads them, however the text is cut', () => {
    const xml = part(items);
    // The general reader alone: the fast one looks for `<si>` exactly, and never finds it here.
    expect(stringsOf(xml.replaceAll('<si>', '<si >'), [])).toEqual(expected);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: xml.length }), { maxLength: 12 }), (cuts) => {
        expect(stringsOf(xml, cuts)).toEqual(expected);
      }),
      { numRuns: 80 },
    );
  });

  it('reads on with the general reader after a comment or CDATA, losing no string', () => {
    const odd = [...items];
    odd[20] = '<si><t>天津<!-- 批注 -->医院</t></si>';
    odd[40] = '<si><t><![CDATA[<原样>]]></t></si>';
    const wanted = [...expected];
    wanted[20] = '天津医院';
    wanted[40] = '<原样>';
    const xml = part(odd);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: xml.length }), { maxLength: 12 }), (cuts) => {
        expect(stringsOf(xml, cuts)).toEqual(wanted);
      }),
      { numRuns: 80 },
    );
  });
});
