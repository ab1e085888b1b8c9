// A sample region: everything regional about a generated workspace — the city and its
// districts, the titles an officer reads, the policy profile — read from
// templates/samples/<name>.yaml, so that the generator's code names no region.
//
// Adding a region: write templates/samples/<name>.yaml (the fields are documented in
// templates/samples/tianjin.yaml and nanjing.yaml, the optional prefecture and personNames
// in xining.yaml, the optional planningAreas in linyi.yaml, and checked by `regionSchema` below)
// naming a profile that exists in templates/policies/ and has a scenario in
// src/sample/scenarios/, then run `node dist/sample/generate.js --region <name> ...`.
// Messages here are for developers, in English.

import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { LineCounter, isNode, parseDocument } from 'yaml';
import { z } from 'zod';
import { parsePolicy } from '../policy/load.js';
import { categoryOf } from '../rules/scoring.js';

/** The institution categories the generator makes; a scenario says which of them its profile scores. */
export const CATEGORIES = ['inpatient', 'outpatient', 'pharmacy'] as const;
export type Category = (typeof CATEGORIES)[number];

/** A region or profile name: also a file name under templates/, so nothing but [a-z0-9-]. */
const NAME = /^[a-z][a-z0-9-]*$/;

/** The message of a missing key, or of a value of the wrong type. */
const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${what}`);

const text = z.string({ error: expected('a text value') }).min(1, 'must not be empty');

/** A title with `{year}` (the assessment year) as its only placeholder. */
const yearTemplate = text.refine((s) => (s.match(/\{[^}]*\}/g) ?? []).every((p) => p === '{year}'), {
  message: 'the only placeholder allowed is {year}',
});

const divisionCode = z
  .string({ error: expected("a quoted 6-digit GB/T 2260 code in '…' (unquoted, YAML reads a number)") })
  .regex(/^\d{6}$/, 'must be a 6-digit GB/T 2260 division code');

const districtSchema = z.strictObject({
  /** GB/T 2260 code: the middle six digits of every institution code (H/P + code + 5-digit serial). */
  code: divisionCode,
  name: text,
  /** Urban districts name their streets 街 only; the others 镇 or 街, and may have 镇卫生院. */
  urban: z.boolean({ error: expected('true or false') }),
  /** Relative share of the institutions. */
  weight: z.number({ error: expected('a number') }).positive('must be > 0').finite(),
  /** Some of its 街道/镇, without the 街/镇 suffix. */
  streets: z.array(text, { error: expected('a list of names') }).min(1, 'needs at least one street'),
  /**
   * Optional: its 镇, without the suffix, where a scenario tells 街道 (streets) and 镇 (towns)
   * apart (a county's 村卫生室 and 镇 clinics); absent, streets serve for both.
   */
  towns: z.array(text, { error: expected('a list of names') }).min(1, 'needs at least one town').optional(),
  /**
   * Optional: the prefecture-level city the district belongs to when it is not `city` (a
   * region that spans two cities of a province); its names prefix the district's institutions
   * and its code is where some of their credit codes are registered.
   */
  prefecture: z
    .strictObject({
      name: text,
      short: text,
      divisionCode,
    })
    .optional(),
});

/** Optional: the names of persons in the region (a scenario with 人员记分), where the generic ones do not fit. */
const personNamesSchema = z.strictObject({
  /** Surnames, the common ones more than once if wanted (picked uniformly). */
  surnames: z.array(text, { error: expected('a list of names') }).min(1, 'needs at least one surname'),
  /** Given names of one or two characters. */
  givenNames: z.array(text, { error: expected('a list of names') }).min(1, 'needs at least one given name'),
  /** Whole names without a surname (Tibetan and other names of the region). */
  fullNames: z.array(text, { error: expected('a list of names') }).optional(),
  /** Share of persons with one of fullNames, 0..1. */
  fullNameShare: z.number({ error: expected('a number') }).min(0, 'must be 0..1').max(1, 'must be 0..1').optional(),
});

/**
 * Optional: a planning area (规划区域) apart from the districts — a 开发区 planned on its own over
 * some 街道/镇 of the districts it was carved from. An institution there keeps its 所属区县 and
 * the district's code, and is planned in the area; elsewhere the planning area is the district.
 */
const planningAreaSchema = z.strictObject({
  /** The 规划区域 as the roster writes it. */
  name: text,
  /** By district name, its 街道/镇 (as in its streets or towns, without the suffix) in the area. */
  places: z.record(text, z.array(text, { error: expected('a list of names') }).min(1, 'needs at least one place'), { error: expected('district names with their places') }),
});

const regionSchema = z
  .strictObject({
    /** templates/policies/<profile>.yaml: copied as policy.yaml; its indicators are scored. */
    profile: z.string({ error: expected('a profile name') }).regex(NAME, 'must be a profile name such as tianjin ([a-z0-9-])'),
    city: z.strictObject({
      /** Full name (…市), prefixing district hospitals, clinics and shops. */
      name: text,
      /** Short name, prefixing private brands. */
      short: text,
      /** GB/T 2260 code of the city as a whole: some credit codes are registered there. */
      divisionCode,
    }),
    /**
     * The city's own edit of the profile: the value of its top-level `region:` line in the
     * workspace's policy.yaml (the rest copied byte for byte). Absent: an unedited copy.
     */
    policyRegion: text.optional(),
    /** Likewise the value of its `issuer:` line (publication): the city's own office. */
    policyIssuer: text.optional(),
    /** What a 街道 is called in institution names (…街 or …街道社区卫生服务中心); absent: 街. */
    streetSuffix: text.optional(),
    /** Title row of 机构名册.xlsx. */
    rosterTitle: yearTemplate,
    readme: z.strictObject({
      /** First heading of the sample's README.md. */
      title: yearTemplate,
      /** What policy.yaml is, in the README's file list. */
      policy: text,
    }),
    /** Brand words of pharmacy chains. */
    pharmacyChains: z.array(text, { error: expected('a list of names') }).min(1, 'needs at least one name'),
    districts: z.array(districtSchema, { error: expected('a list of districts') }).min(1, 'needs at least one district'),
    personNames: personNamesSchema.optional(),
    planningAreas: z.array(planningAreaSchema, { error: expected('a list of planning areas') }).optional(),
  })
  .superRefine((region, ctx) => {
    const seen = (values: string[], path: (string | number)[], what: string): void => {
      const first = new Set<string>();
      values.forEach((v, i) => {
        if (first.has(v)) ctx.addIssue({ code: 'custom', path: [...path, i], message: `${what} ${v} appears twice` });
        first.add(v);
      });
    };
    seen(region.districts.map((d) => d.code), ['districts'], 'district code');
    seen(region.districts.map((d) => d.name), ['districts'], 'district name');
    seen(region.pharmacyChains, ['pharmacyChains'], 'pharmacy chain');
    region.districts.forEach((d, i) => {
      seen(d.streets, ['districts', i, 'streets'], 'street');
      if (d.towns) seen(d.towns, ['districts', i, 'towns'], 'town');
      if (d.code.slice(0, 2) !== region.city.divisionCode.slice(0, 2)) {
        ctx.addIssue({
          code: 'custom',
          path: ['districts', i, 'code'],
          message: `district ${d.code} is not in the province of city.divisionCode ${region.city.divisionCode}`,
        });
      }
      if (d.prefecture && d.code.slice(0, 4) !== d.prefecture.divisionCode.slice(0, 4)) {
        ctx.addIssue({
          code: 'custom',
          path: ['districts', i, 'code'],
          message: `district ${d.code} is not in its prefecture ${d.prefecture.divisionCode}`,
        });
      }
    });
    // Each planning area's places are places of the districts it names, and no place is in two areas.
    const planned = new Map<string, string>();
    seen((region.planningAreas ?? []).map((a) => a.name), ['planningAreas'], 'planning area');
    (region.planningAreas ?? []).forEach((area, i) => {
      if (region.districts.some((d) => d.name === area.name)) ctx.addIssue({ code: 'custom', path: ['planningAreas', i, 'name'], message: `planning area ${area.name} is also a district's name` });
      for (const [district, places] of Object.entries(area.places)) {
        const d = region.districts.find((x) => x.name === district);
        if (!d) {
          ctx.addIssue({ code: 'custom', path: ['planningAreas', i, 'places', district], message: `no district named ${district}` });
          continue;
        }
        places.forEach((place, k) => {
          if (!d.streets.includes(place) && !(d.towns ?? []).includes(place)) {
            ctx.addIssue({ code: 'custom', path: ['planningAreas', i, 'places', district, k], message: `${place} is not a street or town of ${district}` });
          }
          const key = `${district}\u0000${place}`;
          const other = planned.get(key);
          if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['planningAreas', i, 'places', district, k], message: `${district} ${place} is already in planning area ${other}` });
          planned.set(key, area.name);
        });
      }
    });
  });

