// The Linyi scenario (profile linyi, templates/policies/linyi.yaml: 临医保发〔2019〕74号 —
// 末位淘汰 in the planning areas named as over quota, the 医保办 staffed by bed count,
// agreements renewed for the usual or a longer term, re-application bans after an exit).
// Like the Xianyang and Qinghai scenarios it writes TWO consecutive years, Y and Y+1, so that
// the run of Y+1 reads what the run of Y carried in results/Y/state.json: the violations of
// the blocking types an agreement's term reaches back to, and the bans still running:
//
//   inputs/Y/    机构名册.xlsx (with 规划区域), 指标得分.csv (long form), 月度结算.csv, 违规记录.xlsx, 退出记录.csv
//   inputs/Y+1/  the same; 指标得分.csv in the wide form (one column per indicator)
//
// Who is who (every case the README lists):
// - planning areas: the districts, and the 开发区 the region file plans apart (an institution
//   there keeps its 所属区县 and code); some rows leave 规划区域 blank (the district counts);
// - in each over-quota area its N lowest (a tie at the cut in the first area), one just above
//   the cut, and a low score of the same district planned in a 开发区 (not ranked there); a low
//   score in an area not named;
// - the 医保办 at every edge of the bed-count bands, just below and at the minimum; a bed or
//   staff count left blank; outpatient clinics without beds;
// - agreements ending in Y+1: none, one or a 约谈 only in the term, a blocking violation of
//   Y-2 and Y-1 (earlier years' rows in Y's 违规记录: the first run has no state), one the
//   day before the term and one on its first day, one of Y, a score below the line, a
//   termination in Y, a 末位淘汰 listing; most others ending in later years;
// - 退出记录 of every type: an institution back under its own code during its ban, the
//   same legal entity under a new code, a voluntary exit with no ban (and one back after it),
//   an entity back after its ban ended, a blacklisted one whose entity comes back in Y+1;
// - in Y+1: agreements ending in Y+2 decided with Y's violations carried in state.json (one
//   of Y-1, one of Y, one repeated in Y+1's file, counted once, one before the term), the
//   entities banned in Y back under new codes (caught from the carried bans), a staff raised,
//   a new 末位淘汰, a voluntary exit and a termination.
// Every institution's expected result (score, lists, agreement outcome, ban) is worked out
// here from what the files hold, so the tests can hold the tool's two runs against it.

import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { parsePolicy } from '../../policy/load.js';
import { addYears } from '../../rules/calendar.js';
import { planningAreaOf, type Category, type District, type Indicator, type SampleRegion } from '../region.js';
import { CsvWriter, headers, ordered } from '../csv.js';
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
import { byHandled, makeEvent, writeExits, writeSettlements, writeViolations, type ExitRow, type ViolationEvent } from '../records.js';
import { mixSeed, Rng } from '../rng.js';
import { readmeHead, type Scenario, type ScenarioContext } from '../scenario.js';
import { addDays, dateText, lastDayOfMonth, randomDate, tenthsText, ymd, type Ymd } from '../values.js';

// ───────────────────────────── what the sample holds ─────────────────────────────

/** The special cases, by a stable id; the README says what each shows. */
export type LinyiRole =
  | 'eliminated' // among the N lowest of an over-quota planning area
  | 'eliminatedTied' // tied with another at the cut: both listed
  | 'aboveCut' // the lowest just above the cut: not listed
  | 'plannedElsewhere' // a low score of an over-quota district, planned in a 开发区: not ranked there
  | 'areaNotNamed' // a low score in a planning area not named as over quota
  | 'staffing' // the 医保办 at a bed-count band edge
  | 'staffingMissing' // a bed or staff count left blank
  | 'outpatient' // no beds: the first band
  | 'staffRaised' // short last year, staffed this year
  | 'renewExtended' // no blocking violation in the term
  | 'talkOnly' // a 约谈 only: not a blocking type
  | 'blockedInTerm' // a blocking violation of an earlier year in the term
  | 'beforeTerm' // a blocking violation the day before the term began
  | 'termFirstDay' // a blocking violation on the term's first day
  | 'blockedThisYear' // a blocking violation handled this year
  | 'belowLine' // a score below the line: not renewed
  | 'terminated' // 解除协议 handled this year
  | 'eliminatedNotRenewed' // a 末位淘汰 listing: not renewed
  | 'carriedViolation' // a violation of last year's run carried in state.json
  | 'carriedRepeated' // carried and repeated in this year's file: counted once
  | 'carriedBeforeTerm' // carried, but before the term
  | 'codeBack' // back under its own code during its ban
  | 'creditBack' // the same legal entity under a new code during the ban
  | 'voluntaryBack' // back after a voluntary exit: no ban
  | 'voluntaryExit' // a voluntary exit this year: no ban
  | 'banEnded' // the same legal entity back after its ban ended
  | 'blacklisted' // 列入失信黑名单: its entity not in the roster this year
  | 'stillBanned'; // a re-admission caught last year, still in the roster

export interface LinyiCase {
  /** The run that shows it. */
  year: number;
  role: LinyiRole;
  code: string;
  /** What the case holds and what the run shows, in words an officer reads (the README's line). */
  text: string;
}

/** What a year's run gives an institution of its roster. */
export interface LinyiExpectation {
  /** institutions.csv score (every institution is scored: the profile has no pending or unqualified status). */
  score: string;
  /** Every list of the plan the institution is on (published or not: staffingShort is internal), sorted. */
  lists: string[];
  /** institutions.csv agreement_outcome: renew / renewExtended / notRenewed, '' when the agreement does not end next year. */
  agreementOutcome: string;
  /** The blocking violations of the term the decision counted (handled dates), for an agreement ending next year. */
  blocking: string[];
  /** institutions.csv banned_until. */
  bannedUntil: string;
}

export interface LinyiSpecialCases {
  years: [number, number];
  cases: LinyiCase[];
  /** By year: the planning areas and how many institutions each holds (规划区域, blank → 所属区县). */
  areas: Record<number, Record<string, number>>;
}

interface YearCounts {
  institutions: number;
  scores: number;
  settlements: number;
  violations: number;
  exits: number;
}

export interface LinyiResult {
  profile: 'linyi';
  files: string[];
  special: LinyiSpecialCases;
  /** By year, by code: what the run of that year gives each institution of its roster (not printed by the command line: hundreds of rows). */
  expected: Record<number, Record<string, LinyiExpectation>>;
  counts: {
    /** Y's roster. */
    institutions: number;
    scores: number;
    settlements: number;
    violations: number;
    investigations: number;
    exits: number;
    byYear: Record<number, YearCounts>;
  };
}

// ───────────────────────────── the profile's numbers ─────────────────────────────

type ExitType = '主动退出' | '解除协议' | '提供虚假材料' | '列入失信黑名单';

interface Terms {
  /** The document's display title (documents:), for the README. */
  document: string;
  /** The over-quota planning areas and their N, in the profile's order. */
  areas: [string, number][];
  /** The bed-count bands, lowest first. */
  bands: { maxBeds?: number; min: number }[];
  years: number;
  extendedYears: number;
  blockingTypes: string[];
  below: number;
  whenTerminated: boolean;
  whenEliminated: boolean;
  banYears: Record<ExitType, number>;
  /** Points per 处理类型; a filled 扣分 column replaces them (rowPointsOverride). */
  points: Record<string, number>;
  rowPoints: boolean;
  /** 处理类型 that end the agreement (statuses.terminated). */
  terminating: string[];
  /** The profile has statuses.pending (an open investigation defers the score). */
  pending: boolean;
  /** The lists the profile publishes. */
  published: string[];
  rate: number;
}

/** What the cases are built around; each is checked against the profile, not assumed. */
const BLOCKING_USED = ['罚款', '暂停结算', '不予支付', '中止医保服务', '解除协议'] as const;

function termsOf(region: SampleRegion): Terms {
  const file = `templates/policies/${region.profile}.yaml`;
  const parsed = parsePolicy(region.policyBytes.toString('utf8'), file);
  if (!parsed.ok) throw new Error(`${file} is invalid`);
  const policy = parsed.value.policy;
  const s = policy.sanctions;
  const fail = (what: string): never => {
    throw new Error(`${file}: the linyi sample needs ${what}`);
  };
  const elimination = s.bottomElimination?.enabled ? s.bottomElimination : fail('sanctions.bottomElimination');
  const staffing = s.staffing?.enabled ? s.staffing : fail('sanctions.staffing');
  const term = s.agreementTerm?.enabled ? s.agreementTerm : fail('sanctions.agreementTerm');
  const bans = s.bans?.enabled ? s.bans : fail('sanctions.bans');
  const areas = Object.entries(elimination.areas);
  if (areas.length === 0) fail('at least one area in sanctions.bottomElimination.areas');
  for (const [area, n] of areas) {
    if (!region.districts.some((d) => d.name === area)) fail(`the over-quota area ${area} to be a district of templates/samples/${region.name}.yaml`);
    if (n < 2) fail(`N ≥ 2 in ${area} (a tie at the cut among the lowest)`);
  }
  if (staffing.bands.filter((b) => b.maxBeds !== undefined).length === 0) fail('a bed-count band with maxBeds');
  for (const t of BLOCKING_USED) if (!term.blockingTypes.includes(t)) fail(`${t} among sanctions.agreementTerm.blockingTypes`);
  if (term.blockingTypes.includes('约谈')) fail('约谈 not to block a longer term (the talkOnly case)');
  if (term.notRenewBelow === undefined) fail('sanctions.agreementTerm.notRenewBelow');
  if (!term.notRenewWhenTerminated || !term.notRenewWhenEliminated) fail('notRenewWhenTerminated and notRenewWhenEliminated');
  if (bans.voluntaryYears !== 0) fail('sanctions.bans.voluntaryYears 0 (a voluntary exit with no ban)');
  const title = policy.documents?.[policy.seed ?? ''];
  return {
    document: title ?? policy.title ?? region.profile,
    areas,
    bands: staffing.bands,
    years: term.years,
    extendedYears: term.extendedYears,
    blockingTypes: [...term.blockingTypes],
    below: term.notRenewBelow ?? 60,
    whenTerminated: term.notRenewWhenTerminated === true,
    whenEliminated: term.notRenewWhenEliminated === true,
    banYears: {
      主动退出: bans.voluntaryYears,
      解除协议: bans.terminatedYears,
      提供虚假材料: bans.falseMaterialsYears ?? fail('sanctions.bans.falseMaterialsYears'),
      列入失信黑名单: bans.blacklistYears ?? fail('sanctions.bans.blacklistYears'),
    },
    points: Object.fromEntries(Object.entries(policy.deductions.byType).map(([k, v]) => [k, Number(v?.points ?? 0)])),
    rowPoints: policy.deductions.rowPointsOverride === true,
    terminating: [...(policy.statuses.terminated?.types ?? [])],
    pending: policy.statuses.pending !== undefined,
    published: [...(policy.publication?.lists ?? [])],
    rate: policy.deposit.rate,
  };
}

