// CSV files as Excel saves them (CRLF, optional BOM), streamed so that a large sample never
// holds its rows in memory, and the canonical headers of src/io/input-spec.ts.

import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { inputSpec, type InputKind } from '../io/input-spec.js';

function csvField(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV file written through a stream, honouring backpressure; CRLF line ends as Excel saves them. */
export class CsvWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  rows = 0;

  constructor(file: string, bom: boolean) {
    this.stream = createWriteStream(file, { encoding: 'utf8' });
    if (bom) this.buffer = '\uFEFF';
  }

  async row(fields: (string | undefined)[]): Promise<void> {
    this.buffer += fields.map(csvField).join(',') + '\r\n';
    this.rows++;
    if (this.buffer.length >= 1 << 16) await this.flush();
  }

  /** Adds a row without waiting for the stream: for many rows at a time, followed by `drain()`. */
  push(fields: (string | undefined)[]): void {
    let line = '';
    for (let i = 0; i < fields.length; i++) line += (i === 0 ? '' : ',') + csvField(fields[i]);
    this.buffer += line + '\r\n';
    this.rows++;
  }

  /** Writes what `push` gathered once there is enough of it, honouring backpressure. */
  async drain(): Promise<void> {
    if (this.buffer.length >= 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (chunk && !this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    const finished = once(this.stream, 'finish');
    this.stream.end();
    await finished;
  }
}

/**
 * The columns of an input as written: all of input-spec.ts in its order, or the given keys
 * in the given order (an export that puts its columns otherwise; the reader matches
 * headers by name).
 */
export function columnKeys(kind: InputKind, keys?: readonly string[]): string[] {
  const spec = inputSpec(kind).columns;
  if (!keys) return spec.map((c) => c.key);
  for (const k of keys) if (!spec.some((c) => c.key === k)) throw new Error(`${kind} has no column ${k}`);
  return [...keys];
}

/** Canonical headers of an input (all columns in the order of input-spec.ts, or the given keys). */
export function headers(kind: InputKind, keys?: readonly string[]): string[] {
  const spec = inputSpec(kind).columns;
  return columnKeys(kind, keys).map((k) => spec.find((c) => c.key === k)?.header ?? k);
}

/** A record keyed by column key → the row in the column order of `headers(kind, keys)`. */
export function ordered<T>(kind: InputKind, values: Partial<Record<string, T>>, keys?: readonly string[]): (T | undefined)[] {
  return columnKeys(kind, keys).map((k) => values[k]);
}
