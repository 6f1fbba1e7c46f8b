/**
 * WHO HEAT measures of dispersion around a point: between-group variance (BGV) and standard
 * deviation (BGSD), coefficient of variation (COV), mean differences from the mean (MDMU, MDMW),
 * from the best-performing subgroup (MDBU, MDBW) and from a reference subgroup (MDRU, MDRW),
 * and the index of disparity (IDISU, IDISW). "U" = unweighted (each subgroup counts 1/n),
 * "W" = weighted by population share w_j = pop_j / N.
 *
 * Notation: y_j subgroup estimates, n subgroups, mu = sum w_j y_j (the setting average),
 * y_best = max y_j for favourable indicators and min y_j for adverse ones, y_ref the reference
 * subgroup's estimate.
 *
 * BGV has healthequal's analytic interval; all the others have healthequal's Monte Carlo
 * interval (see who.simulation.ts), recomputing mu, y_best and y_ref from each set of draws,
 * with population shares fixed.
 * Sources: healthequal R/bgv.R, bgsd.R, covar.R, mdmu.R, mdmw.R, mdbu.R, mdbw.R, mdru.R, mdrw.R,
 * idisu.R, idisw.R; Schlotheuber & Hosseinpoor (2022) IJERPH 19(6):3697; Ahn et al. (2018, 2019).
 */
import type { GroupInput, MeasureResult } from './measure.ts';
import {
  DEFAULT_REPS,
  DEFAULT_SEED,
  MISSING_SE,
  chooseVariant,
  checkOptions,
  confidenceLevels,
  emptyIntervals,
  normalIntervals,
  prepareSubgroups,
  shares,
  unavailable,
  weightedMean,
  type Subgroups,
  type WhoOptions,
} from './who.common.ts';
import { simulateIntervals } from './who.simulation.ts';

const BGV_METHOD = 'WHO HEAT between-group variance (healthequal::bgv)';

/**
 * BGV = sum w_j (y_j - mu)^2.
 * SE (Ahn et al. 2018, as healthequal::bgv): with
 *   A = sum w_j^2 se_j^2 (y_j - mu)^2, S2 = sum w_j^2 se_j^2, S4 = sum w_j^4 se_j^4,
 *   T = sum w_j^2 (1 - w_j)^2 se_j^4,
 * SE = sqrt(4 A + 2 (S2^2 - S4 + T)); interval BGV +/- z SE (it can extend below zero).
 */
export function betweenGroupVariance(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  checkOptions(options);
  const prepared = prepareSubgroups(groups, options, { minGroups: 3 });
  if (!prepared.ok) return unavailable('bgv', BGV_METHOD, options, prepared.reason);
  const { values, populations, ses } = prepared.data;
  const w = shares(populations);
  const mu = weightedMean(values, w);
  const estimate = w.reduce((s, wj, j) => s + wj * ((values[j] as number) - mu) ** 2, 0);
  const levels = confidenceLevels(options);
  const base = { measure: 'bgv', estimate, method: BGV_METHOD, weightedMean: mu };
  if (!ses) return { ...base, intervals: emptyIntervals(levels), intervalMethod: 'none', se: null, intervalReason: MISSING_SE };
  let a = 0;
  let s2 = 0;
  let s4 = 0;
  let t = 0;
  w.forEach((wj, j) => {
    const v = (ses[j] as number) ** 2;
    a += wj * wj * v * ((values[j] as number) - mu) ** 2;
    s2 += wj * wj * v;
    s4 += wj ** 4 * v * v;
    t += wj * wj * (1 - wj) ** 2 * v * v;
  });
  const se = Math.sqrt(4 * a + 2 * (s2 * s2 - s4 + t));
  return { ...base, intervals: normalIntervals(estimate, se, levels), intervalMethod: 'analytic', se };
}

interface SimulatedSpec {
  measure: string;
  method: string;
  needsReference?: boolean;
  /** The measure computed from estimates y (observed or drawn). */
  statistic: (y: ArrayLike<number>, context: StatisticContext) => number;
  extra?: (context: StatisticContext) => Record<string, unknown>;
}

interface StatisticContext {
  data: Subgroups;
  w: number[];
  favourable: boolean;
  /** Index of the reference subgroup (MDRU, MDRW). */
  reference: number;
  /** Observed setting average (used where healthequal holds it fixed in the simulation). */
  observedMean: number;
}

