// A scenario: what one policy profile's sample holds beyond the shared machinery (roster,
// settlements, violations, workbooks): which categories it scores, who the special cases
// are, how the score files look, and the README that lists them. One per profile in
// src/sample/scenarios/, registered in scenarios/index.ts.

import { withYear, type Category, type SampleRegion } from './region.js';

export interface ScenarioContext {
  outDir: string;
  /** inputs/<year>/ under outDir, made already. */
  inputsDir: string;
  seed: number;
  /** Institutions in the roster. */
  institutions: number;
  year: number;
  /** Months of settlement per institution, 1..12. */
  months: number;
  /** Rows of each year's 人员记分 (--events), for a scenario that writes it; undefined: the scenario's own number. */
  personnelEvents?: number;
  region: SampleRegion;
}

export interface Scenario<R> {
  /** templates/policies/<profile>.yaml: the profile whose sample this is. */
  profile: string;
  /** The region made when only the profile is asked for: templates/samples/<defaultRegion>.yaml. */
  defaultRegion: string;
  /** The categories the profile scores: the region's profile must have indicators for each. */
  scored: readonly Category[];
  /** Fewest institutions the special cases need. */
  minInstitutions: number;
  /** Writes 人员记分 and takes `personnelEvents` (--events). */
  personnel?: boolean;
  /** Writes inputs/<year>/* (and later years' folders where the scenario spans several, as xianyang's does) and README.md (policy.yaml is written by the caller). */
  generate(ctx: ScenarioContext): Promise<R>;
}

/** The region the command line makes when neither --region nor --profile is given (the shipped Tianjin sample). */
export const DEFAULT_REGION = 'tianjin';

/** The first lines of a sample's README: its title, what it is, and the command that makes it again. */
export function readmeHead(region: SampleRegion, seed: number, year: number, n: number): string[] {
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
  ];
}
