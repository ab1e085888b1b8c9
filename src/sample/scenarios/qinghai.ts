// The Qinghai scenario (profile qinghai: the 12-point record of the persons of designated
// institutions — 医保支付资格管理 — and the institutions' annual assessment it deducts from).
// Like the Xianyang scenario it writes TWO consecutive years, Y and Y+1, so that the run of
// Y+1 reads what the run of Y carried in results/Y/state.json (bans, suspensions past
// 31 December):
//
//   inputs/Y/    机构名册.xlsx, 指标得分.csv (long form), 月度结算.csv, 违规记录.xlsx, 人员记分.csv
//   inputs/Y+1/  the same; 指标得分.csv in the wide form (one column per indicator)
//
// Who is who (every case the README lists, by 人员编码):
// - the outcomes at and around each line of the year: 5, 6, 8, 9, 10, 11, 12 accumulated,
//   13, and 12 in one event (一次性记满);
// - persons at two institutions whose points add up, the institution of the crossing event
//   charged (once, for the highest outcome);
// - a repair (9 → 7, the suspension stands; one before a crossing keeps a person below the
//   line), a restoration ending a suspension early, and one after which points go on adding up;
// - suspensions running past 31 December of Y (ended early in Y+1, followed by new points, or
//   quiet), persons terminated in Y with events in Y+1 during the ban (personnelBanned), and
//   one whose ban had ended;
// - in Y+1 a fresh year for everyone, a second repair (one a year), new lines crossed and a
//   suspension past 31 December of Y+1.
// Around them, thousands of persons with a point or a few (some reaching key supervision,
// none more), spread over the institutions by their size. `personnelEvents` (--events) fixes
// the rows of each year's 人员记分.csv exactly (the persons scale with it): a workspace of
// 500,000 events is written in seconds, one institution's rows at a time.

import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { parsePolicy } from '../../policy/load.js';
import { suspensionMonthsByPoints } from '../../policy/schema.js';
import { addMonths, addYears } from '../../rules/calendar.js';
import type { Category, District, Indicator, PersonNames, SampleRegion } from '../region.js';
import { columnKeys, CsvWriter, headers, ordered } from '../csv.js';
import {
  allocate,
  CLINIC_SPECIALTIES,
  GIVEN_NAMES,
  HOSPITAL_BRANDS,
  INPATIENT_SPECIALTIES,
  logUniform,
  OUTPATIENT_SPECIALTIES,
  STORE_SUFFIXES,
  SURNAMES,
  uniqueCreditCode,
  writeRoster,
  type Institution,
} from '../roster.js';
import { byHandled, makeEvent, writeSettlements, writeViolations, type ViolationEvent } from '../records.js';
import { mixSeed, Rng } from '../rng.js';
import { readmeHead, type Scenario, type ScenarioContext } from '../scenario.js';
import { addDays, dateText, dayNumber, idNumberCheckChar, lastDayOfMonth, pad2, randomDate, tenthsText, ymd, type Ymd } from '../values.js';

// ───────────────────────────── the cases ─────────────────────────────

export type PersonStatus = 'normal' | 'keySupervision' | 'suspended' | 'terminated';

/** The special persons, by a stable id; the README says what each shows. */
export type QinghaiRole =
  | 'five' // 5 accumulated: nothing
  | 'six' // 6: key supervision
  | 'eight' // 8: still key supervision
  | 'nine' // 9: suspended 1 month
  | 'ten' // 10: 2 months
  | 'eleven' // 11: 3 months
  | 'twelve' // 12 accumulated: terminated, banned 1 year
  | 'oneShot' // 12 in one event: terminated, banned 3 years
  | 'thirteen' // suspended at 9, terminated at 13: charged once, for the termination
  | 'twoSites' // two institutions, the points added up; the one whose event crossed the line is charged
  | 'twoSitesHighest' // two institutions, lines crossed at each: charged once, where the highest was reached
  | 'twoPharmacies' // a pharmacist at two pharmacies, terminated at the second
  | 'repair' // 9 → 7 by a repair: the suspension stands
  | 'repairBefore' // a repair before a crossing keeps the person below the line
  | 'restored' // a restoration ends the suspension early
  | 'restoredThenMore' // restored, then more points: they add up (青海（六）), terminated
  | 'carriedRestored' // suspended past 31 December, ended early by a restoration the next year
  | 'carriedFresh' // suspended past 31 December, new points the next year: a fresh 12
  | 'carriedQuiet' // suspended past 31 December, no event the next year
  | 'banEnded' // terminated early in Y, events in Y+1 after the ban ended: not listed
  | 'bannedWithEvents' // terminated in Y, events in Y+1 during the ban: personnelBanned
  | 'bannedQuiet' // terminated in Y, no event in Y+1: the ban carried on
  | 'freshYear' // 11 in Y, a fresh 12 in Y+1
  | 'repairAgain' // a repair in Y and again in Y+1: one a year
  | 'carriedOn'; // suspended or banned past 31 December of Y+1: in results/Y+1/state.json

/** What the run of the case's year gives for the person (personnel.csv, the lists, the charge). */
export interface PersonExpectation {
  status: PersonStatus;
  deducted: number;
  repaired: number;
  points: number;
  suspendedFrom: string;
  suspendedUntil: string;
  terminatedOn: string;
  /** Absent where personnel.csv's one_shot is not this year's (a ban carried from last year). */
  oneShot?: boolean;
  bannedUntil: string;
  /** The person lists the person is on: keySupervision, suspended, personnelTerminated, personnelBanned. */
  lists: string[];
  /** The institution whose score answers for the person this year, and the points. */
  charged: { institution: string; points: number } | null;
  /** In results/<year>/state.json `personnel` (a ban or a suspension running past 31 December). */
  carried: boolean;
  /** A row in personnel.csv (a person without events of the year has one only while a ban or suspension runs past its end). */
  row: boolean;
}

export interface QinghaiCase {
  /** The run that shows it. */
  year: number;
  role: QinghaiRole;
  /** 人员编码 */
  person: string;
  name: string;
  /** The institutions of the person's events of the year (none: carried from last year only). */
  institutions: string[];
  /** The events and what the run shows, in words an officer reads (the README's line). */
  text: string;
  expected: PersonExpectation;
}

/** An institution of the cases, with what the run of each year deducts from it. */
export interface ChargedInstitution {
  code: string;
  /** Σ of personnel deductions (the cases' and the other persons'). */
  deduction: number;
  /** The score (Σ indicator scores minus deductions), 2 decimals. */
  score: string;
  /** The case persons charged to it. */
  persons: string[];
}

export interface QinghaiSpecialCases {
  years: [number, number];
  cases: QinghaiCase[];
  /** The institution whose persons bring its score below the full refund. */
  deductionCase: string;
  /** By year: the institutions of the cases, with their deductions and scores. */
  charged: Record<number, ChargedInstitution[]>;
  /** By year: the institutions' own violations (code, type, date handled). */
  violations: Record<number, { code: string; type: string; handled: string }[]>;
}

export interface QinghaiYearCounts {
  institutions: number;
  scores: number;
  settlements: number;
  violations: number;
  /** Rows of 人员记分.csv. */
  events: number;
  /** Persons with an event in the year. */
  persons: number;
  /** The other persons (not the cases) reaching key supervision. */
  othersKeySupervision: number;
}

export interface QinghaiResult {
  profile: 'qinghai';
  files: string[];
  special: QinghaiSpecialCases;
  counts: {
    /** Y's roster. */
    institutions: number;
    scores: number;
    settlements: number;
    violations: number;
    investigations: number;
    /** Rows of 人员记分.csv, both years. */
    personnel: number;
    byYear: Record<number, QinghaiYearCounts>;
  };
}

// ───────────────────────────── the profile's numbers ─────────────────────────────

interface Terms {
  /** The document's display title (documents:), for the README. */
  document: string;
  keyAt: number;
  suspendAt: number;
  terminateAt: number;
  /** Points reached → months of suspension. */
  months: Record<string, number>;
  cumulativeYears: number;
  oneShotYears: number;
  repairMax: number;
  repairsPerYear: number;
  deductions: Record<Exclude<PersonStatus, 'normal'>, number>;
  /** 情形 the 情形 column may name → [least, most] points: severities first, then situations. */
  named: { name: string; range: readonly [number, number]; severity: boolean }[];
  rate: number;
}

/** The lines the cases are built around: the profile's (三（四）–（六）), checked, not assumed. */
const BUILT_FOR = { keyAt: 6, suspendAt: 9, terminateAt: 12, months: { 9: 1, 10: 2, 11: 3 }, repairMax: 3, repairsPerYear: 1 } as const;

function termsOf(region: SampleRegion): Terms {
  const file = `templates/policies/${region.profile}.yaml`;
  const parsed = parsePolicy(region.policyBytes.toString('utf8'), file);
  if (!parsed.ok) throw new Error(`${file} is invalid`);
  const policy = parsed.value.policy;
  const p = policy.personnel;
  if (!p?.enabled) throw new Error(`${file}: the qinghai sample needs personnel.enabled`);
  const months = suspensionMonthsByPoints(p.suspensionMonths);
  const built = p.keySupervisionAt === BUILT_FOR.keyAt && p.suspendAt === BUILT_FOR.suspendAt && p.terminateAt === BUILT_FOR.terminateAt && p.repair.maxPoints >= BUILT_FOR.repairMax && p.repair.perYear === BUILT_FOR.repairsPerYear;
  const sameMonths = Object.entries(BUILT_FOR.months).every(([k, v]) => months[k] === v);
  if (!built || !sameMonths) {
    throw new Error(`${file}: the qinghai sample's cases are built for lines 6/9/12, suspensions {9: 1, 10: 2, 11: 3} and one repair of up to 3 points a year; change the cases with the profile`);
  }
  const range = (v: number | readonly [number, number]): readonly [number, number] => (typeof v === 'number' ? [v, v] : v);
  const named = [
    ...Object.entries(p.severities?.points ?? {}).map(([name, v]) => ({ name, range: range(v), severity: true })),
    ...Object.entries(p.situations?.points ?? {}).map(([name, v]) => ({ name, range: range(v), severity: false })),
  ];
  const title = policy.documents?.[policy.seed ?? ''];
  return {
    document: title ?? policy.title ?? region.profile,
    keyAt: p.keySupervisionAt,
    suspendAt: p.suspendAt,
    terminateAt: p.terminateAt,
    months,
    cumulativeYears: p.bans.cumulativeYears,
    oneShotYears: p.bans.oneShotYears,
    repairMax: p.repair.maxPoints,
    repairsPerYear: p.repair.perYear,
    deductions: { keySupervision: Number(p.deductions?.keySupervision ?? 0), suspended: Number(p.deductions?.suspended ?? 0), terminated: Number(p.deductions?.terminated ?? 0) },
    named,
    rate: policy.deposit.rate,
  };
}

