/**
 * Means with Student's t confidence intervals, as PHEindicatormethods' `phe_mean` (R/Means.R):
 *
 *   mean = sum(x) / n,  s = sample standard deviation (n - 1 divisor)
 *   limits = mean -/+ |qt((1 - c) / 2, n - 1)| s / sqrt(n)
 *
 * Roots receives aggregated rows, so each row may stand for `count` identical observations of
 * `value` (a frequency table from SQL); with every count 1 this is exactly phe_mean.
 *
 * Source: Student. The probable error of a mean. Biometrika 1908;6:1-25; PHE Fingertips technical
 * guidance (means).
 */
import type { GroupInput, Interval, MeasureOptions, MeasureResult } from './measure.ts';
import { studentTQuantile } from './distributions.ts';
import { checkConfidence, noEstimate } from './phe.common.ts';

export const MEAN_METHOD = "mean, Student's t-distribution interval (PHEindicatormethods phe_mean)";

export interface WeightedValue {
  value: number;
  /** How many observations have this value (default 1). */
  frequency?: number;
}

export interface MeanEstimate {
  value: number;
  standardDeviation: number;
  n: number;
  intervals: Interval[];
}

/** Mean, sample standard deviation and t limits of observations given as (value, frequency) pairs. */
export function meanWithTInterval(observations: readonly WeightedValue[], confidence: readonly number[]): MeanEstimate {
  checkConfidence(confidence);
  let n = 0;
  let sum = 0;
  for (const [i, o] of observations.entries()) {
    const f = o.frequency ?? 1;
    if (!Number.isFinite(o.value)) throw new Error(`observation ${i + 1}: the value must be a finite number, got ${o.value}`);
    if (!(f >= 0) || !Number.isFinite(f)) throw new Error(`observation ${i + 1}: the frequency must be zero or more, got ${f}`);
    n += f;
    sum += f * o.value;
  }
  if (!(n >= 2)) throw new Error(`a mean with a t interval needs at least 2 observations, got ${n}`);
  const mean = sum / n;
  let squares = 0;
  for (const o of observations) squares += (o.frequency ?? 1) * (o.value - mean) ** 2;
  const sd = Math.sqrt(squares / (n - 1));
  const standardError = sd / Math.sqrt(n);
  const intervals = confidence.map((c) => {
    const t = Math.abs(studentTQuantile((1 - c) / 2, n - 1));
    return { confidence: c, lower: mean - t * standardError, upper: mean + t * standardError };
  });
  return { value: mean, standardDeviation: sd, n, intervals };
}

/** The `mean` measure: each row is `count` (default 1) observations of `value`. */
export function meanMeasure(groups: readonly GroupInput[], options: MeasureOptions): MeasureResult {
  checkConfidence(options.confidence);
  const observations = groups.map((g) => ({ value: g.value, frequency: g.count ?? 1 }));
  const n = observations.reduce((s, o) => s + o.frequency, 0);
  if (n < 2) return noEstimate('mean', MEAN_METHOD, options, `at least 2 observations are needed, got ${n}`);
  const m = meanWithTInterval(observations, options.confidence);
  return { measure: 'mean', estimate: m.value, intervals: m.intervals, method: MEAN_METHOD, intervalMethod: 'analytic', n: m.n, standardDeviation: m.standardDeviation };
}
