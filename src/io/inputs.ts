// Loading the year's inputs (SPEC §3): locate each table, parse every cell, collect
// every problem with its file, sheet, row, column and value.
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import type { Appeal, Exit, Institution, InputSource, Investigation, RowRef, SettlementYear, Violation, YearInputs } from '../domain.js';
import type { Problem } from '../problems.js';
import { APPEAL_RESULTS, BASES, EXIT_TYPES, PERSONNEL_EVENTS, HANDLING_TYPES, INPUT_SPECS, INSTITUTION_KINDS, TIERS, inputSpec, type AppealResult, type Basis, type ExitType, type PersonnelEvent, type ColumnSpec, type HandlingType, type InputKind, type InputSpec } from './input-spec.js';
import { isCreditCode, isIdNumber, isInstitutionCode } from './codes.js';
import { HeldProgress, type OnProgress } from '../progress.js';
import { ScoreTable } from './score-table.js';
import { readScoresInParallel, type ParallelScores } from './scores-parallel.js';
import { readSettlementsInParallel } from './settlements-parallel.js';
import { PersonnelEventsBuilder, emptyPersonnelEvents } from './personnel-events.js';
import { hasRequiredColumns, loadWorkbook, normaliseHeader, readTable, type DataRow, type HeaderMatch, type HeaderTest, type SourceTable, detectCsvEncoding } from './table.js';
import { cellText, isBlank, keyText, type IsoDate, parseBool, parseDate, parseFen, parseInteger, parseMonth, parsePoints, type Parsed, type RawCell } from './values.js';

/**
 * Collects problems; keeps the first `limit` and counts the rest, so a broken 13 M-row
 * file cannot exhaust memory. One problem per cell: a later check that trips over a cell
 * already reported (a knock-on of the first) is not repeated.
 */
export class ProblemLog {
  private readonly roots: Problem[] = [];
  private readonly others: Problem[] = [];
  total = 0;
  private readonly cells = new Set<string>();
  constructor(private readonly limit = 5000) {}
  /** Root causes first (always kept), then the rest in the order found. */
  get items(): Problem[] {
    return [...this.roots, ...this.others];
  }
  add(p: Problem): void {
    if (p.row !== undefined && p.column !== undefined) {
      const key = `${p.file}\u0000${p.sheet ?? ''}\u0000${p.row}\u0000${p.column}`;
      if (this.cells.has(key)) return;
      if (this.others.length < this.limit) this.cells.add(key);
    }
    this.total += 1;
    if (p.root) this.roots.push(p);
    else if (this.others.length < this.limit) this.others.push(p);
  }
  addAll(ps: Problem[]): void {
    ps.forEach((p) => this.add(p));
  }
  /** Counts problems that follow from the root problem already reported for a file. */
  addConsequences(file: string, sheet: string | undefined, count: number): void {
    const root = this.roots.find((p) => p.file === file && p.sheet === sheet);
    if (root && count > 0) root.consequences = (root.consequences ?? 0) + count;
  }
}

// ---- locating ----------------------------------------------------------------------

/** File extensions read as tables: spreadsheets, and delimited text (Excel's "Unicode text" saves .txt). */
const TABLE_FORMATS: Readonly<Record<string, 'csv' | 'xlsx'>> = { xlsx: 'xlsx', csv: 'csv', txt: 'csv', tsv: 'csv' };

const fold = (s: string) => normaliseHeader(s).name;

function specNames(spec: InputSpec): string[] {
  return [spec.name, ...spec.aliases].map(fold);
}

