/**
 * Slope index of inequality (SII) and PHE's relative index of inequality (RII), as
 * PHEindicatormethods' `phe_sii` (R/SII_function.R, SimulationFunc and FindXValues in R/utils.R,
 * v1.4 onwards with the `transform` argument), and NHS England's "new" SII.
 *
 * Fit. Quantiles are ordered 1 = most disadvantaged. Each quantile i has population share
 * a_i = n_i / sum(n) and a ridit x_i, the mid-point of its slice of the cumulative population
 * share: x_i = a_1 + ... + a_(i-1) + a_i / 2. The indicator y_i is regressed on x_i by least
 * squares weighted by a_i (PHE fits y sqrt(a) ~ sqrt(a) + x sqrt(a), no constant, which is the
 * same fit). Both coefficients are linear in the y_i:
 *
 *   slope b1 = sum(c1_i y_i),  c1_i = a_i (x_i - xbar) / Sxx
 *   intercept b0 = sum(c0_i y_i),  c0_i = a_i - xbar c1_i
 *
 * with xbar = sum(a_i x_i) and Sxx = sum(a_i (x_i - xbar)^2).
 *
 *   SII = m b1, the fitted gap between x = 1 (least disadvantaged) and x = 0 (most);
 *   RII = (b0 + b1) / b0 ("PHE RII": fitted value at x = 1 over fitted value at x = 0), inverted
 *         when m < 0.
 *
 * The multiplier m follows phe_sii's `multiplier`: its size is `scale` for proportions (values are
 * fitted as proportions of 1 and the SII is returned on the value's scale) and 1 otherwise; its
 * sign is + for a favourable indicator (higher is better, e.g. life expectancy) and - for an
 * adverse one (higher is worse, e.g. mortality), so that a positive SII always means the most
 * disadvantaged fare worse. (NHS England's FLIP, which mirrors the ridits x -> 1 - x, negates the
 * slope and inverts the RII in the same way.)
 *
 * Transform (value types rate and proportion only, as phe_sii). With transform = true the fit is on
 * the log (rate) or logit (proportion) scale and back-transformed as phe_sii does:
 *   SII = m (g(b0 + b1) - g(b0)), RII = g(b0 + b1) / g(b0), intercept = g(b0), g = exp or expit.
 *
 * Standard errors, on the scale that phe_sii simulates (natural for normal values; log for rates
 * and logit for proportions, whether or not the fit is transformed):
 *   - from `lower` and `upper` at `inputConfidence` (default 0.95, which phe_sii hard-codes):
 *     (T(upper) - T(lower)) / (2 z), T the identity, log or logit;
 *   - from `count` and `denominator` (rates and proportions): value = count / denominator * scale
 *     with PHE's own limits for it (exact/Byar for rates, Wilson for proportions), then as above;
 *   - from `se`, which GroupInput defines as the standard error of `value` on its own scale: for
 *     rates and proportions it is carried to the log/logit scale by the delta method (se / value;
 *     se / (p (1 - p)) with p and se divided by scale). phe_sii instead uses a supplied se as if it
 *     were already on the log/logit scale, so with `se` for a rate or proportion Roots and phe_sii
 *     differ; with limits or counts they agree.
 *
 * Confidence intervals. phe_sii draws each quantile's value from Normal(T(value), se) 100,000
 * times, back-transforms each draw (unless transform = true), refits, and reads the limits off the
 * sorted draws at positions round(n (1 - q)) and round(n q), q = c + (1 - c) / 2. Here:
 *   - value type normal: the SII is sum(c1_i y_i), exactly normal with sd = sqrt(sum(c1_i^2 se_i^2)),
 *     so its interval is analytic, SII -/+ z |m| sd: the limit phe_sii's simulation converges to.
 *     The RII is a ratio of the two coefficients, (b0, b1) exactly bivariate normal with covariance
 *     sum(c_j c_k se^2) computed once; it is simulated by drawing that 2-vector directly (2 normal
 *     deviates per repetition instead of one per quantile plus a regression).
 *   - transform = true: phe_sii simulates the slope b1 on the transformed scale, which is exactly
 *     normal, and back-transforms its quantiles q about the fitted mid-point h = b0 + b1 / 2 as
 *     m (g(h + q/2) - g(h - q/2)) for the SII and g(h + q/2) / g(h - q/2) for the RII (limits
 *     swapped when m < 0). Both are monotone in q, so with q = b1 -/+ z sd the intervals are
 *     analytic: again the limit of phe_sii's simulation.
 *   - rates and proportions with transform = false: each draw is back-transformed (exp, expit)
 *     before the fit, so b0 and b1 are sums of independent log-normal (logit-normal) terms with
 *     known weights, m b1 = sum(m c1_i g(T(value_i) + se_i Z_i)), and there is no closed form.
 *     The limits phe_sii's simulation converges to, the quantiles of that sum, are computed by
 *     NUMERICAL CONVOLUTION (sii.numerical.ts, sumdist.numerical.ts): each term's exact
 *     distribution on a common lattice, multiplied in Fourier space (FFT), quantiles read off the
 *     distribution function; every limit carries an error estimate (in the report `numerical`),
 *     in the tests 0.02% to 5% of the standard error of a 100,000-repetition simulation (up to
 *     about 20% for RII limits beside the pole of an inverted ratio). The RII's limits come from
 *     the same machinery (P(RII <= r) is the distribution function of another
 *     weighted sum, b1 - (r - 1) b0, at 0), except where b0 can reach zero or an inverted limit
 *     falls at the pole of 1 / RII: there the RII is simulated as below. Each is also simulated
 *     if its error estimates exceed the standard errors the simulation would have at `reps`
 *     repetitions (very heavy tails: a log-scale se near 1.5 in a dominant quantile), so neither
 *     is less accurate than the simulation it replaces, as far as the (conservative) estimates
 *     tell.
 *   - `intervals: 'monte-carlo'` for rates and proportions without transform (and the RII fallback
 *     above): seeded Monte Carlo, one normal deviate per quantile per repetition, drawn in
 *     antithetic pairs (z, -z), each exp() evaluated once per pair by a table-driven kernel
 *     accurate to a few units in the last place.
 * Every simulated limit is reported with its Monte Carlo standard error (see montecarlo.ts), with
 * the repetitions and seed. Setting `intervals: 'monte-carlo'` simulates even the analytic and
 * numerical cases, to check them.
 *
 * NHS England's "new" SII (method 'nhse'): identical, except that the ridits come from the
 * NATIONAL population distribution across the deprivation quantiles (`nationalPopulation` on
 * every row) while the regression weights a_i remain the LOCAL populations. Source: NHS England
 * North East and Yorkshire Analytics, NEY-Inequalities-Methodologies (github.com/nhsengland),
 * Functions.R `Quintiles_new_Sii` and the accompanying Inequalities Methodologies document
 * (section 2c), which build on the NHSE Healthcare Inequalities Improvement Programme's "How to
 * construct a health inequality indicator" guide. That code simulates normal values from the
 * supplied 95% limits; its linear SII interval is the analytic one here.
 *
 * References: Low A, Low A. Measuring the gap: quantifying and comparing local health
 * inequalities. J Public Health 2004;26:388-395; PHE, Slope Index of Inequality tool (simulated
 * CIs); PHEindicatormethods (UKHSA/DHSC).
 */
