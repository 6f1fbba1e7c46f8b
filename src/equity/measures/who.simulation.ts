/**
 * Monte Carlo confidence intervals the way healthequal computes them for BGSD, COV, MDB, MDM,
 * MDR and IDIS (after Ahn et al. 2019), with far more draws and a report of simulation error.
 *
 * healthequal's procedure (e.g. R/bgsd.R, R/mdbu.R): for each of `sim` = 100 repetitions, draw
 * every subgroup estimate from Normal(estimate, se), redrawing until the value is >= 0, and also
 * <= 100 when the indicator scale is 100; recompute the measure on the drawn estimates (with
 * population shares held fixed); the interval is the 2.5th and 97.5th percentiles (R's
 * `quantile`, type 7) of the repetitions.
 *
 * Here: the same truncated normal, drawn by inversion instead of by redrawing (the same
 * distribution, without an unbounded loop), from a seeded generator; default 100,000
 * repetitions; any number of confidence levels ((1 - c) / 2 and (1 + c) / 2 percentiles); and
 * for each limit an estimate of its Monte Carlo standard error from the order statistics:
 * for the p-quantile of n draws, half the distance between the order statistics at ranks
 * n p -/+ sqrt(n p (1 - p)) (a distribution-free ~68% interval for the quantile).
 *
 * Ahn J, Harper S, Yu M, Feuer EJ, Liu B. Improved Monte Carlo methods for estimating confidence
 * intervals for eleven commonly used health disparity measures. PLoS One. 2019;14(7):e0219542.
 */
import type { Interval } from './measure.ts';
import { normalCdf, normalQuantile } from '../../numeric/normal.ts';
import { createUniformGenerator, quantileType7 } from './who.numeric.ts';

export interface SimulationSettings {
  reps: number;
  seed: number;
  levels: readonly number[];
  /** Indicator scale: draws are truncated to [0, 100] when it is 100, otherwise to [0, infinity). */
  scale: number;
}

export interface SimulationOutcome {
  intervals: Interval[];
  simulation: { reps: number; seed: number; limitStandardErrors: { confidence: number; lower: number; upper: number }[] };
  /** Repetitions whose statistic was not a finite number (dropped, as R's na.rm = TRUE does). */
  nonFiniteDraws: number;
}

/**
 * Runs the simulation. `statistic` receives the drawn estimates (a reused buffer: read, do not
 * keep) and returns the measure. Returns a reason instead when a truncation window holds
 * (numerically) no probability, where healthequal's redrawing loop would never finish.
 */
export function simulateIntervals(
  values: readonly number[],
  ses: readonly number[],
  settings: SimulationSettings,
  statistic: (draw: Float64Array) => number,
): SimulationOutcome | { reason: string } {
  const n = values.length;
  const upperBound = settings.scale === 100 ? 100 : Infinity;
  const lowP = new Float64Array(n);
  const width = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const mean = values[j] as number;
    const sd = ses[j] as number;
    if (sd === 0) {
      if (mean < 0 || mean > upperBound) return { reason: `subgroup ${j + 1}: estimate ${mean} lies outside [0, ${upperBound}] with zero standard error` };
      continue;
    }
    const a = normalCdf((0 - mean) / sd);
    const b = upperBound === Infinity ? 1 : normalCdf((upperBound - mean) / sd);
    if (!(b - a > 1e-12)) {
      return { reason: `subgroup ${j + 1}: estimate ${mean} (se ${sd}) leaves no probability inside [0, ${upperBound}], so the truncated normal draws healthequal uses cannot be made` };
    }
    lowP[j] = a;
    width[j] = b - a;
  }

  const uniform = createUniformGenerator(settings.seed);
  const draw = new Float64Array(n);
  const results = new Float64Array(settings.reps);
  let kept = 0;
  for (let r = 0; r < settings.reps; r++) {
    for (let j = 0; j < n; j++) {
      const sd = ses[j] as number;
      const u = uniform.next();
      if (sd === 0) {
        draw[j] = values[j] as number;
        continue;
      }
      const x = (values[j] as number) + sd * normalQuantile((lowP[j] as number) + u * (width[j] as number));
      draw[j] = Math.min(Math.max(x, 0), upperBound);
    }
    const value = statistic(draw);
    if (Number.isFinite(value)) results[kept++] = value;
  }
  const sorted = results.subarray(0, kept).sort();
  if (kept < 2) return { reason: 'fewer than two simulated repetitions gave a finite value' };

  const intervals: Interval[] = [];
  const limitStandardErrors: SimulationOutcome['simulation']['limitStandardErrors'] = [];
  for (const confidence of settings.levels) {
    const pLow = (1 - confidence) / 2;
    const pHigh = 1 - pLow;
    intervals.push({ confidence, lower: quantileType7(sorted, pLow), upper: quantileType7(sorted, pHigh) });
    limitStandardErrors.push({ confidence, lower: quantileStandardError(sorted, pLow), upper: quantileStandardError(sorted, pHigh) });
  }
  return { intervals, simulation: { reps: settings.reps, seed: settings.seed, limitStandardErrors }, nonFiniteDraws: settings.reps - kept };
}

function quantileStandardError(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  const centre = n * p;
  const spread = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(centre - spread) - 1);
  const hi = Math.min(n - 1, Math.ceil(centre + spread) - 1);
  return ((sorted[hi] as number) - (sorted[lo] as number)) / 2;
}
