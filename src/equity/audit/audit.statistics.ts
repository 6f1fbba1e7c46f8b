/**
 * The audit's statistics, computed from disclosed counts ("rates from rounded counts") with the
 * measures in ../measures, and withheld (null) whenever a count they depend on is hidden. Each
 * function takes disclosed counts (a number, or null when hidden) and returns an `Estimate` at one
 * confidence level, or null.
 *
 * Two statistics are not functions of counts and use the raw data: waits (a Kaplan-Meier median
 * is one person's wait, not a count) and the PROM mean change (from the sums n, sum x, sum x^2).
 * They are withheld when the counts they rest on are hidden, and waits also when fewer than 10
 * people were seen.
 */
import type { OutcomeInstrument } from '../../domain/codes.ts';
import { ageBands } from './audit.dimensions.ts';
import type { DisclosedCount, Estimate, PromSummary, WaitCount, WaitSummary } from './audit.model.ts';
import { twoSidedZ } from '../../numeric/normal.ts';
import { DSR_METHOD, directlyStandardisedRate } from '../measures/dsr.ts';
import { ISR_METHOD, indirectlyStandardisedRatio } from '../measures/isr.ts';
import { KM_METHOD, kaplanMeier, survivalAt, waitCentile } from '../measures/km.ts';
import { MEAN_METHOD, meanWithTInterval } from '../measures/mean.ts';
import { RATE_METHOD, rate } from '../measures/rate.ts';
import { RII_DEFINITION, SII_METHODS, slopeIndexOfInequality } from '../measures/sii.ts';
import { WILSON_METHOD, proportion } from '../measures/wilson.ts';
import { nhsDisclosureRule, shareIsSafe, type DisclosureRule } from '../../disclosure/disclosure.ts';

const FROM_DISCLOSED = 'computed from the counts as disclosed (rounded)';

/** Fewer people seen than this and waits are not shown (a centile of a handful of waits is one person's wait). */
export const MINIMUM_SEEN_FOR_WAITS = 10;

/** Share of people waiting longer than 6, 18 and 52 weeks. */
export const WAIT_THRESHOLDS_DAYS = { over6Weeks: 42, over18Weeks: 126, over52Weeks: 364 } as const;

/** Referrals per 1,000 population with PHE's limits (exact Poisson under 10, Byar from 10). */
export function ratePer1000(count: DisclosedCount, population: number | null, confidence: number): Estimate | null {
  if (count === null || population === null || !(population > 0)) return null;
  const estimate = rate(count, population, [confidence], 1000);
  const interval = estimate.intervals[0]!;
  return { value: estimate.value, lower: interval.lower, upper: interval.upper, method: `${RATE_METHOD}; ${FROM_DISCLOSED}` };
}

/**
 * Directly age-standardised referrals per 1,000 (Dobson), ESP 2013 collapsed to the audit's six
 * bands. Every band count must be shown (a hidden band would be revealed by the rate); PHE's rule
 * of no rate under 10 events applies to the disclosed total; every band needs a population.
 */
export function standardisedRatePer1000(bandCounts: readonly DisclosedCount[] | null, bandPopulations: Record<string, number> | null, confidence: number): Estimate | null {
  if (bandCounts === null || bandPopulations === null || bandCounts.length !== ageBands.length) return null;
  if (bandCounts.some((c) => c === null)) return null;
  const bands = ageBands.map((band, b) => ({ count: bandCounts[b] as number, population: bandPopulations[band.code] ?? 0, standardPopulation: band.esp2013 }));
  if (bands.some((b) => !(b.population > 0))) return null;
  const dsr = directlyStandardisedRate(bands, [confidence], 1000);
  if (dsr.value === null) return null;
  const interval = dsr.intervals[0]!;
  return {
    value: dsr.value,
    lower: interval.lower,
    upper: interval.upper,
    method: `${DSR_METHOD}; European Standard Population 2013 collapsed to six age bands; ${FROM_DISCLOSED} by age band`,
  };
}

/**
 * Access relative to need: observed referrals over those expected if the group were referred at
 * the catchment's rate for each age band (indirect standardisation), with exact / Byar limits on
 * the observed count. Observed and expected both leave out people of unknown age, so across an
 * additive dimension they add up to the same total.
 */
export function accessRatio(
  bandCounts: readonly DisclosedCount[] | null,
  bandPopulations: Record<string, number> | null,
  referenceCounts: readonly DisclosedCount[] | null,
  referencePopulations: Record<string, number> | null,
  confidence: number,
): (Estimate & { observed: number; expected: number }) | null {
  if (bandCounts === null || bandPopulations === null || referenceCounts === null || referencePopulations === null) return null;
  if (bandCounts.some((c) => c === null) || referenceCounts.some((c) => c === null)) return null;
  const bands = ageBands.map((band, b) => ({
    observed: bandCounts[b] as number,
    population: bandPopulations[band.code] ?? 0,
    referenceCount: referenceCounts[b] as number,
    referencePopulation: referencePopulations[band.code] ?? 0,
  }));
  if (bands.some((b) => !(b.referencePopulation > 0) || !(b.population >= 0))) return null;
  const isr = indirectlyStandardisedRatio(bands, [confidence]);
  if (isr.value === null) return null;
  const interval = isr.intervals[0]!;
  return {
    value: isr.value,
    lower: interval.lower,
    upper: interval.upper,
    method: `${ISR_METHOD}; expected from the catchment's referral rate in each age band; ${FROM_DISCLOSED}`,
    observed: isr.observed,
    expected: isr.expected,
  };
}

