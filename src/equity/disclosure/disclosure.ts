/**
 * Statistical disclosure control for counts shown outside the care team.
 *
 * Default: the NHS rule used for published statistics below national level (NHS England /
 * NHS Digital small-number policy for health statistics): counts from 1 to 7 are suppressed and
 * every other count is rounded to the nearest 5; rates are computed from the rounded counts.
 * Zero is shown as zero (a true zero discloses nothing about a person).
 */
export interface DisclosureRule {
  /** Counts from 1 up to and including this number are suppressed. */
  suppressUpTo: number;
  /** Shown counts are rounded to the nearest multiple of this (1 = no rounding). */
  roundTo: number;
}

export const nhsDisclosureRule: DisclosureRule = { suppressUpTo: 7, roundTo: 5 };

export type DisclosedCount = { shown: true; value: number } | { shown: false; value: null; reason: 'small-number' };

export function discloseCount(count: number, rule: DisclosureRule = nhsDisclosureRule): DisclosedCount {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`A count must be a whole number of 0 or more, not ${count}`);
  if (count === 0) return { shown: true, value: 0 };
  if (count <= rule.suppressUpTo) return { shown: false, value: null, reason: 'small-number' };
  return { shown: true, value: Math.round(count / rule.roundTo) * rule.roundTo };
}
