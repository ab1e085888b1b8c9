// Builders of the records a year reads (src/domain.ts), for tests of the plan's steps,
// the modules and the reports: a few hand-made rows, with row references as a reader makes them.
import { emptyPersonnelEvents } from '../../src/io/personnel-events.js';
import { ScoreTable } from '../../src/io/score-table.js';
import type { Institution, IndicatorScore, InstitutionKind, Investigation, ScoreRows, SettlementYear, Violation, YearInputs } from '../../src/domain.js';

export function institution(code: string, over: Partial<Institution> = {}): Institution {
  const kind: InstitutionKind = code.startsWith('P') ? '零售药店' : '医疗机构';
  return {
    code,
    name: `机构${code.slice(-3)}`,
    kind,
    inpatient: kind === '零售药店' ? null : true,
    hospitalLevel: '',
    district: '和平区',
    planningArea: '和平区',
    admittedOn: null,
    tier: '',
    tierSince: null,
    specialDrug: null,
    beds: null,
    insuranceStaff: null,
    agreementEnds: null,
    creditCode: '',
    priorScore: null,
    source: { file: 'inputs/2024/机构名册.csv', row: 2 },
    ...over,
  };
}

/** Scores of one institution, one row each from `firstRow` on (long form). */
export function scores(code: string, byIndicator: Record<string, number | string>, firstRow = 2): IndicatorScore[] {
  return Object.entries(byIndicator).map(([indicator, score], i) => ({
    code,
    indicator,
    score: String(score),
    scoreColumn: '得分',
    selfScore: null,
    reviewScore: null,
    note: '',
    source: { file: 'inputs/2024/指标得分.csv', row: firstRow + i },
  }));
}

/** Twelve months of settlement in fen (null: no row); 预留保证金 per month optional. */
export function settlement(code: string, settledFen: (number | null)[], reservedFen: (number | null)[] = Array(12).fill(null), firstRow = 2): SettlementYear {
  return { code, settledFen, reservedFen, rows: settledFen.map((s, i) => (s === null ? null : firstRow + i)), file: 'inputs/2024/月度结算.csv' };
}

export function violation(code: string, occurredOn: string, handledOn: string, type: Violation['type'], row: number, over: Partial<Violation> = {}): Violation {
  return { code, occurredOn, handledOn, type, basis: '协议', points: null, recoveredFen: null, note: '', source: { file: 'inputs/2024/违规记录.xlsx', sheet: '违规记录', row }, ...over };
}

export function investigation(code: string, openedOn: string, closedOn: string | null, row: number): Investigation {
  return { code, openedOn, closedOn, conclusion: '', major: true, source: { file: 'inputs/2024/立案调查.csv', row } };
}

/** A year's inputs; score rows may be given as a list (held as the reader holds them). */
export function yearInputs({ scores, ...over }: Partial<Omit<YearInputs, 'scores'>> & { scores?: IndicatorScore[] | ScoreRows } = {}): YearInputs {
  return {
    year: 2024,
    asOf: '2024-12-31',
    notifiedOn: over.asOf ?? '2024-12-31',
    institutions: [],
    scores: Array.isArray(scores) ? ScoreTable.from(scores) : (scores ?? new ScoreTable()),
    settlements: new Map(),
    violations: [],
    investigations: [],
    appeals: [],
    exits: [],
    personnel: emptyPersonnelEvents(),
    sources: [],
    ...over,
  };
}

/** Full marks of the Tianjin profile's indicators, per category. */
export const FULL_MARKS = {
  inpatient: { H01: 15, H02: 10, H03: 10, H04: 5, H05: 20, H06: 15, H07: 10, H08: 10, H09: 5 },
  outpatient: { H01: 15, H02: 10, H03: 10, H05: 20, H06: 15, H07: 10, H08: 10, H09: 5 },
  pharmacy: { P01: 30, P02: 15, P03: 35, P04: 10, P05: 10 },
} as const;