/** Did-not-attend contacts as a share of attended and did-not-attend contacts (Wilson). */
export function didNotAttendRate(didNotAttend: DisclosedCount, attended: DisclosedCount, confidence: number): Estimate | null {
  if (didNotAttend === null || attended === null) return null;
  const booked = didNotAttend + attended;
  if (!(booked > 0)) return null;
  const p = proportion(didNotAttend, booked, [confidence]);
  const interval = p.intervals[0]!;
  return { value: p.value, lower: interval.lower, upper: interval.upper, method: `${WILSON_METHOD}; ${FROM_DISCLOSED}` };
}

/**
 * Mean and t interval from the sums a database returns (n, sum x, sum x^2). meanWithTInterval
 * takes observations; two weighted points m -/+ d, each with weight n / 2, have exactly mean m and
 * sum of squared deviations n d^2, so d = sqrt((sum x^2 - (sum x)^2 / n) / n) reproduces the
 * sample's mean and standard deviation (and so its t interval) exactly.
 */
export function meanFromSums(n: number, sum: number, sumOfSquares: number, confidence: number): Estimate | null {
  if (!(n >= 2)) return null;
  const mean = sum / n;
  const squaredDeviations = Math.max(0, sumOfSquares - (sum * sum) / n);
  const d = Math.sqrt(squaredDeviations / n);
  const m = meanWithTInterval([{ value: mean - d, frequency: n / 2 }, { value: mean + d, frequency: n / 2 }], [confidence]);
  const interval = m.intervals[0]!;
  // The mean itself straight from the sums (the two-point route can be an ulp off).
  return { value: mean, lower: interval.lower, upper: interval.upper, method: `${MEAN_METHOD}; from the raw sums of the change scores` };
}

/** PROM change for one instrument: pairs and improved as disclosed, mean change and share improved. */
export function promSummary(
  instrument: OutcomeInstrument,
  pairs: DisclosedCount,
  improved: DisclosedCount,
  raw: { pairs: number; sumChange: number; sumSquaredChange: number } | null,
  meaningfulChange: number,
  confidence: number,
): PromSummary {
  const meanChange = pairs !== null && pairs > 0 && raw !== null ? meanFromSums(raw.pairs, raw.sumChange, raw.sumSquaredChange, confidence) : null;
  let improvedShare: Estimate | null = null;
  if (pairs !== null && improved !== null && pairs > 0 && improved <= pairs) {
    const p = proportion(improved, pairs, [confidence]);
    improvedShare = { value: p.value, lower: p.intervals[0]!.lower, upper: p.intervals[0]!.upper, method: `${WILSON_METHOD}; ${FROM_DISCLOSED}` };
  }
  return { instrument, pairs, meanChange, improved, improvedShare, meaningfulChange };
}

const noWaits = (): WaitSummary => ({ medianWeeks: null, p90Weeks: null, over6Weeks: null, over18Weeks: null, over52Weeks: null });

/**
 * Waits to first contact by Kaplan-Meier, people still waiting censored: median and 90th centile
 * in weeks (Brookmeyer-Crowley limits; an upper limit not reached is null) and the share waiting
 * longer than 6, 18 and 52 weeks, S(t) at 42, 126 and 364 days (log-log limits). Computed from the
 * raw waits; withheld when the group's episodes or seen count is hidden or fewer than 10 people
 * were seen. A share beyond the longest wait observed is not estimable unless everybody had been
 * seen by then, and is null. A share that would give a small count back (share x episodes, raw or
 * as shown, or its complement, from 1 to the rule's limit) is withheld (`shareIsSafe`).
 */
