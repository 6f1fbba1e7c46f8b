/**
 * Small pieces shared by the PHE / NHS England measures: checking options, and the shape of a
 * result that has no estimate.
 */
import type { GroupInput, Interval, MeasureOptions, MeasureResult } from './measure.ts';

/** Throws unless every confidence level is a probability strictly between 0 and 1. */
export function checkConfidence(confidence: readonly number[]): void {
  if (confidence.length === 0) throw new Error('at least one confidence level is required');
  for (const c of confidence) {
    if (!(c > 0 && c < 1)) throw new Error(`confidence levels must lie strictly between 0 and 1 (e.g. 0.95), got ${c}`);
  }
}

export function emptyIntervals(confidence: readonly number[]): Interval[] {
  return confidence.map((c) => ({ confidence: c, lower: null, upper: null }));
}

/** A result with no estimate, saying why. */
export function noEstimate(measure: string, method: string, options: Pick<MeasureOptions, 'confidence'>, reason: string, extra: Record<string, unknown> = {}): MeasureResult {
  return { measure, estimate: null, intervals: emptyIntervals(options.confidence), method, intervalMethod: 'none', reason, ...extra };
}

/** The events and denominator of a count-based row (denominator falls back to population). */
export function countAndDenominator(group: GroupInput): { count: number; denominator: number } | null {
  const denominator = group.denominator ?? group.population;
  if (group.count === undefined || !Number.isFinite(group.count) || !Number.isFinite(denominator)) return null;
  return { count: group.count, denominator };
}