/** Months of suspension for the points reached: the largest mapping at or below them. */
function monthsFor(terms: Terms, points: number): number {
  const keys = Object.keys(terms.months)
    .map(Number)
    .filter((k) => k <= points)
    .sort((a, b) => b - a);
  return terms.months[String(keys[0])] ?? 0;
}

// ───────────────────────────── institutions ─────────────────────────────

type Kind = 'hospital' | 'clinic' | 'pharmacy';

interface Member {
  inst: Institution;
  kind: Kind;
  /** Relative number of its persons (by beds and kind): its share of the events. */
  weight: number;
  /** Σ of the indicator scores in tenths, by year. */
  scores: Map<number, number>;
}

const CATEGORY: Record<Kind, Category> = { hospital: 'inpatient', clinic: 'outpatient', pharmacy: 'pharmacy' };
const CITY_HOSPITALS = ['第一人民医院', '第二人民医院', '第三人民医院', '中医院', '妇女儿童医院', '藏医院'];
const DISTRICT_HOSPITALS = ['人民医院', '中医院', '藏医院', '妇幼保健院', '第二人民医院'];

/** The city a district's institutions are named after (its prefecture, or the region's city). */
function cityOf(region: SampleRegion, d: District): { name: string; short: string; divisionCode: string } {
  return d.prefecture ?? region.city;
}

function personName(rng: Rng, names: PersonNames | undefined): string {
  if (names?.fullNames && rng.chance(names.fullNameShare ?? 0)) return rng.pick(names.fullNames);
  return `${rng.pick(names?.surnames ?? SURNAMES)}${rng.pick(names?.givenNames ?? GIVEN_NAMES)}`;
}

function candidateName(rng: Rng, region: SampleRegion, kind: Kind, level: string, d: District): string {
  const city = cityOf(region, d);
  // a 区's public institutions carry the city's name (…市…区人民医院), a county's its own (…县人民医院)
  const local = d.name.endsWith('区') ? `${city.name}${d.name}` : d.name;
  const place = rng.pick(d.towns && !d.urban && rng.chance(0.3) ? d.towns : d.streets);
  const placeWord = d.urban ? (region.streetSuffix ?? '街') : '镇';
  switch (kind) {
    case 'hospital':
      if (level === '三级甲等') return `${city.name}${rng.pick(CITY_HOSPITALS)}`;
      if (level === '二级' && rng.chance(0.7)) return `${local}${rng.pick(DISTRICT_HOSPITALS)}`;
      if (level === '一级' && !d.urban) return `${d.name}${place}镇${rng.pick(['卫生院', '中心卫生院'])}`;
      return `${city.short}${rng.pick(HOSPITAL_BRANDS)}${rng.pick(INPATIENT_SPECIALTIES)}医院`;
    case 'clinic':
      return rng.weighted([
        [() => `${local}${place}${placeWord}社区卫生服务中心`, d.urban ? 4 : 1],
        [() => `${city.short}${rng.pick(HOSPITAL_BRANDS)}${rng.pick(OUTPATIENT_SPECIALTIES)}门诊部`, 3],
        [() => `${d.name}${personName(rng, region.personNames)}${rng.pick(CLINIC_SPECIALTIES)}诊所`, 3],
      ] as const)();
    case 'pharmacy': {
      const chain = rng.pick(region.pharmacyChains);
      return rng.weighted([
        [() => `${city.short}${chain}大药房（连锁）有限公司${place}${rng.pick(STORE_SUFFIXES)}`, 5],
        [() => `${city.short}${chain}医药连锁有限公司${place}店`, 3],
        [() => `${d.name}${chain}药店`, 2],
      ] as const)();
    }
  }
}

function levelOf(rng: Rng, kind: Kind, d: District): string {
  switch (kind) {
    case 'hospital':
      return rng.weighted([['三级甲等', 0.6], ['二级', 3], ['一级', d.urban ? 1.5 : 5], ['未定级', 2]] as const);
    case 'clinic':
      return rng.weighted([['一级', 3], ['未定级', 4], ['', 3]] as const);
    case 'pharmacy':
      return '';
  }
}

/** A typical monthly settlement in yuan, drawn with one number. */
function monthlyYuan(rng: Rng, kind: Kind, level: string, name: string): number {
  switch (kind) {
    case 'hospital':
      return level === '三级甲等'
        ? logUniform(rng, 3_000_000, 15_000_000)
        : level === '二级'
          ? logUniform(rng, 400_000, 3_000_000)
          : name.endsWith('卫生院')
            ? logUniform(rng, 30_000, 300_000)
            : logUniform(rng, 100_000, 1_000_000);
    case 'clinic':
      return name.endsWith('社区卫生服务中心') ? logUniform(rng, 50_000, 400_000) : name.endsWith('门诊部') ? logUniform(rng, 30_000, 300_000) : logUniform(rng, 5_000, 60_000);
    case 'pharmacy':
      return logUniform(rng, 10_000, 200_000);
  }
}

/** Relative number of persons an institution has: beds for a hospital, a few for a clinic, one or two for a pharmacy. */
function weightOf(kind: Kind, beds: number | undefined, name: string): number {
  switch (kind) {
    case 'hospital':
      return Math.max(4, Math.round((beds ?? 20) / 6) + 2);
    case 'clinic':
      return name.endsWith('社区卫生服务中心') ? 8 : name.endsWith('门诊部') ? 4 : 2;
    case 'pharmacy':
      return 1;
  }
}

function buildMembers(seed: number, n: number, year: number, region: SampleRegion): Member[] {
  const rng = new Rng(mixSeed(seed, 30));
  const nHospital = Math.round(n * 0.25);
  const nClinic = Math.round(n * 0.3);
  const kinds = rng.shuffle([...Array<Kind>(nHospital).fill('hospital'), ...Array<Kind>(nClinic).fill('clinic'), ...Array<Kind>(n - nHospital - nClinic).fill('pharmacy')]);
  const districtWeights = region.districts.map((d) => [d, d.weight] as const);
  const serials = new Map<string, number>();
  const names = new Set<string>();
  const credits = new Set<string>();
  const members = kinds.map((kind): Member => {
    const district = rng.weighted(districtWeights);
    const prefix = kind === 'pharmacy' ? 'P' : 'H';
    const key = prefix + district.code;
    const serial = (serials.get(key) ?? 0) + 1;
    if (serial > 99999) throw new Error(`more than 99999 institutions in ${district.name}`);
    serials.set(key, serial);
    const level = levelOf(rng, kind, district);
    let name = candidateName(rng, region, kind, level, district);
    for (let tries = 0; names.has(name) && tries < 20; tries++) name = candidateName(rng, region, kind, level, district);
    for (let k = 2; names.has(name); k++) {
      const base = name.replace(/（第\d+院区）$|（\d+部）$/, '');
      name = base.endsWith('店') ? base.replace(/(一店|二店|分店|店)$/, `第${k}分店`) : /(医院|卫生院|中心)$/.test(base) ? `${base}（第${k}院区）` : `${base}（${k}部）`;
    }
    names.add(name);
    const beds = kind !== 'hospital' ? undefined : level === '三级甲等' ? rng.int(60, 180) * 10 : level === '二级' ? rng.int(10, 50) * 10 : rng.int(20, 99);
    const category = CATEGORY[kind];
    const creditCode = rng.chance(0.8) ? uniqueCreditCode(rng, { ...region, city: cityOf(region, district) }, credits, category, name, district) : undefined;
    const inst: Institution = {
      index: 0,
      code: `${key}${String(serial).padStart(5, '0')}`,
      name,
      category,
      district,
      level,
      beds,
      staff: kind === 'pharmacy' ? (rng.chance(0.7) ? rng.int(1, 2) : undefined) : beds !== undefined ? Math.max(1, Math.round(beds / rng.int(60, 120))) : rng.int(1, 3),
      specialDrug: level === '三级甲等' || (level === '二级' && rng.chance(0.3)) || (kind === 'pharmacy' && rng.chance(0.05)),
      admitted: randomDate(rng, ymd(2000, 1, 1), ymd(year - 1, 12, 31)),
      agreementEnds: kind === 'pharmacy' ? lastDayOfMonth(year + 1 + rng.int(1, 3), rng.int(1, 12)) : rng.weighted([[ymd(year + 2, 12, 31), 4], [ymd(year + 3, 12, 31), 4], [ymd(year + 3, 6, 30), 2]] as const),
      creditCode,
      priorHundredths: undefined,
      baseTenths: 0,
      monthlyFen: Math.round(monthlyYuan(rng, kind, level, name) * 100),
      fillsReserved: false,
      special: false,
    };
    return { inst, kind, weight: weightOf(kind, beds, name), scores: new Map() };
  });
  members.sort((a, b) => (a.inst.code < b.inst.code ? -1 : a.inst.code > b.inst.code ? 1 : 0));
  members.forEach((m, i) => (m.inst.index = i));
  return members;
}

// ───────────────────────────── persons and their events ─────────────────────────────

type EventKind = '记分' | '修复' | '恢复';

interface Person {
  code: string;
  name: string;
  /** 身份证号 where the export gives it; undefined: blank on every row. */
  idNumber: string | undefined;
  /** The ID number on every row of the person (else on the first of the year only). */
  idOnEveryRow: boolean;
}

interface PersonEvent {
  person: Person;
  /** Day number (values.ts dayNumber). */
  day: number;
  points: number;
  kind: EventKind;
  situation: string;
}

/** A person's prefix in 人员编码: D 医师, N 护士 of a medical institution, Y 药师 of a pharmacy. */
const letterOf = (rng: Rng, kind: Kind): string => (kind === 'pharmacy' ? 'Y' : rng.chance(0.7) ? 'D' : 'N');