/** Finds each input as a file in inputs/Y/ or a sheet of inputs/Y.xlsx (SPEC §3). */
export async function locateInputs(workspace: string, year: number, log: ProblemLog): Promise<Map<InputKind, SourceTable>> {
  const found = new Map<InputKind, SourceTable>();
  const dir = join(workspace, 'inputs', String(year));
  const book = join(workspace, 'inputs', `${year}.xlsx`);
  const display = (p: string) => relative(workspace, p) || p;
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('~$') && !f.startsWith('.')) : [];
  let sheets: string[] = [];
  if (existsSync(book)) {
    try {
      sheets = (await loadWorkbook(book)).sheets.map((ws) => ws.name);
    } catch (e) {
      log.add({ file: display(book), message: (e as Error).message, root: true });
      return found;
    }
  }
  if (files.length === 0 && sheets.length === 0) {
    log.add({ file: display(dir), message: `找不到 ${year} 年度的输入：请把文件放在 inputs/${year}/ 目录下，或提供 inputs/${year}.xlsx` });
    return found;
  }
  for (const spec of INPUT_SPECS) {
    const names = specNames(spec);
    const candidates: SourceTable[] = [];
    for (const f of files) {
      const m = /^(.*)\.([^.]+)$/.exec(f);
      if (!m || !names.includes(fold(m[1] ?? ''))) continue;
      const ext = (m[2] ?? '').toLowerCase();
      const path = join(dir, f);
      const format = TABLE_FORMATS[ext];
      if (format) candidates.push({ path, file: display(path), format });
      else log.add({ file: display(path), message: `不支持 .${ext} 格式：请在 Excel 中另存为 .xlsx 或“CSV UTF-8（逗号分隔）”`, root: true });
    }
    for (const s of sheets) if (names.includes(fold(s))) candidates.push({ path: book, file: display(book), sheet: s, format: 'xlsx' });
    if (candidates.length > 1) {
      log.add({ file: display(dir), message: `「${spec.name}」有多个来源：${candidates.map((c) => c.file + (c.sheet ? `（工作表 ${c.sheet}）` : '')).join('、')}，请只保留一个` });
      continue;
    }
    const source = candidates[0];
    if (!source) {
      if (spec.required) log.add({ file: display(dir), message: `缺少必需的输入「${spec.name}」（文件 ${spec.name}.xlsx / ${spec.name}.csv，或 inputs/${year}.xlsx 中的同名工作表）` });
      continue;
    }
    if (source.format === 'xlsx' && !source.sheet) {
      try {
        const wb = await loadWorkbook(source.path);
        const ws = wb.sheets.find((w) => names.includes(fold(w.name))) ?? wb.sheets[0];
        if (ws) source.sheet = ws.name;
      } catch (e) {
        log.add({ file: source.file, message: (e as Error).message, root: true });
        continue;
      }
    }
    found.set(spec.kind, source);
  }
  return found;
}

// ---- cells -------------------------------------------------------------------------

/** A column of an input as a table's header places it: its spec, where its cells are (−1: not in the table) and its header as written. */
interface PlacedColumn {
  spec: ColumnSpec;
  index: number;
  header: string;
}

/**
 * Per header found, each column of its input by key, placed once: a row's cell is then one
 * lookup (a national roster is 1.1 million rows of fifteen cells).
 */
const placedColumns = new WeakMap<HeaderMatch, Map<string, PlacedColumn>>();

function placedColumnsOf(spec: InputSpec, header: HeaderMatch): Map<string, PlacedColumn> {
  let placed = placedColumns.get(header);
  if (!placed) {
    placed = new Map();
    for (const c of spec.columns) {
      if (placed.has(c.key)) continue; // the first, as a search finds it
      const h = header.columns.get(c.key);
      placed.set(c.key, { spec: c, index: h ? h.index : -1, header: h?.text ?? c.key });
    }
    placedColumns.set(header, placed);
  }
  return placed;
}

/** A cell as its text, and as a key to match (RowReader.string, RowReader.key). */
const asText = (raw: RawCell): Parsed<string> => ({ ok: true, value: cellText(raw) });
const asKey = (raw: RawCell): Parsed<string> => ({ ok: true, value: keyText(raw).toUpperCase() });

/** Parses the columns of one data row; reports a problem per bad cell. */
class RowReader {
  private readonly columns: Map<string, PlacedColumn>;