export function waitSummary(
  waits: readonly WaitCount[],
  episodes: DisclosedCount,
  seen: DisclosedCount,
  confidence: number,
  rule: DisclosureRule = nhsDisclosureRule,
): WaitSummary {
  if (episodes === null || seen === null) return noWaits();
  const km = kaplanMeier(
    waits.map((w) => ({ time: w.days, events: w.seen, censored: w.censored })),
    [confidence],
  );
  if (km.totalEvents < MINIMUM_SEEN_FOR_WAITS) return noWaits();
  const method = `${KM_METHOD}; from the raw waits`;
  const weeks = (days: number | null) => (days === null ? null : days / 7);
  const centile = (p: number): Estimate | null => {
    const c = waitCentile(km, p);
    if (c.estimate === null) return null;
    return { value: c.estimate / 7, lower: weeks(c.intervals[0]!.lower), upper: weeks(c.intervals[0]!.upper), method };
  };
  const last = km.points[km.points.length - 1]!;
  const denominators = [waits.reduce((sum, w) => sum + w.seen + w.censored, 0), episodes];
  const over = (days: number): Estimate | null => {
    if (last.time < days && last.survival > 0) return null;
    const s = survivalAt(km, days);
    if (!shareIsSafe(s.survival, denominators, rule)) return null;
    return { value: s.survival, lower: s.intervals[0]!.lower, upper: s.intervals[0]!.upper, method };
  };
  return {
    medianWeeks: centile(0.5),
    p90Weeks: centile(0.9),
    over6Weeks: over(WAIT_THRESHOLDS_DAYS.over6Weeks),
    over18Weeks: over(WAIT_THRESHOLDS_DAYS.over18Weeks),
    over52Weeks: over(WAIT_THRESHOLDS_DAYS.over52Weeks),
  };
}

export interface OrderedGroupRate {
  group: string;
  order: number;
  count: DisclosedCount;
  population: number | null;
}

export const RATE_RATIO_METHOD =
  'rate ratio of referrals per 1,000, most deprived (order 1) over least deprived (highest order); interval exp(ln RR -/+ z sqrt(1/O1 + 1/O2)) for Poisson counts; computed from the counts as disclosed (rounded)';

/**
 * Rate ratio of the most to the least deprived group with the log-scale interval for two Poisson
 * counts: RR = (O1 / P1) / (O2 / P2), limits exp(ln RR -/+ z sqrt(1 / O1 + 1 / O2)). Both counts
 * must be shown and above zero. (Rothman KJ, Greenland S. Modern epidemiology, 2nd ed. 1998,
 * chapter 14.)
 */
export function rateRatio(most: OrderedGroupRate, least: OrderedGroupRate, confidence: number): Estimate | null {
  if (most.count === null || least.count === null || !(most.count > 0) || !(least.count > 0)) return null;
  if (most.population === null || least.population === null || !(most.population > 0) || !(least.population > 0)) return null;
  const ratio = most.count / most.population / (least.count / least.population);
  const spread = twoSidedZ(confidence) * Math.sqrt(1 / most.count + 1 / least.count);
  return { value: ratio, lower: ratio * Math.exp(-spread), upper: ratio * Math.exp(spread), method: RATE_RATIO_METHOD };
}

/** Seed of the Monte Carlo intervals, fixed so that the same audit always gives the same answer. */
export const SII_SEED = 1;
export const SII_REPS = 100_000;

/**
 * PHE slope and relative index of inequality of referrals per 1,000 across the ordered groups,
 * value type rate with PHE's log transform (so the intervals are analytic; the seed is used only
 * if phe_sii's method ever needs simulation). The sign is set so that both read in the same
 * direction as the rate ratio: SII = fitted rate at the most deprived end minus at the least
 * deprived end; RII = fitted rate at the most deprived end over the least deprived end (PHE's
 * RII, inverted as phe_sii inverts it for this sign). Every group needs a shown count above zero
 * and a population.
 */
export function inequalityIndices(groups: readonly OrderedGroupRate[], confidence: number): { sii: Estimate | null; rii: Estimate | null } {
  if (groups.length < 2) return { sii: null, rii: null };
  if (groups.some((g) => g.count === null || !(g.count > 0) || g.population === null || !(g.population > 0))) return { sii: null, rii: null };
  const result = slopeIndexOfInequality(
    groups.map((g) => ({
      group: g.group,
      order: g.order,
      population: g.population as number,
      value: ((g.count as number) / (g.population as number)) * 1000,
      count: g.count as number,
      denominator: g.population as number,
    })),
    { valueType: 'rate', transform: true, scale: 1000, favourable: false, confidence: [confidence], reps: SII_REPS, seed: SII_SEED, rii: true },
  );
  const note = `; ${FROM_DISCLOSED}; intervals ${result.siiIntervalMethod === 'analytic' ? 'analytic' : `Monte Carlo, seed ${SII_SEED}`}`;
  const siiInterval = result.siiIntervals[0];
  const riiInterval = result.riiIntervals?.[0];
  return {
    sii: {
      value: result.sii,
      lower: siiInterval?.lower ?? null,
      upper: siiInterval?.upper ?? null,
      method: `${SII_METHODS.phe}; referrals per 1,000, log transform; fitted rate at the most deprived end minus the least deprived end${note}`,
    },
    rii: {
      value: result.rii,
      lower: riiInterval?.lower ?? null,
      upper: riiInterval?.upper ?? null,
      method: `${RII_DEFINITION}, inverted for this direction: fitted rate at the most deprived end over the least deprived end${note}`,
    },
  };
}
