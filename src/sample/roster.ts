// The roster of a sample: institutions with codes, names, levels, dates and credit codes
// drawn from the region's data, written as 机构名册.xlsx. Shared by every scenario; what a
// scenario decides (how many of each category, how much they settle) is a RosterShape.

import ExcelJS from 'exceljs';
import { inputSpec } from '../io/input-spec.js';
import { CREDIT_CHARSET, creditCodeCheckChar } from '../io/codes.js';
import { withYear, type Category, type District, type Indicator, type SampleRegion } from './region.js';
import { mixSeed, Rng } from './rng.js';
import {
  columnLetter,
  dateCell,
  DATE_FORMAT,
  lastDayOfMonth,
  orgCodeCheckChar,
  randomDate,
  stamp,
  TEXT,
  ymd,
  type DateStyle,
  type Ymd,
} from './values.js';

// ───────────────────────────── generic vocabulary ─────────────────────────────

// Words of institution names found in any region; the regional ones (city, districts,
// streets, pharmacy chains) come from the region's data file.
export const HOSPITAL_BRANDS = ['仁爱', '康泰', '华济', '安康', '博爱', '济民', '德瑞', '和睦', '恒康', '瑞安', '永安', '泰和', '慈航', '益寿', '佳和', '民生', '康宁', '普济', '善德', '福泽'];
export const INPATIENT_SPECIALTIES = ['骨科', '眼科', '妇产', '肿瘤', '康复', '中医', '心血管病', '儿童', '老年病', '肛肠', '中西医结合', '精神'];
export const OUTPATIENT_SPECIALTIES = ['口腔', '中医', '综合', '眼科', '皮肤病'];
export const CLINIC_SPECIALTIES = ['中医', '口腔', '内科', '外科', '中西医结合'];
const DISTRICT_HOSPITALS = ['人民医院', '中医医院', '中西医结合医院', '妇幼保健院', '第二人民医院', '康复医院', '老年病医院'];
export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
export const GIVEN_NAMES = ['建国', '秀英', '志强', '桂兰', '海涛', '丽华', '文博', '振华', '淑珍', '立新', '春生', '玉梅'];
export const STORE_SUFFIXES = ['店', '店', '店', '一店', '二店', '分店'];

export interface Institution {
  index: number; // position in the roster (sorted by code)
  code: string;
  name: string;
  category: Category;
  district: District;
  level: string; // 医院等级; '' for pharmacies
  beds: number | undefined;
  staff: number | undefined;
  specialDrug: boolean;
  admitted: Ymd;
  agreementEnds: Ymd;
  creditCode: string | undefined;
  /** Prior-year score in hundredths of a point (上年度考核得分); undefined: left blank. */
  priorHundredths: number | undefined;
  /** Σ of the Y indicator scores in tenths of a point (before scaling). */
  baseTenths: number;
  /** Typical monthly settlement in fen. */
  monthlyFen: number;
  /** Fills 预留保证金 on every month (an office that exports it). */
  fillsReserved: boolean;
  special: boolean; // holds a special case: no random violations, no random low score
  /** 结算等级 (A–D) where the roster gives one (a scenario with settlement tiers); absent: blank. */
  tier?: string;
  /** 等级起始日期 where the roster gives one. */
  tierSince?: Ymd;
  /**
   * 规划区域 where the roster gives one (a scenario that plans its areas apart from the
   * districts); absent: blank, the reader takes 所属区县. The column is written only when a
   * row of the roster has it.
   */
  planningArea?: string;
}

/** What an institution is when its typical monthly settlement is drawn. */
export type InstitutionProfile = Pick<Institution, 'category' | 'level' | 'beds' | 'name'>;

/** What a scenario decides about its roster. */
export interface RosterShape {
  /** How many institutions of each category a roster of n holds (summing to n). */
  counts(n: number): Record<Category, number>;
  /** A typical monthly settlement in yuan, drawn with exactly one number from rng. */
  monthlyYuan(rng: Rng, inst: InstitutionProfile): number;
  /** Share of the institutions whose office fills 预留保证金 on every month. */
  fillsReservedShare: number;
}

/** Full mark of a category in tenths (the sum of its indicators' maxima). */
export const fullTenths = (indicators: Record<Category, Indicator[]>, c: Category): number =>
  indicators[c].reduce((s, i) => s + i.max * 10, 0);