function simulatedMeasure(spec: SimulatedSpec, groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  checkOptions(options);
  const prepared = prepareSubgroups(groups, options, { minGroups: 3 });
  if (!prepared.ok) return unavailable(spec.measure, spec.method, options, prepared.reason);
  const data = prepared.data;
  let reference = -1;
  if (spec.needsReference) {
    if (options.reference === undefined || options.reference === '') {
      return unavailable(spec.measure, spec.method, options, 'this measure needs a reference subgroup (options.reference)');
    }
    reference = data.labels.indexOf(options.reference);
    if (reference < 0) return unavailable(spec.measure, spec.method, options, `reference subgroup "${options.reference}" is not among the subgroups`);
  }
  const w = shares(data.populations);
  const context: StatisticContext = { data, w, favourable: options.favourable, reference, observedMean: weightedMean(data.values, w) };
  const estimate = spec.statistic(data.values, context);
  const levels = confidenceLevels(options);
  const base = { measure: spec.measure, estimate: Number.isFinite(estimate) ? estimate : null, method: spec.method, se: null, ...(spec.extra?.(context) ?? {}) };
  if (!Number.isFinite(estimate)) return { ...base, estimate: null, intervals: emptyIntervals(levels), intervalMethod: 'none', reason: 'the measure is undefined for these values (e.g. a zero mean)' };
  if (!data.ses) return { ...base, intervals: emptyIntervals(levels), intervalMethod: 'none', intervalReason: MISSING_SE };
  const outcome = simulateIntervals(
    data.values,
    data.ses,
    { reps: options.reps ?? DEFAULT_REPS, seed: options.seed ?? DEFAULT_SEED, levels, scale: options.scale },
    (draw) => spec.statistic(draw, context),
  );
  if ('reason' in outcome) return { ...base, intervals: emptyIntervals(levels), intervalMethod: 'none', intervalReason: outcome.reason };
  return { ...base, intervals: outcome.intervals, intervalMethod: 'monte-carlo', simulation: outcome.simulation, nonFiniteDraws: outcome.nonFiniteDraws };
}

function meanOf(y: ArrayLike<number>, w: readonly number[]): number {
  return weightedMean(y, w);
}

function sumAbsoluteDeviation(y: ArrayLike<number>, centre: number, weights: readonly number[] | null): number {
  let s = 0;
  for (let j = 0; j < y.length; j++) s += (weights ? (weights[j] as number) : 1 / y.length) * Math.abs((y[j] as number) - centre);
  return s;
}

function best(y: ArrayLike<number>, favourable: boolean): number {
  let b = y[0] as number;
  for (let j = 1; j < y.length; j++) b = favourable ? Math.max(b, y[j] as number) : Math.min(b, y[j] as number);
  return b;
}

function bgsdOf(y: ArrayLike<number>, w: readonly number[]): number {
  const mu = meanOf(y, w);
  let s = 0;
  for (let j = 0; j < y.length; j++) s += (w[j] as number) * ((y[j] as number) - mu) ** 2;
  return Math.sqrt(s);
}

/** BGSD = sqrt(sum w_j (y_j - mu)^2). Monte Carlo interval. Source: healthequal R/bgsd.R. */
export function betweenGroupStandardDeviation(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return simulatedMeasure(
    { measure: 'bgsd', method: 'WHO HEAT between-group standard deviation (healthequal::bgsd)', statistic: (y, c) => bgsdOf(y, c.w) },
    groups,
    options,
  );
}

/** COV = 100 x BGSD / mu. Monte Carlo interval. Source: healthequal R/covar.R. */
export function coefficientOfVariation(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return simulatedMeasure(
    { measure: 'cov', method: 'WHO HEAT coefficient of variation (healthequal::covar)', statistic: (y, c) => (100 * bgsdOf(y, c.w)) / meanOf(y, c.w) },
    groups,
    options,
  );
}

/** MDMU = (1/n) sum |y_j - mu|. Monte Carlo interval. Source: healthequal R/mdmu.R. */
export function meanDifferenceFromMeanUnweighted(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return simulatedMeasure(
    { measure: 'mdmu', method: 'WHO HEAT mean difference from mean, unweighted (healthequal::mdmu)', statistic: (y, c) => sumAbsoluteDeviation(y, meanOf(y, c.w), null) },
    groups,
    options,
  );
}

/** MDMW = sum w_j |y_j - mu|. Monte Carlo interval. Source: healthequal R/mdmw.R. */
export function meanDifferenceFromMeanWeighted(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return simulatedMeasure(
    { measure: 'mdmw', method: 'WHO HEAT mean difference from mean, weighted (healthequal::mdmw)', statistic: (y, c) => sumAbsoluteDeviation(y, meanOf(y, c.w), c.w) },
    groups,
    options,
  );
}

