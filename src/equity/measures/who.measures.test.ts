/**
 * Behaviour of the WHO HEAT measures beyond the published figures: which subgroups are compared,
 * direction rules, variants, multiple confidence levels, and what happens with unusable input.
 * Expected values are worked by hand from the definitions in each measure's doc comment.
 */
import { describe, expect, it } from 'vitest';
import type { GroupInput } from './measure.ts';
import { populationAttributableFraction, populationAttributableRisk } from './who.attributable.ts';
import { absoluteConcentrationIndex } from './who.concentration.ts';
import {
  betweenGroupStandardDeviation,
  coefficientOfVariation,
  indexOfDisparityWeighted,
  meanDifferenceFromBestUnweighted,
  meanDifferenceFromReferenceUnweighted,
} from './who.dispersion.ts';
import { meanLogDeviation, theilIndex } from './who.entropy.ts';
import { difference, ratio } from './who.pairwise.ts';
import { fitWhoLogistic, whoRelativeIndex, whoSlopeIndex } from './who.regression.ts';
import { twoSidedZComplement as twoSidedZ } from '../../numeric/normal.ts';
import { ridits } from './who.common.ts';
import { fitLogistic, logistic } from './who.glm.ts';

const ordered: GroupInput[] = [
  { group: 'q1', order: 1, population: 78, value: 20, se: 5 },
  { group: 'q2', order: 2, population: 91, value: 30, se: 7 },
  { group: 'q3', order: 3, population: 162, value: 40, se: 10 },
  { group: 'q4', order: 4, population: 103, value: 50, se: 12 },
  { group: 'q5', order: 5, population: 105, value: 60, se: 14 },
];
const regions: GroupInput[] = [
  { group: 'north', population: 300, value: 12, se: 1.5 },
  { group: 'capital', population: 500, value: 8, se: 1 },
  { group: 'south', population: 200, value: 20, se: 2 },
];

describe('D and R', () => {
  it('ordered, favourable: most advantaged minus most disadvantaged, SE from both', () => {
    const d = difference(ordered, { scale: 100, favourable: true, confidence: [0.95, 0.99] });
    expect(d.estimate).toBe(40);
    expect(d.se).toBeCloseTo(Math.hypot(14, 5), 12);
    expect(d.intervals).toHaveLength(2);
    expect(d.intervals[1]?.confidence).toBe(0.99);
    expect(d.intervals[1]?.lower).toBeCloseTo(40 - twoSidedZ(0.99) * Math.hypot(14, 5), 10);
    const r = ratio(ordered, { scale: 100, favourable: true });
    expect(r.estimate).toBe(3);
    // SE(ln R) = sqrt((se1^2 + R^2 se2^2) / y2^2) / R
    const seLog = Math.sqrt((14 ** 2 + 9 * 5 ** 2) / 20 ** 2) / 3;
    expect(r.se).toBeCloseTo(seLog, 12);
    expect(r.intervals[0]?.lower).toBeCloseTo(Math.exp(Math.log(3) - twoSidedZ(0.95) * seLog), 10);
  });

  it('ordered, adverse: most disadvantaged minus most advantaged', () => {
    expect(difference(ordered, { scale: 100, favourable: false }).estimate).toBe(-40);
    expect(ratio(ordered, { scale: 100, favourable: false }).estimate).toBeCloseTo(1 / 3, 14);
  });

  it('non-ordered without a reference: highest minus lowest, whatever the direction', () => {
    expect(difference(regions, { scale: 100, favourable: true }).estimate).toBe(12);
    expect(difference(regions, { scale: 100, favourable: false }).estimate).toBe(12);
    expect(ratio(regions, { scale: 100, favourable: true }).estimate).toBe(2.5);
  });

  it('non-ordered with a reference: reference vs lowest (favourable), highest vs reference (adverse)', () => {
    expect(difference(regions, { scale: 100, favourable: true, reference: 'north' }).estimate).toBe(4);
    expect(difference(regions, { scale: 100, favourable: false, reference: 'north' }).estimate).toBe(8);
    expect(ratio(regions, { scale: 100, favourable: false, reference: 'north' }).estimate).toBeCloseTo(20 / 12, 14);
  });

  it('says why when the reference is unknown, and gives no interval without standard errors', () => {
    const missingRef = difference(regions, { scale: 100, favourable: true, reference: 'east' });
    expect(missingRef.estimate).toBeNull();
    expect(missingRef.reason).toMatch(/east/);
    const noSe = difference(regions.map(({ se: _se, ...g }) => g), { scale: 100, favourable: true });
    expect(noSe.estimate).toBe(12);
    expect(noSe.intervals[0]).toEqual({ confidence: 0.95, lower: null, upper: null });
    expect(noSe.intervalMethod).toBe('none');
  });

  it('derives a standard error from symmetric 95% limits when se is absent', () => {
    const fromLimits = regions.map(({ se, ...g }) => ({ ...g, lower: g.value - 1.959963984540054 * (se as number), upper: g.value + 1.959963984540054 * (se as number) }));
    expect(difference(fromLimits, { scale: 100, favourable: true }).se).toBeCloseTo(Math.hypot(2, 1), 10);
  });
});

