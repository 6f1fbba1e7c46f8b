/**
 * Medians with distribution-free (binomial order-statistic) confidence intervals.
 *
 * With n observations sorted X(1) <= ... <= X(n), the median is X((n+1)/2) for odd n and the mean
 * of the two middle values for even n. The interval is [X(r), X(n - r + 1)] with r the largest
 * rank such that P(B <= r - 1) <= (1 - c) / 2 for B ~ Binomial(n, 1/2); its exact coverage,
 * 1 - 2 P(B <= r - 1), is at least c and is reported. With too few observations (n < 6 at 95%)
 * there is no such rank and no interval.
 *
 * Source: Campbell MJ, Gardner MJ. Medians and their differences. In Altman DG, Machin D, Bryant
 * TN, Gardner MJ (eds), Statistics with confidence, 2nd ed. BMJ Books 2000 (the exact binomial
 * ranks; e.g. n = 10 gives ranks 2 and 9, coverage 97.9%); Conover WJ. Practical nonparametric
 * statistics, 3rd ed. Wiley 1999, section 3.2.
 */
import type { GroupInput, Interval, MeasureOptions, MeasureResult } from './measure.ts';
import { incompleteBeta } from './distributions.ts';
import { checkConfidence, noEstimate } from './phe.common.ts';
import type { WeightedValue } from './mean.ts';

export const MEDIAN_METHOD = 'median, distribution-free interval from binomial order statistics (Campbell & Gardner, Statistics with Confidence)';

/** P(B <= k) for B ~ Binomial(n, 1/2). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return incompleteBeta(0.5, n - k, k + 1);
}

/** The rank r of the lower limit (1-based), or null when no rank reaches the confidence. */
export function medianLimitRank(n: number, confidence: number): { rank: number; coverage: number } | null {
  const alpha = (1 - confidence) / 2;
  if (binomialHalfCdf(0, n) > alpha) return null;
  // Start near the normal approximation, then step to the exact largest rank.
  let r = Math.max(1, Math.floor(n / 2 - (1.96 * Math.sqrt(n)) / 2));
  while (r > 1 && binomialHalfCdf(r - 1, n) > alpha) r--;
  while (binomialHalfCdf(r, n) <= alpha) r++;
  return { rank: r, coverage: 1 - 2 * binomialHalfCdf(r - 1, n) };
}

export interface MedianEstimate {
  value: number;
  n: number;
  intervals: (Interval & { coverage: number | null; ranks: [number, number] | null })[];
}

/** Median and binomial order-statistic limits of (value, frequency) observations. */
export function medianWithInterval(observations: readonly WeightedValue[], confidence: readonly number[]): MedianEstimate {
  checkConfidence(confidence);
  const rows = observations
    .map((o, i) => {
      const f = o.frequency ?? 1;
      if (!Number.isFinite(o.value)) throw new Error(`observation ${i + 1}: the value must be a finite number, got ${o.value}`);
      if (!(Number.isInteger(f) && f >= 0)) throw new Error(`observation ${i + 1}: the frequency must be a whole number, zero or more, got ${f}`);
      return { value: o.value, frequency: f };
    })
    .filter((o) => o.frequency > 0)
    .sort((a, b) => a.value - b.value);
  const n = rows.reduce((s, o) => s + o.frequency, 0);
  if (n === 0) throw new Error('a median needs at least one observation');
  const cumulative: number[] = [];
  let running = 0;
  for (const o of rows) cumulative.push((running += o.frequency));
  const orderStatistic = (rank: number): number => {
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! >= rank) hi = mid;
      else lo = mid + 1;
    }
    return rows[lo]!.value;
  };
  const value = n % 2 === 1 ? orderStatistic((n + 1) / 2) : (orderStatistic(n / 2) + orderStatistic(n / 2 + 1)) / 2;
  const intervals = confidence.map((c) => {
    const limit = medianLimitRank(n, c);
    if (limit === null) return { confidence: c, lower: null, upper: null, coverage: null, ranks: null };
    const upperRank = n - limit.rank + 1;
    return { confidence: c, lower: orderStatistic(limit.rank), upper: orderStatistic(upperRank), coverage: limit.coverage, ranks: [limit.rank, upperRank] as [number, number] };
  });
  return { value, n, intervals };
}

/** The `median` measure: each row is `count` (default 1) observations of `value`. */
export function medianMeasure(groups: readonly GroupInput[], options: MeasureOptions): MeasureResult {
  checkConfidence(options.confidence);
  const observations = groups.map((g) => ({ value: g.value, frequency: g.count ?? 1 }));
  if (observations.reduce((s, o) => s + o.frequency, 0) === 0) return noEstimate('median', MEDIAN_METHOD, options, 'there are no observations');
  const m = medianWithInterval(observations, options.confidence);
  const noInterval = m.intervals.some((i) => i.lower === null);
  return {
    measure: 'median',
    estimate: m.value,
    intervals: m.intervals.map(({ confidence, lower, upper }) => ({ confidence, lower, upper })),
    method: MEDIAN_METHOD,
    intervalMethod: 'exact',
    n: m.n,
    coverage: m.intervals.map((i) => ({ confidence: i.confidence, coverage: i.coverage, ranks: i.ranks })),
    ...(noInterval ? { reason: 'too few observations for a distribution-free interval at some confidence levels' } : {}),
  };
}
