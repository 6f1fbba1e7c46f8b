/**
 * What the WHO HEAT measures share: their options, the checking and unpacking of subgroup rows,
 * the weighted rank (ridit) of ordered subgroups, and the shape of results and intervals.
 */
import type { GroupInput, Interval, MeasureResult } from './measure.ts';
import { twoSidedZComplement } from '../../numeric/normal.ts';

/**
 * Options the WHO measures read. `MeasureOptions` (measure.ts) satisfies this type, so the
 * registry passes its options straight through; direct callers may leave the optional ones out.
 */
export interface WhoOptions {
  /** Indicator scale: 100 for percentages, 1000 for rates per 1,000, 1 for proportions. */
  scale: number;
  /** true when a higher value is better (e.g. coverage), false when adverse (e.g. mortality). */
  favourable: boolean;
  /** Confidence levels; default [0.95]. */
  confidence?: readonly number[];
  /** Label of a reference subgroup (D, R, MDRU, MDRW; PAF and PAR as HEAT Plus does). */
  reference?: string;
  /** Monte Carlo draws for simulated intervals; default 100,000 (healthequal uses 100). */
  reps?: number;
  /** Seed of the Monte Carlo draws; default 123456 (healthequal's default seed, another generator). */
  seed?: number;
  /** Variant, where a measure offers more than one (see each measure). */
  method?: string;
  /** Confidence level of supplied `lower`/`upper` limits, to derive a standard error; default 0.95. */
  inputConfidence?: number;
}

export const DEFAULT_REPS = 100_000;
export const DEFAULT_SEED = 123456;

/** Subgroup data unpacked into parallel arrays, in input order. */
export interface Subgroups {
  labels: string[];
  values: number[];
  populations: number[];
  /** Standard errors; null when neither `se` nor both limits were given for some subgroup. */
  ses: number[] | null;
  /** Orders when every subgroup has one (ordered dimension), otherwise null. */
  orders: number[] | null;
}

export type Prepared<T> = { ok: true; data: T } | { ok: false; reason: string };

export interface PrepareRequirements {
  /** Fewest subgroups the measure accepts. */
  minGroups: number;
  /** Whether the dimension must be ordered (every subgroup has an `order`). */
  requiresOrder?: boolean;
}

/** Checks the options every WHO measure relies on; throws RangeError on a programming error. */
export function checkOptions(options: WhoOptions): void {
  if (!(Number.isFinite(options.scale) && options.scale > 0)) throw new RangeError(`scale must be a positive number, got ${options.scale}`);
  for (const c of confidenceLevels(options)) {
    if (!(c > 0 && c < 1)) throw new RangeError(`confidence levels must lie strictly between 0 and 1, got ${c}`);
  }
  const reps = options.reps ?? DEFAULT_REPS;
  if (!(Number.isInteger(reps) && reps >= 2)) throw new RangeError(`reps must be an integer of at least 2, got ${reps}`);
  if (options.inputConfidence !== undefined && !(options.inputConfidence > 0 && options.inputConfidence < 1)) {
    throw new RangeError(`inputConfidence must lie strictly between 0 and 1, got ${options.inputConfidence}`);
  }
}

export function confidenceLevels(options: WhoOptions): readonly number[] {
  return options.confidence && options.confidence.length > 0 ? options.confidence : [0.95];
}

/**
 * Validates subgroup rows and unpacks them. A standard error missing from a row is derived from
 * its limits as (upper - lower) / (2 z), z the normal critical value at `inputConfidence` — the
 * usual assumption that the limits are symmetric normal limits.
 */
