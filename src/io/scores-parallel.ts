// 指标得分 is the second largest input (seven or more rows per institution: 7.7 million
// rows nationally). A CSV of it in the long form exports write — one row per institution
// and indicator, ASCII codes, plain decimal scores, no quotes — is read by worker threads,
// one byte range each (csv-parallel.ts), into the same columns the careful reader fills
// (score-table.ts). Anything else makes this reader step aside for the careful one.
import { readRanges, plainCsvHeader, type NotParallel } from './csv-parallel.js';
import type { InputSpec } from './input-spec.js';
import { ScoreTable } from './score-table.js';
import type { SourceTable } from './table.js';

export type ParallelScores = { read: true; table: ScoreTable; rows: number; workers: number } | NotParallel;

export async function readScoresInParallel(
  source: SourceTable,
  spec: InputSpec,
  opts: { fromBytes?: number; workers?: number; /** The worker script (tests: one that fails). */ workerScript?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<ParallelScores> {
  const csv = await plainCsvHeader(source, spec, opts);
  if ('read' in csv) return csv;
  const at = (key: string) => csv.header.columns.get(key)?.index ?? -1;
  const columns = { code: at('code'), indicator: at('indicator'), score: at('score'), selfScore: at('selfScore'), reviewScore: at('reviewScore'), note: at('note') };
  const read = await readRanges(source, csv, opts, ({ start, end }) => ({ kind: 'scores' as const, path: source.path, encoding: csv.encoding, start, end, delimiter: csv.delimiter.charCodeAt(0), columns }));
  if ('read' in read) return read;
  const table = new ScoreTable();
  const scoreColumn = csv.header.columns.get('score')?.text ?? '得分';
  read.done.forEach((range, worker) => table.appendRange(range, source, read.linesBefore[worker] ?? 1, scoreColumn));
  return { read: true, table, rows: table.length, workers: read.workers };
}