function idNumberOf(rng: Rng, home: District, region: SampleRegion): string {
  const area = rng.chance(0.8) ? home.code : rng.pick(region.districts).code;
  const born = randomDate(rng, ymd(1962, 1, 1), ymd(1999, 12, 31));
  const first17 = `${area}${born.y}${pad2(born.m)}${pad2(born.d)}${String(rng.int(1, 999)).padStart(3, '0')}`;
  return first17 + idNumberCheckChar(first17);
}

function makePerson(rng: Rng, region: SampleRegion, letter: string, district: District, serial: number, idShare: number): Person {
  if (serial > 999_999) throw new Error(`more than 999999 persons in ${district.name}: ask for fewer --events`);
  const name = personName(rng, region.personNames);
  const idNumber = rng.chance(idShare) ? idNumberOf(rng, district, region) : undefined;
  return { code: `${letter}${district.code}${String(serial).padStart(6, '0')}`, name, idNumber, idOnEveryRow: rng.chance(0.6) };
}

// ───────────────────────────── the plan ─────────────────────────────

interface Plan {
  members: Member[];
  /** The cases' events by year, by institution code. */
  events: Map<number, Map<string, PersonEvent[]>>;
  /** The cases' rows by year. */
  rows: Map<number, number>;
  /** Persons of the cases by district code: the serials the other persons start after. */
  serials: Map<string, number>;
  /** Persons of the cases with an event, by year. */
  persons: Map<number, Set<string>>;
  violations: Map<number, ViolationEvent[]>;
  cases: QinghaiCase[];
  deductionCase: Member;
  /** Points charged to each institution for the cases' persons, by year. */
  charges: Map<number, Map<string, { points: number; persons: string[] }>>;
}

const iso = (x: Ymd): string => dateText(x, 'iso');
const fromDay = (n: number): Ymd => addDays(ymd(1970, 1, 1), n);
/** How 记分日期 is spelled: mostly ISO, as the platform exports it; now and then as typed in. */
const DATE_STYLES = [['iso', 90], ['slash', 6], ['cn', 4]] as const;