export function prepareSubgroups(groups: readonly GroupInput[], options: WhoOptions, requirements: PrepareRequirements): Prepared<Subgroups> {
  if (groups.length < requirements.minGroups) {
    return { ok: false, reason: `needs at least ${requirements.minGroups} subgroups, got ${groups.length}` };
  }
  const labels = groups.map((g) => g.group);
  if (new Set(labels).size !== labels.length) return { ok: false, reason: 'subgroup labels must be unique' };
  for (const g of groups) {
    if (!Number.isFinite(g.value)) return { ok: false, reason: `subgroup "${g.group}" has no finite value` };
    if (!(Number.isFinite(g.population) && g.population >= 0)) return { ok: false, reason: `subgroup "${g.group}" needs a non-negative population` };
  }
  const populations = groups.map((g) => g.population);
  if (!populations.some((p) => p > 0)) return { ok: false, reason: 'the population is zero in every subgroup' };

  const withOrder = groups.filter((g) => g.order !== undefined && g.order !== null);
  if (withOrder.length > 0 && withOrder.length < groups.length) {
    return { ok: false, reason: 'either every subgroup has an order (ordered dimension) or none does' };
  }
  if (withOrder.some((g) => !Number.isFinite(g.order))) return { ok: false, reason: 'subgroup orders must be finite numbers' };
  const orders = withOrder.length === groups.length ? groups.map((g) => g.order as number) : null;
  if (requirements.requiresOrder && orders === null) {
    return { ok: false, reason: 'this measure needs an ordered dimension: give every subgroup an order (1 = most disadvantaged)' };
  }

  const z = twoSidedZComplement(options.inputConfidence ?? 0.95);
  const maybeSes = groups.map((g) => {
    if (g.se !== undefined && g.se !== null) return g.se;
    if (g.lower !== undefined && g.upper !== undefined && g.lower !== null && g.upper !== null) return (g.upper - g.lower) / (2 * z);
    return Number.NaN;
  });
  const ses = maybeSes.every((s) => Number.isFinite(s) && s >= 0) ? maybeSes : null;
  return { ok: true, data: { labels, values: groups.map((g) => g.value), populations, ses, orders } };
}

/**
 * Weighted mid-point rank of each subgroup on (0, 1), ranked from most disadvantaged (order 1)
 * upwards, as healthequal computes it: rank_j = (C_{j-1} + P_j / 2) / N with C the cumulative
 * population. Subgroups sharing an order share the block's mid-point (healthequal's
 * group_by(subgroup_order)). Returned in input order.
 */
export function ridits(orders: readonly number[], populations: readonly number[]): number[] {
  const indices = orders.map((_, i) => i).sort((a, b) => (orders[a] as number) - (orders[b] as number) || a - b);
  const total = populations.reduce((s, p) => s + p, 0);
  const rank = new Array<number>(orders.length).fill(0);
  let cumulative = 0;
  let k = 0;
  while (k < indices.length) {
    const order = orders[indices[k] as number] as number;
    let blockPopulation = 0;
    let end = k;
    while (end < indices.length && orders[indices[end] as number] === order) {
      blockPopulation += populations[indices[end] as number] as number;
      end++;
    }
    const mid = (cumulative + blockPopulation / 2) / total;
    for (let j = k; j < end; j++) rank[indices[j] as number] = mid;
    cumulative += blockPopulation;
    k = end;
  }
  return rank;
}

/** Population shares p_j / sum(p). */
export function shares(populations: readonly number[]): number[] {
  const total = populations.reduce((s, p) => s + p, 0);
  return populations.map((p) => p / total);
}

/** Population-weighted mean sum(w_j y_j) — HEAT's "setting average" when no national figure is given. */
export function weightedMean(values: ArrayLike<number>, weights: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < weights.length; i++) s += (weights[i] as number) * (values[i] as number);
  return s;
}

/** Index of the first maximum / minimum (healthequal's ties produce several rows; we take the first). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}
export function argMin(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) < (values[best] as number)) best = i;
  return best;
}

/** Symmetric normal intervals estimate +/- z se, optionally built on the log scale and exponentiated. */
export function normalIntervals(estimate: number, se: number, levels: readonly number[], scale: 'natural' | 'log' = 'natural'): Interval[] {
  return levels.map((confidence) => {
    const half = twoSidedZComplement(confidence) * se;
    if (scale === 'log') {
      const centre = Math.log(estimate);
      return { confidence, lower: Math.exp(centre - half), upper: Math.exp(centre + half) };
    }
    return { confidence, lower: estimate - half, upper: estimate + half };
  });
}

export function emptyIntervals(levels: readonly number[]): Interval[] {
  return levels.map((confidence) => ({ confidence, lower: null, upper: null }));
}

/** A result with no estimate, saying why. */
export function unavailable(measure: string, method: string, options: WhoOptions, reason: string): MeasureResult {
  return { measure, estimate: null, intervals: emptyIntervals(confidenceLevels(options)), method, intervalMethod: 'none', reason };
}

/** The reason standard errors are needed and missing. */
export const MISSING_SE = 'standard errors (or confidence limits) are missing for some subgroups, so no interval is computed';

/** Picks the variant named in options.method among a measure's accepted variants (first = default). */
export function chooseVariant<const T extends string>(options: WhoOptions, variants: readonly T[]): T | { invalid: string } {
  if (options.method === undefined || options.method === '') return variants[0] as T;
  const found = variants.find((v) => v === options.method);
  return found ?? { invalid: `unknown method "${options.method}"; expected one of ${variants.join(', ')}` };
}
