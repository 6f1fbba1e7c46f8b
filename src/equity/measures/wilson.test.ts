import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { proportion, wilsonLimits, wilsonMeasure } from './wilson.ts';
import type { MeasureOptions } from './measure.ts';

function expectRelative(actual: number | null, expected: number, tolerance = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

const options: MeasureOptions = { valueType: 'proportion', transform: false, scale: 1, favourable: true, confidence: [0.95, 0.998], reps: 100_000, seed: 1 };

describe('Wilson score limits: PHEindicatormethods v2.1.0 tests/testthat/testdata_Byars_Wilson.xlsx (sheet testdata_B_W)', () => {
  it.each([
    [65, 100, 0.95, 0.5525444329688797, 0.7363575175690247],
    [1045, 5000, 0.95, 0.19795549880013297, 0.22049130373189027],
    [0.445, 1, 0.95, 0.04381744772058822, 0.9334621276979156],
    [65, 100, 0.998, 0.4954946574070431, 0.7783540614089697],
    [1045, 5000, 0.998, 0.19179381799015244, 0.22731562902525818],
    [0.445, 1, 0.998, 0.019347006132900975, 0.9702259947019541],
  ])('%d out of %d at %d', (x, n, confidence, lower, upper) => {
    const limits = wilsonLimits(x, n, confidence);
    expectRelative(limits.lower, lower);
    expectRelative(limits.upper, upper);
  });
});

describe('phe_proportion: PHEindicatormethods tests/testthat testdata_Proportion.xlsx (sheet testdata_Prop)', () => {
  // Area, numerator, denominator, value, lower 95%, upper 95%, lower 99.8%, upper 99.8% (proportion of 1).
  const published: [string, number, number, number, number, number, number, number][] = [
    ['Area1', 1, 100, 0.01, 0.00176743206414065, 0.0544861961787053, 0.000873065697299977, 0.104554452837058],
    ['Area2', 5, 100, 0.05, 0.021543679154368, 0.111750469231919, 0.0138653207259972, 0.164588522825964],
    ['Area3', 20, 100, 0.2, 0.133366933331033, 0.288829165593159, 0.105191620667114, 0.34711094170086],
    ['Area4', 65, 100, 0.65, 0.55254443296888, 0.736357517569025, 0.495494657407043, 0.77835406140897],
    ['Area5', 9856, 12345, 0.798379910895099, 0.791210175290907, 0.805364007361491, 0.786992410841906, 0.809306141258963],
    ['Area6', 7776456, 7564336677, 0.00102804202563392, 0.00102732010016411, 0.00102876445789772, 0.00102690401184422, 0.00102918129926984],
    ['Area7', 222, 3215, 0.0690513219284603, 0.0607916903636366, 0.0783395668138363, 0.0564710196462425, 0.0841841418527013],
    ['Area8', 999, 3456, 0.2890625, 0.274189510800099, 0.304403896628181, 0.26583995768075, 0.313447544927998],
  ];

  it.each(published)('%s as a proportion of 1 and as a percentage', (_area, x, n, value, l95, u95, l998, u998) => {
    // The sheet prints 15 significant digits.
    for (const multiplier of [1, 100]) {
      const p = proportion(x, n, [0.95, 0.998], multiplier);
      expectRelative(p.value, value * multiplier, 1e-13);
      expectRelative(p.intervals[0]!.lower, l95 * multiplier, 1e-13);
      expectRelative(p.intervals[0]!.upper, u95 * multiplier, 1e-13);
      expectRelative(p.intervals[1]!.lower, l998 * multiplier, 1e-13);
      expectRelative(p.intervals[1]!.upper, u998 * multiplier, 1e-13);
    }
  });

  it('reports no estimate where PHE reports NA (missing numerator or denominator)', () => {
    const result = wilsonMeasure(
      [
        { group: 'Area09', population: 100, value: Number.NaN, denominator: 100 },
        { group: 'Area10', population: Number.NaN, value: Number.NaN, count: 10 },
      ],
      options,
    );
    const groups = result['groups'] as { estimate: number | null }[];
    expect(groups.map((g) => g.estimate)).toEqual([null, null]);
    expect(result.estimate).toBeNull();
  });

  it('gives every row and the pooled rows', () => {
    const result = wilsonMeasure(
      [
        { group: 'a', population: 100, value: 0.65, count: 65, denominator: 100 },
        { group: 'b', population: 5000, value: 0.209, count: 1045, denominator: 5000 },
      ],
      { ...options, scale: 100 },
    );
    const groups = result['groups'] as { group: string; estimate: number; intervals: { lower: number }[] }[];
    expectRelative(groups[0]!.estimate, 65);
    expectRelative(groups[0]!.intervals[0]!.lower, 55.25444329688797);
    expectRelative(result.estimate, (1110 / 5100) * 100);
  });

  it('rejects more events than the denominator', () => {
    expect(() => wilsonLimits(11, 10, 0.95)).toThrow(/cannot exceed/);
  });
});

describe('Wilson limits: properties', () => {
  it('lie within [0, 1] and contain the observed proportion', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0.8, 0.9, 0.95, 0.99, 0.998),
        (n, share, confidence) => {
          const x = Math.round(share * n);
          const { lower, upper } = wilsonLimits(x, n, confidence);
          const p = x / n;
          expect(lower).toBeGreaterThanOrEqual(-1e-15);
          expect(upper).toBeLessThanOrEqual(1 + 1e-15);
          expect(lower).toBeLessThanOrEqual(p + 1e-15);
          expect(upper).toBeGreaterThanOrEqual(p - 1e-15);
        },
      ),
    );
  });
});
