// Builds small workspaces on disk for end-to-end tests, and runs the CLI in-process.
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { main } from '../../src/cli/main.js';

export function newWorkspace(profile = 'tianjin'): string {
  const dir = mkdtempSync(join(tmpdir(), 'assess-'));
  copyFileSync(`templates/policies/${profile}.yaml`, join(dir, 'policy.yaml'));
  return dir;
}

/** A copy of a sample workspace (without its results), to change. */
export function copyOfSample(sample: string): string {
  const dir = mkdtempSync(join(tmpdir(), `assess-${sample}-`));
  cpSync(join('samples', sample), dir, { recursive: true });
  rmSync(join(dir, 'results'), { recursive: true, force: true });
  return dir;
}

export function writeCsv(path: string, rows: (string | number)[][], encoding: 'utf8' | 'utf8bom' | 'gbk' = 'utf8bom'): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const text = rows.map((r) => r.map((c) => (/[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(',')).join('\r\n') + '\r\n';
  if (encoding === 'gbk') writeFileSync(path, iconv.encode(text, 'gbk'));
  else writeFileSync(path, (encoding === 'utf8bom' ? '\uFEFF' : '') + text);
}

export async function writeXlsx(path: string, sheets: Record<string, unknown[][]>): Promise<void> {
  mkdirSync(join(path, '..'), { recursive: true });
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((r) => ws.addRow(r));
  }
  await wb.xlsx.writeFile(path);
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await main(args, { stdout, stderr, env: { NO_COLOR: '1' } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
