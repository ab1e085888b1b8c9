// The scenarios, one per policy profile with a sample: a region file names its profile
// (templates/samples/<region>.yaml `profile:`), and the profile picks the scenario here.

import type { Scenario } from '../scenario.js';
import { jiangsuScenario, type JiangsuResult } from './jiangsu.js';
import { linyiScenario, type LinyiResult } from './linyi.js';
import { qinghaiScenario, type QinghaiResult } from './qinghai.js';
import { tianjinScenario, type TianjinResult } from './tianjin.js';
import { xianyangScenario, type XianyangResult } from './xianyang.js';

export type { TianjinResult, TianjinSpecialCases, BandEdgeCase } from './tianjin.js';
export type { JiangsuResult, JiangsuSpecialCases, JiangsuAppeal, ExpertReview } from './jiangsu.js';
export type { XianyangResult, XianyangSpecialCases, XianyangCase, XianyangRole } from './xianyang.js';
export type { QinghaiResult, QinghaiSpecialCases, QinghaiCase, QinghaiRole, PersonExpectation, ChargedInstitution } from './qinghai.js';
export type { LinyiResult, LinyiSpecialCases, LinyiCase, LinyiRole, LinyiExpectation } from './linyi.js';

/** What a generated workspace holds, by profile (`profile` tells which). */
export type ScenarioResult = TianjinResult | JiangsuResult | XianyangResult | QinghaiResult | LinyiResult;

export const SCENARIOS: readonly Scenario<ScenarioResult>[] = [tianjinScenario, jiangsuScenario, xianyangScenario, qinghaiScenario, linyiScenario];

export function scenarioOf(profile: string): Scenario<ScenarioResult> | undefined {
  return SCENARIOS.find((s) => s.profile === profile);
}
