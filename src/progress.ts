// Progress of a long step, for the officer's progress bar (src/cli/main.ts): how much of
// what is done. The core reports it where it has a count; it never decides how it is shown.
export type ProgressUnit = 'bytes' | 'rows' | 'steps';

/** `label`: what is being done (a file's name, a step's); `unit` is bytes when not given. */
export type OnProgress = (label: string, done: number, total: number, unit?: ProgressUnit) => void;

/** Rows between two reports where rows are made one by one (a million at national scale). */
export const ROWS_PER_REPORT = 20_000;

/**
 * Progress of a read that started before its stage is announced: held (the officer's bar
 * shows one stage at a time) and passed on, the last report first, once released.
 */
export class HeldProgress {
  private released = false;
  private last: [number, number] | null = null;
  constructor(private readonly onProgress: ((done: number, total: number) => void) | undefined) {}
  readonly report = (done: number, total: number): void => {
    if (this.released) this.onProgress?.(done, total);
    else this.last = [done, total];
  };
  release(): void {
    this.released = true;
    if (this.last) this.onProgress?.(...this.last);
  }
}
