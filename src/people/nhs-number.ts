/**
 * NHS number checks (NHS Data Dictionary, "NHS Number"): ten digits, the tenth a Modulus 11
 * check digit. Multiply the first nine digits by weights 10 down to 2, sum, take the remainder
 * on division by 11 and subtract it from 11; 11 becomes 0 and 10 means the number is invalid.
 * The database enforces the same rule (roots_nhs_number_is_valid, migration 0001).
 */
export function nhsNumberCheckDigit(firstNine: string): number | null {
  if (!/^[0-9]{9}$/.test(firstNine)) return null;
  let total = 0;
  for (let position = 0; position < 9; position++) total += Number(firstNine[position]) * (10 - position);
  const check = 11 - (total % 11);
  if (check === 11) return 0;
  if (check === 10) return null;
  return check;
}

/** Strips the spaces and hyphens people write NHS numbers with ('943 476 5919'). */
export function normaliseNhsNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function isValidNhsNumber(input: string): boolean {
  const digits = normaliseNhsNumber(input);
  if (!/^[0-9]{10}$/.test(digits)) return false;
  const check = nhsNumberCheckDigit(digits.slice(0, 9));
  return check !== null && check === Number(digits[9]);
}
