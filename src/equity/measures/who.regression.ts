/**
 * WHO HEAT slope index of inequality (SII) and relative index of inequality (RII) by
 * healthequal's logistic regression method (R/sii.R, R/rii.R, aggregated-data branch).
 *
 * Method, step by step as healthequal does it:
 * 1. pop_j <- ceiling(pop_j); counts y_j <- round(est_j / scale * pop_j) (R rounding, halves to
 *    even), n_j <- pop_j - y_j. If any count falls outside [0, pop_j] the measure is not computed.
 * 2. Subgroups are ranked by order (1 = most disadvantaged) and given the weighted mid-point rank
 *    r_j = (C_{j-1} + pop_j / 2) / N (subgroups sharing an order share the block's mid-point).
 * 3. glm(cbind(y, n) ~ r, weights = pop, family = quasibinomial("logit")). Because the response is
 *    already a count out of pop_j AND pop_j is passed again as prior weight, each subgroup enters
 *    the likelihood with weight pop_j^2 — healthequal's double population weighting, reproduced
 *    here on purpose (it changes the fit whenever subgroup sizes differ).
 * 4. p(r) = logistic(b0 + b1 r). marginaleffects::avg_comparisons(rank = c(0, 1)) with
 *    vcov = "HC1": SII = p(1) - p(0); ln RII = ln(p(1) / p(0)); standard errors by the delta
 *    method with the HC1 sandwich covariance of (b0, b1).
 * 5. Intervals: SII +/- z SE (reported x scale; `se` stays on the 0-1 scale, as healthequal
 *    returns it); RII = exp(ln RII +/- z SE(ln RII)) (`se` is on the log scale).
 *
 * The WHO RII is p(1) / p(0) from this logistic model; PHE's RII (PHEindicatormethods) is
 * (intercept + slope) / intercept of a population-weighted linear fit, so the two differ. The
 * registry names these `who-sii` and `who-rii`.
 *
 * healthequal's rii() infers the scale from the values (<= 1 -> 1, <= 100 -> 100, ...); here
 * both SII and RII use `options.scale`, which agrees whenever the declared scale is that one.
 */
import type { GroupInput, MeasureResult } from './measure.ts';
import { fitLogistic, logistic, quadraticForm, type LogisticFit } from './who.glm.ts';
import { roundHalfEven } from '../../numeric/rounding.ts';
import { checkOptions, confidenceLevels, normalIntervals, prepareSubgroups, ridits, unavailable, type WhoOptions } from './who.common.ts';

const SII_METHOD = 'WHO HEAT slope index of inequality, logistic regression with HC1 delta-method SE (healthequal::sii)';
const RII_METHOD = 'WHO RII: WHO HEAT relative index of inequality, logistic regression with HC1 delta-method SE (healthequal::rii)';

export interface WhoLogisticFit {
  fit: LogisticFit;
  /** Predicted proportions at rank 0 (most disadvantaged end) and rank 1. */
  p0: number;
  p1: number;
  counts: number[];
  ranks: number[];
}

