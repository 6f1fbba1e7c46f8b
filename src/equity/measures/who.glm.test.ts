import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitLeastSquares, fitLogistic, invertSymmetric, logistic, quadraticForm } from './who.glm.ts';

const logit = (p: number): number => Math.log(p / (1 - p));

describe('fitLogistic', () => {
  // Three rows, two of them in the same covariate class: the MLE and both covariances have
  // closed forms, worked by hand below.
  const x = [
    [1, 0],
    [1, 0],
    [1, 1],
  ];
  const proportion = [0.2, 0.4, 0.7];
  const weight = [100, 50, 80];
  const fit = fitLogistic({ x, proportion, weight });

  it('finds the closed-form maximum likelihood estimate', () => {
    // Class 0 pools to (0.2 x 100 + 0.4 x 50) / 150 = 4/15; class 1 is 0.7.
    expect(fit.converged).toBe(true);
    expect(fit.coefficients[0]).toBeCloseTo(logit(4 / 15), 12);
    expect(fit.coefficients[1]).toBeCloseTo(logit(0.7) - logit(4 / 15), 12);
    expect(fit.fitted[0]).toBeCloseTo(4 / 15, 12);
  });

  it('gives the model covariance (X\'WX)^-1 and the HC0 / HC1 sandwich', () => {
    const w0 = 150 * (4 / 15) * (11 / 15);
    const w1 = 80 * 0.7 * 0.3;
    // (X'WX)^-1 = [[1/W0, -1/W0], [-1/W0, 1/W0 + 1/W1]]
    expect(fit.covariance[0]?.[0]).toBeCloseTo(1 / w0, 12);
    expect(fit.covariance[0]?.[1]).toBeCloseTo(-1 / w0, 12);
    expect(fit.covariance[1]?.[1]).toBeCloseTo(1 / w0 + 1 / w1, 12);
    // Scores w_i (y_i - mu_i): -100 x 1/15 and +50 x 2/15 in class 0, 0 in class 1, so
    // meat = m e1 e1' with m = 2 (20/3)^2 and HC0 = m / W0^2 [[1, -1], [-1, 1]].
    const m = 2 * (20 / 3) ** 2;
    expect(fit.hc0[0]?.[0]).toBeCloseTo(m / w0 ** 2, 12);
    expect(fit.hc0[0]?.[1]).toBeCloseTo(-m / w0 ** 2, 12);
    expect(fit.hc0[1]?.[1]).toBeCloseTo(m / w0 ** 2, 12);
    // HC1 = n / (n - p) HC0 = 3 HC0.
    expect(fit.hc1[1]?.[1]).toBeCloseTo((3 * m) / w0 ** 2, 12);
  });

  it('satisfies the score equations X\' W (y - mu) = 0 on arbitrary data', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ r: fc.integer({ min: 0, max: 20 }).map((k) => k / 20), y: fc.double({ min: 0.05, max: 0.95, noNaN: true }), w: fc.integer({ min: 1, max: 10_000 }) }), { minLength: 3, maxLength: 12 }),
        (rows) => {
          // Distinct covariate values (a design with one value is singular, which is refused).
          fc.pre(new Set(rows.map((row) => row.r)).size >= 2);
          const result = fitLogistic({ x: rows.map((row) => [1, row.r]), proportion: rows.map((row) => row.y), weight: rows.map((row) => row.w) });
          const scale = rows.reduce((s, row) => s + row.w, 0);
          for (let a = 0; a < 2; a++) {
            const score = rows.reduce((s, row, i) => s + row.w * (row.y - (result.fitted[i] as number)) * (a === 0 ? 1 : row.r), 0);
            expect(Math.abs(score)).toBeLessThan(1e-9 * scale);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('is invariant to multiplying all weights by a constant, covariances included (HC1 and point estimate)', () => {
    const scaled = fitLogistic({ x, proportion, weight: weight.map((w) => w * 9) });
    expect(scaled.coefficients[1]).toBeCloseTo(fit.coefficients[1] as number, 12);
    expect(scaled.hc1[1]?.[1]).toBeCloseTo(fit.hc1[1]?.[1] as number, 12);
  });

  it('does not pretend to converge when the data separate perfectly', () => {
    const attempt = (): boolean =>
      fitLogistic({ x: [[1, 0], [1, 0.5], [1, 1]], proportion: [0, 0, 1], weight: [10, 10, 10] }).converged;
    let converged: boolean | 'threw' = 'threw';
    try {
      converged = attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(RangeError);
    }
    expect(converged === false || converged === 'threw').toBe(true);
  });
});

describe('fitLeastSquares', () => {
  it('matches the textbook simple regression', () => {
    // y = a + b x on x = 1..4, y = 2, 3, 5, 4: b = Sxy / Sxx = 4 / 5, a = 3.5 - 0.8 x 2.5 = 1.5,
    // RSS = 1.8, s^2 = 0.9, var(b) = s^2 / Sxx = 0.18, var(a) = s^2 (1/n + xbar^2 / Sxx) = 1.35.
    const fit = fitLeastSquares(
      [1, 2, 3, 4].map((v) => [1, v]),
      [2, 3, 5, 4],
    );
    expect(fit.coefficients[0]).toBeCloseTo(1.5, 12);
    expect(fit.coefficients[1]).toBeCloseTo(0.8, 12);
    expect(fit.residualVariance).toBeCloseTo(0.9, 12);
    expect(fit.covariance[1]?.[1]).toBeCloseTo(0.18, 12);
    expect(fit.covariance[0]?.[0]).toBeCloseTo(1.35, 12);
  });

  it('needs more rows than columns', () => {
    expect(() => fitLeastSquares([[1, 0], [1, 1]], [1, 2])).toThrow(RangeError);
  });
});

describe('matrix helpers', () => {
  it('inverts and refuses singular matrices', () => {
    const inverse = invertSymmetric([
      [4, 2],
      [2, 3],
    ]);
    expect(inverse[0]?.[0]).toBeCloseTo(3 / 8, 14);
    expect(inverse[0]?.[1]).toBeCloseTo(-2 / 8, 14);
    expect(inverse[1]?.[1]).toBeCloseTo(4 / 8, 14);
    expect(() => invertSymmetric([[1, 2], [2, 4]])).toThrow(RangeError);
  });

  it('computes g\'Vg and the logistic function stably', () => {
    expect(quadraticForm([1, 2], [[2, 1], [1, 3]])).toBe(2 + 2 * 2 * 1 + 4 * 3);
    expect(logistic(0)).toBe(0.5);
    expect(logistic(-800)).toBe(0);
    expect(logistic(800)).toBe(1);
  });
});