function plan(seed: number, n: number, Y: number, region: SampleRegion, terms: Terms): Plan {
  const rng = new Rng(mixSeed(seed, 31));
  const Y2 = Y + 1;
  const members = buildMembers(seed, n, Y, region);
  const { keyAt: K, suspendAt: S, terminateAt: T } = terms;

  // ── institutions of the cases ──
  const pool = rng.shuffle([...members]);
  const take = (kind: Kind, prefer?: (m: Member) => boolean): Member => {
    let i = prefer ? pool.findIndex((m) => m.kind === kind && prefer(m)) : -1;
    if (i < 0) i = pool.findIndex((m) => m.kind === kind);
    const m = i < 0 ? undefined : pool.splice(i, 1)[0];
    if (!m) throw new Error(`not enough institutions for the qinghai cases (${kind})`);
    m.inst.special = true;
    return m;
  };
  const notCentre = (m: Member): boolean => !m.inst.name.endsWith('卫生院');
  const Hd = take('hospital', (m) => m.inst.level === '二级');
  const A = [1, 2, 3, 4, 5].map(() => take('hospital', notCentre));
  const C = [1, 2, 3].map(() => take('clinic', (m) => !m.inst.name.endsWith('诊所')));
  const P = [1, 2, 3, 4].map(() => take('pharmacy'));
  const [A1, A2, A3, A4, A5] = A as [Member, Member, Member, Member, Member];
  const [C1, C2, C3] = C as [Member, Member, Member];
  const [P1, P2, P3, P4] = P as [Member, Member, Member, Member];

  // ── persons of the cases: the first serials of their districts ──
  const serials = new Map<string, number>();
  const person = (home: Member, letter: 'D' | 'N' | 'Y', idShare = 0.4): Person => {
    const serial = (serials.get(home.inst.district.code) ?? 0) + 1;
    serials.set(home.inst.district.code, serial);
    return makePerson(rng, region, letter, home.inst.district, serial, idShare);
  };

  // ── events and cases ──
  const events = new Map<number, Map<string, PersonEvent[]>>([
    [Y, new Map()],
    [Y2, new Map()],
  ]);
  const rows = new Map<number, number>([
    [Y, 0],
    [Y2, 0],
  ]);
  const personsOf = new Map<number, Set<string>>([
    [Y, new Set()],
    [Y2, new Set()],
  ]);
  interface Logged {
    inst: Member;
    date: Ymd;
    points: number;
    kind: EventKind;
    situation: string;
  }
  const ev = (y: number, p: Person, m: Member, from: Ymd, to: Ymd, pts: number, situation = '', kind: EventKind = pts > 0 ? '记分' : pts < 0 ? '修复' : '恢复'): Logged => {
    const date = randomDate(rng, from, to);
    const byInst = events.get(y);
    if (!byInst) throw new Error(`no year ${y}`);
    byInst.set(m.inst.code, [...(byInst.get(m.inst.code) ?? []), { person: p, day: dayNumber(date), points: pts, kind, situation }]);
    rows.set(y, (rows.get(y) ?? 0) + 1);
    personsOf.get(y)?.add(p.code);
    return { inst: m, date, points: pts, kind, situation };
  };
  const W = (y: number, m1: number, d1: number, m2: number, d2: number): [Ymd, Ymd] => [ymd(y, m1, d1), ymd(y, m2, d2)];
  /** A 情形 of the profile whose range holds the points: a severity or a situation (the k-th that fits). */
  const named = (pts: number, severity: boolean, k = 0): string => {
    const fits = terms.named.filter((s) => s.severity === severity && pts >= s.range[0] && pts <= s.range[1]);
    const s = fits[k % Math.max(1, fits.length)];
    if (!s) throw new Error(`the profile names no ${severity ? 'severity' : 'situation'} of ${pts} points`);
    return s.name;
  };

  const cases: QinghaiCase[] = [];
  const charges = new Map<number, Map<string, { points: number; persons: string[] }>>([
    [Y, new Map()],
    [Y2, new Map()],
  ]);
  const d = iso;
  const describe = (list: Logged[]): string => {
    const several = new Set(list.map((e) => e.inst.inst.code)).size > 1;
    return list
      .map((e) => {
        const at = several ? `在 ${e.inst.inst.code} ` : '';
        const what = e.kind === '记分' ? `记${e.points}分${e.situation ? `（情形：${e.situation}）` : ''}` : e.kind === '修复' ? `修复${-e.points}分` : '恢复（分值 0）';
        return `${d(e.date)} ${at}${what}`;
      })
      .join('，');
  };
  const blank: PersonExpectation = { status: 'normal', deducted: 0, repaired: 0, points: 0, suspendedFrom: '', suspendedUntil: '', terminatedOn: '', oneShot: false, bannedUntil: '', lists: [], charged: null, carried: false, row: true };
  const LIST: Record<PersonStatus, string | null> = { normal: null, keySupervision: 'keySupervision', suspended: 'suspended', terminated: 'personnelTerminated' };
  /** A case: its events, the README's words, and what the run shows (`oneShot: undefined`: one_shot not asserted). */
  const say = (
    y: number,
    role: QinghaiRole,
    p: Person,
    list: Logged[],
    outcome: string,
    e: Partial<Omit<PersonExpectation, 'deducted' | 'repaired' | 'points' | 'lists' | 'charged'>> & { status: PersonStatus; charged?: Member; banned?: boolean },
  ): void => {
    const deducted = list.filter((x) => x.kind === '记分').reduce((s, x) => s + x.points, 0);
    const repaired = list.filter((x) => x.kind === '修复').reduce((s, x) => s - x.points, 0);
    const chargedPoints = e.status === 'normal' ? 0 : terms.deductions[e.status];
    const charged = e.charged && chargedPoints > 0 ? { institution: e.charged.inst.code, points: chargedPoints } : null;
    if (charged) {
      const byInst = charges.get(y);
      const was = byInst?.get(charged.institution) ?? { points: 0, persons: [] };
      byInst?.set(charged.institution, { points: was.points + charged.points, persons: [...was.persons, p.code] });
    }
    const lists = [LIST[e.status], e.banned ? 'personnelBanned' : null].filter((l): l is string => l !== null);
    const { charged: _member, banned: _banned, ...given } = e;
    const expected: PersonExpectation = { ...blank, ...given, deducted, repaired, points: deducted - repaired, lists, charged };
    if ('oneShot' in e && e.oneShot === undefined) delete expected.oneShot;
    const institutions = [...new Set(list.map((x) => x.inst.inst.code))];
    const events = list.length > 0 ? `${describe(list)} → ` : '';
    const where = institutions.length === 0 ? '本年度无记分事件' : institutions.join('、');
    cases.push({ year: y, role, person: p.code, name: p.name, institutions, text: `（${where}）：${events}${outcome}`, expected });
  };
  const charge = (m: Member, status: Exclude<PersonStatus, 'normal'>): string => {
    const pts = terms.deductions[status];
    return pts > 0 ? `；${m.inst.code} 考核扣 ${pts} 分` : '';
  };
  const months = (pts: number): number => monthsFor(terms, pts);
  const ban = (on: Ymd, oneShot: boolean): string => addYears(d(on), oneShot ? terms.oneShotYears : terms.cumulativeYears);
  const until = (on: Ymd, pts: number): string => addMonths(d(on), months(pts));
  const banYears = (oneShot: boolean): number => (oneShot ? terms.oneShotYears : terms.cumulativeYears);

  // ── Y: at and around each line ──
  {
    const p = person(A1, 'D');
    const list = [ev(Y, p, A1, ...W(Y, 2, 1, 4, 30), 3), ev(Y, p, A1, ...W(Y, 7, 1, 9, 30), 2)];
    say(Y, 'five', p, list, `累计 ${K - 1} 分，未达 ${K} 分 → 正常，不列入名单，机构不扣分`, { status: 'normal' });
  }
  {
    const p = person(Hd, 'D');
    const list = [ev(Y, p, Hd, ...W(Y, 3, 1, 3, 31), 4, named(4, true)), ev(Y, p, Hd, ...W(Y, 9, 1, 9, 20), 2)];
    const on = list[1]?.date ?? ymd(Y, 9, 1);
    say(Y, 'six', p, list, `${d(on)} 累计 ${K} 分 → 重点监管（不公示，机构提醒、谈话）${charge(Hd, 'keySupervision')}`, { status: 'keySupervision', charged: Hd });
  }
  {
    const p = person(A2, 'N');
    const list = [ev(Y, p, A2, ...W(Y, 1, 10, 2, 28), 3, named(3, false)), ev(Y, p, A2, ...W(Y, 4, 1, 4, 30), 3), ev(Y, p, A2, ...W(Y, 10, 1, 10, 31), 2)];
    const on = list[1]?.date ?? ymd(Y, 4, 1);
    say(Y, 'eight', p, list, `${d(on)} 累计 ${K} 分起重点监管；累计 ${S - 1} 分仍未达 ${S} 分，不暂停 → 重点监管${charge(A2, 'keySupervision')}`, { status: 'keySupervision', charged: A2 });
  }
  const suspendedCase = (role: QinghaiRole, m: Member, letter: 'D' | 'N', first: number, firstSituation: string, firstWindow: [Ymd, Ymd], secondWindow: [Ymd, Ymd]): void => {
    const p = person(m, letter);
    const list = [ev(Y, p, m, ...firstWindow, first, firstSituation), ev(Y, p, m, ...secondWindow, 3)];
    const total = first + 3;
    const on = list[1]?.date ?? secondWindow[0];
    say(Y, role, p, list, `${d(on)} 累计 ${total} 分 → 暂停 ${months(total)} 个月（${d(on)} 至 ${until(on, total)}），列入暂停名单${charge(m, 'suspended')}`, {
      status: 'suspended',
      suspendedFrom: d(on),
      suspendedUntil: until(on, total),
      charged: m,
    });
  };
  suspendedCase('nine', Hd, 'D', 6, named(6, false), W(Y, 3, 1, 3, 31), W(Y, 5, 5, 5, 25));
  suspendedCase('ten', A3, 'D', 7, named(7, true), W(Y, 2, 1, 2, 28), W(Y, 6, 1, 6, 30));
  suspendedCase('eleven', Hd, 'D', 8, named(8, false), W(Y, 4, 1, 4, 30), W(Y, 7, 1, 7, 31));
  const eleven = cases[cases.length - 1];

  /** Persons terminated in Y, by the case (or 'oneShotPharmacy'), for what Y+1 shows of them. */
  const terminated = new Map<QinghaiRole | 'oneShotPharmacy', { p: Person; on: Ymd; oneShot: boolean; m: Member }>();
  {
    const p = person(Hd, 'D');
    const list = [ev(Y, p, Hd, ...W(Y, 1, 10, 3, 31), 6, named(6, false, 1)), ev(Y, p, Hd, ...W(Y, 5, 10, 6, 30), 6, named(6, true))];
    const on = list[1]?.date ?? ymd(Y, 5, 10);
    terminated.set('twelve', { p, on, oneShot: false, m: Hd });
    say(Y, 'twelve', p, list, `${d(on)} 累计 ${T} 分（累计记满）→ 终止医保支付资格，${banYears(false)} 年内不得再次登记备案（至 ${ban(on, false)}），列入终止名单${charge(Hd, 'terminated')}`, {
      status: 'terminated',
      terminatedOn: d(on),
      oneShot: false,
      bannedUntil: ban(on, false),
      charged: Hd,
      carried: true,
    });
  }
  {
    const p = person(C1, 'D', 1);
    const situation = terms.named.find((s) => !s.severity && s.range[0] === T)?.name ?? named(T, true);
    const list = [ev(Y, p, C1, ...W(Y, 9, 1, 9, 30), T, situation)];
    const on = list[0]?.date ?? ymd(Y, 9, 1);
    terminated.set('oneShot', { p, on, oneShot: true, m: C1 });
    say(Y, 'oneShot', p, list, `一次记满 ${T} 分 → 终止医保支付资格，${banYears(true)} 年内不得再次登记备案（至 ${ban(on, true)}），不予修复，列入终止名单${charge(C1, 'terminated')}`, {
      status: 'terminated',
      terminatedOn: d(on),
      oneShot: true,
      bannedUntil: ban(on, true),
      charged: C1,
      carried: true,
    });
  }
  {
    const p = person(P4, 'Y');
    const list = [ev(Y, p, P4, ...W(Y, 11, 1, 11, 30), T, named(T, true))];
    const on = list[0]?.date ?? ymd(Y, 11, 1);
    terminated.set('oneShotPharmacy', { p, on, oneShot: true, m: P4 });
    say(Y, 'oneShot', p, list, `一次记满 ${T} 分（按程度“${named(T, true)}”）→ 终止，${banYears(true)} 年内不得再次登记备案（至 ${ban(on, true)}），列入终止名单${charge(P4, 'terminated')}`, {
      status: 'terminated',
      terminatedOn: d(on),
      oneShot: true,
      bannedUntil: ban(on, true),
      charged: P4,
      carried: true,
    });
  }
  {
    const p = person(A4, 'D');
    const list = [ev(Y, p, A4, ...W(Y, 2, 1, 2, 28), 6), ev(Y, p, A4, ...W(Y, 3, 10, 3, 31), 3), ev(Y, p, A4, ...W(Y, 10, 1, 10, 31), 4)];
    const susp = list[1]?.date ?? ymd(Y, 3, 10);
    const on = list[2]?.date ?? ymd(Y, 10, 1);
    say(
      Y,
      'thirteen',
      p,
      list,
      `${d(susp)} 累计 ${S} 分暂停 ${months(S)} 个月（至 ${until(susp, S)}），${d(on)} 累计 ${S + 4} 分超过 ${T} 分 → 终止（累计记满，至 ${ban(on, false)}）；年度状态取最高（终止），机构只按终止扣一次${charge(A4, 'terminated')}`,
      { status: 'terminated', suspendedFrom: d(susp), suspendedUntil: until(susp, S), terminatedOn: d(on), oneShot: false, bannedUntil: ban(on, false), charged: A4, carried: true },
    );
  }

  // ── Y: two institutions ──
  {
    const p = person(A5, 'D');
    const list = [ev(Y, p, A5, ...W(Y, 3, 1, 3, 31), 4), ev(Y, p, C2, ...W(Y, 6, 1, 6, 30), 3)];
    const on = list[1]?.date ?? ymd(Y, 6, 1);
    say(Y, 'twoSites', p, list, `两家机构的记分累计为 7 分，${d(on)} 在 ${C2.inst.code} 的记分使累计达到 ${K} 分 → 重点监管，由 ${C2.inst.code} 承担（扣 ${terms.deductions.keySupervision} 分），${A5.inst.code} 不扣分`, {
      status: 'keySupervision',
      charged: C2,
    });
  }
  {
    const p = person(A1, 'D');
    const list = [ev(Y, p, A1, ...W(Y, 2, 1, 2, 28), 5, named(5, true)), ev(Y, p, C3, ...W(Y, 4, 1, 4, 30), 1), ev(Y, p, A1, ...W(Y, 8, 1, 8, 31), 3)];
    const key = list[1]?.date ?? ymd(Y, 4, 1);
    const on = list[2]?.date ?? ymd(Y, 8, 1);
    say(
      Y,
      'twoSitesHighest',
      p,
      list,
      `${d(key)} 在 ${C3.inst.code} 累计 ${K} 分（重点监管），${d(on)} 在 ${A1.inst.code} 累计 ${S} 分 → 暂停 ${months(S)} 个月（至 ${until(on, S)}）；每人只按年度最高结果扣一次，由达到暂停的 ${A1.inst.code} 扣 ${terms.deductions.suspended} 分，${C3.inst.code} 不扣分`,
      { status: 'suspended', suspendedFrom: d(on), suspendedUntil: until(on, S), charged: A1 },
    );
  }
  {
    const p = person(P1, 'Y');
    const list = [ev(Y, p, P1, ...W(Y, 3, 1, 3, 31), 6, named(6, true)), ev(Y, p, P2, ...W(Y, 7, 1, 7, 31), 6)];
    const on = list[1]?.date ?? ymd(Y, 7, 1);
    terminated.set('twoPharmacies', { p, on, oneShot: false, m: P2 });
    say(Y, 'twoPharmacies', p, list, `执业药师在两家药店，在 ${P1.inst.code} 达到 ${K} 分，${d(on)} 在 ${P2.inst.code} 累计 ${T} 分 → 终止（累计记满，至 ${ban(on, false)}），由 ${P2.inst.code} 扣 ${terms.deductions.terminated} 分，${P1.inst.code} 不扣分`, {
      status: 'terminated',
      terminatedOn: d(on),
      oneShot: false,
      bannedUntil: ban(on, false),
      charged: P2,
      carried: true,
    });
  }

  // ── Y: repair and restoration ──
  const repairPerson = person(A2, 'D');
  {
    const p = repairPerson;
    const list = [ev(Y, p, A2, ...W(Y, 2, 1, 2, 28), 5), ev(Y, p, A2, ...W(Y, 4, 1, 4, 30), 4), ev(Y, p, A2, ...W(Y, 7, 1, 7, 31), -2, '', '修复')];
    const on = list[1]?.date ?? ymd(Y, 4, 1);
    say(Y, 'repair', p, list, `${d(on)} 累计 ${S} 分暂停 ${months(S)} 个月（至 ${until(on, S)}）；修复 2 分后累计 ${S - 2} 分，已达到的暂停不撤销，年度状态仍为暂停（deducted ${S}，repaired 2，points ${S - 2}）${charge(A2, 'suspended')}`, {
      status: 'suspended',
      suspendedFrom: d(on),
      suspendedUntil: until(on, S),
      charged: A2,
    });
  }
  {
    const p = person(A3, 'N');
    const list = [ev(Y, p, A3, ...W(Y, 1, 5, 1, 31), 3), ev(Y, p, A3, ...W(Y, 2, 1, 2, 28), 2), ev(Y, p, A3, ...W(Y, 4, 1, 4, 30), -3, '', '修复'), ev(Y, p, A3, ...W(Y, 9, 1, 9, 30), 6, named(6, true))];
    const on = list[3]?.date ?? ymd(Y, 9, 1);
    say(Y, 'repairBefore', p, list, `修复后累计 2 分，${d(on)} 记 6 分后累计 8 分 → 重点监管（不修复则为 11 分、暂停 ${months(11)} 个月）${charge(A3, 'keySupervision')}`, { status: 'keySupervision', charged: A3 });
  }
  {
    const p = person(A4, 'D');
    const list = [ev(Y, p, A4, ...W(Y, 5, 5, 5, 20), 10, named(10, true)), ev(Y, p, A4, ...W(Y, 6, 10, 6, 25), 0, '', '恢复')];
    const on = list[0]?.date ?? ymd(Y, 5, 5);
    const back = list[1]?.date ?? ymd(Y, 6, 10);
    say(Y, 'restored', p, list, `暂停 ${months(10)} 个月（${d(on)} 至 ${until(on, 10)}）；${d(back)} 经评估恢复 → 暂停提前于 ${d(back)} 结束（suspended_until ${d(back)}，人员记分表注“提前恢复”），年度状态仍为暂停${charge(A4, 'suspended')}`, {
      status: 'suspended',
      suspendedFrom: d(on),
      suspendedUntil: d(back),
      charged: A4,
    });
  }
  {
    const p = person(A5, 'N');
    const list = [ev(Y, p, A5, ...W(Y, 3, 1, 3, 10), 9, named(9, true)), ev(Y, p, A5, ...W(Y, 3, 20, 3, 31), 0, '', '恢复'), ev(Y, p, A5, ...W(Y, 9, 1, 9, 30), 3)];
    const on = list[0]?.date ?? ymd(Y, 3, 1);
    const back = list[1]?.date ?? ymd(Y, 3, 20);
    const end = list[2]?.date ?? ymd(Y, 9, 1);
    terminated.set('restoredThenMore', { p, on: end, oneShot: false, m: A5 });
    say(
      Y,
      'restoredThenMore',
      p,
      list,
      `${d(on)} 暂停 ${months(S)} 个月，${d(back)} 恢复（提前结束）；暂停资格恢复的，一个自然年度内记分累计计算（青海（六））→ ${d(end)} 累计 ${T} 分，终止（至 ${ban(end, false)}）${charge(A5, 'terminated')}`,
      { status: 'terminated', suspendedFrom: d(on), suspendedUntil: d(back), terminatedOn: d(end), oneShot: false, bannedUntil: ban(end, false), charged: A5, carried: true },
    );
  }

  // ── Y: suspensions past 31 December ──
  const carried = new Map<QinghaiRole, { p: Person; from: Ymd; until: string; m: Member }>();
  {
    const p = person(A1, 'D');
    const list = [ev(Y, p, A1, ...W(Y, 10, 1, 10, 31), 8), ev(Y, p, A1, ...W(Y, 11, 10, 11, 30), 3)];
    const on = list[1]?.date ?? ymd(Y, 11, 10);
    carried.set('carriedRestored', { p, from: on, until: until(on, 11), m: A1 });
    say(Y, 'carriedRestored', p, list, `${d(on)} 累计 11 分 → 暂停 ${months(11)} 个月，至 ${until(on, 11)}，跨过 12 月 31 日，记入 results/${Y}/state.json 的 personnel${charge(A1, 'suspended')}`, {
      status: 'suspended',
      suspendedFrom: d(on),
      suspendedUntil: until(on, 11),
      charged: A1,
      carried: true,
    });
  }
  {
    const p = person(A2, 'D');
    const list = [ev(Y, p, A2, ...W(Y, 12, 1, 12, 15), 10, named(10, true))];
    const on = list[0]?.date ?? ymd(Y, 12, 1);
    carried.set('carriedFresh', { p, from: on, until: until(on, 10), m: A2 });
    say(Y, 'carriedFresh', p, list, `暂停 ${months(10)} 个月，至 ${until(on, 10)}，结转下一年度${charge(A2, 'suspended')}`, { status: 'suspended', suspendedFrom: d(on), suspendedUntil: until(on, 10), charged: A2, carried: true });
  }
  {
    const p = person(P3, 'Y');
    const list = [ev(Y, p, P3, ...W(Y, 7, 1, 7, 31), 6), ev(Y, p, P3, ...W(Y, 12, 10, 12, 28), 3)];
    const on = list[1]?.date ?? ymd(Y, 12, 10);
    carried.set('carriedQuiet', { p, from: on, until: until(on, S), m: P3 });
    say(Y, 'carriedQuiet', p, list, `${d(on)} 累计 ${S} 分 → 暂停 ${months(S)} 个月，至 ${until(on, S)}，结转下一年度${charge(P3, 'suspended')}`, { status: 'suspended', suspendedFrom: d(on), suspendedUntil: until(on, S), charged: P3, carried: true });
  }
  {
    const p = person(A5, 'N');
    const list = [ev(Y, p, A5, ...W(Y, 1, 5, 1, 15), 6), ev(Y, p, A5, ...W(Y, 1, 20, 2, 20), 6)];
    const on = list[1]?.date ?? ymd(Y, 1, 20);
    terminated.set('banEnded', { p, on, oneShot: false, m: A5 });
    say(Y, 'banEnded', p, list, `${d(on)} 累计 ${T} 分 → 终止（累计记满，至 ${ban(on, false)}）${charge(A5, 'terminated')}`, {
      status: 'terminated',
      terminatedOn: d(on),
      oneShot: false,
      bannedUntil: ban(on, false),
      charged: A5,
      carried: true,
    });
  }

  // ── Y+1: what Y carried ──
  const was = (role: QinghaiRole | 'oneShotPharmacy') => {
    const t = terminated.get(role);
    if (!t) throw new Error(`no ${role}`);
    return t;
  };
  {
    const t = was('twelve');
    const list = [ev(Y2, t.p, t.m, ...W(Y2, 2, 1, 4, 30), 2)];
    const on = list[0]?.date ?? ymd(Y2, 2, 1);
    say(Y2, 'bannedWithEvents', t.p, list, `${Y} 年终止，不得再次登记备案至 ${ban(t.on, false)}（results/${Y}/state.json）；${d(on)} 仍有记分 → 列入终止期内仍有记分的人员（personnelBanned）；新年度从 12 分重新开始，状态正常，机构不扣分`, {
      status: 'normal',
      terminatedOn: d(t.on),
      oneShot: false,
      bannedUntil: ban(t.on, false),
      banned: true,
    });
  }
  {
    const t = was('oneShot');
    const list = [ev(Y2, t.p, t.m, ...W(Y2, 3, 1, 10, 31), 3, named(3, true))];
    const on = list[0]?.date ?? ymd(Y2, 3, 1);
    // one_shot is not asserted: a ban carried from last year is shown with this year's one_shot
    say(Y2, 'bannedWithEvents', t.p, list, `${Y} 年一次性记满终止，不得再次登记备案至 ${ban(t.on, true)}；${d(on)} 仍有记分 → 列入终止期内仍有记分的人员（personnelBanned），禁入期继续结转`, {
      status: 'normal',
      terminatedOn: d(t.on),
      oneShot: undefined,
      bannedUntil: ban(t.on, true),
      banned: true,
      carried: true,
    });
  }
  {
    const t = was('banEnded');
    const list = [ev(Y2, t.p, t.m, ...W(Y2, 5, 1, 9, 30), 2)];
    const on = list[0]?.date ?? ymd(Y2, 5, 1);
    say(Y2, 'banEnded', t.p, list, `${Y} 年终止，不得再次登记备案至 ${ban(t.on, false)}；${d(on)} 的记分在期满之后 → 不列入终止期内仍有记分的人员，正常`, { status: 'normal' });
  }
  {
    const t = was('oneShotPharmacy');
    say(Y2, 'bannedQuiet', t.p, [], `${Y} 年一次性记满终止，不得再次登记备案至 ${ban(t.on, true)}：本年无记分，禁入期从 state.json 结转，personnel.csv 仍有此人一行（institutions 为空，one_shot true），继续记入 results/${Y2}/state.json`, {
      status: 'normal',
      terminatedOn: d(t.on),
      oneShot: true,
      bannedUntil: ban(t.on, true),
      carried: true,
    });
  }
  {
    const t = was('twoPharmacies');
    say(Y2, 'bannedQuiet', t.p, [], `${Y} 年终止，不得再次登记备案至 ${ban(t.on, false)}：本年无记分，禁入期在本年度内届满 → ${Y2} 年度的 personnel.csv 和人员记分表仍列出此人（禁入期跨入本年度），不再记入 results/${Y2}/state.json`, {
      status: 'normal',
      terminatedOn: d(t.on),
      oneShot: false,
      bannedUntil: ban(t.on, false),
    });
  }
  {
    const t = carried.get('carriedRestored');
    if (!t) throw new Error('no carriedRestored');
    const list = [ev(Y2, t.p, t.m, ...W(Y2, 1, 6, 1, 25), 0, '', '恢复')];
    const on = list[0]?.date ?? ymd(Y2, 1, 6);
    say(Y2, 'carriedRestored', t.p, list, `${Y} 年的暂停（${d(t.from)} 至 ${t.until}）从 state.json 结转，${d(on)} 恢复 → 暂停提前于 ${d(on)} 结束（suspended_until ${d(on)}）；本年无记分，正常`, {
      status: 'normal',
      suspendedFrom: d(t.from),
      suspendedUntil: d(on),
    });
  }
  {
    const t = carried.get('carriedFresh');
    if (!t) throw new Error('no carriedFresh');
    const list = [ev(Y2, t.p, t.m, ...W(Y2, 4, 1, 4, 30), 3)];
    say(Y2, 'carriedFresh', t.p, list, `${Y} 年的暂停（${d(t.from)} 至 ${t.until}）从 state.json 结转，personnel.csv 仍列出；新年度从 12 分重新开始，累计 3 分 → 正常`, {
      status: 'normal',
      suspendedFrom: d(t.from),
      suspendedUntil: t.until,
    });
  }
  {
    const t = carried.get('carriedQuiet');
    if (!t) throw new Error('no carriedQuiet');
    say(Y2, 'carriedQuiet', t.p, [], `${Y} 年的暂停（${d(t.from)} 至 ${t.until}）：本年无记分，暂停在本年度内届满 → ${Y2} 年度的 personnel.csv 和人员记分表仍列出此人（暂停跨入本年度），不再记入 results/${Y2}/state.json`, {
      status: 'normal',
      suspendedFrom: d(t.from),
      suspendedUntil: t.until,
    });
  }
  {
    const p = personFromCase(eleven);
    const list = [ev(Y2, p, Hd, ...W(Y2, 3, 1, 3, 31), 4), ev(Y2, p, Hd, ...W(Y2, 6, 1, 6, 30), 2)];
    const on = list[1]?.date ?? ymd(Y2, 6, 1);
    say(Y2, 'freshYear', p, list, `${Y} 年累计 11 分；新年度从 12 分重新开始，${d(on)} 累计 ${K} 分 → 重点监管${charge(Hd, 'keySupervision')}`, { status: 'keySupervision', charged: Hd });
  }
  {
    const p = repairPerson;
    const list = [ev(Y2, p, A2, ...W(Y2, 3, 1, 3, 31), 4), ev(Y2, p, A2, ...W(Y2, 6, 1, 6, 30), -1, '', '修复')];
    say(Y2, 'repairAgain', p, list, `${Y} 年已修复一次；每个自然年度一次，${Y2} 年可以再修复 → 累计 3 分，正常`, { status: 'normal' });
  }

  // ── Y+1: new lines crossed ──
  {
    const p = person(Hd, 'D');
    const list = [ev(Y2, p, Hd, ...W(Y2, 3, 1, 3, 31), 5), ev(Y2, p, Hd, ...W(Y2, 6, 1, 6, 30), 4)];
    const on = list[1]?.date ?? ymd(Y2, 6, 1);
    say(Y2, 'nine', p, list, `${d(on)} 累计 ${S} 分 → 暂停 ${months(S)} 个月（至 ${until(on, S)}）${charge(Hd, 'suspended')}`, { status: 'suspended', suspendedFrom: d(on), suspendedUntil: until(on, S), charged: Hd });
  }
  {
    const p = person(P4, 'Y');
    const list = [ev(Y2, p, P4, ...W(Y2, 2, 1, 2, 28), 4), ev(Y2, p, P4, ...W(Y2, 5, 1, 5, 31), 4, named(4, true)), ev(Y2, p, P4, ...W(Y2, 8, 1, 8, 31), 4)];
    const on = list[2]?.date ?? ymd(Y2, 8, 1);
    say(Y2, 'twelve', p, list, `${d(on)} 累计 ${T} 分 → 终止（累计记满），不得再次登记备案至 ${ban(on, false)}，记入 results/${Y2}/state.json${charge(P4, 'terminated')}`, {
      status: 'terminated',
      terminatedOn: d(on),
      oneShot: false,
      bannedUntil: ban(on, false),
      charged: P4,
      carried: true,
    });
  }
  {
    const p = person(A2, 'D');
    const list = [ev(Y2, p, A2, ...W(Y2, 10, 1, 10, 31), T, named(T, true))];
    const on = list[0]?.date ?? ymd(Y2, 10, 1);
    say(Y2, 'oneShot', p, list, `一次记满 ${T} 分 → 终止，不得再次登记备案至 ${ban(on, true)}，记入 results/${Y2}/state.json${charge(A2, 'terminated')}`, {
      status: 'terminated',
      terminatedOn: d(on),
      oneShot: true,
      bannedUntil: ban(on, true),
      charged: A2,
      carried: true,
    });
  }
  {
    const p = person(A3, 'D');
    const list = [ev(Y2, p, A3, ...W(Y2, 9, 1, 9, 30), 8), ev(Y2, p, A3, ...W(Y2, 11, 15, 11, 30), 3)];
    const on = list[1]?.date ?? ymd(Y2, 11, 15);
    say(Y2, 'carriedOn', p, list, `${d(on)} 累计 11 分 → 暂停 ${months(11)} 个月，至 ${until(on, 11)}，跨过 ${Y2} 年 12 月 31 日，记入 results/${Y2}/state.json${charge(A3, 'suspended')}`, {
      status: 'suspended',
      suspendedFrom: d(on),
      suspendedUntil: until(on, 11),
      charged: A3,
      carried: true,
    });
  }
  {
    const p = person(A4, 'D');
    const list = [ev(Y2, p, A4, ...W(Y2, 4, 1, 4, 30), 3), ev(Y2, p, C2, ...W(Y2, 8, 1, 8, 31), 3)];
    const on = list[1]?.date ?? ymd(Y2, 8, 1);
    say(Y2, 'twoSites', p, list, `两家机构累计 ${K} 分，${d(on)} 在 ${C2.inst.code} 达到 → 重点监管，由 ${C2.inst.code} 扣 ${terms.deductions.keySupervision} 分，${A4.inst.code} 不扣分`, { status: 'keySupervision', charged: C2 });
  }

  // ── the institutions' own violations: a few each year, on institutions without cases ──
  const violations = new Map<number, ViolationEvent[]>([
    [Y, []],
    [Y2, []],
  ]);
  const types = ['约谈', '约谈', '不予支付', '暂停结算', '扣分'] as const;
  for (const y of [Y, Y2]) {
    for (const type of types) {
      const m = pool.shift();
      if (!m) throw new Error('not enough institutions for the violations');
      const handled = randomDate(rng, ymd(y, 2, 1), ymd(y, 11, 30));
      violations.get(y)?.push(makeEvent(rng, m.inst, type, addDays(handled, -rng.int(5, 60)), handled, type === '扣分' ? '协议' : undefined));
    }
  }

  // ── scores: most 75–98, a few 60–75; the deduction case just above the full refund ──
  for (const m of members) {
    for (const y of [Y, Y2]) {
      const s = rng.chance(0.06) ? rng.int(620, 749) : Math.round(750 + 230 * ((rng.float() + rng.float() + rng.float()) / 3));
      m.scores.set(y, s);
    }
  }
  Hd.scores.set(Y, 830);
  for (const m of [...A, ...C, ...P]) m.scores.set(Y, Math.max(m.scores.get(Y) ?? 0, 880));

  cases.sort((a, b) => a.year - b.year);
  return { members, events, rows, serials, persons: personsOf, violations, cases, deductionCase: Hd, charges };

  function personFromCase(c: QinghaiCase | undefined): Person {
    const found = c && [...(events.get(Y)?.values() ?? [])].flat().find((e) => e.person.code === c.person)?.person;
    if (!found) throw new Error('no such case person');
    return found;
  }
}

