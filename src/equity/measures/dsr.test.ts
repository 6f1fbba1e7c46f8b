import { describe, expect, it } from 'vitest';
import { directlyStandardisedRate, dsrMeasure, ESP2013_BANDS } from './dsr.ts';
import type { GroupInput, MeasureOptions } from './measure.ts';

function expectRelative(actual: number | null, expected: number, tolerance = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

// Input: PHEindicatormethods tests/testthat testdata_DSR_ISR.xlsx, sheet testdata_multiarea
// (19 age bands per area; the sheet labels the twelfth band "55-69"; one tiny count is missing).
const POPULATIONS = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207];
const LABELS = ['0-4', '5-9', '10-14', '15-19', '20-24', '25-29', '30-34', '35-39', '40-44', '45-49', '50-54', '55-69', '60-64', '65-69', '70-74', '75-79', '80-84', '85-89', '90+'];
const AREAS: Record<string, (number | undefined)[]> = {
  testdata_big: [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91],
  testdata_small: [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4],
  testdata_tiny: [0, 0, undefined, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 2, 3],
};

function rows(area: string): GroupInput[] {
  return AREAS[area]!.map((count, i) => ({ group: LABELS[i]!, order: i + 1, population: POPULATIONS[i]!, value: Number.NaN, ...(count === undefined ? {} : { count }) }));
}

const options = (scale: number): MeasureOptions => ({ valueType: 'rate', transform: false, scale, favourable: false, confidence: [0.95, 0.998], reps: 100_000, seed: 1 });

describe('European Standard Population 2013', () => {
  it('has the 19 bands of PHEindicatormethods esp2013, summing to 100,000', () => {
    expect(ESP2013_BANDS.map((b) => b.population)).toEqual([5000, 5500, 5500, 5500, 6000, 6000, 6500, 7000, 7000, 7000, 7000, 6500, 6000, 5500, 5000, 4000, 2500, 1500, 1000]);
    expect(ESP2013_BANDS.reduce((s, b) => s + b.population, 0)).toBe(100_000);
  });
});

describe('calculate_dsr: PHEindicatormethods tests/testthat testdata_DSR_ISR.xlsx, sheet testresults_DSR (Dobson)', () => {
  // area, multiplier, total count, total population, value, lower 95%, upper 95%, lower 99.8%, upper 99.8%
  const published: [string, number, number, number, number, number, number, number, number][] = [
    ['testdata_big', 10_000, 895, 8970, 1043.0247991469423, 971.77090679856803, 1117.894091547925, 932.32878802199036, 1162.0595999522059],
    ['testdata_small', 10_000, 91, 8970, 110.3212025300104, 87.745576753670903, 136.70882227251795, 76.36420357939879, 153.00328948244763],
    ['testdata_big', 100_000, 895, 8970, 10430.247991469423, 9717.709067985681, 11178.94091547925, 9323.2878802199029, 11620.595999522058],
    ['testdata_small', 100_000, 91, 8970, 1103.212025300104, 877.455767536709, 1367.0882227251795, 763.64203579398793, 1530.0328948244762],
  ];

  it.each(published)('%s per %d', (area, multiplier, totalCount, totalPopulation, value, l95, u95, l998, u998) => {
    const result = dsrMeasure(rows(area), options(multiplier));
    expect(result['totalCount']).toBe(totalCount);
    expect(result['totalPopulation']).toBe(totalPopulation);
    expectRelative(result.estimate, value);
    expectRelative(result.intervals[0]!.lower, l95);
    expectRelative(result.intervals[0]!.upper, u95);
    expectRelative(result.intervals[1]!.lower, l998);
    expectRelative(result.intervals[1]!.upper, u998);
  });

  it.each([10_000, 100_000])('testdata_tiny per %d: not reported for a total count under 10 (9 events)', (multiplier) => {
    const result = dsrMeasure(rows('testdata_tiny'), options(multiplier));
    expect(result.estimate).toBeNull();
    expect(result['totalCount']).toBe(9);
    expect(result['totalPopulation']).toBe(8970);
    expect(result.reason).toMatch(/under 10/);
    expect(result.intervals.every((i) => i.lower === null && i.upper === null)).toBe(true);
  });

  it('orders the bands by `order` before matching them to the standard population', () => {
    const shuffled = rows('testdata_big').reverse();
    expectRelative(dsrMeasure(shuffled, options(100_000)).estimate, 10430.247991469423);
  });

  it('uses a standard population supplied on every row instead of ESP 2013', () => {
    // With equal standard weights the DSR is the mean of the band rates.
    const supplied = rows('testdata_big').map((r) => ({ ...r, standardPopulation: 1 }));
    const meanRate = AREAS['testdata_big']!.reduce((s: number, x, i) => s + (x as number) / POPULATIONS[i]!, 0) / 19;
    expectRelative(dsrMeasure(supplied, options(1)).estimate, meanRate);
  });

  it('refuses rows that cannot be matched to the 19 ESP 2013 bands', () => {
    expect(() => dsrMeasure(rows('testdata_big').slice(0, 18), options(100_000))).toThrow(/19 age bands/);
  });

  it('checks populations', () => {
    expect(() => directlyStandardisedRate([{ count: 1, population: 0, standardPopulation: 1 }], [0.95], 1)).toThrow(/greater than zero/);
  });
});