describe('WHO SII and RII', () => {
  it('do not depend on the order of the input rows, and refuse unordered dimensions', () => {
    const shuffled = [ordered[3], ordered[0], ordered[4], ordered[2], ordered[1]] as GroupInput[];
    expect(whoSlopeIndex(shuffled, { scale: 100, favourable: true }).estimate).toBeCloseTo(whoSlopeIndex(ordered, { scale: 100, favourable: true }).estimate as number, 10);
    const unordered = whoRelativeIndex(regions, { scale: 100, favourable: true });
    expect(unordered.estimate).toBeNull();
    expect(unordered.reason).toMatch(/ordered/);
  });

  it('refuse when a reconstructed count exceeds the population (a wrong scale)', () => {
    const result = whoSlopeIndex(ordered, { scale: 10, favourable: true });
    expect(result.estimate).toBeNull();
    expect(result.reason).toMatch(/scale/);
  });

  it('weight each subgroup by population squared, as healthequal does', () => {
    // Counts 16, 27, 65, 52, 63 (value / 100 x population, rounded half to even).
    const counts = [16, 27, 65, 52, 63];
    const pops = [78, 91, 162, 103, 105];
    const ranks = ridits([1, 2, 3, 4, 5], pops);
    const siiWith = (weights: number[]): number => {
      const fit = fitLogistic({ x: ranks.map((r) => [1, r]), proportion: counts.map((c, j) => c / (pops[j] as number)), weight: weights });
      const [b0, b1] = fit.coefficients as [number, number];
      return 100 * (logistic(b0 + b1) - logistic(b0));
    };
    const doubled = siiWith(pops.map((p) => p * p));
    const single = siiWith(pops);
    const ours = whoSlopeIndex(ordered, { scale: 100, favourable: true }).estimate as number;
    expect(ours).toBeCloseTo(doubled, 10);
    expect(Math.abs(ours - single)).toBeGreaterThan(1e-3);
  });

  it('rebuild counts with R\'s rounding (halves to even) from rounded-up populations', () => {
    // 50% of 101 = 50.5 -> 50 (Math.round would give 51); 25% of 98.2 -> 25% of 99 = 24.75 -> 25;
    // 30% of 45 = 13.5 -> 14.
    const groups: GroupInput[] = [
      { group: 'a', order: 1, population: 101, value: 50 },
      { group: 'b', order: 2, population: 98.2, value: 25 },
      { group: 'c', order: 3, population: 45, value: 30 },
    ];
    const fitted = fitWhoLogistic(groups, { scale: 100, favourable: true });
    expect(fitted.ok && fitted.value.counts).toEqual([50, 25, 14]);
  });

  it('report the predicted values at both ends and RII = their ratio', () => {
    const sii = whoSlopeIndex(ordered, { scale: 100, favourable: true });
    const rii = whoRelativeIndex(ordered, { scale: 100, favourable: true });
    const predicted = sii.predicted as { rank0: number; rank1: number };
    expect(predicted.rank1 - predicted.rank0).toBeCloseTo(sii.estimate as number, 10);
    expect(predicted.rank1 / predicted.rank0).toBeCloseTo(rii.estimate as number, 10);
  });
});

