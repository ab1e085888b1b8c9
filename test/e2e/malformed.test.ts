// A catalogue of malformed inputs (SPEC §2, §3, §5.1): every input kind, every column
// type, every encoding, broken containers, policy files and last year's state. Each case
// breaks one thing in a workspace that already holds good results, and must end with exit
// 1, its file (and row and column, where it has them) named, no stack trace, nothing
// written: the good results byte-identical afterwards.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, describe, expect, it } from 'vitest';
import { newWorkspace, runCli, writeCsv, writeXlsx } from '../helpers/workspace.js';

const H = 'H12010100001'; // inpatient hospital
const P1 = 'P12010100001';
const P2 = 'P12010100002';
const MONTHS = Array.from({ length: 12 }, (_, m) => `2024-${String(m + 1).padStart(2, '0')}`);

type Table = (string | number)[][];

const ROSTER: Table = [
  ['机构编码', '机构名称', '机构类型', '有无住院服务', '纳入定点日期', '结算等级', '床位数', '统一社会信用代码', '上年度考核得分'],
  [H, '甲医院', '医疗机构', '是', '2015-06-01', 'C', '120', '12110000400686291H', '80'],
  [P1, '甲药房', '零售药店', '', '2018-03-01', 'B', '', '', '70'],
  [P2, '乙药房', '零售药店', '', '2020-09-15', 'A', '', '', '65'],
];
const SCORES: Table = [
  ['机构编码', '指标编码', '得分'],
  ...['H01', 'H02', 'H03', 'H04', 'H05', 'H06', 'H07', 'H08', 'H09'].map((i) => [H, i, '5']),
  ...[P1, P2].flatMap((c) => ['P01', 'P02', 'P03', 'P04', 'P05'].map((i) => [c, i, '10'])),
];
const SETTLEMENTS: Table = [['机构编码', '结算月份', '结算金额', '预留保证金'], ...[H, P1, P2].flatMap((c) => MONTHS.map((m) => [c, m, '1,000.00', '']))];
const VIOLATIONS: Table = [
  ['机构编码', '发生日期', '处理日期', '处理类型', '依据', '扣分'],
  [P1, '2024-03-01', '2024-04-01', '约谈', '协议', ''],
  [H, '2024-05-01', '2024-06-01', '扣分', '协议', '1.5'],
];
const INVESTIGATIONS: Table = [
  ['机构编码', '立案日期', '结案日期', '结论'],
  [P2, '2024-02-01', '2024-05-01', '未发现违规'],
];

/** A table with one cell replaced (row and column as the spreadsheet counts them, 1-based). */
function withCell(table: Table, row: number, column: number, value: string | number): Table {
  return table.map((r, i) => (i === row - 1 ? r.map((c, j) => (j === column - 1 ? value : c)) : r));
}

const input = (ws: string, name: string) => join(ws, 'inputs/2024', name);
const csv = (name: string, table: Table) => (ws: string) => writeCsv(input(ws, `${name}.csv`), table);
const replaceIn = (file: string, from: string | RegExp, to: string) => (ws: string) => {
  const path = join(ws, file);
  writeFileSync(path, readFileSync(path, 'utf8').replace(from, to));
};

interface Malformed {
  name: string;
  apply: (ws: string) => void | Promise<void>;
  file: string;
  row?: number;
  column?: string;
  message: string;
}

async function xlsxReplacing(ws: string, name: string, build: (sheet: ExcelJS.Worksheet) => void): Promise<void> {
  rmSync(input(ws, `${name}.csv`), { force: true });
  const wb = new ExcelJS.Workbook();
  build(wb.addWorksheet(name));
  await wb.xlsx.writeFile(input(ws, `${name}.xlsx`));
}

