import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { creditCodeCheckChar, isCreditCode, isIdNumber, isInstitutionCode } from '../../src/io/codes.js';
import { cellText, excelSerialToIso, fenToYuanText, isBlank, parseBool, parseDate, parseFen, parseMonth, parsePoints, toHalfWidth, type RawCell } from '../../src/io/values.js';
import { normaliseHeader } from '../../src/io/table.js';

const value = <T>(p: { ok: true; value: T } | { ok: false; expected: string }) => (p.ok ? p.value : `✖ ${p.expected}`);

describe('parseFen: money from text to integer fen, exactly', () => {
  it.each([
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1,234,567.8', 123456780],
    ['0.1', 10],
    ['  42 ', 4200],
    ['１２３.４５', 12345], // full-width digits
    ['-3.5', -350],
  ])('%s 元 → %s fen', (text, fen) => expect(value(parseFen(text))).toBe(fen));
  it('reads 万元 when the header says so', () => {
    expect(value(parseFen('1.2345', 4))).toBe(1234500);
    expect(value(parseFen('12.000001', 4))).toBe(12000001); // 120,000.01 元
  });
  it('rejects what is not an amount, or has sub-fen digits', () => {
    for (const bad of ['abc', '1.234', '12,34.5', '1..2', '', '¥12']) expect(parseFen(bad).ok).toBe(false);
  });
  it('reads spreadsheet numbers without float noise', () => {
    expect(value(parseFen(0.1 + 0.2))).toBe(30);
    expect(value(parseFen(1234.56))).toBe(123456);
  });
  it('round-trips every fen amount through its yuan text (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (fen) => {
        expect(value(parseFen(fenToYuanText(fen)))).toBe(fen);
      }),
    );
  });
});

describe('parseDate', () => {
  it('refuses a date before 1990 (SPEC §3: no record is that old), however it is written', () => {
    expect(parseDate('1990-01-01')).toEqual({ ok: true, value: '1990-01-01' });
    for (const raw of ['1989-12-31', '19850101', 3_000, new Date(Date.UTC(1970, 0, 1))]) {
      const parsed = parseDate(raw);
      expect(parsed.ok, String(raw)).toBe(false);
      if (!parsed.ok) expect(parsed.expected).toContain('1990 年以后的日期');
    }
  });
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['20240305', '2024-03-05'],
    ['2024-03-05 14:30:00', '2024-03-05'],
    ['45356', '2024-03-05'],
  ])('%s → %s', (text, iso) => expect(value(parseDate(text))).toBe(iso));
  it('reads Excel serial numbers and Date cells', () => {
    expect(value(parseDate(45356))).toBe('2024-03-05');
    expect(value(parseDate(new Date(Date.UTC(2024, 1, 29))))).toBe('2024-02-29');
    expect(excelSerialToIso(1)).toBe('1899-12-31');
  });
  it('rejects impossible dates and other text', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024/3', 'March 5', '5/3/2024']) expect(parseDate(bad).ok).toBe(false);
  });
});

describe('parseMonth', () => {
  it.each(['2024-03', '202403', '2024年3月', '2024/3', '2024-03-01'])('%s → March 2024', (text) =>
    expect(value(parseMonth(text))).toEqual({ year: 2024, month: 3 }),
  );
  it('rejects month 13 and free text', () => {
    expect(parseMonth('2024-13').ok).toBe(false);
    expect(parseMonth('三月').ok).toBe(false);
  });
});

describe('parseBool, parsePoints, toHalfWidth', () => {
  it('reads 是/否, Y/N, 1/0', () => {
    for (const t of ['是', 'Y', 'y', '1', 'TRUE', '有']) expect(value(parseBool(t))).toBe(true);
    for (const f of ['否', 'N', '0', '无']) expect(value(parseBool(f))).toBe(false);
    expect(parseBool('可能').ok).toBe(false);
  });
  it('reads points as exact decimal text', () => {
    expect(value(parsePoints('87.5'))).toBe('87.5');
    expect(value(parsePoints(' ８７ '))).toBe('87');
    expect(parsePoints('八十').ok).toBe(false);
  });
  it('folds full-width forms', () => expect(toHalfWidth('（万元）Ａ１　')).toBe('(万元)A1 '));
});

describe('headers', () => {
  it('folds spaces, full-width brackets and the unit', () => {
    expect(normaliseHeader(' 结算金额（万元） ')).toEqual({ name: '结算金额', unit: '万元' });
    expect(normaliseHeader('结算金额(元)')).toEqual({ name: '结算金额', unit: '元' });
    expect(normaliseHeader('*机构 编码')).toEqual({ name: '机构编码', unit: '' });
    expect(normaliseHeader('追回金额')).toEqual({ name: '追回金额', unit: '' });
  });
});

describe('codes (SPEC §3)', () => {
  it('checks the institution code shape', () => {
    expect(isInstitutionCode('H11010100001')).toBe(true);
    expect(isInstitutionCode('P12011600123')).toBe(true);
    expect(isInstitutionCode('X12010100001')).toBe(false);
    expect(isInstitutionCode('H1201010001')).toBe(false);
  });
  it('verifies the unified social credit code check character (GB 32100-2015)', () => {
    expect(isCreditCode('12110000400686291H')).toBe(true); // real: 北京市第六医院
    expect(creditCodeCheckChar('12110000400686291')).toBe('H');
    expect(isCreditCode('12110000400686291J')).toBe(false);
    expect(isCreditCode('12110000400686291')).toBe(false);
  });
  it('verifies an ID number (GB 11643, ISO 7064 MOD 11-2)', () => {
    expect(isIdNumber('11010519491231002X')).toBe(true);
    expect(isIdNumber('110105194912310021')).toBe(false);
  });
});

describe('isBlank', () => {
  it('is whether the cell’s text is empty, for any cell (without making the text of a number or date)', () => {
    const cell: fc.Arbitrary<RawCell> = fc.oneof(
      fc.constant(null),
      fc.string(),
      fc.constantFrom('', ' ', '\t', '\u3000', '\u00a0', ' x '),
      fc.double(),
      fc.boolean(),
      fc.date({ noInvalidDate: false }),
    );
    fc.assert(
      fc.property(cell, (raw) => {
        expect(isBlank(raw)).toBe(cellText(raw) === '');
      }),
    );
  });
});
