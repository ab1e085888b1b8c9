// How wide text shows and how many printed lines it takes in a column: pure, shared by the
// sheets (workbook-style.ts) and the thread that makes a detail sheet's rows (deflate-worker.ts).
import type { Cell } from './workbook-style.js';

/** Points per printed line of 11-point text (CJK fonts set lines a little taller than Latin ones). */
export const LINE_HEIGHT = 15;

/** Display width of text: CJK and full-width characters (from U+2E80) count two, a character outside the BMP too. */
export function displayWidth(text: string): number {
  // By UTF-16 unit (a detail sheet measures tens of millions of texts): a surrogate pair is one character.
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x2e7f) {
      w += 1;
      continue;
    }
    w += 2;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
  }
  return w;
}

/** Printed lines of text of display width `w` in a column of width `width` (about a character of padding). */
export function linesFor(w: number, width: number): number {
  // A little more than a character of padding: CJK glyphs set a shade wider than two Latin
  // ones in LibreOffice and WPS, and a last line cut off is worse than a spare one.
  return Math.max(1, Math.ceil((w * 1.05) / Math.max(width - 1.5, 1)));
}

/** The printed lines of a row: the most any of its `wrapping` columns' texts takes at the columns' `widths`. */
export function wrappedLines(values: readonly Cell[], wrapping: readonly number[], widths: readonly number[]): number {
  let lines = 1;
  for (const i of wrapping) {
    const v = values[i];
    if (typeof v === 'string') lines = Math.max(lines, linesFor(displayWidth(v), widths[i] ?? 6));
  }
  return lines;
}

/** The height in points of a data row of `lines` printed lines (undefined: one line, the sheet's default). */
export const rowHeight = (lines: number): number | undefined => (lines > 1 ? LINE_HEIGHT * lines + 2 : undefined);