import type { GroupInput, Interval, ValueType } from './measure.ts';
import { twoSidedZ } from '../../numeric/normal.ts';
import { RandomStream } from '../../numeric/random-stream.ts';
import { simulatedLimits, type SimulatedLimit } from './montecarlo.ts';
import { numericalRiiLimits, numericalSiiLimits, type LimitErrors, type NumericalLimits } from './sii.numerical.ts';
import { checkConfidence } from './phe.common.ts';
import { poissonCountLimits } from './rate.ts';
import { wilsonLimits } from './wilson.ts';

export type SiiMethod = 'phe' | 'nhse';

export const SII_METHODS: Record<SiiMethod, string> = {
  phe: 'PHE slope index of inequality (PHEindicatormethods phe_sii): population-weighted least squares of the value on cumulative-population mid-points, quantile 1 most disadvantaged',
  nhse: 'NHS England "new" slope index of inequality: ridits from the national population across the deprivation quantiles, weights from the local population (NHSE NEY-Inequalities-Methodologies Quintiles_new_Sii)',
};

export const RII_DEFINITION = 'PHE RII = (intercept + slope) / intercept, the fitted value at the least over the most disadvantaged end (phe_sii)';

export interface SiiOptions {
  valueType: ValueType;
  transform: boolean;
  scale: number;
  favourable: boolean;
  confidence: readonly number[];
  reps: number;
  seed: number;
  method?: SiiMethod;
  /** Confidence level of supplied lower/upper limits (default 0.95). */
  inputConfidence?: number;
  /**
   * 'auto' (default): analytic where exact; numerical convolution for rates and proportions
   * without the transform (Monte Carlo where b0 can reach zero, for the RII, or where the
   * numerical error estimate exceeds the simulation's standard error); Monte Carlo for the RII of
   * normal values. 'monte-carlo': always simulate.
   */
  intervals?: 'auto' | 'monte-carlo';
  /** Also compute the RII's interval (needs simulation for normal values). */
  rii?: boolean;
}

