// Empty input templates for `assess init` (SPEC §2): one xlsx per input with Chinese
// headers, drop-down lists where the values are fixed, and an instructions sheet.
import { BASES, HANDLING_TYPES, INSTITUTION_KINDS, INPUT_SPECS, TIERS, type ColumnSpec, type InputSpec } from '../io/input-spec.js';
import type { Policy } from '../policy/schema.js';
import type { OutputFile } from './output.js';
import { newWorkbook, workbookFile } from './workbook-style.js';

const TEMPLATE_ROWS = 2000;

function listValues(col: ColumnSpec, policy: Policy): string[] | null {
  switch (col.type) {
    case 'kind':
      return [...INSTITUTION_KINDS];
    case 'bool':
      return ['是', '否'];
    case 'tier':
      return [...TIERS];
    case 'handlingType':
      return [...HANDLING_TYPES];
    case 'basis':
      return [...BASES];
    default:
      return col.key === 'indicator' ? policy.indicators.map((i) => i.code) : null;
  }
}

const widthOf = (text: string) => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0);

async function inputTemplate(spec: InputSpec, policy: Policy, year: number): Promise<OutputFile> {
  const wb = newWorkbook(year);
  const ws = wb.addWorksheet(spec.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: Math.max(12, widthOf(c.hint) / 1.6, widthOf(c.header) + 4) }));
  const header = ws.getRow(1);
  header.font = { bold: true };
  spec.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: c.required ? 'FFFCE4D6' : 'FFEDEDED' } };
    cell.note = `${c.required ? '必填。' : '选填。'}${c.hint}`;
    const values = listValues(c, policy);
    const column = ws.getColumn(i + 1);
    if (['institutionCode', 'creditCode', 'idNumber', 'text', 'month'].includes(c.type)) column.numFmt = '@';
    for (let r = 2; r <= TEMPLATE_ROWS; r++) {
      if (values) {
        ws.getCell(r, i + 1).dataValidation = {
          type: 'list',
          allowBlank: !c.required,
          formulae: [`"${values.join(',')}"`],
          showErrorMessage: true,
          errorTitle: '取值不正确',
          error: `应为：${values.join('/')}`,
        };
      }
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
