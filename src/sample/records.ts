// The year's records every scenario writes the same way: 月度结算.csv (streamed),
// 违规记录.xlsx (one row per handling event) and 立案调查.csv.

import ExcelJS from 'exceljs';
import { inputSpec, type ExitType } from '../io/input-spec.js';
import { CsvWriter, headers, ordered } from './csv.js';
import type { Institution } from './roster.js';
import { mixSeed, Rng } from './rng.js';
import { dateCell, DATE_FORMAT, dateText, dayNumber, moneyCell, pad2, stamp, TEXT, yuanText, type DateStyle, type Ymd } from './values.js';

// ───────────────────────────── 月度结算.csv ─────────────────────────────

export interface SettlementStyle {
  /** The range a month's amount (fen) is kept in; absent: the typical month ± 15 % as drawn. */
  rangeFen?: (inst: Institution) => readonly [number, number];
  /**
   * 预留保证金 of a month's amount (fen) where an office fills it (institutions that fill it,
   * and now and then another row); absent: never filled, the policy's rate applies.
   */
  reservedFen?: (fen: number) => number;
  /** The months an institution settled (first..last, 1-based, inclusive): admitted or exited in the year; absent: 1..months. */
  monthsOf?: (inst: Institution) => readonly [number, number];
}

export async function writeSettlements(
  file: string,
  seed: number,
  roster: Institution[],
  year: number,
  months: number,
  style: SettlementStyle,
): Promise<number> {
  const out = new CsvWriter(file, false);
  await out.row(headers('settlements'));
  for (const inst of roster) {
    const rng = new Rng(mixSeed(seed, 5, inst.index));
    const [lo, hi] = style.rangeFen?.(inst) ?? [0, Number.MAX_SAFE_INTEGER];
    const [first, last] = style.monthsOf?.(inst) ?? [1, months];
    for (let m = first; m <= last; m++) {
      const month = rng.weighted([[`${year}-${pad2(m)}`, 94], [`${year}${pad2(m)}`, 3], [`${year}年${m}月`, 3]] as const);
      // a pharmacy closed for a month now and then
      const fen =
        inst.category === 'pharmacy' && rng.chance(0.003)
          ? 0
          : Math.min(hi, Math.max(lo, Math.round(inst.monthlyFen * rng.float(0.85, 1.15))));
      const thousands = rng.chance(0.08);
      const reserved =
        style.reservedFen && (inst.fillsReserved || rng.chance(0.03)) ? yuanText(style.reservedFen(fen), thousands) : undefined;
      await out.row(ordered('settlements', { code: inst.code, month, settled: yuanText(fen, thousands), reserved }));
    }
  }
  await out.close();
  return out.rows - 1;
}

// ───────────────────────────── 违规记录.xlsx ─────────────────────────────

export interface ViolationEvent {
  code: string;
  occurred: Ymd;
  handled: Ymd;
  type: string;
  basis: string | undefined;
  points: number | undefined;
  recoveredFen: number | undefined;
  note: string;
}

const HOSPITAL_NOTES: Record<string, string[]> = {
  约谈: ['未按规定上传结算数据', '医保医师管理不到位', '费用清单未按规定提供', '病历记录不完整'],
  暂停结算: ['串换药品收费', '分解住院', '超标准收费'],
  不予支付: ['重复收费', '超限定范围用药', '串换诊疗项目', '虚记药品数量'],
  罚款: ['诱导参保人住院', '伪造医疗文书', '虚构医疗服务'],
  中止医保服务: ['挂床住院', '无正当理由拒绝为参保人结算'],
  解除协议: ['为非定点机构提供刷卡结算'],
  行政处罚: ['卫生健康部门行政处罚', '市场监管部门行政处罚'],
  扣分: ['年度考核日常扣分', '信息系统接口不规范', '医保标识不规范'],
  拒不提供资料: ['拒绝提供检查所需资料'],
};
const PHARMACY_NOTES: Record<string, string[]> = {
  约谈: ['进销存数据不符', '药师不在岗', '处方药销售未留存处方'],
  暂停结算: ['串换药品', '超量配药'],
  不予支付: ['串换药品', '超量配药', '重复结算'],
  罚款: ['违规留存参保人医保凭证', '虚构药品销售'],
  中止医保服务: ['以医保名义销售生活用品', '进销存数据严重不符'],
  解除协议: ['为非定点药店提供刷卡结算'],
  行政处罚: ['市场监管部门行政处罚', '药品监管部门行政处罚'],
  扣分: ['年度考核日常扣分', '医保标识不规范', '信息系统接口不规范'],
  拒不提供资料: ['拒绝提供检查所需资料'],
};

const DEFAULT_BASIS: Record<string, readonly (readonly [string | undefined, number])[]> = {
  约谈: [['协议', 6], ['条例第三十八条', 2.5], ['其他', 0.5], [undefined, 1]],
  暂停结算: [['协议', 7], ['条例第三十八条', 3]],
  不予支付: [['协议', 8], ['条例第三十八条', 2]],
  罚款: [['条例第三十八条', 6], ['条例第三十九条', 4]],
  中止医保服务: [['协议', 5], ['条例第三十八条', 5]],
  解除协议: [['条例第三十八条', 1]],
  行政处罚: [['其他', 8], ['条例第三十九条', 2]],
  扣分: [['协议', 1]],
  拒不提供资料: [['协议', 1]],
};

