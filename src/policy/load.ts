// Loading and validating policy.yaml: schema (zod) first, then the cross-field rules.
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { readdirSync } from 'node:fs';
import { LineCounter, parseDocument, isNode } from 'yaml';
import { z } from 'zod';
import { Decimal } from 'decimal.js';
import { policySchema, suspensionMonthsByPoints, type CurveBand, type Policy } from './schema.js';
import { allRefs, refDocument } from './refs.js';
import type { Problem } from '../problems.js';
import { LISTS, isListCode } from '../plan/lists.js';
import { DEPOSIT_METHODS } from '../plan/settle-deposits.js';
import { MODULES } from '../modules/index.js';

z.config(z.locales.zhCN());

export interface LoadedPolicy {
  policy: Policy;
  sha256: string;
  /** The file's text as read: the results keep a copy (what `settle` settles a year's deposits by). */
  text: string;
}

export type PolicyResult = { ok: true; value: LoadedPolicy } | { ok: false; problems: Problem[] };

/** Parses and validates policy text; `file` is used only in messages. */
export function parsePolicy(text: string, file: string): PolicyResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        file,
        row: e.linePos?.[0]?.line,
        message: `YAML 格式错误：${e.message.split('\n')[0]}`,
      })),
    };
  }
  const lineOf = (path: (string | number)[]): number | undefined => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const parsed = policySchema.safeParse(doc.toJS());
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
        const keys = issue.code === 'unrecognized_keys' ? `（未知的键：${issue.keys.join('、')}）` : '';
        return { file, row: lineOf(path), column: path.join('.') || '(根)', message: `${issue.message}${keys}` };
      }),
    };
  }
  const problems = policyRuleProblems(parsed.data).map((p) => ({ file, row: lineOf(p.path), column: p.path.join('.'), message: p.message }));
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { policy: parsed.data, sha256: createHash('sha256').update(text).digest('hex'), text } };
}

/**
 * The rules a schema cannot say: references between sections, orderings, monotone curves,
 * documents for every ref, list codes the registry knows, methods that are implemented.
 */
