import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benefitsByQuintile, distributionalWeights, evaluateCase, probabilisticCase, tornado, type OutcomeLine, type Parameter, type Scenario } from './business-case.ts';
import { presentValue, flatRate } from './discounting.ts';
import { deflate, extendIndex, rebase } from './inflation.ts';

const entered = (value: number, extra: Partial<Parameter> = {}): Parameter => ({ value, source: { kind: 'entered', reason: 'test' }, ...extra });

const outcome = (overrides: Partial<OutcomeLine> = {}): OutcomeLine => ({
  name: 'fewer GP appointments',
  beneficiary: 'nhs',
  quantity: entered(10, { low: 5, high: 15, distribution: { kind: 'gamma', se: 2 } }),
  proxy: entered(100, { low: 80, high: 120 }),
  proxyPriceYear: 2024,
  deadweight: entered(0.2, { low: 0.1, high: 0.3, distribution: { kind: 'beta', se: 0.05 } }),
  displacement: entered(0),
  attribution: entered(0.5),
  dropOff: entered(0.5),
  duration: 2,
  netEffect: false,
  ...overrides,
});

/**
 * Worked by hand: the chain gives 10 x 100 x 0.8 x 1 x 0.5 = 400 in an outcome's first year and
 * 200 in its second; a cohort each year gives benefits 400, 600, 600 over three years; at 10%
 * their present value is 400 + 600/1.1 + 600/1.21 = 1,441.3223; less the cost of 1,000 in year 0.
 */
const scenario: Scenario = {
  name: 'one OT day a week in a GP practice',
  horizonYears: 3,
  priceYear: 2024,
  discount: { flat: 0.1 },
  costs: [{ name: 'OT time', payer: 'nhs', byYear: [1000], priceYear: 2024 }],
  outcomes: [outcome()],
  keyOutcome: 'fewer GP appointments',
};

