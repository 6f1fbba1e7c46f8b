import { describe, expect, it } from 'vitest';
import { funnelLimitAt, funnelLines, funnelPosition } from './funnel.ts';

// PHE's published funnel test data for crude rates (PHStatsMethods / PHEindicatormethods,
// tests/test_data/testdata_funnel_rate_outputs_2.csv): baseline 114.8591735 per 100,000,
// three years of data; populations are per year (the limits are rates over all three years). Rows: events, lower 2s population, lower 2s
// limit, upper 2s population, upper 2s limit, lower 3s population, lower 3s limit, upper 3s
// population, upper 3s limit.
const published = [
  [1, 1616.949526, 20.61494982, 7.347518827, 4536.678859, 2679.632184, 12.4395182, 0.290369211, 114796.3768],
  [10, 5337.07421, 62.45619233, 1391.671639, 239.5201023, 7003.931164, 47.59232002, 859.1738425, 387.9696015],
  [99, 34978.76935, 94.34294177, 23351.00812, 141.3215217, 38821.52432, 85.00439016, 20627.03806, 159.9841912],
  [1344, 411466.9163, 108.8787415, 369466.4508, 121.2559352, 424051.9679, 105.6474286, 357990.2328, 125.143079],
] as const;

describe('funnel limits', () => {
  const rate = 114.8591735 / 100_000;
  const years = 3;
  for (const [events, lower2Pop, lower2, upper2Pop, upper2, lower3Pop, lower3, upper3Pop, upper3] of published) {
    // PHE finds each limit by bisection to 1e-7 on a transformed scale, so agreement is to 4 decimal places.
    it(`match PHE's published limits at ${events} events`, () => {
      const two = funnelLimitAt(events, rate, 0.95, 100_000);
      const three = funnelLimitAt(events, rate, 0.998, 100_000);
      expect(two.lowerPopulation / years / lower2Pop).toBeCloseTo(1, 4);
      expect(two.upperPopulation / years / upper2Pop).toBeCloseTo(1, 4);
      expect(three.lowerPopulation / years / lower3Pop).toBeCloseTo(1, 4);
      expect(three.upperPopulation / years / upper3Pop).toBeCloseTo(1, 4);
      expect(two.lower / lower2).toBeCloseTo(1, 4);
      expect(two.upper / upper2).toBeCloseTo(1, 4);
      expect(three.lower / lower3).toBeCloseTo(1, 4);
      expect(three.upper / upper3).toBeCloseTo(1, 4);
    });
  }

  it('narrows towards the target as the population grows, and 99.8% lies outside 95%', () => {
    const target = 5 / 1000;
    const wide = funnelLines(target, 0.998, 10_000, 300_000, 1000);
    const narrow = funnelLines(target, 0.95, 10_000, 300_000, 1000);
    expect(narrow.upper.length).toBeGreaterThan(20);
    for (let i = 1; i < narrow.upper.length; i++) expect(narrow.upper[i]!.rate).toBeLessThan(narrow.upper[i - 1]!.rate);
    for (let i = 1; i < narrow.lower.length; i++) expect(narrow.lower[i]!.rate).toBeGreaterThan(narrow.lower[i - 1]!.rate);
    for (const line of [wide, narrow]) {
      for (const point of line.lower) expect(point.rate).toBeLessThan(5);
      for (const point of line.upper) expect(point.rate).toBeGreaterThan(5);
      for (const point of [...line.lower, ...line.upper]) {
        expect(point.population).toBeGreaterThanOrEqual(10_000);
        expect(point.population).toBeLessThanOrEqual(300_000);
      }
    }
    expect(wide.upper.at(-1)!.rate).toBeGreaterThan(narrow.upper.at(-1)!.rate);
  });

  it('classifies areas by their own exact interval against the target', () => {
    const target = 5 / 1000;
    expect(funnelPosition(500, 100_000, target)).toBe('within');
    expect(funnelPosition(560, 100_000, target)).toBe('above-95');
    expect(funnelPosition(600, 100_000, target)).toBe('above-99.8');
    expect(funnelPosition(440, 100_000, target)).toBe('below-95');
    expect(funnelPosition(400, 100_000, target)).toBe('below-99.8');
  });
});