export function policyRuleProblems(policy: Policy): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const categoryCodes = new Set<string>();
  policy.categories.forEach((c, i) => {
    if (categoryCodes.has(c.code)) problems.push({ path: ['categories', i, 'code'], message: `分类代码 ${c.code} 重复` });
    categoryCodes.add(c.code);
  });
  const indicatorCodes = new Set<string>();
  policy.indicators.forEach((ind, i) => {
    if (indicatorCodes.has(ind.code)) problems.push({ path: ['indicators', i, 'code'], message: `指标编码 ${ind.code} 重复` });
    indicatorCodes.add(ind.code);
    if (ind.max > policy.scoring.fullMark) problems.push({ path: ['indicators', i, 'max'], message: `指标 ${ind.code} 的满分 ${ind.max} 超过总满分 ${policy.scoring.fullMark}` });
    ind.categories.forEach((c, j) => {
      if (!categoryCodes.has(c)) problems.push({ path: ['indicators', i, 'categories', j], message: `指标 ${ind.code} 引用了不存在的分类 ${c}` });
    });
  });
  for (const c of policy.categories) {
    if (!policy.indicators.some((ind) => ind.categories.includes(c.code))) {
      problems.push({ path: ['categories', policy.categories.indexOf(c)], message: `分类 ${c.code}（${c.name}）没有任何指标` });
    }
  }
  policy.grades.forEach((g, i) => {
    const prev = policy.grades[i - 1];
    if (prev && g.min >= prev.min) problems.push({ path: ['grades', i, 'min'], message: `等级分数线应从高到低排列：${g.name} 的 ${g.min} 不低于上一档 ${prev.name} 的 ${prev.min}` });
    if (g.min > policy.scoring.fullMark) problems.push({ path: ['grades', i, 'min'], message: `等级 ${g.name} 的分数线 ${g.min} 超过满分 ${policy.scoring.fullMark}` });
  });
  const lastGrade = policy.grades[policy.grades.length - 1];
  if (lastGrade && lastGrade.min !== 0) problems.push({ path: ['grades', policy.grades.length - 1, 'min'], message: '最低一档等级的分数线应为 0，使每个得分都有等级' });

  if (policy.scoring.localShare !== undefined) problems.push(...localShareProblems(policy, policy.scoring.localShare));
  const p = policy.personnel;
  if (p && !(p.keySupervisionAt < p.suspendAt && p.suspendAt < p.terminateAt && p.terminateAt <= p.initialPoints)) {
    problems.push({ path: ['personnel'], message: `记分档次应为 重点监管 ${p.keySupervisionAt} < 暂停 ${p.suspendAt} < 终止 ${p.terminateAt} ≤ 初始分值 ${p.initialPoints}` });
  }
  const months = p ? suspensionMonthsByPoints(p.suspensionMonths) : {};
  for (const key of Object.keys(months)) {
    if (p && (Number(key) < p.suspendAt || Number(key) >= p.terminateAt)) problems.push({ path: ['personnel', 'suspensionMonths', key], message: `暂停期限对应的分值应在 ${p.suspendAt} 至 ${p.terminateAt - 1} 之间` });
  }
  if (p && !Object.keys(months).some((k) => Number(k) === p.suspendAt)) problems.push({ path: ['personnel', 'suspensionMonths'], message: `应给出记满 ${p.suspendAt} 分时的暂停月数` });

  const staffing = policy.sanctions.staffing;
  if (staffing) {
    staffing.bands.forEach((b, i) => {
      const last = i === staffing.bands.length - 1;
      if (last && b.maxBeds !== undefined) problems.push({ path: ['sanctions', 'staffing', 'bands', i, 'maxBeds'], message: '最后一档不设床位上限（其余床位数都归入这一档）' });
      if (!last && b.maxBeds === undefined) problems.push({ path: ['sanctions', 'staffing', 'bands', i], message: '除最后一档外，每档都应给出床位上限 maxBeds' });
      const before = staffing.bands[i - 1]?.maxBeds;
      if (before !== undefined && b.maxBeds !== undefined && b.maxBeds <= before) problems.push({ path: ['sanctions', 'staffing', 'bands', i, 'maxBeds'], message: `床位上限应逐档增大（上一档为 ${before}）` });
    });
  }
  const term = policy.sanctions.agreementTerm;
  if (term && term.extendedYears <= term.years) problems.push({ path: ['sanctions', 'agreementTerm', 'extendedYears'], message: `延长续签的年限应长于一般协议期限（${term.years} 年）` });

  const { deposit } = policy;
  if (deposit.method === 'pool' && !deposit.pool) problems.push({ path: ['deposit'], message: 'method 为 pool 时必须给出 pool（统筹分配的权重、门槛等）' });
  if (deposit.pool?.floorRatio !== undefined && deposit.pool.capRatio !== undefined && deposit.pool.floorRatio > deposit.pool.capRatio) {
    problems.push({ path: ['deposit', 'pool', 'floorRatio'], message: `保底比例 ${deposit.pool.floorRatio} 高于封顶比例 ${deposit.pool.capRatio}` });
  }
  if (!DEPOSIT_METHODS[deposit.method]) {
    problems.push({ path: ['deposit', 'method'], message: `质量保证金方式 ${deposit.method} 尚未实现，可用：${Object.keys(DEPOSIT_METHODS).join('、')}` });
  }
  if (deposit.method === 'refund') {
    if (!deposit.refundCurve) problems.push({ path: ['deposit'], message: 'method 为 refund 时必须给出 refundCurve（返还比例曲线）' });
    else problems.push(...refundCurveProblems(deposit.refundCurve.bands, policy.scoring.fullMark));
  }
  problems.push(...documentProblems(policy), ...publicationProblems(policy));
  return problems;
}

