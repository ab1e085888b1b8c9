// A large xlsx part (a worksheet's rows, the shared strings) read in pieces by two readers:
// a fast one that takes whole units (a row, a string) straight from the text, and the
// general scanner (xml-scanner.ts) for the part's start, its end, a unit the fast reader
// hands over whole, and — from the first unit it cannot hand over — the rest of the part.
// Whichever reads a unit reads all of it, so the two never disagree on where they are.
import type { XmlScanner } from './xml-scanner.js';

/** Text kept while waiting for the fast part or a whole unit; past it the general reader takes the rest. */
const LONGEST_PENDING = 1 << 20;

export abstract class FastThenGeneral {
  /** Set once the reader's caller asked to stop: nothing more is read. */
  stopped = false;
  /** Looking for the fast part; reading it fast; or the general reader from here on. */
  private mode: 'start' | 'fast' | 'general' = 'start';
  /** Text read but not yet taken: the part's start, or a unit cut by the end of a piece. */
  private pending = '';

  /** `unitEnd`: the text that ends a unit (`</row>`, `</si>`). */
  constructor(private readonly unitEnd: string) {}

  /** The general reader, with the same handlers as the fast one's. */
  protected abstract readonly general: XmlScanner;
  /** Where the fast part starts in the text read so far, or -1 when it is not there yet. */
  protected abstract fastStart(s: string): number;
  /** Reads the whole units of `s[0, end)`; returns `end`, or where it stopped: the start of the first unit the general reader is to take, or where it was told to stop. */
  protected abstract readUnits(s: string, end: number): number;

  /** Takes the next piece of the part's text. */
  write(piece: string): this {
    if (this.mode === 'general') {
      this.general.write(piece);
      return this;
    }
    let s = this.pending === '' ? piece : this.pending + piece;
    this.pending = '';
    if (this.mode === 'start') {
      const at = this.fastStart(s);
      if (at < 0) {
        this.keep(s);
        return this;
      }
      this.general.write(s.slice(0, at)); // the declaration and the part's opening
      s = s.slice(at);
      this.mode = 'fast';
    }
    const last = s.lastIndexOf(this.unitEnd);
    const end = last < 0 ? 0 : last + this.unitEnd.length;
    const reached = this.readUnits(s, end);
    if (reached < end) {
      if (!this.stopped) this.toGeneral(s.slice(reached));
      return this;
    }
    this.keep(s.slice(end));
    return this;
  }

  close(): void {
    if (this.mode !== 'general') this.toGeneral(this.pending);
    this.pending = '';
    this.general.close();
  }

  private keep(s: string): void {
    if (s.length > LONGEST_PENDING) this.toGeneral(s);
    else this.pending = s;
  }

  private toGeneral(s: string): void {
    this.mode = 'general';
    this.pending = '';
    this.general.write(s);
  }
}
