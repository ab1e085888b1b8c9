// Progress of a long step, for the officer's progress bar (src/cli/main.ts): how much of
// what is done. The core reports it where it has a count; it never decides how it is shown.
export type ProgressUnit = 'bytes' | 'rows' | 'steps';

/** `label`: what is being done (a file's name, a step's); `unit` is bytes when not given. */
export type OnProgress = (label: string, done: number, total: number, unit?: ProgressUnit) => void;
