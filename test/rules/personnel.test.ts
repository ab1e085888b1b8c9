// The 12-point record of a person (SPEC §5.2), with the drafting note's own figures:
// 青海 三（五） 6 key supervision, 9 suspension of 1–6 months, 12 termination with a ban of 1
// year (累计记满) or 3 years (一次性记满); 三（六） one repair of 1–3 points a year, none after a
// one-shot 12, restoration ending a suspension.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PERSON_STATUSES, suspensionMonthsFor, walkPerson, type PersonEvent, type PersonnelRules } from '../../src/rules/personnel.js';

const RULES: PersonnelRules = {
  keySupervisionAt: 6,
  suspendAt: 9,
  terminateAt: 12,
  suspensionMonths: { 9: 1, 10: 2, 11: 3 },
  cumulativeBanYears: 1,
  oneShotBanYears: 3,
  repairsPerYear: 1,
  repairMaxPoints: 3,
};

let row = 1;
const at = (date: string, points: number, kind: PersonEvent['kind'] = points > 0 ? '记分' : points < 0 ? '修复' : '恢复', institution = 'H63010100001'): PersonEvent => ({ date, points, kind, row: ++row, institution });
const walk = (...events: PersonEvent[]) => walkPerson(events, undefined, RULES);

describe('thresholds are reached on the date of the event that crosses them (三（五）)', () => {
  it('5 points: nothing', () => {
    const { year } = walk(at('2024-02-01', 3), at('2024-03-01', 2));
    expect(year).toMatchObject({ deducted: 5, points: 5, status: 'normal', keySupervision: null, highest: null });
  });
  it('6 points: key supervision from the sixth point', () => {
    const { year } = walk(at('2024-02-01', 4), at('2024-05-10', 2));
    expect(year.status).toBe('keySupervision');
    expect(year.keySupervision?.date).toBe('2024-05-10');
  });
  it('8 points: still key supervision, from the event that crossed 6', () => {
    const { year } = walk(at('2024-02-01', 3), at('2024-03-01', 3), at('2024-04-01', 2));
    expect(year.status).toBe('keySupervision');
    expect(year.keySupervision?.date).toBe('2024-03-01');
  });
  it('9 points: suspended from that day for 1 month (the first day free of it is the same day a month on)', () => {
    const { year } = walk(at('2024-03-01', 6), at('2024-04-15', 3));
    expect(year.status).toBe('suspended');
    expect(year.suspension).toMatchObject({ date: '2024-04-15', until: '2024-05-15', months: 1, pointsReached: 9 });
    expect(year.keySupervision?.date).toBe('2024-03-01');
  });
  it('11 points in the crossing event: 3 months; later points below 12 do not lengthen it', () => {
    const { year } = walk(at('2024-02-10', 8), at('2024-02-20', 3));
    expect(year.suspension).toMatchObject({ date: '2024-02-20', until: '2024-05-20', months: 3, pointsReached: 11 });
    const later = walk(at('2024-02-10', 9), at('2024-02-20', 2)).year;
    expect(later.suspension).toMatchObject({ date: '2024-02-10', until: '2024-03-10', months: 1 });
    expect(later.points).toBe(11);
  });
  it('12 accumulated: terminated on that day, no re-registration for 1 year', () => {
    const { year } = walk(at('2024-01-31', 6), at('2024-07-01', 6));
    expect(year.status).toBe('terminated');
    expect(year.termination).toMatchObject({ date: '2024-07-01', oneShot: false, bannedUntil: '2025-07-01' });
  });
  it('12 in one event: 3 years', () => {
    const { year } = walk(at('2024-09-30', 12));
    expect(year.termination).toMatchObject({ date: '2024-09-30', oneShot: true, bannedUntil: '2027-09-30' });
    expect(year.keySupervision?.date).toBe('2024-09-30'); // every line is crossed by it
  });
  it('a suspension ending in a shorter month ends on its last day', () => {
    expect(walk(at('2024-01-31', 9)).year.suspension?.until).toBe('2024-02-29');
  });
});