export type District = z.infer<typeof districtSchema>;
export type PersonNames = z.infer<typeof personNamesSchema>;
export type RegionData = z.infer<typeof regionSchema>;

export interface Indicator {
  code: string;
  name: string;
  max: number;
  /** The city's own indicator (the 10 % a 设区市 sets, 江苏 二(二)). */
  local: boolean;
  /** A province-monitored indicator (江苏 二(二)). */
  monitored: boolean;
}

export interface SampleRegion extends RegionData {
  /** The region's name: its file is templates/samples/<name>.yaml. */
  name: string;
  /** templates/policies/<profile>.yaml byte for byte (but `policyRegion`): the workspace's policy.yaml. */
  policyBytes: Buffer;
  /** The profile's indicators of each category, in the profile's order; none for a category it does not score. */
  indicators: Record<Category, Indicator[]>;
}

/** What an institution of each generator category is, as the profile's `categories.when` reads it. */
const SHAPES: Record<Category, { kind: '医疗机构' | '零售药店'; inpatient: boolean | null }> = {
  inpatient: { kind: '医疗机构', inpatient: true },
  outpatient: { kind: '医疗机构', inpatient: false },
  pharmacy: { kind: '零售药店', inpatient: null },
};

/** Thrown when the region cannot be used; `unknown` when no such region file exists. */
export class SampleRegionError extends Error {
  constructor(
    message: string,
    readonly unknown = false,
  ) {
    super(message);
    this.name = 'SampleRegionError';
  }
}

