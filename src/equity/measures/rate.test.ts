import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { byarsLower, byarsUpper, poissonCountLimits, rate, rateMeasure } from './rate.ts';
import type { MeasureOptions } from './measure.ts';

function expectRelative(actual: number | null, expected: number, tolerance = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

describe("Byar's limits: PHEindicatormethods v2.1.0 tests/testthat/testdata_Byars_Wilson.xlsx (sheet testdata_B_W)", () => {
  it.each([
    [65, 0.95, 50.163187710459454, 82.84913854593984],
    [1045, 0.95, 982.5932018073325, 1110.33121298565],
    [1, 0.95, 0.01307213290150435, 5.5637555824752605],
    [65, 0.998, 42.8802614714802, 94.00029084431802],
    [1045, 0.998, 947.9407035610374, 1148.806160988033],
    [10, 0.998, 2.916318374695686, 24.193724927880535],
  ])('%d events at %d', (x, confidence, lower, upper) => {
    expectRelative(byarsLower(x, confidence), lower);
    expectRelative(byarsUpper(x, confidence), upper);
  });

  it('reports the lower limit as missing where the approximation goes negative (1 event at 99.8%: NA in PHE)', () => {
    expect(byarsLower(1, 0.998)).toBeNull();
    expectRelative(byarsUpper(1, 0.998), 9.362180217908362);
  });
});

describe('phe_rate: PHEindicatormethods tests/testthat testdata_Rate.xlsx (sheet testdata_Rate)', () => {
  // Area, numerator, denominator, then rate per 100 with 95% and 99.8% limits, and the method.
  const published: [string, number, number, number, number, number, number, number, 'exact' | 'byar'][] = [
    ['Area1', 1, 100, 1, 0.0253178079842899, 5.5716433909389, 0.00100050033358353, 9.23341347645158, 'exact'],
    ['Area2', 5, 100, 5, 1.62348639011842, 11.6683320793227, 0.739371731917839, 16.4547452036801, 'exact'],
    ['Area3', 20, 100, 20, 12.2114288348759, 30.8898803691971, 8.92280236514419, 38.0850356250419, 'byar'],
    ['Area4', 65, 100, 65, 50.1631877104595, 82.8491385459398, 42.8802614714802, 94.000290844318, 'byar'],
    ['Area5', 9856, 12345, 79.8379910895099, 78.2694905897676, 81.4300165427214, 77.3759054327105, 82.3544727709543, 'byar'],
    ['Area6', 7776456, 7564336677, 0.102804202563392, 0.102731960053021, 0.102876483340928, 0.102690317308454, 0.102918176395091, 'byar'],
    ['Area7', 222, 3215, 6.90513219284603, 6.02657487765268, 7.87572937087185, 5.56073769525985, 8.46104668173341, 'byar'],
    ['Area8', 999, 3456, 28.90625, 27.1413049360905, 30.7558332373784, 26.1621475964458, 31.8456048198227, 'byar'],
  ];

  it.each(published)('%s per 100 and per 100,000', (_area, x, n, value, l95, u95, l998, u998, method) => {
    for (const multiplier of [100, 100_000]) {
      const factor = multiplier / 100;
      const r = rate(x, n, [0.95, 0.998], multiplier);
      expect(r.method).toBe(method);
      // The sheet prints 15 significant digits.
      expectRelative(r.value, value * factor, 1e-13);
      expectRelative(r.intervals[0]!.lower, l95 * factor, 1e-13);
      expectRelative(r.intervals[0]!.upper, u95 * factor, 1e-13);
      expectRelative(r.intervals[1]!.lower, l998 * factor, 1e-13);
      expectRelative(r.intervals[1]!.upper, u998 * factor, 1e-13);
    }
  });

  it('Area12: more events than population (250 in 220) per 100,000', () => {
    const r = rate(250, 220, [0.95, 0.998], 100_000);
    expectRelative(r.value, 113636.363636364, 1e-13);
    expectRelative(r.intervals[0]!.lower, 99984.9473853288, 1e-13);
    expectRelative(r.intervals[0]!.upper, 128631.144874558, 1e-13);
    expectRelative(r.intervals[1]!.lower, 92710.0055443895, 1e-13);
    expectRelative(r.intervals[1]!.upper, 137651.237721475, 1e-13);
  });

  it('the measure reports each row, the pooled rate and rows PHE leaves missing', () => {
    const options: MeasureOptions = { valueType: 'rate', transform: false, scale: 100_000, favourable: false, confidence: [0.95], reps: 100_000, seed: 1 };
    const result = rateMeasure(
      [
        { group: 'Area4', population: 100, value: 65_000, count: 65, denominator: 100 },
        { group: 'Area09', population: 100, value: Number.NaN, denominator: 100 },
      ],
      options,
    );
    const groups = result['groups'] as { estimate: number | null; intervals: { lower: number | null }[] }[];
    expectRelative(groups[0]!.estimate, 65_000);
    expectRelative(groups[0]!.intervals[0]!.lower, 50163.1877104595, 1e-13);
    expect(groups[1]!.estimate).toBeNull();
    expectRelative(result.estimate, 65_000);
  });
});

describe('Poisson limits: properties', () => {
  it('bracket the observed count (exact below 10, Byar from 10)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000 }), fc.constantFrom(0.8, 0.9, 0.95, 0.99, 0.998), (x, confidence) => {
        const { lower, upper } = poissonCountLimits(x, confidence);
        expect(upper).toBeGreaterThan(x);
        if (lower !== null) expect(lower).toBeLessThanOrEqual(x);
        if (x >= 1 && x < 10) expect(lower).toBeGreaterThan(0);
      }),
    );
  });
});
