/**
 * Indirectly standardised ratios, as PHEindicatormethods' `calculate_ISRatio` (R/ISRatio.R;
 * formerly `phe_isr` / `phe_smr`).
 *
 * For age bands i with local population n_i, and reference events X_i in reference population N_i:
 *
 *   expected E = sum(X_i / N_i * n_i),  observed O = sum(local events)
 *   ratio      = O / E * refValue        (refValue 1 for a ratio, 100 for an SMR-style figure)
 *   limits     = L(O) / E * refValue, U(O) / E * refValue
 *
 * where L and U are exact Poisson (chi-square) limits when O < 10 and Byar's limits otherwise,
 * exactly as for crude rates (see rate.ts). Missing counts count as zero (PHE's na.zero).
 *
 * Source: Breslow NE, Day NE. Statistical methods in cancer research, volume II. IARC 1987.
 */
import type { GroupInput, MeasureOptions, MeasureResult } from './measure.ts';
import { poissonCountLimits } from './rate.ts';
import { checkConfidence, noEstimate } from './phe.common.ts';

export const ISR_METHOD = 'indirectly standardised ratio, exact Poisson limits below 10 observed events and Byar\'s method otherwise (PHEindicatormethods calculate_ISRatio)';

export interface IsrBand {
  /** Local events in the band (missing counts as zero). */
  observed: number | undefined;
  /** Local population of the band. */
  population: number;
  referenceCount: number;
  referencePopulation: number;
}

/** PHE's calculate_ISRatio for one area. */
export function indirectlyStandardisedRatio(bands: readonly IsrBand[], confidence: readonly number[], refValue = 1) {
  checkConfidence(confidence);
  let observed = 0;
  let expected = 0;
  for (const [i, b] of bands.entries()) {
    const x = b.observed === undefined || Number.isNaN(b.observed) ? 0 : b.observed;
    if (!(x >= 0)) throw new Error(`band ${i + 1}: observed counts must be zero or more, got ${x}`);
    if (!(b.referencePopulation > 0)) throw new Error(`band ${i + 1}: the reference population must be greater than zero, got ${b.referencePopulation}`);
    if (!(b.referenceCount >= 0)) throw new Error(`band ${i + 1}: the reference count must be zero or more, got ${b.referenceCount}`);
    if (!(b.population >= 0)) throw new Error(`band ${i + 1}: the population must be zero or more, got ${b.population}`);
    observed += x;
    expected += (b.referenceCount / b.referencePopulation) * b.population;
  }
  if (!(expected > 0)) return { value: null, observed, expected, intervals: confidence.map((c) => ({ confidence: c, lower: null, upper: null })), method: null };
  let method: 'exact' | 'byar' = observed < 10 ? 'exact' : 'byar';
  const intervals = confidence.map((c) => {
    const limits = poissonCountLimits(observed, c);
    method = limits.method;
    return { confidence: c, lower: limits.lower === null ? null : (limits.lower / expected) * refValue, upper: (limits.upper / expected) * refValue };
  });
  return { value: (observed / expected) * refValue, observed, expected, intervals, method };
}

/**
 * The `isr` measure. Rows are the age bands of one area: `count` local events, `population` (or
 * `denominator`) local population, and `referenceCount` / `referencePopulation` for the band in
 * the reference (e.g. national) population. `scale` is PHE's refValue (1: a ratio; 100: x 100).
 */
export function isrMeasure(groups: readonly GroupInput[], options: MeasureOptions): MeasureResult {
  checkConfidence(options.confidence);
  const bands = groups.map((g, i) => {
    if (g.referenceCount === undefined || g.referencePopulation === undefined) {
      throw new Error(`isr row ${i + 1} (${g.group}): referenceCount and referencePopulation are required`);
    }
    return { observed: g.count, population: g.denominator ?? g.population, referenceCount: g.referenceCount, referencePopulation: g.referencePopulation };
  });
  const isr = indirectlyStandardisedRatio(bands, options.confidence, options.scale);
  const extra = { observed: isr.observed, expected: isr.expected, refValue: options.scale };
  if (isr.value === null) return noEstimate('isr', ISR_METHOD, options, 'the expected count is zero', extra);
  return { measure: 'isr', estimate: isr.value, intervals: isr.intervals, method: ISR_METHOD, intervalMethod: isr.method === 'exact' ? 'exact' : 'analytic', ...extra };
}