describe('ridits', () => {
  it('gives mid-point cumulative shares and shares the mid-point within tied orders', () => {
    expect(ridits([1, 2, 3], [10, 20, 70])).toEqual([0.05, 0.2, 0.65]);
    const tied = ridits([2, 1, 2], [30, 40, 30]);
    expect(tied[1]).toBeCloseTo(0.2, 15);
    expect(tied[0]).toBeCloseTo(0.7, 15);
    expect(tied[2]).toBeCloseTo(0.7, 15);
  });
});

describe('PAF and PAR direction and reference rules', () => {
  it('non-ordered adverse: the lowest estimate is the reference, giving a negative PAF', () => {
    const mu = (300 * 12 + 500 * 8 + 200 * 20) / 1000; // 11.6
    const paf = populationAttributableFraction(regions, { scale: 100, favourable: false });
    expect(paf.estimate).toBeCloseTo((100 * (8 - mu)) / mu, 12);
    expect((paf.reference as { groups: string[] }).groups).toEqual(['capital']);
    expect(populationAttributableRisk(regions, { scale: 100, favourable: false }).estimate).toBeCloseTo(8 - mu, 12);
  });

  it('is set to zero when the reference is worse than the average', () => {
    // Ordered, favourable, but the most advantaged subgroup has the lowest value.
    const reversed = ordered.map((g) => ({ ...g, value: 80 - g.value }));
    expect(populationAttributableFraction(reversed, { scale: 100, favourable: true }).estimate).toBe(0);
    expect(populationAttributableRisk(reversed, { scale: 100, favourable: true }).estimate).toBe(0);
  });

  it('uses a declared reference subgroup, as HEAT Plus does', () => {
    const paf = populationAttributableFraction(regions, { scale: 100, favourable: true, reference: 'north' });
    expect(paf.estimate).toBeCloseTo((100 * (12 - 11.6)) / 11.6, 12);
    expect((paf.reference as { rule: string }).rule).toMatch(/declared/);
  });

  it('rejects an unknown method', () => {
    expect(populationAttributableFraction(regions, { scale: 100, favourable: true, method: 'bootstrap' }).reason).toMatch(/unknown method/);
  });
});

describe('TI and MLD variants', () => {
  it('"rescaled" multiplies the interval half-width by 1000 and keeps the estimate', () => {
    const base = theilIndex(regions, { scale: 100, favourable: true });
    const rescaled = theilIndex(regions, { scale: 100, favourable: true, method: 'rescaled' });
    expect(rescaled.estimate).toBe(base.estimate);
    const halfBase = (base.intervals[0]?.upper as number) - (base.estimate as number);
    const halfRescaled = (rescaled.intervals[0]?.upper as number) - (rescaled.estimate as number);
    expect(halfRescaled / halfBase).toBeCloseTo(1000, 6);
    expect(base.warnings).toBeDefined();
    expect(meanLogDeviation(regions, { scale: 100, favourable: true, method: 'rescaled' }).seOnEstimateScale).toBeCloseTo(1000 * (meanLogDeviation(regions, { scale: 100, favourable: true }).se as number), 9);
  });

  it('match the definitions on a small example', () => {
    const w = [0.3, 0.5, 0.2];
    const y = [12, 8, 20];
    const mu = 11.6;
    expect(theilIndex(regions, { scale: 100, favourable: true }).estimate).toBeCloseTo(1000 * w.reduce((s, wj, j) => s + wj * ((y[j] as number) / mu) * Math.log((y[j] as number) / mu), 0), 10);
    expect(meanLogDeviation(regions, { scale: 100, favourable: true }).estimate).toBeCloseTo(-1000 * w.reduce((s, wj, j) => s + wj * Math.log((y[j] as number) / mu), 0), 10);
  });
});

