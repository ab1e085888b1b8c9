// A file the run will write into results/Y/, built in memory first; and the CSV text of
// a large file in pieces, for one written as it is made (src/io/text-file.ts).
import { stringify, type Options } from 'csv-stringify/sync';

/** The machine-readable table of the year's institutions (its deposit identity is checked on disk before publishing). */
export const INSTITUTIONS_CSV = 'institutions.csv';

export interface OutputFile {
  name: string; // file name inside results/Y/
  content: Buffer | string;
}

/**
 * Records stringified at a time: the same text as all of them stringified at once (CSV
 * records stand alone). Few enough that a batch's text (some 30–60 KB) is made and dropped
 * in V8's young generation: batches of 20,000 were megabyte strings that died old and set
 * off full collections of a heap of gigabytes (300k: 12.5 s → 10.7 s for the files after
 * the workbooks).
 */
export const CSV_BATCH = 250;

/** The CSV text of `records`, a batch at a time: a country's million rows are never one string. */
export function* csvPieces(records: Iterable<readonly string[]>, options: Options, batchRecords: number = CSV_BATCH): Generator<string> {
  let batch: (readonly string[])[] = [];
  for (const record of records) {
    batch.push(record);
    if (batch.length < batchRecords) continue;
    yield stringify(batch, options);
    batch = [];
  }
  if (batch.length > 0) yield stringify(batch, options);
}