export interface SiiFit {
  method: SiiMethod;
  valueType: ValueType;
  transform: boolean;
  multiplier: number;
  groups: string[];
  orders: number[];
  /** Local population shares a_i (the regression weights). */
  shares: number[];
  /** Ridits x_i (mid-points of cumulative population share, local or national). */
  ridits: number[];
  /** Values on the fitted scale (natural, or log / logit when transformed). */
  fitted: number[];
  /** Values on the scale phe_sii simulates (natural for normal, log / logit for rates and proportions). */
  simulationCentre: number[];
  /** Standard errors on the simulation scale. */
  simulationSe: number[];
  /** Where each standard error came from. */
  seSource: ('se' | 'limits' | 'counts')[];
  c0: number[];
  c1: number[];
  intercept: number;
  slope: number;
  sii: number;
  rii: number;
  /** Fitted value at x = 0 on the value's scale. */
  interceptValue: number;
  warnings: string[];
}

export interface SimulationReport {
  reps: number;
  seed: number;
  design: string;
  siiLimitStandardErrors?: { confidence: number; lower: number; upper: number }[];
  riiLimitStandardErrors?: { confidence: number; lower: number; upper: number }[];
}

/** How numerically computed limits were obtained (no simulation: no repetitions, no seed). */
export interface NumericalReport {
  method: 'numerical convolution';
  design: string;
  /** Lattice points of the SII's final convolution. */
  points: number;
  /** Convolutions computed for the SII and (where numerical) the RII. */
  convolutions: number;
  /** Probability dropped by truncating each quantile's distribution, in total. */
  truncation: number;
  /**
   * Error estimate of each limit, in the statistic's units: the change on a lattice with half as
   * many points plus the truncated probability over the density (conservative; see sii.numerical.ts).
   */
  siiLimitErrors: LimitErrors[];
  /**
   * For comparison, the standard error each limit would have if simulated as phe_sii does with
   * `reps` repetitions: sqrt(p (1 - p) / reps) / density. Where an error estimate is larger,
   * that statistic is simulated instead.
   */
  siiSimulationErrors: LimitErrors[];
  riiLimitErrors?: LimitErrors[];
  riiSimulationErrors?: LimitErrors[];
}

export type IntervalMethod = 'analytic' | 'numerical' | 'monte-carlo';

export interface SiiResult {
  fit: SiiFit;
  sii: number;
  rii: number;
  siiIntervals: Interval[];
  siiIntervalMethod: IntervalMethod;
  /** Standard deviation of the SII where it is exactly normal (value type normal). */
  siiStandardError?: number;
  riiIntervals?: Interval[];
  riiIntervalMethod?: IntervalMethod;
  simulation?: SimulationReport;
  numerical?: NumericalReport;
}

const logit = (p: number): number => Math.log(p / (1 - p));
const expit = (x: number): number => 1 / (1 + Math.exp(-x));

