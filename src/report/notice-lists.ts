// The published lists (SPEC §6): 公示名单-Y.xlsx, one CSV per list, and the same lists in the
// notice (公示公告-Y.html, src/report/notice-html.ts). Each list is made once here — its
// title with the year, its columns, its rows with every text cell passed through the ID
// masking, its notes and its legal basis — and the three files render it. Only the columns a
// public notice carries; personal names masked, no ID numbers. CSVs are UTF-8 with BOM for
// Chinese Excel, CRLF line ends, byte-deterministic for the same plan.
import { ROWS_PER_REPORT, type OnProgress } from '../progress.js';
import { Decimal } from 'decimal.js';
import { listDef, type ListCode } from '../plan/lists.js';
import type { ListEntry } from '../plan/types.js';
import type { YearPlan } from '../plan/year-plan.js';
import { citePath } from '../policy/refs.js';
import type { WrittenFile } from '../io/atomic.js';
import { writeTextFile } from '../io/text-file.js';
import { csvPieces } from './output.js';
import { LIST_LAYOUTS, type ListValue } from './list-layouts.js';
import { resultOrder } from './results-workbook.js';
import { PrintBook, PrintableSheet, safeText, sheetName, yuanCell, type Cell, type ColumnDef } from './workbook-style.js';
import { fenToYuanText } from '../io/values.js';
import { Redactions } from './redact.js';
import { signOff } from './sign-off.js';

export const isMoney = (v: ListValue): v is { fen: number } => typeof v === 'object' && v !== null && !(v instanceof Decimal);

/** A list as published: what the workbook sheet, the CSV and the notice all show. */
export interface PublishedList {
  code: ListCode;
  /** The registry's short title: the sheet's tab and the CSV's name. */
  name: string;
  /** The printed title, with the region and the year. */
  title: string;
  /** 序号 first. */
  columns: ColumnDef[];
  /** Masked where an ID number appeared. */
  rows: ListValue[][];
  notes: string[];
  /** The list's legal basis: the document's title and the article. */
  basis: string;
}

const NOTICE_CSV = { record_delimiter: '\r\n', eof: true } as const;

/**
 * A public-notice CSV in pieces: UTF-8 with BOM (Chinese Excel), CRLF, formula-looking
 * text quoted away. Written as it is made (a country's results list is a million rows).
 */
export function* noticeCsvPieces(header: readonly string[], rows: Iterable<readonly string[]>): Generator<string> {
  yield '\uFEFF';
  yield* csvPieces(
    (function* () {
      yield header.map((h) => safeText(h, 'csv'));
      for (const r of rows) yield r.map((c) => safeText(c, 'csv'));
    })(),
    NOTICE_CSV,
  );
}

/** A list cell as text: a score with the policy's decimals, money as yuan. */
export function listCellText(v: ListValue, decimals: number): string {
  return v === null ? '' : v instanceof Decimal ? v.toFixed(decimals) : isMoney(v) ? fenToYuanText(v.fen) : String(v);
}

/** 公示名单-Y.xlsx. */
export const listBookName = (year: number): string => `公示名单-${year}.xlsx`;

/** A published list's CSV, by the list's name (the registry's short title). */
export const listCsvName = (year: number, name: string): string => `公示名单-${year}-${name}.csv`;

/** The published lists' sheet tabs in 公示名单-Y.xlsx, in the policy's order (a title twice gets a number). */
function publishedListSheets(plan: Pick<YearPlan, 'published'>): string[] {
  const taken: string[] = [];
  for (const code of plan.published) taken.push(sheetName(listDef(code).title, taken));
  return taken;
}

/** The files the published lists make, in noticeLists' order (the workbook, then a CSV per list): known before any row is made. */
export function noticeListFileNames(plan: Pick<YearPlan, 'published' | 'year'>): string[] {
  return [listBookName(plan.year), ...plan.published.map((code) => listCsvName(plan.year, listDef(code).title))];
}

/**
 * The lists the policy publishes, in its order. Every text cell passes `redactions`: an ID
 * number in a published cell is masked and recorded (where it stands in 公示名单-Y.xlsx).
 * Text is otherwise written exactly as registered.
 */
