/**
 * Crude rates with Poisson confidence intervals, as PHEindicatormethods' `phe_rate` (R/Rates.R,
 * internal byars_lower / byars_upper in R/utils.R).
 *
 * For x events in n (person-years or population), at confidence c, q = c + (1 - c) / 2:
 *
 *   rate = x / n * multiplier
 *   x < 10, exact (chi-square) limits:  lower = qchisq(1 - q, 2x) / 2,  upper = qchisq(q, 2x + 2) / 2
 *   x >= 10, Byar's method with z = qnorm(q):
 *     lower = x (1 - 1/(9x) - z / (3 sqrt(x)))^3
 *     upper = (x + 1) (1 - 1/(9(x + 1)) + z / (3 sqrt(x + 1)))^3
 *
 * each divided by n and multiplied by the multiplier. Byar's lower limit is reported as missing
 * (null) when it comes out negative, as PHE does.
 *
 * Sources: Breslow NE, Day NE. Statistical methods in cancer research, volume II. IARC 1987
 * (Byar's approximation); Garwood F. Fiducial limits for the Poisson distribution. Biometrika
 * 1936;28:437-442 (exact limits).
 */
import type { GroupInput, Interval, MeasureOptions, MeasureResult } from './measure.ts';
import { twoSidedZ } from '../../numeric/normal.ts';
import { chiSquareQuantile } from './distributions.ts';
import { checkConfidence, countAndDenominator, emptyIntervals } from './phe.common.ts';
import type { GroupEstimate } from './wilson.ts';

export const RATE_METHOD = 'crude rate, exact Poisson limits below 10 events and Byar\'s method otherwise (PHEindicatormethods phe_rate)';

function checkCount(x: number): void {
  if (!(x >= 0) || !Number.isFinite(x)) throw new Error(`the number of events must be a finite number, zero or more, got ${x}`);
}

/** Byar's lower limit for an observed count; null when the approximation goes negative. */
export function byarsLower(x: number, confidence: number): number | null {
  checkCount(x);
  const z = twoSidedZ(confidence);
  const lower = x * (1 - 1 / (9 * x) - z / (3 * Math.sqrt(x))) ** 3;
  return Number.isFinite(lower) && lower >= 0 ? lower : null;
}

/** Byar's upper limit for an observed count. */
export function byarsUpper(x: number, confidence: number): number {
  checkCount(x);
  const z = twoSidedZ(confidence);
  return (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * Math.sqrt(x + 1))) ** 3;
}

/** Exact (Garwood) lower limit: qchisq((1 - c) / 2, 2x) / 2, which is 0 when x is 0. */
export function exactPoissonLower(x: number, confidence: number): number {
  checkCount(x);
  return chiSquareQuantile((1 - confidence) / 2, 2 * x) / 2;
}

/** Exact (Garwood) upper limit: qchisq(c + (1 - c) / 2, 2x + 2) / 2. */
export function exactPoissonUpper(x: number, confidence: number): number {
  checkCount(x);
  return chiSquareQuantile(confidence + (1 - confidence) / 2, 2 * x + 2) / 2;
}

export interface CountLimits {
  lower: number | null;
  upper: number;
  method: 'exact' | 'byar';
}

/** PHE's limits for an observed count: exact below 10 events, Byar's method from 10. */
export function poissonCountLimits(x: number, confidence: number): CountLimits {
  if (x < 10) return { lower: exactPoissonLower(x, confidence), upper: exactPoissonUpper(x, confidence), method: 'exact' };
  return { lower: byarsLower(x, confidence), upper: byarsUpper(x, confidence), method: 'byar' };
}

export interface RateEstimate {
  value: number;
  intervals: Interval[];
  method: 'exact' | 'byar';
}

/** PHE's phe_rate for one row. */
export function rate(x: number, n: number, confidence: readonly number[], multiplier: number): RateEstimate {
  checkConfidence(confidence);
  checkCount(x);
  if (!(n > 0)) throw new Error(`the denominator must be greater than zero, got ${n}`);
  let method: 'exact' | 'byar' = 'byar';
  const intervals = confidence.map((c) => {
    const limits = poissonCountLimits(x, c);
    method = limits.method;
    return { confidence: c, lower: limits.lower === null ? null : (limits.lower / n) * multiplier, upper: (limits.upper / n) * multiplier };
  });
  return { value: (x / n) * multiplier, intervals, method };
}

/**
 * The `rate` measure: a crude rate per `scale` with PHE's limits for every row (`count` events in
 * `denominator`, or `population` when there is no denominator), in `groups`; the top-level
 * estimate is every row pooled.
 */
export function rateMeasure(groups: readonly GroupInput[], options: MeasureOptions): MeasureResult {
  checkConfidence(options.confidence);
  const rows: (GroupEstimate & { limitMethod?: string })[] = groups.map((g) => {
    const counts = countAndDenominator(g);
    if (counts === null) return { group: g.group, estimate: null, intervals: emptyIntervals(options.confidence), reason: 'count and denominator (or population) are required' };
    if (!(counts.denominator > 0)) return { group: g.group, estimate: null, intervals: emptyIntervals(options.confidence), ...counts, reason: 'the denominator must be greater than zero' };
    const r = rate(counts.count, counts.denominator, options.confidence, options.scale);
    return { group: g.group, estimate: r.value, intervals: r.intervals, ...counts, limitMethod: r.method };
  });
  const usable = rows.filter((r) => r.estimate !== null);
  const totalCount = usable.reduce((s, r) => s + (r.count ?? 0), 0);
  const totalDenominator = usable.reduce((s, r) => s + (r.denominator ?? 0), 0);
  const pooled = totalDenominator > 0 ? rate(totalCount, totalDenominator, options.confidence, options.scale) : null;
  return {
    measure: 'rate',
    estimate: pooled?.value ?? null,
    intervals: pooled?.intervals ?? emptyIntervals(options.confidence),
    method: RATE_METHOD,
    intervalMethod: pooled?.method === 'exact' ? 'exact' : 'analytic',
    multiplier: options.scale,
    pooled: { count: totalCount, denominator: totalDenominator },
    groups: rows,
    ...(pooled === null ? { reason: 'no row has a usable count and denominator' } : {}),
  };
}
