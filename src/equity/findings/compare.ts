/**
 * How findings decide whether two groups differ, using only the disclosed estimates and their
 * intervals (findings never see a raw count).
 *
 * - Difference of two independent estimates (shares, proportions, means): the MOVER interval
 *   ("method of variance estimates recovery") built from each estimate's own interval:
 *
 *     d = a - b
 *     lower = d - sqrt((a - a_lower)^2 + (b_upper - b)^2)
 *     upper = d + sqrt((a_upper - a)^2 + (b - b_lower)^2)
 *
 *   For two proportions with Wilson score intervals this is Newcombe's method 10, the
 *   recommended interval for a difference of independent proportions. A gap is claimed when the
 *   interval excludes 0. Sources: Newcombe RG. Interval estimation for the difference between
 *   independent proportions: comparison of eleven methods. Stat Med 1998;17:873-890; Zou GY,
 *   Donner A. Construction of confidence limits about effect measures: a general approach.
 *   Stat Med 2008;27:1693-1702.
 *
 * - Medians (waits): there is no difference interval from two medians' intervals alone, so a gap
 *   is claimed only when the two intervals do not overlap. Non-overlap is a conservative test
 *   (two 95% intervals that do not overlap imply a difference significant well beyond 5%); an
 *   overlap is reported as "no clear difference", never as "no difference". Source: Schenker N,
 *   Gentleman JF. On judging the significance of differences by examining the overlap between
 *   confidence intervals. Am Stat 2001;55:182-186.
 *
 * - Ratios (rate ratio most / least deprived, access ratio): a gap when the interval excludes 1.
 */
import type { Estimate } from '../audit/audit.model.ts';

export interface Difference {
  value: number;
  lower: number;
  upper: number;
  method: string;
}

export const MOVER_METHOD = 'difference with MOVER interval from the two groups\' intervals (Newcombe method 10 for proportions with Wilson intervals)';

/** True when the estimate has both limits: without them no significance can be judged. */
export function hasInterval(estimate: Estimate | null | undefined): estimate is Estimate & { lower: number; upper: number } {
  return (
    estimate != null &&
    Number.isFinite(estimate.value) &&
    typeof estimate.lower === 'number' &&
    typeof estimate.upper === 'number' &&
    Number.isFinite(estimate.lower) &&
    Number.isFinite(estimate.upper)
  );
}

/** MOVER interval for a - b; null unless both estimates have both limits. */
export function differenceOf(a: Estimate | null | undefined, b: Estimate | null | undefined): Difference | null {
  if (!hasInterval(a) || !hasInterval(b)) return null;
  const value = a.value - b.value;
  return {
    value,
    lower: value - Math.hypot(a.value - a.lower, b.upper - b.value),
    upper: value + Math.hypot(a.upper - a.value, b.value - b.lower),
    method: MOVER_METHOD,
  };
}

/** Whether two intervals overlap (touching counts as overlapping); null unless both have limits. */
export function intervalsOverlap(a: Estimate | null | undefined, b: Estimate | null | undefined): boolean | null {
  if (!hasInterval(a) || !hasInterval(b)) return null;
  return a.lower <= b.upper && b.lower <= a.upper;
}

export type Position = 'above' | 'below' | 'includes';

/** Where an interval lies relative to a value (0 for differences, 1 for ratios); null without limits. */
export function positionOf(interval: { lower: number | null; upper: number | null } | null | undefined, value: number): Position | null {
  if (interval == null || typeof interval.lower !== 'number' || typeof interval.upper !== 'number') return null;
  if (interval.lower > value) return 'above';
  if (interval.upper < value) return 'below';
  return 'includes';
}
