import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FieldSplitter, institutionKey, readRangeRows } from '../../src/io/csv-range.js';
import { readSettlementRange, type SettlementRangeTask } from '../../src/io/settlement-range.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const COMMA = 0x2c;

const dir = mkdtempSync(join(tmpdir(), 'csv-range-'));
let files = 0;
const fileOf = (bytes: Buffer) => {
  const path = join(dir, `${files++}.csv`);
  writeFileSync(path, bytes);
  return path;
};

type Reading = { rows: [number, string[]][]; refused: { line: number; reason: string } | null; lines: number };

/**
 * The reader as it was before a line's end and its fields were found in one pass (kept as
 * the reference): lines cut at LF, a CR before the LF dropped, then the line cut into fields.
 */
function linesThenFields(bytes: Buffer, wanted: number): Reading {
  const split = (from: number, to: number): { fields: string[]; count: number } | { reason: string } => {
    if (to > from && bytes[to - 1] === CR) to--;
    const fields: string[] = [];
    let field = 0;
    let blank = true;
    for (let i = from; i <= to; ) {
      let start = i;
      let end: number;
      if (i < to && bytes[i] === QUOTE) {
        const close = bytes.indexOf(QUOTE, i + 1);
        if (close < 0 || close >= to || (close + 1 < to && bytes[close + 1] !== COMMA)) return { reason: '引号用法复杂' };
        start = i + 1;
        end = close;
        i = close + 1;
      } else {
        while (i < to && bytes[i] !== COMMA) {
          if (bytes[i] === QUOTE || bytes[i] === CR) return { reason: '含引号或回车' };
          i++;
        }
        end = i;
      }
      for (let k = start; k < end && blank; k++) if (bytes[k] !== 0x20 && bytes[k] !== 0x09) blank = false;
      if (field <= wanted) fields.push(bytes.toString('latin1', start, end));
      field++;
      i++;
    }
    if (blank) return { fields: [], count: 0 };
    if (field <= wanted) return { reason: '列数不足' };
    return { fields, count: field };
  };
  const rows: [number, string[]][] = [];
  let lines = 0;
  let from = 0;
  while (from < bytes.length) {
    const lf = bytes.indexOf(LF, from);
    const to = lf < 0 ? bytes.length : lf;
    lines++;
    const cut = split(from, to);
    if ('reason' in cut) return { rows, refused: { line: lines, reason: cut.reason }, lines };
    if (cut.count > 0) rows.push([lines, cut.fields]);
    from = to + 1;
  }
  return { rows, refused: null, lines };
}

function onePass(bytes: Buffer, wanted: number, chunkBytes: number): Reading {
  const fields = new FieldSplitter(COMMA, wanted);
  const rows: [number, string[]][] = [];
  const read = readRangeRows({ path: fileOf(bytes), start: 0, end: bytes.length, encoding: 'utf-8', delimiter: COMMA, chunkBytes }, fields, (buf, line) => {
    rows.push([line, Array.from({ length: wanted + 1 }, (_, k) => buf.toString('latin1', fields.start(k), fields.end(k)))]);
    return null;
  });
  return { rows, refused: read.refused, lines: read.lines };
}