/** Prepares and fits the regression: everything except the intervals. */
export function fitSlopeIndex(groups: readonly GroupInput[], options: SiiOptions): SiiFit {
  const method = options.method ?? 'phe';
  if (method !== 'phe' && method !== 'nhse') throw new Error(`unknown SII method '${String(method)}': use 'phe' or 'nhse'`);
  const { valueType, transform, scale } = options;
  if (transform && valueType === 'normal') throw new Error('transform applies to rates (log) and proportions (logit) only; use valueType rate or proportion');
  if (!(scale > 0)) throw new Error(`scale must be greater than zero, got ${scale}`);
  if (groups.length < 2) throw new Error(`the SII needs at least 2 ordered groups, got ${groups.length}`);
  const warnings: string[] = [];
  if (groups.length < 5 || groups.length > 100) warnings.push(`phe_sii accepts 5 to 100 quantiles; this has ${groups.length}`);
  for (const g of groups) {
    if (g.order === undefined || !Number.isFinite(g.order)) throw new Error(`group '${g.group}': the SII needs an order for every group (1 = most disadvantaged)`);
    if (!(g.population > 0) || !Number.isFinite(g.population)) throw new Error(`group '${g.group}': populations must be greater than zero, got ${g.population}`);
    if (method === 'nhse' && !(g.nationalPopulation !== undefined && g.nationalPopulation > 0 && Number.isFinite(g.nationalPopulation))) {
      throw new Error(`group '${g.group}': the NHS England SII needs a national population greater than zero for every quantile`);
    }
  }
  const sorted = [...groups].sort((a, b) => (a.order as number) - (b.order as number));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.order === sorted[i - 1]!.order) throw new Error(`two groups share order ${sorted[i]!.order}: orders must be distinct`);
  }

  const inputZ = twoSidedZ(options.inputConfidence ?? 0.95);
  const T = valueType === 'rate' ? Math.log : valueType === 'proportion' ? (v: number) => logit(v / scale) : (v: number) => v;
  const values: number[] = [];
  const simulationCentre: number[] = [];
  const simulationSe: number[] = [];
  const seSource: ('se' | 'limits' | 'counts')[] = [];
  for (const g of sorted) {
    const where = `group '${g.group}'`;
    let value = g.value;
    let se: number;
    let source: 'se' | 'limits' | 'counts';
    const hasLimits = g.lower !== undefined && g.upper !== undefined && Number.isFinite(g.lower) && Number.isFinite(g.upper);
    const hasCounts = g.count !== undefined && g.denominator !== undefined && Number.isFinite(g.count) && Number.isFinite(g.denominator);
    if (g.se !== undefined && Number.isFinite(g.se)) {
      if (transform) throw new Error(`${where}: phe_sii does not accept a standard error with transform = true; supply lower and upper limits (or counts) instead`);
      if (!(g.se >= 0)) throw new Error(`${where}: standard errors must be zero or more, got ${g.se}`);
      checkValue(value, valueType, scale, where);
      se = valueType === 'rate' ? g.se / value : valueType === 'proportion' ? g.se / scale / ((value / scale) * (1 - value / scale)) : g.se;
      source = 'se';
    } else if (hasLimits) {
      const lower = g.lower as number;
      const upper = g.upper as number;
      if (!(upper >= lower)) throw new Error(`${where}: the upper limit (${upper}) is below the lower limit (${lower})`);
      checkValue(value, valueType, scale, where);
      if (valueType === 'rate' && !(lower > 0)) throw new Error(`${where}: rate limits must be greater than zero for the log scale, got ${lower}`);
      if (valueType === 'proportion' && !(lower > 0 && upper < scale)) throw new Error(`${where}: proportion limits must lie strictly between 0 and ${scale} for the logit scale`);
      se = (T(upper) - T(lower)) / (2 * inputZ);
      source = 'limits';
    } else if (hasCounts && valueType !== 'normal') {
      const count = g.count as number;
      const denominator = g.denominator as number;
      if (!(denominator > 0)) throw new Error(`${where}: the denominator must be greater than zero`);
      value = (count / denominator) * scale;
      let lower: number;
      let upper: number;
      if (valueType === 'rate') {
        const limits = poissonCountLimits(count, 0.95);
        if (!(count > 0) || limits.lower === null) throw new Error(`${where}: a rate with ${count} events has no log-scale standard error; the SII needs counts above zero`);
        lower = limits.lower / denominator;
        upper = limits.upper / denominator;
      } else {
        if (!(count > 0 && count < denominator)) throw new Error(`${where}: a proportion of ${count} out of ${denominator} has no logit-scale standard error; counts must lie strictly between 0 and the denominator`);
        ({ lower, upper } = wilsonLimits(count, denominator, 0.95));
      }
      const z95 = twoSidedZ(0.95);
      se = valueType === 'rate' ? (Math.log(upper) - Math.log(lower)) / (2 * z95) : (logit(upper) - logit(lower)) / (2 * z95);
      source = 'counts';
    } else {
      throw new Error(
        `${where}: no standard error: supply se, or lower and upper${valueType === 'normal' ? '' : ', or count and denominator'}`,
      );
    }
    checkValue(value, valueType, scale, where);
    if (!Number.isFinite(se) || se < 0) throw new Error(`${where}: the standard error is not a finite number zero or more (${se})`);
    values.push(value);
    simulationCentre.push(T(value));
    simulationSe.push(se);
    seSource.push(source);
  }

  const populations = sorted.map((g) => g.population);
  const total = populations.reduce((s, n) => s + n, 0);
  const shares = populations.map((n) => n / total);
  const riditBase = method === 'nhse' ? sorted.map((g) => g.nationalPopulation as number) : populations;
  const riditTotal = riditBase.reduce((s, n) => s + n, 0);
  const ridits: number[] = [];
  let cumulative = 0;
  for (const n of riditBase) {
    const share = n / riditTotal;
    ridits.push(cumulative + share / 2);
    cumulative += share;
  }
  const xbar = shares.reduce((s, a, i) => s + a * ridits[i]!, 0);
  const sxx = shares.reduce((s, a, i) => s + a * (ridits[i]! - xbar) ** 2, 0);
  if (!(sxx > 0)) throw new Error('the ridits do not vary, so no slope can be fitted');
  const c1 = shares.map((a, i) => (a * (ridits[i]! - xbar)) / sxx);
  const c0 = shares.map((a, i) => a - xbar * c1[i]!);

  const fitted = options.transform ? simulationCentre : valueType === 'proportion' ? values.map((v) => v / scale) : values;
  const slope = c1.reduce((s, c, i) => s + c * fitted[i]!, 0);
  const intercept = c0.reduce((s, c, i) => s + c * fitted[i]!, 0);
  const sign = options.favourable ? 1 : -1;
  const valueScale = valueType === 'proportion' ? scale : 1;
  const multiplier = sign * valueScale;
  let sii: number;
  let ratio: number;
  let interceptValue: number;
  if (transform) {
    const g = valueType === 'rate' ? Math.exp : expit;
    sii = multiplier * (g(intercept + slope) - g(intercept));
    ratio = g(intercept + slope) / g(intercept);
    interceptValue = g(intercept) * valueScale;
  } else {
    sii = multiplier * slope;
    ratio = (intercept + slope) / intercept;
    interceptValue = intercept * valueScale;
  }
  const rii = sign < 0 ? 1 / ratio : ratio;
  return {
    method,
    valueType,
    transform,
    multiplier,
    groups: sorted.map((g) => g.group),
    orders: sorted.map((g) => g.order as number),
    shares,
    ridits,
    fitted,
    simulationCentre,
    simulationSe,
    seSource,
    c0,
    c1,
    intercept,
    slope,
    sii,
    rii,
    interceptValue,
    warnings,
  };
}

