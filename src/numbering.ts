// Values kept once each and numbered in the order first seen, so that columns of numbers
// can stand for them (the score table's texts, the indicator lines' figures), and
// remembering what was decided for a value (a memo over a Map or a WeakMap).

export class Numbering<T> {
  private readonly values: T[] = [];
  private readonly numbers = new Map<T, number>();

  get size(): number {
    return this.values.length;
  }

  /** The value's number, given it when first seen. */
  numberOf(value: T): number {
    // A value is often the one numbered last (an institution's code over its rows): no lookup.
    const last = this.values.length - 1;
    if (value === this.values[last]) return last;
    let n = this.numbers.get(value);
    if (n === undefined) {
      n = this.values.push(value) - 1;
      this.numbers.set(value, n);
    }
    return n;
  }

  /** The value numbered `n`. */
  at(n: number): T {
    return this.values[n] as T;
  }

  /** The value as kept here: the one instance of what is equal to it. */
  kept(value: T): T {
    return this.at(this.numberOf(value));
  }

  /** The number of a value seen before. */
  find(value: T): number | undefined {
    return this.numbers.get(value);
  }
}

/** What `decide` gives for `key`, decided the first time and remembered in `memory` (`decide` is pure). */
export function remembered<K, V>(memory: { get(key: K): V | undefined; set(key: K, value: V): unknown }, key: K, decide: () => V): V {
  let value = memory.get(key);
  if (value === undefined) memory.set(key, (value = decide()));
  return value;
}