/** The least staff for a bed count: the first band that holds it. */
function requiredStaff(bands: Terms['bands'], beds: number): number {
  return (bands.find((b) => b.maxBeds === undefined || beds <= b.maxBeds) ?? bands[bands.length - 1])?.min ?? 0;
}

// ───────────────────────────── names ─────────────────────────────

type Kind = 'hospital' | 'clinic' | 'pharmacy';

const CATEGORY: Record<Kind, Category> = { hospital: 'inpatient', clinic: 'outpatient', pharmacy: 'pharmacy' };
const CITY_HOSPITALS = ['第一人民医院', '第二人民医院', '第三人民医院', '第四人民医院', '中医医院', '中心医院', '妇幼保健院', '肿瘤医院', '骨科医院', '儿童医院'];
const COUNTY_HOSPITALS = ['人民医院', '中医医院', '中心医院'];
const DISTRICT_HOSPITALS = ['人民医院', '中医医院', '妇幼保健院', '第二人民医院', '康复医院'];

interface Place {
  name: string;
  town: boolean;
}

/** A 街道 or 镇 of the district: a county's seat 街道 about half the time, an urban district's 街道 more often than its 镇. */
function pickPlace(rng: Rng, d: District, town?: boolean): Place {
  const towns = d.towns ?? [];
  const wantTown = town ?? (towns.length > 0 && rng.chance(d.urban ? 0.3 : 0.5));
  return wantTown && towns.length > 0 ? { name: rng.pick(towns), town: true } : { name: rng.pick(d.streets), town: false };
}

/** A name for an institution; `townHasCentre`: the town has its 卫生院 already (a 一级 hospital there is a private one). */
function candidateName(rng: Rng, region: SampleRegion, kind: Kind, level: string, d: District, place: Place, townHasCentre = false): string {
  const { name: city, short } = region.city;
  // a 区's public institutions carry the city's name (…市…区人民医院), a county's its own (…县人民医院)
  const local = d.urban ? `${city}${d.name}` : d.name;
  const where = `${place.name}${place.town ? '镇' : (region.streetSuffix ?? '街道')}`;
  const person = (): string => `${rng.pick(SURNAMES)}${rng.pick(GIVEN_NAMES)}`;
  switch (kind) {
    case 'hospital':
      if (level.startsWith('三级')) return d.urban ? `${city}${rng.pick(CITY_HOSPITALS)}` : `${d.name}${rng.pick(COUNTY_HOSPITALS)}`;
      if (level.startsWith('二级') && rng.chance(0.6)) return `${local}${rng.pick(DISTRICT_HOSPITALS)}`;
      if (level === '一级' && place.town && !townHasCentre) return `${d.name}${where}${rng.pick(['卫生院', '中心卫生院'])}`;
      return `${short}${rng.pick(HOSPITAL_BRANDS)}${rng.pick(INPATIENT_SPECIALTIES)}医院`;
    case 'clinic':
      return rng.weighted([
        [() => (place.town ? `${d.name}${where}${person()}诊所` : `${local}${where}社区卫生服务中心`), d.urban ? 4 : 2],
        [() => `${short}${rng.pick(HOSPITAL_BRANDS)}${rng.pick(OUTPATIENT_SPECIALTIES)}门诊部`, 3],
        [() => `${d.name}${person()}${rng.pick(CLINIC_SPECIALTIES)}诊所`, 3],
      ] as const)();
    case 'pharmacy': {
      const chain = rng.pick(region.pharmacyChains);
      return rng.weighted([
        [() => `${short}${chain}大药房（连锁）有限公司${place.name}${rng.pick(STORE_SUFFIXES)}`, 5],
        [() => `${short}${chain}医药连锁有限公司${place.name}店`, 3],
        [() => `${d.name}${place.name}${chain}药店`, 2],
      ] as const)();
    }
  }
}

function levelOf(rng: Rng, kind: Kind, place: Place): string {
  switch (kind) {
    case 'hospital':
      return rng.weighted([['三级甲等', 0.5], ['三级乙等', 0.3], ['二级甲等', 1.5], ['二级', 1.2], ['一级', place.town ? 4 : 1.5], ['未定级', 1.5]] as const);
    case 'clinic':
      return rng.weighted([['一级', 2], ['未定级', 4], ['', 4]] as const);
    case 'pharmacy':
      return '';
  }
}

/** Beds of a hospital by its level (a 卫生院 or a small private hospital under 100). */
function bedsOf(rng: Rng, level: string): number {
  if (level.startsWith('三级')) return rng.int(80, 250) * 10;
  if (level.startsWith('二级')) return rng.int(12, 60) * 10;
  if (level === '一级') return rng.int(20, 99);
  return rng.int(10, 90);
}

/** Typical monthly settlement in yuan, drawn with one number. */
function monthlyYuan(rng: Rng, kind: Kind, level: string, name: string): number {
  switch (kind) {
    case 'hospital':
      return level.startsWith('三级')
        ? logUniform(rng, 4_000_000, 20_000_000)
        : level.startsWith('二级')
          ? logUniform(rng, 500_000, 4_000_000)
          : name.endsWith('卫生院')
            ? logUniform(rng, 40_000, 400_000)
            : logUniform(rng, 100_000, 1_200_000);
    case 'clinic':
      return name.endsWith('社区卫生服务中心') ? logUniform(rng, 60_000, 500_000) : name.endsWith('门诊部') ? logUniform(rng, 30_000, 300_000) : logUniform(rng, 5_000, 60_000);
    case 'pharmacy':
      return logUniform(rng, 15_000, 250_000);
  }
}

// ───────────────────────────── the plan ─────────────────────────────

interface Member {
  /** The roster row as the first roster it is in holds it (Y's, or Y+1's for one admitted then); code '' until codes are dealt. */
  inst: Institution;
  kind: Kind;
  place: Place;
  /** The planning area the run finds: 规划区域 where written, else 所属区县. */
  area: string;
  /** The rosters it is in. */
  years: Set<number>;
  /** Y+1's roster where it differs from Y's: the agreement renewed, the staff raised. */
  y2: { agreementEnds?: Ymd; staff?: number };
  /** Months settled, by year (first, last); absent: 1..12. */
  months: Map<number, readonly [number, number]>;
  /** Σ of the indicator scores in tenths, by year. */
  scores: Map<number, number>;
  /** Years in which it holds a case: no random violation then. */
  caseYears: Set<number>;
}


/** A row of 违规记录 and the years' files that hold it. */
interface LoggedEvent {
  e: ViolationEvent;
  files: number[];
}

interface Plan {
  members: Member[];
  events: LoggedEvent[];
  exits: Map<number, ExitRow[]>;
  cases: LinyiCase[];
}

