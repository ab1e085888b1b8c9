// A problem found in an input or the policy, located for the officer (SPEC §2, §5.1).

export interface Problem {
  file: string;
  sheet?: string;
  row?: number; // 1-based, as the spreadsheet shows it
  column?: string; // the header as written in the file
  value?: string;
  message: string; // what is wrong and what was expected, in Chinese
}

export function formatProblem(p: Problem): string {
  const where = [p.file, p.sheet ? `工作表「${p.sheet}」` : '', p.row !== undefined ? `第${p.row}行` : '', p.column ? `「${p.column}」列` : '']
    .filter(Boolean)
    .join(' ');
  const value = p.value !== undefined ? `：值「${p.value}」` : '';
  return `${where}${value}：${p.message}`;
}
