/**
 * Waiting times by the Kaplan-Meier (product-limit) estimator, with the people still waiting
 * counted as censored.
 *
 * Input is aggregated by the database: one row per time t (e.g. days waited) with d events (waits
 * that ended at t: seen, treated) and c censored (people still waiting whose wait so far is t).
 * With N people in all, the number at risk at t_j is n_j = N - sum over earlier times of (d + c);
 * at a time with both, events are taken to precede censoring (the usual convention).
 *
 *   S(t) = prod over t_j <= t of (1 - d_j / n_j)       share whose wait exceeded t
 *   Greenwood: var(log S(t)) = sum over t_j <= t of d_j / (n_j (n_j - d_j)),  se(S) = S sqrt(that)
 *   log-log interval: S^exp(+z sigma) to S^exp(-z sigma), sigma = sqrt(var(log S)) / |log S|
 *   (the default of Stata and SAS PROC LIFETEST; R's survfit with conf.type = "log-log").
 *
 * Centiles of the wait: the p-th centile (p = 0.5 the median, p = 0.9 the time by which 90% have
 * been seen) is the first event time at which S(t) <= 1 - p; where S equals 1 - p exactly over an
 * interval, the mid-point of that interval (as R's survival package). Its confidence interval is
 * Brookmeyer and Crowley's, inverting the log-log test of S(t) = 1 - p with Greenwood's variance:
 * the set of times whose pointwise log-log interval contains 1 - p, read off (as R's
 * quantile.survfit does) as the first times the lower and the upper confidence curves fall to
 * 1 - p. An upper limit that is never reached is reported as null ("not reached").
 *
 * The share of people whose wait exceeded t is S(t); the share seen within t is 1 - S(t) (its
 * limits are 1 minus S's limits, swapped).
 *
 * Sources: Kaplan EL, Meier P. Nonparametric estimation from incomplete observations. J Am Stat
 * Assoc 1958;53:457-481. Greenwood M. The natural duration of cancer. Reports on Public Health and
 * Medical Subjects 33. HMSO 1926. Kalbfleisch JD, Prentice RL. The statistical analysis of failure
 * time data. Wiley 1980 (log-log limits). Brookmeyer R, Crowley J. A confidence interval for the
 * median survival time. Biometrics 1982;38:29-41. Klein JP, Moeschberger ML. Survival analysis,
 * 2nd ed. Springer 2003, sections 4.2-4.5.
 */
import type { GroupInput, Interval, MeasureOptions, MeasureResult } from './measure.ts';
import { twoSidedZ } from '../../numeric/normal.ts';
import { checkConfidence, noEstimate } from './phe.common.ts';

export const KM_METHOD =
  'Kaplan-Meier estimate of waiting time with people still waiting censored; Greenwood variance, log-log intervals; centile intervals by Brookmeyer-Crowley';

export interface WaitRow {
  time: number;
  /** Waits that ended at this time. */
  events: number;
  /** People still waiting whose wait so far is this time. */
  censored: number;
}

export interface CurvePoint {
  time: number;
  atRisk: number;
  events: number;
  censored: number;
  /** S(t): the share whose wait exceeded this time. */
  survival: number;
  /** Greenwood standard error of S(t). */
  standardError: number | null;
  intervals: Interval[];
}

export interface KaplanMeier {
  total: number;
  totalEvents: number;
  /** Every distinct time in the input, in order. */
  points: CurvePoint[];
  confidence: readonly number[];
}

const EXACT_TOLERANCE = 1e-12;

function logLogInterval(survival: number, greenwood: number, confidence: number): Interval {
  if (survival <= 0 || !Number.isFinite(greenwood)) return { confidence, lower: null, upper: null };
  if (survival >= 1) return { confidence, lower: 1, upper: 1 };
  const sigma = Math.sqrt(greenwood) / Math.abs(Math.log(survival));
  const z = twoSidedZ(confidence);
  return { confidence, lower: survival ** Math.exp(z * sigma), upper: survival ** Math.exp(-z * sigma) };
}

/** Fits the Kaplan-Meier curve to aggregated rows (rows at the same time are added together). */
export function kaplanMeier(rows: readonly WaitRow[], confidence: readonly number[]): KaplanMeier {
  checkConfidence(confidence);
  const byTime = new Map<number, { events: number; censored: number }>();
  for (const [i, r] of rows.entries()) {
    if (!Number.isFinite(r.time) || r.time < 0) throw new Error(`row ${i + 1}: times must be finite and zero or more, got ${r.time}`);
    if (!(r.events >= 0) || !Number.isFinite(r.events)) throw new Error(`row ${i + 1}: events must be zero or more, got ${r.events}`);
    if (!(r.censored >= 0) || !Number.isFinite(r.censored)) throw new Error(`row ${i + 1}: censored must be zero or more, got ${r.censored}`);
    const at = byTime.get(r.time) ?? { events: 0, censored: 0 };
    at.events += r.events;
    at.censored += r.censored;
    byTime.set(r.time, at);
  }
  const times = [...byTime.keys()].sort((a, b) => a - b);
  const total = times.reduce((s, t) => s + byTime.get(t)!.events + byTime.get(t)!.censored, 0);
  let atRisk = total;
  let survival = 1;
  let greenwood = 0;
  let totalEvents = 0;
  const points: CurvePoint[] = [];
  for (const time of times) {
    const { events, censored } = byTime.get(time)!;
    if (events > 0) {
      survival *= 1 - events / atRisk;
      greenwood = atRisk > events ? greenwood + events / (atRisk * (atRisk - events)) : Number.POSITIVE_INFINITY;
      totalEvents += events;
    }
    points.push({
      time,
      atRisk,
      events,
      censored,
      survival,
      standardError: Number.isFinite(greenwood) && survival > 0 ? survival * Math.sqrt(greenwood) : null,
      intervals: confidence.map((c) => logLogInterval(survival, greenwood, c)),
    });
    atRisk -= events + censored;
  }
  return { total, totalEvents, points, confidence };
}

