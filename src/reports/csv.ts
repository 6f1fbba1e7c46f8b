import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer for files people open in a spreadsheet (the audit table, import error
 * reports). Quoting is csv-stringify's; text cells are neutralised against formula injection
 * (OWASP "CSV injection"): a cell starting with =, +, -, @, a tab or a carriage return gets a
 * leading apostrophe so a spreadsheet shows it as text instead of running it. Numbers are written
 * by Roots itself and stay numbers, so a negative figure stays numeric.
 */
export type CsvCell = string | number | null | undefined;

/** A text cell that a spreadsheet would read as a formula gets a leading apostrophe. */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Up to 10 significant digits: enough for any statistic, without float noise (0.30000000000000004). */
export function numberCell(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(10))) : '';
}

export interface CsvTextOptions {
  /** Start with a UTF-8 byte-order mark, so Excel reads Welsh letters. */
  bom?: boolean;
  /** End records with CRLF (RFC 4180) instead of LF. */
  crlf?: boolean;
}

/** Rows of cells as CSV text: text neutralised, numbers as numbers, null and undefined blank. */
export function toCsvText(rows: readonly (readonly CsvCell[])[], options: CsvTextOptions = {}): string {
  const text = stringify(
    rows.map((row) => [...row]),
    {
      record_delimiter: options.crlf ? 'windows' : 'unix',
      cast: { string: neutraliseFormula, number: numberCell },
    },
  );
  return options.bom ? `\uFEFF${text}` : text;
}
