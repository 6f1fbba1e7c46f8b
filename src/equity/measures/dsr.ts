/**
 * Directly standardised rates with Dobson confidence limits, as PHEindicatormethods'
 * `calculate_dsr` (R/DSR.R; formerly `phe_dsr`).
 *
 * For age bands i with events x_i, local population n_i and standard population w_i:
 *
 *   DSR      = sum(w_i x_i / n_i) / sum(w_i) * multiplier
 *   var(DSR) = sum(w_i^2 x_i / n_i^2) / sum(w_i)^2            (per 1, before the multiplier)
 *   O        = sum(x_i), the total count
 *   limits   = DSR + sqrt(var(DSR) / O) * (O_limit - O) * multiplier
 *
 * where O_lower and O_upper are Byar's limits for the total count O. The DSR and its limits are
 * not reported when O < 10 (PHE: "dsr NA for total count < 10"). Missing counts in a band count
 * as zero, as PHE's na.zero does. The non-independent-events variant is not implemented.
 *
 * Sources: Dobson AJ, Kuulasmaa K, Eberle E, Scherer J. Confidence intervals for weighted sums of
 * Poisson parameters. Stat Med 1991;10:457-462; Breslow NE, Day NE. Statistical methods in cancer
 * research, volume II. IARC 1987 (Byar's method); PHE Fingertips technical guidance.
 *
 * European Standard Population 2013, 19 five-year bands 0-4 ... 85-89, 90+ (Eurostat. Revision of
 * the European Standard Population: report of Eurostat's task force. Luxembourg: Publications
 * Office of the European Union, 2013, with ages 0 and 1-4 combined and 90-94, 95+ combined;
 * the `esp2013` vector of PHEindicatormethods).
 */
import type { GroupInput, Interval, MeasureOptions, MeasureResult } from './measure.ts';
import { byarsLower, byarsUpper } from './rate.ts';
import { checkConfidence, emptyIntervals, noEstimate } from './phe.common.ts';

export const DSR_METHOD = 'directly standardised rate, Dobson method on Byar\'s limits for the total count (PHEindicatormethods calculate_dsr)';

export const ESP2013_BANDS: readonly { band: string; population: number }[] = [
  { band: '0-4', population: 5000 },
  { band: '5-9', population: 5500 },
  { band: '10-14', population: 5500 },
  { band: '15-19', population: 5500 },
  { band: '20-24', population: 6000 },
  { band: '25-29', population: 6000 },
  { band: '30-34', population: 6500 },
  { band: '35-39', population: 7000 },
  { band: '40-44', population: 7000 },
  { band: '45-49', population: 7000 },
  { band: '50-54', population: 7000 },
  { band: '55-59', population: 6500 },
  { band: '60-64', population: 6000 },
  { band: '65-69', population: 5500 },
  { band: '70-74', population: 5000 },
  { band: '75-79', population: 4000 },
  { band: '80-84', population: 2500 },
  { band: '85-89', population: 1500 },
  { band: '90+', population: 1000 },
];

export interface AgeBand {
  /** Events in the band; missing counts are taken as zero. */
  count: number | undefined;
  /** Local population of the band (must be greater than zero). */
  population: number;
  /** Standard population of the band. */
  standardPopulation: number;
}

export interface DsrEstimate {
  value: number | null;
  intervals: Interval[];
  totalCount: number;
  totalPopulation: number;
  /** Variance of the DSR per 1 (before the multiplier). */
  variance: number;
  reason?: string;
}