const CATALOGUE: Malformed[] = [
  // ---- 机构名册: every column type ----
  { name: 'institution code of the wrong shape', apply: csv('机构名册', withCell(ROSTER, 3, 1, 'P1201')), file: '机构名册.csv', row: 3, column: '机构编码', message: '12位机构编码' },
  { name: 'institution code stored as a number in xlsx', apply: (ws) => xlsxReplacing(ws, '机构名册', (s) => ROSTER.forEach((r, i) => s.addRow(i === 3 ? [120101000020, '乙药房', '零售药店'] : r))), file: '机构名册.xlsx', row: 4, column: '机构编码', message: '设为文本' },
  { name: 'code letter contradicts the kind', apply: csv('机构名册', withCell(ROSTER, 3, 3, '医疗机构')), file: '机构名册.csv', row: 3, column: '机构类型', message: '机构类型与编码首字母不符' },
  { name: 'unknown kind of institution', apply: csv('机构名册', withCell(ROSTER, 3, 3, '诊所')), file: '机构名册.csv', row: 3, column: '机构类型', message: '医疗机构 或 零售药店' },
  { name: 'duplicate institution code', apply: csv('机构名册', [...ROSTER, [P1, '甲药房二店', '零售药店', '', '', '', '', '', '']]), file: '机构名册.csv', row: 5, column: '机构编码', message: '与第3行重复' },
  { name: 'credit code with a wrong check character', apply: csv('机构名册', withCell(ROSTER, 2, 8, '12110000400686291J')), file: '机构名册.csv', row: 2, column: '统一社会信用代码', message: '校验位' },
  { name: 'credit code of the wrong length', apply: csv('机构名册', withCell(ROSTER, 2, 8, '1211000040068629')), file: '机构名册.csv', row: 2, column: '统一社会信用代码', message: '18位' },
  { name: 'hospital without 有无住院服务', apply: csv('机构名册', withCell(ROSTER, 2, 4, '')), file: '机构名册.csv', row: 2, column: '机构类型', message: '须填写「有无住院服务」' },
  { name: 'yes/no that is neither', apply: csv('机构名册', withCell(ROSTER, 2, 4, '也许')), file: '机构名册.csv', row: 2, column: '有无住院服务', message: '是/否' },
  { name: 'a date that does not exist', apply: csv('机构名册', withCell(ROSTER, 2, 5, '2023-02-30')), file: '机构名册.csv', row: 2, column: '纳入定点日期', message: '日期' },
  { name: 'a date before 1990', apply: csv('机构名册', withCell(ROSTER, 2, 5, '1985-06-01')), file: '机构名册.csv', row: 2, column: '纳入定点日期', message: '1990 年以后' },
  { name: 'a settlement tier that is not A-D', apply: csv('机构名册', withCell(ROSTER, 2, 6, 'E')), file: '机构名册.csv', row: 2, column: '结算等级', message: 'A/B/C/D' },
  { name: 'a bed count that is not a whole number', apply: csv('机构名册', withCell(ROSTER, 2, 7, '12.5')), file: '机构名册.csv', row: 2, column: '床位数', message: '整数' },
  { name: "last year's score above the full mark", apply: csv('机构名册', withCell(ROSTER, 3, 9, '120')), file: '机构名册.csv', row: 3, column: '上年度考核得分', message: '0 至 100' },
  { name: 'roster without its 机构名称 column', apply: csv('机构名册', ROSTER.map((r) => [r[0]!, r[2]!, r[3]!])), file: '机构名册.csv', message: '缺少必填列 机构名称' },
  { name: 'roster with its header only', apply: csv('机构名册', [ROSTER[0]!]), file: '机构名册.csv', message: '没有任何数据行' },
  { name: 'a required roster cell left empty', apply: csv('机构名册', withCell(ROSTER, 4, 2, '')), file: '机构名册.csv', row: 4, column: '机构名称', message: '必填项为空' },
  // ---- 指标得分 ----
  { name: 'score above its indicator max', apply: csv('指标得分', withCell(SCORES, 11, 3, '31')), file: '指标得分.csv', row: 11, column: '得分', message: '0 至 30' },
  { name: 'negative score', apply: csv('指标得分', withCell(SCORES, 11, 3, '-1')), file: '指标得分.csv', row: 11, column: '得分', message: '0 至 30' },
  { name: 'score that is not a number', apply: csv('指标得分', withCell(SCORES, 11, 3, '优')), file: '指标得分.csv', row: 11, column: '得分', message: '数值' },
  { name: 'unknown indicator code', apply: csv('指标得分', withCell(SCORES, 11, 2, 'X99')), file: '指标得分.csv', row: 11, column: '指标编码', message: '没有这个指标编码' },
  { name: 'duplicate institution × indicator', apply: csv('指标得分', [...SCORES, [P1, 'P01', '9']]), file: '指标得分.csv', row: 21, column: '指标编码', message: '与第11行重复' },
  { name: "indicator of another category", apply: csv('指标得分', [...SCORES, [P1, 'H01', '9']]), file: '指标得分.csv', row: 21, column: '指标编码', message: '不适用于定点零售药店' },
  { name: 'a scored institution missing a score', apply: csv('指标得分', SCORES.filter((r) => !(r[0] === P2 && r[1] === 'P05'))), file: '指标得分.csv', column: '指标编码', message: `${P2}（乙药房）缺少指标得分：P05` },
  { name: 'score of an institution not in the roster', apply: csv('指标得分', [...SCORES, ['P12010100099', 'P01', '9']]), file: '指标得分.csv', row: 21, column: '机构编码', message: '不在机构名册中' },
  { name: 'score with a misplaced thousands separator', apply: csv('指标得分', withCell(SCORES, 11, 3, '1,2')), file: '指标得分.csv', row: 11, column: '得分', message: '数值' },
  // ---- 月度结算 ----
  { name: 'a month that does not exist', apply: csv('月度结算', withCell(SETTLEMENTS, 2, 2, '2024-13')), file: '月度结算.csv', row: 2, column: '结算月份', message: '月份' },
  { name: 'a month outside the year', apply: csv('月度结算', withCell(SETTLEMENTS, 2, 2, '2023-12')), file: '月度结算.csv', row: 2, column: '结算月份', message: '2024 年内' },
  { name: 'a negative settlement', apply: csv('月度结算', withCell(SETTLEMENTS, 2, 3, '-1000')), file: '月度结算.csv', row: 2, column: '结算金额', message: '不得为负数' },
  { name: 'an amount with three decimals', apply: csv('月度结算', withCell(SETTLEMENTS, 2, 3, '1000.123')), file: '月度结算.csv', row: 2, column: '结算金额', message: '最多2位小数' },
  { name: 'a misplaced thousands separator in an amount', apply: csv('月度结算', withCell(SETTLEMENTS, 2, 3, '12,34.5')), file: '月度结算.csv', row: 2, column: '结算金额', message: '千分位' },
  { name: 'an amount in 万元 with more than 6 decimals', apply: csv('月度结算', withCell(withCell(SETTLEMENTS, 1, 3, '结算金额（万元）'), 2, 3, '0.1234567')), file: '月度结算.csv', row: 2, column: '结算金额（万元）', message: '万元' },
  { name: 'duplicate institution × month', apply: csv('月度结算', [...SETTLEMENTS, [P1, '2024-01', '5']]), file: '月度结算.csv', row: 38, column: '结算月份', message: '与第14行重复' },
  { name: 'settlement of an institution not in the roster', apply: csv('月度结算', [...SETTLEMENTS, ['P12010100099', '2024-01', '5']]), file: '月度结算.csv', row: 38, column: '机构编码', message: '不在机构名册中' },
  { name: 'a negative 预留保证金', apply: csv('月度结算', withCell(SETTLEMENTS, 2, 4, '-5')), file: '月度结算.csv', row: 2, column: '预留保证金', message: '不得为负数' },
  { name: 'an xlsx 预留保证金 formula with no cached value', apply: (ws) => xlsxReplacing(ws, '月度结算', (s) => SETTLEMENTS.forEach((r, i) => s.addRow(i === 1 ? [r[0], r[1], 1000, { formula: 'C2*0.1' }] : r))), file: '月度结算.xlsx', row: 2, column: '预留保证金', message: '没有计算结果' },
  { name: 'an xlsx error value where an amount belongs', apply: (ws) => xlsxReplacing(ws, '月度结算', (s) => SETTLEMENTS.forEach((r, i) => s.addRow(i === 2 ? [r[0], r[1], { error: '#DIV/0!' }] : r))), file: '月度结算.xlsx', row: 3, column: '结算金额', message: '#DIV/0!' },
  // ---- 违规记录 ----
  { name: 'handled before it occurred', apply: csv('违规记录', withCell(VIOLATIONS, 2, 3, '2024-02-01')), file: '违规记录.csv', row: 2, column: '处理日期', message: '早于发生日期' },
  { name: 'unknown handling type', apply: csv('违规记录', withCell(VIOLATIONS, 2, 4, '警告')), file: '违规记录.csv', row: 2, column: '处理类型', message: '约谈/暂停结算' },
  { name: 'unknown basis', apply: csv('违规记录', withCell(VIOLATIONS, 2, 5, '规章')), file: '违规记录.csv', row: 2, column: '依据', message: '协议/条例第三十八条' },
  { name: 'a Chinese date that does not exist', apply: csv('违规记录', withCell(VIOLATIONS, 2, 2, '2024年13月1日')), file: '违规记录.csv', row: 2, column: '发生日期', message: '日期' },
  { name: '扣分 type without points', apply: csv('违规记录', withCell(VIOLATIONS, 3, 6, '')), file: '违规记录.csv', row: 3, column: '扣分', message: '必须填写扣分分值' },
  { name: 'negative points', apply: csv('违规记录', withCell(VIOLATIONS, 3, 6, '-2')), file: '违规记录.csv', row: 3, column: '扣分', message: '不得为负数' },
  { name: 'violation of an institution not in the roster', apply: csv('违规记录', withCell(VIOLATIONS, 2, 1, 'P12010100099')), file: '违规记录.csv', row: 2, column: '机构编码', message: '不在机构名册中' },
  // ---- 立案调查 ----
  { name: 'closed before it was opened', apply: csv('立案调查', withCell(INVESTIGATIONS, 2, 3, '2024-01-01')), file: '立案调查.csv', row: 2, column: '结案日期', message: '早于立案日期' },
  { name: 'an opening date that is no date', apply: csv('立案调查', withCell(INVESTIGATIONS, 2, 2, '二月')), file: '立案调查.csv', row: 2, column: '立案日期', message: '日期' },
  // ---- encodings and containers ----
  { name: 'a CSV in no known encoding', apply: (ws) => writeFileSync(input(ws, '立案调查.csv'), Buffer.concat([Buffer.from('机构编码,立案日期\n', 'utf8'), Buffer.from([0x50, 0xff, 0xff, 0x0a])])), file: '立案调查.csv', message: '文件编码无法识别' },
  { name: 'GBK with a byte no GBK character has', apply: (ws) => writeFileSync(input(ws, '立案调查.csv'), Buffer.concat([iconv.encode('机构编码,立案日期\n', 'gbk'), Buffer.from([0xff, 0x0a])])), file: '立案调查.csv', message: '文件编码无法识别' },
  { name: 'an xlsx named .csv', apply: async (ws) => { await writeXlsx(input(ws, '立案调查.csv'), { 立案调查: INVESTIGATIONS }); }, file: '立案调查.csv', message: '扩展名改为 .xlsx' },
  { name: 'binary content in a .csv', apply: (ws) => writeFileSync(input(ws, '立案调查.csv'), Buffer.from([0x41, 0x00, 0x42, 0x00, 0x0a])), file: '立案调查.csv', message: '二进制内容' },
  { name: 'a truncated xlsx', apply: async (ws) => { await writeXlsx(input(ws, '违规记录.xlsx'), { 违规记录: VIOLATIONS }); rmSync(input(ws, '违规记录.csv')); const b = readFileSync(input(ws, '违规记录.xlsx')); writeFileSync(input(ws, '违规记录.xlsx'), b.subarray(0, b.length >> 1)); }, file: '违规记录.xlsx', message: '已损坏或不完整' },
  { name: 'an empty xlsx', apply: (ws) => { rmSync(input(ws, '违规记录.csv')); writeFileSync(input(ws, '违规记录.xlsx'), ''); }, file: '违规记录.xlsx', message: '文件是空的' },
  { name: 'a CSV named .xlsx', apply: (ws) => { rmSync(input(ws, '违规记录.csv')); writeFileSync(input(ws, '违规记录.xlsx'), '机构编码,发生日期\n'); }, file: '违规记录.xlsx', message: '这不是 xlsx 文件' },
  { name: 'an old .xls file', apply: (ws) => { rmSync(input(ws, '违规记录.csv')); writeFileSync(input(ws, '违规记录.xls'), Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])); }, file: '违规记录.xls', message: '不支持 .xls 格式' },
  { name: 'a one-workbook input file that is broken', apply: (ws) => writeFileSync(join(ws, 'inputs/2024.xlsx'), 'not a zip'), file: 'inputs/2024.xlsx', message: '这不是 xlsx 文件' },
  { name: 'headers nobody recognises', apply: csv('立案调查', [['code', 'opened', 'closed'], [P2, '2024-02-01', '']]), file: '立案调查.csv', message: '找不到表头行' },
  { name: 'one input given twice', apply: async (ws) => { await writeXlsx(input(ws, '立案调查.xlsx'), { 立案调查: INVESTIGATIONS }); }, file: 'inputs/2024', message: '有多个来源' },
  { name: 'a required input missing', apply: (ws) => rmSync(input(ws, '月度结算.csv')), file: 'inputs/2024', message: '缺少必需的输入「月度结算」' },
  // ---- the policy ----
  { name: 'policy YAML that does not parse', apply: replaceIn('policy.yaml', 'region: 天津市', 'region: [天津市'), file: 'policy.yaml', message: 'YAML 格式错误' },
  { name: 'a withholding rate above 10 %', apply: replaceIn('policy.yaml', 'rate: 0.10', 'rate: 0.12'), file: 'policy.yaml', column: 'deposit.rate', message: '不得超过 0.10' },
  { name: 'an unknown policy key', apply: replaceIn('policy.yaml', '  method: refund', '  method: refund\n  metod: pool'), file: 'policy.yaml', column: 'deposit', message: 'metod' },
  { name: 'a ref to a document without a title', apply: replaceIn('policy.yaml', 'ref: 000_3a4deebdc5933d85.txt 第十五条', 'ref: 999_unknown.txt 第十五条'), file: 'policy.yaml', column: 'grades.1.ref', message: '999_unknown.txt' },
  { name: 'a published list nobody fills', apply: replaceIn('policy.yaml', 'lists: [results, noRenewal, terminated]', 'lists: [results, blacklist]'), file: 'policy.yaml', column: 'publication.lists.1', message: 'blacklist' },
  { name: 'no policy file', apply: (ws) => rmSync(join(ws, 'policy.yaml')), file: 'policy.yaml', message: '找不到政策文件' },
  // ---- last year's state ----
  { name: "last year's state.json is not JSON", apply: (ws) => { mkdirSync(join(ws, 'results/2023'), { recursive: true }); writeFileSync(join(ws, 'results/2023/state.json'), '{ "schema": '); }, file: 'results/2023/state.json', message: '无法读取上年度结果' },
  { name: "last year's state.json of another schema", apply: (ws) => { mkdirSync(join(ws, 'results/2023'), { recursive: true }); writeFileSync(join(ws, 'results/2023/state.json'), JSON.stringify({ schema: 'other', year: 2023 })); }, file: 'results/2023/state.json', message: '格式不正确' },
];

