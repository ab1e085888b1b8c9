// A problem found in an input or the policy, located for the officer (SPEC §2, §5.1).

export interface Problem {
  file: string;
  sheet?: string;
  row?: number; // 1-based, as the spreadsheet shows it
  column?: string; // the header as written in the file
  value?: string;
  message: string; // what is wrong and what was expected, in Chinese
  /** A root cause: a problem that makes others follow (a file unreadable, a roster without rows); listed first. */
  root?: boolean;
  /** How many further problems follow from this one and are not listed one by one. */
  consequences?: number;
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.sheet ? `工作表「${p.sheet}」` : '', p.row !== undefined ? `第${p.row}行` : '', p.column ? `「${p.column}」列` : '']
    .filter(Boolean)
    .join(' ');
  const value = p.value !== undefined ? `：值「${p.value}」` : '';
  const more = p.consequences ? `（由此另有 ${p.consequences} 处无法核对，未逐一列出）` : '';
  return `${where}${value}：${p.message}${more}`;
}
