/**
 * WHO HEAT population attributable risk (PAR) and fraction (PAF): the improvement in the setting
 * average if every subgroup reached the reference subgroup's level.
 * Sources: healthequal R/parisk.R and R/paf.R; WHO HEAT Plus calc_paf (reference-subgroup rule);
 * Walter SD. Int J Epidemiol. 1978;7(2):175-82 (standard error).
 *
 * Reference subgroup:
 * - a declared reference subgroup (options.reference), when given — HEAT Plus's rule
 *   (healthequal's paf()/parisk() take no reference argument);
 * - otherwise, ordered dimension: the most advantaged subgroup (highest order), whatever the
 *   indicator's direction; non-ordered: the best-performing subgroup, highest estimate for a
 *   favourable indicator, lowest for an adverse one.
 *   (Ties: the largest estimate and the largest population among the candidates, as
 *   healthequal's max(ifelse(refgroup == 1, ...)) does.)
 *
 * With mu = sum w_j y_j:
 *   PAR = y_ref - mu,   PAF = 100 (y_ref - mu) / mu,
 * each set to 0 when it points the "wrong" way: below 0 for a favourable indicator, above 0 for
 * an adverse one (no improvement is possible by reaching the reference level).
 *
 * Standard error (Walter 1978), from the 2 x 2 table of "events" implied by the scale:
 *   c = y_ref / scale x pop_ref, d = pop_ref - c, a = mu / scale x N - c, b = N - a - pop_ref,
 *   SE(PAF / 100) = sqrt( c N (a d (N - c) + b c^2) / ((a + c)^3 (c + d)^3) ).
 * healthequal's PAF interval is PAF +/- z SE with this SE on the fraction scale while PAF is in
 * per cent, i.e. 100 times too narrow; method "healthequal" (default) reproduces it (and its
 * published figures), method "rescaled" uses 100 SE. PAR's SE is mu x SE(PAF / 100) (healthequal
 * writes it as |mu ((PAF + z SE) - (PAF - z SE))| / (2 z), which is the same), consistent
 * with PAR's scale, so PAR has no variants.
 */