/** One handling event with a basis, points, an amount recovered and a note drawn as the type has them. */
export function makeEvent(
  rng: Rng,
  inst: Institution,
  type: string,
  occurred: Ymd,
  handled: Ymd,
  basis?: string,
): ViolationEvent {
  const hospital = inst.category !== 'pharmacy';
  const recovered =
    type === '不予支付' || (type === '暂停结算' && rng.chance(0.5)) || (type === '罚款' && rng.chance(0.5)) || (type === '约谈' && rng.chance(0.2))
      ? hospital
        ? rng.int(100_000, 50_000_000)
        : rng.int(20_000, 2_000_000)
      : undefined;
  return {
    code: inst.code,
    occurred,
    handled,
    type,
    basis: basis ?? rng.weighted(DEFAULT_BASIS[type] ?? [['协议', 1]]),
    points: type === '扣分' ? rng.pick([0.5, 1, 1.5, 2, 3, 5]) : undefined,
    recoveredFen: recovered,
    note: rng.pick((hospital ? HOSPITAL_NOTES : PHARMACY_NOTES)[type] ?? ['']),
  };
}

/** A log in the order things were handled (then by code). */
export function byHandled(events: ViolationEvent[]): ViolationEvent[] {
  return events.sort((a, b) => dayNumber(a.handled) - dayNumber(b.handled) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export async function writeViolations(file: string, seed: number, events: ViolationEvent[], year: number): Promise<void> {
  const rng = new Rng(mixSeed(seed, 7));
  const workbook = new ExcelJS.Workbook();
  stamp(workbook, year);
  const sheet = workbook.addWorksheet('违规记录', { views: [{ state: 'frozen', ySplit: 1 }] });
  const spec = inputSpec('violations');
  const widths: Record<string, number> = { code: 16, occurredOn: 16, handledOn: 16, type: 14, basis: 16, note: 30 };
  sheet.columns = spec.columns.map((c) => ({ key: c.key, width: widths[c.key] ?? 12 }));
  const header = sheet.getRow(1);
  spec.columns.forEach((c, k) => {
    const cell = header.getCell(k + 1);
    cell.value = c.header;
    cell.font = { bold: true };
  });

  const keys = spec.columns.map((c) => c.key);
  for (const e of events) {
    const dateStyle = (): DateStyle => rng.weighted([['iso', 4], ['slash', 2], ['cn', 1.5], ['cell', 2.5]] as const);
    // drawn before the dates' spellings: the order of draws is the sample's bytes
    const recovered = e.recoveredFen === undefined ? null : moneyCell(rng, e.recoveredFen);
    const values: Record<string, ExcelJS.CellValue> = {
      code: e.code,
      occurredOn: dateCell(e.occurred, dateStyle()),
      handledOn: dateCell(e.handled, dateStyle()),
      type: e.type,
      basis: e.basis ?? null,
      points: e.points ?? null,
      recovered,
      note: e.note,
    };
    const row = sheet.addRow(keys.map((k) => values[k] ?? null));
    keys.forEach((k, c) => {
      const cell = row.getCell(c + 1);
      if (k === 'code') cell.numFmt = TEXT;
      else if (cell.value instanceof Date) cell.numFmt = DATE_FORMAT;
      else if (k === 'recovered' && typeof cell.value === 'number') cell.numFmt = '#,##0.00';
    });
  }
  await workbook.xlsx.writeFile(file);
}

// ───────────────────────────── 立案调查.csv ─────────────────────────────

export interface InvestigationRow {
  code: string;
  openedOn: string;
  closedOn?: string;
  conclusion?: string;
}

/** The columns the samples fill (涉嫌重大违规 left out: blank reads as 是). */
const INVESTIGATION_KEYS = ['code', 'openedOn', 'closedOn', 'conclusion'] as const;

export async function writeInvestigations(file: string, rows: InvestigationRow[]): Promise<number> {
  const out = new CsvWriter(file, true);
  await out.row(headers('investigations', INVESTIGATION_KEYS));
  for (const r of rows) await out.row(ordered('investigations', { ...r }, INVESTIGATION_KEYS));
  await out.close();
  return rows.length;
}

/** A row of 退出记录: an institution leaving the scheme. */
export interface ExitRow {
  code: string;
  name: string;
  on: Ymd;
  type: ExitType;
  creditCode: string | undefined;
  note: string;
}

/** Writes 退出记录.csv in date order, dates in the forms offices type; returns the rows written. */
export async function writeExits(file: string, seed: number, exits: ExitRow[]): Promise<number> {
  const rng = new Rng(mixSeed(seed, 23));
  const sorted = [...exits].sort((a, b) => dayNumber(a.on) - dayNumber(b.on) || (a.code < b.code ? -1 : 1));
  const out = new CsvWriter(file, true);
  await out.row(headers('exits'));
  for (const e of sorted) {
    await out.row(
      ordered('exits', {
        code: e.code,
        name: e.name,
        exitedOn: dateText(e.on, rng.weighted([['iso', 6], ['cn', 2], ['slash', 1]] as const)),
        type: e.type,
        creditCode: e.creditCode,
        note: e.note,
      }),
    );
  }
  await out.close();
  return sorted.length;
}
