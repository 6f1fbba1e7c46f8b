import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalCdf, normalQuantile, twoSidedZ } from '../../numeric/normal.ts';
import { RandomStream } from '../../numeric/random-stream.ts';
import { roundHalfEven } from '../../numeric/rounding.ts';
import { chiSquareQuantile, gammaP, gammaQuantile, studentTCdf, studentTQuantile } from './distributions.ts';

/** |actual - expected| <= tolerance * |expected| */
function expectRelative(actual: number, expected: number, tolerance: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));
}

describe('normal distribution', () => {
  // Reference values: SciPy 1.17 scipy.stats.norm.cdf / .ppf, an independent implementation,
  // printed to 17 significant digits.
  it.each([
    [-10, 7.6198530241604696e-24],
    [-5.5, 1.8989562465887681e-8],
    [-3, 0.0013498980316300933],
    [-1.96, 0.024997895148220435],
    [-0.3, 0.38208857781104733],
    [0, 0.5],
    [1, 0.84134474606854293],
    [2.5, 0.99379033467422384],
  ])('pnorm(%d)', (x, expected) => {
    // Cody's stated accuracy: about 1e-16 near the centre, a few units in 1e-15 far in the tails.
    expectRelative(normalCdf(x), expected, 1e-14);
  });

  it.each([
    [1e-20, -9.2623400897984092],
    [0.001, -3.0902323061678132],
    [0.025, -1.9599639845400545],
    [0.3, -0.52440051270804089],
    [0.975, 1.959963984540054],
    [0.999, 3.0902323061678132],
  ])('qnorm(%d)', (p, expected) => {
    expectRelative(normalQuantile(p), expected, 2e-15);
  });

  it('the quantile inverts the distribution function', () => {
    // Lower tail and centre only: above ~3 the probability 1 - tiny carries too few digits to invert.
    fc.assert(
      fc.property(fc.double({ min: -8, max: 3, noNaN: true }), (x) => {
        expect(Math.abs(normalQuantile(normalCdf(x)) - x)).toBeLessThan(1e-9 * Math.max(1, Math.abs(x)));
      }),
    );
  });

  it('gives the two-sided deviates used throughout PHEindicatormethods', () => {
    expectRelative(twoSidedZ(0.95), 1.959963984540054, 1e-15);
    expectRelative(twoSidedZ(0.998), 3.0902323061678132, 1e-14);
  });
});

describe('gamma and chi-square', () => {
  // Reference values: SciPy 1.17 scipy.special.gammaincinv (qchisq(p, 2a) = 2 gammaincinv(a, p)).
  // qchisq(0.025, 2) / 2 and qchisq(0.975, 4) / 2 are also PHE's published exact limits for one
  // event (testdata_Rate, Area1: 0.0253178079842899 and 5.5716433909389 per 1).
  it('reproduces the chi-square quantiles', () => {
    expectRelative(chiSquareQuantile(0.025, 2) / 2, 0.025317807984289786, 1e-14);
    expectRelative(chiSquareQuantile(0.975, 4) / 2, 5.571643390938898, 1e-13);
    expectRelative(chiSquareQuantile(0.001, 20), 5.92104074548752, 1e-13);
    expectRelative(chiSquareQuantile(0.999, 22), 48.26794229083518, 1e-13);
  });

  it('gives 0 for zero degrees of freedom (no events), as R does', () => {
    expect(chiSquareQuantile(0.025, 0)).toBe(0);
  });

  it('inverts the regularised incomplete gamma function', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.double({ min: 0.05, max: 500, noNaN: true }), (p, a) => {
        const x = gammaQuantile(p, a);
        expect(Math.abs(gammaP(a, x) - p)).toBeLessThan(1e-11);
      }),
    );
  });
});

describe('Student t', () => {
  // Reference values: SciPy 1.17 scipy.stats.t.ppf(0.975, df); the familiar table values
  // 12.706, 4.303, 2.571, 2.262, 2.045, 1.984.
  it.each([
    [1, 12.706204736174694],
    [2, 4.302652729749462],
    [5, 2.5705818356363146],
    [9, 2.262157162798205],
    [29, 2.045229642132703],
    [100, 1.9839715185235518],
  ])('qt(0.975, %d)', (df, expected) => {
    expectRelative(studentTQuantile(0.975, df), expected, 1e-13);
  });

  it('the quantile inverts the distribution function', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 300 }), (p, df) => {
        expect(Math.abs(studentTCdf(studentTQuantile(p, df), df) - p)).toBeLessThan(1e-11);
      }),
    );
  });
});

describe('roundHalfEven', () => {
  it('rounds halves to the even neighbour, as R does', () => {
    expect([0.5, 1.5, 2.5, 2500, 2.4999, 2.5001].map(roundHalfEven)).toEqual([0, 2, 2, 2500, 2, 3]);
  });
});

describe('RandomStream', () => {
  it('is xoshiro128** 1.1: the reference outputs from state {1, 2, 3, 4}', () => {
    // Blackman and Vigna's xoshiro128starstar.c; the same vector is in Rust's rand_xoshiro tests.
    const stream = RandomStream.fromState(1, 2, 3, 4);
    expect(Array.from({ length: 10 }, () => stream.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804,
    ]);
  });

  it('turns each 32-bit word into a normal deviate as documented (layer = low 7 bits, sign = bit 7, magnitude = top 24 bits)', () => {
    // The first four reference words all fall in the base layer (low 7 bits zero; the third and
    // fourth have bit 7 set, so are negative), whose width is V / f(R) for the 128-layer ziggurat
    // (R = 3.442619855899, V = 9.91256303526217e-3).
    const baseWidth = 9.91256303526217e-3 / Math.exp(-0.5 * 3.442619855899 ** 2);
    const z = new Float64Array(4);
    RandomStream.fromState(1, 2, 3, 4).fillNormal(z);
    [11520, 0, 5927040, 70819200].forEach((word, i) => {
      const expected = (word & 128 ? -1 : 1) * (word >>> 8) * 2 ** -24 * baseWidth;
      expect(Math.abs(z[i]! - expected)).toBeLessThanOrEqual(1e-15 * Math.abs(expected));
    });
  });

  it('gives the same stream for the same seed and a different one for another seed', () => {
    const a = new Float64Array(1000);
    const b = new Float64Array(1000);
    const c = new Float64Array(1000);
    new RandomStream(42).fillNormal(a);
    new RandomStream(42).fillNormal(b);
    new RandomStream(43).fillNormal(c);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('draws standard normal deviates: moments and the distribution function agree with N(0, 1)', () => {
    const n = 400_000;
    const z = new Float64Array(n);
    new RandomStream(20240601).fillNormal(z);
    let mean = 0;
    for (const x of z) mean += x;
    mean /= n;
    let variance = 0;
    let fourth = 0;
    for (const x of z) {
      variance += (x - mean) ** 2;
      fourth += (x - mean) ** 4;
    }
    variance /= n;
    fourth /= n;
    // Standard errors: mean 1/sqrt(n), variance sqrt(2/n), kurtosis sqrt(96/n); allow 5 of each.
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(fourth / variance ** 2 - 3)).toBeLessThan(5 * Math.sqrt(96 / n));
    // Empirical distribution function at points spanning the body, the wedges and the tail.
    for (const q of [-3.6, -2.5, -1, -0.2, 0.5, 1.7, 3.2, 3.6]) {
      let below = 0;
      for (const x of z) if (x <= q) below++;
      const p = normalCdf(q);
      expect(Math.abs(below / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});
