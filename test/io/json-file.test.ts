import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonPieces, writeJsonFile } from '../../src/io/json-file.js';

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

  it('writes it to a file, a megabyte at a time, with the newline state.json ends with', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'json-file-')), 'state.json');
    const value = { schema: 'assess/state@1', institutions: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`H${i}`, { score: `${i}.00`, tier: null }])) };
    expect(whole(value).length).toBeGreaterThan(1 << 20); // more than one write
    await writeJsonFile(path, value);
    expect(readFileSync(path, 'utf8')).toBe(`${whole(value)}\n`);
  });
});