import type { GroupInput, MeasureResult } from './measure.ts';
import {
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

export const PAF_METHODS = ['healthequal', 'rescaled'] as const;

interface ReferenceChoice {
  estimate: number;
  population: number;
  labels: string[];
  rule: string;
}

/** The reference subgroup PAF and PAR compare with (rules in the module comment). */
export function chooseAttributableReference(data: Subgroups, options: WhoOptions): ReferenceChoice | { reason: string } {
  if (options.reference !== undefined && options.reference !== '') {
    const j = data.labels.indexOf(options.reference);
    if (j < 0) return { reason: `reference subgroup "${options.reference}" is not among the subgroups` };
    return { estimate: data.values[j] as number, population: data.populations[j] as number, labels: [options.reference], rule: 'declared reference subgroup (HEAT Plus)' };
  }
  let candidates: number[];
  let rule: string;
  if (data.orders) {
    const top = Math.max(...data.orders);
    candidates = data.orders.map((o, j) => (o === top ? j : -1)).filter((j) => j >= 0);
    rule = 'most advantaged subgroup (highest order)';
  } else {
    const target = options.favourable ? Math.max(...data.values) : Math.min(...data.values);
    candidates = data.values.map((v, j) => (v === target ? j : -1)).filter((j) => j >= 0);
    rule = options.favourable ? 'best-performing subgroup (highest estimate, favourable indicator)' : 'best-performing subgroup (lowest estimate, adverse indicator)';
  }
  return {
    estimate: Math.max(...candidates.map((j) => data.values[j] as number)),
    population: Math.max(...candidates.map((j) => data.populations[j] as number)),
    labels: candidates.map((j) => data.labels[j] as string),
    rule,
  };
}

interface Attributable {
  data: Subgroups;
  reference: ReferenceChoice;
  mu: number;
  /** Walter's SE of PAF on the fraction scale (NaN when the table is degenerate). */
  walterSe: number;
}

function prepareAttributable(groups: readonly GroupInput[], options: WhoOptions): Attributable | { reason: string } {
  const prepared = prepareSubgroups(groups, options, { minGroups: 3 });
  if (!prepared.ok) return { reason: prepared.reason };
  const data = prepared.data;
  const reference = chooseAttributableReference(data, options);
  if ('reason' in reference) return reference;
  const mu = weightedMean(data.values, shares(data.populations));
  const total = data.populations.reduce((s, p) => s + p, 0);
  const c = (reference.estimate / options.scale) * reference.population;
  const d = reference.population - c;
  const a = (mu / options.scale) * total - c;
  const b = total - a - reference.population;
  const n = a + b + c + d;
  const walterSe = Math.sqrt((c * n * (a * d * (n - c) + b * c * c)) / ((a + c) ** 3 * (c + d) ** 3));
  return { data, reference, mu, walterSe };
}

function clampToDirection(value: number, favourable: boolean): number {
  return (favourable && value < 0) || (!favourable && value > 0) ? 0 : value;
}

const PAF_METHOD = 'WHO HEAT population attributable fraction (healthequal::paf)';
const PAR_METHOD = 'WHO HEAT population attributable risk (healthequal::parisk)';
const PAF_WARNING =
  'healthequal adds a standard error on the 0-1 fraction scale to a PAF in per cent, so this interval is 100 times narrower than the ' +
  'sampling variability implies. Use method "rescaled" for the consistent interval.';

/** PAF = 100 (y_ref - mu) / mu, clamped to the indicator's direction (see the module comment). */
export function populationAttributableFraction(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  checkOptions(options);
  const variant = chooseVariant(options, PAF_METHODS);
  if (typeof variant !== 'string') return unavailable('paf', PAF_METHOD, options, variant.invalid);
  const method = variant === 'healthequal' ? PAF_METHOD : `${PAF_METHOD}, standard error rescaled to per cent`;
  const prepared = prepareAttributable(groups, options);
  if ('reason' in prepared) return unavailable('paf', method, options, prepared.reason);
  const { reference, mu, walterSe } = prepared;
  if (mu === 0) return unavailable('paf', method, options, 'the setting average is 0, so the fraction is undefined');
  const estimate = clampToDirection((100 * (reference.estimate - mu)) / mu, options.favourable);
  const levels = confidenceLevels(options);
  const base = { measure: 'paf', estimate, method, variant, reference: { groups: reference.labels, value: reference.estimate, rule: reference.rule }, settingAverage: mu };
  if (!Number.isFinite(walterSe)) {
    return { ...base, intervals: emptyIntervals(levels), intervalMethod: 'none', se: null, intervalReason: 'Walter\'s standard error is undefined for these values and scale' };
  }
  return {
    ...base,
    intervals: normalIntervals(estimate, variant === 'healthequal' ? walterSe : 100 * walterSe, levels),
    intervalMethod: 'analytic',
    se: walterSe,
    seScale: 'fraction (0-1): multiply by 100 for per cent',
    seOnEstimateScale: 100 * walterSe,
    ...(variant === 'healthequal' ? { warnings: [PAF_WARNING] } : {}),
  };
}

/** PAR = y_ref - mu, clamped to the indicator's direction; SE = mu x Walter's SE(PAF / 100). */
export function populationAttributableRisk(groups: readonly GroupInput[], options: WhoOptions): MeasureResult {
  checkOptions(options);
  const prepared = prepareAttributable(groups, options);
  if ('reason' in prepared) return unavailable('par', PAR_METHOD, options, prepared.reason);
  const { reference, mu, walterSe } = prepared;
  const estimate = clampToDirection(reference.estimate - mu, options.favourable);
  const levels = confidenceLevels(options);
  const base = { measure: 'par', estimate, method: PAR_METHOD, reference: { groups: reference.labels, value: reference.estimate, rule: reference.rule }, settingAverage: mu };
  const se = Math.abs(mu) * walterSe;
  if (!Number.isFinite(se)) {
    return { ...base, intervals: emptyIntervals(levels), intervalMethod: 'none', se: null, intervalReason: 'Walter\'s standard error is undefined for these values and scale' };
  }
  return { ...base, intervals: normalIntervals(estimate, se, levels), intervalMethod: 'analytic', se };
}