describe('simulated measures', () => {
  const options = { scale: 100, favourable: true, reps: 20_000, seed: 11 };

  it('compute the point estimates from the definitions', () => {
    // mu = 11.6; BGSD = sqrt(0.3 x 0.16 + 0.5 x 12.96 + 0.2 x 70.56) = sqrt(20.64)
    expect(betweenGroupStandardDeviation(regions, options).estimate).toBeCloseTo(Math.sqrt(20.64), 12);
    expect(coefficientOfVariation(regions, options).estimate).toBeCloseTo((100 * Math.sqrt(20.64)) / 11.6, 12);
    // Best (favourable) = 20: (8 + 12 + 0) / 3
    expect(meanDifferenceFromBestUnweighted(regions, options).estimate).toBeCloseTo(20 / 3, 12);
    // Adverse best = 8: (4 + 0 + 12) / 3
    expect(meanDifferenceFromBestUnweighted(regions, { ...options, favourable: false }).estimate).toBeCloseTo(16 / 3, 12);
    expect(meanDifferenceFromReferenceUnweighted(regions, { ...options, reference: 'capital' }).estimate).toBeCloseTo(16 / 3, 12);
  });

  it('need a reference for MDRU', () => {
    expect(meanDifferenceFromReferenceUnweighted(regions, options).reason).toMatch(/reference/);
  });

  it('report Monte Carlo details: draws, seed and a standard error for every limit', () => {
    const result = betweenGroupStandardDeviation(regions, { ...options, confidence: [0.9, 0.95] });
    expect(result.intervalMethod).toBe('monte-carlo');
    expect(result.simulation?.reps).toBe(20_000);
    expect(result.simulation?.seed).toBe(11);
    expect(result.simulation?.limitStandardErrors).toHaveLength(2);
    for (const limit of result.simulation?.limitStandardErrors ?? []) {
      expect(limit.lower).toBeGreaterThan(0);
      expect(limit.upper).toBeGreaterThan(0);
    }
    const [i90, i95] = result.intervals;
    expect((i95?.lower as number) <= (i90?.lower as number) && (i90?.upper as number) <= (i95?.upper as number)).toBe(true);
  });

  it('IDISW: the "resimulated-mean" variant changes only the interval', () => {
    const a = indexOfDisparityWeighted(regions, options);
    const b = indexOfDisparityWeighted(regions, { ...options, method: 'resimulated-mean' });
    expect(b.estimate).toBe(a.estimate);
    expect(b.intervals[0]?.lower).not.toBe(a.intervals[0]?.lower);
  });

  it('say why no interval can be drawn when an estimate sits far outside [0, 100]', () => {
    const impossible = regions.map((g) => (g.group === 'south' ? { ...g, value: -50, se: 1 } : g));
    const result = betweenGroupStandardDeviation(impossible, options);
    expect(result.estimate).not.toBeNull();
    expect(result.intervalMethod).toBe('none');
    expect(result.intervalReason).toMatch(/no probability/);
  });
});

describe('ACI needs an ordered dimension and three subgroups', () => {
  it('returns a reason otherwise', () => {
    expect(absoluteConcentrationIndex(regions, { scale: 100, favourable: true }).reason).toMatch(/ordered/);
    expect(absoluteConcentrationIndex(ordered.slice(0, 2), { scale: 100, favourable: true }).reason).toMatch(/at least 3/);
  });
});
