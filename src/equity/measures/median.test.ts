import { describe, expect, it } from 'vitest';
import { binomialHalfCdf, medianLimitRank, medianMeasure, medianWithInterval } from './median.ts';
import type { MeasureOptions } from './measure.ts';

const options: MeasureOptions = { valueType: 'normal', transform: false, scale: 1, favourable: true, confidence: [0.95, 0.998], reps: 100_000, seed: 1 };

describe('median with binomial order-statistic limits', () => {
  it('uses the exact ranks of Statistics with Confidence: n = 10 -> 2 and 9 (97.9%), n = 20 -> 6 and 15 (95.9%)', () => {
    expect(medianLimitRank(10, 0.95)).toEqual({ rank: 2, coverage: 1 - 2 * (11 / 1024) });
    const twenty = medianLimitRank(20, 0.95)!;
    expect(twenty.rank).toBe(6);
    expect(twenty.coverage).toBeCloseTo(0.9586105346679688, 12);
  });

  it('has no interval when no rank reaches the confidence (5 observations at 95%)', () => {
    expect(medianLimitRank(5, 0.95)).toBeNull();
    expect(medianLimitRank(6, 0.95)?.rank).toBe(1);
  });

  it('binomial probabilities agree with direct sums', () => {
    const choose = (n: number, k: number): number => {
      let c = 1;
      for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
      return c;
    };
    for (const n of [7, 15, 40]) {
      let cumulative = 0;
      for (let k = 0; k < n; k++) {
        cumulative += choose(n, k) / 2 ** n;
        expect(binomialHalfCdf(k, n)).toBeCloseTo(cumulative, 12);
      }
    }
  });

  it('reads the median and limits from a frequency table', () => {
    // Ten waits: 1, 2, 2, 3, 4, 4, 4, 7, 9, 12 -> median (4 + 4) / 2, limits X(2) = 2 and X(9) = 9.
    const m = medianWithInterval(
      [
        { value: 4, frequency: 3 },
        { value: 2, frequency: 2 },
        { value: 1 },
        { value: 3 },
        { value: 7 },
        { value: 9 },
        { value: 12 },
      ],
      [0.95],
    );
    expect(m.value).toBe(4);
    expect(m.intervals[0]).toMatchObject({ lower: 2, upper: 9, ranks: [2, 9] });
  });

  it('the measure reports the median', () => {
    const result = medianMeasure(
      Array.from({ length: 11 }, (_, i) => ({ group: String(i), population: 1, value: i * 2 })),
      options,
    );
    expect(result.estimate).toBe(10);
  });
});
