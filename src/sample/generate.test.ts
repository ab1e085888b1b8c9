// The shipped samples are what the generator makes: regenerating them with the command in
// their README gives the same CSVs, README and policy byte for byte and the same workbook
// cells (a change to the generator that moves one draw shows here).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { generateWorkspace, SampleUsageError } from './generate.js';

const samples = new URL('../../samples/', import.meta.url);
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** The options in a sample README's command line. */
function commandOf(readme: string): { region?: string; seed: number; institutions: number; year: number } {
  const m = /node dist\/sample\/generate\.js --out <目录>(?: --region (\S+))? --seed (\d+) --institutions (\d+) --year (\d+)/.exec(readme);
  if (!m) throw new Error('no generator command in the README');
  return { region: m[1], seed: Number(m[2]), institutions: Number(m[3]), year: Number(m[4]) };
}

async function cellValues(file: string): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const out: unknown[] = [workbook.creator, workbook.created, workbook.modified];
  workbook.eachSheet((sheet) =>
    sheet.eachRow({ includeEmpty: true }, (row, r) => {
      const cells: unknown[] = [];
      row.eachCell({ includeEmpty: true }, (cell) => cells.push([cell.value, cell.numFmt]));
      out.push([sheet.name, r, cells]);
    }),
  );
  return JSON.stringify(out);
}

const files = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(csv|xlsx|md|yaml)$/.test(f) && !f.startsWith('results'))
    .sort();

describe('the shipped samples', () => {
  for (const name of ['tianjin', 'jiangsu', 'xianyang', 'qinghai', 'linyi']) {
    it(`samples/${name} is what its README's command makes`, async () => {
      const sample = new URL(`${name}/`, samples);
      const options = commandOf(readFileSync(new URL('README.md', sample), 'utf8'));
      const out = mkdtempSync(path.join(tmpdir(), `assess-sample-${name}-`));
      made.push(out);
      const result = await generateWorkspace({ outDir: out, ...options });
      expect(result.profile).toBe(name);

      const shipped = files(sample.pathname);
      expect(files(out)).toEqual(shipped);
      for (const f of shipped) {
        const a = path.join(sample.pathname, f);
        const b = path.join(out, f);
        if (f.endsWith('.xlsx')) expect(await cellValues(b), f).toBe(await cellValues(a));
        else expect(readFileSync(b).equals(readFileSync(a)), f).toBe(true);
      }
    });
  }
});

describe('choosing the scenario', () => {
  const base = { seed: 1, institutions: 30, year: 2024 };
  const out = (): string => {
    const d = mkdtempSync(path.join(tmpdir(), 'assess-sample-'));
    made.push(d);
    return d;
  };

  it('refuses a region of another profile, and a profile with no scenario', async () => {
    await expect(generateWorkspace({ outDir: out(), region: 'nanjing', profile: 'tianjin', ...base })).rejects.toThrow(
      /region "nanjing" is of profile jiangsu, not tianjin/,
    );
    await expect(generateWorkspace({ outDir: out(), profile: 'nowhere', ...base })).rejects.toBeInstanceOf(SampleUsageError);
  });

  it('makes the Tianjin sample when nothing is asked, the profile’s default region when only the profile is', async () => {
    expect((await generateWorkspace({ outDir: out(), ...base })).profile).toBe('tianjin');
    const jiangsu = await generateWorkspace({ outDir: out(), profile: 'jiangsu', ...base });
    expect(jiangsu.profile).toBe('jiangsu');
    expect(jiangsu.files.map((f) => path.basename(f))).toContain('申诉记录.csv');
  });
});
