// A worker thread of the parallel CSV readers: reads the byte range it is given (a range of
// 月度结算 or of 指标得分), telling the bytes it has read as it goes, then its result.
import { parentPort, workerData } from 'node:worker_threads';
import { readScoreRange, scoreRangeBuffers, type ScoreRangeDone, type ScoreRangeTask } from './score-range.js';
import { readSettlementRange, type SettlementRangeDone, type SettlementRangeTask } from './settlement-range.js';

export type RangeTask = SettlementRangeTask | ScoreRangeTask;

/** What a range's thread posts: bytes read so far (for the progress bar), then its result. */
export type RangeMessage<Done> = { bytes: number } | { done: Done };

export type RangeDone<T extends RangeTask> = T extends ScoreRangeTask ? ScoreRangeDone : SettlementRangeDone;

/** Started as a range's worker (this module's thread may be given other data: the command's own worker is not one). */
const isRangeTask = (data: unknown): data is RangeTask => {
  const task = data as Partial<RangeTask> | null;
  return typeof task === 'object' && task !== null && (task.kind === 'settlements' || task.kind === 'scores') && typeof task.path === 'string' && typeof task.start === 'number';
};

if (parentPort && isRangeTask(workerData)) {
  const port = parentPort;
  const task = workerData;
  const progress = (bytes: number) => port.postMessage({ bytes } satisfies RangeMessage<never>);
  if (task.kind === 'scores') {
    const done = readScoreRange(task, progress);
    port.postMessage({ done } satisfies RangeMessage<ScoreRangeDone>, scoreRangeBuffers(done));
  } else port.postMessage({ done: readSettlementRange(task, progress) } satisfies RangeMessage<SettlementRangeDone>);
}
