// Working days on the official calendar (SPEC §5.7), checked against the State Council's
// notices: 2024 (国办发明电〔2023〕7号), 2025 (国办发明电〔2024〕12号), 2026 (notice of 2025-11-04).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCalendar } from '../../src/io/calendar.js';
import { CalendarGap, addCalendarDays, addMonths, addWorkingDays, addYears, isWorkingDay, type WorkCalendar } from '../../src/rules/calendar.js';

let calendar: WorkCalendar;
beforeAll(async () => {
  const loaded = await loadCalendar(mkdtempSync(join(tmpdir(), 'cal-')));
  if (!loaded.ok) throw new Error('bundled calendar');
  calendar = loaded.calendar;
});

describe('the bundled calendar agrees with the notices', () => {
  it.each([
    // 2024: 春节 2月10日至17日, 2月4日(周日)、2月18日(周日)上班; 国庆 10月1日至7日, 9月29日(周日)、10月12日(周六)上班
    ['2024-02-04', true], ['2024-02-10', false], ['2024-02-17', false], ['2024-02-18', true], ['2024-09-29', true], ['2024-10-07', false], ['2024-10-12', true],
    // 2025: 春节 1月28日至2月4日, 1月26日(周日)、2月8日(周六)上班; 劳动节 4月27日(周日)上班; 国庆中秋 10月1日至8日, 9月28日、10月11日上班
    ['2025-01-26', true], ['2025-01-28', false], ['2025-02-04', false], ['2025-02-08', true], ['2025-04-27', true], ['2025-10-08', false], ['2025-10-11', true],
    // 2026: 元旦 1月1日至3日, 1月4日(周日)上班; 春节 2月15日至23日, 2月14日、2月28日(周六)上班; 国庆 9月20日、10月10日上班
    ['2026-01-02', false], ['2026-01-04', true], ['2026-02-14', true], ['2026-02-23', false], ['2026-02-28', true], ['2026-05-09', true], ['2026-09-20', true], ['2026-10-10', true],
    // ordinary days
    ['2025-03-05', true], ['2025-03-08', false],
  ])('%s is a working day: %s', (d, working) => expect(isWorkingDay(calendar, d)).toBe(working));
});

describe('deadlines (SPEC §5.7)', () => {
  it('counts working days after the day, across a holiday with make-up working days', () => {
    // Notified on Monday 2025-09-22: working days 9-23..9-26 (4), 9-28 Sunday make-up (5), 9-29, 9-30 (7),
    // 10-1..10-8 holiday, 10-9, 10-10 (9), 10-11 Saturday make-up (10), 10-13..10-17 (15).
    expect(addWorkingDays(calendar, '2025-09-22', 15)).toBe('2025-10-17');
    expect(addWorkingDays(calendar, '2025-09-22', 5)).toBe('2025-09-28'); // a make-up Sunday counts
    expect(addWorkingDays(calendar, '2025-09-30', 1)).toBe('2025-10-09');
  });
  it('counts calendar days without rolling forward onto a working day', () => {
    expect(addCalendarDays('2025-09-08', 30)).toBe('2025-10-08'); // a holiday: it stands
  });
  it('refuses a year no calendar covers instead of guessing from weekdays', () => {
    expect(() => addWorkingDays(calendar, '2026-12-20', 15)).toThrow(CalendarGap);
    expect(() => isWorkingDay(calendar, '2027-01-04')).toThrowError(expect.objectContaining({ year: 2027 }));
  });
  it("takes a year from the workspace's calendar.yaml", async () => {
    const ws = mkdtempSync(join(tmpdir(), 'cal-'));
    writeFileSync(join(ws, 'calendar.yaml'), '2027:\n  holidays: [2027-01-01, 2027-02-06]\n  workdays: [2027-02-14]\n');
    const loaded = await loadCalendar(ws);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
    expect(isWorkingDay(loaded.calendar, '2027-01-01')).toBe(false);
    expect(isWorkingDay(loaded.calendar, '2027-02-14')).toBe(true);
    expect(loaded.calendar.sources.get(2027)).toBe('calendar.yaml');
  });
  it('reports a bad calendar.yaml with its line', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'cal-'));
    writeFileSync(join(ws, 'calendar.yaml'), '2027:\n  holidays: [2027-01-01]\n  workdays: [2027-02-15, 2028-01-01]\n');
    const loaded = await loadCalendar(ws);
    expect(loaded.ok).toBe(false);
    if (loaded.ok) return;
    expect(loaded.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'calendar.yaml', row: 3, value: '2027-02-15', message: expect.stringContaining('周六或周日') }),
        expect.objectContaining({ file: 'calendar.yaml', row: 3, value: '2028-01-01', message: expect.stringContaining('不在 2027 年内') }),
      ]),
    );
  });
  it('ends a period on the same day of the month, or the month’s last day', () => {
    expect(addYears('2024-07-08', 1)).toBe('2025-07-08');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
  });
});