/** A log-uniform amount in lo..hi, drawn with one number. */
export const logUniform = (rng: Rng, lo: number, hi: number): number => Math.exp(rng.float(Math.log(lo), Math.log(hi)));

// ───────────────────────────── the roster ─────────────────────────────

export function buildRoster(seed: number, n: number, year: number, region: SampleRegion, shape: RosterShape): Institution[] {
  const rng = new Rng(mixSeed(seed, 1));
  const count = shape.counts(n);
  if (count.inpatient + count.outpatient + count.pharmacy !== n) throw new Error(`roster counts do not add up to ${n}`);
  const categories: Category[] = rng.shuffle([
    ...Array<Category>(count.inpatient).fill('inpatient'),
    ...Array<Category>(count.outpatient).fill('outpatient'),
    ...Array<Category>(count.pharmacy).fill('pharmacy'),
  ]);
  const districtWeights = region.districts.map((d) => [d, d.weight] as const);

  // Serial numbers run per prefix and district, in creation order.
  const serials = new Map<string, number>();
  const drafts = categories.map((category) => {
    const district = rng.weighted(districtWeights);
    const prefix = category === 'pharmacy' ? 'P' : 'H';
    const key = prefix + district.code;
    const serial = (serials.get(key) ?? 0) + 1;
    if (serial > 99999) throw new Error(`more than 99999 institutions in ${district.name}`);
    serials.set(key, serial);
    return { code: `${key}${String(serial).padStart(5, '0')}`, category, district };
  });
  drafts.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  const names = new Set<string>();
  const creditCodes = new Set<string>();
  return drafts.map((draft, index): Institution => {
    const { category, district } = draft;
    const level =
      category === 'inpatient'
        ? rng.weighted([['三级甲等', 1], ['二级', 3.5], ['一级', 3.5], ['未定级', 2]] as const)
        : category === 'outpatient'
          ? rng.weighted([['一级', 5], ['未定级', 5]] as const)
          : '';
    const name = uniqueName(rng, region, names, category, level, district);
    const beds =
      category !== 'inpatient'
        ? undefined
        : level === '三级甲等'
          ? rng.int(50, 250) * 10
          : level === '二级'
            ? rng.int(10, 60) * 10
            : level === '一级'
              ? rng.int(20, 150)
              : rng.int(10, 99);
    const staff =
      category === 'pharmacy'
        ? rng.chance(0.7)
          ? rng.int(1, 2)
          : undefined
        : beds !== undefined
          ? Math.max(1, Math.round(beds / rng.int(60, 120)))
          : rng.int(1, 3);
    const specialDrug =
      level === '三级甲等' ? true : level === '二级' ? rng.chance(0.3) : category === 'pharmacy' ? rng.chance(0.05) : false;
    const admitted = randomDate(rng, ymd(2000, 1, 1), ymd(year - 1, 12, 31));
    const agreementEnds =
      category === 'pharmacy'
        ? lastDayOfMonth(year + rng.int(1, 3), rng.int(1, 12))
        : rng.weighted([[ymd(year + 1, 12, 31), 4], [ymd(year + 2, 12, 31), 4], [ymd(year + 3, 6, 30), 2]] as const);
    const creditCode = rng.chance(0.5) ? uniqueCreditCode(rng, region, creditCodes, category, name, district) : undefined;
    const monthlyYuan = shape.monthlyYuan(rng, { category, level, beds, name });
    return {
      index,
      code: draft.code,
      name,
      category,
      district,
      level,
      beds,
      staff,
      specialDrug,
      admitted,
      agreementEnds,
      creditCode,
      priorHundredths: 0,
      baseTenths: 0,
      monthlyFen: Math.round(monthlyYuan * 100),
      fillsReserved: rng.chance(shape.fillsReservedShare),
      special: false,
    };
  });
}

