import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipParts } from '../../src/io/zip-parts.js';

const dir = mkdtempSync(join(tmpdir(), 'assess-zip-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sheet's worth of XML, long enough to inflate in many pieces. */
const xml = Array.from({ length: 30_000 }, (_, r) => `<row r="${r + 1}"><c r="A${r + 1}" t="str"><v>天津市第${r}医院</v></c></row>`).join('');

async function zipWith(parts: Record<string, { text: string; deflated: boolean }>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, { text, deflated }] of Object.entries(parts)) zip.file(name, text, { compression: deflated ? 'DEFLATE' : 'STORE' });
  return zip.generateAsync({ type: 'nodebuffer' });
}

/** The zip with the central directory's uncompressed size of its first part changed by `by` bytes. */
function misstated(zip: Buffer, by: number): Buffer {
  const out = Buffer.from(zip);
  const central = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  out.writeUInt32LE(out.readUInt32LE(central + 24) + by, central + 24);
  return out;
}

async function read(path: string, name: string): Promise<string> {
  const zip = await ZipParts.open(path);
  try {
    return (await zip.text(name)) ?? '';
  } finally {
    zip.close();
  }
}

describe('the parts of a zip', () => {
  it('reads deflated and stored parts whole, a Chinese character cut between pieces kept', async () => {
    const path = join(dir, 'both.zip');
    writeFileSync(path, await zipWith({ 'deflated.xml': { text: xml, deflated: true }, 'stored.xml': { text: xml, deflated: false } }));
    expect(await read(path, 'deflated.xml')).toBe(xml);
    expect(await read(path, 'stored.xml')).toBe(xml);
  });

  it.each([
    ['fewer', 1, 'not enough bytes'],
    ['more', -1, 'too many bytes'],
  ])('fails a part that inflates to %s bytes than the zip’s directory says', async (_which, by, message) => {
    const path = join(dir, `misstated${by}.zip`);
    writeFileSync(path, misstated(await zipWith({ 'deflated.xml': { text: xml, deflated: true } }), by));
    await expect(read(path, 'deflated.xml')).rejects.toThrow(message);
  });
});
