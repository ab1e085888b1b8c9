import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonPieces, MembersMadeWhenRead, writeJsonFile } from '../../src/io/json-file.js';

const whole = (v: unknown) => JSON.stringify(v, null, 2);

describe('a JSON document written piece by piece', () => {
  it('is JSON.stringify(value, null, 2) exactly, for any JSON value and any depth opened', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.integer({ min: 0, max: 4 }), (value, depth) => [...jsonPieces(value, depth)].join('') === whole(value)),
      { numRuns: 300 },
    );
  });

  it('leaves out what JSON.stringify leaves out, keeps its key order, and calls toJSON', () => {
    const value = {
      '10': 'integer-like keys come first',
      b: { gone: undefined, fn: () => 1, kept: null, nested: { deep: [1, { x: undefined }] } },
      '2': [undefined, () => 0, 'a'],
      empty: { o: {}, a: [] },
      when: new Date(Date.UTC(2025, 0, 1)),
      text: '换行\n与"引号"',
    };
    for (const depth of [0, 1, 2, 3]) expect([...jsonPieces(value, depth)].join('')).toBe(whole(value));
  });

  it('writes members made when read as JSON.stringify writes the object they make, integer-like keys first', () => {
    const made = (record: Record<string, unknown>) => {
      const keys = Object.keys(record).reverse(); // not the object's order
      return new MembersMadeWhenRead(keys.length, (n) => keys[n] as string, (n) => record[keys[n] as string]);
    };
    fc.assert(
      fc.property(fc.dictionary(fc.oneof(fc.string(), fc.nat().map(String)), fc.oneof(fc.jsonValue(), fc.constant(undefined))), fc.integer({ min: 0, max: 3 }), (record, depth) => {
        const value = { schema: 'assess/state@1', institutions: made(record) };
        return [...jsonPieces(value, depth)].join('') === whole(value);
      }),
      { numRuns: 300 },
    );
    const m = made({ H2: { score: '1.00' }, H1: null });
    expect([...jsonPieces(m)].join('')).toBe('{\n  "H1": null,\n  "H2": {\n    "score": "1.00"\n  }\n}');
    expect(m.get('H2')).toEqual({ score: '1.00' });
    expect(m.get('H3')).toBeUndefined();
    expect([...m.keys()]).toEqual(['H1', 'H2']);
  });

  it('writes it to a file, a megabyte at a time, with the newline state.json ends with', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'json-file-')), 'state.json');
    const value = { schema: 'assess/state@1', institutions: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`H${i}`, { score: `${i}.00`, tier: null }])) };
    expect(whole(value).length).toBeGreaterThan(1 << 20); // more than one write
    await writeJsonFile(path, value);
    expect(readFileSync(path, 'utf8')).toBe(`${whole(value)}\n`);
  });
});
