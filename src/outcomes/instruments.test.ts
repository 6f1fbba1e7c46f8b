import { describe, expect, it } from 'vitest';
import * as codes from '../domain/codes.ts';
import { meaningfulChange } from '../equity/audit/audit.queries.ts';
import { goalAttainmentTScore } from './goal-attainment.ts';
import { changeScore, fftCategory, fftPercentages, instrumentRules, isValidScore, normaliseHcpcNumber } from './instruments.ts';
import { swemwbsMetricScore } from './swemwbs.ts';

describe('SWEMWBS conversion, the whole published table', () => {
  it('converts every raw score 7 to 35 exactly as the table distributed with the scale', () => {
    // Raw 7..35 -> metric, typed from the SWEMWBS conversion table (Warwick Medical School;
    // Stewart-Brown et al. 2009, Health Qual Life Outcomes 7:15).
    const published = [
      7.0, 9.51, 11.25, 12.4, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, 16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73,
      21.54, 22.35, 23.21, 24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.7, 32.55, 35.0,
    ];
    expect(published.map((_, i) => swemwbsMetricScore(7 + i))).toEqual(published);
  });
});

describe('Goal Attainment Scaling against the simplified formula', () => {
  it('matches the unweighted multipliers (T = 50 + C x sum of attainments, rho 0.3)', () => {
    // C = 10 / sqrt(0.7n + 0.3n^2): 10, 6.20, 4.56, 3.63, 3.02 for 1 to 5 goals.
    const multipliers = [10, 6.2, 4.56, 3.63, 3.02];
    multipliers.forEach((c, i) => {
      const n = i + 1;
      const t = goalAttainmentTScore(Array.from({ length: n }, () => ({ attainment: 1 })));
      expect(Math.round(((t - 50) / n) * 100) / 100).toBe(c);
    });
  });
  it('keeps every T-score within the range Roots stores (0 to 100)', () => {
    for (let n = 1; n <= 12; n++) {
      expect(goalAttainmentTScore(Array.from({ length: n }, () => ({ attainment: 2 })))).toBeLessThan(instrumentRules.GAS.max);
      expect(goalAttainmentTScore(Array.from({ length: n }, () => ({ attainment: -2 })))).toBeGreaterThan(instrumentRules.GAS.min);
    }
  });
});

describe('meaningful change', () => {
  it('names a threshold and its source for every instrument that measures change, the same as the equity audit', () => {
    for (const instrument of codes.outcomeInstrument.values) {
      const threshold = instrumentRules[instrument].threshold;
      if (instrument === 'FFT') {
        expect(threshold).toBeNull();
        continue;
      }
      expect(threshold!.source.length).toBeGreaterThan(5);
      expect(threshold!.change).toBe(meaningfulChange[instrument].change);
    }
  });
  it('classifies change against the threshold, in both directions, at its edge', () => {
    expect(changeScore('SWEMWBS', swemwbsMetricScore(17), swemwbsMetricScore(23))).toMatchObject({ change: 3.85, verdict: 'improved' });
    expect(changeScore('SWEMWBS', 19.25, 22.25)).toMatchObject({ change: 3, verdict: 'improved' });
    expect(changeScore('SWEMWBS', 19.25, 22.24)).toMatchObject({ change: 2.99, verdict: 'no_meaningful_change' });
    expect(changeScore('SWEMWBS', 24.11, 19.98)).toMatchObject({ change: -4.13, verdict: 'worsened' });
    expect(changeScore('COPM_PERFORMANCE', 4.2, 6.2)).toMatchObject({ change: 2, verdict: 'improved' });
    expect(changeScore('GAS', 36.31, 50)).toMatchObject({ change: 13.69, verdict: 'improved' });
    expect(changeScore('FFT', 1, 5)).toMatchObject({ verdict: 'not_a_change_measure', threshold: null });
  });
});

describe('score-only and FFT ranges', () => {
  it('accepts scores on the scale and its step only', () => {
    expect(isValidScore('COPM_PERFORMANCE', 7.4)).toBe(true);
    expect(isValidScore('COPM_PERFORMANCE', 7.45)).toBe(false);
    expect(isValidScore('COPM_PERFORMANCE', 0.5)).toBe(false);
    expect(isValidScore('TOMS', 3.5)).toBe(true);
    expect(isValidScore('TOMS', 3.4)).toBe(false);
    expect(isValidScore('TOMS', 5.5)).toBe(false);
    expect(isValidScore('MOHOST', 2.75)).toBe(true);
    expect(isValidScore('MOHOST', 4.01)).toBe(false);
    expect(isValidScore('FFT', 6)).toBe(true);
    expect(isValidScore('FFT', 2.5)).toBe(false);
    expect(isValidScore('SWEMWBS', Number.NaN)).toBe(false);
  });
  it('scores FFT as NHS England publishes it: positive and negative over all responses, "don\'t know" included', () => {
    expect([1, 2, 3, 4, 5, 6].map(fftCategory)).toEqual(['positive', 'positive', 'neutral', 'negative', 'negative', 'dont_know']);
    // 10 responses: 5 very good, 2 good, 1 neither, 1 very poor, 1 don't know -> 70% positive, 10% negative.
    expect(fftPercentages([1, 1, 1, 1, 1, 2, 2, 3, 5, 6])).toEqual({ responses: 10, positive: 70, negative: 10 });
    expect(fftPercentages([])).toBeNull();
    expect(() => fftCategory(7)).toThrow(RangeError);
  });
});

describe('HCPC registration numbers', () => {
  it('accepts an allied health profession prefix and 5 or 6 digits, tidied', () => {
    expect(normaliseHcpcNumber('OT12345')).toEqual({ number: 'OT12345', prefix: 'OT' });
    expect(normaliseHcpcNumber(' ot 123456 ')).toEqual({ number: 'OT123456', prefix: 'OT' });
    expect(normaliseHcpcNumber('PH71234')?.prefix).toBe('PH');
  });
  it('refuses anything else', () => {
    for (const value of ['', 'OT', 'OT1234', 'OT1234567', '12345', 'XX12345', 'O T12A45', 'GMC1234567']) expect(normaliseHcpcNumber(value), value).toBeNull();
  });
});
