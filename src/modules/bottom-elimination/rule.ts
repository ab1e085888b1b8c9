// 末位淘汰 (policy `sanctions.bottomElimination`; its articles are the profile's refs): in a planning area named as over quota, its N lowest-scored institutions — every
// institution tied with the N-th lowest score is listed too. Only scored institutions are
// ranked: one under investigation or unqualified is not "lowest" by a score it does not
// have. Pure.
import type { Decimal } from 'decimal.js';

export interface AreaMember {
  code: string;
  score: Decimal;
}

export interface AreaPlace {
  code: string;
  score: Decimal;
  /** Rank from the top within the area (equal scores share a rank). */
  rank: number;
  /** Scored institutions ranked in the area. */
  of: number;
  /** Place from the bottom (1 = the lowest; equal scores share it). */
  fromBottom: number;
}

/** Every scored member of the area with its places, lowest first (code breaks ties, for a stable order). */
export function areaPlaces(members: readonly AreaMember[]): AreaPlace[] {
  const places = members.map((m) => ({
    code: m.code,
    score: m.score,
    rank: 1 + members.filter((o) => o.score.gt(m.score)).length,
    of: members.length,
    fromBottom: 1 + members.filter((o) => o.score.lt(m.score)).length,
  }));
  return places.sort((a, b) => a.score.comparedTo(b.score) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The N lowest of the area, ties at the cut included. */
export function lowestInArea(members: readonly AreaMember[], n: number): AreaPlace[] {
  return areaPlaces(members).filter((p) => p.fromBottom <= n);
}
