/**
 * The Monte Carlo intervals against cases whose answer is known exactly, so that both the limits
 * and their reported simulation error are checked.
 */
import { describe, expect, it } from 'vitest';
import type { GroupInput } from './measure.ts';
import { meanDifferenceFromReferenceUnweighted } from './who.dispersion.ts';
import { normalCdf, normalQuantile, twoSidedZComplement as twoSidedZ } from '../../numeric/normal.ts';
import { simulateIntervals } from './who.simulation.ts';

describe('simulateIntervals', () => {
  it('reproduces the quantiles of a truncated normal (the draws healthequal makes at scale 100)', () => {
    // One subgroup at 99 with se 5 on a 0-100 scale: the draws follow Normal(99, 5) cut to
    // [0, 100], whose p-quantile is 99 + 5 Phi^-1(Phi(-19.8) + p (Phi(0.2) - Phi(-19.8))).
    const exact = (p: number): number => 99 + 5 * normalQuantile(normalCdf(-19.8) + p * (normalCdf(0.2) - normalCdf(-19.8)));
    const outcome = simulateIntervals([99], [5], { reps: 100_000, seed: 3, levels: [0.95, 0.5], scale: 100 }, (draw) => draw[0] as number);
    if ('reason' in outcome) throw new Error(outcome.reason);
    outcome.intervals.forEach((interval, k) => {
      const p = (1 - interval.confidence) / 2;
      const se = outcome.simulation.limitStandardErrors[k];
      expect(Math.abs((interval.lower as number) - exact(p))).toBeLessThan(4 * (se?.lower as number));
      expect(Math.abs((interval.upper as number) - exact(1 - p))).toBeLessThan(4 * (se?.upper as number));
      expect(interval.upper as number).toBeLessThanOrEqual(100);
    });
  });

  it('leaves draws unbounded above when the scale is not 100', () => {
    const outcome = simulateIntervals([99], [5], { reps: 20_000, seed: 3, levels: [0.95], scale: 1000 }, (draw) => draw[0] as number);
    if ('reason' in outcome) throw new Error(outcome.reason);
    expect(outcome.intervals[0]?.upper as number).toBeGreaterThan(105);
  });

  it('gives the same interval for the same seed and a different one for another seed', () => {
    const run = (seed: number) => simulateIntervals([20, 40, 60], [3, 4, 5], { reps: 5_000, seed, levels: [0.95], scale: 100 }, (d) => (d[2] as number) - (d[0] as number));
    expect(run(9)).toEqual(run(9));
    expect(run(9)).not.toEqual(run(10));
  });
});

describe('a simulated measure against its exact distribution', () => {
  // Reference far above the others and truncation negligible, so MDRU = (2 y_ref - y_1 - y_2) / 3
  // is linear in the draws: Normal(130/3, sqrt(4 + 1 + 1) / 3) with se = 1 in every subgroup.
  const groups: GroupInput[] = [
    { group: 'a', population: 10, value: 10, se: 1 },
    { group: 'b', population: 10, value: 20, se: 1 },
    { group: 'ref', population: 10, value: 80, se: 1 },
  ];
  const sd = Math.sqrt(6) / 3;
  const result = meanDifferenceFromReferenceUnweighted(groups, { scale: 1000, favourable: true, reference: 'ref', confidence: [0.95, 0.8], reps: 100_000, seed: 2024 });

  it('has limits within a few simulation standard errors of the exact ones', () => {
    expect(result.estimate).toBeCloseTo(130 / 3, 12);
    result.intervals.forEach((interval, k) => {
      const half = twoSidedZ(interval.confidence) * sd;
      const errors = result.simulation?.limitStandardErrors[k];
      expect(Math.abs((interval.lower as number) - (130 / 3 - half))).toBeLessThan(4 * (errors?.lower as number));
      expect(Math.abs((interval.upper as number) - (130 / 3 + half))).toBeLessThan(4 * (errors?.upper as number));
    });
  });

  it('reports limit standard errors of the size quantile theory predicts', () => {
    // Asymptotic SE of the p-quantile of n draws: sqrt(p (1 - p) / n) / f(q), f the normal density.
    const p = 0.025;
    const density = Math.exp(-0.5 * twoSidedZ(0.95) ** 2) / Math.sqrt(2 * Math.PI) / sd;
    const theory = Math.sqrt((p * (1 - p)) / 100_000) / density;
    const reported = result.simulation?.limitStandardErrors[0]?.lower as number;
    expect(reported).toBeGreaterThan(theory / 2);
    expect(reported).toBeLessThan(theory * 2);
  });
});
