// The sign-off block at the foot of every sheet an office signs (考核结果, 质量保证金, 公示名单,
// 人员记分): the issuing office, then 经办人 / 复核人 / 负责人 and the date, left blank to sign.
import type { Policy } from '../policy/schema.js';
import type { PrintableSheet } from './workbook-style.js';

const BLANK = '＿＿＿＿＿＿';

export function signOff(sheet: PrintableSheet, policy: Pick<Policy, 'publication'>): void {
  sheet.sign(`编制单位：${policy.publication.issuer ?? BLANK + BLANK}`);
  sheet.sign(`经办人：${BLANK}　　　复核人：${BLANK}　　　负责人：${BLANK}　　　日期：＿＿＿＿年＿＿月＿＿日`);
}