function candidateName(rng: Rng, region: SampleRegion, category: Category, level: string, d: District): string {
  const { name: city, short: cityShort } = region.city;
  const chains = region.pharmacyChains;
  const street = rng.pick(d.streets);
  const streetWord = region.streetSuffix ?? '街';
  const townOrStreet = d.urban ? streetWord : rng.pick(['镇', streetWord]);
  switch (category) {
    case 'inpatient': {
      if (level === '一级' && !d.urban && rng.chance(0.5)) return `${city}${d.name}${street}镇卫生院`;
      return rng.weighted([
        [() => `${city}${d.name}${rng.pick(DISTRICT_HOSPITALS)}`, 2],
        [() => `${city}${d.name}${street}医院`, 2],
        [() => `${cityShort}${rng.pick(HOSPITAL_BRANDS)}${rng.pick(INPATIENT_SPECIALTIES)}医院`, 4],
        [() => `${cityShort}${street}${rng.pick(INPATIENT_SPECIALTIES)}医院`, 2],
      ] as const)();
    }
    case 'outpatient':
      return rng.weighted([
        [() => `${d.name}${street}${townOrStreet}社区卫生服务中心`, 4],
        [() => `${cityShort}${rng.pick(HOSPITAL_BRANDS)}${rng.pick(OUTPATIENT_SPECIALTIES)}门诊部`, 3],
        [() => `${city}${d.name}${rng.pick(SURNAMES)}${rng.pick(GIVEN_NAMES)}${rng.pick(CLINIC_SPECIALTIES)}诊所`, 3],
      ] as const)();
    case 'pharmacy':
      return rng.weighted([
        [() => `${cityShort}${rng.pick(chains)}大药房（连锁）有限公司${street}${rng.pick(STORE_SUFFIXES)}`, 5],
        [() => `${cityShort}${rng.pick(chains)}医药连锁有限公司${street}${rng.pick(STORE_SUFFIXES)}`, 3],
        [() => `${city}${d.name}${rng.pick(chains)}药店`, 2],
      ] as const)();
  }
}

function uniqueName(rng: Rng, region: SampleRegion, used: Set<string>, category: Category, level: string, d: District): string {
  let name = candidateName(rng, region, category, level, d);
  for (let tries = 0; used.has(name) && tries < 20; tries++) name = candidateName(rng, region, category, level, d);
  if (used.has(name)) {
    // A large roster runs out of plain names: number the branches.
    const base = name;
    for (let k = 2; used.has(name); k++) {
      name = base.endsWith('店')
        ? base.replace(/(一店|二店|分店|店)$/, `第${k}分店`)
        : /(医院|卫生院|中心)$/.test(base)
          ? `${base}（第${k}院区）`
          : `${base}（${k}部）`;
    }
  }
  used.add(name);
  return name;
}