let base: string;
/** The good results every case must leave byte-identical: the files of results/2024, read through its link. */
let good: Map<string, Buffer>;

function snapshot(ws: string): Map<string, Buffer> {
  const dir = join(ws, 'results/2024');
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

beforeAll(async () => {
  base = newWorkspace();
  for (const [name, table] of [['机构名册', ROSTER], ['指标得分', SCORES], ['月度结算', SETTLEMENTS], ['违规记录', VIOLATIONS], ['立案调查', INVESTIGATIONS]] as const) writeCsv(input(base, `${name}.csv`), table as Table);
  const run = await runCli(['year', '2024', '-w', base]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  good = snapshot(base);
});

describe('the catalogue of malformed inputs', () => {
  it('has at least 45 cases, each breaking something different', () => {
    expect(CATALOGUE.length).toBeGreaterThanOrEqual(45);
    expect(new Set(CATALOGUE.map((c) => c.name)).size).toBe(CATALOGUE.length);
  });

  for (const c of CATALOGUE) {
    it(`${c.name}: exit 1, ${[c.file, c.row && `第${c.row}行`, c.column && `「${c.column}」列`].filter(Boolean).join(' ')}, nothing written`, async () => {
      const ws = join(mkdtempSync(join(tmpdir(), 'assess-malformed-')), 'ws');
      cpSync(base, ws, { recursive: true, verbatimSymlinks: true });
      await c.apply(ws);
      const generations = readdirSync(join(ws, 'results')).sort();
      const run = await runCli(['year', '2024', '-w', ws]);
      expect(run.code, run.stderr).toBe(1);
      const line = run.stderr.split('\n').find((l) => l.includes(c.file) && (c.row === undefined || l.includes(`第${c.row}行`)) && (c.column === undefined || l.includes(`「${c.column}」列`)) && l.includes(c.message));
      expect(line, `a line naming ${c.file} ${c.row ?? ''} ${c.column ?? ''} with "${c.message}" in:\n${run.stderr}`).toBeDefined();
      expect(run.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
      expect(run.stderr).not.toContain('内部错误');
      expect(run.stdout).toBe('');
      // Nothing written: the same results, byte for byte, and no new folder beside them.
      expect(snapshot(ws)).toEqual(good);
      expect(readdirSync(join(ws, 'results')).sort()).toEqual(generations);
      expect(realpathSync(join(ws, 'results/2024'))).toContain(join(ws, 'results'));
      expect(existsSync(join(ws, '.assess.lock'))).toBe(false);
    });
  }
});