/** Steps 1-3 above. */
export function fitWhoLogistic(groups: readonly GroupInput[], options: WhoOptions): { ok: true; value: WhoLogisticFit } | { ok: false; reason: string } {
  const prepared = prepareSubgroups(groups, options, { minGroups: 3, requiresOrder: true });
  if (!prepared.ok) return prepared;
  const { values, orders } = prepared.data;
  if (new Set(values).size === 1) return { ok: false, reason: 'all subgroups have the same value' };
  const populations = prepared.data.populations.map(Math.ceil);
  const counts = values.map((v, j) => roundHalfEven((v / options.scale) * (populations[j] as number)));
  if (counts.some((y, j) => y < 0 || y > (populations[j] as number))) {
    return { ok: false, reason: 'a reconstructed count (value / scale x population) falls outside [0, population]: check the scale' };
  }
  const ranks = ridits(orders as number[], populations);
  const rows = populations.map((_, j) => j).filter((j) => (populations[j] as number) > 0);
  if (new Set(rows.map((j) => ranks[j])).size < 2) return { ok: false, reason: 'fewer than two distinct ranks with population' };
  let fit: LogisticFit;
  try {
    fit = fitLogistic({
      x: rows.map((j) => [1, ranks[j] as number]),
      proportion: rows.map((j) => (counts[j] as number) / (populations[j] as number)),
      // Binomial totals pop_j times prior weight pop_j: healthequal's double weighting.
      weight: rows.map((j) => (populations[j] as number) * (populations[j] as number)),
    });
  } catch (error) {
    return { ok: false, reason: `the logistic fit failed: ${(error as Error).message}` };
  }
  if (!fit.converged) return { ok: false, reason: 'the logistic fit did not converge (e.g. the values separate perfectly)' };
  const [b0, b1] = fit.coefficients as [number, number];
  const p0 = logistic(b0);
  const p1 = logistic(b0 + b1);
  return { ok: true, value: { fit, p0, p1, counts, ranks } };
}

/**
 * WHO SII = scale x [p(1) - p(0)].
 * Gradient of p(1) - p(0) in (b0, b1): (p1(1-p1) - p0(1-p0), p1(1-p1)); SE = sqrt(g' V_HC1 g).
 */
export function whoSlopeIndex(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  checkOptions(options);
  const fitted = fitWhoLogistic(groups, options);
  if (!fitted.ok) return unavailable('who-sii', SII_METHOD, options, fitted.reason);
  const { fit, p0, p1 } = fitted.value;
  const difference = p1 - p0;
  const gradient = [p1 * (1 - p1) - p0 * (1 - p0), p1 * (1 - p1)];
  const se = Math.sqrt(quadraticForm(gradient, fit.hc1));
  const intervals = normalIntervals(difference, se, confidenceLevels(options)).map((i) => ({
    confidence: i.confidence,
    lower: (i.lower as number) * options.scale,
    upper: (i.upper as number) * options.scale,
  }));
  return {
    measure: 'who-sii',
    estimate: difference * options.scale,
    intervals,
    method: SII_METHOD,
    intervalMethod: 'analytic',
    se,
    seScale: 'proportion (0-1): multiply by the scale for the indicator scale',
    seOnIndicatorScale: se * options.scale,
    predicted: { rank0: p0 * options.scale, rank1: p1 * options.scale },
    coefficients: { intercept: fit.coefficients[0], slope: fit.coefficients[1] },
    weighting: 'population squared (healthequal passes pop both as binomial totals and as prior weights)',
  };
}

/**
 * WHO RII = p(1) / p(0).
 * Gradient of ln p(1) - ln p(0) in (b0, b1): ((1-p1) - (1-p0), 1-p1); SE(ln RII) = sqrt(g' V_HC1 g);
 * interval exp(ln RII +/- z SE).
 */
export function whoRelativeIndex(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  checkOptions(options);
  const fitted = fitWhoLogistic(groups, options);
  if (!fitted.ok) return unavailable('who-rii', RII_METHOD, options, fitted.reason);
  const { fit, p0, p1 } = fitted.value;
  const estimate = p1 / p0;
  const gradient = [1 - p1 - (1 - p0), 1 - p1];
  const se = Math.sqrt(quadraticForm(gradient, fit.hc1));
  return {
    measure: 'who-rii',
    estimate,
    intervals: normalIntervals(estimate, se, confidenceLevels(options), 'log'),
    method: RII_METHOD,
    intervalMethod: 'analytic',
    se,
    seScale: 'log',
    predicted: { rank0: p0 * options.scale, rank1: p1 * options.scale },
    coefficients: { intercept: fit.coefficients[0], slope: fit.coefficients[1] },
    weighting: 'population squared (healthequal passes pop both as binomial totals and as prior weights)',
  };
}

