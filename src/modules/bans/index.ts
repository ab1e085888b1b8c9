// Module bans (SPEC §5.5; policy `sanctions.bans`, its articles the profile's refs): an
// institution that left the scheme may not apply again for some years — 3 after a
// termination (and false materials, the credit blacklist), 1 after a voluntary exit. Bans
// come from 退出记录, from the terminations this run decides (refused materials, 解除协议,
// a tier termination, an annual score below the line) and from last year's state, and are
// checked against the roster by institution code AND by 统一社会信用代码, so a legal entity
// re-admitted under a new code is caught. Bans still running are carried in state.json.
import { z } from 'zod';
import type { Exit, Institution, RowRef } from '../../domain.js';
import type { IsoDate } from '../../io/values.js';
import type { Policy } from '../../policy/schema.js';
import { stepsFor } from '../../plan/derivation.js';
import { terminationsOf } from '../../plan/terminations.js';
import type { ListEntry } from '../../plan/types.js';
import type { Problem } from '../../problems.js';
import { addYears } from '../../rules/calendar.js';
import type { DeregisterOutcome } from '../annual-low-terminate/index.js';
import type { TierOutcome } from '../tiers/index.js';
import type { AfterScoreContext, InstitutionStateFields, ModuleRun, PlanModule } from '../types.js';

/** Why an institution is banned. */
export type BanCause = '主动退出' | '解除协议' | '提供虚假材料' | '列入失信黑名单' | '不合格' | '降级至解除协议' | '年度考评低于分数线';

export interface Ban {
  code: string;
  creditCode: string;
  name: string;
  cause: BanCause;
  since: IsoDate;
  /** The first day free of the ban. */
  until: IsoDate;
  policy: string;
  source: RowRef | null;
  /** The year whose run recorded the ban. */
  year: number;
}

export interface BanOutcome {
  /** The latest end of a ban on the institution's own code or entity. */
  bannedUntil: IsoDate | null;
  /** A ban in force that the institution's admission runs against (re-admitted during a ban). */
  caught: (Ban & { matchedBy: 'code' | 'creditCode' }) | null;
}

type Lists = 'banned';
const POLICY = 'sanctions.bans';

const banRecord = z.object({
  code: z.string(),
  credit_code: z.string(),
  name: z.string(),
  cause: z.string(),
  since: z.string(),
  until: z.string(),
  policy: z.string(),
  source: z.object({ file: z.string(), sheet: z.string().optional(), row: z.number().int() }).nullable(),
  year: z.number().int(),
});
const slice = z.object({ records: z.array(banRecord) });

const EXIT_CAUSE_YEARS: Record<Exit['type'], { years: (p: NonNullable<Policy['sanctions']['bans']>) => number | undefined; path: string }> = {
  主动退出: { years: (p) => p.voluntaryYears, path: `${POLICY}.voluntaryYears` },
  解除协议: { years: (p) => p.terminatedYears, path: `${POLICY}.terminatedYears` },
  提供虚假材料: { years: (p) => p.falseMaterialsYears, path: `${POLICY}.falseMaterialsYears` },
  列入失信黑名单: { years: (p) => p.blacklistYears, path: `${POLICY}.blacklistYears` },
};

/** Every ban known this year: carried, from 退出记录, and from this run's terminations. */
function bansOf(ctx: AfterScoreContext): Ban[] {
  const rule = ctx.policy.sanctions.bans;
  if (!rule) return [];
  const bans: Ban[] = [];
  const carried = slice.safeParse(ctx.prior.state?.modules?.bans);
  if (carried.success) {
    for (const b of carried.data.records) bans.push({ code: b.code, creditCode: b.credit_code, name: b.name, cause: b.cause as BanCause, since: b.since, until: b.until, policy: b.policy, source: b.source, year: b.year });
  }
  for (const e of ctx.inputs.exits) {
    const years = EXIT_CAUSE_YEARS[e.type].years(rule);
    if (!years) continue; // a voluntary exit with no ban (0 years); an unset period was refused at validation
    bans.push({ code: e.code, creditCode: e.creditCode, name: e.name, cause: e.type, since: e.exitedOn, until: addYears(e.exitedOn, years), policy: EXIT_CAUSE_YEARS[e.type].path, source: e.source, year: ctx.year });
  }
  const roster = new Map(ctx.institutions.map((r) => [r.institution.code, r.institution]));
  const own = (code: string, cause: BanCause, since: IsoDate, source: RowRef | null) => {
    const inst = roster.get(code);
    if (inst) bans.push({ code, creditCode: inst.creditCode, name: inst.name, cause, since, until: addYears(since, rule.terminatedYears), policy: `${POLICY}.terminatedYears`, source, year: ctx.year });
  };
  for (const t of terminationsOf(ctx.institutions, ctx.inputs.violations, ctx.policy, ctx.year)) own(t.code, t.cause === 'unqualified' ? '不合格' : '解除协议', t.violation.handledOn, t.violation.source);
  const tiers = ctx.earlier.tiers?.outcomes as ReadonlyMap<string, TierOutcome> | undefined;
  for (const [code, o] of tiers ?? []) {
    if (o.decision !== 'terminate') continue;
    const last = o.fired.find((f) => f.terminate);
    own(code, '降级至解除协议', last?.firedOn ?? ctx.asOf, last?.violations[last.violations.length - 1]?.source ?? null);
  }
  const deregistered = ctx.earlier.annualLowTerminate?.outcomes as ReadonlyMap<string, DeregisterOutcome> | undefined;
  for (const [code, o] of deregistered ?? []) own(code, '年度考评低于分数线', o.startBy, null);
  // The same ban found twice (a termination also in 退出记录): kept once, the longer.
  const unique = new Map<string, Ban>();
  for (const b of bans) {
    const key = `${b.code}\u0000${b.since}`;
    const seen = unique.get(key);
    if (!seen || b.until > seen.until) unique.set(key, b);
  }
  return [...unique.values()];
}

