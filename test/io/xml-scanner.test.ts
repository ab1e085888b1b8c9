import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { SaxesParser } from 'saxes';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeInPieces } from '../helpers/pieces.js';
import { XmlScanner } from '../../src/io/xml-scanner.js';

type Event = ['open', string, Record<string, string>] | ['text', string] | ['close', string];

/** Events with adjacent text runs joined (either reader may cut a run in two). */
function normalised(events: Event[]): Event[] {
  const out: Event[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if (e[0] === 'text' && last?.[0] === 'text') last[1] += e[1];
    else out.push(e[0] === 'text' ? ['text', e[1]] : e);
  }
  // Text outside the root element (the prolog's line ends) is nothing to a reader of cells: left out.
  const first = out.findIndex((e) => e[0] === 'open');
  const last = out.map((e) => e[0]).lastIndexOf('close');
  return out.filter((e, i) => e[0] !== 'text' || (e[1] !== '' && i > first && i < last));
}

function bySaxes(xml: string): Event[] {
  const events: Event[] = [];
  const p = new SaxesParser();
  p.on('opentag', (t) => events.push(['open', t.name, { ...(t.attributes as Record<string, string>) }]));
  p.on('text', (t) => events.push(['text', t]));
  p.on('cdata', (t) => events.push(['text', t]));
  p.on('closetag', (t) => events.push(['close', t.name]));
  p.write(xml).close();
  return normalised(events);
}

function byScanner(xml: string, cuts: number[]): Event[] {
  const events: Event[] = [];
  const s = new XmlScanner({ open: (t) => events.push(['open', t.name, { ...t.attributes }]), text: (t) => events.push(['text', t]), close: (n) => events.push(['close', n]) });
  writeInPieces(s, xml, cuts);
  return normalised(events);
}

function sheetParts(root: string): string[] {
  return readdirSync(root).flatMap((f) => {
    const p = join(root, f);
    if (statSync(p).isDirectory()) return f === 'results' ? [] : sheetParts(p);
    return f.endsWith('.xlsx') ? [p] : [];
  });
}

const TRICKY = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!-- a comment with <tags> inside -->
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1" spans="1:3"><c r="A1" t="inlineStr"><is><t xml:space="preserve"> 南院 &amp; 北院 &lt;分院&gt; &#x4E2D;&#20013; </t></is></c><c r="B1" t="str"><f>"a&gt;b"</f><v>a&gt;b</v></c><c r="C1" s="2"/></row>
<row r="2"><c r="A2"><v>12.5</v></c><c r="B2" t="s"><v>0</v></c><c r='C2' t='b'><v>1</v></c></row>
<row r="3"><c r="A3" t="inlineStr"><is><t><![CDATA[<原样>]]></t></is></c><c r="B3" note="a>b" other='c"d>e'/></row>
<row r="4"><c r="A4" t="inlineStr"><is><t>换行\r\n与\r回车&#13;&#10;照旧</t></is></c><c r="B4" note="一\r\n二\t三\n四&#10;五"/></row>
</sheetData><hyperlinks><hyperlink ref="A1" display="a>b" location="'Sheet 2'!A1"/></hyperlinks></worksheet>`;

describe('the fast XML scanner', () => {
  it('gives saxes’ events on tricky worksheet XML, however it is cut into chunks', () => {
    const expected = bySaxes(TRICKY);
    expect(expected.length).toBeGreaterThan(40);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: TRICKY.length }), { maxLength: 12 }), (cuts) => {
        expect(byScanner(TRICKY, cuts)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('gives saxes’ events on every worksheet of the samples', async () => {
    const books = sheetParts('samples');
    expect(books.length).toBeGreaterThanOrEqual(10);
    for (const book of books) {
      const zip = await JSZip.loadAsync(readFileSync(book));
      for (const name of Object.keys(zip.files).filter((f) => /^xl\/worksheets\/[^/]+\.xml$/.test(f))) {
        const xml = (await zip.file(name)?.async('string')) ?? '';
        expect(byScanner(xml, [Math.floor(xml.length / 3), Math.floor(xml.length / 2) + 1])).toEqual(bySaxes(xml));
      }
    }
  });
});
