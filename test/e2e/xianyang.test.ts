// The Xianyang sample end to end, two consecutive years (samples/xianyang, 咸阳市 2025 and
// 2026; its README lists every case with its code): tiers, waits, blocks and bans carried
// from 2025 into 2026 through results/2025/state.json, and the deadlines of a score below 60
// counted on the official calendar across 中秋/国庆 from a late 通报 (2026-09-22).
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/workspace.js';

let ws: string;
const rows: Record<number, Record<string, string>[]> = {};
const stdout: Record<number, string> = {};
const by = (year: number, code: string) => rows[year]?.find((r) => r.code === code);
const lists = (year: number, code: string) => (by(year, code)?.lists ?? '').split(';');

beforeAll(async () => {
  ws = join(mkdtempSync(join(tmpdir(), 'assess-xianyang-')), 'xianyang');
  cpSync('samples/xianyang', ws, { recursive: true });
  for (const [year, extra] of [
    [2025, ['--notified-on', '2026-09-22']],
    [2026, []],
  ] as const) {
    const run = await runCli(['year', String(year), '-w', ws, ...extra]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    stdout[year] = run.stdout;
    rows[year] = parse(readFileSync(join(ws, `results/${year}/institutions.csv`), 'utf8'), { columns: true });
  }
}, 120_000);

describe('the Xianyang sample, 2025', () => {
  it('scores the clinics and pharmacies in scope only and fills every list', () => {
    expect(rows[2025]).toHaveLength(326);
    expect(stdout[2025]).toContain('名单：考核结果 326，降级 9，延长晋级年限 2，再次违规按协议处理 1，可申请晋级 264，解除定点资质（年度考评低于60分） 3，解除协议 2，禁入期内 1');
    expect(stdout[2025]).toContain('4 家医疗机构不在本办法评价范围内');
  });

  it('downgrades one step for the triggers of 第十四条, at most one a year, and ends the agreement for (四)', () => {
    expect(by(2025, 'H61040400009')).toMatchObject({ tier_before: 'B', tier_after: 'A' }); // (一) two agreement 约谈
    expect(by(2025, 'P61040300004')).toMatchObject({ tier_before: 'C', tier_after: 'B' }); // two triggers: one step, and handled under the agreement
    expect(lists(2025, 'P61040300004')).toEqual(['results', 'downgraded', 'agreementHandling']);
    expect(by(2025, 'P61040200013')).toMatchObject({ tier_after: '', lists: 'results;terminated', banned_until: '2028-07-16' });
  });

  it('at A extends the promotion wait a year from the later of its usual end and the trigger', () => {
    expect(by(2025, 'P61043100015')).toMatchObject({ promotion_wait_until: '2027-01-01' }); // A from 2025-01-01, trigger 2025-08-26
    expect(by(2025, 'H61040400004')).toMatchObject({ promotion_wait_until: '2026-09-14' }); // A from 2024-09-11: the trigger of 2025-09-14 is later
  });

  it('counts the deadlines of a score below 60 on the official calendar from the late 通报; exactly 60 is not below', () => {
    expect(by(2025, 'H61042400020')).toMatchObject({ score: '59.50', deregister_start_by: '2026-10-20', deregister_done_by: '2026-11-19', clearing_by: '2026-10-27', banned_until: '2029-10-20' });
    expect(by(2025, 'P61043100001')).toMatchObject({ score: '60.00', deregister_start_by: '', lists: 'results' });
  });

  it('catches a code back during its ban, not an entity back after its ban ended', () => {
    expect(lists(2025, 'P61040200017')).toContain('banned');
    expect(lists(2025, 'H61040200001')).not.toContain('banned');
  });

  it('leaves for 2026 the tier, its start, waits and the violation that blocks promotion', () => {
    const state = JSON.parse(readFileSync(join(ws, 'results/2025/state.json'), 'utf8'));
    expect(state.institutions.H61042400021).toMatchObject({ tier: 'A', promotion_blocked_on: '2025-08-20', promotion_blocked_by: '行政处罚' });
    expect(state.institutions.H61040400009).toMatchObject({ tier: 'A', tier_since: '2025-07-01', tier_basis: 'downgrade' });
    expect(state.institutions.P61043100015).toMatchObject({ promotion_wait_until: '2027-01-01' });
  });
});

describe('the Xianyang sample, 2026 (state carried from 2025)', () => {
  it('reads last year’s results and fills every list', () => {
    const manifest = JSON.parse(readFileSync(join(ws, 'results/2026/manifest.json'), 'utf8'));
    expect(manifest.prior_year.file).toBe('results/2025/state.json');
    expect(stdout[2026]).toContain('名单：考核结果 326，降级 7，延长晋级年限 2，再次违规按协议处理 1，可申请晋级 292，解除定点资质（年度考评低于60分） 0，解除协议 1，禁入期内 2');
  });

  it('starts from the tier state.json carried: a 2025 downgrade to A with a new trigger extends the wait instead', () => {
    expect(by(2026, 'H61040400009')).toMatchObject({ tier_before: 'A', tier_after: 'A', promotion_wait_until: '2027-07-24' });
    expect(lists(2026, 'H61040400009')).toContain('promotionWaitExtended');
  });

  it('keeps a wait still running and lets one that has run out apply', () => {
    expect(by(2026, 'P61043100015')).toMatchObject({ promotion_wait_until: '2027-01-01' });
    expect(lists(2026, 'P61043100015')).not.toContain('promotionEligible');
    expect(lists(2026, 'H61040400004')).toContain('promotionEligible');
    expect(lists(2026, 'P61040400023')).toContain('promotionEligible'); // a year after its 2025 downgrade
  });

  it('keeps last year’s 行政处罚 and 罚款 blocking promotion at the same tier', () => {
    expect(lists(2026, 'H61042400021')).toEqual(['results']);
    expect(lists(2026, 'P61040300004')).toEqual(['results']);
  });

  it('catches the bans of 2025’s terminations: a new code with the entity’s credit code, and the same code back', () => {
    expect(by(2026, 'P61040200031')).toMatchObject({ banned_until: '2028-07-16' });
    expect(lists(2026, 'P61040200031')).toContain('banned');
    expect(lists(2026, 'H61042200007')).toContain('banned');
  });
});
