// Identifier checks of SPEC §3: institution code, unified social credit code, ID number.

/** 医保定点机构编码: H (medical) or P (pharmacy) + 6-digit division + 5 digits. */
export const INSTITUTION_CODE = /^[HP]\d{11}$/;

export function isInstitutionCode(code: string): boolean {
  return INSTITUTION_CODE.test(code);
}

export const CREDIT_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** GB 32100-2015 check character of the first 17 characters, or null if a character is outside the charset. */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  let weight = 1;
  for (const ch of first17) {
    const value = CREDIT_CHARSET.indexOf(ch);
    if (value < 0) return null;
    sum += value * weight;
    weight = (weight * 3) % 31;
  }
  return CREDIT_CHARSET[(31 - (sum % 31)) % 31] ?? null;
}

/** 统一社会信用代码 (GB 32100-2015): 18 characters, last one its check character. */
export function isCreditCode(code: string): boolean {
  if (code.length !== 18) return false;
  const check = creditCodeCheckChar(code.slice(0, 17));
  return check !== null && check === code[17];
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** 身份证号 (GB 11643-1999, ISO 7064 MOD 11-2): 17 digits + check digit or X. */
export function isIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === id[17];
}
