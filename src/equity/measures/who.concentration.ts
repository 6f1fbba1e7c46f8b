/**
 * WHO HEAT absolute and relative concentration indices (ACI, RCI) for aggregated data, by the
 * convenient-regression method healthequal uses (R/aci.R, R/rci.R; O'Donnell et al. 2008,
 * "Analyzing health equity using household survey data", World Bank, ch. 8).
 *
 * With population shares w_j = pop_j / N, weighted mid-point ranks r_j (order 1 = most
 * disadvantaged, see `ridits`), the weighted mean mu = sum w_j y_j and the rank variance
 * sigma^2 = sum w_j (r_j - 1/2)^2, healthequal fits by ordinary least squares, without a constant,
 *
 *   ACI:  2 sigma^2 y_j sqrt(pop_j)        = ACI sqrt(pop_j) r_j + c sqrt(pop_j) + e_j
 *   RCI:  2 sigma^2 (y_j / mu) sqrt(pop_j) = RCI sqrt(pop_j) r_j + c sqrt(pop_j) + e_j
 *
 * (the sqrt(pop) multipliers make it a population-weighted regression), so ACI = RCI x mu and
 * RCI = 2 cov_w(y, r) / mu. The standard error is the classical OLS one, s^2 (X'X)^-1 with
 * s^2 = RSS / (n - 2), as `vcov(glm(..., family = gaussian))` gives; intervals estimate +/- z SE.
 * ACI is on the indicator's scale (no division by the scale); RCI has no unit.
 * Neither depends on whether the indicator is favourable: a positive value means the indicator
 * is concentrated among the advantaged.
 */
import type { GroupInput, MeasureResult } from './measure.ts';
import { fitLeastSquares } from './who.glm.ts';
import { checkOptions, confidenceLevels, normalIntervals, prepareSubgroups, ridits, shares, unavailable, weightedMean, type WhoOptions } from './who.common.ts';

const ACI_METHOD = 'WHO HEAT absolute concentration index (healthequal::aci)';
const RCI_METHOD = 'WHO HEAT relative concentration index (healthequal::rci)';

function concentration(groups: readonly GroupInput[], options: WhoOptions, kind: 'aci' | 'rci'): MeasureResult {
  checkOptions(options);
  const method = kind === 'aci' ? ACI_METHOD : RCI_METHOD;
  const prepared = prepareSubgroups(groups, options, { minGroups: 3, requiresOrder: true });
  if (!prepared.ok) return unavailable(kind, method, options, prepared.reason);
  const { values, populations, orders } = prepared.data;
  const w = shares(populations);
  const ranks = ridits(orders as number[], populations);
  const mu = weightedMean(values, w);
  if (kind === 'rci' && mu === 0) return unavailable(kind, method, options, 'the weighted mean is 0, so the relative index is undefined');
  const sigma2 = w.reduce((s, wj, j) => s + wj * ((ranks[j] as number) - 0.5) ** 2, 0);
  const root = populations.map(Math.sqrt);
  const response = values.map((y, j) => 2 * sigma2 * (kind === 'aci' ? y : y / mu) * (root[j] as number));
  const design = ranks.map((r, j) => [r * (root[j] as number), root[j] as number]);
  let fit;
  try {
    fit = fitLeastSquares(design, response);
  } catch (error) {
    return unavailable(kind, method, options, `the regression failed: ${(error as Error).message}`);
  }
  const estimate = fit.coefficients[0] as number;
  const se = Math.sqrt((fit.covariance[0] as number[])[0] as number);
  return {
    measure: kind,
    estimate,
    intervals: normalIntervals(estimate, se, confidenceLevels(options)),
    method,
    intervalMethod: 'analytic',
    se,
    weightedMean: mu,
  };
}

/** Absolute concentration index (see the module comment for the formula). */
export function absoluteConcentrationIndex(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return concentration(groups, options, 'aci');
}

/** Relative concentration index (see the module comment for the formula). */
export function relativeConcentrationIndex(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return concentration(groups, options, 'rci');
}
