import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { limitPositions, orderStatistics, simulatedLimits } from './montecarlo.ts';
import { normalQuantile } from '../../numeric/normal.ts';
import { RandomStream } from '../../numeric/random-stream.ts';

describe('limitPositions', () => {
  it("uses phe_sii's positions round(n (1 - q)) and round(n q), q = c + (1 - c) / 2", () => {
    expect(limitPositions(100_000, 0.95)).toEqual({ confidence: 0.95, lower: 2500, upper: 97_500 });
    expect(limitPositions(100_000, 0.998)).toEqual({ confidence: 0.998, lower: 100, upper: 99_900 });
    expect(limitPositions(1000, 0.95)).toEqual({ confidence: 0.95, lower: 25, upper: 975 });
  });
});

describe('orderStatistics', () => {
  it('returns what sorting would put at each rank, with ties and any order of input', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 3000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 8 }),
        (numbers, positions) => {
          const values = Float64Array.from(numbers);
          const sorted = Float64Array.from(numbers).sort();
          const ranks = positions.map((p) => 1 + Math.min(numbers.length - 1, Math.floor(p * numbers.length)));
          expect(orderStatistics(values, ranks)).toEqual(ranks.map((r) => sorted[r - 1]));
        },
      ),
    );
  });

  it('handles large arrays (the sampling branch of Floyd-Rivest)', () => {
    const values = new Float64Array(100_000);
    new RandomStream(5).fillNormal(values);
    const sorted = Float64Array.from(values).sort();
    const ranks = [1, 2451, 2500, 2549, 50_000, 97_451, 97_500, 97_549, 100_000];
    expect(orderStatistics(values, ranks)).toEqual(ranks.map((r) => sorted[r - 1]));
  });
});

describe('simulatedLimits', () => {
  it('reads normal quantiles and estimates their simulation error', () => {
    const n = 200_000;
    const draws = new Float64Array(n);
    new RandomStream(11).fillNormal(draws);
    const [limit] = simulatedLimits(draws, [0.95]);
    // SE of the 2.5% quantile of n standard normals: sqrt(p (1 - p) / n) / phi(z) = 0.00598.
    const se = Math.sqrt((0.025 * 0.975) / n) / (Math.exp(-0.5 * 1.959963984540054 ** 2) / Math.sqrt(2 * Math.PI));
    expect(Math.abs(limit!.lower - normalQuantile(0.025))).toBeLessThan(4 * se);
    expect(Math.abs(limit!.upper - normalQuantile(0.975))).toBeLessThan(4 * se);
    expect(limit!.lowerStandardError).toBeGreaterThan(0.6 * se);
    expect(limit!.lowerStandardError).toBeLessThan(1.6 * se);
  });
});
