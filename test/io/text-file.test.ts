import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTextFile } from '../../src/io/text-file.js';

const dir = mkdtempSync(join(tmpdir(), 'assess-text-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeTextFile', () => {
  it('writes the pieces joined, as UTF-8, across many buffers, with pieces larger than the buffer and characters of 1 to 4 bytes', async () => {
    const pieces: string[] = [];
    for (let i = 0; i < 60_000; i++) pieces.push(`${i},天津市和平区第${i}医院,𠀋${i % 7 === 0 ? '' : 'é'}\n`);
    pieces.splice(20_000, 0, '大'.repeat(400_000)); // 1.2 MB of UTF-8: more than the buffer holds
    pieces.splice(40_000, 0, 'x'.repeat(350_000)); // fits in bytes, not in the three-bytes-a-unit bound
    const path = join(dir, 'pieces.txt');
    await writeTextFile(path, pieces);
    const written = readFileSync(path);
    expect(written.length).toBeGreaterThan(3 << 20);
    expect(written.equals(Buffer.from(pieces.join(''), 'utf8'))).toBe(true);
  });

  it('writes an empty file for no pieces', async () => {
    const path = join(dir, 'empty.txt');
    await writeTextFile(path, []);
    expect(readFileSync(path).length).toBe(0);
  });
});