  constructor(
    private readonly spec: InputSpec,
    private readonly source: SourceTable,
    readonly header: HeaderMatch,
    readonly row: DataRow,
    private readonly log: ProblemLog,
  ) {
    this.columns = placedColumnsOf(spec, header);
  }

  get rowNumber(): number {
    return this.row.rowNumber;
  }

  /** Where this row is, for the record it becomes. */
  get ref(): RowRef {
    return { file: this.source.file, sheet: this.source.sheet, row: this.row.rowNumber };
  }

  /** The cell of column `key` parsed by `parse`; undefined when blank (reported if required) or bad (reported). */
  value<T>(key: string, parse: (raw: RawCell) => Parsed<T>): T | undefined {
    const c = this.placed(key);
    const raw = this.cellOf(c);
    if (isBlank(raw)) {
      if (c.spec.required) this.problemAt(c, `必填项为空，应为${c.spec.hint}`);
      return undefined;
    }
    const parsed = parse(raw);
    if (!parsed.ok) {
      this.problemAt(c, `应为${parsed.expected}`, raw);
      return undefined;
    }
    return parsed.value;
  }

  /** The text of column `key` as typed (trimmed); '' when blank (reported if required). */
  string(key: string): string {
    return this.value(key, asText) ?? '';
  }

  /** The text of column `key` as a key to match (full-width folded, upper case); '' when blank. */
  key(key: string): string {
    return this.value(key, asKey) ?? '';
  }

  raw(key: string): RawCell {
    const c = this.columns.get(key);
    return c ? this.cellOf(c) : null;
  }

  problem(key: string, message: string, value?: RawCell): void {
    const c = this.columns.get(key);
    this.problemAt(c?.header ?? key, message, value);
  }

  unitExponent(key: string): number {
    return this.header.columns.get(key)?.unit === '万元' ? 4 : 0;
  }

  private placed(key: string): PlacedColumn {
    const c = this.columns.get(key);
    if (!c) throw new Error(`column ${key} not in ${this.spec.kind}`);
    return c;
  }

  private cellOf(c: PlacedColumn): RawCell {
    return c.index < 0 ? null : (this.row.cells[c.index] ?? null);
  }

  private problemAt(column: PlacedColumn | string, message: string, value?: RawCell): void {
    this.log.add({
      file: this.source.file,
      sheet: this.source.sheet,
      row: this.row.rowNumber,
      column: typeof column === 'string' ? column : column.header,
      value: value === undefined ? undefined : cellText(value),
      message,
    });
  }
}

const enumOf =
  <T extends string>(values: readonly T[], expected: string) =>
  (raw: RawCell): Parsed<T> => {
    const s = keyText(raw).replace(/\s+/g, '');
    return (values as readonly string[]).includes(s) ? { ok: true, value: s as T } : { ok: false, expected };
  };

const KIND_ALIASES: Record<string, (typeof INSTITUTION_KINDS)[number]> = {
  医疗机构: '医疗机构',
  定点医疗机构: '医疗机构',
  医院: '医疗机构',
  零售药店: '零售药店',
  定点零售药店: '零售药店',
  药店: '零售药店',
};

const parseKind = (raw: RawCell): Parsed<(typeof INSTITUTION_KINDS)[number]> => {
  const k = KIND_ALIASES[keyText(raw)];
  return k ? { ok: true, value: k } : { ok: false, expected: '医疗机构 或 零售药店' };
};

const parseInstitutionCode = (raw: RawCell): Parsed<string> => {
  if (typeof raw === 'number') return { ok: false, expected: '文本格式的12位机构编码（该单元格是数字，请设为文本）' };
  const s = keyText(raw).toUpperCase();
  return isInstitutionCode(s) ? { ok: true, value: s } : { ok: false, expected: '12位机构编码：H或P＋6位行政区划＋5位序号，如 H12010100001' };
};