function checkValue(value: number, valueType: ValueType, scale: number, where: string): void {
  if (!Number.isFinite(value)) throw new Error(`${where}: the value must be a finite number, got ${value}`);
  if (valueType === 'rate' && !(value > 0)) throw new Error(`${where}: rates must be greater than zero for the log scale, got ${value}`);
  if (valueType === 'proportion' && !(value > 0 && value < scale)) throw new Error(`${where}: proportions must lie strictly between 0 and ${scale} for the logit scale, got ${value}`);
}

/** The SII (and optionally the RII) with intervals at every confidence level. */
export function slopeIndexOfInequality(groups: readonly GroupInput[], options: SiiOptions): SiiResult {
  checkConfidence(options.confidence);
  const fit = fitSlopeIndex(groups, options);
  const forceSimulation = options.intervals === 'monte-carlo';
  const wantRii = options.rii === true;
  const { confidence } = options;
  const m = fit.multiplier;
  const se2 = fit.simulationSe.map((s) => s * s);
  const v1 = fit.c1.reduce((s, c, i) => s + c * c * se2[i]!, 0);
  const v0 = fit.c0.reduce((s, c, i) => s + c * c * se2[i]!, 0);
  const c01 = fit.c0.reduce((s, c, i) => s + c * fit.c1[i]! * se2[i]!, 0);
  const sd1 = Math.sqrt(v1);

  // The numerical route for rates and proportions may still simulate the RII (where b0 can reach
  // zero), so check the settings there too.
  const needsSimulation = forceSimulation || (fit.valueType !== 'normal' && !fit.transform) || (wantRii && fit.valueType === 'normal');
  if (needsSimulation) checkSimulationSettings(options.reps, options.seed);

  const result: SiiResult = { fit, sii: fit.sii, rii: fit.rii, siiIntervals: [], siiIntervalMethod: 'analytic' };

  if (fit.valueType === 'normal') {
    if (!forceSimulation) {
      result.siiIntervals = confidence.map((c) => {
        const half = twoSidedZ(c) * Math.abs(m) * sd1;
        return { confidence: c, lower: fit.sii - half, upper: fit.sii + half };
      });
      result.siiStandardError = Math.abs(m) * sd1;
    }
    if (forceSimulation || wantRii) {
      const draws = simulateCoefficientPair(fit.intercept, fit.slope, v0, v1, c01, options.reps, options.seed);
      const report: SimulationReport = { reps: options.reps, seed: options.seed, design: BIVARIATE_DESIGN };
      if (forceSimulation) {
        const siiDraws = new Float64Array(draws.b1.length);
        for (let i = 0; i < siiDraws.length; i++) siiDraws[i] = m * draws.b1[i]!;
        const limits = simulatedLimits(siiDraws, confidence);
        result.siiIntervals = toIntervals(limits);
        result.siiIntervalMethod = 'monte-carlo';
        report.siiLimitStandardErrors = toErrors(limits);
      }
      if (wantRii) {
        const riiDraws = ratioDraws(draws.b0, draws.b1, m < 0);
        const limits = simulatedLimits(riiDraws, confidence);
        result.riiIntervals = toIntervals(limits);
        result.riiIntervalMethod = 'monte-carlo';
        report.riiLimitStandardErrors = toErrors(limits);
      }
      result.simulation = report;
    }
    return result;
  }

  if (fit.transform) {
    // phe_sii: simulate the transformed-scale slope, back-transform its quantiles about the mid-point.
    const g = fit.valueType === 'rate' ? Math.exp : expit;
    const half = fit.intercept + fit.slope / 2;
    const siiAt = (q: number): number => m * (g(half + q / 2) - g(half - q / 2));
    const riiAt = (q: number): number => g(half + q / 2) / g(half - q / 2);
    let slopeLimits: { confidence: number; lower: number; upper: number }[];
    if (forceSimulation) {
      const draws = simulateCoefficientPair(fit.intercept, fit.slope, v0, v1, c01, options.reps, options.seed);
      const limits = simulatedLimits(draws.b1, confidence);
      slopeLimits = limits;
      const scaleErrors = (errors: { confidence: number; lower: number; upper: number }[], at: (q: number) => number, q: SimulatedLimit[]) =>
        errors.map((e, k) => ({
          confidence: e.confidence,
          // Delta method: the limit is a smooth monotone function of the slope quantile.
          lower: Math.abs(derivative(at, q[k]!.lower)) * e.lower,
          upper: Math.abs(derivative(at, q[k]!.upper)) * e.upper,
        }));
      const slopeErrors = toErrors(limits);
      result.simulation = {
        reps: options.reps,
        seed: options.seed,
        design: `${BIVARIATE_DESIGN}; the simulated slope quantiles are back-transformed as phe_sii does`,
        siiLimitStandardErrors: scaleErrors(slopeErrors, siiAt, limits),
        ...(wantRii ? { riiLimitStandardErrors: scaleErrors(slopeErrors, riiAt, limits) } : {}),
      };
      result.siiIntervalMethod = 'monte-carlo';
    } else {
      slopeLimits = confidence.map((c) => {
        const z = twoSidedZ(c);
        return { confidence: c, lower: fit.slope - z * sd1, upper: fit.slope + z * sd1 };
      });
    }
    result.siiIntervals = slopeLimits.map(({ confidence: c, lower, upper }) =>
      m > 0 ? { confidence: c, lower: siiAt(lower), upper: siiAt(upper) } : { confidence: c, lower: siiAt(upper), upper: siiAt(lower) },
    );
    if (wantRii) {
      result.riiIntervals = slopeLimits.map(({ confidence: c, lower, upper }) =>
        m > 0 ? { confidence: c, lower: riiAt(lower), upper: riiAt(upper) } : { confidence: c, lower: 1 / riiAt(upper), upper: 1 / riiAt(lower) },
      );
      result.riiIntervalMethod = result.siiIntervalMethod;
    }
    return result;
  }

  // Rates and proportions without transform: phe_sii simulates every quantile, back-transforms,
  // refits. Its limits converge to the quantiles of m b1 = sum(m c1_i g(...)), computed here by
  // numerical convolution (sii.numerical.ts); the RII likewise where b0 stays positive.
  // Each is used where its error estimates are within the standard errors that the simulation it
  // replaces would have at `reps` repetitions; otherwise that statistic is simulated.
  const numericalSii = forceSimulation ? null : numericalSiiLimits(fit, confidence);
  const siiComparable = numericalSii === null ? null : simulationErrors(numericalSii, options.reps);
  if (numericalSii !== null && siiComparable !== null && withinErrors(numericalSii.errors, siiComparable)) {
    result.siiIntervals = numericalSii.intervals;
    result.siiIntervalMethod = 'numerical';
    const report: NumericalReport = {
      method: 'numerical convolution',
      design: NUMERICAL_DESIGN,
      points: numericalSii.points,
      convolutions: numericalSii.convolutions,
      truncation: NUMERICAL_TRUNCATION,
      siiLimitErrors: numericalSii.errors,
      siiSimulationErrors: siiComparable,
    };
    result.numerical = report;
    if (!wantRii) return result;
    const riiLimits = numericalRiiLimits(fit, confidence);
    const riiComparable = riiLimits === null ? null : simulationErrors(riiLimits, options.reps);
    if (riiLimits !== null && riiComparable !== null && withinErrors(riiLimits.errors, riiComparable)) {
      result.riiIntervals = riiLimits.intervals;
      result.riiIntervalMethod = 'numerical';
      report.riiLimitErrors = riiLimits.errors;
      report.riiSimulationErrors = riiComparable;
      report.convolutions += riiLimits.convolutions;
      return result;
    }
    // b0 (or b0 + b1) can reach zero, or the lattice could not be made fine enough: the ratio's
    // quantiles are simulated as phe_sii does.
    const draws = simulateBackTransformed(fit, options.reps, options.seed, true);
    const riiLimitsSimulated = simulatedLimits(ratioDraws(draws.b0!, draws.b1, m < 0), confidence);
    result.riiIntervals = toIntervals(riiLimitsSimulated);
    result.riiIntervalMethod = 'monte-carlo';
    result.simulation = { reps: options.reps, seed: options.seed, design: PER_GROUP_DESIGN, riiLimitStandardErrors: toErrors(riiLimitsSimulated) };
    return result;
  }
  const draws = simulateBackTransformed(fit, options.reps, options.seed, wantRii);
  const riiSource = wantRii && draws.b0 !== null ? ratioDraws(draws.b0, draws.b1, m < 0) : null;
  const siiLimits = simulatedLimits(draws.b1, confidence);
  result.siiIntervals = toIntervals(siiLimits);
  result.siiIntervalMethod = 'monte-carlo';
  const report: SimulationReport = { reps: options.reps, seed: options.seed, design: PER_GROUP_DESIGN, siiLimitStandardErrors: toErrors(siiLimits) };
  if (riiSource !== null) {
    const riiLimits = simulatedLimits(riiSource, confidence);
    result.riiIntervals = toIntervals(riiLimits);
    result.riiIntervalMethod = 'monte-carlo';
    report.riiLimitStandardErrors = toErrors(riiLimits);
  }
  result.simulation = report;
  return result;
}

