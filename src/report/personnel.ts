// The personnel module's own outputs (SPEC §6): personnel.csv, one row per person with
// stable English columns, and 人员记分-Y.xlsx for the office — every person with their
// events, then the persons under key supervision, suspended and terminated. Internal: full
// names; no ID numbers anywhere (they were only checked). Byte-deterministic for a plan.
import { stringify } from 'csv-stringify/sync';
import type { PersonOutcome } from '../modules/personnel/index.js';
import { carriedOf, personEvents, personnelRules } from '../modules/personnel/index.js';
import type { YearPlan } from '../plan/year-plan.js';
import { citePath } from '../policy/refs.js';
import { walkPerson } from '../rules/personnel.js';
import type { OutputFile } from './output.js';
import { institutionName } from './list-layouts.js';
import { signOff } from './sign-off.js';
import { PrintBook, PrintableSheet } from './workbook-style.js';
import { safeText } from './workbook-style.js';

export const PERSONNEL_COLUMNS = ['person', 'name', 'institutions', 'deducted', 'repaired', 'points', 'status', 'suspended_from', 'suspended_until', 'terminated_on', 'one_shot', 'banned_until'] as const;

export const PERSON_STATUS_NAMES: Readonly<Record<string, string>> = { normal: '正常', keySupervision: '重点监管', suspended: '暂停', terminated: '终止' };

/** A person of last year's state with no event this year: a ban or suspension still running. */
interface CarriedOnly {
  code: string;
  name: string;
  bannedUntil: string;
  terminatedOn: string;
  oneShot: boolean;
  suspendedFrom: string;
  suspendedUntil: string;
}

/** One person's figures as both outputs show them. */
interface PersonLine {
  code: string;
  name: string;
  institutions: string[];
  deducted: number;
  repaired: number;
  points: number;
  status: string;
  keySupervisionOn: string;
  suspendedFrom: string;
  suspendedUntil: string;
  suspensionEndedEarly: boolean;
  terminatedOn: string;
  oneShot: boolean;
  bannedUntil: string;
  /** Last year's ban was in force when this year's first event came. */
  eventsInBan: boolean;
  outcome?: PersonOutcome;
}

function lineOf(o: PersonOutcome): PersonLine {
  const y = o.year;
  // This year's suspension, else last year's still running into it.
  const suspension = y.suspension ? { from: y.suspension.date, until: y.suspension.until, early: y.suspension.endedEarlyOn !== null } : y.carriedSuspension ? { from: y.carriedSuspension.from, until: y.carriedSuspension.until, early: y.carriedSuspension.endedEarlyOn !== null } : null;
  return {
    code: o.person.code,
    name: o.person.name,
    institutions: o.institutions,
    deducted: y.deducted,
    repaired: y.repaired,
    points: y.points,
    status: y.status,
    keySupervisionOn: y.keySupervision?.date ?? '',
    suspendedFrom: suspension?.from ?? '',
    suspendedUntil: suspension?.until ?? '',
    suspensionEndedEarly: suspension?.early ?? false,
    terminatedOn: y.termination?.date ?? y.banned?.terminatedOn ?? '',
    oneShot: y.termination?.oneShot ?? y.banned?.oneShot ?? false,
    bannedUntil: y.termination?.bannedUntil ?? y.banned?.until ?? '',
    eventsInBan: y.banned !== null,
    outcome: o,
  };
}

/** Last year's persons with no event this year whose ban or suspension still ran into the year (even if it ended in it). */
function carriedOnly(plan: YearPlan): CarriedOnly[] {
  const run = plan.modules.personnel;
  const yearStart = `${plan.year}-01-01`;
  const out: CarriedOnly[] = [];
  for (const [code, raw] of Object.entries(plan.prior.state?.personnel ?? {})) {
    if (run?.outcomes.has(code) || typeof raw !== 'object' || raw === null) continue;
    const p = raw as Record<string, unknown>;
    const text = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
    if (!(text('banned_until') > yearStart || text('suspended_until') > yearStart)) continue;
    out.push({ code, name: text('name'), bannedUntil: text('banned_until'), terminatedOn: text('terminated_on'), oneShot: p.one_shot === true, suspendedFrom: text('suspended_from'), suspendedUntil: text('suspended_until') });
  }
  return out;
}

