/**
 * Numbers written for people, the same way in findings, tables, charts and downloads:
 * ratios to 2 significant figures, weeks to 1 decimal place, rates per 1,000 to 1 decimal place,
 * shares as whole percentages, counts with thousands separators. Formatting never changes a
 * statistic; it only decides how many digits a reader sees.
 */

const trimZeros = (text: string): string => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);

/** 2 significant figures without trailing zeros: 0.602 -> "0.6", 0.5372 -> "0.54", 12.4 -> "12", 1.0 -> "1". */
export function formatRatio(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (value === 0) return '0';
  const digits = Math.floor(Math.log10(Math.abs(value)));
  // Beyond 2 significant figures the integer part keeps its digits (123 -> "120").
  if (digits >= 1) return String(Math.round(value / 10 ** (digits - 1)) * 10 ** (digits - 1));
  return trimZeros(value.toFixed(1 - digits));
}

/** Weeks to 1 decimal place: 9.06 -> "9.1". */
export function formatWeeks(value: number): string {
  return Number.isFinite(value) ? value.toFixed(1) : '';
}

/** A rate (per 1,000) to 1 decimal place, with thousands separators for large rates. */
export function formatRate(value: number): string {
  return Number.isFinite(value) ? value.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 }) : '';
}

/**
 * A share of 1 as a whole percentage. Shares that would round to 0% or 100% but are not exactly
 * that are written "less than 1%" and "more than 99%", so a small share is never shown as none.
 */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return '';
  if (share > 0 && share < 0.005) return 'less than 1%';
  if (share < 1 && share > 0.995) return 'more than 99%';
  return `${Math.round(share * 100)}%`;
}

/** A share of 1 as whole percentage points (no sign, no % sign): 0.071 -> "7". */
export function formatPoints(share: number): string {
  return Number.isFinite(share) ? String(Math.round(Math.abs(share) * 100)) : '';
}

/** A count with thousands separators: 3015 -> "3,015". */
export function formatCount(value: number): string {
  return Number.isFinite(value) ? value.toLocaleString('en-GB', { maximumFractionDigits: 0 }) : '';
}

/** A confidence level as a percentage: 0.95 -> "95%", 0.998 -> "99.8%". */
export function formatConfidence(confidence: number): string {
  return `${trimZeros((confidence * 100).toFixed(1))}%`;
}

/** A date 'YYYY-MM-DD' as "1 April 2024" (in Welsh "1 Ebrill 2024"). */
export function formatDate(date: string, language: 'en' | 'cy' = 'en'): string {
  const parsed = new Date(`${date.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime())) return date;
  return parsed.toLocaleDateString(language === 'cy' ? 'cy-GB' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/** Upper-cases the first letter of a sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "a", "a and b", "a, b and c" (or "a, b or c"). */
export function listOf(items: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1]}`;
}

/** Fills "{name}" placeholders of a content string; unknown names are left as they are. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
