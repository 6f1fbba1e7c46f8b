/**
 * WHO HEAT disproportionality measures: Theil index (TI) and mean log deviation (MLD), reported
 * x 1000 as HEAT reports them, with healthequal's analytic standard errors (Ahn et al. 2018).
 * Sources: healthequal R/ti.R and R/mld.R; Ahn J, Harper S, Yu M, Feuer EJ, Liu B, Luta G.
 * JCO Clin Cancer Inform. 2018;2:1-19.
 *
 * Notation: w_j population shares; y_j estimates with 0 replaced by 1e-6 (as healthequal does,
 * so the logarithm exists); mu = sum w_j y_j; r_j = y_j / mu.
 *
 *   TI  = 1000 sum w_j r_j ln r_j
 *   MLD = 1000 sum w_j (-ln r_j)
 *   SE(TI / 1000)  = sqrt( sum (1 + ln r_j - sum_k w_k r_k (1 + ln r_k))^2 w_j^2 se_j^2 / mu^2 )
 *   SE(MLD / 1000) = sqrt( sum w_j^2 se_j^2 / mu^2 (1 - 1 / r_j)^2 )
 *
 * healthequal multiplies the estimate by 1000 but not the standard error, and builds the
 * interval as estimate +/- z SE, which makes it 1000 times too narrow for the x 1000 estimate.
 * Method "healthequal" (default) reproduces that exactly (matching its published figures);
 * method "rescaled" uses 1000 SE, the standard error of the x 1000 estimate.
 * Both report `se` as healthequal does (unscaled) and `seOnEstimateScale` = 1000 SE.
 */
import type { GroupInput, MeasureResult } from './measure.ts';
import {
  MISSING_SE,
  chooseVariant,
  checkOptions,
  confidenceLevels,
  emptyIntervals,
  normalIntervals,
  prepareSubgroups,
  shares,
  unavailable,
  type WhoOptions,
} from './who.common.ts';

export const ENTROPY_METHODS = ['healthequal', 'rescaled'] as const;

const SCALE_WARNING =
  'healthequal builds this interval from a standard error that is not multiplied by 1000 although the estimate is; ' +
  'the interval is therefore 1000 times narrower than the estimate\'s sampling variability implies. Use method "rescaled" for the consistent interval.';

function entropy(groups: readonly GroupInput[], options: WhoOptions, kind: 'ti' | 'mld'): MeasureResult {
  checkOptions(options);
  const baseMethod = kind === 'ti' ? 'WHO HEAT Theil index x 1000 (healthequal::ti)' : 'WHO HEAT mean log deviation x 1000 (healthequal::mld)';
  const variant = chooseVariant(options, ENTROPY_METHODS);
  if (typeof variant !== 'string') return unavailable(kind, baseMethod, options, variant.invalid);
  const method = variant === 'healthequal' ? baseMethod : `${baseMethod}, standard error rescaled x 1000`;
  const prepared = prepareSubgroups(groups, options, { minGroups: 3 });
  if (!prepared.ok) return unavailable(kind, method, options, prepared.reason);
  const { populations, ses } = prepared.data;
  const values = prepared.data.values.map((y) => (y === 0 ? 0.000001 : y));
  if (values.some((y) => y < 0)) return unavailable(kind, method, options, 'the logarithm needs non-negative estimates');
  const w = shares(populations);
  const mu = w.reduce((s, wj, j) => s + wj * (values[j] as number), 0);
  const r = values.map((y) => y / mu);
  const estimate =
    kind === 'ti'
      ? 1000 * w.reduce((s, wj, j) => s + wj * (r[j] as number) * Math.log(r[j] as number), 0)
      : 1000 * w.reduce((s, wj, j) => s - wj * Math.log(r[j] as number), 0);
  const levels = confidenceLevels(options);
  const base = { measure: kind, estimate, method, variant, weightedMean: mu };
  if (!ses) return { ...base, intervals: emptyIntervals(levels), intervalMethod: 'none', se: null, intervalReason: MISSING_SE };
  let variance = 0;
  if (kind === 'ti') {
    const centre = w.reduce((s, wj, j) => s + (r[j] as number) * (1 + Math.log(r[j] as number)) * wj, 0);
    w.forEach((wj, j) => {
      variance += (1 + Math.log(r[j] as number) - centre) ** 2 * ((wj * wj * (ses[j] as number) ** 2) / (mu * mu));
    });
  } else {
    w.forEach((wj, j) => {
      variance += ((wj * wj * (ses[j] as number) ** 2) / (mu * mu)) * (1 - 1 / (r[j] as number)) ** 2;
    });
  }
  const se = Math.sqrt(variance);
  const intervalSe = variant === 'healthequal' ? se : 1000 * se;
  return {
    ...base,
    intervals: normalIntervals(estimate, intervalSe, levels),
    intervalMethod: 'analytic',
    se,
    seScale: 'unscaled (the estimate is x 1000)',
    seOnEstimateScale: 1000 * se,
    ...(variant === 'healthequal' ? { warnings: [SCALE_WARNING] } : {}),
  };
}

/** Theil index x 1000 (formula in the module comment). */
export function theilIndex(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return entropy(groups, options, 'ti');
}

/** Mean log deviation x 1000 (formula in the module comment). */
export function meanLogDeviation(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  return entropy(groups, options, 'mld');
}
