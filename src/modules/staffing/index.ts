// Module staffing (SPEC §5.5; policy `sanctions.staffing`, its article the profile's ref): every medical
// institution's medical-insurance office against the bed-count minimum; one short of it, or
// whose bed or staff count is not given, is listed (医保办人员配备不足) — missing data is never
// a pass (src/modules/staffing/rule.ts).
import { stepsFor, type Facts } from '../../plan/derivation.js';
import type { ListEntry } from '../../plan/types.js';
import type { ModuleRun, PlanModule } from '../types.js';
import { staffingCheck, type StaffingCheck } from './rule.js';

type Lists = 'staffingShort';
const POLICY = 'sanctions.staffing';

export const staffing = {
  id: 'staffing',
  stage: 'afterScore',
  enabled: (policy) => policy.sanctions.staffing?.enabled === true,
  lists: [{ code: 'staffingShort', title: '医保办人员配备不足', subject: 'institution', filledBy: 'staffing', policy: POLICY }],
  rules: { staffing: { label: '医保办人员按床位数配备', policy: POLICY } },
  figures: ['staffing'],
  run: (ctx): ModuleRun<StaffingCheck, Lists> => {
    const rule = ctx.policy.sanctions.staffing;
    const outcomes = new Map<string, StaffingCheck>();
    const entries: ListEntry<Lists>[] = [];
    if (!rule) return { outcomes, entries, deductions: new Map(), state: {} };
    for (const r of ctx.institutions) {
      const inst = r.institution;
      if (inst.kind !== '医疗机构') continue;
      const check = staffingCheck(inst, rule.bands);
      outcomes.set(inst.code, check);
      const facts: Facts = check.kind === 'missing' ? { kind: check.kind, missing: check.missing.join(','), beds: check.beds, staff: check.staff } : { kind: check.kind, beds: check.beds, staff: check.staff, required: check.required };
      if (check.kind !== 'enough') entries.push({ list: 'staffingShort', code: inst.code, rule: 'staffing', policy: `${POLICY}.bands`, facts, inputs: [inst.source] });
      stepsFor(ctx.trace, inst.code)?.({ figure: 'staffing', value: check.kind, rule: 'staffing', policy: `${POLICY}.bands`, inputs: [inst.source], facts });
    }
    return { outcomes, entries, deductions: new Map(), state: {} };
  },
} as const satisfies PlanModule<StaffingCheck, Lists>;