/** SPEC §5.3: the city's own indicators carry exactly `localShare` of each category's full mark. */
function localShareProblems(policy: Policy, share: number) {
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const c of policy.categories) {
    const inCategory = policy.indicators.filter((i) => i.categories.includes(c.code));
    const full = inCategory.reduce((a, i) => a.plus(i.max), new Decimal(0));
    const local = inCategory.filter((i) => i.local).reduce((a, i) => a.plus(i.max), new Decimal(0));
    const wanted = full.times(share);
    if (!local.eq(wanted)) {
      problems.push({ path: ['scoring', 'localShare'], message: `分类 ${c.code}（${c.name}）的地方指标（local: true）合计 ${local.toString()} 分，应为本类满分 ${full.toString()} 的 ${new Decimal(share).times(100).toString()}%，即 ${wanted.toString()} 分` });
    }
  }
  return problems;
}

/** Every ref that names a document file needs the document's display title in `documents:` (public text never shows a file name). */
function documentProblems(policy: Policy) {
  const problems: { path: (string | number)[]; message: string }[] = [];
  for (const { path, ref } of allRefs(policy)) {
    const doc = refDocument(ref);
    if (doc && !policy.documents?.[doc.file]) problems.push({ path, message: `依据「${ref}」引用的文件 ${doc.file} 没有在 documents 中给出文件标题（公示文本只引用标题，不引用文件名）` });
  }
  return problems;
}

/** Published lists must be in the registry, and filled by a module the policy switches on. */
function publicationProblems(policy: Policy) {
  const problems: { path: (string | number)[]; message: string }[] = [];
  policy.publication.lists.forEach((code, i) => {
    const path = ['publication', 'lists', i];
    if (!isListCode(code)) {
      problems.push({ path, message: `没有名为 ${code} 的名单，可用：${LISTS.map((l) => `${l.code}（${l.title}）`).join('、')}` });
      return;
    }
    const module = MODULES.find((m) => m.lists.some((l) => l.code === code));
    if (module && !module.enabled(policy)) problems.push({ path, message: `名单 ${code} 由 ${module.id} 模块产生，但政策文件没有启用该模块` });
    const def = LISTS.find((l) => l.code === code);
    if (def?.available && !def.available(policy)) problems.push({ path, message: `名单 ${code}（${def.title}）在本政策的设置下不会产生（例如资金分配方案只在 deposit.method 为 pool 时产生）` });
  });
  return problems;
}

function refundCurveProblems(bands: CurveBand[], fullMark: number) {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const at = (i: number, key?: string) => ['deposit', 'refundCurve', 'bands', i, ...(key ? [key] : [])];
  bands.forEach((band, i) => {
    const higher = bands[i - 1];
    if (higher && band.min >= higher.min) problems.push({ path: at(i, 'min'), message: `返还曲线分段应从高到低排列：${band.min} 不低于上一段的 ${higher.min}` });
    if (band.linearTo) {
      if (!higher || band.linearTo.score !== higher.min) problems.push({ path: at(i, 'linearTo'), message: `线性段的终点分数应等于上一段的起点 ${higher?.min ?? fullMark}` });
      if (band.linearTo.ratio < band.ratio) problems.push({ path: at(i, 'linearTo'), message: '返还比例不得随分数升高而降低' });
    }
    const top = band.linearTo?.ratio ?? band.ratio;
    if (higher && top > higher.ratio) problems.push({ path: at(i, 'ratio'), message: `返还比例不得随分数升高而降低：${band.min} 分段的比例 ${top} 高于上一段的 ${higher.ratio}` });
  });
  const last = bands[bands.length - 1];
  if (last && last.min !== 0) problems.push({ path: at(bands.length - 1, 'min'), message: '返还曲线最低一段的起点应为 0' });
  return problems;
}

export async function loadPolicyFile(file: string): Promise<PolicyResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { ok: false, problems: [{ file, message: '找不到政策文件 policy.yaml（可用 assess init 创建工作目录）' }] };
  }
  return parsePolicy(text, file);
}

const PROFILE_DIR = fileURLToPath(new URL('../../templates/policies/', import.meta.url));

export function profilePath(profile: string): string {
  return `${PROFILE_DIR}${profile}.yaml`;
}

export function listProfiles(): string[] {
  return readdirSync(PROFILE_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}
