// state.json: what one year's run leaves for the next (SPEC §6), and reading it back.
import { z } from 'zod';

export const STATE_SCHEMA = 'assess/state@1';

const institutionState = z.object({
  score: z.string().nullable(),
  status: z.enum(['scored', 'pending', 'unqualified']),
  grade: z.string(),
  tier: z.string().nullable(),
  tier_since: z.string().nullable(),
  promotion_wait_until: z.string().nullable(),
  banned_until: z.string().nullable(),
});

const heldDeposit = z.object({
  code: z.string(),
  year: z.number().int(),
  held: z.string().regex(/^\d+\.\d{2}$/, '应为元，两位小数，如 1234.50'), // yuan, 2 decimals
  reason: z.string(),
});

export const stateSchema = z.object({
  schema: z.literal(STATE_SCHEMA),
  year: z.number().int(),
  region: z.string(),
  profile: z.string(),
  institutions: z.record(z.string(), institutionState),
  personnel: z.record(z.string(), z.unknown()),
  held_deposits: z.array(heldDeposit),
});

export type YearState = z.infer<typeof stateSchema>;
export type HeldDeposit = z.infer<typeof heldDeposit>;

/** What the run of year Y knows of Y-1. */
export interface PriorYear {
  source: 'state' | 'roster' | 'none';
  file?: string;
  state?: YearState;
}
