// A large text file written from its pieces as they are made, a megabyte at a time: the
// outputs of a country's year (the notice, institutions.csv, state.json) are hundreds of
// megabytes, never held as one string.
import { open } from 'node:fs/promises';

/** Characters gathered before a write. */
const WRITE_AT = 1 << 20;

/** Writes the pieces, in order, to `path` (UTF-8). */
export async function writeTextFile(path: string, pieces: Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    let pending = '';
    for (const piece of pieces) {
      pending += piece;
      if (pending.length < WRITE_AT) continue;
      await file.write(pending);
      pending = '';
    }
    await file.write(pending);
  } finally {
    await file.close();
  }
}
