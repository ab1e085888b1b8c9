// A module's outcomes made when they are read, from the institutions they are of: for a
// module whose outcome every institution has but nothing shows for each (consecutiveLow:
// whether two years were below the line). Held as objects with their score texts they were
// about 100 bytes an institution from the plan to the end of the run nationally. The
// outcome is the module's pure function of the institution, so reading it again gives the same.
import type { AssessedInstitution } from '../plan/types.js';

export class OutcomesMadeWhenRead<O> implements ReadonlyMap<string, O> {
  private byCode: Map<string, number> | undefined;
  private counted: number | undefined;

  constructor(
    private readonly institutions: readonly AssessedInstitution[],
    /** The institution's outcome, undefined when it has none. */
    private readonly outcomeOf: (r: AssessedInstitution) => O | undefined,
  ) {}

  /** Roster index by code, made on the first look-up (explain and tests ask for one code). */
  private indexOf(code: string): number | undefined {
    this.byCode ??= new Map(this.institutions.map((r, i) => [r.institution.code, i]));
    return this.byCode.get(code);
  }

  get(code: string): O | undefined {
    const i = this.indexOf(code);
    return i === undefined ? undefined : this.outcomeOf(this.institutions[i] as AssessedInstitution);
  }

  has(code: string): boolean {
    return this.get(code) !== undefined;
  }

  get size(): number {
    if (this.counted === undefined) {
      let n = 0;
      for (const r of this.institutions) if (this.outcomeOf(r) !== undefined) n++;
      this.counted = n;
    }
    return this.counted;
  }

  *entries(): MapIterator<[string, O]> {
    for (const r of this.institutions) {
      const o = this.outcomeOf(r);
      if (o !== undefined) yield [r.institution.code, o];
    }
  }

  *keys(): MapIterator<string> {
    for (const [code] of this.entries()) yield code;
  }

  *values(): MapIterator<O> {
    for (const [, o] of this.entries()) yield o;
  }

  forEach(callback: (value: O, key: string, map: ReadonlyMap<string, O>) => void): void {
    for (const [code, o] of this.entries()) callback(o, code, this);
  }

  [Symbol.iterator](): MapIterator<[string, O]> {
    return this.entries();
  }
}
