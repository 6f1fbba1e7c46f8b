/**
 * The shape every equity measure shares, so that `roots measure <name>`, the audit and the API
 * can all call any measure the same way.
 *
 * A measure is a pure function: plain data in, result out. Randomness (Monte Carlo intervals)
 * comes only from the `seed` in the options, so the same call gives the same answer.
 */

/** One row of input: a population subgroup (a deprivation decile, an ethnic group, an area...). */
export interface GroupInput {
  /** Label of the subgroup. */
  group: string;
  /** Rank for ordered dimensions: 1 = most disadvantaged. Absent for unordered dimensions. */
  order?: number;
  /** Population of the subgroup (weights). */
  population: number;
  /** The indicator value in the subgroup, on the measure's scale (e.g. per 100 or per 1,000). */
  value: number;
  /** Standard error of `value`. */
  se?: number;
  /** Confidence limits of `value` (used to derive `se` when `se` is absent). */
  lower?: number;
  upper?: number;
  /** Numerator and denominator, when the value is a count-based rate or proportion. */
  count?: number;
  denominator?: number;
  /**
   * Population of this quantile in the national (reference) distribution, e.g. England's
   * population in this IMD decile. NHS England's "new" SII places each quantile at the mid-point
   * of the national cumulative population share instead of the local one.
   */
  nationalPopulation?: number;
  /** Waiting-time rows: people still waiting whose wait so far equals this row's time (censored). */
  censored?: number;
  /** Age-band rows of a directly standardised rate: the standard population of the band. */
  standardPopulation?: number;
  /** Age-band rows of an indirectly standardised ratio: events and population in the reference population. */
  referenceCount?: number;
  referencePopulation?: number;
}

export type ValueType = 'normal' | 'rate' | 'proportion';

export interface MeasureOptions {
  valueType: ValueType;
  /** Transform to the log (rate) or logit (proportion) scale for the fit, back-transforming the result. */
  transform: boolean;
  /** Scale of the value: 100 for percentages, 1000 for rates per 1,000, 1 for plain numbers. */
  scale: number;
  /** Whether a higher value is favourable (true) or adverse (false). */
  favourable: boolean;
  /** Reference group label, for measures compared to a reference. */
  reference?: string;
  /** Confidence levels, e.g. [0.95, 0.998]. */
  confidence: number[];
  /** Monte Carlo repetitions, for measures whose interval is simulated. */
  reps: number;
  /** Seed for Monte Carlo intervals. */
  seed: number;
  /** Variant, where a measure has more than one published method. */
  method?: string;
  /** Confidence level of the supplied `lower`/`upper` limits (default 0.95). */
  inputConfidence?: number;
  /** Waiting times: centiles of the wait to report, as probabilities (e.g. [0.5, 0.9]). */
  centiles?: number[];
  /** Waiting times: times (in the input's unit) at which to report the share still waiting. */
  times?: number[];
}

export interface Interval {
  confidence: number;
  lower: number | null;
  upper: number | null;
}

export interface MeasureResult {
  measure: string;
  estimate: number | null;
  intervals: Interval[];
  /** Method name and source, e.g. "PHE slope index of inequality (PHEindicatormethods phe_sii)". */
  method: string;
  /** How the intervals were obtained. */
  intervalMethod?: 'analytic' | 'monte-carlo' | 'exact' | 'numerical' | 'none';
  /** Monte Carlo: repetitions used and the estimated simulation error of each limit. */
  simulation?: { reps: number; seed: number; limitStandardErrors: { confidence: number; lower: number; upper: number }[] };
  /** Why no estimate was produced, when `estimate` is null. */
  reason?: string;
  /** Any further named values (standard errors, intercepts, the other scale...). */
  [extra: string]: unknown;
}

/** A measure's entry in the registry used by `roots measure`. */
export interface MeasureDefinition {
  name: string;
  /** One-line description for `roots measure --help`. */
  summary: string;
  /** Whether the dimension must be ordered (an `order` column). */
  requiresOrder: boolean;
  /** Method variants accepted by `--method`; the first is the default. */
  methods?: string[];
  compute(groups: GroupInput[], options: MeasureOptions): MeasureResult;
}