const parseCreditCode = (raw: RawCell): Parsed<string> => {
  const s = keyText(raw).toUpperCase();
  if (s.length !== 18) return { ok: false, expected: '18位统一社会信用代码' };
  return isCreditCode(s) ? { ok: true, value: s } : { ok: false, expected: '校验位正确的统一社会信用代码（GB 32100-2015），请核对' };
};

const parseIdNumber = (raw: RawCell): Parsed<string> => {
  if (typeof raw === 'number') return { ok: false, expected: '文本格式的18位身份证号（该单元格是数字，末几位已丢失，请设为文本后重新填写）' };
  const s = keyText(raw).toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return { ok: false, expected: '18位公民身份号码' };
  return isIdNumber(s) ? { ok: true, value: s } : { ok: false, expected: '校验位正确的身份证号（GB 11643），请核对' };
};

// ---- tables ------------------------------------------------------------------------

interface TableContext {
  year: number;
  indicatorCodes: Set<string>;
  log: ProblemLog;
  onProgress?: OnProgress;
}

async function readRows(
  source: SourceTable,
  spec: InputSpec,
  ctx: TableContext,
  onRow: (r: RowReader) => void,
  isHeader: HeaderTest = hasRequiredColumns(spec),
): Promise<{ rows: number; header?: HeaderMatch }> {
  let rows = 0;
  const { header } = await readTable(
    source,
    spec,
    isHeader,
    (row, h) => {
      rows += 1;
      onRow(new RowReader(spec, source, h, row, ctx.log));
    },
    (p) => ctx.log.add(p),
    progressOf(spec, ctx),
  );
  return { rows, header };
}

/** A table's progress, in bytes read, as the progress bar takes it. */
const progressOf = (spec: InputSpec, ctx: TableContext) => ctx.onProgress && ((done: number, total: number) => ctx.onProgress?.(spec.name, done, total));

async function readInstitutions(source: SourceTable, ctx: TableContext) {
  const spec = inputSpec('institutions');
  const list: Institution[] = [];
  const { rows, header: found } = await readRows(source, spec, ctx, (r) => {
    const code = r.value('code', parseInstitutionCode);
    const name = r.string('name');
    const kind = r.value('kind', parseKind);
    const inst: Institution = {
      code: code ?? '',
      name,
      kind: kind ?? '医疗机构',
      inpatient: r.value('inpatient', parseBool) ?? null,
      hospitalLevel: r.string('hospitalLevel'),
      district: r.string('district'),
      planningArea: r.string('planningArea') || r.string('district'),
      admittedOn: r.value('admittedOn', parseDate) ?? null,
      tier: r.value('tier', enumOf(TIERS, 'A/B/C/D')) ?? '',
      tierSince: r.value('tierSince', parseDate) ?? null,
      specialDrug: r.value('specialDrug', parseBool) ?? null,
      beds: r.value('beds', parseInteger) ?? null,
      insuranceStaff: r.value('insuranceStaff', parseInteger) ?? null,
      agreementEnds: r.value('agreementEnds', parseDate) ?? null,
      creditCode: r.value('creditCode', parseCreditCode) ?? '',
      priorScore: r.value('priorScore', parsePoints) ?? null,
      source: r.ref,
    };
    if (inst.beds !== null && inst.beds < 0) r.problem('beds', '床位数不能为负数', String(inst.beds));
    if (inst.insuranceStaff !== null && inst.insuranceStaff < 0) r.problem('insuranceStaff', '医保办人数不能为负数', String(inst.insuranceStaff));
    if (code && kind && code[0] !== (kind === '零售药店' ? 'P' : 'H')) {
      r.problem('kind', `机构类型与编码首字母不符：${kind}的编码应以 ${kind === '零售药店' ? 'P' : 'H'} 开头（${code}）`, kind);
    }
    if (code) list.push(inst);
  });
  return { value: list, rows, readable: found !== undefined };
}

