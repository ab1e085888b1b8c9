// Empty input templates for `assess init` (SPEC §2): one xlsx per input with Chinese
// headers, drop-down lists where the values are fixed, and an instructions sheet.
import { APPEAL_RESULTS, BASES, EXIT_TYPES, HANDLING_TYPES, INSTITUTION_KINDS, INPUT_SPECS, INVESTIGATION_CONCLUSIONS, PERSONNEL_EVENTS, TIERS, type ColumnSpec, type InputSpec } from '../io/input-spec.js';
import type ExcelJS from 'exceljs';
import type { Policy } from '../policy/schema.js';
import type { OutputFile } from './output.js';
import { newWorkbook, workbookFile } from './workbook-style.js';

/** The last row of a worksheet: the drop-downs cover every row an office can fill. */
const LAST_ROW = 1_048_576;

/** Widths for columns holding real names (a hospital's full name runs to 20 characters and more). */
const NAME_WIDTHS: Readonly<Record<string, number>> = { name: 40, person: 16, conclusion: 24, note: 30, reason: 30, reply: 30 };

/** A column's values from a fixed list; `strict: false` offers them but keeps other text (结论). */
function listValues(col: ColumnSpec, policy: Policy): { values: string[]; strict: boolean } | null {
  const strict = (values: readonly string[]) => ({ values: [...values], strict: true });
  switch (col.type) {
    case 'kind':
      return strict(INSTITUTION_KINDS);
    case 'bool':
      return strict(['是', '否']);
    case 'tier':
      return strict(TIERS);
    case 'handlingType':
      return strict(HANDLING_TYPES);
    case 'basis':
      return strict(BASES);
    case 'appealResult':
      return strict(APPEAL_RESULTS);
    case 'exitType':
      return strict(EXIT_TYPES);
    case 'personnelEvent':
      return strict(PERSONNEL_EVENTS);
    default:
      if (col.key === 'indicator') return strict(policy.indicators.map((i) => i.code));
      if (col.key === 'conclusion') return { values: [...INVESTIGATION_CONCLUSIONS], strict: false };
      return null;
  }
}

/** A worksheet's data validations by range (exceljs has them, its typings do not). */
const validationsOf = (ws: ExcelJS.Worksheet) => (ws as unknown as { dataValidations: { add: (range: string, v: ExcelJS.DataValidation) => void } }).dataValidations;

const widthOf = (text: string) => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0);

async function inputTemplate(spec: InputSpec, policy: Policy, year: number): Promise<OutputFile> {
  const wb = newWorkbook(year);
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, NAME_WIDTHS[c.key] ?? 0, widthOf(c.hint) / 1.6, widthOf(c.header) + 4) }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  spec.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFCE4D6' : 'FFEDEDED' } };
    cell.note = `${c.required ? '必填。' : '选填。'}${c.hint}`;
    const list = listValues(c, policy);
    const column = ws.getColumn(i + 1);
    if (['institutionCode', 'creditCode', 'idNumber', 'text', 'month'].includes(c.type)) column.numFmt = '@';
    // One drop-down per column over every data row, defined once by its range: set cell by cell,
    // exceljs writes overlapping ranges, and a few thousand rows are not what an office fills.
    if (list) {
      const letter = column.letter;
      validationsOf(ws).add(`${letter}2:${letter}${LAST_ROW}`, {
        type: 'list',
        allowBlank: !c.required,
        formulae: [`"${list.values.join(',')}"`],
        showErrorMessage: list.strict,
        ...(list.strict ? { errorStyle: 'stop', errorTitle: '取值不正确', error: `应为：${list.values.join('/')}` } : {}),
        showInputMessage: !list.strict,
        ...(list.strict ? {} : { promptTitle: c.header, prompt: `可从列表中选择，也可直接填写` }),
      });
    }
  });
  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', width: 18 },
    { header: '是否必填', width: 10 },
    { header: '填写要求', width: 70 },
  ];
  help.getRow(1).font = { bold: true };
  help.addRow([`${spec.name}：${spec.description}`]).font = { bold: true };
  for (const c of spec.columns) help.addRow([c.header, c.required ? '必填' : '选填', c.hint + (c.aliases.length ? `（也可用列名：${c.aliases.join('、')}）` : '')]);
  help.addRow([]);
  help.addRow(['说明', '', `本文件放在 inputs/${year}/ 目录下，也可保存为 CSV（UTF-8 或 GBK 编码均可）。编码、身份证号等请以文本格式填写。`]);
  if (spec.kind === 'scores') {
    help.addRow(['指标编码', '', policy.indicators.map((i) => `${i.code} ${i.name}（满分${i.max}）`).join('；')]);
    help.addRow(['宽表', '', '也可每家机构一行、每个指标编码一列（列名即指标编码）。']);
  }
  return workbookFile(wb, `${spec.name}.xlsx`);
}

export async function inputTemplates(policy: Policy, year: number): Promise<OutputFile[]> {
  return Promise.all(INPUT_SPECS.filter((s) => s.usedWhen?.(policy) ?? true).map((s) => inputTemplate(s, policy, year)));
}
