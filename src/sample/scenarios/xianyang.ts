// The Xianyang scenario (profile xianyang: settlement tiers A–D of clinics below 一级 and
// pharmacies, downgrade triggers, promotion waits, the annual score's line with deadlines on
// the official calendar, exits and bans). Unlike the other scenarios it writes TWO
// consecutive years, Y and Y+1, so that a run of Y+1 reads what the run of Y carried in
// results/Y/state.json (tiers and their start, extended waits, bans):
//
//   inputs/Y/    机构名册.xlsx, 指标得分.csv (long form), 月度结算.csv, 违规记录.xlsx, 退出记录.csv
//   inputs/Y+1/  the same; 指标得分.csv in the wide form (one column per indicator)
//
// Who is who (every case the README lists):
// - Y's roster: clinics (诊所, 门诊部, 社区卫生服务站) and pharmacies in scope, most with the
//   roster's 结算等级 and 等级起始日期, some without (the transition rule sets them: special
//   drugs, or by the date admitted, one of each band at least); a 二级 hospital, a 一级 镇卫生院
//   and two 村卫生室 out of scope (settlements, no scores).
// - Violations handled in Y and in Y+1 that fire every trigger of the profile, at A (a longer
//   wait), twice at a non-A tier (handled under the agreement), one 约谈 alone (nothing),
//   行政处罚 (blocks promotion), a violation of Y-1 (before the window) and one that occurred
//   in Y and was handled in Y+1 (counts in Y+1).
// - Scores: a few below the line in Y only (one exactly on it); none below it in Y+1, whose
//   deadline would fall in a year the bundled calendar does not cover.
// - Exits: a voluntary exit and a termination in Y, absent from Y+1; a termination in Y+1;
//   the same legal entity back under a new code in Y+1 (caught by 统一社会信用代码), an
//   institution back under its own code during its ban (in Y from an older exit, and in Y+1);
//   an entity back after its ban ended (not caught).
// Y+1's roster gives 结算等级 only where something changed (a promotion the office approved,
// new admissions): the others' tiers come from results/Y/state.json. Y+1's 违规记录 holds
// every handling record since Y for the institutions still designated: promotion looks at
// the whole period at the tier (第六至八条), which spans the two years.