/** `early`: the threads' read of the file, started while the roster was read (see loadYearInputs). */
async function readScores(source: SourceTable, ctx: TableContext, early?: Promise<ParallelScores>) {
  const spec = inputSpec('scores');
  const parallel = await (early ?? readScoresInParallel(source, spec, { onProgress: progressOf(spec, ctx) }));
  if (parallel.read) return { value: parallel.table, rows: parallel.rows, readable: true };
  const list = new ScoreTable();
  const indicatorHeaders = (h: HeaderMatch) => h.extras.filter((e) => ctx.indicatorCodes.has(e.text.trim().toUpperCase()));
  const isHeader: HeaderTest = (m) => hasRequiredColumns(spec)(m) || (m.columns.has('code') && !m.columns.has('indicator') && indicatorHeaders(m).length > 0);
  const { rows, header: found } = await readRows(
    source,
    spec,
    ctx,
    (r) => {
      const header = r.header;
      const code = r.value('code', parseInstitutionCode);
      if (header.columns.has('indicator')) {
        const indicator = r.key('indicator');
        const score = r.value('score', parsePoints);
        if (code && indicator && score !== undefined) {
          const self = r.value('selfScore', parsePoints);
          const review = r.value('reviewScore', parsePoints);
          list.push({
            code,
            indicator,
            score,
            scoreColumn: header.columns.get('score')?.text ?? '得分',
            selfScore: self === undefined ? null : self,
            reviewScore: review === undefined ? null : review,
            note: r.string('note'),
            source: r.ref,
          });
        }
        return;
      }
      // Wide form: one column per indicator code (SPEC §3).
      const ref = r.ref;
      for (const h of indicatorHeaders(header)) {
        const raw = r.row.cells[h.index] ?? null;
        if (isBlank(raw)) continue;
        const parsed = parsePoints(raw);
        if (!parsed.ok) {
          ctx.log.add({ ...r.ref, column: h.text, value: cellText(raw), message: `应为${parsed.expected}` });
          continue;
        }
        if (code) list.push({ code, indicator: h.text.trim().toUpperCase(), score: parsed.value, scoreColumn: h.text, selfScore: null, reviewScore: null, note: '', source: ref });
      }
    },
    isHeader,
  );
  return { value: list, rows, readable: found !== undefined };
}

/** `roster` is null when the roster is missing or has no rows: codes are then not checked here (its own problem says why). */
async function readSettlements(source: SourceTable, ctx: TableContext, roster: Set<string> | null): Promise<{ value: ReadonlyMap<string, SettlementYear>; rows: number; readable: boolean }> {
  const spec = inputSpec('settlements');
  if (roster !== null) {
    const parallel = await readSettlementsInParallel(source, spec, ctx.year, [...roster], { onProgress: progressOf(spec, ctx) });
    if (parallel.read) return { value: parallel.byCode, rows: parallel.rows, readable: true };
  }
  const byCode = new Map<string, SettlementYear>();
  const { rows, header: found } = await readRows(source, spec, ctx, (r) => {
    const code = r.value('code', parseInstitutionCode);
    const month = r.value('month', parseMonth);
    const settled = r.value('settled', (raw) => parseFen(raw, r.unitExponent('settled')));
    const reservedRaw = r.raw('reserved');
    const reserved = r.value('reserved', (raw) => parseFen(raw, r.unitExponent('reserved')));
    if (settled !== undefined && settled < 0) r.problem('settled', '结算金额不得为负数', r.raw('settled'));
    if (reserved !== undefined && reserved < 0) r.problem('reserved', '预留保证金不得为负数', reservedRaw);
    if (month && month.year !== ctx.year) r.problem('month', `结算月份应在 ${ctx.year} 年内`, r.raw('month'));
    const known = code !== undefined && (roster === null || roster.has(code));
    if (code && !known) r.problem('code', '机构编码不在机构名册中', code);
    if (!code || !month || month.year !== ctx.year || settled === undefined || !known) return;
    let s = byCode.get(code);
    if (!s) {
      s = { code, settledFen: Array(12).fill(null), reservedFen: Array(12).fill(null), rows: Array(12).fill(null), file: source.file, sheet: source.sheet };
      byCode.set(code, s);
    }
    const i = month.month - 1;
    if (s.rows[i] !== null) {
      r.problem('month', `同一机构同一月份重复（与第${s.rows[i]}行重复）`, r.raw('month'));
      return;
    }
    s.settledFen[i] = settled;
    s.reservedFen[i] = reserved ?? null;
    s.rows[i] = r.rowNumber;
  });
  return { value: byCode, rows, readable: found !== undefined };
}

