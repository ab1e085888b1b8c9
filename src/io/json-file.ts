// A large JSON document written to a file piece by piece, as `JSON.stringify(value, null, 2)`
// would write it whole, byte for byte: state.json holds an entry per institution, and at a
// country's size the single string would be hundreds of megabytes (tests compare the two).
import { writeTextFile } from './text-file.js';

const INDENT = '  ';

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const omitted = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** A plain object or array, written member by member (anything else, and toJSON, goes to JSON.stringify). */
const isContainer = (v: unknown): v is Record<string, unknown> | unknown[] =>
  typeof v === 'object' && v !== null && typeof (v as { toJSON?: unknown }).toJSON !== 'function';

/**
 * The pieces of `JSON.stringify(value, null, 2)`: objects and arrays down to `depth` are
 * opened member by member, deeper values stringified whole and indented to their place.
 */
export function* jsonPieces(value: unknown, depth = 2, indent = ''): Generator<string> {
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

/** Writes `JSON.stringify(value, null, 2)` and a newline to `path`, piece by piece. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeTextFile(path, (function* () {
    yield* jsonPieces(value);
    yield '\n';
  })());
}