const NUMERICAL_TRUNCATION = 1e-7;

/** sqrt(p (1 - p) / reps) / density for each limit: the standard error of a simulated limit. */
function simulationErrors(limits: NumericalLimits, reps: number): LimitErrors[] {
  return limits.densities.map((d) => {
    const q = d.confidence + (1 - d.confidence) / 2;
    const spread = Math.sqrt((q * (1 - q)) / reps);
    return { confidence: d.confidence, lower: spread / d.lower, upper: spread / d.upper };
  });
}

function withinErrors(errors: readonly LimitErrors[], bounds: readonly LimitErrors[]): boolean {
  return errors.every((e, k) => e.lower <= bounds[k]!.lower && e.upper <= bounds[k]!.upper);
}
const NUMERICAL_DESIGN =
  'the limits phe_sii simulates, from the exact distribution of the refitted slope (a weighted sum of independent log-normal / logit-normal terms): numerical convolution on an FFT lattice (linear binning, sinc deconvolution), the RII by root-finding on P((b0 + b1) / b0 <= r); no simulation, no seed';

const BIVARIATE_DESIGN = 'intercept and slope drawn directly from their exact bivariate normal distribution (Cholesky factor of sum(c_j c_k se^2)), antithetic pairs; xoshiro128** with ziggurat normals';
const PER_GROUP_DESIGN =
  'one normal deviate per quantile per repetition on the log/logit scale, back-transformed and refitted (as phe_sii), antithetic pairs; xoshiro128** with ziggurat normals';