async function readViolations(source: SourceTable, ctx: TableContext) {
  const spec = inputSpec('violations');
  const list: Violation[] = [];
  const { rows, header: found } = await readRows(source, spec, ctx, (r) => {
    const code = r.value('code', parseInstitutionCode);
    const occurredOn = r.value('occurredOn', parseDate);
    const handledOn = r.value('handledOn', parseDate);
    const type = r.value('type', enumOf<HandlingType>(HANDLING_TYPES, HANDLING_TYPES.join('/')));
    const basis = r.value('basis', enumOf<Basis>(BASES, BASES.join('/'))) ?? null;
    const points = r.value('points', parsePoints) ?? null;
    const recoveredFen = r.value('recovered', (raw) => parseFen(raw, r.unitExponent('recovered'))) ?? null;
    if (occurredOn && handledOn && handledOn < occurredOn) r.problem('handledOn', `处理日期早于发生日期（${occurredOn}）`, handledOn);
    if (points !== null && Number(points) < 0) r.problem('points', '扣分不得为负数', points);
    if (recoveredFen !== null && recoveredFen < 0) r.problem('recovered', '追回金额不得为负数', r.raw('recovered'));
    if (type === '扣分' && points === null) r.problem('points', '处理类型为「扣分」时必须填写扣分分值');
    if (code && occurredOn && handledOn && type) {
      list.push({ code, occurredOn, handledOn, type, basis, points, recoveredFen, note: r.string('note'), source: r.ref });
    }
  });
  return { value: list, rows, readable: found !== undefined };
}

async function readInvestigations(source: SourceTable, ctx: TableContext) {
  const spec = inputSpec('investigations');
  const list: Investigation[] = [];
  const { rows, header: found } = await readRows(source, spec, ctx, (r) => {
    const code = r.value('code', parseInstitutionCode);
    const openedOn = r.value('openedOn', parseDate);
    const closedOn = r.value('closedOn', parseDate) ?? null;
    if (openedOn && closedOn && closedOn < openedOn) r.problem('closedOn', `结案日期早于立案日期（${openedOn}）`, closedOn);
    const major = r.value('major', parseBool) ?? true;
    if (code && openedOn) list.push({ code, openedOn, closedOn, conclusion: r.string('conclusion'), major, source: r.ref });
  });
  return { value: list, rows, readable: found !== undefined };
}

async function readAppeals(source: SourceTable, ctx: TableContext) {
  const spec = inputSpec('appeals');
  const list: Appeal[] = [];
  const { rows, header: found } = await readRows(source, spec, ctx, (r) => {
    const code = r.value('code', parseInstitutionCode);
    const indicator = r.key('indicator');
    const filedOn = r.value('filedOn', parseDate);
    const result = r.value('result', enumOf<AppealResult>(APPEAL_RESULTS, APPEAL_RESULTS.join('/')));
    const adjusted = r.value('adjusted', parsePoints) ?? null;
    if (result === '调整' && adjusted === null) r.problem('adjusted', '处理结果为「调整」时必须填写调整后得分');
    if (result === '维持' && adjusted !== null) r.problem('adjusted', '处理结果为「维持」时不应填写调整后得分（维持即以初审得分为准）', adjusted);
    if (code && indicator && filedOn && result) list.push({ code, indicator, filedOn, result, adjusted, reason: r.string('reason'), reply: r.string('reply'), source: r.ref });
  });
  return { value: list, rows, readable: found !== undefined };
}

