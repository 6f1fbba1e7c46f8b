import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appraise } from './appraisal.ts';
import { flatRate } from './discounting.ts';
import { Sampler, betaParameters, gammaParameters, logNormalParameters, runPsa, type Uncertain } from './psa.ts';

describe('method-of-moments parameters (Briggs, Claxton and Sculpher 2006)', () => {
  it('beta: mean 0.3, se 0.05 -> alpha 24.9, beta 58.1 (hand-worked)', () => {
    const { alpha, beta } = betaParameters(0.3, 0.05);
    expect(alpha).toBeCloseTo(24.9, 10);
    expect(beta).toBeCloseTo(58.1, 10);
    expect(() => betaParameters(0.3, 0.5)).toThrow(RangeError);
  });

  it('gamma: mean 1,000, se 200 -> shape 25, scale 40', () => {
    expect(gammaParameters(1000, 200)).toEqual({ shape: 25, scale: 40 });
  });

  it('log-normal: mean and se give back the same mean', () => {
    const { mu, sigma } = logNormalParameters(500, 100);
    expect(Math.exp(mu + (sigma * sigma) / 2)).toBeCloseTo(500, 9);
  });
});

describe('seeded sampling', () => {
  const draws = 100_000;
  function moments(parameter: Uncertain): { mean: number; sd: number } {
    const sampler = new Sampler(11);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < draws; i++) {
      const x = sampler.draw(parameter);
      sum += x;
      sumSq += x * x;
    }
    const mean = sum / draws;
    return { mean, sd: Math.sqrt(sumSq / draws - mean * mean) };
  }

  it.each<[Uncertain]>([
    [{ kind: 'beta', mean: 0.3, se: 0.05 }],
    [{ kind: 'beta', mean: 0.02, se: 0.01 }],
    [{ kind: 'gamma', mean: 1000, se: 200 }],
    [{ kind: 'gamma', mean: 2, se: 3 }],
    [{ kind: 'lognormal', mean: 500, se: 100 }],
  ])('draws with the asked mean and spread: %o', (parameter) => {
    if (parameter.kind === 'fixed') throw new Error('unreachable');
    const { mean, sd } = moments(parameter);
    // Within 4 standard errors of the mean, and the spread within 3%.
    expect(Math.abs(mean - parameter.mean)).toBeLessThan((4 * parameter.se) / Math.sqrt(draws));
    expect(sd / parameter.se).toBeGreaterThan(0.97);
    expect(sd / parameter.se).toBeLessThan(1.03);
  });
});

describe('probabilistic sensitivity', () => {
  const parameters = {
    peopleHelped: { kind: 'gamma', mean: 40, se: 8 },
    shareStayingInWork: { kind: 'beta', mean: 0.3, se: 0.05 },
    valuePerPerson: { kind: 'lognormal', mean: 12_000, se: 3_000 },
    cost: { kind: 'fixed', value: 100_000 },
  } as const satisfies Record<string, Uncertain>;
  function model(v: Readonly<Record<keyof typeof parameters, number>>) {
    const yearly = v.peopleHelped * v.shareStayingInWork * v.valuePerPerson;
    const result = appraise({ benefits: [0, yearly, yearly * 0.5], costs: [v.cost] }, flatRate(0.035));
    return { outcome: result.netPresentValue, succeeded: (result.benefitCostRatio ?? 0) > 1 };
  }

  it('the same seed gives the same result; another seed does not', () => {
    const a = runPsa(parameters, model, { draws: 2_000, seed: 42 });
    expect(runPsa(parameters, model, { draws: 2_000, seed: 42 })).toEqual(a);
    expect(runPsa(parameters, model, { draws: 2_000, seed: 43 }).mean).not.toBe(a.mean);
    expect(a.lower).toBeLessThan(a.mean);
    expect(a.upper).toBeGreaterThan(a.mean);
    expect(a.probabilityOfSuccess).toBeGreaterThan(0);
    expect(a.probabilityOfSuccess).toBeLessThan(1);
  });

  it('with no uncertainty it equals the deterministic case (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.nat(), (people, share, seed) => {
        const certain = {
          peopleHelped: { kind: 'gamma', mean: people, se: 0 },
          shareStayingInWork: { kind: 'beta', mean: share, se: 0 },
          valuePerPerson: { kind: 'lognormal', mean: 12_000, se: 0 },
          cost: { kind: 'fixed', value: 100_000 },
        } as const;
        const deterministic = model({ peopleHelped: people, shareStayingInWork: share, valuePerPerson: 12_000, cost: 100_000 });
        const psa = runPsa(certain, model, { draws: 20, seed });
        const close = (x: number) => Math.abs(x - deterministic.outcome) <= 1e-9 * Math.max(1, Math.abs(deterministic.outcome));
        return close(psa.mean) && psa.lower === deterministic.outcome && psa.upper === deterministic.outcome && psa.probabilityOfSuccess === Number(deterministic.succeeded);
      }),
      { numRuns: 50 },
    );
  });
});
