import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { goalAttainmentTScore } from './goal-attainment.ts';
import { swemwbsChange, swemwbsMetricScore, swemwbsRawScore } from './swemwbs.ts';

describe('SWEMWBS (published raw-to-metric conversion table)', () => {
  it('converts raw scores by the published table', () => {
    // Spot checks typed from the table distributed with the scale.
    expect(swemwbsMetricScore(7)).toBe(7.0);
    expect(swemwbsMetricScore(8)).toBe(9.51);
    expect(swemwbsMetricScore(14)).toBe(15.32);
    expect(swemwbsMetricScore(21)).toBe(19.25);
    expect(swemwbsMetricScore(22)).toBe(19.98);
    expect(swemwbsMetricScore(28)).toBe(25.03);
    expect(swemwbsMetricScore(33)).toBe(30.7);
    expect(swemwbsMetricScore(34)).toBe(32.55);
    expect(swemwbsMetricScore(35)).toBe(35.0);
  });

  it('the table rises strictly across the whole range', () => {
    for (let raw = 8; raw <= 35; raw++) expect(swemwbsMetricScore(raw)).toBeGreaterThan(swemwbsMetricScore(raw - 1));
  });

  it('sums seven items from 1 to 5 and refuses anything else', () => {
    expect(swemwbsRawScore([3, 3, 3, 3, 3, 3, 3])).toBe(21);
    expect(() => swemwbsRawScore([3, 3, 3, 3, 3, 3])).toThrow(RangeError);
    expect(() => swemwbsRawScore([3, 3, 3, 3, 3, 3, 6])).toThrow(RangeError);
    expect(() => swemwbsRawScore([3, 3, 3, 3, 3, 3, 2.5])).toThrow(RangeError);
    expect(() => swemwbsMetricScore(6)).toThrow(RangeError);
  });

  it('classifies change against the meaningful-change threshold', () => {
    expect(swemwbsChange(swemwbsMetricScore(17), swemwbsMetricScore(23))).toEqual({ change: 3.85, direction: 'improved' });
    expect(swemwbsChange(19.25, 20.73)).toEqual({ change: 1.48, direction: 'no meaningful change' });
    expect(swemwbsChange(24.11, 19.98)).toEqual({ change: -4.13, direction: 'worsened' });
    expect(swemwbsChange(19.25, 20.73, 1)).toEqual({ change: 1.48, direction: 'improved' });
  });
});

describe('Goal Attainment Scaling T-score (Kiresuk and Sherman 1968)', () => {
  it('is 50 when goals are met exactly as expected or balance out', () => {
    expect(goalAttainmentTScore([{ attainment: 0 }, { attainment: 0 }, { attainment: 0 }])).toBe(50);
    expect(goalAttainmentTScore([{ attainment: 1 }, { attainment: 0 }, { attainment: -1 }])).toBe(50);
  });

  it('matches hand-worked values', () => {
    // One goal at +1: 50 + 10 x 1 / sqrt(0.7 + 0.3) = 60.
    expect(goalAttainmentTScore([{ attainment: 1 }])).toBeCloseTo(60, 12);
    // Three unweighted goals at +1: 50 + 30 / sqrt(0.7 x 3 + 0.3 x 9) = 50 + 30 / sqrt(4.8).
    expect(goalAttainmentTScore([{ attainment: 1 }, { attainment: 1 }, { attainment: 1 }])).toBeCloseTo(63.6931, 4);
    // Three goals at the baseline -1 (the usual start in Turner-Stokes' scheme): 36.3069.
    expect(goalAttainmentTScore([{ attainment: -1 }, { attainment: -1 }, { attainment: -1 }])).toBeCloseTo(36.3069, 4);
    // Weighted: weights 2 and 1, attainments +2 and -1:
    // 50 + 10 x (4 - 1) / sqrt(0.7 x 5 + 0.3 x 9) = 50 + 30 / sqrt(6.2).
    expect(goalAttainmentTScore([{ attainment: 2, weight: 2 }, { attainment: -1, weight: 1 }])).toBeCloseTo(62.0483, 4);
  });

  it('rises when any goal improves (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ attainment: fc.integer({ min: -2, max: 2 }), weight: fc.integer({ min: 1, max: 9 }) }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        (goals, pick) => {
          const index = pick % goals.length;
          if (goals[index]!.attainment === 2) return true;
          const better = goals.map((goal, i) => (i === index ? { ...goal, attainment: goal.attainment + 1 } : goal));
          return goalAttainmentTScore(better) > goalAttainmentTScore(goals);
        },
      ),
    );
  });

  it('refuses attainments off the scale', () => {
    expect(() => goalAttainmentTScore([])).toThrow(RangeError);
    expect(() => goalAttainmentTScore([{ attainment: 3 }])).toThrow(RangeError);
    expect(() => goalAttainmentTScore([{ attainment: 1, weight: 0 }])).toThrow(RangeError);
  });
});
