import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appraise, switchingValue } from './appraisal.ts';
import { GREEN_BOOK_HEALTH, GREEN_BOOK_STANDARD, discountFactors, flatRate, presentValue } from './discounting.ts';
import { outcomeValueByYear, type OutcomeChain } from './sroi.ts';

describe('Green Book discounting (2022, Annex A6)', () => {
  it('standard rate: factors hand-worked from 3.5% then 3.0% after year 30', () => {
    const factors = discountFactors(31);
    expect(factors[0]).toBe(1);
    expect(factors[1]).toBeCloseTo(0.9662, 4); // 1 / 1.035
    expect(factors[10]).toBeCloseTo(0.7089, 4); // 1 / 1.035^10
    expect(factors[30]).toBeCloseTo(0.3563, 4); // 1 / 1.035^30
    expect(factors[31]).toBeCloseTo(0.3563 / 1.03, 4); // the step to 3.0% from year 31
  });

  it('health rate: 1.5% for the first 30 years', () => {
    expect(discountFactors(10, GREEN_BOOK_HEALTH)[10]).toBeCloseTo(1 / 1.015 ** 10, 12);
    expect(discountFactors(31, GREEN_BOOK_HEALTH)[31]).toBeCloseTo(1 / (1.015 ** 30 * 1.0129), 12);
  });

  it('present value of 100 a year for years 0-4 at 3.5% is 467.31', () => {
    // 100 x (1 + 1/1.035 + 1/1.035^2 + 1/1.035^3 + 1/1.035^4) = 467.31 (annuity due, hand-worked).
    expect(presentValue([100, 100, 100, 100, 100])).toBeCloseTo(467.31, 2);
  });

  it('NPV falls as the discount rate rises for positive flows (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 20 }),
        fc.double({ min: 0, max: 0.2, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        (flows, rate, more) => presentValue(flows, flatRate(rate + more)) <= presentValue(flows, flatRate(rate)) + 1e-9,
      ),
    );
  });
});

describe('SROI value chain (Cabinet Office guide, 2012)', () => {
  const chain: OutcomeChain = {
    name: 'stayed in work',
    quantity: 20,
    proxy: 10_000,
    deadweight: 0.25,
    displacement: 0.1,
    attribution: 0.2,
    dropOff: 0.5,
    duration: 3,
    netEffect: false,
  };

  it('applies each deduction and the drop-off by year (hand-worked)', () => {
    // 20 x 10,000 x 0.75 x 0.9 x 0.8 = 108,000; then halved each year.
    const { byYear, warnings } = outcomeValueByYear(chain);
    expect(byYear.map((v) => Math.round(v * 100) / 100)).toEqual([108_000, 54_000, 27_000]);
    expect(warnings).toEqual([]);
  });

  it('a net effect never takes deadweight or attribution twice, and says so', () => {
    const { byYear, warnings } = outcomeValueByYear({ ...chain, netEffect: true });
    expect(byYear[0]).toBeCloseTo(20 * 10_000 * 0.9, 6);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/already in it/);
  });

  it('refuses fractions outside 0 to 1', () => {
    expect(() => outcomeValueByYear({ ...chain, deadweight: 1.2 })).toThrow(RangeError);
    expect(() => outcomeValueByYear({ ...chain, duration: 0 })).toThrow(RangeError);
  });
});

describe('appraisal summaries (Green Book)', () => {
  it('NPV, benefit-cost ratio, payback and break-even (hand-worked)', () => {
    // Cost 1,000 in year 0, benefits 400 a year in years 1-3.
    const result = appraise({ benefits: [0, 400, 400, 400], costs: [1000] }, flatRate(0.035));
    const pv = 400 / 1.035 + 400 / 1.035 ** 2 + 400 / 1.035 ** 3;
    expect(result.presentValueBenefits).toBeCloseTo(pv, 9);
    expect(result.netPresentValue).toBeCloseTo(pv - 1000, 9);
    expect(result.benefitCostRatio).toBeCloseTo(pv / 1000, 9);
    expect(result.paybackYear).toBe(3); // cumulative -1000, -600, -200, +200
    expect(result.breakEvenYear).toBe(3); // discounted cumulative first >= 0 in year 3 (pv 1120.6)
  });

  it('no payback when the flows never recover', () => {
    const result = appraise({ benefits: [0, 100, 100], costs: [1000] });
    expect(result.paybackYear).toBeNull();
    expect(result.breakEvenYear).toBeNull();
    expect(appraise({ benefits: [5], costs: [] }).benefitCostRatio).toBeNull();
  });

  it('switching value: the multiple of the key effect at which NPV is 0', () => {
    const key = [0, 400, 400, 400];
    const k = switchingValue(key, { benefits: [], costs: [1000] }, flatRate(0.035))!;
    const scaled = appraise({ benefits: key.map((v) => v * k), costs: [1000] }, flatRate(0.035));
    expect(scaled.netPresentValue).toBeCloseTo(0, 9);
    expect(k).toBeCloseTo(1000 / (400 / 1.035 + 400 / 1.035 ** 2 + 400 / 1.035 ** 3), 9);
    expect(switchingValue([0, 0], { benefits: [], costs: [1] })).toBeNull();
  });

  it('uses the stepped standard schedule by default', () => {
    expect(appraise({ benefits: [0, 100], costs: [] }).presentValueBenefits).toBeCloseTo(100 / 1.035, 12);
    expect(GREEN_BOOK_STANDARD[0]!.rate).toBe(0.035);
  });
});
