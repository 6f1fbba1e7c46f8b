/**
 * Funnel plot control limits for crude rates (referrals per 1,000 population) around a target
 * rate, as Public Health England's funnel plot method for rates (PHEindicatormethods
 * `calculate_funnel_limits(statistic = "rate")`; PHE Fingertips technical guidance).
 *
 * For a target rate r (events per person) and a two-sided level c, each number of events x on the
 * funnel line sits at the population where x is exactly on the edge of being significant:
 *
 *   lower limit: the population n at which P(X <= x | mean r n) = (1 - c) / 2, so
 *                r n = exact Poisson upper limit of x = qchisq(c + (1 - c) / 2, 2x + 2) / 2
 *   upper limit: the population n at which P(X >= x | mean r n) = (1 - c) / 2, so
 *                r n = exact Poisson lower limit of x = qchisq((1 - c) / 2, 2x) / 2
 *
 * and the limit is x / n (times the multiplier). An area is outside the limits exactly when its own
 * exact Poisson interval at level c excludes the target rate, which is how areas are classified.
 * 95% limits are about 2 standard deviations, 99.8% about 3.
 *
 * Source: Spiegelhalter DJ. Funnel plots for comparing institutional performance. Stat Med
 * 2005;24:1185-1202; PHE Fingertips technical guidance, funnel plots for rates.
 */
import { exactPoissonLower, exactPoissonUpper } from '../measures/rate.ts';

export const FUNNEL_METHOD = 'funnel plot, exact Poisson control limits around the service-wide rate (Spiegelhalter 2005; PHE Fingertips method for rates)';

export interface FunnelLimitPoint {
  /** Events on the funnel line. */
  events: number;
  /** Population at which `events` sits on the lower (lowerPopulation) or upper (upperPopulation) limit. */
  lowerPopulation: number;
  upperPopulation: number;
  /** The limits as rates (times the multiplier). */
  lower: number;
  upper: number;
}

/** One point of each limit for `events` events at a target rate (events per person). */
export function funnelLimitAt(events: number, targetRate: number, confidence: number, multiplier: number): FunnelLimitPoint {
  if (!(targetRate > 0)) throw new RangeError(`the target rate must be greater than zero, got ${targetRate}`);
  if (!(events > 0)) throw new RangeError(`the number of events must be greater than zero, got ${events}`);
  const lowerPopulation = exactPoissonUpper(events, confidence) / targetRate;
  const upperPopulation = exactPoissonLower(events, confidence) / targetRate;
  return {
    events,
    lowerPopulation,
    upperPopulation,
    lower: (events / lowerPopulation) * multiplier,
    upper: (events / upperPopulation) * multiplier,
  };
}

export interface FunnelLine {
  confidence: number;
  /** Points (population, rate) of the lower and upper limits, ascending by population. */
  lower: { population: number; rate: number }[];
  upper: { population: number; rate: number }[];
}

/**
 * The two limit lines at `confidence` over populations from `minPopulation` to `maxPopulation`,
 * traced on a geometric grid of event counts (as PHE does) and clipped to the population range.
 */
export function funnelLines(
  targetRate: number,
  confidence: number,
  minPopulation: number,
  maxPopulation: number,
  multiplier: number,
  steps = 80,
): FunnelLine {
  if (!(maxPopulation > minPopulation) || !(minPopulation >= 0)) throw new RangeError('the population range must be increasing');
  // Event counts whose limit populations cover the range: x from about r * min / 4 to r * max * 1.5 + 10.
  const first = Math.max(1, targetRate * minPopulation * 0.25);
  const last = Math.max(first + 10, targetRate * maxPopulation * 1.5 + 10);
  const lower: FunnelLine['lower'] = [];
  const upper: FunnelLine['upper'] = [];
  for (let i = 0; i <= steps; i++) {
    const events = first * (last / first) ** (i / steps);
    const point = funnelLimitAt(events, targetRate, confidence, multiplier);
    if (point.lowerPopulation >= minPopulation && point.lowerPopulation <= maxPopulation) lower.push({ population: point.lowerPopulation, rate: point.lower });
    if (point.upperPopulation >= minPopulation && point.upperPopulation <= maxPopulation) upper.push({ population: point.upperPopulation, rate: point.upper });
  }
  return { confidence, lower, upper };
}

export type FunnelPosition = 'above-99.8' | 'above-95' | 'within' | 'below-95' | 'below-99.8';

/** Where an area with `events` in `population` lies against the funnel around `targetRate`. */
export function funnelPosition(events: number, population: number, targetRate: number): FunnelPosition {
  if (!(population > 0)) throw new RangeError(`the population must be greater than zero, got ${population}`);
  const expected = targetRate * population;
  const outside = (confidence: number): 'above' | 'below' | null => {
    if (exactPoissonLower(events, confidence) > expected) return 'above';
    if (exactPoissonUpper(events, confidence) < expected) return 'below';
    return null;
  };
  const wide = outside(0.998);
  if (wide) return `${wide}-99.8`;
  const narrow = outside(0.95);
  return narrow ? `${narrow}-95` : 'within';
}
