// A seeded, deterministic generator of a sample workspace (SPEC §2, §3): policy.yaml,
// inputs/<year>/{机构名册.xlsx, 指标得分.csv, 月度结算.csv, 违规记录.xlsx, 立案调查.csv} and
// a README listing the special cases the data holds.
//
// Everything regional (city, districts, titles, the policy profile) comes from the region's
// data file templates/samples/<region>.yaml (see region.ts); this file names no region.
//
// Same seed → byte-identical CSVs, README and policy copy. The workbooks carry fixed
// created/modified dates; only the zip entry timestamps that exceljs/archiver stamp
// may differ between runs.
//
// Settlement and score rows are streamed, so `--institutions 100000` does not hold the
// rows in memory (only one small record per institution).
//
//   node dist/sample/generate.js --region tianjin --out samples/tianjin --seed 2024 --institutions 320 --year 2024

import { createWriteStream, realpathSync, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { inputSpec, type InputKind } from '../io/input-spec.js';
import { CREDIT_CHARSET, creditCodeCheckChar } from '../io/codes.js';
import {
  loadSampleRegion,
  SampleRegionError,
  withYear,
  type Category,
  type District,
  type Indicator,
  type SampleRegion,
} from './region.js';

// ───────────────────────────── public API ─────────────────────────────

export interface GenerateOptions {
  outDir: string;
  /** The sample region: templates/samples/<region>.yaml (e.g. tianjin). */
  region: string;
  seed: number;
  institutions: number;
  year: number;
  /** Months of settlement per institution, 1..12 (months 1..n of the year); default 12. */
  settlementRowsPerInstitution?: number;
}

export interface BandEdgeCase {
  code: string;
  category: Category;
  /** Σ of the indicator scores (before scaling to 100). */
  base: number;
  /** The expected score: base scaled to 100, no deductions. */
  score: number;
}

export interface SampleSpecialCases {
  /** The one institution with 拒不提供资料 handled in the year → 不合格, deposit forfeited. */
  refusal: string;
  /** Investigations open at year end: [opened in Y, not closed; opened in Y, closed in Y+1]. */
  pending: string[];
  /** An investigation opened and closed in Y (未发现违规) → scored as usual. */
  closedInvestigation: string;
  /** Prior-year score < 60 and Y score < 60 → 不予续签. */
  consecutiveLow: string[];
  /** Prior-year score < 60 but Y score ≥ 60 (no violations) → not listed. */
  priorLowRecovered: string[];
  /** A violation that occurred in Y-1 and was handled in Y: counts in Y. */
  lateHandled: string;
  /** A violation that occurred and was handled in Y-1: must not count. */
  handledBeforeYear: string;
  /** A violation that occurred in Y and was handled in Y+1: must not count in Y. */
  handledAfterYear: string;
  /** 解除协议 handled in Y. */
  terminated: string;
  /** Institutions whose score lands exactly on (or just under) a band edge; no violations. */
  bandEdges: BandEdgeCase[];
}

export interface GenerateResult {
  files: string[];
  special: SampleSpecialCases;
  counts: {
    institutions: number;
    byCategory: Record<Category, number>;
    scores: number;
    settlements: number;
    violations: number;
    investigations: number;
  };
}

// ───────────────────────────── PRNG ─────────────────────────────

/** mulberry32: a tiny 32-bit PRNG, uniform in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Mixes integers into one 32-bit seed (murmur3 finaliser), so each stream of numbers is independent. */
function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  float(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }
  /** Integer in lo..hi inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (!last) throw new Error('weighted pick from an empty list');
    return last[0];
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const a = items[i] as T;
      items[i] = items[j] as T;
      items[j] = a;
    }
    return items;
  }
}

// ───────────────────────────── codes ─────────────────────────────

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** GB 11714-1997 check character of an 8-character organisation code body (digits, A=10 .. Z=35). */
function orgCodeCheckChar(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const ch = body8.charAt(i);
    const value = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    sum += value * (ORG_WEIGHTS[i] ?? 0);
  }
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

function assertCreditCodeHelper(): void {
  // The real code quoted in SPEC §3: both its organisation-code part (40068629-1) and its
  // GB 32100 check character must come out right, or every generated code would be wrong.
  if (creditCodeCheckChar('12110000400686291') !== 'H' || orgCodeCheckChar('40068629') !== '1') {
    throw new Error('creditCodeCheckChar self-test failed on 12110000400686291H');
  }
}

// ───────────────────────────── dates ─────────────────────────────

interface Ymd {
  y: number;
  m: number;
  d: number;
}

const DAY_MS = 86_400_000;
const dayNumber = (x: Ymd): number => Date.UTC(x.y, x.m - 1, x.d) / DAY_MS;
function fromDayNumber(n: number): Ymd {
  const dt = new Date(n * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}
const ymd = (y: number, m: number, d: number): Ymd => ({ y, m, d });
const lastDayOfMonth = (y: number, m: number): Ymd => fromDayNumber(dayNumber(ymd(y, m + 1, 1)) - 1);

function randomDate(rng: Rng, from: Ymd, to: Ymd): Ymd {
  return fromDayNumber(rng.int(dayNumber(from), dayNumber(to)));
}
const minDate = (a: Ymd, b: Ymd): Ymd => (dayNumber(a) <= dayNumber(b) ? a : b);
const addDays = (x: Ymd, days: number): Ymd => fromDayNumber(dayNumber(x) + days);

const pad2 = (n: number): string => String(n).padStart(2, '0');
type DateStyle = 'iso' | 'slash' | 'cn' | 'cell';

function dateText(x: Ymd, style: Exclude<DateStyle, 'cell'>): string {
  switch (style) {
    case 'iso':
      return `${x.y}-${pad2(x.m)}-${pad2(x.d)}`;
    case 'slash':
      return `${x.y}/${x.m}/${x.d}`;
    case 'cn':
      return `${x.y}年${x.m}月${x.d}日`;
  }
}

/** A date as an xlsx cell value: a real Date (UTC midnight, exceljs writes the serial) or one of the text spellings. */
function dateCell(x: Ymd, style: DateStyle): string | Date {
  return style === 'cell' ? new Date(Date.UTC(x.y, x.m - 1, x.d)) : dateText(x, style);
}

// ───────────────────────────── money and points ─────────────────────────────

function withThousands(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Integer fen as yuan text with 2 decimals, optionally with thousands separators. */
function yuanText(fen: number, thousands = false): string {
  const yuan = String(Math.floor(fen / 100));
  return `${thousands ? withThousands(yuan) : yuan}.${pad2(fen % 100)}`;
}

/** 10 % of an amount in fen, rounded half up to the fen. */
const tenPercentFen = (fen: number): number => Math.floor((fen + 5) / 10);

/** Tenths of a point as text: 145 → "14.5", 150 → "15". */
function tenthsText(t: number): string {
  return t % 10 === 0 ? String(t / 10) : `${Math.floor(t / 10)}.${t % 10}`;
}

// ───────────────────────────── CSV ─────────────────────────────

function csvField(value: string | undefined): string {
  if (value === undefined || value === '') return '';
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A CSV file written through a stream, honouring backpressure; CRLF line ends as Excel saves them. */
class CsvWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  rows = 0;

  constructor(file: string, bom: boolean) {
    this.stream = createWriteStream(file, { encoding: 'utf8' });
    if (bom) this.buffer = '\uFEFF';
  }

  async row(fields: (string | undefined)[]): Promise<void> {
    this.buffer += fields.map(csvField).join(',') + '\r\n';
    this.rows++;
    if (this.buffer.length >= 1 << 16) await this.flush();
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (chunk && !this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    const finished = once(this.stream, 'finish');
    this.stream.end();
    await finished;
  }
}

/** Canonical headers of an input, in the order of input-spec.ts. */
function headers(kind: InputKind): string[] {
  return inputSpec(kind).columns.map((c) => c.header);
}

/** A record keyed by column key → the row in the spec's column order. */
function ordered<T>(kind: InputKind, values: Partial<Record<string, T>>): (T | undefined)[] {
  return inputSpec(kind).columns.map((c) => values[c.key]);
}

// ───────────────────────────── generic vocabulary ─────────────────────────────

// Words of institution names found in any region; the regional ones (city, districts,
// streets, pharmacy chains) come from the region's data file.
const HOSPITAL_BRANDS = ['仁爱', '康泰', '华济', '安康', '博爱', '济民', '德瑞', '和睦', '恒康', '瑞安', '永安', '泰和', '慈航', '益寿', '佳和', '民生', '康宁', '普济', '善德', '福泽'];
const INPATIENT_SPECIALTIES = ['骨科', '眼科', '妇产', '肿瘤', '康复', '中医', '心血管病', '儿童', '老年病', '肛肠', '中西医结合', '精神'];
const OUTPATIENT_SPECIALTIES = ['口腔', '中医', '综合', '眼科', '皮肤病'];
const CLINIC_SPECIALTIES = ['中医', '口腔', '内科', '外科', '中西医结合'];
const DISTRICT_HOSPITALS = ['人民医院', '中医医院', '中西医结合医院', '妇幼保健院', '第二人民医院', '康复医院', '老年病医院'];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗'];
const GIVEN_NAMES = ['建国', '秀英', '志强', '桂兰', '海涛', '丽华', '文博', '振华', '淑珍', '立新', '春生', '玉梅'];
const STORE_SUFFIXES = ['店', '店', '店', '一店', '二店', '分店'];

interface Institution {
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
  /** Prior-year score in hundredths of a point. */
  priorHundredths: number;
  /** Σ of the Y indicator scores in tenths of a point (before scaling). */
  baseTenths: number;
  /** Typical monthly settlement in fen. */
  monthlyFen: number;
  /** Fills 预留保证金 on every month (an office that exports it). */
  fillsReserved: boolean;
  special: boolean; // holds a special case: no random violations, no random low score
}

/** Full mark of a category in tenths (the sum of its indicators' maxima). */
const fullTenths = (indicators: Record<Category, Indicator[]>, c: Category): number =>
  indicators[c].reduce((s, i) => s + i.max * 10, 0);

const MIN_INSTITUTIONS = 30;

// ───────────────────────────── the roster ─────────────────────────────

function buildRoster(seed: number, n: number, year: number, region: SampleRegion): Institution[] {
  const rng = new Rng(mixSeed(seed, 1));
  const nIn = Math.round(n * 0.35);
  const nOut = Math.round(n * 0.2);
  const categories: Category[] = rng.shuffle([
    ...Array<Category>(nIn).fill('inpatient'),
    ...Array<Category>(nOut).fill('outpatient'),
    ...Array<Category>(n - nIn - nOut).fill('pharmacy'),
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
    const [lo, hi] =
      category === 'inpatient' ? [500_000, 20_000_000] : category === 'outpatient' ? [20_000, 800_000] : [5_000, 300_000];
    // log-uniform typical month, kept inside the range with room for ±15 %
    const monthlyYuan = Math.exp(rng.float(Math.log(lo / 0.85), Math.log(hi / 1.15)));
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
      fillsReserved: rng.chance(0.12),
      special: false,
    };
  });
}

function candidateName(rng: Rng, region: SampleRegion, category: Category, level: string, d: District): string {
  const { name: city, short: cityShort } = region.city;
  const chains = region.pharmacyChains;
  const street = rng.pick(d.streets);
  const townOrStreet = d.urban ? '街' : rng.pick(['镇', '街']);
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

function uniqueCreditCode(rng: Rng, region: SampleRegion, used: Set<string>, category: Category, name: string, d: District): string {
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

// ───────────────────────────── roles and scores ─────────────────────────────

interface Plan {
  special: SampleSpecialCases;
}

/** Chooses the special-case institutions and sets every institution's prior and Y score targets. */
function plan(seed: number, roster: Institution[], indicators: Record<Category, Indicator[]>): Plan {
  const rng = new Rng(mixSeed(seed, 2));
  const pools: Record<Category, Institution[]> = {
    inpatient: rng.shuffle(roster.filter((i) => i.category === 'inpatient')),
    outpatient: rng.shuffle(roster.filter((i) => i.category === 'outpatient')),
    pharmacy: rng.shuffle(roster.filter((i) => i.category === 'pharmacy')),
  };
  const take = (...prefer: Category[]): Institution => {
    for (const c of [...prefer, 'inpatient', 'outpatient', 'pharmacy'] as Category[]) {
      const inst = pools[c].pop();
      if (inst) {
        inst.special = true;
        return inst;
      }
    }
    throw new Error('not enough institutions for the special cases');
  };

  const n = roster.length;
  const refusal = take('pharmacy');
  const pendingOpen = take('inpatient');
  const pendingClosedNextYear = take('pharmacy');
  const closedInvestigation = take('outpatient');
  const consecutiveLow: Institution[] = [take('inpatient'), take('outpatient'), take('pharmacy')];
  for (let k = 3; k < Math.max(3, Math.round(n * 0.012)); k++) consecutiveLow.push(take(rng.pick(['inpatient', 'outpatient', 'pharmacy'] as const)));
  const priorLowRecovered: Institution[] = [take('pharmacy'), take('inpatient')];
  for (let k = 2; k < Math.max(2, Math.round(n * 0.008)); k++) priorLowRecovered.push(take(rng.pick(['inpatient', 'outpatient', 'pharmacy'] as const)));
  const lateHandled = take('inpatient');
  const handledBeforeYear = take('outpatient');
  const handledAfterYear = take('pharmacy');
  const terminated = take('pharmacy');
  // Scores in tenths on a band edge (or just under one). The base is the score scaled back to
  // the category's full mark: with a full mark of 100, 60.0 → 60.0; of 95, 60.0 → 57.0.
  const edgeSpecs: [Category, number][] = [
    ['inpatient', 600],
    ['pharmacy', 800],
    ['inpatient', 900],
    ['pharmacy', 599],
    ['outpatient', 600],
    ['outpatient', 800],
    ['outpatient', 900],
  ];
  const bandEdges: BandEdgeCase[] = [];
  for (const [category, scoreTenths] of edgeSpecs) {
    const base = (scoreTenths * fullTenths(indicators, category)) / 1000;
    const score = scoreTenths / 10;
    if (!Number.isInteger(base)) continue; // no base in tenths lands exactly on this edge
    const inst = pools[category].pop();
    if (!inst) continue; // a tiny roster: fewer edge cases
    inst.special = true;
    inst.baseTenths = base;
    bandEdges.push({ code: inst.code, category, base: base / 10, score });
  }

  // Y score targets, as a percentage of the full mark in tenths (0..1000).
  const lowIds = new Set(consecutiveLow.map((i) => i.index));
  const recoveredIds = new Set(priorLowRecovered.map((i) => i.index));
  const ordinary = roster.filter((i) => !i.special);
  rng.shuffle(ordinary);
  const nLow = Math.max(0, Math.round(n * 0.06) - consecutiveLow.length - 1);
  const nMid = Math.round(n * 0.08);
  const lowRandom = new Set(ordinary.slice(0, nLow).map((i) => i.index));
  const midRandom = new Set(ordinary.slice(nLow, nLow + nMid).map((i) => i.index));
  const edgeIds = new Set(bandEdges.map((e) => roster.find((i) => i.code === e.code)?.index ?? -1));

  for (const inst of roster) {
    let percentTenths: number;
    if (lowIds.has(inst.index)) percentTenths = rng.int(380, 585);
    else if (lowRandom.has(inst.index)) percentTenths = rng.int(400, 594);
    else if (recoveredIds.has(inst.index)) percentTenths = rng.int(680, 860);
    else if (midRandom.has(inst.index)) percentTenths = rng.int(610, 749);
    else percentTenths = Math.round(750 + 235 * ((rng.float() + rng.float() + rng.float()) / 3));
    if (!edgeIds.has(inst.index)) inst.baseTenths = Math.round((percentTenths * fullTenths(indicators, inst.category)) / 1000);

    // the prior year (first year of the tool: 上年度考核得分 in the roster)
    if (lowIds.has(inst.index) || recoveredIds.has(inst.index)) inst.priorHundredths = rng.int(4200, 5980);
    else if (rng.chance(0.04)) inst.priorHundredths = rng.int(6000, 6999);
    else inst.priorHundredths = rng.int(7000, 9800);
    if (rng.chance(0.5)) inst.priorHundredths -= inst.priorHundredths % 10; // one decimal on half the rows
  }

  return {
    special: {
      refusal: refusal.code,
      pending: [pendingOpen.code, pendingClosedNextYear.code],
      closedInvestigation: closedInvestigation.code,
      consecutiveLow: consecutiveLow.map((i) => i.code).sort(),
      priorLowRecovered: priorLowRecovered.map((i) => i.code).sort(),
      lateHandled: lateHandled.code,
      handledBeforeYear: handledBeforeYear.code,
      handledAfterYear: handledAfterYear.code,
      terminated: terminated.code,
      bandEdges,
    },
  };
}

/** Splits a total (tenths) over indicators of the given maxima (tenths), each within 0..max. */
function allocate(rng: Rng, maxima: number[], total: number): number[] {
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

// ───────────────────────────── files ─────────────────────────────

const FIXED_WORKBOOK_DATE = (year: number): Date => new Date(Date.UTC(year + 1, 0, 15, 0, 0, 0));

/** Author and a fixed date instead of the wall clock, so the sample's cells are the same on every run. */
function stamp(workbook: { creator: string; lastModifiedBy: string; created: Date; modified: Date }, year: number): void {
  workbook.creator = workbook.lastModifiedBy = 'assess sample generator';
  workbook.created = workbook.modified = FIXED_WORKBOOK_DATE(year);
}
const TEXT = '@';
const DATE_FORMAT = 'yyyy-mm-dd';

function columnLetter(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

async function writeRoster(file: string, seed: number, roster: Institution[], year: number, region: SampleRegion): Promise<void> {
  const rng = new Rng(mixSeed(seed, 3));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: true });
  stamp(workbook, year);
  const sheet = workbook.addWorksheet('机构名册', { views: [{ state: 'frozen', ySplit: 3 }] });
  const spec = inputSpec('institutions');
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
    const prior = inst.priorHundredths / 100;
    const values: Record<string, ExcelJS.CellValue> = {
      code: inst.code,
      name: inst.name,
      kind: inst.category === 'pharmacy' ? '零售药店' : '医疗机构',
      inpatient: inst.category === 'inpatient' ? '是' : inst.category === 'outpatient' ? '否' : null,
      hospitalLevel: inst.level || null,
      district: inst.district.name,
      admittedOn: dateCell(inst.admitted, dateStyle()),
      tier: null, // settlement tiers belong to a regime module the sample does not fill; left blank
      tierSince: null,
      specialDrug: inst.specialDrug ? '是' : '否',
      beds: inst.beds ?? null,
      insuranceStaff: inst.staff ?? null,
      agreementEnds: dateCell(inst.agreementEnds, dateStyle()),
      creditCode: inst.creditCode ?? null,
      // numbers stored as text on some rows, as real exports do
      priorScore: rng.chance(0.1) ? String(prior) : prior,
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

async function writeScores(file: string, seed: number, roster: Institution[], indicatorsOf: Record<Category, Indicator[]>): Promise<number> {
  const out = new CsvWriter(file, true);
  await out.row(headers('scores'));
  for (const inst of roster) {
    const rng = new Rng(mixSeed(seed, 4, inst.index));
    const indicators = indicatorsOf[inst.category];
    const maxima = indicators.map((i) => i.max * 10);
    const scores = allocate(rng, maxima, inst.baseTenths);
    for (let k = 0; k < indicators.length; k++) {
      const indicator = indicators[k];
      const max = maxima[k];
      const score = scores[k];
      if (indicator === undefined || max === undefined || score === undefined) continue;
      // self-assessment at or above the confirmed score; the first review in between
      const self = rng.chance(0.9) ? Math.min(max, score + (rng.chance(0.5) ? 0 : rng.int(1, 25))) : undefined;
      const review = rng.chance(0.85)
        ? rng.chance(0.8) || self === undefined
          ? score
          : rng.int(score, self)
        : undefined;
      const note =
        review !== undefined && review !== score
          ? '复核调整'
          : self !== undefined && self - score >= 20
            ? '现场核查扣分'
            : undefined;
      await out.row(
        ordered('scores', {
          code: inst.code,
          indicator: indicator.code,
          score: tenthsText(score),
          selfScore: self === undefined ? undefined : tenthsText(self),
          reviewScore: review === undefined ? undefined : tenthsText(review),
          note,
        }),
      );
    }
  }
  await out.close();
  return out.rows - 1;
}

async function writeSettlements(file: string, seed: number, roster: Institution[], year: number, months: number): Promise<number> {
  const out = new CsvWriter(file, false);
  await out.row(headers('settlements'));
  for (const inst of roster) {
    const rng = new Rng(mixSeed(seed, 5, inst.index));
    const [lo, hi] =
      inst.category === 'inpatient' ? [50_000_000, 2_000_000_000] : inst.category === 'outpatient' ? [2_000_000, 80_000_000] : [500_000, 30_000_000];
    for (let m = 1; m <= months; m++) {
      const month = rng.weighted([[`${year}-${pad2(m)}`, 94], [`${year}${pad2(m)}`, 3], [`${year}年${m}月`, 3]] as const);
      // a pharmacy closed for a month now and then
      const fen =
        inst.category === 'pharmacy' && rng.chance(0.003)
          ? 0
          : Math.min(hi, Math.max(lo, Math.round(inst.monthlyFen * rng.float(0.85, 1.15))));
      const thousands = rng.chance(0.08);
      const reserved = inst.fillsReserved || rng.chance(0.03) ? yuanText(tenPercentFen(fen), thousands) : undefined;
      await out.row(ordered('settlements', { code: inst.code, month, settled: yuanText(fen, thousands), reserved }));
    }
  }
  await out.close();
  return out.rows - 1;
}

interface ViolationEvent {
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

function makeEvent(
  rng: Rng,
  inst: Institution,
  type: string,
  occurred: Ymd,
  handled: Ymd,
  basis?: string,
): ViolationEvent {
  const defaultBasis: Record<string, readonly (readonly [string | undefined, number])[]> = {
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
    basis: basis ?? rng.weighted(defaultBasis[type] ?? [['协议', 1]]),
    points: type === '扣分' ? rng.pick([0.5, 1, 1.5, 2, 3, 5]) : undefined,
    recoveredFen: recovered,
    note: rng.pick((hospital ? HOSPITAL_NOTES : PHARMACY_NOTES)[type] ?? ['']),
  };
}

function planViolations(seed: number, roster: Institution[], special: SampleSpecialCases, year: number): ViolationEvent[] {
  const rng = new Rng(mixSeed(seed, 6));
  const byCode = new Map(roster.map((i) => [i.code, i]));
  const get = (code: string): Institution => {
    const inst = byCode.get(code);
    if (!inst) throw new Error(`unknown institution ${code}`);
    return inst;
  };
  const inYear = (from: Ymd, to: Ymd): [Ymd, Ymd] => {
    const occurred = randomDate(rng, from, to);
    const handled = minDate(addDays(occurred, rng.int(0, 60)), ymd(year, 12, 31));
    return [occurred, handled];
  };

  const events: ViolationEvent[] = [];
  // the special cases
  {
    const occurred = randomDate(rng, ymd(year - 1, 11, 1), ymd(year - 1, 12, 20));
    events.push(makeEvent(rng, get(special.lateHandled), '暂停结算', occurred, randomDate(rng, ymd(year, 1, 5), ymd(year, 2, 28)), '协议'));
  }
  {
    const occurred = randomDate(rng, ymd(year - 1, 3, 1), ymd(year - 1, 5, 31));
    events.push(makeEvent(rng, get(special.handledBeforeYear), '罚款', occurred, addDays(occurred, rng.int(20, 60)), '条例第三十八条'));
  }
  {
    const occurred = randomDate(rng, ymd(year, 12, 1), ymd(year, 12, 20));
    events.push(makeEvent(rng, get(special.handledAfterYear), '不予支付', occurred, randomDate(rng, ymd(year + 1, 1, 6), ymd(year + 1, 1, 24)), '协议'));
  }
  {
    const [occurred, handled] = inYear(ymd(year, 7, 1), ymd(year, 9, 30));
    events.push(makeEvent(rng, get(special.refusal), '拒不提供资料', occurred, handled, '协议'));
  }
  {
    const [occurred, handled] = inYear(ymd(year, 4, 1), ymd(year, 6, 30));
    events.push(makeEvent(rng, get(special.terminated), '解除协议', occurred, handled, '条例第三十八条'));
  }

  // ordinary events: every other type at least once, then the common ones
  const total = Math.max(events.length + 12, Math.round(roster.length * 0.15));
  const types: [string, string | undefined][] = [
    ['约谈', '协议'],
    ['约谈', '条例第三十八条'],
    ['暂停结算', '条例第三十八条'],
    ['不予支付', undefined],
    ['罚款', '条例第三十九条'],
    ['中止医保服务', undefined],
    ['行政处罚', '其他'],
    ['扣分', '协议'],
  ];
  const weights = [
    ['约谈', 30],
    ['扣分', 30],
    ['不予支付', 12],
    ['暂停结算', 8],
    ['罚款', 8],
    ['行政处罚', 6],
    ['中止医保服务', 3],
  ] as const;
  while (types.length < total - events.length) types.push([rng.weighted(weights), undefined]);

  const candidates = rng.shuffle(roster.filter((i) => !i.special));
  const chosen: Institution[] = [];
  for (const [type, basis] of types) {
    const repeat = chosen.length > 0 && rng.chance(0.25);
    const inst = repeat ? rng.pick(chosen) : candidates.pop() ?? rng.pick(chosen);
    if (!repeat) chosen.push(inst);
    const [occurred, handled] = inYear(ymd(year, 1, 3), ymd(year, 11, 15));
    events.push(makeEvent(rng, inst, type, occurred, handled, basis));
  }

  // a log in the order things were handled
  events.sort((a, b) => dayNumber(a.handled) - dayNumber(b.handled) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return events;
}

async function writeViolations(file: string, seed: number, events: ViolationEvent[], year: number): Promise<void> {
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
    const recovered: ExcelJS.CellValue =
      e.recoveredFen === undefined
        ? null
        : rng.weighted<() => ExcelJS.CellValue>([
            [() => e.recoveredFen! / 100, 2],
            [() => yuanText(e.recoveredFen!, true), 1],
            [() => yuanText(e.recoveredFen!), 1],
          ])();
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

async function writeInvestigations(file: string, seed: number, special: SampleSpecialCases, year: number): Promise<number> {
  const rng = new Rng(mixSeed(seed, 8));
  const [pendingOpen, pendingClosedNextYear] = special.pending;
  if (pendingOpen === undefined || pendingClosedNextYear === undefined) throw new Error('pending cases missing');
  const closedOpened = randomDate(rng, ymd(year, 3, 1), ymd(year, 4, 30));
  const rows: { code: string; openedOn: string; closedOn?: string; conclusion?: string }[] = [
    {
      code: special.closedInvestigation,
      openedOn: dateText(closedOpened, 'iso'),
      closedOn: dateText(addDays(closedOpened, rng.int(60, 120)), 'slash'),
      conclusion: '未发现违规',
    },
    { code: pendingOpen, openedOn: dateText(randomDate(rng, ymd(year, 9, 1), ymd(year, 10, 31)), 'iso') },
    {
      code: pendingClosedNextYear,
      openedOn: dateText(randomDate(rng, ymd(year, 11, 1), ymd(year, 11, 30)), 'cn'),
      closedOn: dateText(randomDate(rng, ymd(year + 1, 2, 1), ymd(year + 1, 2, 20)), 'iso'),
      conclusion: '查实违规，另案处理',
    },
  ];
  const out = new CsvWriter(file, true);
  await out.row(headers('investigations'));
  for (const r of rows) await out.row(ordered('investigations', r));
  await out.close();
  return rows.length;
}

function readme(
  region: SampleRegion,
  seed: number,
  year: number,
  n: number,
  special: SampleSpecialCases,
  counts: GenerateResult['counts'],
): string {
  const list = (codes: string[]): string => codes.join('、');
  const edges = special.bandEdges.map((e) => `${e.code}（${e.base}分 → ${e.score}分）`).join('、');
  // the default region needs no --region to be made again
  const regionArg = region.name === DEFAULT_REGION ? '' : ` --region ${region.name}`;
  return [
    `# ${withYear(region.readme.title, year)}`,
    '',
    `本目录是虚构的样例数据，机构名称、编码、统一社会信用代码、金额均为随机生成，与真实机构无关。`,
    `由 \`src/sample/generate.ts\` 生成，随机种子 ${seed}，机构 ${n} 家：`,
    '',
    '```',
    `node dist/sample/generate.js --out <目录>${regionArg} --seed ${seed} --institutions ${n} --year ${year}`,
    '```',
    '',
    `- \`policy.yaml\`：${region.readme.policy}（templates/policies/${region.profile}.yaml 的副本）`,
    `- \`inputs/${year}/机构名册.xlsx\`：${counts.institutions} 家（有住院服务 ${counts.byCategory.inpatient}、无住院服务 ${counts.byCategory.outpatient}、零售药店 ${counts.byCategory.pharmacy}），首年填写上年度考核得分`,
    `- \`inputs/${year}/指标得分.csv\`：${counts.scores} 行（UTF-8 带 BOM，长表）`,
    `- \`inputs/${year}/月度结算.csv\`：${counts.settlements} 行（UTF-8 无 BOM，部分行含千分位、月份写法不一，预留保证金多数不填）`,
    `- \`inputs/${year}/违规记录.xlsx\`：${counts.violations} 条（日期写法混用）`,
    `- \`inputs/${year}/立案调查.csv\`：${counts.investigations} 条`,
    '',
    '## 特殊情形',
    '',
    `- 拒不提供资料（不合格，保证金不予返还）：${special.refusal}`,
    `- 年末仍在立案调查（待定，保证金暂缓）：${list(special.pending)}（后者于 ${year + 1} 年结案，年末仍未结案）`,
    `- ${year} 年立案并结案、未发现违规（正常计分）：${special.closedInvestigation}`,
    `- 连续两年考核低于60分（不予续签）：${list(special.consecutiveLow)}`,
    `- 上年度低于60分、本年度不低于60分（不列入）：${list(special.priorLowRecovered)}`,
    `- ${year - 1} 年发生、${year} 年处理的违规（计入 ${year} 年）：${special.lateHandled}`,
    `- ${year - 1} 年发生并处理的违规（不计入）：${special.handledBeforeYear}`,
    `- ${year} 年发生、${year + 1} 年处理的违规（不计入 ${year} 年）：${special.handledAfterYear}`,
    `- 解除协议：${special.terminated}`,
    `- 分数恰在分档线上（无违规扣分）：${edges}`,
    '',
  ].join('\n');
}

// ───────────────────────────── entry ─────────────────────────────

/** What is wrong with the options, or null. */
function optionsProblem(opts: GenerateOptions): string | null {
  const months = opts.settlementRowsPerInstitution ?? 12;
  if (!Number.isInteger(opts.institutions) || opts.institutions < MIN_INSTITUTIONS) {
    return `institutions must be an integer ≥ ${MIN_INSTITUTIONS} (the special cases need that many)`;
  }
  if (!Number.isInteger(opts.year) || opts.year < 2001 || opts.year > 9998) return 'year must be an integer like 2024';
  if (!Number.isInteger(opts.seed)) return 'seed must be an integer';
  if (!Number.isInteger(months) || months < 1 || months > 12) {
    return 'settlementRowsPerInstitution (--months) must be 1..12: one row per month, months never repeat';
  }
  return null;
}

export async function generateWorkspace(opts: GenerateOptions): Promise<GenerateResult> {
  assertCreditCodeHelper();
  const problem = optionsProblem(opts);
  if (problem) throw new Error(problem);
  const { outDir, seed, institutions: n, year } = opts;
  const months = opts.settlementRowsPerInstitution ?? 12;
  const region = await loadSampleRegion(opts.region);

  const roster = buildRoster(seed, n, year, region);
  const { special } = plan(seed, roster, region.indicators);
  const events = planViolations(seed, roster, special, year);

  const inputs = path.join(outDir, 'inputs', String(year));
  await mkdir(inputs, { recursive: true });
  const files = {
    policy: path.join(outDir, 'policy.yaml'),
    roster: path.join(inputs, '机构名册.xlsx'),
    scores: path.join(inputs, '指标得分.csv'),
    settlements: path.join(inputs, '月度结算.csv'),
    violations: path.join(inputs, '违规记录.xlsx'),
    investigations: path.join(inputs, '立案调查.csv'),
    readme: path.join(outDir, 'README.md'),
  };

  await writeFile(files.policy, region.policyBytes);
  await writeRoster(files.roster, seed, roster, year, region);
  const scores = await writeScores(files.scores, seed, roster, region.indicators);
  const settlements = await writeSettlements(files.settlements, seed, roster, year, months);
  await writeViolations(files.violations, seed, events, year);
  const investigations = await writeInvestigations(files.investigations, seed, special, year);

  const counts: GenerateResult['counts'] = {
    institutions: roster.length,
    byCategory: {
      inpatient: roster.filter((i) => i.category === 'inpatient').length,
      outpatient: roster.filter((i) => i.category === 'outpatient').length,
      pharmacy: roster.filter((i) => i.category === 'pharmacy').length,
    },
    scores,
    settlements,
    violations: events.length,
    investigations,
  };
  await writeFile(files.readme, readme(region, seed, year, n, special, counts));

  return {
    files: [files.policy, files.roster, files.scores, files.settlements, files.violations, files.investigations, files.readme],
    special,
    counts,
  };
}

/** The region the command line makes when --region is absent (the shipped sample). */
const DEFAULT_REGION = 'tianjin';

const USAGE =
  'usage: node dist/sample/generate.js --out DIR [--region NAME] [--seed N] [--institutions N] [--year YYYY] [--months 1..12]\n' +
  '  --region: a file templates/samples/NAME.yaml (default tianjin)';

const KNOWN_OPTIONS = ['out', 'region', 'seed', 'institutions', 'year', 'months'];

function parseArgs(argv: string[]): GenerateOptions {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    }
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !m[1]) throw new Error(`unknown argument ${arg}`);
    if (!KNOWN_OPTIONS.includes(m[1])) throw new Error(`unknown option --${m[1]}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    values.set(m[1], value);
  }
  const int = (k: string, fallback: number): number => {
    const v = values.get(k);
    if (v === undefined) return fallback;
    if (!/^-?\d+$/.test(v)) throw new Error(`--${k} must be an integer, got ${v}`);
    return Number(v);
  };
  const outDir = values.get('out');
  if (!outDir) throw new Error('--out is required');
  const opts: GenerateOptions = {
    outDir,
    region: values.get('region') ?? DEFAULT_REGION,
    seed: int('seed', 2024),
    institutions: int('institutions', 320),
    year: int('year', 2024),
    settlementRowsPerInstitution: int('months', 12),
  };
  const problem = optionsProblem(opts);
  if (problem) throw new Error(problem);
  return opts;
}

async function main(): Promise<void> {
  let opts: GenerateOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const started = performance.now();
  let result: GenerateResult;
  try {
    result = await generateWorkspace(opts);
  } catch (err) {
    if (!(err instanceof SampleRegionError)) throw err;
    // an unknown region is a usage error; a broken region file, invalid input
    console.error(err.unknown ? `${err.message}\n${USAGE}` : err.message);
    process.exit(err.unknown ? 2 : 1);
  }
  const { files, special, counts } = result;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`已生成样例工作区 ${opts.outDir}（种子 ${opts.seed}，${counts.institutions} 家机构，用时 ${seconds} 秒）`);
  for (const f of files) console.log(`  ${f}`);
  console.log(
    `  指标得分 ${counts.scores} 行，月度结算 ${counts.settlements} 行，违规记录 ${counts.violations} 条，立案调查 ${counts.investigations} 条`,
  );
  console.log(JSON.stringify(special, null, 2));
}

function isMain(): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try {
    return realpathSync(path.resolve(arg)) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(3);
  });
}
