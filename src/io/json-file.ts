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
  const array = Array.isArray(value);
  const entries: [string | null, unknown][] = array
    ? value.map((v) => [null, omitted(v) ? null : v])
    : Object.keys(value)
        .filter((k) => !omitted(value[k]))
        .map((k) => [k, value[k]]);
  if (entries.length === 0) {
    yield array ? '[]' : '{}';
    return;
  }
  yield array ? '[\n' : '{\n';
  for (const [i, [key, member]] of entries.entries()) {
    yield `${inner}${key === null ? '' : `${JSON.stringify(key)}: `}`;
    yield* jsonPieces(member, depth - 1, inner);
    yield i < entries.length - 1 ? ',\n' : '\n';
  }
  yield `${indent}${array ? ']' : '}'}`;
}

/** Writes `JSON.stringify(value, null, 2)` and a newline to `path`, piece by piece. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await writeTextFile(path, (function* () {
    yield* jsonPieces(value);
    yield '\n';
  })());
}
