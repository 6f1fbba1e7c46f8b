import { describe, expect, it } from 'vitest';
import { indirectlyStandardisedRatio, isrMeasure } from './isr.ts';
import type { GroupInput, MeasureOptions } from './measure.ts';

function expectRelative(actual: number | null, expected: number, tolerance = 1e-12): void {
  expect(actual).not.toBeNull();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

const options: MeasureOptions = { valueType: 'rate', transform: false, scale: 1, favourable: false, confidence: [0.95, 0.998], reps: 100_000, seed: 1 };

// Two bands whose reference rates (1% and 2%) give exactly 40 + 60 = 100 expected events, so the
// ratio's limits are the count's limits divided by 100: PHE's published count limits apply.
function area(observed: [number, number]): GroupInput[] {
  return [
    { group: '0-64', population: 4000, value: Number.NaN, count: observed[0], referenceCount: 500, referencePopulation: 50_000 },
    { group: '65+', population: 3000, value: Number.NaN, count: observed[1], referenceCount: 400, referencePopulation: 20_000 },
  ];
}

describe('calculate_ISRatio', () => {
  it('65 observed against 100 expected: Byar limits (PHE testdata_Byars_Wilson: 65 events, 50.1631877104595 to 82.8491385459398 at 95%)', () => {
    const result = isrMeasure(area([30, 35]), options);
    expectRelative(result['expected'] as number, 100, 1e-15);
    expect(result['observed']).toBe(65);
    expectRelative(result.estimate, 0.65);
    expectRelative(result.intervals[0]!.lower, 0.50163187710459454);
    expectRelative(result.intervals[0]!.upper, 0.8284913854593984);
    expectRelative(result.intervals[1]!.lower, 0.428802614714802);
    expectRelative(result.intervals[1]!.upper, 0.9400029084431802);
  });

  it('5 observed against 100 expected: exact limits (PHE testdata_Rate Area2: 1.62348639011842 to 11.6683320793227 per 100)', () => {
    const result = isrMeasure(area([2, 3]), { ...options, scale: 100 });
    expect(result.intervalMethod).toBe('exact');
    expectRelative(result.estimate, 5);
    expectRelative(result.intervals[0]!.lower, 1.62348639011842, 1e-13);
    expectRelative(result.intervals[0]!.upper, 11.6683320793227, 1e-13);
    expectRelative(result.intervals[1]!.lower, 0.739371731917839, 1e-13);
    expectRelative(result.intervals[1]!.upper, 16.4547452036801, 1e-13);
  });

  it('counts a missing band count as zero, as PHE does', () => {
    const isr = indirectlyStandardisedRatio(
      [
        { observed: undefined, population: 4000, referenceCount: 500, referencePopulation: 50_000 },
        { observed: 65, population: 3000, referenceCount: 400, referencePopulation: 20_000 },
      ],
      [0.95],
    );
    expect(isr.observed).toBe(65);
  });

  it('requires the reference counts and populations', () => {
    expect(() => isrMeasure([{ group: 'a', population: 1, value: 1, count: 1 }], options)).toThrow(/referenceCount/);
  });
});