/** Every person of the year in code order: those with events, then those carried from last year with a ban or suspension still running. */
function personLines(plan: YearPlan): PersonLine[] {
  const run = plan.modules.personnel;
  if (!run) return [];
  const lines = [...run.outcomes.values()].map(lineOf);
  for (const c of carriedOnly(plan)) {
    lines.push({ code: c.code, name: c.name, institutions: [], deducted: 0, repaired: 0, points: 0, status: 'normal', keySupervisionOn: '', suspendedFrom: c.suspendedFrom, suspendedUntil: c.suspendedUntil, suspensionEndedEarly: false, terminatedOn: c.terminatedOn, oneShot: c.oneShot, bannedUntil: c.bannedUntil, eventsInBan: false });
  }
  return lines.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export function personnelCsv(plan: YearPlan): OutputFile {
  const rows = personLines(plan).map((l) =>
    [l.code, l.name, l.institutions.join(';'), String(l.deducted), String(l.repaired), String(l.points), l.status, l.suspendedFrom, l.suspendedUntil, l.terminatedOn, String(l.oneShot), l.bannedUntil].map((v) => safeText(v, 'csv')),
  );
  return { name: 'personnel.csv', content: stringify([[...PERSONNEL_COLUMNS], ...rows], { record_delimiter: '\n' }) };
}

const EVENT_WORDS: Readonly<Record<string, string>> = { 记分: '记分', 修复: '修复', 恢复: '恢复（提前结束暂停）' };

export async function personnelWorkbook(plan: YearPlan): Promise<OutputFile> {
  const run = plan.modules.personnel;
  const policy = plan.policy.personnel;
  const wb = new PrintBook(plan.year);
  const lines = personLines(plan);
  const where = (codes: readonly string[]) => codes.map((c) => `${c} ${institutionName(plan, c) ?? ''}`.trim()).join('；');
  const region = plan.policy.region;

  const all = new PrintableSheet(wb, {
    name: '人员记分汇总',
    title: `${region}${plan.year}年度定点医药机构相关人员医保支付资格记分汇总`,
    subtitle: `每个自然年度记分周期为12分；累计 ${policy?.keySupervisionAt ?? ''} 分重点监管，${policy?.suspendAt ?? ''} 分暂停，${policy?.terminateAt ?? ''} 分终止（${citePath(plan.policy, 'personnel')}）`,
    columns: [
      { header: '人员编码', kind: 'code' },
      { header: '姓名', kind: 'text' },
      { header: '所在机构', kind: 'text', wrap: true },
      { header: '记分', kind: 'int' },
      { header: '修复', kind: 'int' },
      { header: '累计记分', kind: 'int' },
      { header: '年度状态', kind: 'text' },
      { header: '重点监管起', kind: 'text' },
      { header: '暂停起', kind: 'text' },
      { header: '暂停至（不含）', kind: 'text' },
      { header: '终止日期', kind: 'text' },
      { header: '一次性记满12分', kind: 'text' },
      { header: '不得再次登记备案至', kind: 'text' },
    ],
  });
  for (const l of lines) {
    all.add([l.code, l.name, where(l.institutions), l.deducted, l.repaired, l.points, PERSON_STATUS_NAMES[l.status] ?? l.status, l.keySupervisionOn, l.suspendedFrom, l.suspendedUntil + (l.suspensionEndedEarly ? '（提前恢复）' : ''), l.terminatedOn, l.terminatedOn ? (l.oneShot ? '是' : '否') : '', l.bannedUntil]);
  }
  if (lines.length === 0) all.note('（本年度无人员记分）');
  all.note('“所在机构”为本年度记分事件涉及的机构；无记分事件的人员为上年度终止或暂停、期限尚未届满者。');
  signOff(all, plan.policy);

  const packed = run?.outcomes.values().next().value?.events;
  const source = packed ? `${packed.file}${packed.sheet ? `（${packed.sheet}）` : ''}` : '';
  const events = new PrintableSheet(wb, {
    name: '记分明细',
    title: `${region}${plan.year}年度人员记分明细`,
    subtitle: source ? `按人员、记分日期排列；“行号”为 ${source} 中的行` : undefined,
    plain: true,
    columns: [
      { header: '人员编码', kind: 'code' },
      { header: '姓名', kind: 'text' },
      { header: '记分日期', kind: 'text' },
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text' },
      { header: '事件类型', kind: 'text' },
      { header: '分值', kind: 'int' },
      { header: '情形', kind: 'text' },
      { header: '累计记分', kind: 'int' },
      { header: '行号', kind: 'int' },
    ],
  });
  if (run && policy) {
    const rules = personnelRules(policy);
    for (const l of lines) {
      const o = l.outcome;
      if (!o) continue;
      const list = personEvents(o.events, o.eventIndexes);
      const situations = Array.from(o.eventIndexes, (i) => o.events.situations[o.events.situation[i]!] ?? '');
      let k = 0;
      walkPerson(list, carriedOf(plan.prior, l.code), rules, (e, running) => {
        events.add([l.code, l.name, e.date, e.institution, institutionName(plan, e.institution) ?? '', EVENT_WORDS[e.kind] ?? e.kind, e.points, situations[k] ?? '', running, e.row]);
        k += 1;
      });
    }
  }

  const outcomeSheet = (name: string, title: string, columns: { header: string; cell: (l: PersonLine) => string | number }[], keep: (l: PersonLine) => boolean, note: string) => {
    const sheet = new PrintableSheet(wb, {
      name,
      title: `${region}${plan.year}年度${title}`,
      columns: [{ header: '人员编码', kind: 'code' }, { header: '姓名', kind: 'text' }, { header: '所在机构', kind: 'text', wrap: true }, { header: '累计记分', kind: 'int' }, ...columns.map((c) => ({ header: c.header, kind: 'text' as const }))],
    });
    const kept = lines.filter(keep);
    for (const l of kept) sheet.add([l.code, l.name, where(l.institutions), l.points, ...columns.map((c) => c.cell(l))]);
    if (kept.length === 0) sheet.note('（无）');
    sheet.note(note);
  };
  outcomeSheet('重点监管', '重点监管人员名单', [{ header: '重点监管起', cell: (l) => l.keySupervisionOn }], (l) => l.status === 'keySupervision', `依据：${citePath(plan.policy, 'personnel.keySupervisionAt')}。本年度最高达到重点监管、未达到暂停的人员。`);
  outcomeSheet(
    '暂停',
    '暂停医保支付资格人员名单',
    [
      { header: '暂停起', cell: (l) => l.suspendedFrom },
      { header: '暂停至（不含）', cell: (l) => l.suspendedUntil },
      { header: '说明', cell: (l) => (l.suspensionEndedEarly ? '已提前恢复' : '') },
    ],
    (l) => l.status === 'suspended',
    `依据：${citePath(plan.policy, 'personnel.suspendAt')}。暂停期间提供服务发生的医保费用不予结算（急诊、抢救除外）。`,
  );
  outcomeSheet(
    '终止',
    '终止医保支付资格人员名单',
    [
      { header: '终止日期', cell: (l) => l.terminatedOn },
      { header: '记满方式', cell: (l) => (l.oneShot ? '一次性记满12分' : '累计记满12分') },
      { header: '不得再次登记备案至', cell: (l) => l.bannedUntil },
    ],
    (l) => l.status === 'terminated',
    `依据：${citePath(plan.policy, 'personnel.bans')}。`,
  );
  outcomeSheet(
    '终止期内仍有记分',
    '终止医保支付资格期内仍有记分记录的人员名单',
    [
      { header: '终止日期', cell: (l) => l.terminatedOn },
      { header: '不得再次登记备案至', cell: (l) => l.bannedUntil },
      { header: '本年度状态', cell: (l) => PERSON_STATUS_NAMES[l.status] ?? l.status },
    ],
    (l) => l.eventsInBan,
    `依据：${citePath(plan.policy, 'personnel.bans')}。上年度已终止、不得再次登记备案的人员，本年度仍有记分记录：请核查其登记备案状态和期间发生的医保费用。`,
  );
  return wb.file(`人员记分-${plan.year}.xlsx`);
}
