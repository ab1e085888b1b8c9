// The shared strings part of an xlsx, as it is read in pieces: each string's text (rich text
// runs joined, phonetic runs left out). As for the worksheet's rows (worksheet-rows.ts), a
// fast reader takes the strings a spreadsheet program writes plainly — <si><t>text</t></si>
// — straight from the text, and hands any other string (runs, phonetic runs) to the general
// reader, whole; at a comment or CDATA the general reader takes over to the end. A national
// roster has some three million strings.
import { ownCopy, tagEnd, XmlScanner, xmlText } from './xml-scanner.js';

/** `_x000D_` and the like in a string part: the character (as exceljs' TextXform). */
export const unescapeOoxml = (text: string) => (!text.includes('_x') ? text : text.replace(/_x([0-9A-F]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))));

export class SharedStringsReader {
  readonly strings: string[] = [];
  private current: string[] = [];
  private inT = false;
  private inPhonetic = 0;
  private t = '';
  private readonly general = new XmlScanner({
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
  /** Looking for the first string; reading strings fast; or the general reader from here on. */
  private mode: 'start' | 'strings' | 'general' = 'start';
  private pending = '';

  write(piece: string): this {
    if (this.mode === 'general') {
      this.general.write(piece);
      return this;
    }
    let s = this.pending === '' ? piece : this.pending + piece;
    this.pending = '';
    if (this.mode === 'start') {
      const first = s.indexOf('<si>');
      if (first < 0) {
        if (s.length > 1 << 20) this.toGeneral(s);
        else this.pending = s;
        return this;
      }
      this.general.write(s.slice(0, first)); // the declaration and <sst …>
      s = s.slice(first);
      this.mode = 'strings';
    }
    const last = s.lastIndexOf('</si>');
    const end = last < 0 ? 0 : last + 5;
    let at = 0;
    while (at < end) {
      const lt = s.indexOf('<', at);
      if (lt < 0 || lt >= end) break;
      if (!s.startsWith('<si>', lt)) return this.toGeneral(s.slice(lt));
      const close = s.indexOf('</si>', lt + 4);
      const next = this.fastString(s, lt + 4, close);
      if (next >= 0) {
        at = next;
        continue;
      }
      // Runs, phonetic runs: this string by the general reader (a comment or CDATA: the rest).
      const item = s.slice(lt, close + 5);
      if (item.includes('<!')) return this.toGeneral(s.slice(lt));
      this.general.write(item);
      at = close + 5;
    }
    this.pending = s.slice(end);
    return this;
  }

  close(): void {
    if (this.mode !== 'general') this.toGeneral(this.pending);
    this.pending = '';
    this.general.close();
  }

  private toGeneral(s: string): this {
    this.mode = 'general';
    this.pending = '';
    this.general.write(s);
    return this;
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
    const lt = s.indexOf('<', gt + 1);
    if (lt < 0 || lt + 4 !== close || !s.startsWith('</t>', lt)) return -1;
    this.strings.push(lt > gt + 1 ? ownCopy(unescapeOoxml(xmlText(s.slice(gt + 1, lt)))) : '');
    return close + 5;
  }
}