const iso = (x: Ymd): string => dateText(x, 'iso');
const fromIso = (s: string): Ymd => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a date: ${s}`);
  return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
};
const plusYears = (x: Ymd, years: number): Ymd => fromIso(addYears(iso(x), years));
const hundredths = (h: number): string => (h / 100).toFixed(2);

const EXIT_NOTES: Record<ExitType, string> = {
  主动退出: '因经营调整申请退出定点',
  解除协议: '违反服务协议，解除医保服务协议',
  提供虚假材料: '申请定点时提供虚假材料，撤销定点',
  列入失信黑名单: '经信用评价列入失信黑名单，退出定点',
};

function plan(seed: number, n: number, Y: number, region: SampleRegion, terms: Terms): Plan {
  const rng = new Rng(mixSeed(seed, 51));
  const Y2 = Y + 1;
  const lastBefore = ymd(Y - 1, 12, 31);
  const overQuota = new Set(terms.areas.map(([a]) => a));
  const districtNamed = (name: string): District => {
    const d = region.districts.find((x) => x.name === name);
    if (!d) throw new Error(`no district ${name}`);
    return d;
  };
  const others = region.districts.filter((d) => !overQuota.has(d.name)).map((d) => [d, d.weight] as const);
  const everywhere = region.districts.map((d) => [d, d.weight] as const);
  /** A place of a district planned in a 开发区 (another planning area), if the region has one there. */
  const zonePlace = (d: District): Place | undefined => {
    for (const a of region.planningAreas ?? []) {
      const name = a.places[d.name]?.[0];
      if (name !== undefined) return { name, town: (d.towns ?? []).includes(name) };
    }
    return undefined;
  };

  // ── phase 1: everyone, with the attributes the cases need; codes are dealt afterwards ──
  const names = new Set<string>();
  const credits = new Set<string>();
  const members: Member[] = [];
  interface MakeOptions {
    district?: District;
    place?: Place;
    level?: string;
    beds?: number | null;
    staff?: number | null;
    credit?: boolean | string;
    admitted?: Ymd;
    ends?: Ymd;
    /** 规划区域 left blank (the reader takes 所属区县). */
    blankArea?: boolean;
    /** The rosters it is in; default Y and Y+1. */
    years?: number[];
    /** Its name, where a case needs one (one owner's shop under two names). */
    name?: string;
  }
  const centres = new Set<string>();
  const make = (kind: Kind, o: MakeOptions = {}): Member => {
    const district = o.district ?? rng.weighted(everywhere);
    const place = o.place ?? pickPlace(rng, district, kind === 'hospital' && o.level === '一级' ? true : undefined);
    const level = o.level ?? levelOf(rng, kind, place);
    const town = `${district.name}${place.name}`;
    let name = o.name ?? candidateName(rng, region, kind, level, district, place, centres.has(town));
    for (let tries = 0; names.has(name) && tries < 20; tries++) name = candidateName(rng, region, kind, level, district, place, centres.has(town));
    for (let k = 2; names.has(name); k++) {
      const base = name.replace(/（第\d+院区）$|（\d+部）$/, '');
      name = base.endsWith('店') ? base.replace(/(一店|二店|分店|店)$/, `第${k}分店`) : /(医院|卫生院|中心)$/.test(base) ? `${base}（第${k}院区）` : `${base}（${k}部）`;
    }
    names.add(name);
    if (name.endsWith('卫生院')) centres.add(town);
    const category = CATEGORY[kind];
    const beds = o.beds !== undefined ? (o.beds ?? undefined) : kind === 'hospital' ? bedsOf(rng, level) : undefined;
    const staff = o.staff !== undefined ? (o.staff ?? undefined) : kind === 'pharmacy' ? undefined : kind === 'clinic' ? rng.int(1, 2) : requiredStaff(terms.bands, beds ?? 0) + rng.int(0, 3);
    const creditCode = typeof o.credit === 'string' ? o.credit : o.credit === true || (o.credit === undefined && rng.chance(0.8)) ? uniqueCreditCode(rng, region, credits, category, name, district) : undefined;
    const plannedIn = planningAreaOf(region, district, place.name);
    // 规划区域 is left blank on some rows (the district counts); a 开发区's rows always name it
    const blank = o.blankArea ?? (plannedIn === district.name && rng.chance(0.15));
    const agreementEnds =
      o.ends ??
      (kind === 'hospital'
        ? rng.weighted([[ymd(Y + 1, 12, 31), 1], [ymd(Y + 2, 6, 30), 2], [ymd(Y + 2, 12, 31), 3], [ymd(Y + 3, 6, 30), 2], [ymd(Y + 3, 12, 31), 3]] as const)
        : lastDayOfMonth(rng.weighted([[Y + 1, 1], [Y + 2, 3], [Y + 3, 4]] as const), rng.int(1, 12)));
    const inst: Institution = {
      index: 0,
      code: '',
      name,
      category,
      district,
      level,
      beds,
      staff,
      specialDrug: level.startsWith('三级') || (level.startsWith('二级') && rng.chance(0.3)) || (kind === 'pharmacy' && rng.chance(0.05)),
      admitted: o.admitted ?? randomDate(rng, ymd(2005, 1, 1), lastBefore),
      agreementEnds,
      creditCode,
      priorHundredths: undefined,
      baseTenths: 0,
      monthlyFen: Math.round(monthlyYuan(rng, kind, level, name) * 100),
      fillsReserved: false,
      special: false,
      planningArea: blank ? undefined : plannedIn,
    };
    const m: Member = { inst, kind, place, area: plannedIn, years: new Set(o.years ?? [Y, Y2]), y2: {}, months: new Map(), scores: new Map(), caseYears: new Set() };
    members.push(m);
    return m;
  };
  /** A member of the cases of the given years: no random violation in them. */
  const special = (m: Member, ...years: number[]): Member => {
    m.inst.special = true;
    for (const y of years.length > 0 ? years : [Y, Y2]) m.caseYears.add(y);
    return m;
  };
  const otherDistrict = (): District => rng.weighted(others);
  /** A place of the district that is planned in the district itself (not in a 开发区). */
  const ownPlace = (d: District, town?: boolean): Place => {
    for (let tries = 0; tries < 50; tries++) {
      const p = pickPlace(rng, d, town);
      if (planningAreaOf(region, d, p.name) === d.name) return p;
    }
    return { name: d.streets[0] ?? '', town: false };
  };
  const admittedBefore = (y: number): Ymd => randomDate(rng, ymd(2008, 1, 1), ymd(y, 12, 31));
  /** An agreement ending after both years' renewals (Y+3): a case about something else is not decided. */
  const laterEnd = (): Ymd => lastDayOfMonth(Y + 3, rng.int(1, 12));
  /**
   * One owner's shop or clinic (个体工商户: a 92 credit code) under two names: the one it left
   * the scheme under and the one it came back under with a new code.
   */
  const ownerNames = (kind: 'pharmacy' | 'clinic', d: District): { place: Place; names: [string, string] } => {
    const place = ownPlace(d);
    if (kind === 'pharmacy') {
      const [a, b] = rng.shuffle([...region.pharmacyChains]);
      return { place, names: [`${d.name}${place.name}${a ?? ''}药店`, `${d.name}${place.name}${b ?? ''}药店`] };
    }
    const person = `${rng.pick(SURNAMES)}${rng.pick(GIVEN_NAMES)}`;
    const [a, b] = rng.shuffle([...CLINIC_SPECIALTIES]);
    return { place, names: [`${d.name}${person}${a ?? ''}诊所`, `${d.name}${person}${b ?? ''}诊所`] };
  };

  const later: (() => void)[] = [];
  const cases: LinyiCase[] = [];
  const events: LoggedEvent[] = [];
  const exits = new Map<number, ExitRow[]>([
    [Y, []],
    [Y2, []],
  ]);
  const say = (year: number, role: LinyiRole, m: Member, text: string): void => {
    cases.push({ year, role, code: m.inst.code, text });
  };
  /** A row of 违规记录 handled on the day given (occurred some days before), in the file of the year handled (earlier years: Y's). */
  const event = (m: Member, type: string, handled: Ymd, files?: number[]): ViolationEvent => {
    const e = makeEvent(rng, m.inst, type, addDays(handled, -rng.int(5, 40)), handled);
    events.push({ e, files: files ?? [Math.max(handled.y, Y)] });
    return e;
  };
  const exit = (year: number, m: Member, type: ExitType, on: Ymd, note = EXIT_NOTES[type]): void => {
    exits.get(year)?.push({ code: m.inst.code, name: m.inst.name, on, type, creditCode: m.inst.creditCode, note });
  };
  const d = iso;
  const pts = (type: string): number => terms.points[type] ?? 0;

  // ── 末位淘汰: each over-quota area's N lowest (a tie at the cut in the first), one just above, a low score planned elsewhere ──
  terms.areas.forEach(([area, n], k) => {
    const district = districtNamed(area);
    const inArea = (o: MakeOptions): Member => make(rng.chance(0.5) ? 'pharmacy' : 'clinic', { district, place: ownPlace(district), ends: laterEnd(), blankArea: false, ...o });
    // final scores in hundredths, lowest first: the N-th is tied in the first area
    const finals = k === 0 ? [5640, 6080, 6250] : [5730, 6100, 6230].slice(0, n);
    while (finals.length < n) finals.push((finals[finals.length - 1] ?? 6000) + 40);
    const cut = finals[n - 1] ?? 0;
    finals.forEach((h, i) => {
      const last = i === n - 1;
      const ends = k === 0 && i === 1 ? ymd(Y + 1, 12, 31) : laterEnd();
      const m = special(inArea({ ends }), Y);
      m.scores.set(Y, h / 10);
      later.push(() => {
        const notRenewed = ends.y === Y + 1;
        say(Y, notRenewed ? 'eliminatedNotRenewed' : 'eliminated', m, `规划区域 ${area}（末位 ${n} 家），得分 ${hundredths(h)}，区域内倒数第 ${i + 1}${h < terms.below * 100 ? `（低于${terms.below}分）` : ''} → 列入末位淘汰名单${notRenewed ? `；协议 ${d(ends)} 到期，列入末位淘汰 → 不予续签（notRenewed）` : ''}`);
      });
      if (last && k === 0) {
        // tied at the cut: reached through a 约谈 of the year (base − 2), with 规划区域 left blank
        const t = special(inArea({ blankArea: true }), Y);
        t.scores.set(Y, h / 10 + pts('约谈') * 10);
        later.push(() => {
          const e = event(t, '约谈', randomDate(rng, ymd(Y, 3, 1), ymd(Y, 10, 31)));
          say(Y, 'eliminatedTied', t, `规划区域空白（按所属区县 ${area}），指标得分 ${tenthsText(h / 10 + pts('约谈') * 10)}，${d(e.handled)}约谈扣 ${pts('约谈')} 分 → ${hundredths(h)}，与 ${m.inst.code} 并列倒数第 ${n} → 两家都列入末位淘汰名单（${area}共 ${n + 1} 家）`);
          // the other one tied, said from its side
          const other = cases.find((x) => x.year === Y && x.code === m.inst.code);
          if (other) other.text = other.text.replace(`区域内倒数第 ${n}`, `区域内倒数第 ${n}（与 ${t.inst.code} 并列）`);
        });
      }
    });
    // the lowest just above the cut
    const above = special(inArea({}), Y);
    const aboveH = cut + (k === 0 ? 10 : 20);
    above.scores.set(Y, aboveH / 10);
    later.push(() => say(Y, 'aboveCut', above, `规划区域 ${area}，得分 ${hundredths(aboveH)}，比末位第 ${n} 名（${hundredths(cut)}）高 → 不列入末位淘汰名单`));
    // a low score of the same district, planned in a 开发区
    const zp = zonePlace(district);
    if (zp) {
      const z = special(make(rng.chance(0.5) ? 'pharmacy' : 'clinic', { district, place: zp, ends: laterEnd() }), Y);
      const zh = 4800 + k * 70;
      z.scores.set(Y, zh / 10);
      later.push(() => say(Y, 'plannedElsewhere', z, `所属区县 ${area}（${zp.name}${zp.town ? '镇' : '街道'}），规划区域 ${z.area}；得分 ${hundredths(zh)}，比 ${area} 的末位还低，但 ${z.area} 不是严重超额区域 → 不列入末位淘汰名单`));
    }
  });
  {
    const district = otherDistrict();
    const m = special(make('pharmacy', { district, place: ownPlace(district), blankArea: false, ends: laterEnd() }), Y);
    m.scores.set(Y, 524);
    later.push(() => say(Y, 'areaNotNamed', m, `规划区域 ${m.area}（不在政策点名的严重超额区域中），得分 52.40 → 不列入末位淘汰名单（低于${terms.below}分，质量保证金不予返还）`));
  }

  // ── 医保办: every band edge just below and at the minimum, blanks, clinics without beds ──
  terms.bands.forEach((band, i) => {
    const next = terms.bands[i + 1];
    if (band.maxBeds === undefined || !next) return;
    for (const beds of [band.maxBeds, band.maxBeds + 1]) {
      const need = requiredStaff(terms.bands, beds);
      for (const staff of [need - 1, need]) {
        if (staff < 0) continue;
        const level = beds > 1000 ? '三级甲等' : beds >= 800 ? '三级乙等' : beds > 100 ? '二级' : '一级';
        const m = special(make('hospital', { district: otherDistrict(), level, beds, staff, ends: laterEnd() }), Y, Y2);
        later.push(() =>
          say(Y, 'staffing', m, `床位数 ${beds}，应至少 ${need} 人，医保办人数 ${staff} → ${staff < need ? '配备不足，列入医保办人员配备不足名单（不公示）' : '符合要求'}`),
        );
      }
    }
  });
  {
    const noBeds = special(make('hospital', { district: otherDistrict(), level: '一级', beds: null, staff: 2, ends: laterEnd() }), Y, Y2);
    const noStaff = special(make('hospital', { district: otherDistrict(), level: '二级', beds: 160, staff: null, ends: laterEnd() }), Y, Y2);
    later.push(() => {
      say(Y, 'staffingMissing', noBeds, `有住院服务，床位数空白（医保办人数 2）→ 无法核对，列入医保办人员配备不足名单（缺床位数）`);
      say(Y, 'staffingMissing', noStaff, `床位数 160，医保办人数空白 → 无法核对，列入医保办人员配备不足名单（缺医保办人数）`);
    });
    const outpatient = special(make('clinic', { district: otherDistrict(), beds: null, staff: 1, ends: laterEnd() }), Y, Y2);
    const outShort = special(make('clinic', { district: otherDistrict(), beds: null, staff: 0, ends: laterEnd() }), Y, Y2);
    later.push(() => {
      say(Y, 'outpatient', outpatient, `无住院服务，床位数空白（按 0 张，应至少 ${requiredStaff(terms.bands, 0)} 人），医保办人数 1 → 符合要求`);
      say(Y, 'outpatient', outShort, `无住院服务，床位数空白（按 0 张，应至少 ${requiredStaff(terms.bands, 0)} 人），医保办人数 0 → 配备不足，列入医保办人员配备不足名单`);
    });
  }

  // ── agreements ending in Y+1 ──
  const next = Y + 1;
  const anyKind = (): Kind => rng.weighted([['hospital', 2], ['clinic', 2], ['pharmacy', 3]] as const);
  const agreement = (ends: Ymd, o: MakeOptions = {}, kind: Kind = anyKind()): Member => special(make(kind, { district: otherDistrict(), admitted: admittedBefore(Y - 4), ends, ...o }), Y);
  // 协议到期日期 is the agreement's last day in force: its term began the day after the same date `years` earlier.
  const termFrom = (ends: Ymd): Ymd => addDays(plusYears(ends, -terms.years), 1);
  const renewed = (ends: Ymd, years: number): string => addYears(iso(ends), years);
  {
    const ends = ymd(next, 1, 1);
    const m = agreement(ends);
    later.push(() => say(Y, 'renewExtended', m, `协议 ${d(ends)} 到期（协议期自 ${d(termFrom(ends))}），协议期内没有违规 → 延长续签（renewExtended），新协议至 ${renewed(ends, terms.extendedYears)}`));
  }
  {
    const ends = ymd(next, 8, 31);
    const m = agreement(ends);
    later.push(() => {
      const e = event(m, '约谈', randomDate(rng, ymd(Y, 2, 1), ymd(Y, 6, 30)));
      say(Y, 'talkOnly', m, `协议 ${d(ends)} 到期；协议期内只有 ${d(e.handled)} 的约谈（不属于阻止延长续签的处理类型，扣 ${pts('约谈')} 分）→ 延长续签，新协议至 ${renewed(ends, terms.extendedYears)}`);
    });
  }
  {
    const ends = ymd(next, 6, 30);
    const m = agreement(ends);
    later.push(() => {
      const e = event(m, '罚款', randomDate(rng, ymd(Y - 1, 5, 1), ymd(Y - 1, 9, 30)));
      say(Y, 'blockedInTerm', m, `协议 ${d(ends)} 到期（协议期自 ${d(termFrom(ends))}）；${d(e.handled)}（${Y - 1}年）罚款，记在 ${Y} 年违规记录中（不计入 ${Y} 年扣分）→ 协议期内有违规，按期续签（renew），新协议至 ${renewed(ends, terms.years)}`);
    });
  }
  {
    const ends = ymd(next, 3, 31);
    const m = agreement(ends);
    later.push(() => {
      const e = event(m, '暂停结算', randomDate(rng, ymd(Y - 2, 9, 1), ymd(Y - 2, 11, 30)));
      say(Y, 'blockedInTerm', m, `协议 ${d(ends)} 到期（协议期自 ${d(termFrom(ends))}）；${d(e.handled)}（${Y - 2}年）暂停结算，记在 ${Y} 年违规记录中 → 按期续签（renew），新协议至 ${renewed(ends, terms.years)}`);
    });
  }
  {
    const ends = ymd(next, 9, 30);
    const m = agreement(ends);
    later.push(() => {
      const e = event(m, '暂停结算', addDays(termFrom(ends), -1));
      say(Y, 'beforeTerm', m, `协议 ${d(ends)} 到期，协议期自 ${d(termFrom(ends))}；${d(e.handled)} 的暂停结算在协议期开始前一天，不在协议期内 → 延长续签，新协议至 ${renewed(ends, terms.extendedYears)}`);
    });
  }
  {
    const ends = ymd(next, 4, 30);
    const m = agreement(ends);
    later.push(() => {
      const e = event(m, '中止医保服务', termFrom(ends));
      say(Y, 'termFirstDay', m, `协议 ${d(ends)} 到期，协议期自 ${d(termFrom(ends))}；${d(e.handled)} 中止医保服务，恰在协议期第一天 → 按期续签，新协议至 ${renewed(ends, terms.years)}`);
    });
  }
  {
    const ends = ymd(next, 10, 31);
    const m = agreement(ends);
    later.push(() => {
      const e = event(m, '不予支付', randomDate(rng, ymd(Y, 3, 1), ymd(Y, 10, 31)));
      say(Y, 'blockedThisYear', m, `协议 ${d(ends)} 到期；${d(e.handled)}不予支付（扣 ${pts('不予支付')} 分）→ 按期续签，新协议至 ${renewed(ends, terms.years)}`);
    });
  }
  {
    const ends = ymd(next, 12, 31);
    const m = agreement(ends, {}, 'clinic');
    const h = terms.below * 100 - 560;
    m.scores.set(Y, h / 10);
    later.push(() => say(Y, 'belowLine', m, `协议 ${d(ends)} 到期；得分 ${hundredths(h)}，低于${terms.below}分 → 不予续签（notRenewed），质量保证金不予返还`));
  }
  let terminatedEntity: { m: Member; on: Ymd } | undefined;
  let terminatedAgreement: { m: Member; backAs: string; place: Place } | undefined;
  {
    const ends = ymd(next, 12, 31);
    const district = otherDistrict();
    const owner = ownerNames('pharmacy', district);
    const m = agreement(ends, { district, place: owner.place, name: owner.names[0], credit: true, years: [Y] }, 'pharmacy');
    terminatedAgreement = { m, backAs: owner.names[1], place: owner.place };
    m.scores.set(Y, rng.int(840, 900));
    later.push(() => {
      const e = event(m, '解除协议', randomDate(rng, ymd(Y, 7, 1), ymd(Y, 9, 30)));
      m.months.set(Y, [1, e.handled.m]);
      exit(Y, m, '解除协议', e.handled);
      terminatedEntity = { m, on: e.handled };
      const score = (m.scores.get(Y) ?? 0) * 10 - pts('解除协议') * 100;
      say(
        Y,
        'terminated',
        m,
        `协议 ${d(ends)} 到期；${d(e.handled)}解除协议（违规记录扣 ${pts('解除协议')} 分，得分 ${hundredths(score)}；退出记录同日）→ 列入解除协议名单，协议不予续签（notRenewed），banned_until ${addYears(iso(e.handled), terms.banYears.解除协议)}；结算到 ${e.handled.m} 月，${Y2} 年名册不再有此编码`,
      );
    });
  }

  // ── exits and bans ──
  {
    // back under its own code during a termination's ban
    const m = special(make('pharmacy', { district: otherDistrict(), credit: true, admitted: randomDate(rng, ymd(Y, 3, 1), ymd(Y, 5, 31)), ends: laterEnd() }), Y, Y2);
    m.months.set(Y, [m.inst.admitted.m, 12]);
    const on = randomDate(rng, ymd(Y - 2, 4, 1), ymd(Y - 2, 6, 30));
    later.push(() => {
      exit(Y, m, '解除协议', on, `${Y - 2}年违反服务协议，解除医保服务协议`);
      const until = addYears(iso(on), terms.banYears.解除协议);
      say(Y, 'codeBack', m, `${d(on)}解除协议（${Y} 年退出记录，首年运行，以前的禁入期从这里读入），禁入至 ${until}；${d(m.inst.admitted)}以同一机构编码重新纳入 → 按机构编码识别，列入禁入期内名单，banned_until ${until}`);
      const ended = until <= `${Y2}-12-31` ? `禁入期 ${until} 已届满，但 ${d(m.inst.admitted)} 纳入时在禁入期内` : `禁入至 ${until}`;
      say(Y2, 'stillBanned', m, `${Y} 年禁入期内以同一编码重新纳入（state.json 结转这条禁入记录），${Y2} 年名册仍有此编码；${ended} → 仍列入禁入期内名单`);
    });
  }
  {
    // the same legal entity under a new code after false materials
    const district = otherDistrict();
    const owner = ownerNames('pharmacy', district);
    const former = make('pharmacy', { district, place: owner.place, name: owner.names[0], credit: true, years: [] });
    const m = special(make('pharmacy', { district, place: owner.place, name: owner.names[1], credit: former.inst.creditCode, admitted: randomDate(rng, ymd(Y, 6, 1), ymd(Y, 8, 31)), ends: laterEnd() }), Y, Y2);
    m.months.set(Y, [m.inst.admitted.m, 12]);
    const on = randomDate(rng, ymd(Y - 1, 3, 1), ymd(Y - 1, 6, 30));
    later.push(() => {
      exit(Y, former, '提供虚假材料', on);
      const until = addYears(iso(on), terms.banYears.提供虚假材料);
      say(Y, 'creditBack', m, `新机构编码，统一社会信用代码 ${m.inst.creditCode} 与 ${former.inst.code}（${former.inst.name}，${d(on)}因提供虚假材料退出）相同；${d(m.inst.admitted)}纳入，禁入至 ${until} → 按统一社会信用代码识别，列入禁入期内名单，banned_until ${until}`);
      say(Y2, 'stillBanned', m, `${Y} 年以新编码在禁入期内纳入（state.json 结转 ${former.inst.code} 的禁入至 ${until}）→ 仍列入禁入期内名单`);
    });
  }
  // blacklisted: not in Y's roster; its entity comes back in Y+1
  const blacklistedOwner = ((d: District) => ({ district: d, ...ownerNames('pharmacy', d) }))(otherDistrict());
  const blacklisted = {
    former: make('pharmacy', { district: blacklistedOwner.district, place: blacklistedOwner.place, name: blacklistedOwner.names[0], credit: true, years: [] }),
    on: randomDate(rng, ymd(Y - 1, 9, 1), ymd(Y - 1, 11, 30)),
  };
  later.push(() => exit(Y, blacklisted.former, '列入失信黑名单', blacklisted.on));
  {
    // voluntary exit of Y-1, back in Y under its own code: no ban
    const m = special(make('clinic', { district: otherDistrict(), admitted: randomDate(rng, ymd(Y, 2, 1), ymd(Y, 4, 30)), ends: laterEnd() }), Y);
    m.months.set(Y, [m.inst.admitted.m, 12]);
    const on = randomDate(rng, ymd(Y - 1, 2, 1), ymd(Y - 1, 4, 30));
    later.push(() => {
      exit(Y, m, '主动退出', on);
      say(Y, 'voluntaryBack', m, `${d(on)}主动退出（退出记录），${d(m.inst.admitted)}以同一机构编码重新纳入；主动退出不在三年内不予受理的情形之内（禁入 ${terms.banYears.主动退出} 年）→ 不列入禁入期内名单，banned_until 空白`);
    });
  }
  {
    // a voluntary exit of Y
    const m = special(make('pharmacy', { district: otherDistrict(), ends: laterEnd(), years: [Y] }), Y);
    const on = ymd(Y, 8, 31);
    m.months.set(Y, [1, on.m]);
    later.push(() => {
      exit(Y, m, '主动退出', on);
      say(Y, 'voluntaryExit', m, `${d(on)}主动退出（退出记录），结算到 ${on.m} 月 → 不禁入，banned_until 空白；${Y2} 年名册不再有此编码`);
    });
  }
  {
    // an entity back after its ban ended
    const district = otherDistrict();
    const owner = ownerNames('clinic', district);
    const former = make('clinic', { district, place: owner.place, name: owner.names[0], credit: true, years: [] });
    const m = special(make('clinic', { district, place: owner.place, name: owner.names[1], credit: former.inst.creditCode, admitted: randomDate(rng, ymd(Y, 4, 1), ymd(Y, 6, 30)), ends: laterEnd() }), Y);
    m.months.set(Y, [m.inst.admitted.m, 12]);
    const on = randomDate(rng, ymd(Y - 4, 2, 1), ymd(Y - 4, 5, 31));
    later.push(() => {
      exit(Y, former, '列入失信黑名单', on, `${Y - 4}年列入失信黑名单，退出定点`);
      const until = addYears(iso(on), terms.banYears.列入失信黑名单);
      say(Y, 'banEnded', m, `统一社会信用代码与 ${former.inst.code}（${former.inst.name}，${d(on)}列入失信黑名单退出，禁入至 ${until}）相同，但 ${d(m.inst.admitted)} 纳入时禁入期已满 → 不列入禁入期内名单（banned_until 显示已届满的 ${until}）`);
    });
  }

  // ── Y+1: agreements ending in Y+2, decided with Y's violations carried in state.json ──
  const next2 = Y2 + 1;
  const agreement2 = (ends: Ymd, o: MakeOptions = {}, kind: Kind = anyKind()): Member => special(make(kind, { district: otherDistrict(), admitted: admittedBefore(Y - 4), ends, ...o }), Y, Y2);
  {
    const ends = ymd(next2, 3, 31);
    const m = agreement2(ends);
    later.push(() => {
      const e = event(m, '罚款', randomDate(rng, ymd(Y - 1, 5, 1), ymd(Y - 1, 10, 31)));
      say(Y2, 'carriedViolation', m, `协议 ${d(ends)} 到期（协议期自 ${d(termFrom(ends))}）；${d(e.handled)}（${Y - 1}年）的罚款在 ${Y} 年违规记录中，由 ${Y} 年度运行结转到 results/${Y}/state.json，${Y2} 年违规记录中没有 → 按期续签（renew），依据 state.json 结转的记录`);
    });
  }
  {
    const ends = ymd(next2, 9, 30);
    const m = agreement2(ends);
    later.push(() => {
      const e = event(m, '暂停结算', randomDate(rng, ymd(Y, 3, 1), ymd(Y, 6, 30)));
      say(Y2, 'carriedViolation', m, `协议 ${d(ends)} 到期；${d(e.handled)}（${Y}年）暂停结算（${Y} 年扣 ${pts('暂停结算')} 分），state.json 结转 → ${Y2} 年按期续签（renew）`);
    });
  }
  {
    const ends = ymd(next2, 12, 31);
    const m = agreement2(ends);
    later.push(() => {
      const e = event(m, '不予支付', randomDate(rng, ymd(Y, 7, 1), ymd(Y, 10, 31)), [Y, Y2]);
      say(Y2, 'carriedRepeated', m, `协议 ${d(ends)} 到期；${d(e.handled)}（${Y}年）不予支付（${Y} 年扣 ${pts('不予支付')} 分），state.json 结转，${Y2} 年违规记录又录了同一条 → 只算一次（协议期内违规 1 条，${Y2} 年不扣分），按期续签（renew）`);
    });
  }
  {
    const ends = ymd(next2, 2, 28);
    const m = agreement2(ends);
    later.push(() => {
      const e = event(m, '暂停结算', addDays(termFrom(ends), -rng.int(1, 20)));
      say(Y2, 'carriedBeforeTerm', m, `协议 ${d(ends)} 到期，协议期自 ${d(termFrom(ends))}；${d(e.handled)} 的暂停结算由 state.json 结转，但在协议期开始之前 → 延长续签（renewExtended），新协议至 ${renewed(ends, terms.extendedYears)}`);
    });
  }
  {
    const ends = ymd(next2, 6, 30);
    const m = agreement2(ends);
    later.push(() => {
      const e = event(m, '罚款', randomDate(rng, ymd(Y2, 3, 1), ymd(Y2, 9, 30)));
      say(Y2, 'blockedThisYear', m, `协议 ${d(ends)} 到期；${d(e.handled)}（${Y2}年）罚款（扣 ${pts('罚款')} 分）→ 按期续签（renew），新协议至 ${renewed(ends, terms.years)}`);
    });
  }
  {
    const ends = ymd(next2, 12, 31);
    const m = agreement2(ends);
    later.push(() => say(Y2, 'renewExtended', m, `协议 ${d(ends)} 到期（协议期自 ${d(termFrom(ends))}），${Y} 年结转和 ${Y2} 年都没有违规 → 延长续签（renewExtended），新协议至 ${renewed(ends, terms.extendedYears)}`));
  }
  {
    const ends = ymd(next2, 12, 31);
    const m = agreement2(ends, {}, 'pharmacy');
    const h = terms.below * 100 - 270;
    m.scores.set(Y2, h / 10);
    later.push(() => say(Y2, 'belowLine', m, `协议 ${d(ends)} 到期；${Y2} 年得分 ${hundredths(h)}，低于${terms.below}分 → 不予续签（notRenewed）`));
  }

  // ── Y+1: 末位淘汰 again, a staff raised, entities banned in Y back, a voluntary exit, a termination ──
  // Y+1's lowest in each over-quota area and one just above the cut: clinics and pharmacies there since before Y, scored as usual in Y
  terms.areas.forEach(([area, n], k) => {
    const district = districtNamed(area);
    const finals = (k === 0 ? [5820, 6020, 6170] : [5900, 6120, 6260]).slice(0, n);
    while (finals.length < n) finals.push((finals[finals.length - 1] ?? 6000) + 40);
    const cut = finals[n - 1] ?? 0;
    for (let i = 0; i <= n; i++) {
      const h = i < n ? (finals[i] ?? 0) : cut + 30;
      const m = special(make(rng.chance(0.5) ? 'pharmacy' : 'clinic', { district, place: ownPlace(district), ends: laterEnd(), blankArea: false }), Y2);
      m.scores.set(Y2, h / 10);
      later.push(() =>
        say(Y2, i < n ? 'eliminated' : 'aboveCut', m, i < n ? `规划区域 ${area}（末位 ${n} 家），${Y2} 年得分 ${hundredths(h)}，区域内倒数第 ${i + 1} → 列入末位淘汰名单` : `规划区域 ${area}，${Y2} 年得分 ${hundredths(h)}，比末位第 ${n} 名（${hundredths(cut)}）高 → 不列入末位淘汰名单`),
      );
    }
  });
  // the blacklisted entity of Y-1 back under a new code
  const blacklistedBack = special(
    make('pharmacy', { district: blacklistedOwner.district, place: blacklistedOwner.place, name: blacklistedOwner.names[1], credit: blacklisted.former.inst.creditCode, admitted: randomDate(rng, ymd(Y2, 3, 1), ymd(Y2, 5, 31)), ends: ymd(Y2 + 3, 12, 31), years: [Y2] }),
    Y2,
  );
  blacklistedBack.months.set(Y2, [blacklistedBack.inst.admitted.m, 12]);
  // the pharmacy terminated in Y back under a new code: the same legal entity, a new shop in its district
  const gone = terminatedAgreement as { m: Member; backAs: string; place: Place } | undefined;
  if (!gone) throw new Error('no terminated agreement');
  const terminatedBack = special(make('pharmacy', { district: gone.m.inst.district, place: gone.place, name: gone.backAs, credit: gone.m.inst.creditCode, admitted: randomDate(rng, ymd(Y2, 4, 1), ymd(Y2, 6, 30)), ends: ymd(Y2 + 3, 12, 31), years: [Y2] }), Y2);
  terminatedBack.months.set(Y2, [terminatedBack.inst.admitted.m, 12]);
  const voluntary2 = special(make('clinic', { district: otherDistrict(), ends: ymd(Y2 + 2, 12, 31) }), Y2);
  const terminated2 = special(make('pharmacy', { district: otherDistrict(), ends: ymd(Y2 + 2, 6, 30) }), Y2);
  terminated2.scores.set(Y2, rng.int(850, 920));
  const newcomers: Member[] = [];

  // ── everyone else: ordinary institutions of Y (and Y+1), a few admitted in Y+1 ──
  const specialsInY = members.filter((m) => m.years.has(Y)).length;
  const nOrdinary = n - specialsInY;
  if (nOrdinary < 40) throw new Error(`the linyi sample needs at least ${specialsInY + 40} institutions`);
  const nHospital = Math.round(nOrdinary * 0.22);
  const nClinic = Math.round(nOrdinary * 0.3);
  const kinds = rng.shuffle([...Array<Kind>(nHospital).fill('hospital'), ...Array<Kind>(nClinic).fill('clinic'), ...Array<Kind>(nOrdinary - nHospital - nClinic).fill('pharmacy')]);
  for (const kind of kinds) make(kind);
  for (let k = 0; k < 3; k++) {
    const m = make(k === 1 ? 'clinic' : 'pharmacy', { admitted: randomDate(rng, ymd(Y2, 2, 1), ymd(Y2, 9, 30)), years: [Y2], ends: ymd(Y2 + 3, 12, 31) });
    m.months.set(Y2, [m.inst.admitted.m, 12]);
    newcomers.push(m);
  }

  // ── phase 2: codes, per prefix and district, in a shuffled order (the cases are not the first serials) ──
  const serials = new Map<string, number>();
  for (const m of rng.shuffle([...members])) {
    const key = (m.kind === 'pharmacy' ? 'P' : 'H') + m.inst.district.code;
    const serial = (serials.get(key) ?? 0) + 1;
    if (serial > 99999) throw new Error(`more than 99999 institutions in ${m.inst.district.name}`);
    serials.set(key, serial);
    m.inst.code = `${key}${String(serial).padStart(5, '0')}`;
  }

  // ── phase 3: the cases' rows and words, then the ordinary members' scores and violations ──
  for (const f of later) f();
  const terminated = terminatedEntity as { m: Member; on: Ymd } | undefined;
  if (!terminated) throw new Error('no terminated entity');
  const backs: [Member, { code: string; name: string; on: Ymd; type: ExitType }][] = [
    [blacklistedBack, { code: blacklisted.former.inst.code, name: blacklisted.former.inst.name, on: blacklisted.on, type: '列入失信黑名单' }],
    [terminatedBack, { code: terminated.m.inst.code, name: terminated.m.inst.name, on: terminated.on, type: '解除协议' }],
  ];
  for (const [m, f] of backs) {
    const until = addYears(iso(f.on), terms.banYears[f.type]);
    const what = f.type === '解除协议' ? '解除协议' : '列入失信黑名单退出';
    say(Y2, 'creditBack', m, `新机构编码，统一社会信用代码 ${m.inst.creditCode} 与 ${f.code}（${f.name}，${d(f.on)}${what}）相同；${d(m.inst.admitted)}纳入，禁入至 ${until}（${Y} 年度运行记入 state.json 的禁入期；${Y2} 年退出记录没有这一条）→ 按统一社会信用代码识别，列入禁入期内名单`);
  }
  {
    const on = ymd(Y2, 6, 30);
    voluntary2.months.set(Y2, [1, on.m]);
    exit(Y2, voluntary2, '主动退出', on);
    say(Y2, 'voluntaryExit', voluntary2, `${d(on)}主动退出（${Y2} 年退出记录），结算到 ${on.m} 月 → 不禁入，banned_until 空白`);
    const e = event(terminated2, '解除协议', randomDate(rng, ymd(Y2, 5, 1), ymd(Y2, 8, 31)));
    terminated2.months.set(Y2, [1, e.handled.m]);
    exit(Y2, terminated2, '解除协议', e.handled);
    const score = (terminated2.scores.get(Y2) ?? 0) * 10 - pts('解除协议') * 100;
    say(Y2, 'terminated', terminated2, `${d(e.handled)}解除协议（扣 ${pts('解除协议')} 分，得分 ${hundredths(score)}；退出记录同日）→ 列入解除协议名单，banned_until ${addYears(iso(e.handled), terms.banYears.解除协议)}；协议 ${d(terminated2.inst.agreementEnds)} 到期，不在 ${Y2 + 1} 年，无续签结论`);
  }
  // a staff raised in Y+1: the band edge just below the minimum above the first band
  {
    const short = members.find((m) => m.kind === 'hospital' && m.caseYears.has(Y2) && m.inst.beds !== undefined && m.inst.staff !== undefined && m.inst.beds > (terms.bands[0]?.maxBeds ?? 0) && m.inst.staff < requiredStaff(terms.bands, m.inst.beds));
    if (!short || short.inst.beds === undefined) throw new Error('no short staffing case to raise');
    const need = requiredStaff(terms.bands, short.inst.beds);
    short.y2.staff = need;
    say(Y2, 'staffRaised', short, `${Y} 年床位数 ${short.inst.beds}、医保办人数 ${short.inst.staff ?? ''}（配备不足）；${Y2} 年名册医保办人数 ${need} → 符合要求，不再列入医保办人员配备不足名单`);
  }

  // ordinary scores: above 66 points everywhere, above 70 in the over-quota areas (the lowest are the cases)
  const draw3 = (): number => (rng.float() + rng.float() + rng.float()) / 3;
  for (const m of members) {
    for (const y of [Y, Y2]) {
      if (!m.years.has(y) || m.scores.has(y)) continue;
      m.scores.set(y, overQuota.has(m.area) ? 700 + Math.round(280 * draw3()) : 660 + Math.round(320 * draw3()));
    }
  }

  // random violations of the year, one each on a few ordinary members (at most 5 points)
  for (const y of [Y, Y2]) {
    const pool = rng.shuffle(members.filter((m) => m.years.has(y) && !m.caseYears.has(y) && (m.months.get(y) ?? [1, 12])[0] <= 6));
    const k = Math.round(pool.length * 0.07);
    for (const m of pool.slice(0, k)) {
      const type = rng.weighted([['约谈', 4], ['扣分', 3], ['不予支付', 2], ['暂停结算', 1], ['罚款', 0.5], ['行政处罚', 0.5]] as const);
      const first = (m.months.get(y) ?? [1, 12])[0];
      event(m, type, randomDate(rng, ymd(y, Math.max(2, first + 1), 1), ymd(y, 11, 30)));
    }
  }
  return { members, events, exits, cases };
}

// ───────────────────────────── what each run gives ─────────────────────────────

interface Ban {
  code: string;
  credit: string;
  since: string;
  until: string;
}

/** The roster of a year, sorted by code, each row as that year's roster holds it. */
function rosterOf(p: Plan, year: number, first: number): Institution[] {
  const rows = p.members
    .filter((m) => m.years.has(year))
    .map((m): Institution => (year === first ? { ...m.inst } : { ...m.inst, agreementEnds: m.y2.agreementEnds ?? m.inst.agreementEnds, staff: 'staff' in m.y2 ? m.y2.staff : m.inst.staff }));
  rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  rows.forEach((r, i) => (r.index = i));
  return rows;
}

/** The rows of a year's 违规记录 in the order written. */
function rowsOf(p: Plan, year: number): ViolationEvent[] {
  return byHandled(p.events.filter((l) => l.files.includes(year)).map((l) => l.e));
}

/** What a year's run carries in state.json for the next: the bans still running, the blocking violations a term may reach back to. */
interface Carried {
  bans: Ban[];
  violations: ViolationEvent[];
}

/**
 * What the run of a year gives every institution of its roster, worked out from what the
 * files hold as the profile reads them (SPEC §5.3, §5.5) and what last year's run carried:
 * the expectation the tests hold the tool's runs against, and the README's summary.
 */
function expectYear(p: Plan, terms: Terms, year: number, first: number, carried: Carried): { expected: Record<string, LinyiExpectation>; carried: Carried } {
  const sameViolation = (a: ViolationEvent, b: ViolationEvent): boolean => a.code === b.code && a.type === b.type && iso(a.handled) === iso(b.handled) && iso(a.occurred) === iso(b.occurred);
  {
    const asOf = `${year}-12-31`;
    const roster = rosterOf(p, year, first);
    const byCode = new Map(p.members.map((m) => [m.inst.code, m]));
    const rows = rowsOf(p, year);
    const inYear = (e: ViolationEvent): boolean => e.handled.y === year;
    const pointsOf = (e: ViolationEvent): number => (terms.rowPoints && e.points !== undefined ? e.points : (terms.points[e.type] ?? 0));
    const scoreOf = new Map<string, number>();
    for (const r of roster) {
      const base = byCode.get(r.code)?.scores.get(year) ?? 0;
      const deducted = rows.filter((e) => e.code === r.code && inYear(e)).reduce((s, e) => s + Math.round(pointsOf(e) * 100), 0);
      scoreOf.set(r.code, Math.min(10_000, Math.max(0, base * 10 - deducted)));
    }
    const terminated = new Set(rows.filter((e) => inYear(e) && terms.terminating.includes(e.type)).map((e) => e.code));
    // 末位淘汰: the N lowest of each over-quota area, ties at the cut included; one whose agreement ended this year takes no place
    const eliminated = new Set<string>();
    for (const [area, n] of terms.areas) {
      const ranked = roster.filter((r) => byCode.get(r.code)?.area === area && !terminated.has(r.code));
      const inArea = ranked.map((r) => scoreOf.get(r.code) ?? 0);
      for (const r of ranked) {
        const s = scoreOf.get(r.code) ?? 0;
        if (1 + inArea.filter((o) => o < s).length <= n) eliminated.add(r.code);
      }
    }
    // bans: carried, this year's 退出记录, this year's terminations
    const exits = p.exits.get(year) ?? [];
    const bans: Ban[] = [...carried.bans];
    for (const e of exits) {
      const years = terms.banYears[e.type];
      if (years > 0) bans.push({ code: e.code, credit: e.creditCode ?? '', since: iso(e.on), until: addYears(iso(e.on), years) });
    }
    for (const e of rows.filter((x) => inYear(x) && terms.terminating.includes(x.type))) {
      const r = roster.find((x) => x.code === e.code);
      if (r) bans.push({ code: e.code, credit: r.creditCode ?? '', since: iso(e.handled), until: addYears(iso(e.handled), terms.banYears.解除协议) });
    }
    const unique = new Map<string, Ban>();
    for (const b of bans) {
      const key = `${b.code} ${b.since}`;
      const seen = unique.get(key);
      if (!seen || b.until > seen.until) unique.set(key, b);
    }
    const allBans = [...unique.values()];
    // the violations of the blocking types known to this run: carried, then this year's rows not already carried
    const history: ViolationEvent[] = [...carried.violations];
    for (const e of rows) if (terms.blockingTypes.includes(e.type) && iso(e.handled) <= asOf && !history.some((h) => sameViolation(h, e))) history.push(e);

    const expected: Record<string, LinyiExpectation> = {};
    for (const r of roster) {
      if (!byCode.has(r.code)) throw new Error(`${r.code} has no member`);
      const score = scoreOf.get(r.code) ?? 0;
      const lists = ['results'];
      if (terminated.has(r.code)) lists.push('terminated');
      if (eliminated.has(r.code)) lists.push('bottomElimination');
      if (r.category !== 'pharmacy') {
        const beds = r.beds ?? (r.category === 'outpatient' ? 0 : undefined);
        if (beds === undefined || r.staff === undefined || r.staff < requiredStaff(terms.bands, beds)) lists.push('staffingShort');
      }
      let agreementOutcome = '';
      let blocking: string[] = [];
      if (r.agreementEnds.y === year + 1) {
        lists.push('renewal');
        // 协议到期日期 is the last day in force: the term runs from the day after the same date `years` earlier, through it.
        const from = iso(addDays(plusYears(r.agreementEnds, -terms.years), 1));
        const to = iso(r.agreementEnds);
        blocking = history.filter((e) => e.code === r.code && iso(e.handled) >= from && iso(e.handled) <= to).map((e) => iso(e.handled)).sort();
        const notRenewed = score < terms.below * 100 || (terms.whenTerminated && terminated.has(r.code)) || (terms.whenEliminated && eliminated.has(r.code));
        agreementOutcome = notRenewed ? 'notRenewed' : blocking.length > 0 ? 'renew' : 'renewExtended';
      }
      // bans on its code or its legal entity; caught when admitted during one, or (in force) on its entity under another code, or on its own code from before the year
      const credit = r.creditCode ?? '';
      const own = allBans.filter((b) => b.code === r.code || (credit !== '' && b.credit === credit));
      const bannedUntil = own.reduce<string>((a, b) => (b.until > a ? b.until : a), '');
      const admitted = iso(r.admitted);
      const caught = own.some((b) => {
        if (b.since <= admitted && admitted < b.until && admitted <= asOf) return true;
        if (!(b.since <= asOf && asOf < b.until)) return false;
        return b.code === r.code ? b.since < `${year}-01-01` : true;
      });
      if (caught) lists.push('banned');
      expected[r.code] = { score: hundredths(score), lists: lists.sort(), agreementOutcome, blocking, bannedUntil };
    }
    const keepFrom = addYears(asOf, -Math.max(terms.years, terms.extendedYears));
    return { expected, carried: { bans: allBans.filter((b) => b.until > asOf), violations: history.filter((e) => iso(e.handled) >= keepFrom) } };
  }
}

/**
 * Y+1's roster holds the agreements that ended in Y+1 as the office renewed them after the
 * run of Y: for the usual term, or the longer one; one not renewed keeps its end date (the
 * cases not renewed end on 31 December, so Y+1 settles the whole year).
 */
function renewAgreements(p: Plan, expected: Record<string, LinyiExpectation>, terms: Terms, Y: number): void {
  for (const m of p.members) {
    if (!m.years.has(Y) || !m.years.has(Y + 1) || m.inst.agreementEnds.y !== Y + 1) continue;
    const outcome = expected[m.inst.code]?.agreementOutcome;
    if (outcome === 'renew') m.y2.agreementEnds = plusYears(m.inst.agreementEnds, terms.years);
    else if (outcome === 'renewExtended') m.y2.agreementEnds = plusYears(m.inst.agreementEnds, terms.extendedYears);
    else if (m.inst.agreementEnds.m !== 12 || m.inst.agreementEnds.d !== 31) throw new Error(`${m.inst.code}: not renewed, its agreement ends ${iso(m.inst.agreementEnds)}, before the end of ${Y + 1}`);
  }
}

// ───────────────────────────── the scenario ─────────────────────────────

export const linyiScenario: Scenario<LinyiResult> = {
  profile: 'linyi',
  defaultRegion: 'linyi',
  scored: ['inpatient', 'outpatient', 'pharmacy'],
  minInstitutions: 110,
  generate,
};

async function generate(ctx: ScenarioContext): Promise<LinyiResult> {
  const { outDir, seed, institutions: n, year, region } = ctx;
  if (ctx.months !== 12) throw new Error('the linyi sample settles whole years: --months 12');
  const terms = termsOf(region);
  const p = plan(seed, n, year, region, terms);
  const byCode = new Map(p.members.map((m) => [m.inst.code, m]));
  const first = expectYear(p, terms, year, year, { bans: [], violations: [] });
  renewAgreements(p, first.expected, terms, year);
  const expected = { [year]: first.expected, [year + 1]: expectYear(p, terms, year + 1, year, first.carried).expected };
  checkCases(p, expected, terms);
  const files: string[] = [];
  const byYear: Record<number, YearCounts> = {};
  const areas: Record<number, Record<string, number>> = {};

  for (const y of [year, year + 1]) {
    const dir = path.join(outDir, 'inputs', String(y));
    await mkdir(dir, { recursive: true });
    const ySeed = mixSeed(seed, 52, y);
    const roster = rosterOf(p, y, year);
    const f = {
      roster: path.join(dir, '机构名册.xlsx'),
      scores: path.join(dir, '指标得分.csv'),
      settlements: path.join(dir, '月度结算.csv'),
      violations: path.join(dir, '违规记录.xlsx'),
      exits: path.join(dir, '退出记录.csv'),
    };
    await writeRoster(f.roster, ySeed, roster, y, region);
    const scores = await writeScores(f.scores, ySeed, roster, byCode, y, region.indicators, y !== year);
    const settlements = await writeSettlements(f.settlements, ySeed, roster, y, 12, { monthsOf: (inst) => byCode.get(inst.code)?.months.get(y) ?? [1, 12] });
    const rows = rowsOf(p, y);
    await writeViolations(f.violations, ySeed, rows, y);
    const exits = await writeExits(f.exits, ySeed, p.exits.get(y) ?? []);
    files.push(f.roster, f.scores, f.settlements, f.violations, f.exits);
    byYear[y] = { institutions: roster.length, scores, settlements, violations: rows.length, exits };
    const count: Record<string, number> = {};
    for (const r of roster) {
      const area = byCode.get(r.code)?.area ?? r.district.name;
      count[area] = (count[area] ?? 0) + 1;
    }
    areas[y] = count;
  }

  const special: LinyiSpecialCases = { years: [year, year + 1], cases: p.cases, areas };
  const readmeFile = path.join(outDir, 'README.md');
  await writeFile(readmeFile, readme(ctx, terms, p, special, expected, byYear, byCode));
  files.push(readmeFile);
  const total = (k: keyof YearCounts): number => Object.values(byYear).reduce((s, c) => s + c[k], 0);
  return {
    profile: 'linyi',
    files,
    special,
    expected,
    counts: {
      institutions: byYear[year]?.institutions ?? 0,
      scores: total('scores'),
      settlements: total('settlements'),
      violations: total('violations'),
      investigations: 0,
      exits: total('exits'),
      byYear,
    },
  };
}

/** Each case's words against what the files give (the role's list, outcome or ban): a case that says what the data does not hold is a bug here. */
function checkCases(p: Plan, expected: Record<number, Record<string, LinyiExpectation>>, terms: Terms): void {
  const want: Partial<Record<LinyiRole, (x: LinyiExpectation) => boolean>> = {
    eliminated: (x) => x.lists.includes('bottomElimination'),
    eliminatedTied: (x) => x.lists.includes('bottomElimination'),
    eliminatedNotRenewed: (x) => x.lists.includes('bottomElimination') && x.agreementOutcome === 'notRenewed',
    aboveCut: (x) => !x.lists.includes('bottomElimination'),
    plannedElsewhere: (x) => !x.lists.includes('bottomElimination'),
    areaNotNamed: (x) => !x.lists.includes('bottomElimination'),
    staffingMissing: (x) => x.lists.includes('staffingShort'),
    staffRaised: (x) => !x.lists.includes('staffingShort'),
    renewExtended: (x) => x.agreementOutcome === 'renewExtended',
    talkOnly: (x) => x.agreementOutcome === 'renewExtended',
    beforeTerm: (x) => x.agreementOutcome === 'renewExtended',
    carriedBeforeTerm: (x) => x.agreementOutcome === 'renewExtended',
    blockedInTerm: (x) => x.agreementOutcome === 'renew' && x.blocking.length === 1,
    termFirstDay: (x) => x.agreementOutcome === 'renew',
    blockedThisYear: (x) => x.agreementOutcome === 'renew',
    carriedViolation: (x) => x.agreementOutcome === 'renew' && x.blocking.length === 1,
    carriedRepeated: (x) => x.agreementOutcome === 'renew' && x.blocking.length === 1,
    belowLine: (x) => x.agreementOutcome === 'notRenewed' && Number(x.score) < terms.below,
    terminated: (x) => x.lists.includes('terminated') && x.bannedUntil !== '' && !x.lists.includes('banned'),
    codeBack: (x) => x.lists.includes('banned'),
    creditBack: (x) => x.lists.includes('banned'),
    stillBanned: (x) => x.lists.includes('banned'),
    voluntaryBack: (x) => !x.lists.includes('banned') && x.bannedUntil === '',
    voluntaryExit: (x) => !x.lists.includes('banned') && x.bannedUntil === '',
    banEnded: (x) => !x.lists.includes('banned') && x.bannedUntil !== '',
  };
  for (const c of p.cases) {
    const x = expected[c.year]?.[c.code];
    if (!x) throw new Error(`${c.year} ${c.role} ${c.code}: not in the roster of the year`);
    const ok = c.role === 'staffing' || c.role === 'outpatient' ? x.lists.includes('staffingShort') === c.text.includes('配备不足') : (want[c.role]?.(x) ?? true);
    if (!ok) throw new Error(`${c.year} ${c.role} ${c.code}: the files give ${JSON.stringify(x)}, not what the case says`);
  }
}

// ───────────────────────────── files ─────────────────────────────

/** 指标得分.csv: long form (one row per indicator) or wide (one column per indicator, with the name for the reader's eye). */
async function writeScores(
  file: string,
  seed: number,
  roster: Institution[],
  byCode: Map<string, Member>,
  year: number,
  indicatorsOf: Record<Category, Indicator[]>,
  wide: boolean,
): Promise<number> {
  const indicators = indicatorsOf.inpatient;
  const out = new CsvWriter(file, !wide);
  if (wide) await out.row([...headers('scores', ['code']), '机构名称', ...indicators.map((i) => i.code)]);
  else await out.row(headers('scores', ['code', 'indicator', 'score']));
  for (const inst of roster) {
    const rng = new Rng(mixSeed(seed, 4, inst.index));
    const own = indicatorsOf[inst.category];
    const values = allocate(
      rng,
      own.map((i) => i.max * 10),
      byCode.get(inst.code)?.scores.get(year) ?? 0,
    );
    if (wide) await out.row([inst.code, inst.name, ...indicators.map((i) => tenthsText(values[own.findIndex((o) => o.code === i.code)] ?? 0))]);
    else for (let k = 0; k < own.length; k++) await out.row(ordered('scores', { code: inst.code, indicator: own[k]?.code, score: tenthsText(values[k] ?? 0) }, ['code', 'indicator', 'score']));
  }
  await out.close();
  return out.rows - 1;
}


// ───────────────────────────── README ─────────────────────────────

const LIST_TITLES: Record<string, string> = {
  results: '考核结果',
  terminated: '解除协议',
  bottomElimination: '末位淘汰',
  staffingShort: '医保办人员配备不足',
  renewal: '协议续签',
  banned: '禁入期内',
};

function readme(
  ctx: ScenarioContext,
  terms: Terms,
  p: Plan,
  s: LinyiSpecialCases,
  expected: Record<number, Record<string, LinyiExpectation>>,
  byYear: Record<number, YearCounts>,
  byCode: Map<string, Member>,
): string {
  const { region, seed, year: Y, institutions: n } = ctx;
  const Y2 = Y + 1;
  const c = (y: number): YearCounts => byYear[y] ?? { institutions: 0, scores: 0, settlements: 0, violations: 0, exits: 0 };
  const name = (code: string): string => byCode.get(code)?.inst.name ?? '';
  const line = (k: LinyiCase): string => `- ${k.code} ${name(k.code)}：${k.text}`;
  // in the order the cases were made (area by area, rank by rank; edge by edge)
  const section = (y: number, roles: LinyiRole[]): string[] => s.cases.filter((k) => k.year === y && roles.includes(k.role)).map(line);
  const percent = `${Math.round(terms.rate * 1000) / 10}%`;
  const expectedOf = (y: number): [string, LinyiExpectation][] => Object.entries(expected[y] ?? {});
  const onList = (y: number, list: string): string[] => expectedOf(y).filter(([, x]) => x.lists.includes(list)).map(([code]) => code);
  const caseCodes = (y: number): Set<string> => new Set(s.cases.filter((k) => k.year === y).map((k) => k.code));
  const published = (list: string): string => (terms.published.includes(list) ? '' : '（不公示）');
  /** What the run of a year shows, list by list. */
  const ran = (y: number): string[] => {
    const outcomes = (o: string): string[] => expectedOf(y).filter(([, x]) => x.agreementOutcome === o).map(([code]) => code);
    const byArea = terms.areas.map(([area]) => `${area} ${onList(y, 'bottomElimination').filter((code) => byCode.get(code)?.area === area).length} 家`).join('、');
    return [
      `运行结果：${y} 年度机构 ${c(y).institutions} 家全部评分（本政策没有待定、评定不合格状态）；`,
      `- ${LIST_TITLES.bottomElimination}：${onList(y, 'bottomElimination').length} 家（${byArea}）：${onList(y, 'bottomElimination').join('、')}`,
      `- ${LIST_TITLES.staffingShort}${published('staffingShort')}：${onList(y, 'staffingShort').length} 家：${onList(y, 'staffingShort').join('、')}`,
      `- ${LIST_TITLES.renewal}：${onList(y, 'renewal').length} 家协议 ${y + 1} 年到期——延长续签 ${outcomes('renewExtended').length} 家、续签 ${outcomes('renew').length} 家、不予续签 ${outcomes('notRenewed').length} 家（${outcomes('notRenewed').join('、')}）`,
      `- ${LIST_TITLES.terminated}：${onList(y, 'terminated').join('、') || '无'}`,
      `- ${LIST_TITLES.banned}：${onList(y, 'banned').join('、') || '无'}`,
      `- 得分低于${terms.below}分（等级不合格，质量保证金不予返还）：${expectedOf(y).filter(([, x]) => Number(x.score) < terms.below).map(([code, x]) => `${code}（${x.score}）`).join('、') || '无'}`,
    ];
  };
  /** Agreements ending next year that are not cases: renewed for longer, or renewed because of a violation of the year (listed with it). */
  const otherRenewals = (y: number): string[] => {
    const cs = caseCodes(y);
    const rows = p.events.map((l) => l.e);
    const rest = expectedOf(y).filter(([code, x]) => x.agreementOutcome !== '' && !cs.has(code));
    const extended = rest.filter(([, x]) => x.agreementOutcome === 'renewExtended').map(([code]) => code);
    const renew = rest
      .filter(([, x]) => x.agreementOutcome === 'renew')
      .map(([code, x]) => {
        const why = rows.filter((e) => e.code === code && x.blocking.includes(iso(e.handled))).map((e) => `${iso(e.handled)} ${e.type}${e.handled.y < y ? '，state.json 结转' : ''}`);
        return `${code}（${why.join('、')}）`;
      });
    const renewed = renew.length > 0 ? `；协议期内有违规、按期续签 ${renew.length} 家：${renew.join('、')}` : '';
    return [`- 其余协议 ${y + 1} 年到期的 ${rest.length} 家：协议期内没有违规、延长续签 ${extended.length} 家${renewed}`];
  };
  const areaLines = (y: number): string => {
    const count = s.areas[y] ?? {};
    return Object.entries(count)
      .sort((a, b) => b[1] - a[1])
      .map(([area, k]) => `${area} ${k}`)
      .join('、');
  };
  const zones = (region.planningAreas ?? []).map(
    (a) =>
      `${a.name}（${Object.entries(a.places)
        .map(([district, places]) => `${district}${places.map((x) => `${x}${region.districts.find((dd) => dd.name === district)?.towns?.includes(x) ? '镇' : '街道'}`).join('、')}`)
        .join('，')}）`,
  );
  const blacklistedLines = (): string[] =>
    (p.exits.get(Y) ?? [])
      .filter((e) => e.type === '列入失信黑名单' && e.on.y === Y - 1)
      .map((e) => `- ${e.code} ${e.name}（不在名册中）：${iso(e.on)}列入失信黑名单退出（${Y} 年退出记录），禁入至 ${addYears(iso(e.on), terms.banYears.列入失信黑名单)}；由 ${Y} 年度运行记入 state.json，${Y2} 年其法人以新编码纳入时识别（见下）`);
  const blank = (y: number): number => p.members.filter((m) => m.years.has(y) && m.inst.planningArea === undefined).length;
  const bandText = terms.bands.map((b, i) => (b.maxBeds === undefined ? `${(terms.bands[i - 1]?.maxBeds ?? 0) + 1} 张以上不少于 ${b.min} 人` : `${i === 0 ? '' : `${(terms.bands[i - 1]?.maxBeds ?? 0) + 1}–`}${b.maxBeds} 张${i === 0 ? '及以下' : ''}不少于 ${b.min} 人`)).join('，');
  return [
    ...readmeHead(region, seed, Y, n),
    `两个连续年度：${Y} 年度和 ${Y2} 年度（${terms.document}）。先运行 ${Y} 年度，再运行 ${Y2} 年度：${Y2} 年度读取 \`results/${Y}/state.json\` 结转的协议期内违规（agreementTerm）和禁入期（bans）。`,
    '',
    '```sh',
    `npx assess validate year ${Y} -w samples/linyi`,
    `npx assess year ${Y} -w samples/linyi`,
    `npx assess year ${Y2} -w samples/linyi`,
    `npx assess explain year ${Y} <机构编码> -w samples/linyi   # 某家机构的得分、末位淘汰、医保办配备、协议续签、禁入，逐步说明`,
    '```',
    '',
    `运行后看 \`results/<年度>/institutions.csv\`（每家机构一行）：score、lists（所在名单：bottomElimination 末位淘汰、renewal 协议续签、terminated 解除协议、banned 禁入期内；results 考核结果）、agreement_outcome（renew 续签 / renewExtended 延长续签 / notRenewed 不予续签；协议不在下一年度到期的为空）、banned_until（禁入至）；公示名单在 \`公示名单-<年度>.xlsx\` 和 \`公示名单-<年度>-*.csv\`。医保办人员配备不足名单（staffingShort）政策不公示，不在 lists 列和公示名单中：用 \`explain\` 查看某家机构的“医保办人员配备”一步（如 \`npx assess explain year ${Y} ${s.cases.find((k) => k.role === 'staffingMissing')?.code ?? '<机构编码>'} -w samples/linyi\`）；下面各年度的“运行结果”列出了配备不足的全部机构。`,
    '',
    '## 规则（policy.yaml 的 sanctions）',
    '',
    `- 末位淘汰：政策点名的严重超额规划区域 ${terms.areas.map(([a, k]) => `${a}（末位 ${k} 家）`).join('、')}，各列入得分最低的 N 家，与第 N 名同分的都列入；规划区域按机构名册「规划区域」列，空白时按「所属区县」`,
    `- 医保办人员：${bandText}；床位数或医保办人数空白的，无法核对，列入配备不足名单；无住院服务、床位数空白的按 0 张`,
    `- 协议续签：协议在下一年度到期的（${Y} 年度：${Y + 1} 年到期；${Y2} 年度：${Y2 + 1} 年到期），协议期（到期日往前 ${terms.years} 年）内没有${terms.blockingTypes.join('、')}的延长续签 ${terms.extendedYears} 年，有的按期续签 ${terms.years} 年；得分低于${terms.below}分、本年度解除协议、列入末位淘汰的不予续签`,
    `- 禁入：解除协议、提供虚假材料、列入失信黑名单的 ${terms.banYears.解除协议} 年内不受理定点申请，按机构编码和统一社会信用代码识别；主动退出不禁入`,
    `- 扣分（假设）：${Object.entries(terms.points).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v} 分`).join('、')}，处理类型「扣分」按该行「扣分」列的分值；按处理日期计入年度（以前年度处理的不再扣分）`,
    `- 质量保证金（假设）：按月度结算金额的 ${percent} 预留，得分 ${terms.below} 分及以上全额返还，低于 ${terms.below} 分不予返还`,
    terms.pending
      ? '- 待定：立案调查未结案的机构不评分'
      : `- 没有待定状态：本政策（policy.yaml 的 statuses）没有 \`pending\`，文件没有说立案调查会推迟考核，所以立案调查中的机构照常评分、照常参加末位淘汰排名。本样例因此不放立案调查（没有 \`立案调查.csv\`），也就没有“调查中、不参加排名”的机构；这一情形见 \`test/cases/linyi/bottom-elimination.yaml\`（在那里的政策中加上了 \`statuses.pending\`）`,
    '',
    '## 文件',
    '',
    `- \`policy.yaml\`：${region.readme.policy}（templates/policies/${region.profile}.yaml 的副本，未改动）`,
    ...[Y, Y2].flatMap((y) => [
      `- \`inputs/${y}/机构名册.xlsx\`：${c(y).institutions} 家（医疗机构与零售药店，${region.city.name} ${region.districts.length} 个县区；规划区域 ${blank(y)} 家空白）${y === Y2 ? `；协议到期日期为续签后的新日期，医保办人数按 ${Y2} 年` : ''}`,
      `- \`inputs/${y}/指标得分.csv\`：${c(y).scores} 行（${y === Y ? '长表，UTF-8 带 BOM' : '宽表：每个指标编码一列，UTF-8 无 BOM'}，${region.indicators.inpatient.map((i) => `${i.code} ${i.max} 分`).join('、')}）`,
      `- \`inputs/${y}/月度结算.csv\`：${c(y).settlements} 行（预留保证金不填，按政策比例 ${percent} 计算；年内纳入或退出的机构只有在定点期间的月份）`,
      `- \`inputs/${y}/违规记录.xlsx\`：${c(y).violations} 条${y === Y ? `（${Y} 年处理的记录，另有 ${Y - 2}、${Y - 1} 年处理的协议期内记录：首年运行，没有上年度 state.json，协议期内较早的违规从这里读入；这些不计入 ${Y} 年扣分）` : `（${Y2} 年处理的记录，另有一条 ${Y} 年的记录重复录入；${Y} 年及以前的违规由 state.json 结转）`}`,
      `- \`inputs/${y}/退出记录.csv\`：${c(y).exits} 条${y === Y ? `（含 ${Y - 4}–${Y - 1} 年的退出：首年运行，以前的禁入期从这里读入）` : `（${Y2} 年的退出；${Y} 年的禁入期由 state.json 结转）`}`,
    ]),
    '',
    '## 规划区域',
    '',
    `各规划区域的机构数（规划区域空白的按所属区县计）：${Y} 年 ${areaLines(Y)}；${Y2} 年 ${areaLines(Y2)}。`,
    '',
    `开发区单独规划：${zones.join('；')}。这些机构的所属区县和机构编码仍是原县区的，规划区域是开发区。`,
    '',
    `## ${Y} 年度特殊情形`,
    '',
    '末位淘汰：',
    '',
    ...section(Y, ['eliminated', 'eliminatedTied', 'eliminatedNotRenewed', 'aboveCut', 'plannedElsewhere', 'areaNotNamed']),
    '',
    '医保办人员配备（按床位数分档的边界，少 1 人和恰好够数）：',
    '',
    ...section(Y, ['staffing', 'staffingMissing', 'outpatient']),
    '',
    `协议续签（协议 ${Y + 1} 年到期）：`,
    '',
    ...section(Y, ['renewExtended', 'talkOnly', 'blockedInTerm', 'beforeTerm', 'termFirstDay', 'blockedThisYear', 'belowLine', 'terminated']),
    ...otherRenewals(Y),
    `- 其余机构的协议在 ${Y + 2}、${Y + 3} 年到期，不在本年度续签名单中（agreement_outcome 为空）`,
    '',
    '退出与禁入：',
    '',
    ...section(Y, ['codeBack', 'creditBack', 'voluntaryBack', 'voluntaryExit', 'banEnded']),
    ...blacklistedLines(),
    '',
    ...ran(Y),
    '',
    `## ${Y2} 年度特殊情形`,
    '',
    `协议续签（协议 ${Y2 + 1} 年到期），${Y} 年及以前的违规来自 \`results/${Y}/state.json\`（explain 中注明出自 inputs/${Y}/违规记录.xlsx 的第几行）：`,
    '',
    ...section(Y2, ['carriedViolation', 'carriedRepeated', 'carriedBeforeTerm', 'blockedThisYear', 'renewExtended', 'belowLine']),
    ...otherRenewals(Y2),
    '',
    `末位淘汰（${Y2} 年得分）：`,
    '',
    ...section(Y2, ['eliminated', 'aboveCut']),
    '',
    '禁入（state.json 结转）、退出、医保办人员：',
    '',
    ...section(Y2, ['creditBack', 'stillBanned', 'voluntaryExit', 'terminated', 'staffRaised']),
    '',
    ...ran(Y2),
    '',
  ].join('\n');
}