// ───────────────────────────── the other persons ─────────────────────────────

/** How the other persons' events of each year are spread: the same staff both years, a different few with points. */
interface Spread {
  /** Each institution's persons (by roster index): a pool twice its share of the events. */
  staff: number[];
  /** Serial of each institution's first person in its district, minus one. */
  base: number[];
}

/** Integer shares of `total` by integer weights, by largest remainder (ties to the earlier). */
function shares(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((s, w) => s + w, 0);
  if (sum === 0 || total <= 0) return weights.map(() => 0);
  const out = weights.map((w) => Math.floor((w * total) / sum));
  const order = weights.map((w, i) => ({ i, r: (w * total) % sum })).sort((a, b) => b.r - a.r || a.i - b.i);
  let left = total - out.reduce((s, v) => s + v, 0);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}

function spreadOf(members: Member[], events: number, caseSerials: Map<string, number>): Spread {
  const quota = shares(
    members.map((m) => m.weight),
    events,
  );
  const staff = quota.map((q) => (q === 0 ? 0 : 2 * q + 2));
  const next = new Map(caseSerials);
  const base = members.map((m, i) => {
    const code = m.inst.district.code;
    const from = next.get(code) ?? 0;
    next.set(code, from + (staff[i] ?? 0));
    return from;
  });
  return { staff, base };
}