import path from 'node:path';
import { mkdir, writeFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { Category, District, Indicator, SampleRegion } from '../region.js';
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
import { addDays, dateText, dayNumber, lastDayOfMonth, randomDate, tenthsText, ymd, type Ymd } from '../values.js';
import { loadCalendar } from '../../io/calendar.js';
import { addCalendarDays, addWorkingDays, addYears, isWorkingDay } from '../../rules/calendar.js';

export type Tier = 'A' | 'B' | 'C' | 'D';
const TIERS: readonly Tier[] = ['A', 'B', 'C', 'D'];
const isTier = (t: unknown): t is Tier => typeof t === 'string' && (TIERS as readonly string[]).includes(t);
const lower = (t: Tier): Tier | null => TIERS[TIERS.indexOf(t) - 1] ?? null;

/** The special cases, by a stable id; the README says what each shows. */
export type XianyangRole =
  | 'talkTwice' // (一) two 约谈 under the agreement
  | 'talk38' // (二) one 约谈 under 条例第三十八条
  | 'talk39' // (二) one 约谈 under 条例第三十九条
  | 'suspended' // (二) 暂停结算
  | 'refused' // (二) 不予支付
  | 'fine38' // (三) 罚款 under 条例第三十八条
  | 'fine39' // (三) 罚款 under 条例第三十九条
  | 'halted' // (三) 中止医保服务
  | 'terminated' // (四) 解除协议
  | 'atA' // a trigger at A: the promotion wait is extended
  | 'repeat' // a non-A institution with two triggers: handled under the agreement
  | 'oneTalk' // one 约谈 under the agreement alone: no trigger
  | 'adminPenalty' // 行政处罚: no trigger, blocks promotion
  | 'beforeWindow' // a violation handled before the window: not counted
  | 'lateHandled' // occurred in Y, handled in Y+1: counts in Y+1
  | 'notYet' // admitted in the year: not a year at its tier yet
  | 'promoted' // eligible in Y, promoted by the office in Y+1 (the roster's tier)
  | 'carriedDowngrade' // downgraded in Y: in Y+1 its tier and the wait after a downgrade come from state
  | 'carriedWait' // the wait extended in Y still runs in Y+1
  | 'carriedBlock' // a blocking violation of Y still blocks in Y+1 (the period at the tier)
  | 'belowLine' // annual score below the line: 解除定点资质
  | 'onLine' // exactly on the line: not below it
  | 'voluntaryExit' // 主动退出 (退出记录)
  | 'creditReadmit' // a new code, the credit code of an institution terminated in Y
  | 'codeReadmit' // the same code back during its ban
  | 'afterBan' // an entity back (new code, same credit code) after its ban ended: not caught
  | 'transition' // no 结算等级 in the roster: 第十七条 sets it
  | 'newAdmission'; // admitted in Y+1

export interface XianyangCase {
  /** The run that shows it. */
  year: number;
  role: XianyangRole;
  code: string;
  /** The tier before the year as the run finds it; null out of the tiers. */
  tierBefore: Tier | null;
  /** What the run shows, in words an officer reads (the README's line). */
  text: string;
}

export interface XianyangSpecialCases {
  years: [number, number];
  /** --notified-on of the run of Y: the 15 working days run across the National Day holiday of Y+1. */
  notifiedOn: string;
  deregister: { startBy: string; deregisterBy: string; clearingBy: string; bannedUntil: string };
  /** Roster rows outside the scheme (第二条): a 二级 and a 一级 hospital, two 村卫生室. */
  outOfScope: string[];
  /** Institutions of Y's roster without 结算等级, by the tier the transition rule gives them. */
  transition: Record<Tier, string[]>;
  cases: XianyangCase[];
}

interface YearCounts {
  institutions: number;
  inScope: number;
  scores: number;
  settlements: number;
  violations: number;
  exits: number;
}

export interface XianyangResult {
  profile: 'xianyang';
  files: string[];
  special: XianyangSpecialCases;
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

interface Terms {
  /** The document's display title (documents:), for the README. */
  document: string;
  effectiveFrom: Ymd;
  specialDrugTier: Tier;
  /** 第十七条: tiers by the date admitted, in order; the last has no end. */
  bands: { until: Ymd | undefined; tier: Tier }[];
  minYearsAtTier: number;
  atLowestExtendYears: number;
  below: number;
  startWorkingDays: number;
  deregisterDays: number;
  clearingWorkingDays: number;
  terminatedYears: number;
  voluntaryYears: number;
  rate: number;
}

const fromIso = (s: string): Ymd => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a date: ${s}`);
  return ymd(Number(m[1]), Number(m[2]), Number(m[3]));
};
const iso = (x: Ymd): string => dateText(x, 'iso');
const later = (a: Ymd, b: Ymd): Ymd => (dayNumber(a) >= dayNumber(b) ? a : b);

function termsOf(region: SampleRegion): Terms {
  const fail = (what: string): never => {
    throw new Error(`templates/policies/${region.profile}.yaml: the xianyang sample needs ${what}`);
  };
  const raw = parse(region.policyBytes.toString('utf8')) as Record<string, unknown>;
  const obj = (v: unknown, what: string): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : fail(what));
  const num = (v: unknown, what: string): number => (typeof v === 'number' ? v : fail(what));
  const date = (v: unknown, what: string): Ymd => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? fromIso(v) : fail(what));
  const tier = (v: unknown, what: string): Tier => (isTier(v) ? v : fail(what));

  const tiers = obj(raw.tiers, 'tiers');
  const initial = obj(tiers.initial, 'tiers.initial');
  const byAdmission = Array.isArray(initial.byAdmission) ? initial.byAdmission : fail('tiers.initial.byAdmission');
  const bands = byAdmission.map((b, i) => {
    const band = obj(b, `tiers.initial.byAdmission.${i}`);
    return { until: band.until === undefined ? undefined : date(band.until, `tiers.initial.byAdmission.${i}.until`), tier: tier(band.tier, `tiers.initial.byAdmission.${i}.tier`) };
  });
  if (bands.length === 0 || bands[bands.length - 1]?.until !== undefined) fail('tiers.initial.byAdmission ending with an open band');
  const promotion = obj(tiers.promotion, 'tiers.promotion');
  const downgrades = obj(tiers.downgrades, 'tiers.downgrades');
  const sanctions = obj(raw.sanctions, 'sanctions');
  const low = obj(sanctions.annualLowTerminate, 'sanctions.annualLowTerminate');
  const bans = obj(sanctions.bans, 'sanctions.bans');
  const documents = obj(raw.documents, 'documents');
  const seed = typeof raw.seed === 'string' ? raw.seed : fail('seed');
  const title = documents[seed];
  return {
    document: typeof title === 'string' ? title : fail(`documents.${seed}`),
    effectiveFrom: date(tiers.effectiveFrom, 'tiers.effectiveFrom'),
    specialDrugTier: tier(initial.specialDrug, 'tiers.initial.specialDrug'),
    bands,
    minYearsAtTier: num(promotion.minYearsAtTier, 'tiers.promotion.minYearsAtTier'),
    atLowestExtendYears: num(downgrades.atLowestExtendYears, 'tiers.downgrades.atLowestExtendYears'),
    below: num(low.below, 'sanctions.annualLowTerminate.below'),
    startWorkingDays: num(low.startWithinWorkingDays, 'sanctions.annualLowTerminate.startWithinWorkingDays'),
    deregisterDays: num(low.deregisterWithinDays, 'sanctions.annualLowTerminate.deregisterWithinDays'),
    clearingWorkingDays: num(low.clearingWithinWorkingDays, 'sanctions.annualLowTerminate.clearingWithinWorkingDays'),
    terminatedYears: num(bans.terminatedYears, 'sanctions.bans.terminatedYears'),
    voluntaryYears: num(bans.voluntaryYears, 'sanctions.bans.voluntaryYears'),
    rate: num(obj(raw.deposit, 'deposit').rate, 'deposit.rate'),
  };
}

interface Deadline {
  notifiedOn: string;
  startBy: string;
  deregisterBy: string;
  clearingBy: string;
}

/**
 * The day the department's 通报 of Y's scores reached the agency (--notified-on of the run
 * of Y): the sixth working day before 1 October of Y+1, so that the 15 working days to start
 * 解除定点资质 run across the National Day holiday (and its make-up working days) on the
 * official calendar. A year no calendar covers is refused: the deadline is never guessed.
 */
async function notifiedOnFor(outDir: string, year: number, terms: Terms): Promise<Deadline> {
  const loaded = await loadCalendar(outDir);
  if (!loaded.ok) throw new Error(`the working-day calendar cannot be read: ${loaded.problems.map((p) => p.message).join('; ')}`);
  const calendar = loaded.calendar;
  const next = year + 1;
  if (!calendar.years.has(next)) throw new Error(`the xianyang sample of ${year} needs the official working-day calendar of ${next} (its National Day holiday), which neither the bundled calendar nor calendar.yaml covers`);
  const nationalDay = `${next}-10-01`;
  if (isWorkingDay(calendar, nationalDay)) throw new Error(`${nationalDay} is a working day in the calendar: no National Day holiday to straddle`);
  let d = nationalDay;
  for (let counted = 0; counted < 6; ) {
    d = iso(addDays(fromIso(d), -1));
    if (isWorkingDay(calendar, d)) counted += 1;
  }
  const startBy = addWorkingDays(calendar, d, terms.startWorkingDays);
  if (startBy <= `${next}-10-07`) throw new Error(`the deadline ${startBy} does not straddle the National Day holiday of ${next}`);
  return {
    notifiedOn: d,
    startBy,
    deregisterBy: addCalendarDays(startBy, terms.deregisterDays),
    clearingBy: addWorkingDays(calendar, startBy, terms.clearingWorkingDays),
  };
}

// ───────────────────────────── names ─────────────────────────────

type Kind = 'clinic' | 'pharmacy' | 'hospital' | 'village';

const COMMUNITIES = ['东风', '胜利', '建设', '朝阳', '团结', '幸福', '和平', '光明', '新华', '育才', '世纪', '锦绣', '康乐', '兴业'];
const VILLAGES = ['东关', '西街', '南庄', '北堡', '王家', '李家', '张家', '新庄', '油坊', '河湾', '马家', '杨家', '刘家', '上店', '下寨'];
const CLINIC_WORDS = [...CLINIC_SPECIALTIES, '儿科', '针灸推拿', '皮肤科'];

function candidateName(rng: Rng, region: SampleRegion, kind: Kind, level: string, d: District): string {
  const { name: city, short } = region.city;
  const street = rng.pick(d.streets);
  const streetWord = region.streetSuffix ?? '街';
  const town = d.towns ? rng.pick(d.towns) : undefined;
  const person = (): string => `${rng.pick(SURNAMES)}${rng.pick(GIVEN_NAMES)}`;
  switch (kind) {
    case 'clinic':
      return rng.weighted([
        [() => `${d.name}${person()}${rng.pick(CLINIC_WORDS)}诊所`, 4],
        [() => (town ? `${d.name}${town}镇${person()}诊所` : `${d.name}${street}${streetWord}${person()}诊所`), 2],
        [() => `${short}${rng.pick(HOSPITAL_BRANDS)}${rng.pick(CLINIC_WORDS)}诊所`, 1],
        [() => `${short}${rng.pick(HOSPITAL_BRANDS)}${rng.pick(OUTPATIENT_SPECIALTIES)}门诊部`, 2],
        [() => `${d.name}${street}${streetWord}${rng.pick(COMMUNITIES)}社区卫生服务站`, d.urban ? 2 : 1],
      ] as const)();
    case 'pharmacy': {
      const place = town && rng.chance(0.35) ? town : street;
      const chain = rng.pick(region.pharmacyChains);
      return rng.weighted([
        [() => `${short}${chain}大药房（连锁）有限公司${place}${rng.pick(STORE_SUFFIXES)}`, 5],
        [() => `${short}${chain}医药连锁有限公司${place}店`, 3],
        [() => `${d.name}${chain}大药房`, 1],
        [() => `${d.name}${place}${chain}药店`, 1],
      ] as const)();
    }
    case 'hospital':
      // a 一级 hospital in a town is its 镇卫生院; the others private hospitals
      return town && level === '一级' ? `${d.name}${town}镇卫生院` : `${short}${rng.pick(HOSPITAL_BRANDS)}${rng.pick(INPATIENT_SPECIALTIES)}医院`;
    case 'village':
      return town ? `${d.name}${town}镇${rng.pick(VILLAGES)}村卫生室` : `${city}${d.name}${street}${streetWord}${rng.pick(VILLAGES)}村卫生室`;
  }
}

/** 医院等级 of a clinic as rosters hold it: mostly blank, 门诊部 often 未定级. */
function clinicLevel(rng: Rng, name: string): string {
  if (name.endsWith('门诊部')) return rng.weighted([['未定级', 3], ['', 1]] as const);
  if (name.endsWith('社区卫生服务站')) return rng.weighted([['', 2], ['一级以下', 1]] as const);
  return rng.weighted([['', 8], ['未定级', 1], ['一级以下', 1]] as const);
}

/** Typical monthly settlement in yuan, drawn with one number. */
function monthlyYuan(rng: Rng, kind: Kind, name: string, level: string): number {
  switch (kind) {
    case 'clinic':
      if (name.endsWith('门诊部')) return logUniform(rng, 30_000, 200_000);
      if (name.endsWith('社区卫生服务站')) return logUniform(rng, 10_000, 60_000);
      return logUniform(rng, 5_000, 60_000);
    case 'pharmacy':
      return logUniform(rng, 20_000, 250_000);
    case 'hospital':
      return level === '二级' ? logUniform(rng, 1_500_000, 4_000_000) : logUniform(rng, 150_000, 500_000);
    case 'village':
      return logUniform(rng, 2_000, 12_000);
  }
}

// ───────────────────────────── the plan ─────────────────────────────

interface Member {
  /** The institution as Y's roster holds it (or Y+1's, for one admitted in Y+1). */
  inst: Institution;
  kind: Kind;
  inScope: boolean;
  /** The tier before Y as the run of Y finds it (roster or transition); undefined out of scope or not in Y. */
  tier?: Tier;
  via?: 'roster' | 'transition';
  since?: Ymd;
  roles: XianyangRole[];
  inY: boolean;
  inY2: boolean;
  /** Y+1's roster: 结算等级, 等级起始日期 and 纳入定点日期 where they differ from Y's (promotion, re-admission). */
  y2?: { tier?: Tier; since?: Ymd; admitted?: Ymd };
  /** Months settled, by year (first, last); absent: 1..12 in a roster of that year. */
  months: Map<number, readonly [number, number]>;
  /** Σ of the indicator scores in tenths, by year. */
  scores: Map<number, number>;
}


interface Plan {
  members: Member[];
  /** Every handling event, whatever year it was handled in. */
  events: ViolationEvent[];
  exits: Map<number, ExitRow[]>;
  special: XianyangSpecialCases;
}

/** Out-of-scope rows: a 二级 hospital, a 一级 镇卫生院, two 村卫生室 (blank and 未定级). */
const OUT_OF_SCOPE: readonly { kind: Kind; level: string }[] = [
  { kind: 'hospital', level: '二级' },
  { kind: 'hospital', level: '一级' },
  { kind: 'village', level: '' },
  { kind: 'village', level: '未定级' },
];

const CLINIC_NOTES: Record<string, string[]> = {
  约谈: ['未按规定上传结算数据', '医保医师管理不到位', '处方与结算记录不符', '门诊日志登记不全'],
  暂停结算: ['串换诊疗项目收费', '超标准收费', '虚记诊疗次数'],
  不予支付: ['重复收费', '超限定范围用药', '串换药品', '无处方结算药品'],
  罚款: ['虚构医疗服务', '伪造门诊处方', '诱导参保人虚假就诊'],
  中止医保服务: ['无正当理由拒绝为参保人结算', '拒不整改检查发现的问题'],
  解除协议: ['为非定点机构提供刷卡结算', '以骗取医保基金为目的虚构诊疗'],
  行政处罚: ['卫生健康部门行政处罚', '市场监管部门行政处罚'],
};

function plan(seed: number, n: number, year: number, region: SampleRegion, terms: Terms, deadline: Deadline): Plan {
  const rng = new Rng(mixSeed(seed, 21));
  const Y = year;
  const Y2 = year + 1;
  const lastBefore = ymd(Y - 1, 12, 31);
  const effective = terms.effectiveFrom;

  // ── codes, names and credit codes of everyone, both years ──
  const serials = new Map<string, number>();
  const names = new Set<string>();
  const credits = new Set<string>();
  const districtWeights = region.districts.map((d) => [d, d.weight] as const);
  const withTowns = region.districts.filter((d) => d.towns !== undefined);
  const make = (kind: Kind, opts: { district?: District; level?: string; credit?: boolean | string } = {}): Member => {
    const district = opts.district ?? (kind === 'village' || (kind === 'hospital' && opts.level === '一级') ? rng.pick(withTowns.length > 0 ? withTowns : region.districts) : rng.weighted(districtWeights));
    const prefix = kind === 'pharmacy' ? 'P' : 'H';
    const key = prefix + district.code;
    const serial = (serials.get(key) ?? 0) + 1;
    serials.set(key, serial);
    let name = candidateName(rng, region, kind, opts.level ?? '', district);
    for (let tries = 0; names.has(name) && tries < 20; tries++) name = candidateName(rng, region, kind, opts.level ?? '', district);
    for (let k = 2; names.has(name); k++) name = name.endsWith('店') ? name.replace(/(一店|二店|分店|店)$/, `第${k}分店`) : `${name.replace(/（\d+部）$/, '')}（${k}部）`;
    names.add(name);
    const level = opts.level ?? (kind === 'clinic' ? clinicLevel(rng, name) : '');
    const category: Category = kind === 'pharmacy' ? 'pharmacy' : kind === 'hospital' ? 'inpatient' : 'outpatient';
    const creditCode =
      typeof opts.credit === 'string' ? opts.credit : opts.credit === true || rng.chance(0.85) ? uniqueCreditCode(rng, region, credits, category, name, district) : undefined;
    const beds = kind === 'hospital' ? (level === '二级' ? rng.int(15, 40) * 10 : rng.int(20, 60)) : undefined;
    const inst: Institution = {
      index: 0,
      code: `${key}${String(serial).padStart(5, '0')}`,
      name,
      category,
      district,
      level,
      beds,
      staff: kind === 'hospital' ? rng.int(3, 6) : kind === 'pharmacy' ? rng.int(1, 2) : 1,
      specialDrug: false,
      admitted: randomDate(rng, ymd(2008, 1, 1), lastBefore),
      agreementEnds: lastDayOfMonth(Y + rng.int(1, 3), rng.pick([6, 12])),
      creditCode,
      priorHundredths: undefined,
      baseTenths: 0,
      monthlyFen: Math.round(monthlyYuan(rng, kind, name, level) * 100),
      fillsReserved: false,
      special: false,
    };
    return { inst, kind, inScope: kind === 'clinic' || kind === 'pharmacy', roles: [], inY: true, inY2: true, months: new Map(), scores: new Map() };
  };

  const members: Member[] = [];
  for (const o of OUT_OF_SCOPE) members.push(make(o.kind, { level: o.level }));
  const nIn = n - OUT_OF_SCOPE.length;
  const nClinic = Math.round(nIn * 0.42);
  const kinds = rng.shuffle([...Array<Kind>(nClinic).fill('clinic'), ...Array<Kind>(nIn - nClinic).fill('pharmacy')]);
  for (const kind of kinds) members.push(make(kind));
  const inScope = members.filter((m) => m.inScope);

  // ── tiers as Y's roster holds them (or leaves to the transition rule) ──
  const bandRange = (tier: Tier): [Ymd, Ymd] => {
    let from = ymd(2008, 1, 1);
    for (const b of terms.bands) {
      const to = b.until ?? lastBefore;
      if (b.tier === tier) return [from, to];
      from = addDays(to, 1);
    }
    throw new Error(`no admission band gives tier ${tier}`);
  };
  const setTier = (m: Member, tier: Tier, via: 'roster' | 'transition', admitted?: Ymd): void => {
    const inst = m.inst;
    inst.specialDrug = tier === terms.specialDrugTier && admitted === undefined;
    if (inst.specialDrug) {
      inst.admitted = randomDate(rng, ymd(2008, 1, 1), lastBefore);
      m.since = via === 'roster' ? randomDate(rng, later(inst.admitted, ymd(2021, 1, 1)), lastBefore) : later(inst.admitted, effective);
    } else {
      const [from, to] = bandRange(tier);
      inst.admitted = admitted ?? randomDate(rng, from, to);
      m.since = via === 'roster' ? inst.admitted : later(inst.admitted, effective);
    }
    m.tier = tier;
    m.via = via;
    if (via === 'roster') {
      inst.tier = tier;
      inst.tierSince = m.since;
    } else {
      inst.tier = undefined;
      inst.tierSince = undefined;
    }
    if (inst.admitted.y === Y) m.months.set(Y, [inst.admitted.m, 12]);
  };
  /** The tier of an institution admitted now (第五条: A; the transition rule's last band). */
  const newTier: Tier = terms.bands[terms.bands.length - 1]?.tier ?? 'A';
  /** Admitted in Y: the new tier from the day admitted. */
  const admittedInY = (m: Member, from: Ymd, to: Ymd): void => setTier(m, newTier, 'roster', randomDate(rng, from, to));

  // ── the special cases ──
  const pool = rng.shuffle([...inScope]);
  const take = (kind: 'clinic' | 'pharmacy'): Member => {
    let i = -1;
    for (let k = pool.length - 1; k >= 0; k--) {
      if (pool[k]?.kind === kind) {
        i = k;
        break;
      }
    }
    if (i < 0) i = pool.length - 1;
    const m = pool.splice(i, 1)[0];
    if (!m) throw new Error('not enough institutions for the special cases');
    m.inst.special = true;
    return m;
  };
  const events: ViolationEvent[] = [];
  const exits = new Map<number, ExitRow[]>([
    [Y, []],
    [Y2, []],
  ]);
  const cases: XianyangCase[] = [];
  const say = (y: number, role: XianyangRole, m: Member, tierBefore: Tier | null, text: string): void => {
    if (!m.roles.includes(role)) m.roles.push(role);
    cases.push({ year: y, role, code: m.inst.code, tierBefore, text });
  };
  /** A handling event of the given type, handled within [from, to], occurred some days before. */
  const event = (m: Member, type: string, basis: string, from: Ymd, to: Ymd, occurredOn?: Ymd): ViolationEvent => {
    const handled = randomDate(rng, from, to);
    const occurred = occurredOn ?? addDays(handled, -rng.int(3, 45));
    const e = makeEvent(rng, m.inst, type, occurred, handled, basis);
    const note = m.kind === 'clinic' ? CLINIC_NOTES[type] : undefined;
    const made = note ? { ...e, note: rng.pick(note) } : e;
    events.push(made);
    return made;
  };
  const d = (x: Ymd): string => iso(x);
  const oneTalkText = (e: ViolationEvent): string =>
    e.basis === '协议'
      ? `${d(e.handled)}因违反协议被约谈一次（第十四条（一）需近1年内两次）→ 不降级`
      : `${d(e.handled)}约谈（依据${e.basis ?? '空白'}，不是协议或条例第三十八、三十九条）→ 不是第十四条的情形，不降级`;
  const plus = (x: Ymd | string, years: number): string => addYears(typeof x === 'string' ? x : iso(x), years);
  // 第十四条（五）: the promotion wait at A extended a year from the later of its usual end and the trigger.
  const extendedWait = (since: Ymd | string, handled: Ymd): string => {
    const usual = plus(since, terms.minYearsAtTier);
    return plus(usual > iso(handled) ? usual : iso(handled), terms.atLowestExtendYears);
  };
  const down = (t: Tier): Tier => lower(t) ?? t;
  const in_ = (y: number, m1: number, d1: number, m2: number, d2: number): [Ymd, Ymd] => [ymd(y, m1, d1), ymd(y, m2, d2)];

  // Triggers of Y, one institution each (the tier is fixed to show a step down).
  {
    const m = take('clinic');
    setTier(m, 'B', 'roster');
    const a = event(m, '约谈', '协议', ...in_(Y, 2, 10, 4, 30));
    const b = event(m, '约谈', '协议', ...in_(Y, 6, 1, 8, 31));
    say(Y, 'talkTwice', m, 'B', `第十四条（一）：${d(a.handled)}、${d(b.handled)}两次因违反协议被约谈 → B级降为A级（${d(b.handled)}起），列入降级名单`);
    // Y+1: at A since the downgrade, a 暂停结算 → the wait is extended instead (第十四条（五）)
    const c = event(m, '暂停结算', '协议', ...in_(Y2, 3, 1, 9, 30));
    const wait = extendedWait(b.handled, c.handled);
    say(Y2, 'carriedDowngrade', m, 'A', `${Y}年降为A级（state.json 结转 A级、${d(b.handled)}起）；${d(c.handled)}暂停结算，已在A级 → 延长晋级年限，promotion_wait_until ${wait}，列入延长晋级年限名单`);
  }
  const single = (role: XianyangRole, kind: 'clinic' | 'pharmacy', tier: Tier, type: string, basis: string, clause: string, y = Y): void => {
    const m = take(kind);
    setTier(m, tier, 'roster');
    const e = event(m, type, basis, ...in_(y, 2, 1, 11, 30));
    say(y, role, m, tier, `第十四条${clause}：${d(e.handled)}${type}（依据${basis}）→ ${tier}级降为${down(tier)}级（${d(e.handled)}起），列入降级名单`);
  };
  single('talk38', 'clinic', 'C', '约谈', '条例第三十八条', '（二）');
  single('talk39', 'pharmacy', 'D', '约谈', '条例第三十九条', '（二）');
  {
    const m = take('pharmacy');
    setTier(m, 'C', 'roster');
    const e = event(m, '暂停结算', '协议', ...in_(Y, 4, 1, 6, 30));
    say(Y, 'suspended', m, 'C', `第十四条（二）：${d(e.handled)}暂停结算 → C级降为B级（${d(e.handled)}起），列入降级名单`);
    say(Y2, 'carriedDowngrade', m, 'B', `${Y}年降为B级（state.json 结转 B级、${d(e.handled)}起、降级后）：降级后服务满1年（${plus(e.handled, 1)}）方可申请晋级，${Y2}年无违规 → 列入可申请晋级名单（B→C）`);
  }
  single('refused', 'clinic', 'B', '不予支付', '协议', '（二）');
  single('fine38', 'pharmacy', 'C', '罚款', '条例第三十八条', '（三）');
  single('fine39', 'clinic', 'B', '罚款', '条例第三十九条', '（三）');
  single('halted', 'pharmacy', 'D', '中止医保服务', '协议', '（三）');

  // (四) 解除协议 in Y, twice: the entity comes back under a new code in Y+1; the other under its own code.
  const terminatedIn = (m: Member, from: Ymd, to: Ymd, y: number): ViolationEvent => {
    const e = event(m, '解除协议', '协议', from, to);
    m.months.set(y, [1, e.handled.m]);
    exits.get(y)?.push({ code: m.inst.code, name: m.inst.name, on: e.handled, type: '解除协议', creditCode: m.inst.creditCode, note: '违反服务协议，解除医保服务协议' });
    return e;
  };
  let terminatedEntity: { member: Member; on: Ymd } | undefined;
  {
    const m = take('pharmacy');
    if (!m.inst.creditCode) m.inst.creditCode = uniqueCreditCode(rng, region, credits, 'pharmacy', m.inst.name, m.inst.district);
    setTier(m, 'C', 'roster');
    const e = terminatedIn(m, ...in_(Y, 5, 1, 7, 31), Y);
    m.inY2 = false;
    terminatedEntity = { member: m, on: e.handled };
    say(Y, 'terminated', m, 'C', `第十四条（四）：${d(e.handled)}解除协议（违规记录，退出记录同日）→ 无结算等级，列入解除协议名单，禁入至 ${plus(e.handled, terms.terminatedYears)}（统一社会信用代码 ${m.inst.creditCode}）；${Y2}年名册不再有此编码`);
  }
  {
    const m = take('clinic');
    if (!m.inst.creditCode) m.inst.creditCode = uniqueCreditCode(rng, region, credits, 'outpatient', m.inst.name, m.inst.district);
    setTier(m, 'B', 'roster');
    const e = terminatedIn(m, ...in_(Y, 8, 1, 10, 31), Y);
    const back = randomDate(rng, ymd(Y2, 5, 1), ymd(Y2, 5, 31));
    m.y2 = { tier: newTier, since: back, admitted: back };
    m.months.set(Y2, [back.m, 12]);
    say(Y, 'terminated', m, 'B', `第十四条（四）：${d(e.handled)}解除协议（违规记录，退出记录同日）→ 无结算等级，列入解除协议名单，禁入至 ${plus(e.handled, terms.terminatedYears)}`);
    say(Y2, 'codeReadmit', m, null, `同一机构编码在禁入期内重新纳入定点（${Y2}年名册纳入定点日期 ${d(back)}，${d(e.handled)}解除协议，禁入至 ${plus(e.handled, terms.terminatedYears)}）→ 按机构编码识别，列入禁入期内名单`);
  }

  // A trigger at A: the wait for promotion is extended a year (第十四条（五）).
  {
    const m = take('pharmacy');
    setTier(m, newTier, 'transition');
    const e = event(m, '暂停结算', '协议', ...in_(Y, 3, 1, 10, 31));
    const wait = extendedWait(m.since ?? effective, e.handled);
    say(Y, 'atA', m, 'A', `名册未填结算等级，过渡期定为A级（${d(m.since ?? effective)}起）；${d(e.handled)}暂停结算（第十四条（二）），已是A级 → 不降级，延长晋级年限1年，promotion_wait_until ${wait}，列入延长晋级年限名单`);
    say(Y2, 'carriedWait', m, 'A', `${Y}年延长的晋级年限（state.json promotion_wait_until ${wait}）在${Y2}年末尚未届满 → 不得申请晋级，institutions.csv 的 promotion_wait_until 仍为 ${wait}`);
  }
  {
    const m = take('clinic');
    setTier(m, newTier, 'roster');
    const e = event(m, '约谈', '条例第三十九条', ...in_(Y, 3, 1, 10, 31));
    const wait = extendedWait(m.since ?? effective, e.handled);
    say(Y, 'atA', m, 'A', `A级（名册，${d(m.since ?? effective)}起）；${d(e.handled)}因违反条例第三十九条被约谈（第十四条（二））→ 延长晋级年限1年，promotion_wait_until ${wait}，列入延长晋级年限名单`);
    say(Y2, 'carriedWait', m, 'A', `${Y}年延长的晋级年限至 ${wait}（state.json 结转），${Y2}年末已届满且无违规 → 列入可申请晋级名单（A→B）`);
  }

  // A non-A institution with a second trigger in the year: one step down, and handled under the agreement.
  {
    const m = take('pharmacy');
    setTier(m, 'C', 'roster');
    const a = event(m, '不予支付', '协议', ...in_(Y, 2, 15, 4, 30));
    const b = event(m, '罚款', '条例第三十八条', ...in_(Y, 8, 1, 10, 31));
    say(Y, 'repeat', m, 'C', `${d(a.handled)}不予支付（第十四条（二））、${d(b.handled)}罚款（条例第三十八条，第十四条（三））：一年内再次违规 → C级只降一级为B级（${d(a.handled)}起），列入降级名单和再次违规按协议处理名单`);
    say(Y2, 'carriedBlock', m, 'B', `${Y}年降为B级（${d(a.handled)}起）；B级期间${d(b.handled)}的罚款（${Y2}年违规记录包含${Y}年以来的处理记录）→ 不得申请晋级（第七条1）`);
  }

  // One 约谈 under the agreement alone: no trigger, in Y and again (a year later) in Y+1.
  {
    const m = take('clinic');
    setTier(m, 'B', 'roster');
    const a = event(m, '约谈', '协议', ...in_(Y, 10, 1, 11, 20));
    say(Y, 'oneTalk', m, 'B', `${d(a.handled)}因违反协议被约谈一次（第十四条（一）需两次）→ 不降级；B级满1年、无罚款等 → 列入可申请晋级名单（B→C）`);
    const b = event(m, '约谈', '协议', ...in_(Y2, 2, 20, 4, 30));
    say(Y2, 'oneTalk', m, 'B', `${d(b.handled)}又被约谈一次；${d(a.handled)}的约谈不在${Y2}年的近1年（${Y}-12-31之后）内 → 仍只一次，不降级`);
  }
  {
    const m = take('pharmacy');
    setTier(m, 'C', 'roster');
    const a = event(m, '约谈', '其他', ...in_(Y, 5, 1, 8, 31));
    say(Y, 'oneTalk', m, 'C', oneTalkText(a));
  }

  // 行政处罚: no trigger, but no promotion while at the tier (第六至八条 1).
  {
    const m = take('clinic');
    setTier(m, newTier, 'roster');
    const a = event(m, '行政处罚', '其他', ...in_(Y, 3, 1, 9, 30));
    say(Y, 'adminPenalty', m, 'A', `A级（${d(m.since ?? effective)}起）已满1年，但${d(a.handled)}受到行政处罚 → 不降级，不得申请晋级（第六条1）`);
    say(Y2, 'carriedBlock', m, 'A', `A级期间${d(a.handled)}的行政处罚仍在本等级期间内（${Y2}年违规记录包含${Y}年以来的处理记录）→ 仍不得申请晋级`);
  }
  {
    const m = take('clinic');
    setTier(m, 'C', 'roster');
    const a = event(m, '暂停结算', '协议', ...in_(Y - 1, 11, 1, 12, 15));
    say(Y, 'beforeWindow', m, 'C', `${d(a.handled)}（${Y - 1}年，分级管理办法执行前、近1年之外）暂停结算 → 不计入，C级不变`);
  }

  // Admitted in Y: not a year at A by the end of Y; a year later eligible, or (the second) extended.
  {
    const m = take('pharmacy');
    admittedInY(m, ymd(Y, 3, 1), ymd(Y, 6, 30));
    say(Y, 'notYet', m, 'A', `${d(m.inst.admitted)}新纳入定点，A级 → 未满1年，不得申请晋级（第六条）`);
    say(Y2, 'carriedWait', m, 'A', `A级（${d(m.inst.admitted)}起，state.json 结转）满1年、无违规 → 列入可申请晋级名单（A→B）`);
  }
  {
    const m = take('clinic');
    admittedInY(m, ymd(Y, 2, 1), ymd(Y, 5, 31));
    say(Y, 'notYet', m, 'A', `${d(m.inst.admitted)}新纳入定点，A级 → 未满1年，不得申请晋级`);
    const e = event(m, '约谈', '条例第三十九条', ...in_(Y2, 3, 1, 10, 31));
    const wait = extendedWait(m.inst.admitted, e.handled);
    say(Y2, 'atA', m, 'A', `A级（${d(m.inst.admitted)}起）；${d(e.handled)}因违反条例第三十九条被约谈 → 延长晋级年限至 ${wait}，列入延长晋级年限名单`);
  }

  // Promoted by the office in Y+1: Y+1's roster gives the new tier and its start.
  {
    const m = take('pharmacy');
    setTier(m, newTier, 'roster');
    const since = ymd(Y2, 3, 1);
    m.y2 = { tier: 'B', since };
    say(Y, 'promoted', m, 'A', `A级（${d(m.since ?? effective)}起）满1年、无违规 → 列入可申请晋级名单（A→B）`);
    say(Y2, 'promoted', m, 'B', `${Y2}年名册：经评估晋为B级（结算等级 B，等级起始日期 ${d(since)}，取代 state.json 的A级）→ B级未满1年，不得申请晋级`);
  }

  // The annual score: below the line in Y (deregistration across National Day), one exactly on it.
  const lows: Member[] = [];
  for (const kind of ['clinic', 'pharmacy', 'clinic'] as const) {
    const m = take(kind);
    setTier(m, rng.pick(['A', 'B', 'C'] as const), 'roster');
    m.inY2 = false;
    lows.push(m);
  }
  const lowScores = [rng.int(450, 559), rng.int(560, 589), 595];
  lows.forEach((m, k) => {
    const s = lowScores[k] ?? 590;
    m.scores.set(Y, s);
    exits.get(Y2)?.push({ code: m.inst.code, name: m.inst.name, on: fromIso(deadline.startBy), type: '解除协议', creditCode: m.inst.creditCode, note: `${Y}年度考评低于${terms.below}分，解除定点资质` });
    say(
      Y,
      'belowLine',
      m,
      m.tier ?? null,
      `年度考评 ${tenthsText(s)} 分，低于${terms.below}分（第十二条）→ 列入解除定点资质名单：通报 ${deadline.notifiedOn}，启动期限 ${deadline.startBy}，注销期限 ${deadline.deregisterBy}，清算小组 ${deadline.clearingBy}，禁入至 ${plus(deadline.startBy, terms.terminatedYears)}；${Y2}年名册不再列入（${Y2}年退出记录）`,
    );
  });
  {
    const m = take('pharmacy');
    setTier(m, 'D', 'roster');
    m.scores.set(Y, terms.below * 10);
    say(Y, 'onLine', m, 'D', `年度考评恰好 ${terms.below} 分：不低于${terms.below}分，不列入解除定点资质名单`);
  }

  // Exits: voluntary in Y (absent from Y+1), and two older exits the first year's register holds.
  {
    const m = take('clinic');
    admittedInY(m, ymd(Y, 1, 5), ymd(Y, 3, 31));
    const on = ymd(Y, 9, 30);
    m.months.set(Y, [m.inst.admitted.m, on.m]);
    m.inY2 = false;
    exits.get(Y)?.push({ code: m.inst.code, name: m.inst.name, on, type: '主动退出', creditCode: m.inst.creditCode, note: '因经营调整申请退出定点' });
    say(Y, 'voluntaryExit', m, 'A', `${d(on)}主动退出（退出记录）→ banned_until ${plus(on, terms.voluntaryYears)}（1年内不得重新申请，第十三条3）；本年退出不算重新纳入，不列入禁入期内名单；${Y2}年名册不再有此编码`);
  }
  {
    const m = take('pharmacy');
    if (!m.inst.creditCode) m.inst.creditCode = uniqueCreditCode(rng, region, credits, 'pharmacy', m.inst.name, m.inst.district);
    const ended = randomDate(rng, ymd(Y - 1, 3, 1), ymd(Y - 1, 4, 30));
    admittedInY(m, ymd(Y, 6, 1), ymd(Y, 6, 30));
    m.inY2 = false;
    exits.get(Y)?.push({ code: m.inst.code, name: m.inst.name, on: ended, type: '解除协议', creditCode: m.inst.creditCode, note: `${Y - 1}年解除医保服务协议` });
    say(Y, 'codeReadmit', m, 'A', `${d(ended)}解除协议（${Y}年退出记录），禁入至 ${plus(ended, terms.terminatedYears)}；${d(m.inst.admitted)}以同一机构编码重新纳入 → 按机构编码识别，列入禁入期内名单（${Y2}年名册已不再列入）`);
  }
  {
    const m = take('clinic');
    admittedInY(m, ymd(Y, 4, 1), ymd(Y, 4, 30));
    const former = make('clinic', { district: m.inst.district, credit: true });
    const exitedOn = randomDate(rng, ymd(Y - 1, 1, 10), ymd(Y - 1, 2, 28));
    m.inst.creditCode = former.inst.creditCode;
    exits.get(Y)?.push({ code: former.inst.code, name: former.inst.name, on: exitedOn, type: '主动退出', creditCode: former.inst.creditCode, note: `${Y - 1}年因经营调整申请退出定点` });
    say(
      Y,
      'afterBan',
      m,
      'A',
      `统一社会信用代码与 ${former.inst.code}（${former.inst.name}，${d(exitedOn)}主动退出，禁入至 ${plus(exitedOn, terms.voluntaryYears)}）相同，但${d(m.inst.admitted)}纳入时禁入期已满 → 不列入禁入期内名单（banned_until ${plus(exitedOn, terms.voluntaryYears)}）`,
    );
  }

  // Tiers the transition rule sets: one of each at least.
  const transitionPlan: [Tier, 'clinic' | 'pharmacy'][] = [
    [terms.specialDrugTier, 'pharmacy'],
    ...terms.bands.map((b, i): [Tier, 'clinic' | 'pharmacy'] => [b.tier, i % 2 === 0 ? 'clinic' : 'pharmacy']),
  ];
  for (const [tier, kind] of transitionPlan) {
    const m = take(kind);
    setTier(m, tier, 'transition');
    m.roles.push('transition');
  }

  // Triggers of Y+1 on institutions clean in Y.
  const y2single = (role: XianyangRole, kind: 'clinic' | 'pharmacy', tier: Tier, type: string, basis: string, clause: string): void => {
    const m = take(kind);
    setTier(m, tier, 'roster');
    const e = event(m, type, basis, ...in_(Y2, 2, 1, 11, 30));
    say(Y2, role, m, tier, `第十四条${clause}：${d(e.handled)}${type}（依据${basis}）→ ${tier}级降为${down(tier)}级（${d(e.handled)}起），列入降级名单`);
  };
  {
    const m = take('clinic');
    setTier(m, 'B', 'roster');
    const a = event(m, '约谈', '协议', ...in_(Y2, 2, 1, 5, 31));
    const b = event(m, '约谈', '协议', ...in_(Y2, 7, 1, 10, 31));
    say(Y2, 'talkTwice', m, 'B', `第十四条（一）：${d(a.handled)}、${d(b.handled)}两次因违反协议被约谈 → B级降为A级（${d(b.handled)}起），列入降级名单`);
  }
  y2single('talk38', 'pharmacy', 'C', '约谈', '条例第三十八条', '（二）');
  y2single('refused', 'pharmacy', 'D', '不予支付', '协议', '（二）');
  y2single('fine39', 'clinic', 'C', '罚款', '条例第三十九条', '（三）');
  y2single('halted', 'pharmacy', 'B', '中止医保服务', '协议', '（三）');
  {
    const m = take('clinic');
    setTier(m, 'C', 'roster');
    const occurred = randomDate(rng, ymd(Y, 12, 1), ymd(Y, 12, 20));
    const e = event(m, '暂停结算', '协议', ymd(Y2, 1, 5), ymd(Y2, 1, 20), occurred);
    say(Y, 'lateHandled', m, 'C', `${d(occurred)}发生的违规到${d(e.handled)}才处理（暂停结算）→ 按处理日期计入${Y2}年，${Y}年不降级`);
    say(Y2, 'lateHandled', m, 'C', `${d(occurred)}发生、${d(e.handled)}处理的暂停结算（第十四条（二））→ C级降为B级（${d(e.handled)}起），列入降级名单`);
  }
  {
    const m = take('pharmacy');
    setTier(m, 'B', 'roster');
    const e = terminatedIn(m, ...in_(Y2, 4, 1, 6, 30), Y2);
    say(Y2, 'terminated', m, 'B', `第十四条（四）：${d(e.handled)}解除协议（违规记录，退出记录同日）→ 无结算等级，列入解除协议名单，禁入至 ${plus(e.handled, terms.terminatedYears)}`);
  }
  {
    const m = take('pharmacy');
    setTier(m, 'D', 'roster');
    const a = event(m, '暂停结算', '协议', ...in_(Y2, 2, 15, 4, 30));
    const b = event(m, '中止医保服务', '协议', ...in_(Y2, 8, 1, 10, 31));
    say(Y2, 'repeat', m, 'D', `${d(a.handled)}暂停结算（第十四条（二））、${d(b.handled)}中止医保服务（第十四条（三））→ D级只降一级为C级（${d(a.handled)}起），列入降级名单和再次违规按协议处理名单`);
  }
  {
    const m = take('clinic');
    setTier(m, 'B', 'roster');
    const a = event(m, '行政处罚', '其他', ...in_(Y2, 3, 1, 9, 30));
    say(Y2, 'adminPenalty', m, 'B', `${Y}年可申请晋级；${d(a.handled)}受到行政处罚 → 不降级，不得申请晋级（第七条1）`);
  }
  {
    const m = take('pharmacy');
    setTier(m, 'D', 'roster');
    const on = ymd(Y2, 6, 30);
    m.months.set(Y2, [1, on.m]);
    exits.get(Y2)?.push({ code: m.inst.code, name: m.inst.name, on, type: '主动退出', creditCode: m.inst.creditCode, note: '因法律责任主体变更申请退出定点' });
    say(Y2, 'voluntaryExit', m, 'D', `${d(on)}主动退出（${Y2}年退出记录）→ banned_until ${plus(on, terms.voluntaryYears)}，本年退出不列入禁入期内名单`);
  }

  // ── everyone else: tiers by the era admitted, some left to the transition rule ──
  for (const m of pool) {
    if (m.kind === 'pharmacy' && rng.chance(0.07)) {
      setTier(m, terms.specialDrugTier, rng.chance(0.1) ? 'transition' : 'roster');
      continue;
    }
    const era = rng.weighted([['C', 52], ['B', 22], ['A', 18], ['new', 5]] as const);
    if (era === 'new') admittedInY(m, ymd(Y, 1, 10), ymd(Y, 10, 31));
    else setTier(m, era, rng.chance(0.1) ? 'transition' : 'roster');
  }
  // Ordinary single 约谈 (no trigger), a few each year, never twice on one institution in a year.
  const quiet = rng.shuffle(pool.filter((m) => m.inY2 && m.inst.admitted.y < Y));
  for (const y of [Y, Y2]) {
    const k = Math.max(1, Math.round(inScope.length * 0.02));
    for (const m of quiet.splice(0, k)) {
      const basis = rng.weighted([['协议', 4], ['其他', 1]] as const);
      const e = event(m, '约谈', basis, ...in_(y, 2, 1, 11, 30));
      say(y, 'oneTalk', m, m.tier ?? null, oneTalkText(e));
    }
  }

  // ── Y+1's newcomers ──
  const newcomers: Member[] = [];
  const admitInY2 = (m: Member, from: Ymd, to: Ymd, rosterTier: boolean): Ymd => {
    const on = randomDate(rng, from, to);
    m.inY = false;
    m.inst.admitted = on;
    m.inst.specialDrug = false;
    m.inst.special = true;
    m.y2 = rosterTier ? { tier: newTier, since: on } : {};
    m.months.set(Y2, [on.m, 12]);
    newcomers.push(m);
    return on;
  };
  if (!terminatedEntity) throw new Error('no terminated entity');
  {
    const t = terminatedEntity.member;
    const m = make('pharmacy', { district: t.inst.district, credit: t.inst.creditCode });
    const on = admitInY2(m, ymd(Y2, 4, 1), ymd(Y2, 4, 30), true);
    say(
      Y2,
      'creditReadmit',
      m,
      null,
      `新机构编码，统一社会信用代码 ${t.inst.creditCode} 与${d(terminatedEntity.on)}解除协议的 ${t.inst.code}（${t.inst.name}）相同；${d(on)}纳入，禁入至 ${plus(terminatedEntity.on, terms.terminatedYears)}（state.json 结转）→ 按统一社会信用代码识别，列入禁入期内名单`,
    );
  }
  const nNew = Math.max(3, Math.round(nIn * 0.015));
  for (let k = 0; k < nNew; k++) {
    const m = make(k % 2 === 0 ? 'pharmacy' : 'clinic');
    const transitionRule = k === 0;
    const on = admitInY2(m, ymd(Y2, 1, 15), ymd(Y2, 10, 31), !transitionRule);
    say(
      Y2,
      transitionRule ? 'transition' : 'newAdmission',
      m,
      null,
      transitionRule ? `${d(on)}新纳入定点，名册未填结算等级 → 按第十七条定为A级（${d(on)}起）` : `${d(on)}新纳入定点，名册A级（${d(on)}起）→ 未满1年，不得申请晋级`,
    );
  }
  members.push(...newcomers);

  // ── scores: most 70–98, a few 60–70; below the line only the chosen ones in Y ──
  const line = terms.below * 10;
  for (const m of members) {
    if (!m.inScope) continue;
    for (const y of [Y, Y2]) {
      if (!(y === Y ? m.inY : m.inY2) || m.scores.has(y)) continue;
      const s = rng.chance(0.06) ? rng.int(line + 1, 699) : Math.round(700 + 280 * ((rng.float() + rng.float() + rng.float()) / 3));
      m.scores.set(y, s);
    }
  }

  // ── what the README lists: the transition tiers of Y, the out-of-scope rows ──
  const transition: Record<Tier, string[]> = { A: [], B: [], C: [], D: [] };
  for (const m of members) if (m.inY && m.via === 'transition' && m.tier) transition[m.tier].push(m.inst.code);
  for (const t of TIERS) transition[t].sort();
  cases.sort((a, b) => a.year - b.year || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

  return {
    members,
    events,
    exits,
    special: {
      years: [Y, Y2],
      notifiedOn: deadline.notifiedOn,
      deregister: { startBy: deadline.startBy, deregisterBy: deadline.deregisterBy, clearingBy: deadline.clearingBy, bannedUntil: plus(deadline.startBy, terms.terminatedYears) },
      outOfScope: members.filter((m) => !m.inScope).map((m) => m.inst.code),
      transition,
      cases,
    },
  };
}

// ───────────────────────────── the scenario ─────────────────────────────

export const xianyangScenario: Scenario<XianyangResult> = {
  profile: 'xianyang',
  defaultRegion: 'xianyang',
  // clinics are 医疗机构 without inpatient service; the profile scores them and pharmacies alike
  scored: ['outpatient', 'pharmacy'],
  minInstitutions: 70,
  generate,
};

/** The roster of a year, sorted by code, each institution as that year's roster holds it. */
function rosterOf(plan: Plan, year: number, first: number): Institution[] {
  const inYear = plan.members.filter((m) => (year === first ? m.inY : m.inY2));
  const rows = inYear.map((m): Institution => {
    if (year === first) return { ...m.inst };
    // Y+1: the tier is carried in state.json; the roster gives it only where the office changed it
    const y2 = m.y2 ?? {};
    return { ...m.inst, admitted: y2.admitted ?? m.inst.admitted, tier: y2.tier, tierSince: y2.since };
  });
  rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  rows.forEach((r, i) => (r.index = i));
  return rows;
}

async function generate(ctx: ScenarioContext): Promise<XianyangResult> {
  const { outDir, seed, institutions: n, year, region } = ctx;
  const terms = termsOf(region);
  if (year < terms.effectiveFrom.y) throw new Error(`the xianyang sample starts in a year the tiers are in force (tiers.effectiveFrom ${iso(terms.effectiveFrom)}): --year ${terms.effectiveFrom.y} or later`);
  if (ctx.months !== 12) throw new Error('the xianyang sample settles whole years: --months 12');
  const deadline = await notifiedOnFor(outDir, year, terms);
  const p = plan(seed, n, year, region, terms, deadline);
  const byCode = new Map(p.members.map((m) => [m.inst.code, m]));
  const files: string[] = [];
  const byYear: Record<number, YearCounts> = {};

  for (const y of [year, year + 1]) {
    const dir = path.join(outDir, 'inputs', String(y));
    await mkdir(dir, { recursive: true });
    const ySeed = mixSeed(seed, 22, y);
    const roster = rosterOf(p, y, year);
    const inRoster = new Set(roster.map((r) => r.code));
    const f = {
      roster: path.join(dir, '机构名册.xlsx'),
      scores: path.join(dir, '指标得分.csv'),
      settlements: path.join(dir, '月度结算.csv'),
      violations: path.join(dir, '违规记录.xlsx'),
      exits: path.join(dir, '退出记录.csv'),
    };
    await writeRoster(f.roster, ySeed, roster, y, region);
    const scores = await writeScores(f.scores, ySeed, roster, byCode, y, region.indicators, y !== year);
    const settlements = await writeSettlements(f.settlements, ySeed, roster, y, 12, {
      monthsOf: (inst) => byCode.get(inst.code)?.months.get(y) ?? [1, 12],
    });
    // Y: the records handled by the end of Y (one of Y-1 among them); Y+1: every record
    // handled since Y of the institutions still designated (promotion looks at the whole
    // period at the tier)
    const logged = byHandled(
      p.events.filter((e) => inRoster.has(e.code) && e.handled.y <= y && (y === year || e.handled.y >= year)),
    );
    await writeViolations(f.violations, ySeed, logged, y);
    const exits = await writeExits(f.exits, ySeed, p.exits.get(y) ?? []);
    files.push(f.roster, f.scores, f.settlements, f.violations, f.exits);
    byYear[y] = { institutions: roster.length, inScope: roster.filter((r) => byCode.get(r.code)?.inScope).length, scores, settlements, violations: logged.length, exits };
  }

  const readmeFile = path.join(outDir, 'README.md');
  await writeFile(readmeFile, readme(ctx, terms, p, byYear, byCode));
  files.push(readmeFile);
  const total = (k: keyof YearCounts): number => Object.values(byYear).reduce((s, c) => s + c[k], 0);
  return {
    profile: 'xianyang',
    files,
    special: p.special,
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
  const indicators = indicatorsOf.outpatient.length > 0 ? indicatorsOf.outpatient : indicatorsOf.pharmacy;
  const out = new CsvWriter(file, !wide);
  if (wide) await out.row([...headers('scores', ['code']), '机构名称', ...indicators.map((i) => i.code)]);
  else await out.row(headers('scores', ['code', 'indicator', 'score']));
  let rows = 0;
  for (const inst of roster) {
    const m = byCode.get(inst.code);
    const total = m?.scores.get(year);
    if (!m?.inScope || total === undefined) continue;
    const rng = new Rng(mixSeed(seed, 4, inst.index));
    const own = indicatorsOf[inst.category];
    const values = allocate(rng, own.map((i) => i.max * 10), total);
    if (wide) {
      await out.row([inst.code, inst.name, ...indicators.map((i) => tenthsText(values[own.findIndex((o) => o.code === i.code)] ?? 0))]);
      rows++;
    } else {
      for (let k = 0; k < own.length; k++) {
        await out.row(ordered('scores', { code: inst.code, indicator: own[k]?.code, score: tenthsText(values[k] ?? 0) }, ['code', 'indicator', 'score']));
        rows++;
      }
    }
  }
  await out.close();
  return rows;
}


// ───────────────────────────── README ─────────────────────────────

function readme(ctx: ScenarioContext, terms: Terms, p: Plan, byYear: Record<number, YearCounts>, byCode: Map<string, Member>): string {
  const { region, seed, year: Y, institutions: n } = ctx;
  const Y2 = Y + 1;
  const s = p.special;
  const percent = `${Math.round(terms.rate * 1000) / 10}%`;
  const c = (y: number): YearCounts => byYear[y] ?? { institutions: 0, inScope: 0, scores: 0, settlements: 0, violations: 0, exits: 0 };
  const name = (code: string): string => byCode.get(code)?.inst.name ?? '';
  const line = (k: XianyangCase): string => `- ${k.code} ${name(k.code)}：${k.text}`;
  // in the order of the roles named, then by code
  const section = (y: number, roles: XianyangRole[]): string[] =>
    roles.flatMap((role) => s.cases.filter((k) => k.year === y && k.role === role)).map(line);
  const outOfScope = s.outOfScope.map((code) => {
    const m = byCode.get(code);
    return `${code} ${m?.inst.name ?? ''}（${m?.inst.level || '医院等级空白'}）`;
  });
  const transitionLines = TIERS.map((t) => `  - ${t}级：${s.transition[t].join('、') || '（无）'}`);
  const bandText = terms.bands
    .map((b, i) => {
      const prev = terms.bands[i - 1]?.until;
      return b.until === undefined ? `${iso(addDays(prev ?? ymd(2008, 1, 1), 1))}以后纳入定为${b.tier}级` : `${prev ? `${iso(addDays(prev, 1))}至` : ''}${iso(b.until)}${prev ? '' : '（含）以前'}纳入定为${b.tier}级`;
    })
    .join('；');
  return [
    ...readmeHead(region, seed, Y, n),
    `两个连续年度：${Y} 年度（${terms.document}执行的第一年，结算等级自 ${iso(terms.effectiveFrom)} 起）和 ${Y2} 年度。先运行 ${Y} 年度，再运行 ${Y2} 年度：${Y2} 年度的结算等级及其起始日期、延长的晋级年限、禁入期从 \`results/${Y}/state.json\` 结转。`,
    '',
    '```sh',
    `npx assess year ${Y} --notified-on ${s.notifiedOn} -w samples/xianyang`,
    `npx assess year ${Y2} -w samples/xianyang`,
    `npx assess explain year ${Y} <机构编码> -w samples/xianyang   # 某家机构的等级、晋级、禁入、解除资质，逐步说明`,
    '```',
    '',
    `**关于 \`--notified-on ${s.notifiedOn}\`**：第十二条的15个工作日从经办机构接到医保行政部门考核结果通报的次日起算。样例假设 ${Y} 年度考评结果的通报很晚，${s.notifiedOn} 才送达（晚于考核工作结束日期 ${Y}-12-31，允许；早于该日期则工具拒绝运行）。` +
      `这15个工作日跨越 ${Y2} 年中秋、国庆假期（按国务院办公厅公布的放假安排，含调休上班日），启动期限为 ${s.deregister.startBy}，注销期限（30日）${s.deregister.deregisterBy}，清算小组（5个工作日）${s.deregister.clearingBy}。`,
    `${Y2} 年度按默认（通报日 = ${Y2}-12-31）运行：若有低于${terms.below}分的机构，期限会落在 ${Y2 + 1} 年，而 ${Y2 + 1} 年的放假安排尚未公布，工具会拒绝运行（不按周末推算）；因此本样例 ${Y2} 年度没有低于${terms.below}分的机构。届时须在工作区放 \`calendar.yaml\`（国务院办公厅通知公布后）再运行。`,
    '',
    `运行后看 \`results/<年度>/institutions.csv\`（每家机构一行）：tier_before（年初结算等级）、tier_after（年末，解除协议的为空）、promotion_wait_until（延长后的晋级年限）、banned_until（禁入至）、deregister_start_by / deregister_done_by / clearing_by（解除定点资质的三个期限）、lists（所在名单：downgraded 降级、promotionWaitExtended 延长晋级年限、agreementHandling 再次违规按协议处理、promotionEligible 可申请晋级、deregister 解除定点资质、terminated 解除协议、banned 禁入期内）；公示名单在 \`公示名单-<年度>.xlsx\`。`,
    '',
    '## 文件',
    '',
    `- \`policy.yaml\`：${region.readme.policy}（templates/policies/${region.profile}.yaml 的副本，未改动）`,
    `- \`inputs/${Y}/机构名册.xlsx\`：${c(Y).institutions} 家，其中分级管理范围内（一级以下医疗机构和零售药店，第二条）${c(Y).inScope} 家；多数填写结算等级和等级起始日期，部分未填（按第十七条过渡期规则定级）`,
    `- \`inputs/${Y}/指标得分.csv\`：${c(Y).scores} 行（长表，UTF-8 带 BOM，XY01–XY04 各 25 分）`,
    `- \`inputs/${Y}/月度结算.csv\`：${c(Y).settlements} 行（预留保证金不填，按政策比例 ${percent} 计算；年内纳入或退出的机构只有在定点期间的月份）`,
    `- \`inputs/${Y}/违规记录.xlsx\`：${c(Y).violations} 条（${Y} 年处理的记录，另有一条 ${Y - 1} 年处理的记录；日期写法混用）`,
    `- \`inputs/${Y}/退出记录.csv\`：${c(Y).exits} 条（含 ${Y - 1} 年的两条：首年运行，之前的禁入期从这里读入）`,
    `- \`inputs/${Y2}/机构名册.xlsx\`：${c(Y2).institutions} 家（范围内 ${c(Y2).inScope} 家）；结算等级只填年内晋级和新纳入的机构，其余按 \`results/${Y}/state.json\` 结转`,
    `- \`inputs/${Y2}/指标得分.csv\`：${c(Y2).scores} 行（宽表：每个指标编码一列，UTF-8 无 BOM）`,
    `- \`inputs/${Y2}/月度结算.csv\`：${c(Y2).settlements} 行`,
    `- \`inputs/${Y2}/违规记录.xlsx\`：${c(Y2).violations} 条（${Y} 年以来仍在定点的机构的全部处理记录：晋级条件看本等级期间有无罚款、行政处罚、中止医保服务，跨年度；降级只看近1年，${Y} 年的记录不会重复计入）`,
    `- \`inputs/${Y2}/退出记录.csv\`：${c(Y2).exits} 条（${Y2} 年的退出）`,
    '',
    '## 范围与结算等级',
    '',
    `- 分级管理范围外（第二条：一级（不含）以下、村卫生室除外），工具不评分、不定级，只说明已排除：${outOfScope.join('、')}`,
    `- 名册未填结算等级，由第十七条定级（开展特药结算定为${terms.specialDrugTier}级；${bandText}），等级自 ${iso(terms.effectiveFrom)}（或更晚的纳入日期）起：`,
    ...transitionLines,
    `- 其余机构按名册的结算等级；A、B级满1年、期间无罚款、行政处罚、中止医保服务的列入可申请晋级名单（需现场核查），C级晋D级需县级论证、不设等待期，D级为最高级`,
    '',
    `## ${Y} 年度特殊情形`,
    '',
    '降级（第十四条（一）至（四）），每年至多降一级：',
    '',
    ...section(Y, ['talkTwice', 'talk38', 'talk39', 'suspended', 'refused', 'fine38', 'fine39', 'halted', 'terminated']),
    '',
    '延长晋级年限、再次违规、不构成降级的情形、晋级：',
    '',
    ...section(Y, ['atA', 'repeat', 'oneTalk', 'adminPenalty', 'beforeWindow', 'lateHandled', 'notYet', 'promoted']),
    '',
    `年度考评（第十二条，--notified-on ${s.notifiedOn}）：`,
    '',
    ...section(Y, ['belowLine', 'onLine']),
    '',
    '退出与禁入（第十三条）：',
    '',
    ...section(Y, ['voluntaryExit', 'codeReadmit', 'afterBan']),
    '',
    `## ${Y2} 年度特殊情形`,
    '',
    `从 ${Y} 年度结转（state.json）：`,
    '',
    ...section(Y2, ['carriedDowngrade', 'carriedWait', 'carriedBlock', 'promoted']),
    '',
    `${Y2} 年的降级、延长晋级年限、再次违规：`,
    '',
    ...section(Y2, ['talkTwice', 'talk38', 'talk39', 'suspended', 'refused', 'fine38', 'fine39', 'halted', 'terminated', 'lateHandled', 'atA', 'repeat', 'oneTalk', 'adminPenalty']),
    '',
    '退出、禁入期内重新纳入、新纳入：',
    '',
    ...section(Y2, ['voluntaryExit', 'creditReadmit', 'codeReadmit', 'transition', 'newAdmission']),
    '',
    `${Y} 年度低于${terms.below}分的机构于 ${Y2} 年解除定点资质，不在 ${Y2} 年度名册中（其禁入期在 ${Y2} 年退出记录和 state.json 中；样例从简，未列其 ${Y2} 年解除前的结算）。`,
    '',
  ].join('\n');
}
