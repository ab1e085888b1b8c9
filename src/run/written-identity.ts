// The last check before results are published (SPEC §5.4): the deposit identity summed from
// institutions.csv as written on disk. At national scale the file is a million rows and
// reading it back takes seconds, so the check runs on a worker thread (identity-worker.ts)
// as soon as the file is written, while the workbooks are still being made.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseCsvStream } from 'csv-parse';
import { opening } from '../io/csv-parallel.js';
import { FieldSplitter, readRangeRows } from '../io/csv-range.js';
import { parseFen } from '../io/values.js';
import { INSTITUTIONS_CSV } from '../report/output.js';
import { compiledWorker, reportOfThread } from '../worker-file.js';

const COMMA = 0x2c;
/** The identity's columns, each with its sign in payout + forfeited + held − withheld. */
const IDENTITY_COLUMNS = [
  ['payout', 1],
  ['forfeited', 1],
  ['held', 1],
  ['withheld', -1],
] as const;

/**
 * payout + forfeited + held − withheld over the rows of a file in the plain form
 * csv-stringify writes institutions.csv in (no quote in the header, none escaped or across
 * lines in a row, as many fields on every line as in the header, no blank line, amounts in
 * ASCII), summed straight
 * from its bytes; null for any other file, which the CSV reader then reads (and words what
 * it cannot read back). At 1.1 million rows the CSV reader took some 8 CPU seconds.
 */
export async function plainIdentityDifference(path: string): Promise<number | null> {
  const { size } = await stat(path);
  const head = await opening(path);
  const lf = head.indexOf(0x0a);
  if (lf < 0) return null;
  const header = head.toString('utf8', 0, lf).replace(/^\uFEFF/, '').replace(/\r$/, '');
  if (header.includes('"')) return null;
  const names = header.split(',');
  const columns = IDENTITY_COLUMNS.map(([name, sign]) => ({ at: names.indexOf(name), sign }));
  if (columns.some((c) => c.at < 0)) return null;
  const fields = new FieldSplitter(COMMA, Math.max(...columns.map((c) => c.at)));
  let difference = 0;
  let rows = 0;
  const read = readRangeRows({ path, start: lf + 1, end: size, encoding: 'utf-8', delimiter: COMMA }, fields, (buf) => {
    if (fields.count !== names.length) return '列数不同';
    let sum = 0;
    for (const { at, sign } of columns) {
      const from = fields.start(at);
      const to = fields.end(at);
      for (let k = from; k < to; k++) if ((buf[k] as number) >= 0x80) return '金额不是 ASCII';
      const fen = parseFen(buf.toString('latin1', from, to));
      if (!fen.ok) return '金额无法读回';
      sum += sign * fen.value;
    }
    difference += sum;
    rows++;
    return null;
  });
  return read.refused || rows !== read.lines ? null : difference;
}

/** Re-reads the written institutions.csv and checks the deposit identity on what is on disk. */
export async function checkWrittenIdentity(dir: string): Promise<void> {
  const plain = await plainIdentityDifference(join(dir, INSTITUTIONS_CSV));
  if (plain !== null) {
    if (plain !== 0) throw new Error(identityMessage(plain));
    return;
  }
  const fen = (text: string | undefined) => {
    const parsed = parseFen(text ?? '');
    if (!parsed.ok) throw new Error(`写出的 institutions.csv 中金额「${text ?? ''}」无法读回，结果未写入`);
    return parsed.value;
  };
  // Read as it streams, row by row: at a country's size the file is a million rows. Rows
  // as arrays, the four columns found by the header (an object per row of 30 columns cost
  // most of the check).
  let difference = 0;
  let at: ((name: string) => number) | null = null;
  let payout = 0;
  let forfeited = 0;
  let held = 0;
  let withheld = 0;
  const rows = createReadStream(join(dir, INSTITUTIONS_CSV)).pipe(parseCsvStream({ bom: true }));
  for await (const r of rows as AsyncIterable<string[]>) {
    if (!at) {
      at = (name) => {
        const i = r.indexOf(name);
        if (i < 0) throw new Error(`写出的 institutions.csv 缺少 ${name} 列，结果未写入`);
        return i;
      };
      [payout, forfeited, held, withheld] = ['payout', 'forfeited', 'held', 'withheld'].map(at) as [number, number, number, number];
      continue;
    }
    difference += fen(r[payout]) + fen(r[forfeited]) + fen(r[held]) - fen(r[withheld]);
  }
  if (difference !== 0) throw new Error(identityMessage(difference));
}

const identityMessage = (differenceFen: number) => `写出的 institutions.csv 不满足 拨付+扣除+暂扣=预留（差 ${differenceFen} 分），结果未写入`;

/** What the check's thread posts: passed, or the check's own message. */
export type IdentityReport = { passed: true } | { failed: string };

/**
 * The same check on a worker thread, begun now and settled when awaited. A thread that
 * cannot run or dies (no build, out of memory) costs only the speed: the check is then made
 * here. `script` is another worker's (tests).
 */
export function checkWrittenIdentityOnThread(dir: string, script: string | URL | null = compiledWorker('run/identity-worker.js')): Promise<void> {
  if (!script) return checkWrittenIdentity(dir);
  return reportOfThread<IdentityReport>(script, { identityOf: dir }).then((report) => {
    if (!report) return checkWrittenIdentity(dir);
    if ('failed' in report) throw new Error(report.failed);
  });
}
