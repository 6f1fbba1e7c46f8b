import { z } from 'zod';
import { isCalendarDate } from '../../domain/dates.ts';

/**
 * The custom window form on `/equity` (signed-in staff only): a start and an end date, each in
 * the NHS date input pattern (day, month and year boxes). Pure: parses what was sent and names
 * each problem by field and content key (src/web/content: `equity.window.errors`), so the route
 * shows them in the page's language in the NHS error summary. A window given as ISO dates
 * (`from=2024-04-01&to=2025-03-31`, the download links and the API) parses the same way.
 */
export const equityWindowFields = z.object({
  from: z.string().max(10).optional(),
  to: z.string().max(10).optional(),
  'from-day': z.string().max(10).optional(),
  'from-month': z.string().max(10).optional(),
  'from-year': z.string().max(10).optional(),
  'to-day': z.string().max(10).optional(),
  'to-month': z.string().max(10).optional(),
  'to-year': z.string().max(10).optional(),
});
export type EquityWindowFields = z.infer<typeof equityWindowFields>;

export type EquityWindowError = 'fromMissing' | 'fromInvalid' | 'toMissing' | 'toInvalid' | 'toBeforeFrom' | 'tooFew';

/** What the form shows back: the boxes as typed. */
export interface EquityWindowValues {
  from: { day: string; month: string; year: string };
  to: { day: string; month: string; year: string };
}

export type EquityWindowResult =
  | { ok: true; from: string; to: string; values: EquityWindowValues }
  | { ok: false; errors: { field: string; key: EquityWindowError }[]; values: EquityWindowValues };

const parts = ['day', 'month', 'year'] as const;

/** Whether the query asks for a custom window at all (any date box or from/to present). */
export function asksForCustomWindow(query: EquityWindowFields): boolean {
  return Object.entries(equityWindowFields.shape).some(([key]) => {
    const value = query[key as keyof EquityWindowFields];
    return value !== undefined && (key === 'from' || key === 'to' || value.trim() !== '');
  });
}

function boxes(query: EquityWindowFields, which: 'from' | 'to'): { day: string; month: string; year: string } {
  const iso = query[which]?.trim();
  if (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) && parts.every((part) => !query[`${which}-${part}`]?.trim())) {
    return { day: iso.slice(8, 10), month: iso.slice(5, 7), year: iso.slice(0, 4) };
  }
  if (iso !== undefined && iso !== '' && parts.every((part) => !query[`${which}-${part}`]?.trim())) return { day: '', month: '', year: iso };
  return { day: query[`${which}-day`]?.trim() ?? '', month: query[`${which}-month`]?.trim() ?? '', year: query[`${which}-year`]?.trim() ?? '' };
}

/** The date the boxes make, `null` when none was typed, or `'invalid'`. */
function dateOf(value: { day: string; month: string; year: string }): string | null | 'invalid' {
  if (!value.day && !value.month && !value.year) return null;
  if (!/^\d{1,2}$/.test(value.day) || !/^\d{1,2}$/.test(value.month) || !/^\d{4}$/.test(value.year)) return 'invalid';
  const iso = `${value.year}-${value.month.padStart(2, '0')}-${value.day.padStart(2, '0')}`;
  return isCalendarDate(iso) ? iso : 'invalid';
}

/** Parses the window; every problem is reported at once (the error summary lists them all). */
export function parseEquityWindow(query: EquityWindowFields): EquityWindowResult {
  const values: EquityWindowValues = { from: boxes(query, 'from'), to: boxes(query, 'to') };
  const from = dateOf(values.from);
  const to = dateOf(values.to);
  const errors: { field: string; key: EquityWindowError }[] = [];
  if (from === null) errors.push({ field: 'from-day', key: 'fromMissing' });
  if (from === 'invalid') errors.push({ field: 'from-day', key: 'fromInvalid' });
  if (to === null) errors.push({ field: 'to-day', key: 'toMissing' });
  if (to === 'invalid') errors.push({ field: 'to-day', key: 'toInvalid' });
  if (errors.length > 0 || from === null || to === null || from === 'invalid' || to === 'invalid') return { ok: false, errors, values };
  if (to < from) return { ok: false, errors: [{ field: 'to-day', key: 'toBeforeFrom' }], values };
  return { ok: true, from, to, values };
}
