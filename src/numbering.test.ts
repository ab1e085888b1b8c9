import { describe, expect, it } from 'vitest';
import { Numbering, remembered } from './numbering.js';

describe('Numbering', () => {
  it('numbers each value once, in the order first seen, and gives back the kept instance', () => {
    const n = new Numbering<string>();
    expect(['b', 'a', 'b', 'b', 'c', 'a'].map((v) => n.numberOf(v))).toEqual([0, 1, 0, 0, 2, 1]);
    expect([n.size, n.at(2), n.find('a'), n.find('z')]).toEqual([3, 'c', 1, undefined]);
    const key = { file: 'x' };
    const objects = new Numbering<object>();
    expect(objects.kept(key)).toBe(key);
    expect(objects.numberOf({ file: 'x' })).toBe(1); // objects by identity
  });
});

describe('remembered', () => {
  it('decides once per key, a null answer included', () => {
    let asked = 0;
    const memory = new Map<string, number | null>();
    const decide = (k: string) => remembered(memory, k, () => (asked++, k === 'none' ? null : k.length));
    expect([decide('abc'), decide('none'), decide('abc'), decide('none')]).toEqual([3, null, 3, null]);
    expect(asked).toBe(2);
  });
});
