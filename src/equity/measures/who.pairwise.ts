/**
 * Simple (two-subgroup) measures of WHO HEAT: difference D and ratio R, as healthequal's
 * R/d.R and R/r.R compute them.
 */
import type { GroupInput, MeasureResult } from './measure.ts';
import {
  MISSING_SE,
  argMax,
  argMin,
  checkOptions,
  confidenceLevels,
  emptyIntervals,
  normalIntervals,
  prepareSubgroups,
  unavailable,
  type Subgroups,
  type WhoOptions,
} from './who.common.ts';

export interface PairChoice {
  /** Index of y1 (the minuend / numerator) and y2. */
  first: number;
  second: number;
  rule: string;
}

/**
 * Which two subgroups D and R compare (healthequal d.R / r.R):
 * - ordered dimension (ignores any reference): favourable indicator y1 = most advantaged
 *   (highest order), y2 = most disadvantaged (order 1); adverse indicator the reverse, so a
 *   positive D (R > 1) always means the advantaged subgroup is better off;
 * - non-ordered with a reference subgroup: favourable y1 = reference, y2 = lowest estimate;
 *   adverse y1 = highest estimate, y2 = reference;
 * - non-ordered without a reference: y1 = highest estimate, y2 = lowest estimate.
 *   (healthequal's r.R does this; its d.R leaves y2 unselected for favourable indicators, which
 *   makes d() fail, so D follows r.R here.)
 * Ties: the first subgroup in input order.
 */
export function choosePair(data: Subgroups, options: WhoOptions): PairChoice | { reason: string } {
  if (data.orders) {
    const high = argMax(data.orders);
    const low = argMin(data.orders);
    return options.favourable
      ? { first: high, second: low, rule: 'most advantaged (highest order) vs most disadvantaged (order 1)' }
      : { first: low, second: high, rule: 'most disadvantaged (order 1) vs most advantaged (highest order)' };
  }
  if (options.reference !== undefined && options.reference !== '') {
    const ref = data.labels.indexOf(options.reference);
    if (ref < 0) return { reason: `reference subgroup "${options.reference}" is not among the subgroups` };
    return options.favourable
      ? { first: ref, second: argMin(data.values), rule: 'reference vs lowest estimate' }
      : { first: argMax(data.values), second: ref, rule: 'highest estimate vs reference' };
  }
  return { first: argMax(data.values), second: argMin(data.values), rule: 'highest vs lowest estimate' };
}

const D_METHOD = 'WHO HEAT difference (healthequal::d)';
const R_METHOD = 'WHO HEAT ratio (healthequal::r)';

/**
 * Difference D = y1 - y2 (subgroups chosen by `choosePair`).
 * SE = sqrt(se1^2 + se2^2); interval D +/- z SE.
 * Source: healthequal R/d.R; Schlotheuber & Hosseinpoor (2022), IJERPH 19(6):3697.
 */
export function difference(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  checkOptions(options);
  const prepared = prepareSubgroups(groups, options, { minGroups: 2 });
  if (!prepared.ok) return unavailable('d', D_METHOD, options, prepared.reason);
  const data = prepared.data;
  const pair = choosePair(data, options);
  if ('reason' in pair) return unavailable('d', D_METHOD, options, pair.reason);
  const levels = confidenceLevels(options);
  const estimate = (data.values[pair.first] as number) - (data.values[pair.second] as number);
  const base = { measure: 'd', estimate, method: D_METHOD, comparison: { first: data.labels[pair.first], second: data.labels[pair.second], rule: pair.rule } };
  if (!data.ses) return { ...base, intervals: emptyIntervals(levels), intervalMethod: 'none', se: null, intervalReason: MISSING_SE };
  const se = Math.hypot(data.ses[pair.first] as number, data.ses[pair.second] as number);
  return { ...base, intervals: normalIntervals(estimate, se, levels), intervalMethod: 'analytic', se };
}

/**
 * Ratio R = y1 / y2 (subgroups chosen by `choosePair`).
 * SE(R) = sqrt((se1^2 + R^2 se2^2) / y2^2) (delta method, Ahn et al. 2018); SE(ln R) = SE(R) / R;
 * interval exp(ln R +/- z SE(ln R)). `se` reports SE(ln R), as healthequal does.
 * Source: healthequal R/r.R; Ahn J et al. JCO Clin Cancer Inform. 2018;2:1-19.
 */
export function ratio(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  checkOptions(options);
  const prepared = prepareSubgroups(groups, options, { minGroups: 2 });
  if (!prepared.ok) return unavailable('r', R_METHOD, options, prepared.reason);
  const data = prepared.data;
  const pair = choosePair(data, options);
  if ('reason' in pair) return unavailable('r', R_METHOD, options, pair.reason);
  const y1 = data.values[pair.first] as number;
  const y2 = data.values[pair.second] as number;
  if (y2 === 0) return unavailable('r', R_METHOD, options, `the denominator subgroup "${data.labels[pair.second]}" has value 0`);
  const levels = confidenceLevels(options);
  const estimate = y1 / y2;
  const base = { measure: 'r', estimate, method: R_METHOD, comparison: { first: data.labels[pair.first], second: data.labels[pair.second], rule: pair.rule }, seScale: 'log' };
  if (!data.ses) return { ...base, intervals: emptyIntervals(levels), intervalMethod: 'none', se: null, intervalReason: MISSING_SE };
  if (!(estimate > 0)) return { ...base, intervals: emptyIntervals(levels), intervalMethod: 'none', se: null, intervalReason: 'the ratio is not positive, so its log-scale interval is undefined' };
  const se1 = data.ses[pair.first] as number;
  const se2 = data.ses[pair.second] as number;
  const seRatio = Math.sqrt((se1 * se1 + estimate * estimate * se2 * se2) / (y2 * y2));
  const se = seRatio / estimate;
  return { ...base, intervals: normalIntervals(estimate, se, levels, 'log'), intervalMethod: 'analytic', se };
}
