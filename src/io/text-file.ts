// A large text file written from its pieces as they are made: the outputs of a country's
// year (the notice, institutions.csv, state.json) are hundreds of megabytes, never held as
// one string. Each piece is encoded straight into one buffer kept for the whole file and
// written when the buffer is full: no text longer than a piece is ever made. (Pieces joined
// into a megabyte of text first were strings too large for V8's young generation; hundreds
// of them, dying old, set off full collections of a heap of gigabytes.)
import { open } from 'node:fs/promises';

/** The buffer's size. */
const WRITE_AT = 1 << 20;

/** Writes the pieces, in order, to `path` (UTF-8). */
export async function writeTextFile(path: string, pieces: Iterable<string>): Promise<void> {
  const file = await open(path, 'w');
  try {
    const pending = Buffer.allocUnsafeSlow(WRITE_AT);
    let used = 0;
    for (const piece of pieces) {
      // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair: 4 bytes for 2 units).
      if (used + piece.length * 3 > WRITE_AT) {
        await file.write(pending, 0, used);
        used = 0;
      }
      if (piece.length * 3 > WRITE_AT) await file.write(piece); // a piece larger than the buffer goes on its own
      else used += pending.write(piece, used, 'utf8');
    }
    await file.write(pending, 0, used);
  } finally {
    await file.close();
  }
}