/** The other persons' events at one institution in one year: exactly `quota`, totals kept below the suspension line. */
function othersAt(rng: Rng, seed: number, region: SampleRegion, terms: Terms, m: Member, quota: number, staff: number, base: number, year: number, out: PersonEvent[]): { persons: number; keySupervision: number } {
  if (quota === 0) return { persons: 0, keySupervision: 0 };
  if (quota > staff) throw new Error(`${m.inst.code}: more events than persons`);
  const pick = new Int32Array(staff);
  for (let i = 0; i < staff; i++) pick[i] = i;
  const from = dayNumber(ymd(year, 1, 1));
  const to = dayNumber(ymd(year, 12, 31));
  const inpatient = m.kind === 'hospital';
  let left = quota;
  let persons = 0;
  let keySupervision = 0;
  for (let k = 0; left > 0; k++) {
    // partial Fisher–Yates: the k-th person with points this year
    const j = k + Math.floor(rng.float() * (staff - k));
    const chosen = pick[j] ?? 0;
    pick[j] = pick[k] ?? 0;
    pick[k] = chosen;
    const idRng = new Rng(mixSeed(seed, 40, m.inst.index, chosen));
    const person = makePerson(idRng, region, letterOf(idRng, m.kind), m.inst.district, base + chosen + 1, 0.15);
    const count = Math.min(left, rng.weighted([[1, 85], [2, 12], [3, 3]] as const));
    const reach = count >= 2 && rng.chance(0.12);
    const total = reach ? rng.int(terms.keyAt, terms.suspendAt - 1) : 0;
    let sum = 0;
    for (let e = 0; e < count; e++) {
      const rest = count - e - 1;
      const p = reach
        ? e === count - 1
          ? total - sum
          : rng.int(1, Math.min(terms.keyAt, total - sum - rest))
        : Math.min(rng.weighted([[1, 35], [2, 35], [3, 25], [4, 4], [5, 1]] as const), terms.keyAt - 1 - sum - rest);
      sum += p;
      const situation = rng.chance(0.12) ? situationFor(rng, terms, p, inpatient, m.kind === 'pharmacy') : '';
      out.push({ person, day: rng.int(from, to), points: p, kind: '记分', situation });
    }
    left -= count;
    persons++;
    if (sum >= terms.keyAt) keySupervision++;
  }
  return { persons, keySupervision };
}

/** A 情形 of the profile whose range holds the points and that fits the institution, or blank. */
function situationFor(rng: Rng, terms: Terms, pts: number, inpatient: boolean, pharmacy: boolean): string {
  const fits = terms.named.filter((s) => pts >= s.range[0] && pts <= s.range[1] && (inpatient || !s.name.includes('住院')) && (!pharmacy || s.severity || !/诊疗|医学文书/.test(s.name)));
  return fits.length === 0 ? '' : rng.pick(fits).name;
}