/** A unified social credit code (GB 32100) not in `used`, registered in the district or at the city, by the kind of institution. */
export function uniqueCreditCode(rng: Rng, region: SampleRegion, used: Set<string>, category: Category, name: string, d: District): string {
  // most register in their district, some at the city's administration
  const division = rng.chance(0.15) ? region.city.divisionCode : d.code;
  const publicHospital = /(人民医院|中医医院|中西医结合医院|妇幼保健院|卫生院|社区卫生服务中心|康复医院|老年病医院)$/.test(name);
  const prefix =
    category === 'pharmacy'
      ? name.endsWith('药店')
        ? '92'
        : '91'
      : publicHospital
        ? '12'
        : name.endsWith('诊所')
          ? '92'
          : rng.pick(['52', '91']);
  for (;;) {
    let body = '';
    if (prefix.startsWith('9') && rng.chance(0.6)) {
      // registrations since 2015: 主体标识码 "MA" + 6 characters
      body = 'MA';
      for (let i = 0; i < 6; i++) body += CREDIT_CHARSET.charAt(rng.int(0, CREDIT_CHARSET.length - 1));
    } else {
      for (let i = 0; i < 8; i++) body += String(rng.int(i === 0 ? 1 : 0, 9));
    }
    const first17 = prefix + division + body + orgCodeCheckChar(body);
    const code = first17 + (creditCodeCheckChar(first17) ?? '');
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
}

// ───────────────────────────── scores ─────────────────────────────

/** Splits a total (tenths) over indicators of the given maxima (tenths), each within 0..max. */
export function allocate(rng: Rng, maxima: number[], total: number): number[] {
  const cap = maxima.reduce((s, m) => s + m, 0);
  const target = Math.min(Math.max(total, 0), cap);
  const ratio = target / cap;
  const scores = maxima.map((m) => Math.min(m, Math.max(0, Math.round(m * (ratio + rng.float(-0.08, 0.08))))));
  let diff = target - scores.reduce((s, v) => s + v, 0);
  while (diff !== 0) {
    const i = rng.int(0, maxima.length - 1);
    const score = scores[i] ?? 0;
    const max = maxima[i] ?? 0;
    const room = diff > 0 ? max - score : score;
    if (room <= 0) continue;
    const step = Math.min(room, Math.abs(diff), rng.int(1, 10));
    scores[i] = score + (diff > 0 ? step : -step);
    diff += diff > 0 ? -step : step;
  }
  return scores;
}

// ───────────────────────────── 机构名册.xlsx ─────────────────────────────

export async function writeRoster(file: string, seed: number, roster: Institution[], year: number, region: SampleRegion): Promise<void> {
  const rng = new Rng(mixSeed(seed, 3));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: true });
  stamp(workbook, year);
  const sheet = workbook.addWorksheet('机构名册', { views: [{ state: 'frozen', ySplit: 3 }] });
  // 规划区域 only where a scenario plans its areas apart from the districts (a row gives one):
  // otherwise the column is left out and the reader falls back to 所属区县.
  const planned = roster.some((inst) => inst.planningArea !== undefined);
  const spec = { ...inputSpec('institutions'), columns: inputSpec('institutions').columns.filter((c) => planned || c.key !== 'planningArea') };
  const widths: Record<string, number> = { code: 16, name: 44, creditCode: 22, admittedOn: 14, agreementEnds: 14, tierSince: 14 };
  sheet.columns = spec.columns.map((c) => ({ key: c.key, width: widths[c.key] ?? 12 }));

  const title = sheet.getRow(1);
  title.getCell(1).value = withYear(region.rosterTitle, year);
  title.getCell(1).font = { bold: true, size: 14 };
  title.getCell(1).alignment = { horizontal: 'center' };
  sheet.mergeCells(`A1:${columnLetter(spec.columns.length)}1`);
  title.commit();
  sheet.getRow(2).commit();
  const header = sheet.getRow(3);
  spec.columns.forEach((c, k) => {
    const cell = header.getCell(k + 1);
    cell.value = c.header;
    cell.font = { bold: true };
  });
  header.commit();

  const keys = spec.columns.map((c) => c.key);
  for (const inst of roster) {
    const dateStyle = (): DateStyle => rng.weighted([['cell', 5], ['iso', 3], ['slash', 1], ['cn', 1]] as const);
    const prior = inst.priorHundredths === undefined ? undefined : inst.priorHundredths / 100;
    const values: Record<string, ExcelJS.CellValue> = {
      code: inst.code,
      name: inst.name,
      kind: inst.category === 'pharmacy' ? '零售药店' : '医疗机构',
      inpatient: inst.category === 'inpatient' ? '是' : inst.category === 'outpatient' ? '否' : null,
      hospitalLevel: inst.level || null,
      district: inst.district.name,
      planningArea: inst.planningArea ?? null,
      admittedOn: dateCell(inst.admitted, dateStyle()),
      // settlement tiers: only a scenario whose profile has them fills them (no draw otherwise)
      tier: inst.tier ?? null,
      tierSince: inst.tierSince === undefined ? null : dateCell(inst.tierSince, dateStyle()),
      specialDrug: inst.specialDrug ? '是' : '否',
      beds: inst.beds ?? null,
      insuranceStaff: inst.staff ?? null,
      agreementEnds: dateCell(inst.agreementEnds, dateStyle()),
      creditCode: inst.creditCode ?? null,
      // numbers stored as text on some rows, as real exports do
      priorScore: prior === undefined ? null : rng.chance(0.1) ? String(prior) : prior,
    };
    const row = sheet.addRow(keys.map((k) => values[k] ?? null));
    keys.forEach((k, c) => {
      const cell = row.getCell(c + 1);
      if (k === 'code' || k === 'creditCode') cell.numFmt = TEXT;
      else if (cell.value instanceof Date) cell.numFmt = DATE_FORMAT;
    });
    row.commit();
  }
  sheet.commit();
  await workbook.commit();
}
