// Held deposits already settled (SPEC §5.4, `assess settle`): each supplementary settlement
// results/Y/补充结算-N/manifest.json lists the deposits it settled. Every run reads them:
// `settle` never settles a deposit twice, and a later year no longer carries one that is
// settled (its state.json, written before, still lists it; the record here wins).
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

export const SETTLEMENT_PREFIX = '补充结算-';

const record = z.object({ code: z.string(), year: z.number().int(), opened_on: z.string().nullable(), held: z.string(), payout: z.string(), forfeited: z.string() });
const settlementManifest = z.object({ command: z.literal('settle'), year: z.number().int(), number: z.number().int(), settled: z.array(record) });

export type SettledRecord = z.infer<typeof record> & { settlement: string };

/** What identifies a held deposit across runs: the institution, the year it was held in, the investigation's opening. */
export const heldKey = (h: { code: string; year: number; opened_on?: string | null }): string => `${h.code}\u0000${h.year}\u0000${h.opened_on ?? ''}`;

/** The supplementary settlements of year Y, by number (results/Y/补充结算-N). */
export async function settlementNumbers(workspace: string, year: number): Promise<number[]> {
  const dir = join(workspace, 'results', String(year));
  if (!existsSync(dir)) return [];
  return (await readdir(dir))
    .map((e) => (e.startsWith(SETTLEMENT_PREFIX) ? Number(e.slice(SETTLEMENT_PREFIX.length)) : NaN))
    .filter((n) => Number.isInteger(n) && n > 0)
    .sort((a, b) => a - b);
}

/** Every deposit a supplementary settlement of any year has settled. A manifest that does not read is an error: money could be settled twice. */
export async function settledOnRecord(workspace: string): Promise<SettledRecord[]> {
  const results = join(workspace, 'results');
  if (!existsSync(results)) return [];
  const out: SettledRecord[] = [];
  for (const entry of await readdir(results)) {
    if (!/^\d{4}$/.test(entry)) continue;
    for (const n of await settlementNumbers(workspace, Number(entry))) {
      const file = join('results', entry, `${SETTLEMENT_PREFIX}${n}`, 'manifest.json');
      const parsed = settlementManifest.safeParse(JSON.parse(await readFile(join(workspace, file), 'utf8')));
      if (!parsed.success) throw new Error(`${file} 格式不正确，无法确定哪些暂扣保证金已经结算`);
      out.push(...parsed.data.settled.map((s) => ({ ...s, settlement: `${SETTLEMENT_PREFIX}${n}` })));
    }
  }
  return out;
}