/**
 * Whether a roster institution is caught by a ban: admitted (纳入定点日期) while the ban ran,
 * even if it has run out since; or, with the ban in force on the as-of date, on its own code
 * when the ban began before this year (it is back in the roster while banned) — its own
 * termination or exit this year is not a re-admission — and on its legal entity (统一社会信用代码)
 * under another code, always.
 */
export function caughtBy(inst: Pick<Institution, 'code' | 'creditCode' | 'admittedOn'>, ban: Ban, asOf: IsoDate, year: number): 'code' | 'creditCode' | null {
  const sameCode = ban.code === inst.code;
  const sameEntity = inst.creditCode !== '' && ban.creditCode !== '' && inst.creditCode === ban.creditCode;
  if (!sameCode && !sameEntity) return null;
  const how = sameCode ? 'code' : 'creditCode';
  const admittedDuring = inst.admittedOn !== null && ban.since <= inst.admittedOn && inst.admittedOn < ban.until && inst.admittedOn <= asOf;
  if (admittedDuring) return how;
  if (!(ban.since <= asOf && asOf < ban.until)) return null;
  return sameCode ? (ban.since < `${year}-01-01` ? 'code' : null) : 'creditCode';
}

export const bans = {
  id: 'bans',
  stage: 'afterScore',
  enabled: (policy) => policy.sanctions.bans?.enabled === true,
  lists: [{ code: 'banned', title: '禁入期内', subject: 'institution', filledBy: 'bans', policy: POLICY }],
  rules: { reapplicationBan: { label: '退出后禁入期内不得重新申请定点', policy: POLICY } },
  figures: ['ban'],
  priorState: slice,
  validate: (inputs, policy) => {
    const rule = policy.sanctions.bans;
    if (!rule) return [];
    const problems: Problem[] = [];
    for (const e of inputs.exits) {
      const at = { file: e.source.file, sheet: e.source.sheet, row: e.source.row };
      if (e.exitedOn > inputs.asOf) problems.push({ ...at, column: '退出日期', value: e.exitedOn, message: `退出日期晚于考核工作结束日期（${inputs.asOf}）：退出记录只记已经退出的机构` });
      const cause = EXIT_CAUSE_YEARS[e.type];
      if (cause.years(rule) === undefined) problems.push({ ...at, column: '退出类型', value: e.type, message: `政策文件没有规定「${e.type}」后的禁入年限（${cause.path}）` });
    }
    return problems;
  },
  run: (ctx): ModuleRun<BanOutcome, Lists> => {
    const outcomes = new Map<string, BanOutcome>();
    const entries: ListEntry<Lists>[] = [];
    const states = new Map<string, InstitutionStateFields>();
    const all = bansOf(ctx);
    const byCode = new Map<string, Ban[]>();
    const byCredit = new Map<string, Ban[]>();
    for (const b of all) {
      byCode.set(b.code, [...(byCode.get(b.code) ?? []), b]);
      if (b.creditCode) byCredit.set(b.creditCode, [...(byCredit.get(b.creditCode) ?? []), b]);
    }
    for (const r of ctx.institutions) {
      const inst = r.institution;
      const candidates = [...(byCode.get(inst.code) ?? []), ...(inst.creditCode ? (byCredit.get(inst.creditCode) ?? []).filter((b) => b.code !== inst.code) : [])];
      if (candidates.length === 0) continue;
      const ownBans = candidates.filter((b) => b.code === inst.code || b.creditCode === inst.creditCode);
      const bannedUntil = ownBans.map((b) => b.until).reduce<IsoDate | null>((a, u) => (a === null || u > a ? u : a), null);
      let caught: BanOutcome['caught'] = null;
      for (const b of candidates) {
        const how = caughtBy(inst, b, ctx.asOf, ctx.year);
        if (how && (!caught || b.until > caught.until)) caught = { ...b, matchedBy: how };
      }
      outcomes.set(inst.code, { bannedUntil, caught });
      if (bannedUntil) states.set(inst.code, { banned_until: bannedUntil });
      if (caught) {
        const facts = { cause: caught.cause, since: caught.since, until: caught.until, matchedBy: caught.matchedBy, bannedCode: caught.code, bannedName: caught.name, creditCode: caught.creditCode, admittedOn: inst.admittedOn, inForce: caught.since <= ctx.asOf && ctx.asOf < caught.until };
        entries.push({ list: 'banned', code: inst.code, rule: 'reapplicationBan', policy: caught.policy, facts, inputs: caught.source ? [caught.source] : [] });
        stepsFor(ctx.trace, inst.code)?.({ figure: 'ban', value: caught.until, rule: 'reapplicationBan', policy: caught.policy, inputs: caught.source ? [caught.source] : [], facts });
      } else if (bannedUntil) {
        stepsFor(ctx.trace, inst.code)?.({ figure: 'ban', value: bannedUntil, rule: 'reapplicationBan', policy: POLICY, facts: { own: true } });
      }
    }
    // Carried: every ban still running after the as-of date.
    const records = all
      .filter((b) => b.until > ctx.asOf)
      .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : a.since < b.since ? -1 : 1))
      .map((b) => ({ code: b.code, credit_code: b.creditCode, name: b.name, cause: b.cause, since: b.since, until: b.until, policy: b.policy, source: b.source, year: b.year }));
    return { outcomes, entries, deductions: new Map(), state: { institutions: states, slice: { records } } };
  },
} as const satisfies PlanModule<BanOutcome, Lists>;
