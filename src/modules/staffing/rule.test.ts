import { describe, expect, it } from 'vitest';
import { requiredStaff, staffingCheck } from './rule.js';

// 临沂 政策措施（二）: 100张床位及以下最少1人，101张-1000张原则上不少于3人，1000张以上原则上不少于5人.
const BANDS = [{ maxBeds: 100, min: 1 }, { maxBeds: 1000, min: 3 }, { min: 5 }];

describe('requiredStaff at every band edge', () => {
  it.each([
    [0, 1],
    [100, 1],
    [101, 3],
    [1000, 3],
    [1001, 5],
    [5000, 5],
  ])('%i beds → at least %i', (beds, min) => expect(requiredStaff(beds, BANDS)).toBe(min));
});

describe('staffingCheck', () => {
  it('short below the band, enough at it', () => {
    expect(staffingCheck({ beds: 101, insuranceStaff: 2, inpatient: true }, BANDS)).toEqual({ kind: 'short', beds: 101, staff: 2, required: 3 });
    expect(staffingCheck({ beds: 101, insuranceStaff: 3, inpatient: true }, BANDS).kind).toBe('enough');
  });
  it('a count not given is missing data, never a pass', () => {
    expect(staffingCheck({ beds: null, insuranceStaff: 9, inpatient: true }, BANDS)).toEqual({ kind: 'missing', missing: ['beds'], beds: null, staff: 9 });
    expect(staffingCheck({ beds: 50, insuranceStaff: null, inpatient: true }, BANDS)).toMatchObject({ kind: 'missing', missing: ['staff'] });
    expect(staffingCheck({ beds: null, insuranceStaff: null, inpatient: null }, BANDS)).toMatchObject({ missing: ['beds', 'staff'] });
  });
  it('an outpatient-only institution with no bed count has no beds: it needs 1', () => {
    expect(staffingCheck({ beds: null, insuranceStaff: 0, inpatient: false }, BANDS)).toEqual({ kind: 'short', beds: 0, staff: 0, required: 1 });
  });
});
