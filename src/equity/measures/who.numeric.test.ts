import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, twoSidedZComplement as twoSidedZ } from '../../numeric/normal.ts';
import { roundHalfEven } from '../../numeric/rounding.ts';
import { createUniformGenerator, quantileType7 } from './who.numeric.ts';

describe('normalQuantile (AS 241)', () => {
  // Reference values: R qnorm() / SciPy ndtri(), both double precision.
  it.each([
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.9995, 3.2905267314919255],
    [0.3, -0.5244005127080409],
    [0.8, 0.8416212335729143],
    [0.02425, -1.972961051311885],
    [1e-10, -6.361340902404056],
    [1 - 1e-12, 7.0344869100478356],
  ])('qnorm(%d) = %d', (p, expected) => {
    expect(Math.abs(normalQuantile(p) - expected)).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(expected)));
  });

  it('is 0 at one half, infinite at the ends and NaN outside [0, 1]', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
  });

  it('gives the two-sided critical value', () => {
    expect(twoSidedZ(0.95)).toBeCloseTo(1.959963984540054, 14);
    expect(twoSidedZ(0.998)).toBeCloseTo(3.090232306167813, 13);
  });
});

describe('normalCdf', () => {
  // Reference values: R pnorm() / SciPy ndtr().
  it.each([
    [-8, 6.22096057427174e-16],
    [-3, 0.0013498980316300933],
    [-1.5, 0.06680720126885807],
    [0, 0.5],
    [0.3, 0.6179114221889526],
    [1.96, 0.9750021048517795],
    [4, 0.9999683287581669],
    [7.5, 0.9999999999999681],
  ])('pnorm(%d) = %d', (x, expected) => {
    expect(Math.abs(normalCdf(x) - expected)).toBeLessThanOrEqual(2e-15);
  });

  it('inverts normalQuantile', () => {
    for (const p of [1e-6, 0.01, 0.2, 0.5, 0.77, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 13);
  });

  it('uses the tail expansion beyond 8 (relative accuracy in the tail)', () => {
    // SciPy ndtr(-9) = 1.1285884059538324e-19
    expect(Math.abs(normalCdf(-9) / 1.1285884059538324e-19 - 1)).toBeLessThan(1e-12);
    expect(normalCdf(40)).toBe(1);
  });
});

describe('createUniformGenerator', () => {
  it('is reproducible for a seed and differs between seeds', () => {
    const a = createUniformGenerator(42);
    const b = createUniformGenerator(42);
    const c = createUniformGenerator(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
  });

  it('stays strictly inside (0, 1) with mean 1/2 and variance 1/12', () => {
    const u = createUniformGenerator(7);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const x = u.next();
      expect(x > 0 && x < 1).toBe(true);
      sum += x;
      squares += x * x;
    }
    const mean = sum / n;
    // 5 standard errors: sd of the mean is sqrt(1/12 / n) = 6.5e-4.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(squares / n - mean * mean - 1 / 12)).toBeLessThan(2e-3);
  });

  it('rejects a non-finite seed', () => {
    expect(() => createUniformGenerator(Number.NaN)).toThrow(RangeError);
  });
});

describe('quantileType7', () => {
  it('matches R quantile(1:10, c(0.025, 0.1, 0.5, 0.975))', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantileType7(x, 0.025)).toBeCloseTo(1.225, 12);
    expect(quantileType7(x, 0.1)).toBeCloseTo(1.9, 12);
    expect(quantileType7(x, 0.5)).toBeCloseTo(5.5, 12);
    expect(quantileType7(x, 0.975)).toBeCloseTo(9.775, 12);
  });
});

describe('roundHalfEven (R round)', () => {
  it('sends halves to the even neighbour, unlike Math.round', () => {
    expect(roundHalfEven(50.5)).toBe(50);
    expect(roundHalfEven(51.5)).toBe(52);
    expect(roundHalfEven(-0.5) === 0).toBe(true);
    expect(roundHalfEven(-1.5)).toBe(-2);
    expect(roundHalfEven(15.6)).toBe(16);
    expect(roundHalfEven(27.3)).toBe(27);
  });
});