describe('the business case', () => {
  it('matches the hand-worked case', () => {
    const result = evaluateCase(scenario);
    expect(result.benefitsByYear).toEqual([400, 600, 600]);
    expect(result.costsByYear).toEqual([1000, 0, 0]);
    expect(result.appraisal.presentValueBenefits).toBeCloseTo(1441.3223, 4);
    expect(result.appraisal.netPresentValue).toBeCloseTo(441.3223, 4);
    expect(result.appraisal.benefitCostRatio).toBeCloseTo(1.4413223, 6);
    expect(result.appraisal.paybackYear).toBe(1);
    expect(result.appraisal.breakEvenYear).toBe(2);
    expect(result.switchingValue).toBeCloseTo(1000 / 1441.3223, 6);
    expect(result.byPayer).toEqual([{ payer: 'nhs', presentValueCosts: 1000, presentValueBenefits: result.appraisal.presentValueBenefits, net: result.appraisal.netPresentValue }]);
  });

  it('splits who pays and who gains', () => {
    const result = evaluateCase({ ...scenario, outcomes: [outcome(), outcome({ name: 'back in work', beneficiary: 'dwp_hmrc', proxyPriceYear: 2024 })] });
    expect(result.byPayer.map((row) => row.payer)).toEqual(['nhs', 'dwp_hmrc']);
    expect(result.byPayer[1]!.presentValueCosts).toBe(0);
    expect(result.byPayer[1]!.presentValueBenefits).toBeCloseTo(1441.3223, 4);
  });

  it('rebases a proxy from another price year, and refuses without an index', () => {
    const older = { ...scenario, outcomes: [outcome({ proxyPriceYear: 2020 })] };
    expect(() => evaluateCase(older)).toThrow(/give a price index/);
    const result = evaluateCase({ ...older, priceIndex: { name: 'GDP deflator', values: { 2020: 100, 2024: 120 } } });
    expect(result.benefitsByYear).toEqual([480, 720, 720]);
    expect(() => evaluateCase({ ...older, priceIndex: { name: 'GDP deflator', values: { 2024: 120 } } })).toThrow(/GDP deflator has no value for 2020/);
  });

  it('does not take deadweight and attribution twice for a net effect, and says so', () => {
    const result = evaluateCase({ ...scenario, outcomes: [outcome({ netEffect: true })] });
    expect(result.benefitsByYear[0]).toBe(1000);
    expect(result.warnings[0]).toMatch(/net effect/);
  });

  it('draws a tornado with the widest swing first', () => {
    const { baseNpv, bars } = tornado(scenario);
    expect(baseNpv).toBeCloseTo(441.3223, 4);
    expect(bars.map((bar) => bar.parameter)).toEqual(['outcomes.fewer GP appointments.quantity', 'outcomes.fewer GP appointments.proxy', 'outcomes.fewer GP appointments.deadweight']);
    // Quantity 5 halves the benefits: NPV = 720.66 - 1000.
    expect(bars[0]!.npvAtLow).toBeCloseTo(1441.3223 / 2 - 1000, 4);
    expect(bars[0]!.swing).toBeCloseTo(1441.3223, 4);
  });

  it('gives the same probabilistic result for the same seed, and the deterministic one without uncertainty', () => {
    const a = probabilisticCase(scenario, { draws: 500, seed: 7 });
    const b = probabilisticCase(scenario, { draws: 500, seed: 7 });
    expect(a).toEqual(b);
    expect(a.benefitCostRatio.probabilityOfSuccess).toBeGreaterThan(0.5);
    expect(a.benefitCostRatio.probabilityOfSuccess).toBeLessThan(1);
    const certain: Scenario = { ...scenario, outcomes: [outcome({ quantity: entered(10, { distribution: { kind: 'gamma', se: 0 } }), deadweight: entered(0.2) })] };
    const run = probabilisticCase(certain, { draws: 50, seed: 1 });
    const deterministic = evaluateCase(certain).appraisal.netPresentValue;
    expect(deterministic).toBeCloseTo(441.3223, 4);
    expect(run.npv.mean).toBeCloseTo(deterministic, 9);
    expect(run.npv.lower).toBeCloseTo(deterministic, 9);
    expect(run.npv.upper).toBeCloseTo(deterministic, 9);
    expect(run.benefitCostRatio.probabilityOfSuccess).toBe(1);
  });

  it('weights benefits by quintile with Green Book distributional weights', () => {
    // (30/10)^1.3 = e^(1.3 ln 3) = e^1.428196 = 4.17117; (30/50)^1.3 = e^(1.3 ln 0.6) = e^-0.664073 = 0.51475, worked by hand.
    const weights = distributionalWeights([10, 20, 30, 40, 50]);
    expect(weights[0]).toBeCloseTo(4.17117, 4);
    expect(weights[2]).toBe(1);
    expect(weights[4]).toBeCloseTo(0.51475, 4);
    const shared = { ...scenario, outcomes: [outcome({ quintileShares: [0.4, 0.3, 0.2, 0.1, 0] })] };
    const rows = benefitsByQuintile(shared, evaluateCase(shared), weights);
    expect(rows[0]!.presentValueBenefits).toBeCloseTo(1441.3223 * 0.4, 4);
    expect(rows[0]!.weighted).toBeCloseTo(1441.3223 * 0.4 * weights[0]!, 4);
    expect(rows[4]!.presentValueBenefits).toBe(0);
  });

  it('property: NPV falls as the discount rate rises, for positive flows', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 1e6, noNaN: true }), { minLength: 2, maxLength: 30 }), fc.double({ min: 0, max: 0.2, noNaN: true }), fc.double({ min: 0.001, max: 0.1, noNaN: true }), (flows, rate, step) => {
        expect(presentValue(flows, flatRate(rate + step))).toBeLessThan(presentValue(flows, flatRate(rate)));
      }),
    );
  });
});

describe('prices in one year', () => {
  it('rebases by the ratio of the index values', () => {
    expect(rebase(184, 2020, 2024, { 2020: 100, 2024: 115 })).toBeCloseTo(211.6, 10);
    expect(rebase(50, 2024, 2024, {})).toBe(50);
    expect(extendIndex({ 2023: 100 }, 2025, 0.02)).toEqual({ 2023: 100, 2024: 102, 2025: 104.04 });
  });

  it('property: deflating never raises a benefit when the index never falls', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.2, noNaN: true }), { minLength: 1, maxLength: 15 }), fc.array(fc.double({ min: 0, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 15 }), (growth, cash) => {
        const index: Record<number, number> = { 2020: 100 };
        growth.forEach((g, i) => (index[2021 + i] = index[2020 + i]! * (1 + g)));
        const years = cash.slice(0, growth.length + 1);
        const real = deflate(years, 2020, 2020, index);
        real.forEach((value, i) => expect(value).toBeLessThanOrEqual(years[i]! * (1 + 1e-12)));
      }),
    );
  });
});
