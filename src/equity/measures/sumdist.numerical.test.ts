import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fftComplex, RealFft } from './sumdist.fft.ts';
import { latticeDistribution, termMoments, weightedSumCdf, weightedSumQuantiles, type SumTerm } from './sumdist.numerical.ts';
import { normalCdf, normalQuantile } from '../../numeric/normal.ts';

describe('FFT', () => {
  it('the real transform equals the direct DFT and inverts exactly (lengths 4 to 1024, partial input)', () => {
    for (const n of [4, 8, 32, 1024]) {
      const used = n - 3;
      const x = Float64Array.from({ length: n }, (_, j) => (j < used ? Math.sin(1.3 * j) + (j % 3) - 0.5 : 0));
      const fft = new RealFft(n);
      const re = new Float64Array(n / 2 + 1);
      const im = new Float64Array(n / 2 + 1);
      fft.forward(x, used, re, im);
      let scale = 0;
      for (let j = 0; j < used; j++) scale += Math.abs(x[j]!);
      for (let k = 0; k <= n / 2; k++) {
        let sr = 0;
        let si = 0;
        for (let j = 0; j < used; j++) {
          // exact angle reduction: (j k) mod n
          const angle = (-2 * Math.PI * ((j * k) % n)) / n;
          sr += x[j]! * Math.cos(angle);
          si += x[j]! * Math.sin(angle);
        }
        expect(Math.abs(re[k]! - sr)).toBeLessThan(1e-13 * scale);
        expect(Math.abs(im[k]! - si)).toBeLessThan(1e-13 * scale);
      }
      const back = new Float64Array(n);
      fft.inverse(re, im, back);
      for (let j = 0; j < n; j++) expect(Math.abs(back[j]! - x[j]!)).toBeLessThan(1e-14 * scale);
    }
  });

  it('the complex transform of a unit impulse is flat, and inverse(forward) is the identity', () => {
    const n = 64;
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    re[5] = 1;
    fftComplex(re, im);
    for (let k = 0; k < n; k++) expect(Math.hypot(re[k]!, im[k]!)).toBeCloseTo(1, 14);
    fftComplex(re, im, true);
    for (let k = 0; k < n; k++) {
      expect(re[k]!).toBeCloseTo(k === 5 ? 1 : 0, 14);
      expect(im[k]!).toBeCloseTo(0, 14);
    }
  });
});