/**
 * MDBU = (1/n) sum |y_j - y_best|, y_best the highest estimate (favourable) or lowest (adverse),
 * re-chosen in each simulated set. Source: healthequal R/mdbu.R.
 */
export function meanDifferenceFromBestUnweighted(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return simulatedMeasure(
    {
      measure: 'mdbu',
      method: 'WHO HEAT mean difference from best-performing subgroup, unweighted (healthequal::mdbu)',
      statistic: (y, c) => sumAbsoluteDeviation(y, best(y, c.favourable), null),
      extra: (c) => ({ best: c.data.labels[c.data.values.indexOf(best(c.data.values, c.favourable))] }),
    },
    groups,
    options,
  );
}

/** MDBW = sum w_j |y_j - y_best|. Source: healthequal R/mdbw.R. */
export function meanDifferenceFromBestWeighted(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return simulatedMeasure(
    {
      measure: 'mdbw',
      method: 'WHO HEAT mean difference from best-performing subgroup, weighted (healthequal::mdbw)',
      statistic: (y, c) => sumAbsoluteDeviation(y, best(y, c.favourable), c.w),
      extra: (c) => ({ best: c.data.labels[c.data.values.indexOf(best(c.data.values, c.favourable))] }),
    },
    groups,
    options,
  );
}

/** MDRU = (1/n) sum |y_j - y_ref| (the reference is drawn too). Source: healthequal R/mdru.R. */
export function meanDifferenceFromReferenceUnweighted(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return simulatedMeasure(
    {
      measure: 'mdru',
      method: 'WHO HEAT mean difference from reference subgroup, unweighted (healthequal::mdru)',
      needsReference: true,
      statistic: (y, c) => sumAbsoluteDeviation(y, y[c.reference] as number, null),
    },
    groups,
    options,
  );
}

/** MDRW = sum w_j |y_j - y_ref|. Source: healthequal R/mdrw.R. */
export function meanDifferenceFromReferenceWeighted(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return simulatedMeasure(
    {
      measure: 'mdrw',
      method: 'WHO HEAT mean difference from reference subgroup, weighted (healthequal::mdrw)',
      needsReference: true,
      statistic: (y, c) => sumAbsoluteDeviation(y, y[c.reference] as number, c.w),
    },
    groups,
    options,
  );
}

/** IDISU = 100 x [(1/n) sum |y_j - mu|] / mu. Monte Carlo interval. Source: healthequal R/idisu.R. */
export function indexOfDisparityUnweighted(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return simulatedMeasure(
    {
      measure: 'idisu',
      method: 'WHO HEAT index of disparity, unweighted (healthequal::idisu)',
      statistic: (y, c) => {
        const mu = meanOf(y, c.w);
        return (100 * sumAbsoluteDeviation(y, mu, null)) / mu;
      },
    },
    groups,
    options,
  );
}

/** Variants of IDISW: healthequal's simulation (default) or one that re-simulates the mean. */
export const IDISW_METHODS = ['healthequal', 'resimulated-mean'] as const;

/**
 * IDISW = 100 x [sum w_j |y_j - mu|] / mu. Monte Carlo interval.
 * Method "healthequal" (default): as healthequal R/idisw.R, whose simulation computes the drawn
 * subgroup estimates' deviations from the OBSERVED mu and divides by the observed mu (it
 * computes the simulated mean but does not use it). Method "resimulated-mean": uses the drawn
 * estimates' own mean, as healthequal's IDISU, MDMW and COV do.
 */
export function indexOfDisparityWeighted(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  const variant = chooseVariant(options, IDISW_METHODS);
  const method = 'WHO HEAT index of disparity, weighted (healthequal::idisw)';
  if (typeof variant !== 'string') return unavailable('idisw', method, options, variant.invalid);
  return simulatedMeasure(
    {
      measure: 'idisw',
      method: variant === 'healthequal' ? method : `${method}, simulated mean re-computed in each draw`,
      statistic: (y, c) => {
        // On the observed values both choices give the same mean; they differ only on draws.
        const mu = variant === 'resimulated-mean' ? meanOf(y, c.w) : c.observedMean;
        return (100 * sumAbsoluteDeviation(y, mu, c.w)) / mu;
      },
      extra: () => ({ variant }),
    },
    groups,
    options,
  );
}
