// A fast scanner for the worksheet XML of an xlsx: the same open-tag, text and close-tag
// events saxes gives for well-formed XML, found with indexOf instead of a character-by-
// character state machine (a 1.1-million-row roster is about 750 MB of XML; saxes reads
// some 36 MB a second). It does not validate: the parts it reads were written by a
// spreadsheet program; declarations, comments and processing instructions are skipped,
// CDATA is text, entities are decoded. A test checks it event for event against saxes.

export interface ScannedTag {
  name: string;
  attributes: Record<string, string>;
}

export interface ScanHandlers {
  open?: (tag: ScannedTag) => void;
  text?: (text: string) => void;
  close?: (name: string) => void;
}

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes &lt; &gt; &amp; &quot; &apos; &#NN; &#xNN; (an unknown entity is left as written). */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return Number.isFinite(code) ? String.fromCodePoint(code) : whole;
    }
    return NAMED[body] ?? whole;
  });
}

/**
 * The '>' that ends the tag opened before `from` (one inside a quoted attribute value does
 * not); -1 when not in `s` yet. Read character by character: a tag is short, and searching
 * the whole rest of the chunk for a quote the tag does not have cost more than the scan.
 */
function tagEnd(s: string, from: number): number {
  const end = s.length;
  for (let at = from; at < end; at++) {
    const c = s.charCodeAt(at);
    if (c === 0x3e /* > */) return at;
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      const close = s.indexOf(c === 0x22 ? '"' : "'", at + 1);
      if (close < 0) return -1;
      at = close;
    }
  }
  return -1;
}

const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

export class XmlScanner {
  /** Text not yet scanned: a tag, comment or text run cut by the end of a chunk. */
  private rest = '';
  /** Open elements: text outside the root element is not reported (as saxes). */
  private depth = 0;

  constructor(private readonly on: ScanHandlers) {}

  write(chunk: string): this {
    const s = this.rest + chunk;
    let at = 0;
    const { open, text, close } = this.on;
    for (;;) {
      const lt = s.indexOf('<', at);
      if (lt < 0) {
        // Text up to the end may continue in the next chunk (an entity cut in two): kept.
        this.rest = s.slice(at);
        return this;
      }
      if (lt > at && text && this.depth > 0) text(decodeEntities(s.slice(at, lt)));
      at = lt; // the text is told; a tag cut by the chunk's end is kept from here
      if (s.startsWith('<!--', lt)) {
        const end = s.indexOf('-->', lt + 4);
        if (end < 0) break;
        at = end + 3;
        continue;
      }
      if (s.startsWith('<![CDATA[', lt)) {
        const end = s.indexOf(']]>', lt + 9);
        if (end < 0) break;
        if (text && this.depth > 0) text(s.slice(lt + 9, end));
        at = end + 3;
        continue;
      }
      const gt = tagEnd(s, lt + 1);
      if (gt < 0) break;
      const c = s.charCodeAt(lt + 1);
      if (c === 0x3f /* ? */ || c === 0x21 /* ! */) {
        at = gt + 1;
        continue;
      }
      if (c === 0x2f /* / */) {
        this.depth--;
        close?.(s.slice(lt + 2, gt).trim());
        at = gt + 1;
        continue;
      }
      const selfClosing = s.charCodeAt(gt - 1) === 0x2f;
      const inner = s.slice(lt + 1, selfClosing ? gt - 1 : gt);
      let space = 0;
      while (space < inner.length && inner.charCodeAt(space) > 0x20) space++;
      const name = inner.slice(0, space);
      const attributes: Record<string, string> = {};
      if (space < inner.length) {
        ATTRIBUTE.lastIndex = space;
        for (let m = ATTRIBUTE.exec(inner); m; m = ATTRIBUTE.exec(inner)) attributes[m[1] as string] = decodeEntities(m[2] ?? m[3] ?? '');
      }
      open?.({ name, attributes });
      if (selfClosing) close?.(name);
      else this.depth++;
      at = gt + 1;
    }
    this.rest = s.slice(at);
    return this;
  }

  close(): void {
    if (this.rest !== '' && this.on.text && this.depth > 0 && !this.rest.includes('<')) this.on.text(decodeEntities(this.rest));
    this.rest = '';
  }
}
