// A supplementary settlement (SPEC §2 `settle`), results/Y/补充结算-N/: 补充结算-Y-N.xlsx (every
// deposit of the year still held before it: settled — paid with the score and ratio it was
// paid at, or forfeited — or still held, and why; totals with the identity paid + forfeited
// + still held = held; the sign-off block), 补充结算.csv with stable English columns. Wording here.
import { stringify } from 'csv-stringify/sync';
import type { Institution } from '../domain.js';
import { fenToYuanText } from '../io/values.js';
import type { HeldOutcome } from '../plan/settle-held.js';
import { settlementTotals } from '../plan/settle-held.js';
import type { Policy } from '../policy/schema.js';
import { citePath } from '../policy/refs.js';
import type { OutputFile } from './output.js';
import { groupedYuan } from './explain.js';
import { signOff } from './sign-off.js';
import { FILLS, PrintBook, PrintableSheet, safeText, yuanCell } from './workbook-style.js';

const OUTCOME_NAMES: Readonly<Record<HeldOutcome['kind'], string>> = { paid: '结算拨付', forfeited: '全部扣除', open: '继续暂扣' };

const percent = (o: HeldOutcome) => (o.kind === 'paid' ? `${o.ratio.times(100).toDecimalPlaces(2).toFixed(2)}%` : '');

/** Why a held deposit was settled as it was, or is still held. */
export function settlementReason(o: HeldOutcome, policy: Policy): string {
  switch (o.kind) {
    case 'open':
      return o.investigation ? `${o.investigation.openedOn} 立案的调查尚未结案（或该机构另有调查未结案）：继续暂扣，待结案后结算` : '在立案调查中找不到暂扣时的调查记录（同一机构编码、立案日期）：继续暂扣，请核对立案调查';
    case 'forfeited':
      return o.because === 'conclusion'
        ? `${o.investigation.closedOn ?? ''} 结案，结论「${o.investigation.conclusion}」：解除医保服务协议，暂扣的质量保证金全部扣除`
        : `${o.violation?.handledOn ?? ''} ${o.violation?.type ?? ''}（${o.violation ? `${o.violation.source.file} 第${o.violation.source.row}行` : ''}）：暂扣的质量保证金全部扣除`;
    case 'paid': {
      const decimals = policy.scoring.decimals;
      const late = o.late.length > 0 ? `，含案件处理扣分 ${o.late.map((d) => `${String(d.facts.handledOn)} ${String(d.facts.type)} ${d.points.toString()} 分`).join('、')}` : '，无新增扣分';
      const how = policy.deposit.method === 'pool' ? `按当年度统筹分配同一得分的分配比例 ${percent(o)}（以暂扣金额为限）` : `按返还比例 ${percent(o)}`;
      return `${o.investigation.closedOn ?? ''} 结案（${o.investigation.conclusion || '无结论'}），依据调查结论计算考核成绩 ${o.assessment.score.toFixed(decimals)} 分${late}；${how}：拨付 ${groupedYuan(fenToYuanText(o.payoutFen))} 元，扣除 ${groupedYuan(fenToYuanText(o.forfeitedFen))} 元`;
    }
  }
}

export async function settlementWorkbook(year: number, number: number, outcomes: readonly HeldOutcome[], roster: ReadonlyMap<string, Institution>, policy: Policy): Promise<OutputFile> {
  const wb = new PrintBook(year);
  const decimals = policy.scoring.decimals;
  const sheet = new PrintableSheet(wb, {
    name: '补充结算',
    title: `${policy.region}${year}年度质量保证金补充结算（第 ${number} 次）`,
    subtitle: `暂扣保证金在调查结案后依据调查结论结算。单位：元　依据：${citePath(policy, 'statuses.pending')}`,
    columns: [
      { header: '机构编码', kind: 'code' },
      { header: '机构名称', kind: 'text', wrap: true },
      { header: '所属区县', kind: 'text' },
      { header: '立案日期', kind: 'text' },
      { header: '结案日期', kind: 'text' },
      { header: '结论', kind: 'text', wrap: true },
      { header: '结算结果', kind: 'text' },
      { header: '考核得分', kind: 'score' },
      { header: '比例', kind: 'text' },
      { header: '暂扣金额', kind: 'money' },
      { header: '拨付', kind: 'money' },
      { header: '扣除', kind: 'money' },
      { header: '仍暂扣', kind: 'money' },
      { header: '说明', kind: 'text', wrap: true },
    ],
  });
  for (const o of outcomes) {
    const inst = roster.get(o.held.code);
    sheet.add([
      o.held.code,
      inst?.name ?? '',
      inst?.district ?? '',
      o.investigation?.openedOn ?? o.held.investigation?.opened_on ?? '',
      o.investigation?.closedOn ?? '',
      o.investigation?.conclusion ?? '',
      OUTCOME_NAMES[o.kind],
      o.kind === 'paid' ? Number(o.assessment.score.toFixed(decimals)) : null,
      percent(o),
      yuanCell(o.heldFen),
      yuanCell(o.kind === 'paid' ? o.payoutFen : 0),
      yuanCell(o.kind === 'paid' ? o.forfeitedFen : o.kind === 'forfeited' ? o.heldFen : 0),
      yuanCell(o.kind === 'open' ? o.heldFen : 0),
      settlementReason(o, policy),
    ]);
  }
  const t = settlementTotals(outcomes);
  sheet.total(['合计', '', '', '', '', '', '', null, '', yuanCell(t.heldFen), yuanCell(t.payoutFen), yuanCell(t.forfeitedFen), yuanCell(t.stillHeldFen), t.differenceFen === 0 ? '已对平：拨付 + 扣除 + 仍暂扣 = 暂扣，精确到分' : '未对平！'], t.differenceFen === 0 ? FILLS.total : FILLS.alarm);
  sheet.note('扣除的质量保证金归入基金，不作为医保欠费处理。仍暂扣的保证金结转下一年度，结案后再次运行 assess settle 结算。');
  signOff(sheet, policy);
  return wb.file(`补充结算-${year}-${number}.xlsx`);
}

export const SETTLEMENT_COLUMNS = ['code', 'name', 'year', 'held', 'opened_on', 'closed_on', 'conclusion', 'outcome', 'score', 'ratio', 'payout', 'forfeited', 'still_held', 'reason'] as const;

export function settlementCsv(outcomes: readonly HeldOutcome[], roster: ReadonlyMap<string, Institution>, policy: Policy): OutputFile {
  const decimals = policy.scoring.decimals;
  const rows = outcomes.map((o) =>
    [
      o.held.code,
      roster.get(o.held.code)?.name ?? '',
      String(o.held.year),
      fenToYuanText(o.heldFen),
      o.investigation?.openedOn ?? o.held.investigation?.opened_on ?? '',
      o.investigation?.closedOn ?? '',
      o.investigation?.conclusion ?? '',
      o.kind,
      o.kind === 'paid' ? o.assessment.score.toFixed(decimals) : '',
      o.kind === 'paid' ? o.ratio.toDecimalPlaces(6).toString() : '',
      fenToYuanText(o.kind === 'paid' ? o.payoutFen : 0),
      fenToYuanText(o.kind === 'paid' ? o.forfeitedFen : o.kind === 'forfeited' ? o.heldFen : 0),
      fenToYuanText(o.kind === 'open' ? o.heldFen : 0),
      settlementReason(o, policy),
    ].map((v) => safeText(v, 'csv')),
  );
  return { name: '补充结算.csv', content: `\uFEFF${stringify([[...SETTLEMENT_COLUMNS], ...rows], { record_delimiter: '\r\n' })}` };
}
