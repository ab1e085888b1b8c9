import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listProfiles, parsePolicy } from '../../src/policy/load.js';
import { citationAt } from '../../src/policy/refs.js';
import { suspensionMonthsByPoints } from '../../src/policy/schema.js';

const tianjin = readFileSync('templates/policies/tianjin.yaml', 'utf8');
const problemsOf = (text: string) => {
  const r = parsePolicy(text, 'policy.yaml');
  return r.ok ? [] : r.problems;
};

describe('shipped profiles', () => {
  it('are all valid', () => {
    expect(listProfiles()).toContain('tianjin');
    for (const p of listProfiles()) expect(problemsOf(readFileSync(`templates/policies/${p}.yaml`, 'utf8'))).toEqual([]);
  });
  it('tianjin: three categories, three 第九条 dimensions, 100 points for inpatient hospitals and pharmacies', () => {
    const r = parsePolicy(tianjin, 'p');
    if (!r.ok) throw new Error('invalid');
    const { policy } = r.value;
    expect(policy.categories.map((c) => c.code)).toEqual(['inpatient', 'outpatient', 'pharmacy']);
    expect(new Set(policy.indicators.map((i) => i.dimension))).toEqual(new Set(['联网医疗费考核', '实地考核', '医药采购管理考核']));
    const sum = (cat: string) => policy.indicators.filter((i) => i.categories.includes(cat)).reduce((a, i) => a + i.max, 0);
    expect(sum('inpatient')).toBe(100);
    expect(sum('pharmacy')).toBe(100);
    expect(policy.sanctions.consecutiveLow?.enabled).toBe(true);
    for (const ind of policy.indicators) expect(ind.ref).toMatch(/^000_3a4deebdc5933d85\.txt 第/);
  });
});

describe('the Jiangsu profile (苏医保办发〔2023〕26号)', () => {
  const jiangsu = readFileSync('templates/policies/jiangsu.yaml', 'utf8');
  it('two categories of 定点医疗机构, 100 points each, the city’s 10 % local, monitored indicators, the whole pool', () => {
    const r = parsePolicy(jiangsu, 'p');
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const { policy } = r.value;
    expect(policy.scope?.kinds).toEqual(['医疗机构']);
    for (const c of ['inpatient', 'outpatient']) {
      const inCategory = policy.indicators.filter((i) => i.categories.includes(c));
      expect(inCategory.reduce((a, i) => a + i.max, 0)).toBe(100);
      expect(inCategory.filter((i) => i.local).reduce((a, i) => a + i.max, 0)).toBe(10);
      expect(inCategory.some((i) => i.monitored)).toBe(true);
    }
    expect(new Set(policy.indicators.filter((i) => !i.local).map((i) => i.dimension))).toEqual(new Set(['医保政策执行', '医保改革政策落地', '医保基金管理使用', '医保标准化信息化建设', '医保管理服务提升']));
    expect(policy.deposit).toMatchObject({ method: 'pool', pool: { unqualified: 'redistribute' } });
    for (const i of policy.indicators) expect(i.assumed).toBe(true); // the annexes are not in the seed
  });
  it('refuses local indicators that are not the localShare of each category', () => {
    const p = problemsOf(jiangsu.replace('{ code: DS02, name: 设区市年度重点特色工作（二）, dimension: 设区市特色指标, max: 4,', '{ code: DS02, name: 设区市年度重点特色工作（二）, dimension: 设区市特色指标, max: 5,'));
    expect(p.some((x) => x.column === 'scoring.localShare' && x.message.includes('inpatient') && x.message.includes('合计 11 分') && x.message.includes('即 10.1 分'))).toBe(true);
  });
  it('refuses a pool without its parameters, and the allocation list under a refund', () => {
    expect(problemsOf(jiangsu.replace(/  pool:\n(    .*\n)+/, '')).some((x) => x.message.includes('method 为 pool 时必须给出 pool'))).toBe(true);
    const refund = problemsOf(tianjin.replace('lists: [results, noRenewal, terminated]', 'lists: [results, allocation]'));
    expect(refund.some((x) => x.column === 'publication.lists.1' && x.message.includes('资金分配方案'))).toBe(true);
  });
});

describe('the Tianjin sample', () => {
  it('uses the shipped profile unchanged', () => {
    expect(readFileSync('samples/tianjin/policy.yaml', 'utf8')).toBe(tianjin);
  });
});

