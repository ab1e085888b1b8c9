// Building the packed personnel events (src/domain.ts PersonnelEvents) while a file streams:
// arrays grow by doubling, persons, institutions and 情形 are interned.
import { PERSONNEL_KINDS, type PersonnelEvents, type PersonRecord } from '../domain.js';
import type { IsoDate } from './values.js';

export const dateNumber = (d: IsoDate): number => Number(d.replaceAll('-', ''));
const dateTexts = new Map<number, IsoDate>();
/** yyyymmdd → YYYY-MM-DD; one string per day, shared (a year's events have at most 366 dates). */
export function dateText(n: number): IsoDate {
  let text = dateTexts.get(n);
  if (text === undefined) {
    text = `${String(Math.floor(n / 10000)).padStart(4, '0')}-${String(Math.floor(n / 100) % 100).padStart(2, '0')}-${String(n % 100).padStart(2, '0')}`;
    if (dateTexts.size < 10_000) dateTexts.set(n, text);
  }
  return text;
}

export class PersonnelEventsBuilder {
  private capacity = 1024;
  private readonly personIndex = new Map<string, number>();
  private readonly institutionIndex = new Map<string, number>();
  private readonly situationIndex = new Map<string, number>();
  readonly events: PersonnelEvents;

  constructor(file: string, sheet?: string) {
    this.events = {
      file,
      ...(sheet ? { sheet } : {}),
      persons: [],
      count: 0,
      person: new Int32Array(this.capacity),
      date: new Int32Array(this.capacity),
      points: new Int8Array(this.capacity),
      kind: new Uint8Array(this.capacity),
      row: new Int32Array(this.capacity),
      institution: new Int32Array(this.capacity),
      institutionCodes: [],
      situation: new Int32Array(this.capacity),
      situations: [],
    };
  }

  /** The person's index; a new person is recorded with this row's name and ID number. */
  person(code: string, name: string, row: number): { index: number; record: PersonRecord } {
    let index = this.personIndex.get(code);
    if (index === undefined) {
      index = this.events.persons.length;
      this.personIndex.set(code, index);
      this.events.persons.push({ code, name, idNumber: '', firstRow: row });
    }
    const record = this.events.persons[index];
    if (!record) throw new Error('person index out of range');
    return { index, record };
  }

  add(e: { person: number; date: IsoDate; points: number; kind: (typeof PERSONNEL_KINDS)[number]; row: number; institution: string; situation: string }): void {
    const ev = this.events;
    if (ev.count === this.capacity) this.grow();
    const i = ev.count++;
    ev.person[i] = e.person;
    ev.date[i] = dateNumber(e.date);
    ev.points[i] = e.points;
    ev.kind[i] = PERSONNEL_KINDS.indexOf(e.kind);
    ev.row[i] = e.row;
    ev.institution[i] = intern(this.institutionIndex, ev.institutionCodes, e.institution);
    ev.situation[i] = e.situation === '' ? -1 : intern(this.situationIndex, ev.situations, e.situation);
  }

  private grow(): void {
    this.capacity *= 2;
    const ev = this.events;
    const grown = <T extends Int32Array | Int8Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.capacity);
      b.set(a);
      return b;
    };
    ev.person = grown(ev.person, (n) => new Int32Array(n));
    ev.date = grown(ev.date, (n) => new Int32Array(n));
    ev.points = grown(ev.points, (n) => new Int8Array(n));
    ev.kind = grown(ev.kind, (n) => new Uint8Array(n));
    ev.row = grown(ev.row, (n) => new Int32Array(n));
    ev.institution = grown(ev.institution, (n) => new Int32Array(n));
    ev.situation = grown(ev.situation, (n) => new Int32Array(n));
  }
}

function intern(index: Map<string, number>, table: string[], value: string): number {
  let i = index.get(value);
  if (i === undefined) {
    i = table.length;
    table.push(value);
    index.set(value, i);
  }
  return i;
}

export function emptyPersonnelEvents(): PersonnelEvents {
  return new PersonnelEventsBuilder('').events;
}
