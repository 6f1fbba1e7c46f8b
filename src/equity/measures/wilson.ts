/**
 * Proportions with Wilson score confidence intervals, as PHEindicatormethods' `phe_proportion`
 * (R/Proportions.R, internal wilson_lower / wilson_upper in R/utils.R).
 *
 * For x events out of n, at confidence c with z = qnorm(c + (1 - c) / 2):
 *
 *   lower, upper = (2x + z^2 -/+ z sqrt(z^2 + 4x (1 - x/n))) / (2 (n + z^2))
 *
 * and the proportion p = x / n; both are multiplied by the `multiplier` (1 for a proportion of 1,
 * 100 for a percentage). x need not be a whole number (PHE's test sheet uses 0.445 out of 1).
 *
 * Sources: Wilson EB. Probable inference, the law of succession, and statistical inference.
 * J Am Stat Assoc 1927;22:209-212. Newcombe RG, Altman DG. Proportions and their differences. In
 * Altman DG et al. (eds), Statistics with confidence, 2nd ed. BMJ Books 2000:46-48.
 */
import type { GroupInput, Interval, MeasureOptions, MeasureResult } from './measure.ts';
import { twoSidedZ } from '../../numeric/normal.ts';
import { checkConfidence, countAndDenominator, emptyIntervals } from './phe.common.ts';

export const WILSON_METHOD = 'Wilson score interval (PHEindicatormethods phe_proportion)';

/** Wilson score limits for x events out of n, as proportions of 1. */
export function wilsonLimits(x: number, n: number, confidence: number): { lower: number; upper: number } {
  checkCounts(x, n);
  const z = twoSidedZ(confidence);
  const z2 = z * z;
  const root = z * Math.sqrt(z2 + 4 * x * (1 - x / n));
  return { lower: (2 * x + z2 - root) / 2 / (n + z2), upper: (2 * x + z2 + root) / 2 / (n + z2) };
}

function checkCounts(x: number, n: number): void {
  if (!(x >= 0)) throw new Error(`the number of events must be zero or more, got ${x}`);
  if (!(n > 0)) throw new Error(`the denominator must be greater than zero, got ${n}`);
  if (x > n) throw new Error(`the number of events (${x}) cannot exceed the denominator (${n}) for a proportion`);
}

export interface ProportionEstimate {
  value: number;
  intervals: Interval[];
}

/** PHE's phe_proportion for one row: x / n * multiplier with Wilson limits at each confidence level. */
export function proportion(x: number, n: number, confidence: readonly number[], multiplier = 1): ProportionEstimate {
  checkConfidence(confidence);
  checkCounts(x, n);
  return {
    value: (x / n) * multiplier,
    intervals: confidence.map((c) => {
      const { lower, upper } = wilsonLimits(x, n, c);
      return { confidence: c, lower: lower * multiplier, upper: upper * multiplier };
    }),
  };
}

export interface GroupEstimate {
  group: string;
  estimate: number | null;
  intervals: Interval[];
  count?: number;
  denominator?: number;
  reason?: string;
}

/**
 * The `wilson` measure: a proportion with Wilson limits for every row (`count` events out of
 * `denominator`, or of `population` when there is no denominator), in `groups`; the top-level
 * estimate is every row pooled (sum of counts over sum of denominators).
 */
export function wilsonMeasure(groups: readonly GroupInput[], options: MeasureOptions): MeasureResult {
  checkConfidence(options.confidence);
  const rows: GroupEstimate[] = groups.map((g) => {
    const counts = countAndDenominator(g);
    if (counts === null) return { group: g.group, estimate: null, intervals: emptyIntervals(options.confidence), reason: 'count and denominator (or population) are required' };
    if (counts.denominator === 0) return { group: g.group, estimate: null, intervals: emptyIntervals(options.confidence), ...counts, reason: 'the denominator is zero' };
    const p = proportion(counts.count, counts.denominator, options.confidence, options.scale);
    return { group: g.group, estimate: p.value, intervals: p.intervals, ...counts };
  });
  const usable = rows.filter((r) => r.estimate !== null);
  const totalCount = usable.reduce((s, r) => s + (r.count ?? 0), 0);
  const totalDenominator = usable.reduce((s, r) => s + (r.denominator ?? 0), 0);
  const pooled = totalDenominator > 0 ? proportion(totalCount, totalDenominator, options.confidence, options.scale) : null;
  return {
    measure: 'wilson',
    estimate: pooled?.value ?? null,
    intervals: pooled?.intervals ?? emptyIntervals(options.confidence),
    method: WILSON_METHOD,
    intervalMethod: 'analytic',
    multiplier: options.scale,
    pooled: { count: totalCount, denominator: totalDenominator },
    groups: rows,
    ...(pooled === null ? { reason: 'no row has a usable count and denominator' } : {}),
  };
}