async function readExits(source: SourceTable, ctx: TableContext) {
  const spec = inputSpec('exits');
  const list: Exit[] = [];
  const { rows, header: found } = await readRows(source, spec, ctx, (r) => {
    const code = r.value('code', parseInstitutionCode);
    const exitedOn = r.value('exitedOn', parseDate);
    const type = r.value('type', enumOf<ExitType>(EXIT_TYPES, EXIT_TYPES.join('/')));
    const creditCode = r.value('creditCode', parseCreditCode) ?? '';
    if (code && exitedOn && type) list.push({ code, name: r.string('name'), exitedOn, type, creditCode, note: r.string('note'), source: r.ref });
  });
  return { value: list, rows, readable: found !== undefined };
}

/** The points a row may carry, by its event type (SPEC §3 人员记分). */
const POINTS_BY_EVENT: Record<PersonnelEvent, { min: number; max: number; text: string }> = {
  记分: { min: 1, max: 12, text: '记分分值应为 1 至 12' },
  修复: { min: -3, max: -1, text: '修复应为 -1 至 -3（每年一次，减免1至3分）' },
  恢复: { min: 0, max: 0, text: '恢复（提前结束暂停）的分值应为 0' },
};

/** 人员记分, streamed into the packed events: one row checked at a time, only persons kept as records. */
async function readPersonnel(source: SourceTable, ctx: TableContext, roster: Set<string> | null) {
  const spec = inputSpec('personnel');
  const builder = new PersonnelEventsBuilder(source.file, source.sheet);
  const nameRows = new Map<number, number>(); // person index → row of the name kept
  const idRows = new Map<number, number>(); // person index → row of the ID number kept
  const { rows, header: found } = await readRows(source, spec, ctx, (r) => {
    const person = r.key('person');
    const name = r.string('name');
    const code = r.value('code', parseInstitutionCode);
    const date = r.value('date', parseDate);
    const points = r.value('points', parseInteger);
    const given = r.value('event', enumOf<PersonnelEvent>(PERSONNEL_EVENTS, PERSONNEL_EVENTS.join('/')));
    const idNumber = r.value('idNumber', parseIdNumber);
    if (date && !date.startsWith(`${ctx.year}-`)) r.problem('date', `记分日期应在 ${ctx.year} 年内：每个自然年度单独记分`, date);
    if (code && roster !== null && !roster.has(code)) r.problem('code', '机构编码不在机构名册中', code);
    const event: PersonnelEvent | undefined = given ?? (points === undefined ? undefined : points > 0 ? '记分' : points < 0 ? '修复' : '恢复');
    if (event && points !== undefined) {
      const range = POINTS_BY_EVENT[event];
      if (points < range.min || points > range.max) r.problem('points', range.text, String(points));
    }
    if (!person || !name) return;
    const { index, record } = builder.person(person, name, r.rowNumber);
    if (record.name !== name) r.problem('name', `同一人员编码 ${person} 的姓名与第${nameRows.get(index) ?? record.firstRow}行（${record.name}）不一致`, name);
    else nameRows.set(index, nameRows.get(index) ?? r.rowNumber);
    if (idNumber) {
      if (record.idNumber === '') {
        record.idNumber = idNumber;
        idRows.set(index, r.rowNumber);
      } else if (record.idNumber !== idNumber) r.problem('idNumber', `同一人员编码 ${person} 的身份证号与第${idRows.get(index) ?? record.firstRow}行不一致`, idNumber);
    }
    if (code && date && date.startsWith(`${ctx.year}-`) && points !== undefined && event) {
      builder.add({ person: index, date, points, kind: event, row: r.rowNumber, institution: code, situation: r.string('situation') });
    }
  });
  return { value: builder.events, rows, readable: found !== undefined };
}

export interface LoadOptions {
  workspace: string;
  year: number;
  asOf: IsoDate;
  notifiedOn: IsoDate;
  indicatorCodes: Set<string>;
  onProgress?: OnProgress;
  onStage?: (stage: string) => void;
  /** Inputs the policy does not use (InputSpec.usedWhen): found, but not read. */
  unused?: ReadonlySet<InputKind>;
  /** Told of each unused input found, to be said to the officer. */
  onUnused?: (file: string, name: string) => void;
}

