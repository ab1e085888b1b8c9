// The heap a command is given (src/cli/heap.ts): Node's defaults raised for a country's
// year, what the officer set through Node's options kept.
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, WRITING_HEAP_GROWING_PERCENT, YOUNG_GENERATION_MB, commandHeapLimits, commandV8Flags, writingV8Flags } from '../../src/cli/heap.js';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

describe('commandHeapLimits', () => {
  it('gives the old generation three quarters of the memory and a 192 MB young generation', () => {
    expect(commandHeapLimits({ memoryBytes: 24 * GiB, startedWithBytes: 4144 * MiB, options: [] })).toEqual({
      maxOldGenerationSizeMb: 18_432,
      maxYoungGenerationSizeMb: YOUNG_GENERATION_MB,
    });
  });

  it('never gives less than Node started with (a small machine keeps Node’s own limit)', () => {
    expect(commandHeapLimits({ memoryBytes: 2 * GiB, startedWithBytes: 2080 * MiB, options: [] }).maxOldGenerationSizeMb).toBe(2080);
  });

  it('keeps a limit set with --max-old-space-size or --max-semi-space-size, in execArgv or NODE_OPTIONS, either spelling', () => {
    const set = commandHeapLimits({ memoryBytes: 24 * GiB, startedWithBytes: 1024 * MiB, options: ['--max-old-space-size=1024', '--max_semi_space_size=8'] });
    expect(set).toEqual({ maxOldGenerationSizeMb: 1024 });
  });
});

describe('commandV8Flags', () => {
  it('lets the old generation grow by half past what a full collection left', () => {
    expect(commandV8Flags({ options: [] })).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it('keeps a growing factor set in execArgv or NODE_OPTIONS, either spelling', () => {
    expect(commandV8Flags({ options: ['--max-old-space-size=1024', '--heap_growing_percent=100'] })).toEqual([]);
    expect(commandV8Flags({ options: ['--heap-growing-percent=20'] })).toEqual([]);
  });
});

describe('writingV8Flags', () => {
  it('lets the old generation grow by less once the outputs are written than while the plan is made', () => {
    expect(writingV8Flags({ options: [] })).toEqual([`--heap-growing-percent=${WRITING_HEAP_GROWING_PERCENT}`]);
    expect(WRITING_HEAP_GROWING_PERCENT).toBeLessThan(HEAP_GROWING_PERCENT);
  });

  it('keeps a growing factor the officer set, either spelling', () => {
    expect(writingV8Flags({ options: ['--heap_growing_percent=100'] })).toEqual([]);
    expect(writingV8Flags({ options: ['--max-old-space-size=1024', '--heap-growing-percent=30'] })).toEqual([]);
  });
});
