// `assess explain year Y CODE` on the Tianjin sample: every figure of three institutions
// walked back to its input rows and article, checked against the raw rows by hand.
import { cpSync, mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/workspace.js';

let ws: string;

beforeAll(async () => {
  ws = join(mkdtempSync(join(tmpdir(), 'assess-explain-')), 'tianjin');
  cpSync('samples/tianjin', ws, { recursive: true });
  const run = await runCli(['year', '2024', '-w', ws]);
  expect(run.code).toBe(0);
}, 60_000);

const fen = (yuan: string) => Math.round(Number(yuan.replace(/,/g, '')) * 100);

describe('assess explain', () => {
  it('H12011600001: 88.2 − 5 (the 暂停结算 handled 2024-02-23, its row) = 83.20, and twelve withholdings adding up to 6,362,221.83', async () => {
    const run = await runCli(['explain', 'year', '2024', 'H12011600001', '-w', ws]);
    expect(run.code).toBe(0);
    const text = run.stdout;
    expect(text).toContain('指标得分合计：88.2');
    expect(text).toMatch(/扣分 5 分：暂停结算（2023-12-13 发生，2024-02-23 处理.*〔inputs\/2024\/违规记录\.xlsx 工作表「违规记录」第4行〕.*依据：《天津市医疗保障协议考核办法》第八条/);
    expect(text).toContain('考核得分：88.2 − 5 = 83.2，限定在 0 至 100 分，保留 2 位小数（四舍五入）→ 83.20');
    const months = [...text.matchAll(/^ {2}2024-(\d\d)：结算 ([\d,.]+) 元 × 10% = ([\d,.]+) 元.*〔inputs\/2024\/月度结算\.csv 第(\d+)行〕/gm)];
    expect(months.map((m) => m[1])).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12']);
    // Each month is 10 % of its settlement, half up to the fen; the twelve add up to the total.
    for (const m of months) expect(fen(m[3]!)).toBe(Math.round(fen(m[2]!) / 10));
    expect(months.reduce((a, m) => a + fen(m[3]!), 0)).toBe(636_222_183);
    expect(text).toContain('预留合计：6,362,221.83 元（12 个月）');
    // The rows named are the institution's own rows of the settlement file.
    const csv = readFileSync(join(ws, 'inputs/2024/月度结算.csv'), 'utf8').split(/\r?\n/);
    for (const m of months) expect(csv[Number(m[4]) - 1]).toMatch(/^H12011600001,/);
  });

  it('H12010100001 (three deductions, partial refund): 84.4 − 7 = 77.40, ratio 92.2 %, 9,649,580.61 × 0.922 = 8,896,913.32', async () => {
    const { stdout } = await runCli(['explain', 'year', '2024', 'H12010100001', '-w', ws]);
    expect(stdout).toContain('扣分 3 分：不予支付');
    expect(stdout).toContain('扣分 2 分：扣分（2024-06-22 发生，2024-07-12 处理，依据 协议，分值取该行「扣分」列）');
    expect(stdout).toContain('扣分 2 分：约谈');
    expect(stdout).toContain('考核得分：84.4 − 7 = 77.4，');
    expect(stdout).toContain('排名：第 94 名，共 111 家已评分');
    expect(stdout).toContain('返还比例：92.2%');
    expect(stdout).toContain('拨付：8,896,913.32 元');
    expect(stdout).toContain('扣除：752,667.29 元');
  });

  it('H12010100005 (outpatient): 59.3 of 95 scaled to 62.42, ratio 47.26 %, 316,551.60 × 0.4726 = 149,602.29', async () => {
    const { stdout } = await runCli(['explain', 'year', '2024', 'H12010100005', '-w', ws]);
    expect(stdout).toContain('指标得分合计：59.3（本类指标满分合计 95）');
    expect(stdout).toContain('按满分折算：59.3 × 100 ÷ 95 = 62.421053…');
    expect(stdout).toContain('→ 62.42');
    expect(stdout).toContain('返还比例：47.26%');
    expect(stdout).toContain('拨付：149,602.29 元');
  });

  it('prints one JSON object with the figures and every step, its rule, label, policy path, ref and input rows', async () => {
    const run = await runCli(['explain', 'year', '2024', 'H12011600001', '--json', '-w', ws]);
    const x = JSON.parse(run.stdout);
    expect(x).toMatchObject({ code: 'H12011600001', year: 2024, status: 'scored', score: '83.20', grade: '合格', rank: 77, rankOf: 111, withheld: '6362221.83', payout: '6362221.83', forfeited: '0.00', held: '0.00', lists: ['results'] });
    const deduction = x.steps.find((s: { figure: string }) => s.figure === 'deduction');
    expect(deduction).toMatchObject({ value: '5', rule: 'violationPoints', label: expect.stringContaining('扣分'), policy: 'deductions.byType.暂停结算', ref: '《天津市医疗保障协议考核办法》第八条', inputs: [{ file: 'inputs/2024/违规记录.xlsx', sheet: '违规记录', row: 4 }] });
    const withheld = x.steps.find((s: { figure: string }) => s.figure === 'withheld');
    expect(withheld.inputs).toHaveLength(12);
    const figures: string[] = x.steps.map((s: { figure: string }) => s.figure);
    const order = ['indicator', 'base', 'deduction', 'score', 'rank', 'grade', 'status', 'withholding', 'withheld', 'ratio', 'payout', 'forfeited', 'held', 'list'];
    expect([...new Set(figures)].filter((f) => order.includes(f))).toEqual(order);
    const score = x.steps.findIndex((s: { figure: string }) => s.figure === 'score');
    expect(x.steps[score].from.map((i: number) => x.steps[i].figure)).toEqual(['base', 'deduction']);
    expect(JSON.stringify(x)).not.toContain('.txt');
  });

  it('explains a pending and an unqualified institution by their investigation and violation rows', async () => {
    const pending = await runCli(['explain', 'year', '2024', 'H12011800007', '-w', ws]);
    expect(pending.stdout).toMatch(/状态：待定——2024-10-15 立案调查，未结案.*〔inputs\/2024\/立案调查\.csv 第3行〕.*第十六条/);
    expect(pending.stdout).toContain('暂扣：2,676,724.15 元（正在接受调查，待结案后兑现）');
    const refused = await runCli(['explain', 'year', '2024', 'P12010300009', '-w', ws]);
    expect(refused.stdout).toMatch(/状态：评定不合格——.*拒不提供资料.*第十七条/);
    expect(refused.stdout).toMatch(/解除协议：.*拒不提供资料/);
  });

  it('exits 1 on an unknown code, naming it', async () => {
    const run = await runCli(['explain', 'year', '2024', 'H99999999999', '-w', ws]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('H99999999999');
    expect(run.stderr).toContain('机构名册中没有这个机构编码');
  });

  it('refuses, naming the file, when an input changed since the results were written, and when there are no results', async () => {
    const changed = join(mkdtempSync(join(tmpdir(), 'assess-explain-')), 'ws');
    cpSync(ws, changed, { recursive: true });
    const file = join(changed, 'inputs/2024/立案调查.csv');
    writeFileSync(file, readFileSync(file, 'utf8').replace('2024-10-15', '2024-10-16'));
    const run = await runCli(['explain', 'year', '2024', 'H12011600001', '-w', changed]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('inputs/2024/立案调查.csv');
    expect(run.stderr).toContain('SHA-256 与 manifest.json 不一致');
    const none = await runCli(['explain', 'year', '2023', 'H12011600001', '-w', ws]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('请先运行 assess year 2023');
  });
});