/** The threads' read of 指标得分 (when it is found and used), begun at once, with its progress held until its stage. */
function startScoresEarly(source: SourceTable | undefined, ctx: TableContext, unused: ReadonlySet<InputKind> | undefined): { read: Promise<ParallelScores>; progress: HeldProgress } | undefined {
  if (!source || unused?.has('scores')) return undefined;
  const spec = inputSpec('scores');
  const progress = new HeldProgress(progressOf(spec, ctx));
  // A core is left to the roster: a thread on each core would slow it by as much as they gain.
  const read = readScoresInParallel(source, spec, { onProgress: progress.report, workers: Math.max(1, availableParallelism() - 1) });
  read.catch(() => undefined); // awaited in its turn; a roster that fails first must not leave it unhandled
  return { read, progress };
}

/** Reads every input of the year. Cross-file checks are separate (validateInputs). */
export async function loadYearInputs(opts: LoadOptions, log: ProblemLog): Promise<YearInputs> {
  const ctx: TableContext = { year: opts.year, indicatorCodes: opts.indicatorCodes, log, onProgress: opts.onProgress };
  opts.onStage?.('查找输入文件');
  const located = await locateInputs(opts.workspace, opts.year, log);
  const sources: InputSource[] = [];
  /** Reads one input if it was found, and records what was read for the manifest. */
  const read = async <T>(kind: InputKind, reader: (source: SourceTable) => Promise<{ value: T; rows: number; readable: boolean }>): Promise<T | undefined> => {
    const source = located.get(kind);
    if (!source) return undefined;
    if (opts.unused?.has(kind)) {
      opts.onUnused?.(source.file + (source.sheet ? `（${source.sheet}）` : ''), inputSpec(kind).name);
      return undefined;
    }
    opts.onStage?.(`读取 ${source.file}${source.sheet ? `（${source.sheet}）` : ''}`);
    const { value, rows, readable } = await reader(source);
    const encoding = source.format === 'csv' && readable ? await detectCsvEncoding(source.path) : undefined;
    sources.push({ kind, name: inputSpec(kind).name, file: source.file, sheet: source.sheet, path: source.path, rows, encoding, readable });
    return value;
  };
  // 指标得分's threads read it while the roster is read on this thread (the other cores are
  // otherwise idle then). They report no problem: a file they cannot read whole is read by
  // the careful reader in its turn, so every problem is found in the order it was before.
  const scoresEarly = startScoresEarly(located.get('scores'), ctx, opts.unused);
  const institutions = await read('institutions', (s) => readInstitutions(s, ctx));
  // Without a roster that has rows, codes elsewhere are not checked row by row: the
  // roster's own problem is the root cause, said once (validateYear counts what follows).
  const roster = institutions && institutions.length > 0 ? new Set(institutions.map((i) => i.code)) : null;
  return {
    year: opts.year,
    asOf: opts.asOf,
    notifiedOn: opts.notifiedOn,
    institutions: institutions ?? [],
    scores:
      (await read('scores', (s) => {
        scoresEarly?.progress.release();
        return readScores(s, ctx, scoresEarly?.read);
      })) ?? new ScoreTable(),
    settlements: (await read('settlements', (s) => readSettlements(s, ctx, roster))) ?? new Map(),
    violations: (await read('violations', (s) => readViolations(s, ctx))) ?? [],
    investigations: (await read('investigations', (s) => readInvestigations(s, ctx))) ?? [],
    appeals: (await read('appeals', (s) => readAppeals(s, ctx))) ?? [],
    exits: (await read('exits', (s) => readExits(s, ctx))) ?? [],
    personnel: (await read('personnel', (s) => readPersonnel(s, ctx, roster))) ?? emptyPersonnelEvents(),
    sources,
  };
}