// ───────────────────────────── the scenario ─────────────────────────────

/** Rows of each year's 人员记分.csv when --events is not given: fifteen an institution. */
const EVENTS_PER_INSTITUTION = 15;

export const qinghaiScenario: Scenario<QinghaiResult> = {
  profile: 'qinghai',
  defaultRegion: 'xining',
  scored: ['inpatient', 'outpatient', 'pharmacy'],
  minInstitutions: 40,
  personnel: true,
  generate,
};

async function generate(ctx: ScenarioContext): Promise<QinghaiResult> {
  const { outDir, seed, institutions: n, year, months, region } = ctx;
  const terms = termsOf(region);
  const p = plan(seed, n, year, region, terms);
  const events = ctx.personnelEvents ?? n * EVENTS_PER_INSTITUTION;
  const fewest = Math.max(...[...p.rows.values()]);
  if (!Number.isInteger(events) || events < fewest) throw new Error(`personnel events (--events) must be an integer ≥ ${fewest}: the cases alone have that many rows a year`);
  const spread = spreadOf(p.members, events, p.serials);
  const roster = p.members.map((m) => m.inst);
  const files: string[] = [];
  const byYear: Record<number, QinghaiYearCounts> = {};
  const charges: Record<number, Map<string, number>> = {};

  for (const y of [year, year + 1]) {
    const dir = path.join(outDir, 'inputs', String(y));
    await mkdir(dir, { recursive: true });
    const ySeed = mixSeed(seed, 32, y);
    const f = {
      roster: path.join(dir, '机构名册.xlsx'),
      scores: path.join(dir, '指标得分.csv'),
      settlements: path.join(dir, '月度结算.csv'),
      violations: path.join(dir, '违规记录.xlsx'),
      personnel: path.join(dir, '人员记分.csv'),
    };
    await writeRoster(f.roster, ySeed, roster, y, region);
    const scores = await writeScores(f.scores, ySeed, p.members, y, region.indicators, y !== year);
    const settlements = await writeSettlements(f.settlements, ySeed, roster, y, months, {});
    const violations = byHandled([...(p.violations.get(y) ?? [])]);
    await writeViolations(f.violations, ySeed, violations, y);
    const written = await writePersonnel(f.personnel, seed, region, terms, p, spread, events, y);
    charges[y] = written.charges;
    files.push(f.roster, f.scores, f.settlements, f.violations, f.personnel);
    byYear[y] = { institutions: roster.length, scores, settlements, violations: violations.length, events: written.rows, persons: written.persons, othersKeySupervision: written.keySupervision };
  }

  const special = specialOf(p, year, charges);
  const readmeFile = path.join(outDir, 'README.md');
  await writeFile(readmeFile, readme(ctx, terms, p, special, byYear));
  files.push(readmeFile);
  const total = (k: keyof QinghaiYearCounts): number => Object.values(byYear).reduce((s, c) => s + c[k], 0);
  return {
    profile: 'qinghai',
    files,
    special,
    counts: {
      institutions: roster.length,
      scores: total('scores'),
      settlements: total('settlements'),
      violations: total('violations'),
      investigations: 0,
      personnel: total('events'),
      byYear,
    },
  };
}

/** What the README and the tests read: the cases, and each case institution's deduction and score by year. */
function specialOf(p: Plan, Y: number, others: Record<number, Map<string, number>>): QinghaiSpecialCases {
  const charged: Record<number, ChargedInstitution[]> = {};
  const caseInstitutions = new Set(p.cases.flatMap((c) => c.institutions));
  for (const y of [Y, Y + 1]) {
    const own = new Map((p.violations.get(y) ?? []).map((v) => [v.code, v]));
    charged[y] = p.members
      .filter((m) => caseInstitutions.has(m.inst.code))
      .map((m) => {
        const mine = p.charges.get(y)?.get(m.inst.code);
        const deduction = (mine?.points ?? 0) + (others[y]?.get(m.inst.code) ?? 0);
        if (own.has(m.inst.code)) throw new Error(`${m.inst.code} has both a case and a violation`);
        // hundredths: Σ of tenths × 10 minus the deduction (multiples of 0.5), clamped at 0
        const hundredths = Math.max(0, (m.scores.get(y) ?? 0) * 10 - Math.round(deduction * 100));
        return { code: m.inst.code, deduction, score: (hundredths / 100).toFixed(2), persons: mine?.persons ?? [] };
      });
  }
  const violations: QinghaiSpecialCases['violations'] = {};
  for (const y of [Y, Y + 1]) violations[y] = byHandled([...(p.violations.get(y) ?? [])]).map((v) => ({ code: v.code, type: v.type, handled: iso(v.handled) }));
  return { years: [Y, Y + 1], cases: p.cases, deductionCase: p.deductionCase.inst.code, charged, violations };
}

// ───────────────────────────── files ─────────────────────────────

/** 指标得分.csv: long form (one row per indicator) or wide (one column per indicator, with the name for the reader's eye). */
async function writeScores(file: string, seed: number, members: Member[], year: number, indicatorsOf: Record<Category, Indicator[]>, wide: boolean): Promise<number> {
  const indicators = indicatorsOf.inpatient;
  const out = new CsvWriter(file, !wide);
  if (wide) await out.row([...headers('scores', ['code']), '机构名称', ...indicators.map((i) => i.code)]);
  else await out.row(headers('scores', ['code', 'indicator', 'score']));
  for (const m of members) {
    const rng = new Rng(mixSeed(seed, 4, m.inst.index));
    const own = indicatorsOf[m.inst.category];
    const values = allocate(
      rng,
      own.map((i) => i.max * 10),
      m.scores.get(year) ?? 0,
    );
    if (wide) await out.row([m.inst.code, m.inst.name, ...indicators.map((i) => tenthsText(values[own.findIndex((o) => o.code === i.code)] ?? 0))]);
    else for (let k = 0; k < own.length; k++) await out.row(ordered('scores', { code: m.inst.code, indicator: own[k]?.code, score: tenthsText(values[k] ?? 0) }, ['code', 'indicator', 'score']));
  }
  await out.close();
  return out.rows - 1;
}

/**
 * 人员记分.csv of one year: institution by institution (roster order), each one's rows by
 * date — the cases' events and exactly as many of the other persons' as make `events` rows.
 * Returns the rows, the persons, the other persons reaching key supervision and what they
 * cost each institution.
 */
async function writePersonnel(
  file: string,
  seed: number,
  region: SampleRegion,
  terms: Terms,
  p: Plan,
  spread: Spread,
  events: number,
  year: number,
): Promise<{ rows: number; persons: number; keySupervision: number; charges: Map<string, number> }> {
  const caseEvents = p.events.get(year) ?? new Map<string, PersonEvent[]>();
  const quota = shares(
    p.members.map((m) => m.weight),
    events - (p.rows.get(year) ?? 0),
  );
  const out = new CsvWriter(file, true);
  await out.row(headers('personnel'));
  // the rows are written in this order, a literal per row (half a million rows a year at scale)
  const keys = ['person', 'name', 'code', 'date', 'points', 'event', 'situation', 'idNumber'];
  if (columnKeys('personnel').join() !== keys.join()) throw new Error(`人员记分 columns changed: ${columnKeys('personnel').join()}`);
  const style = new Rng(mixSeed(seed, 42, year));
  // each day's spellings, once
  const first = dayNumber(ymd(year, 1, 1));
  const spelled = Array.from({ length: dayNumber(ymd(year, 12, 31)) - first + 1 }, (_, k) => {
    const date = fromDay(first + k);
    return { iso: dateText(date, 'iso'), slash: dateText(date, 'slash'), cn: dateText(date, 'cn') };
  });
  const idShown = new Set<string>();
  const charges = new Map<string, number>();
  let persons = p.persons.get(year)?.size ?? 0;
  let keySupervision = 0;
  for (const m of p.members) {
    const i = m.inst.index;
    const block: PersonEvent[] = [...(caseEvents.get(m.inst.code) ?? [])];
    const others = othersAt(new Rng(mixSeed(seed, 41, year, i)), seed, region, terms, m, quota[i] ?? 0, spread.staff[i] ?? 0, spread.base[i] ?? 0, year, block);
    persons += others.persons;
    keySupervision += others.keySupervision;
    if (others.keySupervision > 0 && terms.deductions.keySupervision > 0) charges.set(m.inst.code, others.keySupervision * terms.deductions.keySupervision);
    // by date, a day's rows in the order made (numeric keys: a large hospital has tens of thousands)
    const order = Float64Array.from(block, (e, k) => (e.day - first) * block.length + k).sort();
    for (const key of order) {
      const e = block[key % block.length];
      if (!e) throw new Error('row out of range');
      const day = spelled[e.day - first];
      if (!day) throw new Error(`${e.person.code}: a date outside ${year}`);
      const dateStyle = style.weighted(DATE_STYLES);
      const kind = e.kind === '记分' ? (style.chance(0.2) ? '记分' : undefined) : e.kind === '修复' ? (style.chance(0.7) ? '修复' : undefined) : '恢复';
      const id = e.person.idNumber !== undefined && (e.person.idOnEveryRow || !idShown.has(e.person.code)) ? e.person.idNumber : undefined;
      if (id !== undefined && !e.person.idOnEveryRow) idShown.add(e.person.code);
      out.push([e.person.code, e.person.name, m.inst.code, day[dateStyle], String(e.points), kind, e.situation || undefined, id]);
    }
    await out.drain();
  }
  await out.close();
  return { rows: out.rows - 1, persons, keySupervision, charges };
}

// ───────────────────────────── README ─────────────────────────────

