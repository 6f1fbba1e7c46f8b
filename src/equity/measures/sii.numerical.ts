/**
 * SII and PHE RII intervals for rates and proportions WITHOUT the transform, by numerical
 * convolution instead of simulation (see sumdist.numerical.ts for the method and its error).
 *
 * phe_sii draws each quantile's value on the log (rate) or logit (proportion) scale,
 * y_i = g(T(value_i) + se_i Z_i) with g = exp or expit, refits, and reads its limits off the
 * sorted simulated statistics. The refitted coefficients are fixed linear combinations of the
 * y_i (sii.ts): b1 = sum(c1_i y_i), b0 = sum(c0_i y_i). So
 *
 *   SII = m b1 = sum(m c1_i g(mu_i + se_i Z_i)),
 *
 * a weighted sum of independent log-normal (logit-normal) terms, and the limits that phe_sii's
 * simulation converges to are its quantiles at 1 - q and q, q = c + (1 - c) / 2. They are
 * computed here from that exact distribution, numerically.
 *
 * RII = (b0 + b1) / b0. Where b0 > 0 (checked: the probability that it is not must be below
 * 1e-5, and it is added to the limits' error estimates), RII <= r exactly when
 * U_r = b1 - (r - 1) b0 = sum((c1_i - (r - 1) c0_i) y_i) <= 0, again a weighted sum of the same
 * terms. So P(RII <= r) is one numerical convolution, and each limit is found by moving r until
 * the p-quantile of U_r is zero (usually 2 lattices per limit plus one at half size for the error
 * estimate). With a negative multiplier phe_sii inverts every simulated ratio; the inverted
 * limits follow from the RII's distribution and P(b0 + b1 <= 0), the probability that the ratio
 * is negative (see numericalRiiLimits). Where b0 can be zero or negative, or a limit falls at the
 * pole of the inverted ratio, the RII is left to Monte Carlo (the caller falls back).
 *
 * Error. Every limit carries an error estimate: the change when the lattice has half as many
 * points, plus the truncated probability (and, for the RII, the root-finding residual) over the
 * density. Tests compare the limits with brute-force simulations of phe_sii's algorithm with 2
 * million repetitions, and with a 10^7-draw run in the benchmark notes.
 */
import type { SiiFit } from './sii.ts';
import { normalQuantile } from '../../numeric/normal.ts';
import { termMoments, truncatedRange, unitExpitMoments, weightedSumCdf, weightedSumLattice, weightedSumQuantiles, type Link, type SumTerm } from './sumdist.numerical.ts';

export interface LimitErrors {
  confidence: number;
  lower: number;
  upper: number;
}

export interface NumericalLimits {
  intervals: { confidence: number; lower: number; upper: number }[];
  errors: LimitErrors[];
  /** Density of the statistic at each limit (for the standard error a simulation would have). */
  densities: LimitErrors[];
  /** Lattice points of the final convolution. */
  points: number;
  /** Convolutions computed. */
  convolutions: number;
}

/**
 * Largest probability allowed for b0 <= 0, truncation included, before the RII is left to
 * simulation (it enters each RII limit's error estimate).
 */
const SIGN_RISK = 1e-5;

/** Largest lattice: beyond this a simulation is cheaper (about 9 ms for 100,000 repetitions). */
const MAX_POINTS = 2 ** 15;

const linkOf = (fit: SiiFit): Link => (fit.valueType === 'rate' ? 'exp' : 'expit');

// Unit-weight moments of each quantile's back-transformed value, computed once per fit (every
// lattice of one SII and RII reuses them).
const unitMoments = new WeakMap<SiiFit, ({ mean: number; variance: number } | undefined)[]>();

function terms(fit: SiiFit, weights: readonly number[]): SumTerm[] {
  let units = unitMoments.get(fit);
  if (units === undefined) {
    units = fit.simulationCentre.map((centre, i) => (fit.valueType === 'proportion' ? unitExpitMoments(centre, fit.simulationSe[i]!) : undefined));
    unitMoments.set(fit, units);
  }
  return weights.map((weight, i) => {
    const unit = units[i];
    return unit === undefined ? { weight, centre: fit.simulationCentre[i]!, sd: fit.simulationSe[i]! } : { weight, centre: fit.simulationCentre[i]!, sd: fit.simulationSe[i]!, unit };
  });
}

const upperProbability = (confidence: number): number => confidence + (1 - confidence) / 2;

/** The SII's limits: quantiles of m b1 at 1 - q and q. */
export function numericalSiiLimits(fit: SiiFit, confidence: readonly number[]): NumericalLimits {
  const link = linkOf(fit);
  const sumTerms = terms(
    fit,
    fit.c1.map((c) => fit.multiplier * c),
  );
  const probabilities = confidence.flatMap((c) => [1 - upperProbability(c), upperProbability(c)]);
  // Tolerance: 1e-4 of the normal-approximation width of the widest interval, about 1/20 of the
  // standard error of a limit simulated with 100,000 repetitions.
  const sd = Math.sqrt(sumTerms.reduce((s, t) => s + termMoments(t, link).variance, 0));
  const widest = 2 * -normalQuantile(Math.min(...probabilities)) * sd;
  const result = weightedSumQuantiles(sumTerms, link, 0, probabilities, 1e-4 * widest, { maxPoints: MAX_POINTS });
  return {
    intervals: confidence.map((c, k) => ({ confidence: c, lower: result.values[2 * k]!, upper: result.values[2 * k + 1]! })),
    errors: confidence.map((c, k) => ({ confidence: c, lower: result.errors[2 * k]!, upper: result.errors[2 * k + 1]! })),
    densities: confidence.map((c, k) => ({ confidence: c, lower: result.densities[2 * k]!, upper: result.densities[2 * k + 1]! })),
    points: result.points,
    convolutions: result.convolutions,
  };
}

