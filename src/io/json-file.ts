// A large JSON document written to a file piece by piece, as `JSON.stringify(value, null, 2)`
// would write it whole, byte for byte: state.json holds an entry per institution, and at a
// country's size the single string would be hundreds of megabytes (tests compare the two).
import { writeTextFile } from './text-file.js';

const INDENT = '  ';

/** A key an object orders before the others: an array index, up to 2³² − 2. */
const isArrayIndex = (key: string) => /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) < 2 ** 32 - 1;

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * A JSON object whose members are made when they are read — written one by one, each let go
 * once written: state.json's entry per institution, which held as objects was some 150 bytes
 * an institution from the plan to the end of the run. Written as JSON.stringify writes its
 * `toJSON()`.
 */
export class MembersMadeWhenRead<V> {
  private index: Map<string, number> | undefined;

  constructor(
    readonly size: number,
    /** The n-th member's key, in the order written. */
    readonly keyAt: (n: number) => string,
    /** The n-th member, made anew each time. */
    readonly memberAt: (n: number) => V,
  ) {}

  *keys(): Generator<string> {
    for (let n = 0; n < this.size; n++) yield this.keyAt(n);
  }

  /** The member of `key` (its keys are indexed on the first call: for tests and single look-ups). */
  get(key: string): V | undefined {
    this.index ??= new Map(Array.from({ length: this.size }, (_, n) => [this.keyAt(n), n]));
    const n = this.index.get(key);
    return n === undefined ? undefined : this.memberAt(n);
  }

  toJSON(): Record<string, V> {
    const whole: Record<string, V> = {};
    for (let n = 0; n < this.size; n++) whole[this.keyAt(n)] = this.memberAt(n);
    return whole;
  }
}

/** A plain object or array, written member by member (anything else, and toJSON, goes to JSON.stringify). */
const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] =>
  typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function';

/**
 * The pieces of `JSON.stringify(value, null, 2)`: objects and arrays down to `depth` are
 * opened member by member, deeper values stringified whole and indented to their place.
 */
export function* jsonPieces(value: unknown, depth = 2, indent = ''): Generator<string> {
  if (value instanceof MembersMadeWhenRead && depth > 0) {
    yield* madeMemberPieces(value, depth, indent);
    return;
  }
  if (depth === 0 || !isContainer(value)) {
    const text = JSON.stringify(value, null, 2);
    yield indent ? text.replaceAll('\n', `\n${indent}`) : text;
    return;
  }
  const inner = indent + INDENT;
  // Members are read as they are written: a key list, not a pair per member (state.json has a
  // member per institution: a million pairs at national scale, made while the peak is reached).
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      const member: unknown = value[i];
      yield inner;
      yield* jsonPieces(omitted(member) ? null : member, depth - 1, inner);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  const keys = Object.keys(value).filter((k) => !omitted(value[k]));
  if (keys.length === 0) {
    yield '{}';
    return;
  }
  yield '{\n';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    yield `${inner}${JSON.stringify(key)}: `;
    yield* jsonPieces(value[key], depth - 1, inner);
    yield i < keys.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}}`;
}

/** The pieces of a MembersMadeWhenRead, as jsonPieces writes an object's. */
function* madeMemberPieces<V>(value: MembersMadeWhenRead<V>, depth: number, indent: string): Generator<string> {
  // An object puts integer-like keys first: then the object itself is written, in its order.
  for (let n = 0; n < value.size; n++) {
    if (isArrayIndex(value.keyAt(n))) {
      yield* jsonPieces(value.toJSON(), depth, indent);
      return;
    }
  }
  const inner = indent + INDENT;
  let written = 0;
  for (let n = 0; n < value.size; n++) {
    const member = value.memberAt(n);
    if (omitted(member)) continue;
    yield `${written++ === 0 ? '{\n' : ',\n'}${inner}${JSON.stringify(value.keyAt(n))}: `;
    yield* jsonPieces(member, depth - 1, inner);
  }
  yield written === 0 ? '{}' : `\n${indent}}`;
}

/** Writes `JSON.stringify(value, null, 2)` and a newline to `path`, piece by piece. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeTextFile(path, (function* () {
    yield* jsonPieces(value);
    yield '\n';
  })());
}