export function publishedLists(plan: YearPlan, redactions: Redactions = new Redactions(), onProgress?: OnProgress): PublishedList[] {
  const order = plan.policy.categories.map((c) => c.code);
  const byCode = new Map(plan.institutions.map((r) => [r.institution.code, r]));
  const book = listBookName(plan.year);
  const sheets = publishedListSheets(plan);
  const total = plan.published.reduce((n, code) => n + (plan.lists.get(code)?.length ?? 0), 0);
  let made = 0;
  const lists = plan.published.map((code, k): PublishedList => {
    const layout = LIST_LAYOUTS[code];
    const sheet = sheets[k] ?? listDef(code).title;
    const all = plan.lists.get(code) ?? [];
    // A row: 序号, then the layout's cells with every text passed through the masking. Made
    // in one pass (the results list is a row per institution: a million at national scale).
    const rowOf = (e: ListEntry<ListCode>, cells: readonly ListValue[], i: number): ListValue[] => {
      if (++made % ROWS_PER_REPORT === 0) onProgress?.(book, made, total, 'rows');
      const row: ListValue[] = [i + 1];
      cells.forEach((v, c) => row.push(typeof v === 'string' ? redactions.text(v, () => ({ file: book, sheet, row: i + 3, column: layout.columns[c]?.header ?? '', code: e.code })) : v));
      return row;
    };
    let rows: ListValue[][];
    if (layout.subject === 'person') rows = all.map((e, i) => rowOf(e, layout.row(e, plan), i));
    else {
      const listed = all.flatMap((e) => {
        const r = byCode.get(e.code);
        return r ? [{ e, r, category: order.indexOf(r.category.code) }] : [];
      });
      // The result list reads by category, then by rank; the others keep roster order.
      if (code === 'results') listed.sort((a, b) => a.category - b.category || resultOrder(a.r, b.r));
      rows = listed.map(({ e, r }, i) => rowOf(e, layout.row(e, r, plan), i));
    }
    const notes: string[] = [];
    const note = layout.subject === 'institution' ? layout.note?.(all, plan) : null;
    if (note) notes.push(note);
    if (code === 'results') notes.push('排名为机构类别内的名次；“待定”为正在接受调查、暂不计算考核成绩的机构。');
    // A list whose rows cite their own articles (a 依据 column) has no single basis to print under it.
    const basis = layout.columns.some((c) => c.header === '依据') ? '' : citePath(plan.policy, listDef(code).policy);
    return { code, name: listDef(code).title, title: layout.title(plan), columns: [{ header: '序号', kind: 'int' }, ...layout.columns], rows, notes, basis };
  });
  onProgress?.(book, total, total, 'rows');
  return lists;
}

/** 公示名单-Y.xlsx (one sheet per list, each signed off) and one CSV per list. */
export function noticeLists(plan: YearPlan, lists: readonly PublishedList[] = publishedLists(plan), onProgress?: OnProgress): WrittenFile[] {
  const wb = new PrintBook(plan.year);
  const csvs: WrittenFile[] = [];
  const decimals = plan.policy.scoring.decimals;
  for (const list of lists) {
    const sheet = new PrintableSheet(wb, { name: list.name, title: list.title, columns: list.columns });
    // The rows are the list's own (made once: their redactions are counted once), turned into cells as written.
    sheet.addRows(function* () {
      for (const r of list.rows) yield r.map((v): Cell => (v instanceof Decimal ? v.toNumber() : isMoney(v) ? yuanCell(v.fen) : v));
    }, list.rows.length);
    if (list.rows.length === 0) sheet.note('（无）');
    for (const n of list.notes) sheet.note(n);
    if (list.basis) sheet.note(`依据：${list.basis}`);
    signOff(sheet, plan.policy);
    const header = list.columns.map((c) => c.header);
    const body = function* () {
      for (const r of list.rows) yield r.map((v) => listCellText(v, decimals));
    };
    csvs.push({ name: listCsvName(plan.year, list.name), write: (path) => writeTextFile(path, noticeCsvPieces(header, body())) });
  }
  const name = listBookName(plan.year);
  return [{ name, write: (path) => wb.writeFile(path, name, onProgress) }, ...csvs];
}