/** PHE's calculate_dsr for one area. */
export function directlyStandardisedRate(bands: readonly AgeBand[], confidence: readonly number[], multiplier: number): DsrEstimate {
  checkConfidence(confidence);
  if (!(multiplier > 0)) throw new Error(`the multiplier must be greater than zero, got ${multiplier}`);
  if (bands.length === 0) throw new Error('at least one age band is required');
  let weightedRate = 0;
  let weightedSquare = 0;
  let standardTotal = 0;
  let totalCount = 0;
  let totalPopulation = 0;
  for (const [i, b] of bands.entries()) {
    const x = b.count === undefined || Number.isNaN(b.count) ? 0 : b.count;
    if (!(x >= 0)) throw new Error(`band ${i + 1}: counts must be zero or more, got ${x}`);
    if (!(b.population > 0)) throw new Error(`band ${i + 1}: populations must be greater than zero, got ${b.population}`);
    if (!(b.standardPopulation >= 0)) throw new Error(`band ${i + 1}: standard populations must be zero or more, got ${b.standardPopulation}`);
    weightedRate += (x * b.standardPopulation) / b.population;
    weightedSquare += x * (b.standardPopulation / b.population) ** 2;
    standardTotal += b.standardPopulation;
    totalCount += x;
    totalPopulation += b.population;
  }
  const variance = weightedSquare / standardTotal ** 2;
  if (totalCount < 10) {
    return { value: null, intervals: emptyIntervals(confidence), totalCount, totalPopulation, variance, reason: 'dsr not reported for a total count under 10' };
  }
  const value = (weightedRate / standardTotal) * multiplier;
  const spread = Math.sqrt(variance / totalCount) * multiplier;
  const intervals = confidence.map((c) => {
    const lowerCount = byarsLower(totalCount, c);
    return {
      confidence: c,
      lower: lowerCount === null ? null : value + spread * (lowerCount - totalCount),
      upper: value + spread * (byarsUpper(totalCount, c) - totalCount),
    };
  });
  return { value, intervals, totalCount, totalPopulation, variance };
}

/**
 * The `dsr` measure. Rows are the age bands of one area, in age order (by `order` when every row
 * has one, otherwise as given), with `count` events and `population` (or `denominator`). The
 * standard population is each row's `standardPopulation` when every row has one; otherwise the 19
 * rows are matched, in order, to the 19 bands of the European Standard Population 2013 (labels in
 * `group` are reported back but not used for matching: PHE's own test sheet labels one band
 * "55-69").
 */
export function dsrMeasure(groups: readonly GroupInput[], options: MeasureOptions): MeasureResult {
  checkConfidence(options.confidence);
  const ordered = groups.every((g) => g.order !== undefined) ? [...groups].sort((a, b) => (a.order as number) - (b.order as number)) : [...groups];
  const ownStandard = ordered.every((g) => g.standardPopulation !== undefined);
  if (!ownStandard && ordered.length !== ESP2013_BANDS.length) {
    throw new Error(
      `dsr needs the ${ESP2013_BANDS.length} age bands of the European Standard Population 2013 (${ESP2013_BANDS.map((b) => b.band).join(', ')}) in order, or a standardPopulation on every row; got ${ordered.length} rows`,
    );
  }
  const bands: AgeBand[] = ordered.map((g, i) => ({
    count: g.count,
    population: g.denominator ?? g.population,
    standardPopulation: ownStandard ? (g.standardPopulation as number) : ESP2013_BANDS[i]!.population,
  }));
  const estimate = directlyStandardisedRate(bands, options.confidence, options.scale);
  const extra = {
    totalCount: estimate.totalCount,
    totalPopulation: estimate.totalPopulation,
    multiplier: options.scale,
    standardPopulation: ownStandard ? 'as supplied' : 'European Standard Population 2013 (19 bands)',
    bands: ordered.map((g, i) => ({ group: g.group, standardBand: ownStandard ? undefined : ESP2013_BANDS[i]!.band, standardPopulation: bands[i]!.standardPopulation })),
  };
  if (estimate.value === null) return noEstimate('dsr', DSR_METHOD, options, estimate.reason ?? 'not reported', extra);
  return { measure: 'dsr', estimate: estimate.value, intervals: estimate.intervals, method: DSR_METHOD, intervalMethod: 'analytic', ...extra };
}
