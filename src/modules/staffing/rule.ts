// The medical-insurance office's staff (policy `sanctions.staffing`; its article is the
// profile's ref): a medical institution needs at least the staff of its bed-count band
// (100 beds or fewer: 1; 101–1000: 3; over 1000: 5). A bed or staff count not given is not a
// pass: the institution is listed as missing the data. An outpatient-only institution with no
// bed count has no beds. Pure.
import type { Institution } from '../../domain.js';
import type { Policy } from '../../policy/schema.js';

type Bands = NonNullable<Policy['sanctions']['staffing']>['bands'];

/** The least staff for a bed count: the first band whose maxBeds holds it (the last band has none). */
export function requiredStaff(beds: number, bands: Bands): number {
  const band = bands.find((b) => b.maxBeds === undefined || beds <= b.maxBeds) ?? bands[bands.length - 1];
  return band?.min ?? 0;
}

export type StaffingCheck =
  | { kind: 'enough'; beds: number; staff: number; required: number }
  | { kind: 'short'; beds: number; staff: number; required: number }
  | { kind: 'missing'; missing: ('beds' | 'staff')[]; beds: number | null; staff: number | null };

export function staffingCheck(inst: Pick<Institution, 'beds' | 'insuranceStaff' | 'inpatient'>, bands: Bands): StaffingCheck {
  const beds = inst.beds ?? (inst.inpatient === false ? 0 : null);
  const staff = inst.insuranceStaff;
  if (beds === null || staff === null) return { kind: 'missing', missing: [...(beds === null ? ['beds' as const] : []), ...(staff === null ? ['staff' as const] : [])], beds, staff };
  const required = requiredStaff(beds, bands);
  return { kind: staff < required ? 'short' : 'enough', beds, staff, required };
}