function checkSimulationSettings(reps: number, seed: number): void {
  if (!(Number.isInteger(reps) && reps >= 1000)) throw new Error(`Monte Carlo intervals need a whole number of repetitions, at least 1,000 (as phe_sii); got ${reps}`);
  if (!Number.isFinite(seed)) throw new Error(`the seed must be a finite number, got ${seed}`);
}

function toIntervals(limits: readonly SimulatedLimit[]): Interval[] {
  return limits.map((l) => ({ confidence: l.confidence, lower: l.lower, upper: l.upper }));
}

function toErrors(limits: readonly SimulatedLimit[]): { confidence: number; lower: number; upper: number }[] {
  return limits.map((l) => ({ confidence: l.confidence, lower: l.lowerStandardError, upper: l.upperStandardError }));
}

function derivative(f: (q: number) => number, q: number): number {
  const h = 1e-6 * Math.max(1e-3, Math.abs(q));
  return (f(q + h) - f(q - h)) / (2 * h);
}

/** PHE RII = (b0 + b1) / b0 for every draw, inverted when the multiplier is negative. */
function ratioDraws(b0: Float64Array, b1: Float64Array, invert: boolean): Float64Array {
  const out = new Float64Array(b0.length);
  for (let i = 0; i < out.length; i++) {
    const r = (b0[i]! + b1[i]!) / b0[i]!;
    out[i] = invert ? 1 / r : r;
  }
  return out;
}

/**
 * (b0, b1) ~ bivariate normal with means (intercept, slope) and covariance [[v0, c01], [c01, v1]],
 * in antithetic pairs: (mean + L z, mean - L z).
 */
export function simulateCoefficientPair(intercept: number, slope: number, v0: number, v1: number, c01: number, reps: number, seed: number): { b0: Float64Array; b1: Float64Array } {
  const l00 = Math.sqrt(v0);
  const l10 = l00 > 0 ? c01 / l00 : 0;
  const l11 = Math.sqrt(Math.max(0, v1 - l10 * l10));
  const pairs = Math.ceil(reps / 2);
  const z = new Float64Array(2 * pairs);
  new RandomStream(seed).fillNormal(z);
  const b0 = new Float64Array(reps);
  const b1 = new Float64Array(reps);
  for (let p = 0; p < pairs; p++) {
    const z1 = z[2 * p]!;
    const z2 = z[2 * p + 1]!;
    const d0 = l00 * z1;
    const d1 = l10 * z1 + l11 * z2;
    const i = 2 * p;
    b0[i] = intercept + d0;
    b1[i] = slope + d1;
    if (i + 1 < reps) {
      b0[i + 1] = intercept - d0;
      b1[i + 1] = slope - d1;
    }
  }
  return { b0, b1 };
}

// exp(x) for |x| <= 16 by table and polynomial: x = j/32 + r with |r| <= 1/64, exp(j/32) from the
// table (Math.exp, within an ulp), exp(r) by its degree-7 Taylor polynomial (truncation error below
// 1e-19). Used only inside the simulation's inner loops, where Math.exp dominated the running time.
const EXP_TABLE_HALF = 512;
const EXP_TABLE = new Float64Array(2 * EXP_TABLE_HALF + 1);
for (let j = -EXP_TABLE_HALF; j <= EXP_TABLE_HALF; j++) EXP_TABLE[j + EXP_TABLE_HALF] = Math.exp(j / 32);


