// 公示公告-Y.html (SPEC §6): the public notice — its text from a template (templates/notice/
// 公示公告.html, or the workspace's own templates/公示公告.html), filled from the policy's
// `publication` (issuing office, 公示期, how to object) and the date of issue, followed by
// every published list with its title, year and legal basis. One self-contained file that
// prints on A4 (the template's print CSS: a page per list, header rows repeated). The
// lists are the ones of 公示名单 (src/report/notice-lists.ts): names masked, no ID numbers.
import Mustache from 'mustache';
import { Decimal } from 'decimal.js';
import type { IsoDate } from '../io/values.js';
import type { YearPlan } from '../plan/year-plan.js';
import { citePath } from '../policy/refs.js';
import { addCalendarDays, addWorkingDays, type WorkCalendar } from '../rules/calendar.js';
import { groupedYuan } from './explain.js';
import { institutionsNoun } from './list-layouts.js';
import { isMoney, listCellText, type PublishedList } from './notice-lists.js';
import { writeTextFile } from '../io/text-file.js';
import type { WrittenFile } from '../io/atomic.js';

export interface NoticeOptions {
  /** The template's text (mustache). */
  template: string;
  /** The date of issue; null: left blank for the office to write in. */
  issuedOn: IsoDate | null;
  calendar: WorkCalendar;
}

/** 2025-03-10 → 2025年3月10日. */
export function chineseDate(d: IsoDate): string {
  const [y, m, day] = d.split('-').map(Number);
  return `${y}年${m}月${day}日`;
}

/** 公示期 in words: from the date of issue, or from publication when the date is not given. */
export function publicationPeriod(plan: YearPlan, issuedOn: IsoDate | null, calendar: WorkCalendar): string {
  const period = plan.policy.publication.period;
  if (!period) return issuedOn ? `自${chineseDate(issuedOn)}起` : '自发布之日起';
  const length = period.workingDays !== undefined ? `${period.workingDays}个工作日` : `${period.days ?? 0}日`;
  if (!issuedOn) return `自发布之日起${length}`;
  // The day of issue is the period's first day (when it is a working day): 5 working days from
  // Monday 3-10 end on Friday 3-14.
  const dayBefore = addCalendarDays(issuedOn, -1);
  const end = period.workingDays !== undefined ? addWorkingDays(calendar, dayBefore, period.workingDays) : addCalendarDays(dayBefore, period.days ?? 0);
  return `${chineseDate(issuedOn)}至${chineseDate(end)}（${length}）`;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

/** A list's table, in pieces: header row repeated on every printed page (thead), a class per cell for alignment. */
function* tablePieces(list: PublishedList, decimals: number): Generator<string> {
  const short = list.columns.map((_c, k) => shortColumn(list, k));
  const head = list.columns.map((c, k) => `<th class="${short[k] ? 'short' : ''}">${escapeHtml(c.header)}</th>`).join('');
  yield `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n`;
  for (const [i, row] of list.rows.entries()) {
    const cells = row.map((v, c) => {
      const kind = list.columns[c]?.kind;
      const text = isMoney(v) ? groupedYuan(listCellText(v, decimals)) : listCellText(v, decimals);
      const type = kind === 'code' ? 'code' : typeof v === 'number' || v instanceof Decimal || isMoney(v) ? 'number' : 'text';
      return `<td class="${short[c] ? `${type} short` : type}">${escapeHtml(text)}</td>`;
    });
    yield `${i > 0 ? '\n' : ''}<tr>${cells.join('')}</tr>`;
  }
  yield '\n</tbody>\n</table>';
}

/** A column whose every cell is short (a district, a grade, a date): kept on one line. */
function shortColumn(list: PublishedList, k: number): boolean {
  return list.rows.every((r) => {
    const v = r[k];
    return typeof v !== 'string' || [...v].length <= 8;
  });
}

/** Where list k's table goes in the rendered template (written in its place, row by row). */
const tableMarker = (k: number) => `\u0000表格${k}\u0000`;
const TABLE_MARKER = /\u0000表格(\d+)\u0000/;
/** A template that prints a table escaped ({{表格}}, not {{{表格}}}) gets it whole, as mustache escapes it. */
const ESCAPED_TABLE = /(^|[^{])\{\{\s*表格\s*\}\}/;

/** 公示公告-Y.html. */
export const noticeHtmlName = (year: number): string => `公示公告-${year}.html`;

/**
 * 公示公告-Y.html, written into the folder being published: the template rendered with a
 * marker for each list's table, then written piece by piece with the tables made row by
 * row in their places — a national result list is hundreds of megabytes of HTML.
 */
export function noticeHtml(plan: YearPlan, lists: readonly PublishedList[], opts: NoticeOptions): WrittenFile {
  const { policy } = plan;
  const decimals = policy.scoring.decimals;
  const assessment = policy.scoring.name ?? '考核';
  const noun = institutionsNoun(policy);
  const whole = ESCAPED_TABLE.test(opts.template);
  const view = {
    标题: `${policy.region}${plan.year}年度${noun}${assessment}结果公示`,
    依据: citePath(policy, 'publication') || policy.title,
    地区: policy.region,
    年度: plan.year,
    机构: noun,
    考核名称: assessment,
    名单数: lists.length > 1,
    公示期: publicationPeriod(plan, opts.issuedOn, opts.calendar),
    异议: policy.publication.objection?.text ?? '',
    联系方式: policy.publication.contact ?? '',
    发布单位: policy.publication.issuer ?? '（发布单位）',
    发布日期: opts.issuedOn ? chineseDate(opts.issuedOn) : '　　　　年　　月　　日',
    名单: lists.map((list, i) => ({
      序号: i + 1,
      标题: list.title,
      最后: i === lists.length - 1,
      // The table is made here (escaped), not by the template: a list of a hundred thousand rows renders in a moment.
      表格: whole ? [...tablePieces(list, decimals)].join('') : tableMarker(i),
      无: list.rows.length === 0,
      说明: list.notes,
      依据: list.basis,
    })),
  };
  return {
    name: noticeHtmlName(plan.year),
    write: (path) => {
      const parts = Mustache.render(opts.template, view).split(TABLE_MARKER); // text, list index, text, …
      return writeTextFile(path, (function* () {
        for (const [k, part] of parts.entries()) {
          const list = k % 2 === 1 ? lists[Number(part)] : undefined;
          if (list) yield* tablePieces(list, decimals);
          else yield part;
        }
      })());
    },
  };
}

