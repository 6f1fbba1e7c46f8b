import { describe, expect, it } from 'vitest';
import { normalCdf } from '../numeric/normal.ts';
import { AliasTable, Random, logFactorial } from './random.ts';

describe('Random (xoshiro128**)', () => {
  it('gives the same stream for the same seed and different streams for neighbouring seeds', () => {
    const a = new Random(42);
    const b = new Random(42);
    const c = new Random(43);
    const first = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(first);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(first);
  });

  it('matches the reference xoshiro128** 1.1 outputs from state {1, 2, 3, 4}', () => {
    // Produced by Blackman and Vigna's xoshiro128starstar.c; the same vector is in Rust's rand_xoshiro tests.
    const random = Random.fromState(1, 2, 3, 4);
    expect(Array.from({ length: 10 }, () => random.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it('keeps a fixed stream for a fixed seed (a change here changes every synthetic file)', () => {
    const random = new Random(1);
    expect(Array.from({ length: 4 }, () => random.nextUint32())).toEqual([2442144158, 3238099751, 3819917871, 2104621829]);
  });

  it('accepts seeds up to 2^53 - 1 and refuses others', () => {
    expect(() => new Random(Number.MAX_SAFE_INTEGER)).not.toThrow();
    expect(new Random(2 ** 40).nextUint32()).not.toBe(new Random(0).nextUint32());
    expect(() => new Random(-1)).toThrow(RangeError);
    expect(() => new Random(1.5)).toThrow(RangeError);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const random = new Random(7);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = random.uniform();
      sum += u;
      squares += u * u;
      min = Math.min(min, u);
      max = Math.max(max, u);
    }
    const mean = sum / n;
    // Standard error of the mean: sqrt(1/12 / n) = 0.00065.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.003);
    expect(Math.abs(squares / n - mean * mean - 1 / 12)).toBeLessThan(0.002);
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
  });

  it('draws whole numbers across the whole range, both ends included', () => {
    const random = new Random(3);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(random.int(1, 6));
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('draws normals with the right mean, variance and tail', () => {
    const random = new Random(11);
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let beyond = 0;
    for (let i = 0; i < n; i++) {
      const z = random.normal();
      sum += z;
      squares += z * z;
      if (z > 1.96) beyond++;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(squares / n - 1)).toBeLessThan(0.015);
    // P(Z > 1.96) = 0.025; SE over 200,000 draws = 0.00035.
    expect(Math.abs(beyond / n - 0.025)).toBeLessThan(0.0015);
  });

  it.each([0.5, 3, 9.5, 10, 42, 400])('draws Poisson(%s) with mean and variance equal to the mean', (mean) => {
    const random = new Random(Math.round(mean * 10));
    const n = 100_000;
    let sum = 0;
    let squares = 0;
    let wholeAndNonNegative = true;
    for (let i = 0; i < n; i++) {
      const k = random.poisson(mean);
      wholeAndNonNegative &&= Number.isInteger(k) && k >= 0;
      sum += k;
      squares += k * k;
    }
    expect(wholeAndNonNegative).toBe(true);
    const m = sum / n;
    const variance = squares / n - m * m;
    // 5 standard errors of the mean, and a 5% band on the variance.
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / n));
    expect(Math.abs(variance / mean - 1)).toBeLessThan(0.05);
  });

  it('draws exponentials and log-normals with the stated mean and median', () => {
    const random = new Random(5);
    const n = 100_000;
    let sum = 0;
    let belowMedian = 0;
    for (let i = 0; i < n; i++) {
      sum += random.exponential(30);
      if (random.logNormal(56, 0.6) < 56) belowMedian++;
    }
    expect(Math.abs(sum / n - 30)).toBeLessThan(0.5);
    expect(Math.abs(belowMedian / n - 0.5)).toBeLessThan(0.006);
  });
});

describe('AliasTable', () => {
  it('draws each index with its share of the weights (chi-square, 5 df, p > 0.001)', () => {
    const weights = [1, 0, 3, 6, 0.5, 9.5];
    const table = new AliasTable(weights);
    const random = new Random(99);
    const n = 200_000;
    const counts = new Array(weights.length).fill(0);
    for (let i = 0; i < n; i++) counts[table.sample(random)]++;
    expect(counts[1]).toBe(0);
    expect(counts[4]).toBeGreaterThan(0);
    const total = weights.reduce((s, w) => s + w, 0);
    let chi = 0;
    weights.forEach((w, i) => {
      if (w === 0) return;
      const expected = (n * w) / total;
      chi += (counts[i] - expected) ** 2 / expected;
    });
    // Critical value of chi-square with 4 degrees of freedom (5 non-zero cells) at p = 0.001.
    expect(chi).toBeLessThan(18.47);
  });

  it('refuses weights with no positive total or a negative weight', () => {
    expect(() => new AliasTable([0, 0])).toThrow(RangeError);
    expect(() => new AliasTable([1, -1])).toThrow(RangeError);
  });
});

describe('helpers', () => {
  it('computes log factorials exactly for small k and by Stirling for large k', () => {
    expect(logFactorial(0)).toBe(0);
    expect(logFactorial(5)).toBeCloseTo(Math.log(120), 12);
    let exact = 0;
    for (let i = 2; i <= 100; i++) exact += Math.log(i);
    expect(logFactorial(100)).toBeCloseTo(exact, 9);
  });

  it('gives normal probabilities to 1e-7', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
  });
});
