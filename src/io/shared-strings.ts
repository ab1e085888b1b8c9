// The shared strings part of an xlsx, as it is read in pieces: each string's text (rich text
// runs joined, phonetic runs left out). As for the worksheet's rows (worksheet-rows.ts), a
// fast reader takes the strings a spreadsheet program writes plainly — <si><t>text</t></si>
// — straight from the text, and hands any other string (runs, phonetic runs) to the general
// reader, whole; at a comment or CDATA the general reader takes over to the end. A national
// roster has some three million strings.
import { FastThenGeneral } from './fast-then-general.js';
import { ownCopy, tagEnd, textEnd, textOf, XmlScanner } from './xml-scanner.js';

/** `_x000D_` and the like in a string part: the character (as exceljs' TextXform). */
export const unescapeOoxml = (text: string) => (!text.includes('_x') ? text : text.replace(/_x([0-9A-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))));

export class SharedStringsReader extends FastThenGeneral {
  readonly strings: string[] = [];
  private current: string[] = [];
  private inT = false;
  private inPhonetic = 0;
  private t = '';
  protected readonly general = new XmlScanner({
    open: (tag) => {
      if (tag.name === 'si') this.current = [];
      else if (tag.name === 'rPh') this.inPhonetic++;
      else if (tag.name === 't' && this.inPhonetic === 0) {
        this.inT = true;
        this.t = '';
      }
    },
    text: (text) => {
      if (this.inT) this.t += text;
    },
    close: (name) => {
      if (name === 't' && this.inT) {
        this.current.push(unescapeOoxml(this.t));
        this.inT = false;
      } else if (name === 'rPh') this.inPhonetic--;
      else if (name === 'si') this.strings.push(ownCopy(this.current.join('')));
    },
  });
  constructor() {
    super('</si>');
  }

  protected fastStart(s: string): number {
    return s.indexOf('<si>');
  }

  protected readUnits(s: string, end: number): number {
    let at = 0;
    while (at < end) {
      const lt = s.indexOf('<', at);
      if (lt < 0 || lt >= end) break;
      if (!s.startsWith('<si>', lt)) return lt;
      const close = s.indexOf('</si>', lt + 4);
      const next = this.fastString(s, lt + 4, close);
      if (next >= 0) {
        at = next;
        continue;
      }
      // Runs, phonetic runs: this string by the general reader (a comment or CDATA: the rest).
      const item = s.slice(lt, close + 5);
      if (item.includes('<!')) return lt;
      this.general.write(item);
      at = close + 5;
    }
    return end;
  }

  /** Reads `<t>text</t>` from `from` up to the string's end at `close`; returns the position after `</si>`, or -1 when the string is not that. */
  private fastString(s: string, from: number, close: number): number {
    if (!s.startsWith('<t', from)) return -1;
    const c = s.charCodeAt(from + 2);
    if (!(c <= 0x20 || c === 0x3e /* > */ || c === 0x2f) /* / */) return -1;
    const gt = tagEnd(s, from + 2);
    if (gt < 0 || gt > close) return -1;
    if (s.charCodeAt(gt - 1) === 0x2f) {
      if (gt + 1 !== close) return -1;
      this.strings.push('');
      return close + 5;
    }
    const lt = textEnd(s, gt + 1, '</t>');
    if (lt < 0 || lt + 4 !== close) return -1;
    this.strings.push(ownCopy(unescapeOoxml(textOf(s, gt + 1, lt))));
    return close + 5;
  }
}
