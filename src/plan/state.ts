// state.json: what one year's run leaves for the next (SPEC §6), and its schema for reading
// it back. Modules add their own per-institution fields (tier, bans...) through their
// `state`; the core fields are the score, status and grade of the year.
import { z } from 'zod';
import { STATUS_CODES } from '../rules/status.js';

export const STATE_SCHEMA = 'assess/state@1';

const yuanText = z.string().regex(/^\d+\.\d{2}$/, '应为元，两位小数，如 1234.50');

const institutionState = z.looseObject({
  score: z.string().nullable(),
  status: z.enum(STATUS_CODES),
  grade: z.string(),
  tier: z.string().nullable(),
  tier_since: z.string().nullable(),
  promotion_wait_until: z.string().nullable(),
  banned_until: z.string().nullable(),
});

/** A deposit held while its institution's investigation is open (SPEC §5.4), carried until `settle`. */
const heldDeposit = z.object({
  code: z.string(),
  year: z.number().int(),
  held: yuanText,
  /** The investigation that holds it: its row of 立案调查 and its opening date. */
  investigation: z.object({ file: z.string(), sheet: z.string().optional(), row: z.number().int(), opened_on: z.string() }).optional(),
  /** The article that holds it, as the public reads it. */
  ref: z.string().optional(),
  /** The policy the year was settled under (settle pays by the same scheme). */
  policy_sha256: z.string().optional(),
  /** Written by earlier versions instead of investigation/ref. */
  reason: z.string().optional(),
});

export const stateSchema = z.object({
  schema: z.literal(STATE_SCHEMA),
  year: z.number().int(),
  region: z.string(),
  profile: z.string(),
  institutions: z.record(z.string(), institutionState),
  personnel: z.record(z.string(), z.unknown()),
  held_deposits: z.array(heldDeposit),
  /** Each module's own slice (bans of former institutions...), checked by the module's schema when read. */
  modules: z.record(z.string(), z.unknown()).optional(),
});

export type YearState = z.infer<typeof stateSchema>;
export type InstitutionState = z.infer<typeof institutionState>;
export type HeldDeposit = z.infer<typeof heldDeposit>;

/** What the run of year Y knows of Y-1: its state.json, or only the roster's 上年度考核得分 (first year). */
export interface PriorYear {
  source: 'state' | 'roster' | 'none';
  file?: string;
  sha256?: string;
  state?: YearState;
}