/**
 * An upper bound on P(S <= 0): the truncation if the truncated range excludes 0, else computed
 * (on a lattice of half the usual resolution: this only has to show that the probability is
 * negligible, and it is added in full to the RII limits' error estimates).
 */
function probabilityNotPositive(sumTerms: SumTerm[], link: Link): { probability: number; convolutions: number } {
  const range = truncatedRange(sumTerms, link, 0);
  if (range.lower > 0) return { probability: range.dropped, convolutions: 0 };
  if (range.upper <= 0) return { probability: 1, convolutions: 0 };
  const cdf = weightedSumCdf(sumTerms, link, 0, 0, false, { resolution: 4 });
  return { probability: Math.max(cdf.value, 0) + cdf.dropped, convolutions: 1 };
}

/**
 * The RII's limits (PHE RII, inverted for a negative multiplier), or null where they are not
 * found this way: b0 can be zero or negative with probability above 1e-5, or an inverted limit
 * falls at the pole of 1 / RII, or the iteration does not settle.
 */
export function numericalRiiLimits(fit: SiiFit, confidence: readonly number[]): NumericalLimits | null {
  const link = linkOf(fit);
  const invert = fit.multiplier < 0;
  if (!(fit.intercept > 0)) return null;
  // P(RII <= r) and P(U_r <= 0) differ by at most P(b0 <= 0).
  const sign = probabilityNotPositive(terms(fit, fit.c0), link);
  const signRisk = sign.probability;
  if (!(signRisk <= SIGN_RISK)) return null;

  const moments = terms(fit, fit.c1.map(() => 1)).map((t) => termMoments(t, link));
  const meanB0 = fit.c0.reduce((s, c, i) => s + c * moments[i]!.mean, 0);
  const meanB1 = fit.c1.reduce((s, c, i) => s + c * moments[i]!.mean, 0);
  const centre = 1 + meanB1 / meanB0;
  const uWeights = (r: number): number[] => fit.c1.map((c, i) => c - (r - 1) * fit.c0[i]!);
  const variance = (weights: readonly number[]): number => weights.reduce((s, w, i) => s + w * w * moments[i]!.variance, 0);
  const covarianceWithB0 = (weights: readonly number[]): number => weights.reduce((s, w, i) => s + w * fit.c0[i]! * moments[i]!.variance, 0);
  const sdRatio = Math.sqrt(variance(uWeights(centre))) / meanB0;

  let convolutions = sign.convolutions;
  let points = 0;
  // U_r = b1 - (r - 1) b0 and P(RII <= r) = P(U_r <= 0). With u the p-quantile of U_r, moving r
  // by u / b0 would make U_r's p-quantile zero if b0 were constant; b0 is taken at its
  // conditional mean given U_r = u (linear approximation). b0 varies little relative to its mean,
  // so this converges in a few steps.
  const conditionalB0 = (weights: readonly number[], u: number): number => {
    const meanU = weights.reduce((s, w, i) => s + w * moments[i]!.mean, 0);
    const value = meanB0 + (covarianceWithB0(weights) / variance(weights)) * (u - meanU);
    return Math.max(value, 1e-3 * meanB0);
  };
  /**
   * The p-quantile of the (uninverted) ratio and its error estimate; `probabilityError` is any
   * error in p itself. The steps shrink by a factor of about 100 to 1,000 each time (b0 varies
   * little given U_r), so from the normal-approximation start two lattices usually suffice: the
   * first at half the resolution, the second (once the previous step was within 0.3 sd of the
   * ratio) at full resolution and again on half as many points for the error estimate.
   */
  const solveAt = (p: number, probabilityError: number, resolution: number, start: number): { value: number; error: number; density: number } | null => {
    let r = start;
    let previousStep = Infinity;
    let previous: { r: number; u: number } | null = null;
    for (let iteration = 0; iteration < 24; iteration++) {
      const weights = uWeights(r);
      const withCoarse = Math.abs(previousStep) <= 0.3 * sdRatio;
      // Until close, half the resolution is enough to take the next step.
      const pair = weightedSumLattice(terms(fit, weights), link, 0, withCoarse, { maxPoints: MAX_POINTS, resolution: withCoarse ? resolution : resolution / 2 });
      if (pair === null) return { value: r, error: 0, density: Infinity };
      convolutions += withCoarse ? 2 : 1; // (counting the half-resolution ones as whole)
      points = pair.fine.points;
      const u = pair.fine.quantile(p);
      const b0 = conditionalB0(weights, u);
      // Newton-like step u / b0; from the second lattice on, the secant through the last two
      // (u falls as r rises, at rate about b0), which also copes with strongly skewed ratios
      // where b0 given U_r is far from linear.
      let step = u / b0;
      if (previous !== null && previous.u !== u) {
        const slope = (u - previous.u) / (r - previous.r);
        if (slope < 0) step = -u / slope;
      }
      previous = { r, u };
      r += step;
      if (!Number.isFinite(r)) return null;
      const contraction = Math.abs(step / previousStep);
      const settled = Math.abs(step) <= 1e-7 * sdRatio || (Math.abs(step) <= 2e-3 * sdRatio && contraction < 0.2);
      if (withCoarse && pair.coarse !== null && settled) {
        // Error: the quantile's change on half the lattice, the truncation, the sign risk and any
        // error in p, over the density and carried to r by 1 / b0; plus what remains of the
        // iteration if the steps keep shrinking at the last ratio.
        const density = Math.max(pair.fine.density(u), 1e-300);
        const remaining = Math.abs(step) <= 1e-7 * sdRatio ? Math.abs(step) : (Math.abs(step) * contraction) / (1 - contraction);
        const error = (Math.abs(pair.coarse.quantile(p) - u) + (pair.fine.dropped + signRisk + probabilityError) / density) / b0 + remaining;
        // Density of the ratio at r: d/dr P(U_r <= 0) = f_U(0) E[b0 | U_r = 0].
        return { value: r, error, density: density * b0 };
      }
      previousStep = step;
    }
    return null;
  };
  // As for the SII, refine (double the resolution, from where the last solution stopped) while
  // the error estimate is above 1/20 of the standard error of a 100,000-repetition simulation.
  const solve = (p: number, probabilityError: number): { value: number; error: number; density: number } | null => {
    let resolution = 8;
    let solved = solveAt(p, probabilityError, resolution, centre + normalQuantile(p) * sdRatio);
    while (solved !== null && solved.error > (0.05 * Math.sqrt((p * (1 - p)) / 100_000)) / solved.density && points < MAX_POINTS && resolution < 64) {
      resolution *= 2;
      solved = solveAt(p, probabilityError, resolution, solved.value);
    }
    return solved;
  };

  // Inverted (negative multiplier), phe_sii reports quantiles of T = 1 / RII. With b0 > 0, RII < 0
  // exactly when b0 + b1 < 0, which has probability P0 = P(U_0 <= 0); then
  //   P(T <= s) = 1 - F(1 / s) + P0 for s > 0, and P0 - F(1 / s) for s < 0  (F of the RII),
  // so the p-quantile of T is 1 / (the (1 + P0 - p)-quantile of the RII) when p > P0 and
  // 1 / (the (P0 - p)-quantile) when p < P0. Usually P0 is negligible and this is 1 / (the
  // (1 - p)-quantile).
  let p0 = 0;
  let p0Error = 0;
  if (invert) {
    const u0 = terms(fit, uWeights(0));
    const range = truncatedRange(u0, link, 0);
    if (range.lower > 0) {
      p0Error = range.dropped;
    } else {
      // P0 sets where the inverted limits fall, so it is refined until its change with the
      // lattice is below 1e-7 (or the lattice reaches its largest size).
      for (let resolution = 8; ; resolution *= 2) {
        const cdf = weightedSumCdf(u0, link, 0, 0, true, { resolution, maxPoints: MAX_POINTS });
        convolutions += 2;
        p0 = cdf.value;
        p0Error = Math.abs((cdf.coarse ?? cdf.value) - cdf.value) + cdf.dropped;
        if (p0Error <= 2e-7 || cdf.points >= MAX_POINTS || resolution >= 256) break;
      }
    }
  }
  const invertedQuantile = (p: number): { value: number; error: number; density: number } | null => {
    // Too close to the pole of 1 / RII to place the limit reliably: leave it to simulation.
    if (Math.abs(p - p0) <= 1e-4 + 10 * p0Error) return null;
    const solved = solve(p > p0 ? 1 + p0 - p : p0 - p, p0Error);
    if (solved === null || solved.value === 0) return null;
    // T = 1 / RII: errors scale by |dT/dr| = 1 / r^2, densities by r^2.
    return { value: 1 / solved.value, error: solved.error / solved.value ** 2, density: solved.density * solved.value ** 2 };
  };

  const intervals: NumericalLimits['intervals'] = [];
  const errors: LimitErrors[] = [];
  const densities: LimitErrors[] = [];
  for (const c of confidence) {
    const q = upperProbability(c);
    const lower = invert ? invertedQuantile(1 - q) : solve(1 - q, 0);
    const upper = invert ? invertedQuantile(q) : solve(q, 0);
    if (lower === null || upper === null) return null;
    intervals.push({ confidence: c, lower: lower.value, upper: upper.value });
    errors.push({ confidence: c, lower: lower.error, upper: upper.error });
    densities.push({ confidence: c, lower: lower.density, upper: upper.density });
  }
  return { intervals, errors, densities, points, convolutions };
}