function readme(ctx: ScenarioContext, terms: Terms, p: Plan, s: QinghaiSpecialCases, byYear: Record<number, QinghaiYearCounts>): string {
  const { region, seed, year: Y, institutions: n } = ctx;
  const Y2 = Y + 1;
  const c = (y: number): QinghaiYearCounts => byYear[y] ?? { institutions: 0, scores: 0, settlements: 0, violations: 0, events: 0, persons: 0, othersKeySupervision: 0 };
  const byCode = new Map(p.members.map((m) => [m.inst.code, m]));
  const instName = (code: string): string => byCode.get(code)?.inst.name ?? '';
  const line = (k: QinghaiCase): string => `- ${k.person} ${k.name}${k.text}`;
  const section = (y: number, roles: QinghaiRole[]): string[] => roles.flatMap((role) => s.cases.filter((k) => k.year === y && k.role === role)).map(line);
  const count = (y: number, status: PersonStatus): number => s.cases.filter((k) => k.year === y && k.expected.status === status && k.institutions.length > 0).length;
  const banned = (y: number): number => s.cases.filter((k) => k.year === y && k.expected.lists.includes('personnelBanned')).length;
  const carriedInto = (y: number): string[] => s.cases.filter((k) => k.year === y && k.expected.carried).map((k) => k.person);
  const percent = `${Math.round(terms.rate * 1000) / 10}%`;
  const cities = [...new Set(region.districts.map((d) => cityOf(region, d).name))].join('和');
  const monthsText = Object.entries(terms.months)
    .map(([k, v]) => `${k} 分 ${v} 个月`)
    .join('、');
  const chargedLines = (y: number): string[] =>
    (s.charged[y] ?? [])
      .filter((x) => s.cases.some((k) => k.year === y && k.institutions.includes(x.code)))
      .map((x) => {
        const own = s.cases.filter((k) => k.year === y && k.expected.charged?.institution === x.code).reduce((sum, k) => sum + (k.expected.charged?.points ?? 0), 0);
        const parts = [x.persons.length > 0 ? `样例人员 ${x.persons.join('、')} 共 ${own} 分` : '样例人员不扣分', x.deduction > own ? `本机构其他重点监管人员 ${x.deduction - own} 分` : ''].filter(Boolean);
        const low = x.code === s.deductionCase && y === Y ? `（指标得分合计 ${tenthsText(byCode.get(x.code)?.scores.get(Y) ?? 0)}，扣减后低于 80 分：质量保证金按比例退还）` : '';
        return `- ${x.code} ${instName(x.code)}：personnel_deduction ${x.deduction}（${parts.join('，')}），得分 ${x.score}${low}`;
      });
  const violationLines = (y: number): string[] => (s.violations[y] ?? []).map((v) => `${v.code}（${v.type}，${v.handled} 处理）`);
  /** What the run of a year shows: the persons by outcome (the cases' and the others'), the ones listed in a ban, the ones carried on. */
  const ranSummary = (y: number): string[] => {
    const keySupervision = count(y, 'keySupervision') + c(y).othersKeySupervision;
    const inBan = banned(y) > 0 ? `；终止期内仍有记分 ${banned(y)} 人（不公示，见人员记分表“终止期内仍有记分”）` : '';
    return [
      `${y} 年度运行：人员记分 ${c(y).persons} 人（${c(y).events} 条记分记录），重点监管 ${keySupervision} 人（样例人员 ${count(y, 'keySupervision')} 人，其余 ${c(y).othersKeySupervision} 人），暂停 ${count(y, 'suspended')} 人，终止 ${count(y, 'terminated')} 人${inBan}；公示名单为人员暂停、人员终止医保支付资格（姓名打码）。`,
      '',
      `\`results/${y}/state.json\` 的 personnel 结转 ${carriedInto(y).length} 人：${carriedInto(y).join('、')}。`,
    ];
  };
  const others = (y: number): string =>
    `其余 ${c(y).persons - s.cases.filter((k) => k.year === y && k.institutions.length > 0).length} 名人员各有 1 至 3 条记分，多数累计 1 至 5 分，其中 ${c(y).othersKeySupervision} 名累计 ${terms.keyAt} 至 ${terms.suspendAt - 1} 分（重点监管，各扣所在机构 ${terms.deductions.keySupervision} 分），没有人达到暂停`;
  return [
    ...readmeHead(region, seed, Y, n),
    `两个连续年度：${Y} 年度和 ${Y2} 年度（${terms.document}）。先运行 ${Y} 年度，再运行 ${Y2} 年度：${Y2} 年度读取 \`results/${Y}/state.json\` 的 \`personnel\`（终止后的禁入期、跨过 12 月 31 日的暂停）。`,
    '',
    '```sh',
    `npx assess validate year ${Y} -w samples/qinghai`,
    `npx assess year ${Y} -w samples/qinghai`,
    `npx assess year ${Y2} -w samples/qinghai`,
    `npx assess explain year ${Y} <人员编码或机构编码> -w samples/qinghai   # 某人的逐条记分、状态与扣分机构，或某机构的得分`,
    '```',
    '',
    `${Y2} 年度的输入要在 ${Y} 年度运行之后才能通过校验：${Y2} 年 1 月的“恢复”结束的是 ${Y} 年结转的暂停，没有 \`results/${Y}/state.json\` 时工具按“当时没有处于暂停期”拒绝。`,
    '',
    `运行后看 \`results/<年度>/personnel.csv\`（每人一行：person、name、institutions、deducted、repaired、points、status（normal 正常 / keySupervision 重点监管 / suspended 暂停 / terminated 终止）、suspended_from、suspended_until（不含）、terminated_on、one_shot、banned_until）、` +
      `\`人员记分-<年度>.xlsx\`（汇总、记分明细、重点监管、暂停、终止等工作表）、\`institutions.csv\` 的 personnel_deduction（本机构人员的记分结果扣减的考核分数）、\`state.json\` 的 \`personnel\`（结转下一年度的禁入期和暂停），以及公示名单（暂停、终止；人员姓名打码）。`,
    '',
    '## 规则（policy.yaml 的 personnel）',
    '',
    `- 每个自然年度 12 分，按记分日期累计，跨机构累加（以人员编码为准）；累计 ${terms.keyAt} 分重点监管，${terms.suspendAt} 分暂停（${monthsText}），${terms.terminateAt} 分终止：累计记满 ${terms.cumulativeYears} 年、一次性记满 ${terms.oneShotYears} 年内不得再次登记备案`,
    `- 每年修复一次，减免 1 至 ${terms.repairMax} 分，不撤销已达到的结果，一次性记满的不予修复；“恢复”（分值 0）提前结束暂停`,
    `- 机构考核扣分（假设）：每名人员按年度最高结果扣一次，重点监管 ${terms.deductions.keySupervision} 分、暂停 ${terms.deductions.suspended} 分、终止 ${terms.deductions.terminated} 分，由达到该结果的那条记分所在机构承担`,
    `- 情形：写明程度（${terms.named.filter((x) => x.severity).map((x) => x.name).join('、')}）或政策列出的情形时，分值须在其范围内；多数行情形为空`,
    '',
    '## 文件',
    '',
    `- \`policy.yaml\`：${region.readme.policy}（templates/policies/${region.profile}.yaml 的副本，未改动）`,
    ...[Y, Y2].flatMap((y) => [
      `- \`inputs/${y}/机构名册.xlsx\`：${c(y).institutions} 家（医疗机构与零售药店，${cities}各区县；${y === Y ? '首年，上年度考核得分不填' : `与 ${Y} 年度相同`}）`,
      `- \`inputs/${y}/指标得分.csv\`：${c(y).scores} 行（${y === Y ? '长表，UTF-8 带 BOM' : '宽表：每个指标编码一列，UTF-8 无 BOM'}，${region.indicators.inpatient.map((i) => `${i.code} ${i.max} 分`).join('、')}）`,
      `- \`inputs/${y}/月度结算.csv\`：${c(y).settlements} 行（预留保证金不填，按政策比例 ${percent} 计算）`,
      `- \`inputs/${y}/违规记录.xlsx\`：${c(y).violations} 条（机构本身的违规：${violationLines(y).join('、')}）`,
      `- \`inputs/${y}/人员记分.csv\`：${c(y).events} 行，${c(y).persons} 人（按机构、记分日期排列；身份证号多数为空，给出的都通过校验位检验且同一人一致；情形多数为空）`,
    ]),
    '',
    `## ${Y} 年度的人员`,
    '',
    '各分数线上下（累计）：',
    '',
    ...section(Y, ['five', 'six', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'oneShot']),
    '',
    '在两家机构记分（累加，由跨线那条记分所在机构承担）：',
    '',
    ...section(Y, ['twoSites', 'twoSitesHighest', 'twoPharmacies']),
    '',
    '修复与恢复：',
    '',
    ...section(Y, ['repair', 'repairBefore', 'restored', 'restoredThenMore']),
    '',
    `跨过 12 月 31 日的暂停、${Y} 年初的终止（结转 ${Y2} 年度）：`,
    '',
    ...section(Y, ['carriedRestored', 'carriedFresh', 'carriedQuiet', 'banEnded']),
    '',
    `${others(Y)}。`,
    '',
    ...ranSummary(Y),
    '',
    `## ${Y2} 年度的人员`,
    '',
    `从 ${Y} 年度结转（state.json）：`,
    '',
    ...section(Y2, ['bannedWithEvents', 'banEnded', 'bannedQuiet', 'carriedRestored', 'carriedFresh', 'carriedQuiet']),
    '',
    '新年度重新计分：',
    '',
    ...section(Y2, ['freshYear', 'repairAgain', 'nine', 'twelve', 'oneShot', 'carriedOn', 'twoSites']),
    '',
    `${others(Y2)}。`,
    '',
    ...ranSummary(Y2),
    '',
    '## 机构扣分',
    '',
    `样例人员所在机构的 personnel_deduction 与得分（指标得分合计减扣分；这些机构没有本身的违规）：`,
    '',
    `${Y} 年度：`,
    '',
    ...chargedLines(Y),
    '',
    `${Y2} 年度：`,
    '',
    ...chargedLines(Y2),
    '',
    '## 规模',
    '',
    `生成器可以按给定的人员记分条数生成工作区（用于性能测试）：\`--events N\` 使每个年度的 \`人员记分.csv\` 恰好 N 行（上面的样例人员在内，人数随之增加），例如：`,
    '',
    '```',
    `node dist/sample/generate.js --out /tmp/qinghai-big --region ${region.name} --seed 7 --institutions 320 --year ${Y} --events 500000`,
    '```',
    '',
    `不给 \`--events\` 时每个年度 ${EVENTS_PER_INSTITUTION} × 机构数 行。`,
    '',
  ].join('\n');
}
