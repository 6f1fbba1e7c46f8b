import { z } from 'zod';

/** Whether `text` is a real calendar day written YYYY-MM-DD (so 2026-02-30 and 2026-13-01 are not). */
export function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const day = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
}

/**
 * The one schema for a date at a boundary (query string, command option, JSON): YYYY-MM-DD and
 * a day that exists. An impossible date is a validation error, never a 500 further in.
 */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date written YYYY-MM-DD' })
  .refine(isCalendarDate, { message: 'is not a real date' });

/** The earlier of two YYYY-MM-DD dates. */
export function earlierDate(a: string, b: string): string {
  return a <= b ? a : b;
}
