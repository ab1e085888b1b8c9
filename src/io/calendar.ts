// The working-day calendar a run uses (SPEC §3 calendar.yaml, §5.7): the State Council's
// yearly arrangements as bundled by the `chinese-days` package (checked for 2024–2026
// against 国办发明电〔2023〕7号, 〔2024〕12号 and the notice of 2025-11-04), and the
// workspace's own calendar.yaml for a year the bundled data does not cover yet (or
// corrects). Only the package's data is used: its helpers treat an unknown year as plain
// weekdays, which a deadline must never do.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { z } from 'zod';
import type { Problem } from '../problems.js';
import type { WorkCalendar } from '../rules/calendar.js';
import { parseDate } from './values.js';

const require = createRequire(import.meta.url);

interface BundledData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

const BUNDLED_NAME = `国务院办公厅节假日安排（内置数据，chinese-days ${(require('chinese-days/package.json') as { version: string }).version}）`;

/** The bundled arrangements, by year. */
function bundled(): Map<number, { holidays: string[]; workdays: string[] }> {
  const data = require('chinese-days/dist/chinese-days.json') as BundledData;
  const years = new Map<number, { holidays: string[]; workdays: string[] }>();
  const at = (y: number) => {
    let e = years.get(y);
    if (!e) years.set(y, (e = { holidays: [], workdays: [] }));
    return e;
  };
  for (const d of Object.keys(data.holidays)) at(Number(d.slice(0, 4))).holidays.push(d);
  for (const d of Object.keys(data.workdays)) at(Number(d.slice(0, 4))).workdays.push(d);
  return years;
}

const isoDate = z.union([z.string(), z.date()]).transform((v, ctx) => {
  const parsed = parseDate(v instanceof Date ? v : String(v));
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: `应为日期，如 2027-02-06（${String(v)}）` });
    return z.NEVER;
  }
  return parsed.value;
});

const calendarFile = z.record(
  z.string().regex(/^\d{4}$/, '年份应为四位数字，如 2027'),
  z.strictObject({ holidays: z.array(isoDate).default([]), workdays: z.array(isoDate).default([]) }),
);

export const CALENDAR_FILE = 'calendar.yaml';

export type CalendarResult = { ok: true; calendar: WorkCalendar } | { ok: false; problems: Problem[] };

/** The bundled calendar with the workspace's calendar.yaml on top (its years replace the bundled ones). */
export async function loadCalendar(workspace: string): Promise<CalendarResult> {
  const years = new Map<number, { holidays: string[]; workdays: string[]; source: string }>();
  for (const [y, e] of bundled()) years.set(y, { ...e, source: BUNDLED_NAME });
  const path = join(workspace, CALENDAR_FILE);
  if (existsSync(path)) {
    const lineCounter = new LineCounter();
    const doc = parseDocument(await readFile(path, 'utf8'), { lineCounter });
    if (doc.errors.length > 0) return { ok: false, problems: doc.errors.map((e) => ({ file: CALENDAR_FILE, row: e.linePos?.[0]?.line, message: `YAML 格式错误：${e.message.split('\n')[0]}` })) };
    const lineOf = (keys: (string | number)[]) => {
      // A year key is a number in YAML (2027:), a string in the parsed record: try both.
      const first = keys[0];
      const node = doc.getIn(keys, true) ?? (typeof first === 'string' && /^\d+$/.test(first) ? doc.getIn([Number(first), ...keys.slice(1)], true) : undefined);
      return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
    };
    const parsed = calendarFile.safeParse(doc.toJS() ?? {});
    if (!parsed.success) {
      return { ok: false, problems: parsed.error.issues.map((i) => ({ file: CALENDAR_FILE, row: lineOf(i.path.filter((p): p is string | number => typeof p !== 'symbol')), column: i.path.join('.'), message: i.message })) };
    }
    const problems: Problem[] = [];
    for (const [year, e] of Object.entries(parsed.data)) {
      for (const [kind, dates] of [['holidays', e.holidays], ['workdays', e.workdays]] as const) {
        dates.forEach((d, i) => {
          if (!d.startsWith(`${year}-`)) problems.push({ file: CALENDAR_FILE, row: lineOf([year, kind, i]), column: `${year}.${kind}`, value: d, message: `日期不在 ${year} 年内` });
          const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
          if (kind === 'workdays' && weekday !== 0 && weekday !== 6) problems.push({ file: CALENDAR_FILE, row: lineOf([year, kind, i]), column: `${year}.${kind}`, value: d, message: '调休上班日应为周六或周日（其余工作日不必列出）' });
        });
      }
      years.set(Number(year), { holidays: e.holidays, workdays: e.workdays, source: CALENDAR_FILE });
    }
    if (problems.length > 0) return { ok: false, problems };
  }
  const calendar: WorkCalendar = {
    years: new Set(years.keys()),
    holidays: new Set([...years.values()].flatMap((e) => e.holidays)),
    workdays: new Set([...years.values()].flatMap((e) => e.workdays)),
    sources: new Map([...years].map(([y, e]) => [y, e.source])),
  };
  return { ok: true, calendar };
}