/**
 * phe_sii's simulation for rates and proportions without transform: Y_i ~ Normal(T(value_i), se_i),
 * back-transformed (exp or expit) and refitted, i.e. b = sum(c_i g(Y_i)). Antithetic pairs.
 * Returns draws of m b0 (when asked) and m b1, m the multiplier: m b1 is the SII itself, and the
 * ratio (m b0 + m b1) / (m b0) is the RII's.
 */
export function simulateBackTransformed(fit: SiiFit, reps: number, seed: number, withIntercept: boolean): { b0: Float64Array | null; b1: Float64Array } {
  const k = fit.c1.length;
  const pairs = Math.ceil(reps / 2);
  const stream = new RandomStream(seed);
  const z = new Float64Array(pairs);
  const b1 = new Float64Array(2 * pairs);
  const b0 = withIntercept ? new Float64Array(2 * pairs) : null;
  const logitScale = fit.valueType === 'proportion';
  for (let i = 0; i < k; i++) {
    stream.fillNormal(z);
    const s = fit.simulationSe[i]!;
    const centre = Math.exp(fit.simulationCentre[i]!);
    // The table covers |s z| <= 16 (s up to about 2 on the log scale); beyond that, Math.exp.
    let largest = 0;
    for (let p = 0; p < pairs; p++) largest = Math.max(largest, Math.abs(z[p]!));
    const tabled = s * largest <= 16;
    // Each accumulation is its own small loop so that the hot loop has no branches on the design.
    for (const [weight, out] of b0 === null ? [[fit.c1[i]!, b1] as const] : [[fit.c1[i]!, b1] as const, [fit.c0[i]!, b0] as const]) {
      const w = fit.multiplier * weight;
      if (!tabled) accumulateExact(z, s, fit.simulationCentre[i]!, w, out, logitScale);
      else if (logitScale) accumulateLogistic(z, s, centre, w, out);
      else accumulateLogNormal(z, s, centre, w, out);
    }
  }
  // An odd number of repetitions drops the last antithetic partner.
  return { b0: b0 === null ? null : b0.subarray(0, reps), b1: b1.subarray(0, reps) };
}

/**
 * out[2p] += w centre exp(s z_p) and out[2p + 1] += w centre exp(-s z_p): an antithetic pair of
 * log-normal draws. With x = j/32 + r, exp(+-x) = exp(+-j/32) (E(r) +- O(r)) where E and O are the
 * even and odd parts of exp's Taylor polynomial, so one polynomial serves both draws.
 */
function accumulateLogNormal(z: Float64Array, s: number, centre: number, w: number, out: Float64Array): void {
  const wc = w * centre;
  for (let p = 0; p < z.length; p++) {
    const x = s * z[p]!;
    const j = ((x * 32 + 512.5) | 0) - 512; // round(32 x); the offset keeps the truncation a floor
    const r = x - j * 0.03125;
    const r2 = r * r;
    const even = 1 + r2 * (0.5 + r2 * (1 / 24 + r2 * (1 / 720)));
    const odd = r * (1 + r2 * (1 / 6 + r2 * (1 / 120 + r2 * (1 / 5040))));
    out[2 * p] = out[2 * p]! + wc * EXP_TABLE[EXP_TABLE_HALF + j]! * (even + odd);
    out[2 * p + 1] = out[2 * p + 1]! + wc * EXP_TABLE[EXP_TABLE_HALF - j]! * (even - odd);
  }
}

/**
 * The same for logit-normal draws: with odds = exp(logit p), expit(logit p +- x) = odds e / (1 + odds e)
 * with e = exp(+-x).
 */
function accumulateLogistic(z: Float64Array, s: number, odds: number, w: number, out: Float64Array): void {
  for (let p = 0; p < z.length; p++) {
    const x = s * z[p]!;
    const j = ((x * 32 + 512.5) | 0) - 512;
    const r = x - j * 0.03125;
    const r2 = r * r;
    const even = 1 + r2 * (0.5 + r2 * (1 / 24 + r2 * (1 / 720)));
    const odd = r * (1 + r2 * (1 / 6 + r2 * (1 / 120 + r2 * (1 / 5040))));
    const plus = odds * EXP_TABLE[EXP_TABLE_HALF + j]! * (even + odd);
    const minus = odds * EXP_TABLE[EXP_TABLE_HALF - j]! * (even - odd);
    out[2 * p] = out[2 * p]! + (w * plus) / (1 + plus);
    out[2 * p + 1] = out[2 * p + 1]! + (w * minus) / (1 + minus);
  }
}

/** The same with Math.exp, for standard errors too large for the table. */
function accumulateExact(z: Float64Array, s: number, centre: number, w: number, out: Float64Array, logitScale: boolean): void {
  const g = logitScale ? (x: number) => 1 / (1 + Math.exp(-x)) : Math.exp;
  for (let p = 0; p < z.length; p++) {
    const x = s * z[p]!;
    out[2 * p] = out[2 * p]! + w * g(centre + x);
    out[2 * p + 1] = out[2 * p + 1]! + w * g(centre - x);
  }
}
