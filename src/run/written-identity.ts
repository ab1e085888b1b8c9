// The last check before results are published (SPEC §5.4): the deposit identity summed from
// institutions.csv as written on disk. At national scale the file is a million rows and
// reading it back takes seconds, so the check runs on a worker thread (identity-worker.ts)
// as soon as the file is written, while the workbooks are still being made.
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsvStream } from 'csv-parse';
import { parseFen } from '../io/values.js';
import { INSTITUTIONS_CSV } from '../report/output.js';
import { compiledWorker, reportOfThread } from '../worker-file.js';

/** Re-reads the written institutions.csv and checks the deposit identity on what is on disk. */
export async function checkWrittenIdentity(dir: string): Promise<void> {
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
  if (difference !== 0) throw new Error(`写出的 institutions.csv 不满足 拨付+扣除+暂扣=预留（差 ${difference} 分），结果未写入`);
}

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
