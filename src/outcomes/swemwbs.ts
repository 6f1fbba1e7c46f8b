/**
 * SWEMWBS: the Short Warwick-Edinburgh Mental Wellbeing Scale (7 items, each 1 "none of the
 * time" to 5 "all of the time"). The raw sum (7-35) is converted to a metric score with the
 * published Rasch conversion table (Stewart-Brown S, Tennant A, Tennant R, Platt S, Parkinson J,
 * Weich S. Internal construct validity of the Warwick-Edinburgh Mental Well-being Scale: a Rasch
 * analysis using data from the Scottish Health Education Population Survey. Health Qual Life
 * Outcomes 2009;7:15; table as distributed by Warwick Medical School with the scale).
 *
 * Roots stores scores only; the item wording is the licensor's and is not held here.
 */

/** Metric score for each raw sum from 7 to 35, in order. */
const METRIC_BY_RAW: readonly number[] = [
  7.0, 9.51, 11.25, 12.4, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73,
  21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.7, 32.55, 35.0,
];

export const SWEMWBS_ITEMS = 7;
export const SWEMWBS_RAW_MIN = 7;
export const SWEMWBS_RAW_MAX = 35;

/**
 * Change in metric score treated as meaningful for one person. A parameter, not a fact of the
 * scale: Roots uses 3 by default, the upper end of the 1 to 3 point range found for individual
 * change (Shah et al., Health Qual Life Outcomes 2018;16:239, and the scale's user guidance), so
 * that a reported improvement is not noise. instruments.ts names it for the pages.
 */
export const SWEMWBS_MEANINGFUL_CHANGE = 3;

/** Raw score: the sum of the seven item responses, each a whole number from 1 to 5. */
export function swemwbsRawScore(items: readonly number[]): number {
  if (items.length !== SWEMWBS_ITEMS) throw new RangeError(`SWEMWBS has ${SWEMWBS_ITEMS} items, got ${items.length}`);
  for (const item of items) {
    if (!Number.isInteger(item) || item < 1 || item > 5) throw new RangeError('each SWEMWBS item is a whole number from 1 to 5');
  }
  return items.reduce((sum, item) => sum + item, 0);
}

/** Metric score from a raw score (7-35) by the published conversion table. */
export function swemwbsMetricScore(raw: number): number {
  if (!Number.isInteger(raw) || raw < SWEMWBS_RAW_MIN || raw > SWEMWBS_RAW_MAX) {
    throw new RangeError(`a SWEMWBS raw score is a whole number from ${SWEMWBS_RAW_MIN} to ${SWEMWBS_RAW_MAX}`);
  }
  return METRIC_BY_RAW[raw - SWEMWBS_RAW_MIN]!;
}

export type ChangeDirection = 'improved' | 'no meaningful change' | 'worsened';

/** Change between two metric scores, classified against a meaningful-change threshold. */
export function swemwbsChange(
  before: number,
  after: number,
  threshold = SWEMWBS_MEANINGFUL_CHANGE,
): { change: number; direction: ChangeDirection } {
  const change = Math.round((after - before) * 100) / 100;
  const direction: ChangeDirection = change >= threshold ? 'improved' : change <= -threshold ? 'worsened' : 'no meaningful change';
  return { change, direction };
}