describe('policy validation messages', () => {
  it('rejects a rate above 10 % with the article, at its line', () => {
    const p = problemsOf(tianjin.replace('rate: 0.10', 'rate: 0.12'));
    expect(p).toHaveLength(1);
    expect(p[0]!.column).toBe('deposit.rate');
    expect(p[0]!.message).toContain('不得超过 0.10');
    expect(tianjin.split('\n')[p[0]!.row! - 1]).toContain('rate: 0.10');
  });
  it('names an unknown key', () => {
    const p = problemsOf(tianjin.replace('  method: refund', '  method: refund\n  metod: pool'));
    expect(p.some((x) => x.message.includes('metod') && x.column === 'deposit')).toBe(true);
  });
  it('names a wrong type', () => {
    const p = problemsOf(tianjin.replace('fullMark: 100', 'fullMark: 一百'));
    expect(p[0]!.column).toBe('scoring.fullMark');
  });
  it('rejects grade bands out of order', () => {
    const p = problemsOf(tianjin.replace('{ min: 60, name: 合格', '{ min: 95, name: 合格'));
    expect(p.some((x) => x.column === 'grades.1.min' && x.message.includes('从高到低'))).toBe(true);
  });
  it('rejects a refund curve that pays less for a higher score', () => {
    const p = problemsOf(tianjin.replace('- { min: 80, ratio: 1 }', '- { min: 80, ratio: 0.9 }'));
    expect(p.some((x) => x.message.includes('不得随分数升高而降低'))).toBe(true);
  });
  it('rejects an indicator of an unknown category', () => {
    const p = problemsOf(tianjin.replace('categories: [pharmacy], ref: 000_3a4deebdc5933d85.txt 第九条, assumed: true }\n  - { code: P02', 'categories: [drugstore], ref: x, assumed: true }\n  - { code: P02'));
    expect(p.some((x) => x.message.includes('drugstore'))).toBe(true);
  });
  it('requires a display title for every document a ref names, so no file name reaches public text', () => {
    const p = problemsOf(tianjin.replace('documents:\n  000_3a4deebdc5933d85.txt: 《天津市医疗保障协议考核办法》\n', ''));
    expect(p.length).toBeGreaterThan(10);
    expect(p.some((x) => x.column === 'sanctions.consecutiveLow.ref' && x.message.includes('documents') && x.message.includes('000_3a4deebdc5933d85.txt'))).toBe(true);
  });
  it('rejects a published list the registry does not know, or whose module is off', () => {
    const unknown = problemsOf(tianjin.replace('lists: [results, noRenewal, terminated]', 'lists: [results, blacklist]'));
    expect(unknown).toEqual([expect.objectContaining({ column: 'publication.lists.1', message: expect.stringContaining('没有名为 blacklist 的名单') })]);
    const off = problemsOf(tianjin.replace('  consecutiveLow:\n    enabled: true', '  consecutiveLow:\n    enabled: false'));
    expect(off).toEqual([expect.objectContaining({ column: 'publication.lists.1', message: expect.stringContaining('consecutiveLow') })]);
  });
  it('refuses a switch to the pool without the pool’s parameters', () => {
    const p = problemsOf(tianjin.replace('  method: refund', '  method: pool'));
    expect(p.some((x) => x.column === 'deposit' && x.message.includes('method 为 pool 时必须给出 pool'))).toBe(true);
  });
  it('rejects an indicator worth more than the full mark', () => {
    const p = problemsOf(tianjin.replace('{ code: P03, name: 实地检查, dimension: 实地考核, max: 35', '{ code: P03, name: 实地检查, dimension: 实地考核, max: 135'));
    expect(p.some((x) => x.column === 'indicators.11.max' && x.message.includes('超过总满分'))).toBe(true);
  });
  it('reports YAML syntax errors with the line', () => {
    const p = problemsOf('region: 天津市\n  bad: [\n');
    expect(p[0]!.message).toContain('YAML');
    expect(p[0]!.row).toBeGreaterThan(0);
  });
});

describe('the Qinghai profile (12-point system of persons)', () => {
  const r = parsePolicy(readFileSync('templates/policies/qinghai.yaml', 'utf8'), 'p');
  if (!r.ok) throw new Error('invalid');
  const { policy } = r.value;
  it('thresholds and bans cite 三（五）, repair 三（六）; the suspension months, the institution deduction and the 情形 are assumed', () => {
    expect(citationAt(policy, 'personnel.suspendAt')).toMatchObject({ ref: '003_d9af4a86488cae1c.txt 三（五）', assumed: false });
    expect(citationAt(policy, 'personnel.bans')).toMatchObject({ ref: '003_d9af4a86488cae1c.txt 三（五）', assumed: false });
    expect(citationAt(policy, 'personnel.repair')).toMatchObject({ ref: '003_d9af4a86488cae1c.txt 三（六）', assumed: false });
    expect(citationAt(policy, 'personnel.suspensionMonths').assumed).toBe(true);
    // a plain number under an assumed object is assumed too
    expect(citationAt(policy, 'personnel.deductions.suspended').assumed).toBe(true);
    expect(citationAt(policy, 'personnel.situations').assumed).toBe(true);
    expect(citationAt(policy, 'personnel.severities')).toMatchObject({ ref: '003_d9af4a86488cae1c.txt 三（五）', assumed: false });
    expect(suspensionMonthsByPoints(policy.personnel!.suspensionMonths)).toEqual({ 9: 1, 10: 2, 11: 3 });
  });
  it('refuses thresholds out of order and suspension months outside 1–6 or for points outside 9–11', () => {
    const text = readFileSync('templates/policies/qinghai.yaml', 'utf8');
    const messages = (t: string) => problemsOf(t).map((p) => p.message).join('\n');
    expect(messages(text.replace('suspendAt: 9 ', 'suspendAt: 5 '))).toContain('记分档次应为 重点监管 6 < 暂停 5');
    expect(messages(text.replace('{ 9: 1, 10: 2, 11: 3, assumed: true }', '{ 9: 1, 10: 7, assumed: true }'))).toContain('1个月以上6个月以下');
    expect(messages(text.replace('{ 9: 1, 10: 2, 11: 3, assumed: true }', '{ 9: 1, 12: 2, assumed: true }'))).toContain('应在 9 至 11 之间');
    expect(messages(text.replace('{ 9: 1, 10: 2, 11: 3, assumed: true }', '{ 10: 2, assumed: true }'))).toContain('记满 9 分时的暂停月数');
  });
});
