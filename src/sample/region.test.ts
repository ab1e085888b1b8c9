import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSampleRegion, parseRegion, planningAreaOf, sampleRegionNames, SampleRegionError, withPolicyRegion, withYear } from './region.js';

const tianjinText = readFileSync(new URL('../../templates/samples/tianjin.yaml', import.meta.url), 'utf8');

/** The message parseRegion throws for the shipped file with `edit` applied. */
function problemsOf(edit: (text: string) => string): string {
  try {
    parseRegion(edit(tianjinText), 'broken.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(SampleRegionError);
    return (err as Error).message;
  }
  throw new Error('expected the edited region file to be refused');
}

describe('sample regions', () => {
  it('loads every shipped region with its profile and indicators', async () => {
    expect(sampleRegionNames()).toEqual(expect.arrayContaining(['nanjing', 'tianjin', 'xianyang']));
    for (const name of sampleRegionNames()) {
      const region = await loadSampleRegion(name);
      expect(region.name).toBe(name);
      expect(region.districts.length).toBeGreaterThan(0);
      expect(region.indicators.inpatient.length).toBeGreaterThan(0);
      expect(region.policyBytes.length).toBeGreaterThan(0);
    }
  });

  it('copies the profile as policy.yaml, with only its region and issuer lines edited where the region says so', async () => {
    const tianjin = await loadSampleRegion('tianjin');
    expect(tianjin.policyBytes.equals(readFileSync(new URL('../../templates/policies/tianjin.yaml', import.meta.url)))).toBe(true);

    const nanjing = await loadSampleRegion('nanjing');
    const profile = readFileSync(new URL('../../templates/policies/jiangsu.yaml', import.meta.url), 'utf8').split('\n');
    const copy = nanjing.policyBytes.toString('utf8').split('\n');
    expect(copy.length).toBe(profile.length);
    const changed = copy.flatMap((line, i) => (line === profile[i] ? [] : [[profile[i], line]]));
    expect(changed).toHaveLength(2);
    const [before, after] = changed[0] ?? [];
    expect(before).toMatch(/^region: 江苏省 +# /);
    expect(after).toBe(before?.replace('region: 江苏省', 'region: 南京市'));
    const [issuerBefore, issuerAfter] = changed[1] ?? [];
    expect(issuerBefore).toMatch(/^  issuer: 设区市医疗保障局 +# /);
    expect(issuerAfter).toBe(issuerBefore?.replace('设区市医疗保障局', '南京市医疗保障局'));
  });

  it('reads a profile’s indicators through its own categories (first match wins, as the tool decides)', async () => {
    // Xianyang's categories are clinic (every 医疗机构) and pharmacy, not the generator's three
    const xianyang = await loadSampleRegion('xianyang');
    const codes = (c: 'inpatient' | 'outpatient' | 'pharmacy') => xianyang.indicators[c].map((i) => i.code);
    expect(codes('outpatient')).toEqual(['XY01', 'XY02', 'XY03', 'XY04']);
    expect(codes('inpatient')).toEqual(codes('outpatient'));
    expect(codes('pharmacy')).toEqual(codes('outpatient'));
    // Jiangsu scores no pharmacy
    expect((await loadSampleRegion('nanjing')).indicators.pharmacy).toEqual([]);
  });

  it('refuses a town named twice in one district', () => {
    const message = problemsOf((t) => t.replace(/^(\s+)streets: \[劝业场, /m, '$1towns: [甲, 甲]\n$1streets: [劝业场, '));
    expect(message).toMatch(/districts\.0\.towns\.1: town 甲 appears twice/);
  });

  it('edits the top-level region line only, keeping its comment, and refuses a profile without one', () => {
    const text = 'title: x\nregion: 江苏省   # the city\r\nscope:\n  region: 不是这行\n';
    expect(withPolicyRegion(text, '南京市', 'p.yaml')).toBe('title: x\nregion: 南京市   # the city\r\nscope:\n  region: 不是这行\n');
    expect(withPolicyRegion('region: 江苏省\n', '苏州市', 'p.yaml')).toBe('region: 苏州市\n');
    expect(() => withPolicyRegion('title: x\n', '南京市', 'p.yaml')).toThrow(/p\.yaml needs exactly one top-level "region:" line/);
  });

  it('fills the year into titles', async () => {
    expect(withYear('名册（{year}年度）', 2024)).toBe('名册（2024年度）');
    const region = await loadSampleRegion('tianjin');
    expect(withYear(region.rosterTitle, 2024)).toMatch(/^[^{}]*2024年度[^{}]*$/);
  });

  it('refuses an unknown or ill-formed region name, naming the known ones', async () => {
    await expect(loadSampleRegion('nowhere')).rejects.toThrow(/unknown region "nowhere".*known regions: .*tianjin/);
    await expect(loadSampleRegion('../policies/tianjin')).rejects.toThrow(/region must be a name/);
  });

  it('names the line and key of every problem in a region file, in English', () => {
    const message = problemsOf((t) =>
      t
        .replace("code: '120101'", 'code: 120101')
        .replace('weight: 7', 'weight: 0')
        .replace(/^rosterTitle: .*$/m, "rosterTitle: '{city}名册'")
        .replace(/^(\s+)short:/m, '$1shrt:'),
    );
    expect(message).toMatch(/^broken\.yaml is invalid:/);
    expect(message).toMatch(/line \d+, districts\.0\.code: must be a quoted 6-digit GB\/T 2260 code/);
    expect(message).toMatch(/line \d+, districts\.1\.weight: must be > 0/);
    expect(message).toMatch(/rosterTitle: the only placeholder allowed is \{year\}/);
    expect(message).toMatch(/city\.short: is required/);
    expect(message).toMatch(/Unrecognized key: "shrt"/);
  });

  it('reads a district’s prefecture and the region’s person names, and refuses a district outside its prefecture', async () => {
    const xining = await loadSampleRegion('xining');
    const prefectures = xining.districts.filter((d) => d.prefecture !== undefined);
    expect(prefectures.length).toBeGreaterThan(0);
    for (const d of prefectures) expect(d.code.slice(0, 4)).toBe(d.prefecture?.divisionCode.slice(0, 4));
    expect(xining.personNames?.fullNames?.length).toBeGreaterThan(0);
    const text = readFileSync(new URL('../../templates/samples/xining.yaml', import.meta.url), 'utf8');
    const index = parseRegion(text, 'xining.yaml').districts.findIndex((d) => d.code === '630203');
    expect(() => parseRegion(text.replace("code: '630203'", "code: '630107'"), 'broken.yaml')).toThrow(
      new RegExp(`districts\\.${index}\\.code: district 630107 is not in its prefecture 630200`),
    );
  });

  it('reads the planning areas a region plans apart from its districts, and refuses one over a place no district has', async () => {
    const linyi = await loadSampleRegion('linyi');
    const areas = linyi.planningAreas ?? [];
    expect(areas.length).toBeGreaterThan(0);
    for (const area of areas) {
      for (const [district, places] of Object.entries(area.places)) {
        const d = linyi.districts.find((x) => x.name === district);
        if (!d) throw new Error(`no district ${district}`);
        for (const place of places) expect(planningAreaOf(linyi, d, place)).toBe(area.name);
        // the district's other places are planned in the district itself
        for (const place of [...d.streets, ...(d.towns ?? [])].filter((p) => !places.includes(p))) expect(planningAreaOf(linyi, d, place)).toBe(d.name);
      }
    }
    const tianjin = parseRegion(tianjinText, 'tianjin.yaml');
    const first = tianjin.districts[0];
    if (!first) throw new Error('no district');
    expect(planningAreaOf(tianjin, first, first.streets[0] ?? '')).toBe(first.name);
    const planned = (areasYaml: string): string => {
      try {
        parseRegion(`${tianjinText}\n${areasYaml}`, 'broken.yaml');
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('expected the planning areas to be refused');
    };
    expect(planned(`planningAreas:\n  - name: 新区\n    places:\n      无此区: [甲]\n`)).toMatch(/planningAreas\.0\.places\.无此区: no district named 无此区/);
    expect(planned(`planningAreas:\n  - name: 新区\n    places:\n      ${first.name}: [无此街]\n`)).toMatch(new RegExp(`planningAreas\\.0\\.places\\.${first.name}\\.0: 无此街 is not a street or town of ${first.name}`));
    expect(planned(`planningAreas:\n  - name: ${first.name}\n    places:\n      ${first.name}: [${first.streets[0] ?? ''}]\n`)).toMatch(/is also a district's name/);
    expect(planned(`planningAreas:\n  - name: 甲区\n    places:\n      ${first.name}: [${first.streets[0] ?? ''}]\n  - name: 乙区\n    places:\n      ${first.name}: [${first.streets[0] ?? ''}]\n`)).toMatch(/is already in planning area 甲区/);
  });

  it('refuses repeated districts and districts outside the city', () => {
    const message = problemsOf((t) => t.replace("code: '120103'", "code: '120102'").replace("code: '120119'", "code: '130119'"));
    expect(message).toMatch(/districts\.2: district code 120102 appears twice/);
    expect(message).toMatch(/districts\.15\.code: district 130119 is not in the province of city\.divisionCode 120000/);
  });

  it('leaves no region in the generator code: city, district names and codes live in the data files', async () => {
    const words = new Set<string>();
    for (const name of sampleRegionNames()) {
      const region = await loadSampleRegion(name);
      for (const w of [region.city.name, region.city.short, region.city.divisionCode]) words.add(w);
      for (const d of region.districts) words.add(d.name).add(d.code);
    }
    const dir = new URL('./', import.meta.url);
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files).toEqual(expect.arrayContaining(['generate.ts', 'scenarios/jiangsu.ts', 'scenarios/tianjin.ts', 'scenarios/xianyang.ts', 'scenarios/linyi.ts']));
    for (const file of files) {
      const code = readFileSync(new URL(file, dir), 'utf8');
      for (const w of words) expect(code.includes(w), `${file} contains ${w}`).toBe(false);
    }
  });
});
