import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { meanMeasure, meanWithTInterval } from './mean.ts';
import type { MeasureOptions } from './measure.ts';

const options: MeasureOptions = { valueType: 'normal', transform: false, scale: 1, favourable: true, confidence: [0.95, 0.998], reps: 100_000, seed: 1 };

describe('phe_mean', () => {
  it('1, 2, ..., 10: mean 5.5, s = sqrt(55/6), limits 5.5 -/+ qt(0.975, 9) s / sqrt(10)', () => {
    const m = meanWithTInterval(
      Array.from({ length: 10 }, (_, i) => ({ value: i + 1 })),
      [0.95],
    );
    expect(m.value).toBe(5.5);
    expect(m.standardDeviation).toBeCloseTo(Math.sqrt(55 / 6), 14);
    // qt(0.975, 9) = 2.262157162798205 (SciPy 1.17; the table value 2.262).
    const half = (2.262157162798205 * Math.sqrt(55 / 6)) / Math.sqrt(10);
    expect(m.intervals[0]!.lower).toBeCloseTo(5.5 - half, 12);
    expect(m.intervals[0]!.upper).toBeCloseTo(5.5 + half, 12);
  });

  it('rows with a count are that many identical observations', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -50, max: 50 }), fc.integer({ min: 1, max: 4 })), { minLength: 2, maxLength: 12 }), (rows) => {
        const grouped = meanWithTInterval(rows.map(([value, frequency]) => ({ value, frequency })), [0.9]);
        const expanded = meanWithTInterval(rows.flatMap(([value, frequency]) => Array.from({ length: frequency }, () => ({ value }))), [0.9]);
        expect(grouped.value).toBeCloseTo(expanded.value, 10);
        expect(grouped.intervals[0]!.lower).toBeCloseTo(expanded.intervals[0]!.lower as number, 9);
        expect(grouped.intervals[0]!.upper).toBeCloseTo(expanded.intervals[0]!.upper as number, 9);
      }),
    );
  });

  it('the measure reports no estimate for a single observation', () => {
    expect(meanMeasure([{ group: 'a', population: 1, value: 3 }], options).estimate).toBeNull();
  });
});