/** S(t) and its intervals: the share whose wait exceeded t. */
export function survivalAt(km: KaplanMeier, t: number): { survival: number; intervals: Interval[] } {
  let last: CurvePoint | null = null;
  for (const p of km.points) {
    if (p.time > t) break;
    last = p;
  }
  if (last === null) return { survival: 1, intervals: km.confidence.map((c) => ({ confidence: c, lower: 1, upper: 1 })) };
  return { survival: last.survival, intervals: last.intervals };
}

/**
 * First event time at which `curve` (survival or a confidence curve) is at or below 1 - p, with the
 * mid-point rule where it equals 1 - p exactly; null when it never gets there.
 */
function crossing(km: KaplanMeier, p: number, curve: (point: CurvePoint) => number | null): number | null {
  const target = 1 - p;
  const eventPoints = km.points.filter((pt) => pt.events > 0);
  for (let j = 0; j < eventPoints.length; j++) {
    const value = curve(eventPoints[j]!);
    if (value === null) continue;
    if (value <= target + EXACT_TOLERANCE) {
      if (Math.abs(value - target) <= EXACT_TOLERANCE) {
        // Flat at exactly 1 - p until the curve next drops: take the mid-point.
        for (let k = j + 1; k < eventPoints.length; k++) {
          const next = curve(eventPoints[k]!);
          if (next !== null && next < value - EXACT_TOLERANCE) return (eventPoints[j]!.time + eventPoints[k]!.time) / 2;
        }
      }
      return eventPoints[j]!.time;
    }
  }
  return null;
}

export interface CentileEstimate {
  probability: number;
  estimate: number | null;
  intervals: Interval[];
}

/** The p-th centile of the wait with Brookmeyer-Crowley (log-log, Greenwood) limits. */
export function waitCentile(km: KaplanMeier, p: number): CentileEstimate {
  if (!(p > 0 && p < 1)) throw new Error(`centiles must be probabilities strictly between 0 and 1, got ${p}`);
  const estimate = crossing(km, p, (pt) => pt.survival);
  const intervals = km.confidence.map((c, k) => ({
    confidence: c,
    lower: crossing(km, p, (pt) => pt.intervals[k]!.lower),
    upper: crossing(km, p, (pt) => pt.intervals[k]!.upper),
  }));
  return { probability: p, estimate, intervals };
}

/**
 * The `km` measure. Rows: `order` is the time (in any unit: days, weeks), `count` the waits that
 * ended at that time and `censored` the people still waiting whose wait so far is that time;
 * `group` is a label only, and `population` and `value` are not used. Options: `centiles`
 * (default [0.5, 0.9]) and `times` at which to report the share still waiting (S(t)) and the share
 * seen within t (1 - S(t)). The estimate is the median wait.
 */
export function kmMeasure(groups: readonly GroupInput[], options: MeasureOptions): MeasureResult {
  checkConfidence(options.confidence);
  const rows: WaitRow[] = groups.map((g, i) => {
    const time = g.order ?? Number(g.group);
    if (!Number.isFinite(time)) throw new Error(`km row ${i + 1} (${g.group}): the time goes in 'order' (or a numeric 'group')`);
    return { time, events: g.count ?? 0, censored: g.censored ?? 0 };
  });
  const km = kaplanMeier(rows, options.confidence);
  const centiles = (options.centiles ?? [0.5, 0.9]).map((p) => waitCentile(km, p));
  const median = waitCentile(km, 0.5);
  const exceeding = (options.times ?? []).map((t) => {
    const s = survivalAt(km, t);
    return {
      time: t,
      waitedLongerThan: { estimate: s.survival, intervals: s.intervals },
      seenWithin: {
        estimate: 1 - s.survival,
        intervals: s.intervals.map((i) => ({ confidence: i.confidence, lower: i.upper === null ? null : 1 - i.upper, upper: i.lower === null ? null : 1 - i.lower })),
      },
    };
  });
  const extra = {
    total: km.total,
    events: km.totalEvents,
    stillWaiting: km.total - km.totalEvents,
    centiles,
    exceeding,
    curve: km.points.map((p) => ({ time: p.time, atRisk: p.atRisk, events: p.events, censored: p.censored, survival: p.survival, standardError: p.standardError, intervals: p.intervals })),
  };
  if (km.total === 0) return noEstimate('km', KM_METHOD, options, 'there are no waits', extra);
  if (median.estimate === null) {
    return { ...noEstimate('km', KM_METHOD, options, 'the median wait is not reached: fewer than half the waits have ended', extra), intervals: median.intervals };
  }
  return { measure: 'km', estimate: median.estimate, intervals: median.intervals, method: KM_METHOD, intervalMethod: 'analytic', ...extra };
}