const samplesDir = (): URL => new URL('../../templates/samples/', import.meta.url);

/** The names of the shipped sample regions (templates/samples/*.yaml). */
export function sampleRegionNames(): string[] {
  try {
    return readdirSync(samplesDir())
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

async function readTemplate(url: URL): Promise<Buffer | undefined> {
  try {
    return await readFile(url);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Parses and validates the text of a region file; `file` is used only in messages. */
export function parseRegion(source: string, file: string): RegionData {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const lines = doc.errors.map((e) => `  line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`);
    throw new SampleRegionError(`${file} is not valid YAML:\n${lines.join('\n')}`);
  }
  const lineOf = (path: (string | number)[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  // English messages whatever locale the policy loader configured for zod.
  const parsed = regionSchema.safeParse(doc.toJS(), { error: z.locales.en().localeError });
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const line = lineOf(path);
      return `  ${line === undefined ? '' : `line ${line}, `}${path.join('.') || '(top level)'}: ${issue.message}`;
    });
    throw new SampleRegionError(`${file} is invalid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}

/** Reads, validates and completes a sample region: its data file and its policy profile. */
export async function loadSampleRegion(name: string): Promise<SampleRegion> {
  const known = (): string => `known regions: ${sampleRegionNames().join(', ') || '(none)'}`;
  if (!NAME.test(name)) throw new SampleRegionError(`region must be a name like tianjin ([a-z0-9-]), got "${name}"; ${known()}`, true);
  const file = `templates/samples/${name}.yaml`;
  const source = await readTemplate(new URL(`../../templates/samples/${name}.yaml`, import.meta.url));
  if (source === undefined) throw new SampleRegionError(`unknown region "${name}": ${file} does not exist; ${known()}`, true);
  const data = parseRegion(source.toString('utf8'), file);

  const policyFile = `templates/policies/${data.profile}.yaml`;
  const profileBytes = await readTemplate(new URL(`../../templates/policies/${data.profile}.yaml`, import.meta.url));
  if (profileBytes === undefined) throw new SampleRegionError(`${file}: profile "${data.profile}" has no file ${policyFile}`);
  let policyText = profileBytes.toString('utf8');
  if (data.policyRegion !== undefined) policyText = withPolicyRegion(policyText, data.policyRegion, policyFile);
  if (data.policyIssuer !== undefined) policyText = withPolicyIssuer(policyText, data.policyIssuer, policyFile);
  const policyBytes = data.policyRegion === undefined && data.policyIssuer === undefined ? profileBytes : Buffer.from(policyText, 'utf8');
  const policy = parsePolicy(policyBytes.toString('utf8'), `${data.profile}.yaml`);
  if (!policy.ok) {
    const lines = policy.problems.map((p) => `  ${p.row === undefined ? '' : `line ${p.row}, `}${p.column ?? ''}: ${p.message}`);
    throw new SampleRegionError(`${policyFile} (profile of ${file}) is invalid:\n${lines.join('\n')}`);
  }
  // The profile's category an institution the generator makes of each category falls in
  // (first match wins, as the tool decides): its indicators are the ones that category scores.
  const { categories, indicators: profileIndicators } = policy.value.policy;
  const of = (c: Category): Indicator[] => {
    const profileCategory = categoryOf(SHAPES[c], categories);
    return profileCategory === undefined
      ? []
      : profileIndicators
          .filter((i) => i.categories.includes(profileCategory.code))
          .map((i) => ({ code: i.code, name: i.name, max: i.max, local: i.local === true, monitored: i.monitored === true }));
  };
  const indicators: Record<Category, Indicator[]> = { inpatient: of('inpatient'), outpatient: of('outpatient'), pharmacy: of('pharmacy') };
  if (CATEGORIES.every((c) => indicators[c].length === 0)) {
    throw new SampleRegionError(`${policyFile} has no indicator for any of the categories the sample generator makes (${CATEGORIES.join(', ')})`);
  }
  return { ...data, name, policyBytes, indicators };
}

/**
 * The profile's text with the value of its top-level `region:` line replaced, everything
 * else (the line's comment, its alignment) kept byte for byte.
 */
export function withPolicyRegion(profile: string, region: string, policyFile: string): string {
  const line = /^region:([ \t]*)([^\s#][^#\r\n]*?)([ \t]*(?:#[^\r\n]*)?)$/gm;
  const found = [...profile.matchAll(line)];
  if (found.length !== 1) throw new SampleRegionError(`${policyFile} needs exactly one top-level "region:" line to put policyRegion in, found ${found.length}`);
  return profile.replace(line, (_all, space: string, _old: string, rest: string) => `region:${space}${region}${rest}`);
}

/** The profile with its `issuer:` line (under publication) saying `issuer` instead; its comment kept. */
export function withPolicyIssuer(profile: string, issuer: string, policyFile: string): string {
  const line = /^([ \t]+issuer:)([ \t]*)([^\s#][^#\r\n]*?)([ \t]*(?:#[^\r\n]*)?)$/gm;
  const found = [...profile.matchAll(line)];
  if (found.length !== 1) throw new SampleRegionError(`${policyFile} needs exactly one "issuer:" line to put policyIssuer in, found ${found.length}`);
  return profile.replace(line, (_all, key: string, space: string, _old: string, rest: string) => `${key}${space}${issuer}${rest}`);
}

/** The planning area (规划区域) of a place of a district: the area it is planned in, or the district's own name. */
export function planningAreaOf(region: Pick<RegionData, 'planningAreas'>, district: District, place: string): string {
  const area = (region.planningAreas ?? []).find((a) => a.places[district.name]?.includes(place));
  return area?.name ?? district.name;
}

/** A region title with its `{year}` filled in. */
export function withYear(template: string, year: number): string {
  return template.replaceAll('{year}', String(year));
}
