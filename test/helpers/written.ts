// What a file the run writes holds, for a test to read: its content, or what its write
// function puts into a temporary file.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileToWrite } from '../../src/io/atomic.js';

export async function contentOf(file: FileToWrite): Promise<{ name: string; content: Buffer }> {
  if ('content' in file) return { name: file.name, content: Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8') };
  const dir = await mkdtemp(join(tmpdir(), 'assess-written-'));
  try {
    const path = join(dir, file.name);
    await file.write(path);
    return { name: file.name, content: await readFile(path) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