describe('reading a byte range of a CSV a line at a time', () => {
  it('finds the same lines, fields, blank lines and refusals in one pass as cutting lines first and fields after, whatever the chunks', () => {
    const text = fc.array(fc.constantFrom('a', '1', '.', ',', ',', '"', '"', '\r', '\n', '\n', '\r\n', ' ', '\t', '"1,2"'), { maxLength: 60 }).map((parts) => Buffer.from(parts.join(''), 'latin1'));
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 24 }), (bytes, wanted, chunkBytes) => {
        const reference = linesThenFields(bytes, wanted);
        const got = onePass(bytes, wanted, chunkBytes);
        expect(got.rows).toEqual(reference.rows);
        expect(got.refused).toEqual(reference.refused);
        if (!reference.refused) expect(got.lines).toBe(reference.lines);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the settlement rows of a byte range', () => {
  // Codes in the roster (ascending keys, roster index = position), months, amounts in fen.
  const roster = Array.from({ length: 6 }, (_, i) => (i < 3 ? `H120101000${String(i + 1).padStart(2, '0')}` : `P120103000${String(i - 2).padStart(2, '0')}`));
  const shared = <T extends Float64Array | Int32Array>(make: (b: SharedArrayBuffer) => T, bytes: number) => make(new SharedArrayBuffer(bytes));
  const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
  const thousands = (fen: number) => `"${Math.floor(fen / 100).toLocaleString('en')}.${String(fen % 100).padStart(2, '0')}"`;
  const row = fc.record({
    at: fc.integer({ min: 0, max: roster.length - 1 }),
    month: fc.integer({ min: 1, max: 12 }),
    fen: fc.integer({ min: 0, max: 99_999_999_999 }),
    reserved: fc.option(fc.integer({ min: 0, max: 9_999_999 }), { nil: null }),
    // How an export writes it: the plain form the fast reader takes, or another the general reader takes.
    monthForm: fc.constantFrom('2024-%02d', '2024-%02d', '2024/%02d', '2024.%d', '2024%02d', '2024年%d月'),
    amountForm: fc.constantFrom('plain', 'plain', 'whole yuan', 'one decimal', 'thousands'),
    end: fc.constantFrom('\n', '\r\n'),
  });
  const monthText = (form: string, m: number) => form.replace('%02d', String(m).padStart(2, '0')).replace('%d', String(m));
  const amountText = (form: string, fen: number) =>
    form === 'whole yuan' ? String(Math.floor(fen / 100)) : form === 'one decimal' ? `${Math.floor(fen / 100)}.${Math.floor((fen % 100) / 10)}` : form === 'thousands' ? thousands(fen) : yuan(fen);
  const amountFen = (form: string, fen: number) => (form === 'whole yuan' ? Math.floor(fen / 100) * 100 : form === 'one decimal' ? Math.floor(fen / 10) * 10 : fen);

  it('reads every form an export writes to the same figures and line, columns in order (the fast reader) or not (the general one), whatever the chunks', () => {
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => `${r.at}-${r.month}`, maxLength: 40 }), fc.integer({ min: 8, max: 200 }), fc.boolean(), (rows, chunkBytes, inOrder) => {
        const lines = rows.map((r) => {
          const cells = [roster[r.at] as string, monthText(r.monthForm, r.month), amountText(r.amountForm, r.fen), r.reserved === null ? '' : yuan(r.reserved)];
          return (inOrder ? cells : [cells[1], cells[0], cells[3], cells[2]]).join(',') + r.end;
        });
        const bytes = Buffer.from(lines.join(''), 'utf8');
        const cells = roster.length * 12;
        const keys = shared((b) => new Float64Array(b), roster.length * 8);
        const order = shared((b) => new Int32Array(b), roster.length * 4);
        roster.forEach((code, i) => {
          keys[i] = institutionKey(code);
          order[i] = i;
        });
        const task: SettlementRangeTask = {
          kind: 'settlements',
          path: fileOf(bytes),
          start: 0,
          end: bytes.length,
          encoding: 'utf-8',
          delimiter: COMMA,
          chunkBytes,
          year: 2024,
          columns: inOrder ? { code: 0, month: 1, settled: 2, reserved: 3 } : { code: 1, month: 0, settled: 3, reserved: 2 },
          keys: keys.buffer as SharedArrayBuffer,
          order: order.buffer as SharedArrayBuffer,
          worker: 0,
          workers: 1,
          settledFen: new SharedArrayBuffer(cells * 8),
          reservedFen: new SharedArrayBuffer(cells * 8),
          rows: new SharedArrayBuffer(cells * 4),
        };
        const done = readSettlementRange(task);
        expect(done).toEqual({ lines: rows.length, refused: null, rows: rows.length });
        const settled = new Float64Array(task.settledFen);
        const reserved = new Float64Array(task.reservedFen);
        const lineOf = new Int32Array(task.rows);
        const expected = { settled: new Float64Array(cells), reserved: new Float64Array(cells), lines: new Int32Array(cells) };
        rows.forEach((r, k) => {
          const cell = r.at * 12 + r.month - 1;
          expected.settled[cell] = amountFen(r.amountForm, r.fen);
          expected.reserved[cell] = r.reserved ?? Number.NaN;
          expected.lines[cell] = k + 2; // the line (k + 1) worker-coded: line × workers + worker + 1, one worker
        });
        expect([...lineOf]).toEqual([...expected.lines]);
        expect([...settled]).toEqual([...expected.settled]);
        expect([...reserved].map((v, cell) => (lineOf[cell] === 0 ? 0 : v))).toEqual([...expected.reserved].map((v, cell) => (lineOf[cell] === 0 ? 0 : v)));
      }),
      { numRuns: 500 },
    );
  });
});
