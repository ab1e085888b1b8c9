import { describe, expect, it } from 'vitest';
import { HeldProgress } from './progress.js';

describe('HeldProgress', () => {
  it('tells nothing before it is released, then the last report held, then every report', () => {
    const told: [number, number][] = [];
    const held = new HeldProgress((done, total) => told.push([done, total]));
    held.report(10, 100);
    held.report(40, 100);
    expect(told).toEqual([]);
    held.release();
    expect(told).toEqual([[40, 100]]);
    held.report(100, 100);
    expect(told).toEqual([
      [40, 100],
      [100, 100],
    ]);
  });

  it('released before any report, tells nothing until one comes; without a listener, does nothing', () => {
    const told: number[] = [];
    const held = new HeldProgress((done) => told.push(done));
    held.release();
    expect(told).toEqual([]);
    held.report(5, 9);
    expect(told).toEqual([5]);
    const silent = new HeldProgress(undefined);
    silent.report(1, 2);
    expect(() => silent.release()).not.toThrow();
  });
});