describe('weighted sums of transformed normals: exact cases', () => {
  it('identity link: a sum of normals (wide and near-point terms, both signs) has exactly normal quantiles', () => {
    const terms: SumTerm[] = [
      { weight: 1, centre: 1, sd: 1 },
      { weight: -2, centre: 0.5, sd: 0.3 },
      { weight: 0.5, centre: 3, sd: 2 },
      { weight: 1e-4, centre: 1, sd: 1 }, // far narrower than the lattice: characteristic function by quadrature
    ];
    const mean = 1 - 1 + 1.5 + 1e-4;
    const sd = Math.sqrt(1 + 0.36 + 1 + 1e-8);
    for (const p of [0.001, 0.025, 0.5, 0.975, 0.999]) {
      const exact = mean + sd * normalQuantile(p);
      const result = weightedSumQuantiles(terms, 'identity', 0.25, [p], 1e-6);
      expect(Math.abs(result.values[0]! - 0.25 - exact)).toBeLessThan(1e-6 * sd);
      // The reported error estimate covers the actual error.
      expect(Math.abs(result.values[0]! - 0.25 - exact)).toBeLessThanOrEqual(result.errors[0]! + 1e-12);
    }
    const d = latticeDistribution(terms, 'identity', 0, 16)!;
    for (const x of [-2, 0, 1.5, 3]) expect(Math.abs(d.cdf(x) - normalCdf((x - mean) / sd))).toBeLessThan(1e-7);
  });

  it('one log-normal or logit-normal term, either sign (the hardest case: nothing smooths its peak): quantiles are w g(mu + sigma z_p), within the reported error', () => {
    const cases: [SumTerm, 'exp' | 'expit'][] = [
      [{ weight: 2, centre: 0.3, sd: 0.2 }, 'exp'],
      [{ weight: -0.7, centre: 1.1, sd: 0.9 }, 'exp'], // strongly skewed
      [{ weight: 1, centre: -2.5, sd: 1.2 }, 'expit'], // near 0 and skewed
      [{ weight: -3, centre: 0.4, sd: 0.3 }, 'expit'],
    ];
    for (const [term, link] of cases) {
      const g = link === 'exp' ? Math.exp : (x: number) => 1 / (1 + Math.exp(-x));
      const exact = (p: number): number => term.weight * g(term.centre + term.sd * normalQuantile(term.weight > 0 ? p : 1 - p));
      const width = Math.abs(exact(0.975) - exact(0.025));
      const ps = [0.001, 0.025, 0.5, 0.975, 0.999];
      // The tolerance the SII uses: 1e-4 of the width.
      const result = weightedSumQuantiles([term], link, 0, ps, 1e-4 * width);
      ps.forEach((p, i) => {
        const error = Math.abs(result.values[i]! - exact(p));
        expect(error).toBeLessThanOrEqual(result.errors[i]!);
        expect(error).toBeLessThan(1e-4 * width);
      });
    }
  });

  it('the moments used for the lattice are right (closed form for exp, quadrature for expit)', () => {
    const exp = termMoments({ weight: 2, centre: 0.1, sd: 0.5 }, 'exp');
    expect(exp.mean).toBeCloseTo(2 * Math.exp(0.1 + 0.125), 14);
    expect(exp.variance).toBeCloseTo(4 * Math.exp(0.2 + 0.25) * (Math.exp(0.25) - 1), 13);
    // expit(Z) with Z standard normal: mean 1/2 by symmetry; E[expit(Z)^2] = 0.29363 (numerical integral).
    const expit = termMoments({ weight: 1, centre: 0, sd: 1 }, 'expit');
    expect(expit.mean).toBeCloseTo(0.5, 14);
    let m2 = 0;
    for (let z = -12; z <= 12; z += 1e-3) m2 += (1e-3 * Math.exp(-z * z / 2)) / Math.sqrt(2 * Math.PI) / (1 + Math.exp(-z)) ** 2;
    expect(expit.variance).toBeCloseTo(m2 - 0.25, 8);
  });

  it('a sum of 10 log-normals: the lattice result converges, and each error estimate covers its distance from a 32 times finer lattice', () => {
    const terms: SumTerm[] = Array.from({ length: 10 }, (_, i) => ({ weight: (i - 4.3) / 10, centre: 3 + 0.05 * i, sd: 0.15 + 0.08 * i }));
    const ps = [0.001, 0.025, 0.975, 0.999];
    const reference = latticeDistribution(terms, 'exp', 0, 256)!;
    const result = weightedSumQuantiles(terms, 'exp', 0, ps, Infinity);
    ps.forEach((p, i) => {
      const error = Math.abs(result.values[i]! - reference.quantile(p));
      expect(error).toBeLessThanOrEqual(result.errors[i]!);
    });
    const width = reference.quantile(0.975) - reference.quantile(0.025);
    expect(Math.max(...result.errors)).toBeLessThan(1e-3 * width);
  });

  it('the distribution function is monotone and matches the quantiles', () => {
    const terms: SumTerm[] = [
      { weight: 0.5, centre: 2, sd: 0.6 },
      { weight: -0.3, centre: 2.2, sd: 0.4 },
      { weight: 0.2, centre: 1.5, sd: 1.1 },
    ];
    const d = latticeDistribution(terms, 'exp', 0, 8)!;
    let previous = -1;
    for (let x = d.quantile(1e-6); x <= d.quantile(1 - 1e-6); x += d.spacing / 7) {
      const f = d.cdf(x);
      expect(f).toBeGreaterThanOrEqual(previous - 1e-12);
      previous = f;
    }
    for (const p of [0.01, 0.3, 0.9]) expect(d.cdf(d.quantile(p))).toBeCloseTo(p, 10);
    const at = weightedSumCdf(terms, 'exp', 0, d.quantile(0.3), true);
    expect(at.value).toBeCloseTo(0.3, 10);
    expect(Math.abs(at.value - (at.coarse as number))).toBeLessThan(1e-4);
  });

  it('a constant (no varying term) has every quantile at the constant', () => {
    const result = weightedSumQuantiles([{ weight: 0, centre: 1, sd: 1 }, { weight: 2, centre: 0, sd: 0 }], 'exp', 1, [0.025, 0.975], 1e-6);
    expect(result.values).toEqual([3, 3]);
  });

  it('property: for random sums of log-normal or logit-normal terms the limits are finite and ordered, with error estimates below 1e-3 of the width at the SII\'s tolerance unless the lattice reached its largest size', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ weight: fc.double({ min: -2, max: 2, noNaN: true }), centre: fc.double({ min: -4, max: 4, noNaN: true }), sd: fc.double({ min: 0.01, max: 1.5, noNaN: true }) }), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        (terms, exp) => {
          const link = exp ? 'exp' : 'expit';
          const spread = Math.sqrt(terms.reduce((s, t) => s + termMoments(t, link).variance, 0));
          if (!(spread > 1e-9)) return;
          const result = weightedSumQuantiles(terms, link, 0, [0.025, 0.975], 1e-4 * 3.92 * spread);
          const [lower, upper] = result.values as [number, number];
          expect(Number.isFinite(lower) && Number.isFinite(upper)).toBe(true);
          expect(upper).toBeGreaterThan(lower);
          // A single dominant term with a log-scale se near 1.5 can need more than 2^16 points;
          // the SII then checks the estimate against the simulation's standard error.
          if (result.points < 2 ** 16) expect(Math.max(...result.errors)).toBeLessThan(1e-3 * (upper - lower));
        },
      ),
      { numRuns: 60 },
    );
  });
});
