// Module annualLowTerminate (SPEC §5.5; policy `sanctions.annualLowTerminate`, its articles the profile's refs): an
// institution whose annual score is below the line starts the 解除定点资质 process within
// N working days of the day the agency received the department's 通报 (--notified-on),
// completes deregistration within M calendar days of the termination (at the latest after
// the start deadline), and a forced exit sets up its clearing team within K working days.
// Working days are the official calendar's; a date in a year no calendar covers stops the
// run (CalendarGap), it is never guessed. Only institutions in the tiers' scope (第二条).
import type { IsoDate } from '../../io/values.js';
import { stepsFor } from '../../plan/derivation.js';
import type { ListEntry } from '../../plan/types.js';
import { addCalendarDays, addWorkingDays } from '../../rules/calendar.js';
import { inTierScope } from '../tiers/rule.js';
import type { ModuleRun, PlanModule } from '../types.js';

export interface DeregisterOutcome {
  score: string;
  notifiedOn: IsoDate;
  startBy: IsoDate;
  deregisterBy: IsoDate;
  clearingBy: IsoDate;
}

type Lists = 'deregister';
const POLICY = 'sanctions.annualLowTerminate';

export const annualLowTerminate = {
  id: 'annualLowTerminate',
  stage: 'afterScore',
  enabled: (policy) => policy.sanctions.annualLowTerminate?.enabled === true,
  lists: [{ code: 'deregister', title: '解除定点资质（年度考评低于60分）', subject: 'institution', filledBy: 'annualLowTerminate', policy: POLICY }],
  rules: { annualLowTerminate: { label: '年度考评低于分数线，启动解除定点资质程序', policy: POLICY } },
  figures: ['deregister'],
  run: (ctx): ModuleRun<DeregisterOutcome, Lists> => {
    const rule = ctx.policy.sanctions.annualLowTerminate;
    const outcomes = new Map<string, DeregisterOutcome>();
    const entries: ListEntry<Lists>[] = [];
    if (!rule) return { outcomes, entries, deductions: new Map(), state: {} };
    const decimals = ctx.policy.scoring.decimals;
    for (const r of ctx.institutions) {
      const a = r.assessment;
      if (a.status !== 'scored' || !a.score.lt(rule.below)) continue;
      if (ctx.policy.tiers && !inTierScope(r.institution, ctx.policy.tiers.appliesTo)) continue;
      const startBy = addWorkingDays(ctx.calendar, ctx.notifiedOn, rule.startWithinWorkingDays);
      const outcome: DeregisterOutcome = {
        score: a.score.toFixed(decimals),
        notifiedOn: ctx.notifiedOn,
        startBy,
        deregisterBy: addCalendarDays(startBy, rule.deregisterWithinDays),
        clearingBy: addWorkingDays(ctx.calendar, startBy, rule.clearingWithinWorkingDays),
      };
      const code = r.institution.code;
      outcomes.set(code, outcome);
      const facts = { ...outcome, below: rule.below, workingDays: rule.startWithinWorkingDays, days: rule.deregisterWithinDays, clearingWorkingDays: rule.clearingWithinWorkingDays };
      entries.push({ list: 'deregister', code, rule: 'annualLowTerminate', policy: POLICY, facts, inputs: [] });
      stepsFor(ctx.trace, code)?.({ figure: 'deregister', value: startBy, rule: 'annualLowTerminate', policy: POLICY, from: [ctx.trace.find(code, 'score')].filter((i) => i >= 0), facts });
    }
    return { outcomes, entries, deductions: new Map(), state: {} };
  },
} as const satisfies PlanModule<DeregisterOutcome, Lists>;
