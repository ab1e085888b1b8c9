// A fast scanner for the worksheet and shared-strings XML of an xlsx: the same open-tag,
// text and close-tag events saxes gives for well-formed XML, found with indexOf instead of
// a character-by-character state machine (a 1.1-million-row roster is about 500 MB of XML;
// saxes reads some 36 MB a second). It does not validate: the parts it reads were written
// by a spreadsheet program; declarations, comments and processing instructions are
// skipped, CDATA is text, line ends and attribute values are normalised and entities
// decoded as saxes does. A test checks it event for event against saxes.

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

/** Line ends as an XML parser gives them: \r\n and a lone \r are \n (a &#13; written in the text stays). */
export const lineEnds = (text: string): string => (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);

/**
 * The '>' that ends the tag opened before `from` (one inside a quoted attribute value does
 * not); -1 when not in `s` yet. Read character by character: a tag is short, and searching
 * the whole rest of the chunk for a quote the tag does not have cost more than the scan.
 */
export function tagEnd(s: string, from: number): number {
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

/**
 * Visits the attributes of a tag in `s[from, stop)` (name="value" or name='value', spaces
 * around the '=' allowed), as a regular expression would find them — without one: a
 * worksheet has some fifty tags a row. `visit` is told where the name and the raw value
 * are; it returns true to stop.
 */
export function visitAttributes(s: string, from: number, stop: number, visit: (nameStart: number, nameEnd: number, valueStart: number, valueEnd: number) => boolean | void): void {
  let i = from;
  while (i < stop) {
    let c = s.charCodeAt(i);
    if (c <= 0x20 || c === 0x3d /* = */ || c === 0x2f /* / */) {
      i++;
      continue;
    }
    const nameStart = i;
    while (i < stop && (c = s.charCodeAt(i)) > 0x20 && c !== 0x3d && c !== 0x2f && c !== 0x3e /* > */) i++;
    const nameEnd = i;
    while (i < stop && s.charCodeAt(i) <= 0x20) i++;
    if (s.charCodeAt(i) !== 0x3d) continue; // a name without a value: not an attribute
    i++;
    while (i < stop && s.charCodeAt(i) <= 0x20) i++;
    const quote = s.charCodeAt(i);
    if (quote !== 0x22 /* " */ && quote !== 0x27 /* ' */) continue;
    const close = s.indexOf(quote === 0x22 ? '"' : "'", i + 1);
    if (close < 0 || close >= stop) return;
    if (visit(nameStart, nameEnd, i + 1, close) === true) return;
    i = close + 1;
  }
}

/** An attribute's value as an XML parser gives it: a line end or tab written in it is a space (one written as &#10; stays), entities decoded. */
export function attributeText(s: string, start: number, end: number): string {
  let breaks = false;
  for (let k = start; k < end && !breaks; k++) breaks = s.charCodeAt(k) < 0x20;
  const raw = s.slice(start, end);
  return decodeEntities(breaks ? raw.replace(/\r\n|[\t\n\r]/g, ' ') : raw);
}

/** Reads the attributes of a tag from `s[from, stop)` into `into`. */
function readAttributes(s: string, from: number, stop: number, into: Record<string, string>): void {
  visitAttributes(s, from, stop, (nameStart, nameEnd, valueStart, valueEnd) => {
    into[s.slice(nameStart, nameEnd)] = attributeText(s, valueStart, valueEnd);
  });
}

/** The value of the attribute `name` of the tag in `s[from, stop)`, as `readAttributes` reads it (the last one, if written twice); undefined without it. */
export function attributeValue(s: string, from: number, stop: number, name: string): string | undefined {
  let found: string | undefined;
  visitAttributes(s, from, stop, (nameStart, nameEnd, valueStart, valueEnd) => {
    if (nameEnd - nameStart === name.length && s.startsWith(name, nameStart)) found = attributeText(s, valueStart, valueEnd);
  });
  return found;
}

/** The text between two tags as an XML parser gives it: line ends normalised, entities decoded. */
export const xmlText = (raw: string): string => decodeEntities(lineEnds(raw));

/** Where `closing` (`</v>`) starts, when only text comes between `from` and it; -1 when a tag, comment or CDATA does, or it is not in `s`. */
export function textEnd(s: string, from: number, closing: string): number {
  const lt = s.indexOf('<', from);
  return lt >= 0 && s.startsWith(closing, lt) ? lt : -1;
}

/** The text of `s[from, to)` as `xmlText` gives it ('' when empty). */
export const textOf = (s: string, from: number, to: number): string => (to > from ? xmlText(s.slice(from, to)) : '');

/**
 * A text cut from the XML that holds only itself. V8 makes a substring of 13 characters or
 * more as a view into the string it was cut from, so a value kept from a piece of the XML
 * (a roster name) kept the whole 64 KB piece alive: 143 MB of XML at 1.1 million
 * institutions. Concatenating makes a new string, which the slice then views alone.
 */
export function ownCopy(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

export class XmlScanner {
  /** Text not yet scanned: a tag, comment or text run cut by the end of a chunk. */
  private rest = '';
  /** Open elements: text outside the root element is not reported (as saxes). */
  private depth = 0;

  constructor(private readonly on: ScanHandlers) {}

  write(chunk: string): this {
    const s = this.rest === '' ? chunk : this.rest + chunk;
    let at = 0;
    const { open, text, close } = this.on;
    for (;;) {
      const lt = s.indexOf('<', at);
      if (lt < 0) {
        // Text up to the end may continue in the next chunk (an entity cut in two): kept.
        this.rest = s.slice(at);
        return this;
      }
      if (lt > at && text && this.depth > 0) text(xmlText(s.slice(at, lt)));
      at = lt; // the text is told; a tag cut by the chunk's end is kept from here
      const c = s.charCodeAt(lt + 1);
      if (c === 0x2f /* / */) {
        // A closing tag has no attributes: its '>' is the next one.
        const gt = s.indexOf('>', lt + 2);
        if (gt < 0) break;
        this.depth--;
        close?.(s.slice(lt + 2, gt).trim());
        at = gt + 1;
        continue;
      }
      if (c === 0x21 /* ! */) {
        if (s.startsWith('<!--', lt)) {
          const end = s.indexOf('-->', lt + 4);
          if (end < 0) break;
          at = end + 3;
          continue;
        }
        if (s.startsWith('<![CDATA[', lt)) {
          const end = s.indexOf(']]>', lt + 9);
          if (end < 0) break;
          if (text && this.depth > 0) text(lineEnds(s.slice(lt + 9, end)));
          at = end + 3;
          continue;
        }
        if (lt + 9 > s.length) break; // '<!' and too little to tell a comment or CDATA from a declaration
      }
      const gt = tagEnd(s, lt + 1);
      if (gt < 0) break;
      if (c === 0x3f /* ? */ || c === 0x21) {
        at = gt + 1;
        continue;
      }
      const selfClosing = s.charCodeAt(gt - 1) === 0x2f;
      const stop = selfClosing ? gt - 1 : gt;
      let space = lt + 1;
      while (space < stop && s.charCodeAt(space) > 0x20) space++;
      const name = s.slice(lt + 1, space);
      const attributes: Record<string, string> = {};
      if (space < stop) readAttributes(s, space, stop, attributes);
      open?.({ name, attributes });
      if (selfClosing) close?.(name);
      else this.depth++;
      at = gt + 1;
    }
    this.rest = s.slice(at);
    return this;
  }

  close(): void {
    if (this.rest !== '' && this.on.text && this.depth > 0 && !this.rest.includes('<')) this.on.text(xmlText(this.rest));
    this.rest = '';
  }
}
