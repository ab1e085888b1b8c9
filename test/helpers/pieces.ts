/** Writes `text` to `target` cut at `cuts` (any order, repeats allowed), then closes it: as a stream hands a reader its pieces. */
export function writeInPieces(target: { write(text: string): unknown; close(): unknown }, text: string, cuts: readonly number[]): void {
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    target.write(text.slice(at, cut));
    at = cut;
  }
  target.write(text.slice(at));
  target.close();
}