describe('repair and restoration (三（六）)', () => {
  it('a repair from 9 to 7 lowers the running total but never undoes the suspension', () => {
    const { year, problems } = walk(at('2024-03-01', 9), at('2024-06-01', -2));
    expect(problems).toEqual([]);
    expect(year).toMatchObject({ deducted: 9, repaired: 2, points: 7, status: 'suspended' });
    expect(year.suspension?.until).toBe('2024-04-01');
  });
  it('a repair counts from its date: 8, −2, +3 reaches 9, not 11', () => {
    const { year } = walk(at('2024-03-01', 8), at('2024-04-01', -2), at('2024-05-01', 3));
    expect(year.suspension).toMatchObject({ date: '2024-05-01', pointsReached: 9, months: 1 });
  });
  it('a second repair in the year is refused, naming the first', () => {
    const first = at('2024-03-01', -1);
    const second = at('2024-04-01', -1);
    const { problems, year } = walk(at('2024-02-01', 5), first, second);
    expect(problems).toEqual([expect.objectContaining({ row: second.row, column: '分值', message: expect.stringContaining(`第${first.row}行`) })]);
    expect(year.repaired).toBe(1);
  });
  it('no repair after a one-shot 12', () => {
    const repair = at('2024-11-01', -3);
    const { problems } = walk(at('2024-10-01', 12), repair);
    expect(problems).toEqual([expect.objectContaining({ row: repair.row, message: expect.stringContaining('一次性记满12分') })]);
  });
  it('a repair may follow an accumulated 12 (only the one-shot is excluded), and does not undo the termination', () => {
    const { problems, year } = walk(at('2024-01-10', 6), at('2024-02-10', 6), at('2024-03-10', -3));
    expect(problems).toEqual([]);
    expect(year).toMatchObject({ status: 'terminated', points: 9 });
  });
  it('a restoration ends a suspension early; points go on accumulating', () => {
    const { year, problems } = walk(at('2024-03-01', 9), at('2024-03-15', 0), at('2024-05-01', 2));
    expect(problems).toEqual([]);
    expect(year.suspension).toMatchObject({ date: '2024-03-01', until: '2024-03-15', endedEarlyOn: '2024-03-15' });
    expect(year.points).toBe(11);
  });
  it('a restoration before the termination ban has run out is refused', () => {
    const restore = at('2024-08-01', 0);
    const { problems } = walk(at('2024-07-01', 12), restore);
    expect(problems).toEqual([expect.objectContaining({ row: restore.row, column: '事件类型', message: expect.stringContaining('2027-07-01') })]);
  });
  it('a restoration with no suspension running is refused', () => {
    const restore = at('2024-08-01', 0);
    expect(walk(at('2024-03-01', 9), restore).problems).toEqual([expect.objectContaining({ row: restore.row, message: expect.stringContaining('没有处于暂停期') })]);
  });
  it('last year’s suspension running into January can be ended early', () => {
    const { year } = walkPerson([at('2025-01-05', 0)], { suspendedFrom: '2024-11-15', suspendedUntil: '2025-01-15' }, RULES);
    expect(year.carriedSuspension).toEqual({ from: '2024-11-15', until: '2025-01-05', endedEarlyOn: '2025-01-05' });
  });
  it('last year’s ban still running when this year’s first event comes: the person is flagged', () => {
    const { year } = walkPerson([at('2025-02-01', 2)], { bannedUntil: '2025-07-01', terminatedOn: '2024-07-01' }, RULES);
    expect(year.banned).toEqual({ until: '2025-07-01', terminatedOn: '2024-07-01', oneShot: false });
    expect(walkPerson([at('2025-08-01', 2)], { bannedUntil: '2025-07-01' }, RULES).year.banned).toBeNull();
  });
});

describe('suspension months for the points reached', () => {
  it('the largest mapping at or below the points', () => {
    expect([9, 10, 11].map((p) => suspensionMonthsFor(p, RULES))).toEqual([1, 2, 3]);
    expect(suspensionMonthsFor(9, { ...RULES, suspensionMonths: { 9: 2, 11: 6 } })).toBe(2);
    expect(suspensionMonthsFor(10, { ...RULES, suspensionMonths: { 9: 2, 11: 6 } })).toBe(2);
  });
});

describe('properties', () => {
  const demerits = fc.array(fc.record({ day: fc.integer({ min: 1, max: 28 }), month: fc.integer({ min: 1, max: 12 }), points: fc.integer({ min: 1, max: 12 }) }), { maxLength: 8 });
  const toEvents = (xs: { day: number; month: number; points: number }[]) =>
    xs
      .map((x, i) => ({ date: `2024-${String(x.month).padStart(2, '0')}-${String(x.day).padStart(2, '0')}`, points: x.points, kind: '记分' as const, row: i + 2, institution: 'H63010100001' }))
      .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.row - b.row));
  const rank = (s: string) => PERSON_STATUSES.indexOf(s as (typeof PERSON_STATUSES)[number]);

  it('the status is the line the year’s total crossed; points are deducted − repaired', () => {
    fc.assert(
      fc.property(demerits, (xs) => {
        const { year } = walkPerson(toEvents(xs), undefined, RULES);
        const total = xs.reduce((a, x) => a + x.points, 0);
        const expected = total >= 12 ? 'terminated' : total >= 9 ? 'suspended' : total >= 6 ? 'keySupervision' : 'normal';
        expect(year.status).toBe(expected);
        expect(year.points).toBe(year.deducted - year.repaired);
      }),
    );
  });

  it('one more demerit never lowers the status', () => {
    fc.assert(
      fc.property(demerits, fc.integer({ min: 1, max: 12 }), (xs, extra) => {
        const events = toEvents(xs);
        const before = walkPerson(events, undefined, RULES).year.status;
        const after = walkPerson([...events, { date: '2024-12-31', points: extra, kind: '记分', row: 99, institution: 'H63010100001' }], undefined, RULES).year.status;
        expect(rank(after)).toBeGreaterThanOrEqual(rank(before));
      }),
    );
  });
});
