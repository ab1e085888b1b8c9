// What a public list may not carry (SPEC §6): an ID number (GB 11643) pasted into a name
// or a remark is masked before publication, and every place it was found is recorded so
// the run can say where. Names and text are otherwise published exactly as registered.
import { isIdNumber } from '../io/codes.js';

/** 18 characters that could be an ID number, not inside a longer run of digits. */
const CANDIDATE = /(?<![0-9A-Za-z])(\d{17}[\dXx])(?![0-9A-Za-z])/g;

/** The six-digit division and the last four stay; the birth date and sequence are hidden: 110101********123X. */
export function maskIdNumber(id: string): string {
  return `${id.slice(0, 6)}${'*'.repeat(8)}${id.slice(14)}`;
}

/** A published cell where an ID number was masked. */
export interface Redaction {
  file: string;
  sheet?: string;
  row: number;
  column: string;
  /** The institution (or person) whose row it is, for the officer to correct the input. */
  code: string;
}

/** Collects the redactions of one run's public outputs. */
export class Redactions {
  readonly found: Redaction[] = [];

  /** The cell's text with every valid ID number masked; records where (`where` made only then). */
  text(value: string, where: () => Redaction): string {
    if (value.length < 18) return value; // too short to hold one: most cells of a million-row list
    let masked = false;
    const out = value.replace(CANDIDATE, (m) => {
      const id = m.toUpperCase();
      if (!isIdNumber(id)) return m;
      masked = true;
      return maskIdNumber(id);
    });
    if (masked) this.found.push(where());
    return out;
  }
}

/** Compound surnames kept whole when a name is masked (SPEC §5.7). */
const COMPOUND_SURNAMES = [
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '长孙', '宇文', '司徒', '夏侯', '轩辕', '令狐', '钟离', '端木', '万俟', '闻人', '东郭',
  '南宫', '西门', '独孤', '百里', '呼延', '澹台', '公冶', '太史', '申屠', '赫连', '拓跋', '濮阳', '淳于', '单于', '公羊', '司空', '仲孙', '子车', '颛孙', '第五',
];

/** A person's name as the public reads it: the surname (a compound one whole), every other character *: 张*, 欧阳**. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return chars.join('');
  const surname = COMPOUND_SURNAMES.find((s) => name.trim().startsWith(s) && chars.length > [...s].length) ?? chars[0] ?? '';
  return surname + '*'.repeat(chars.length - [...surname].length);
}
