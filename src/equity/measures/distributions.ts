/**
 * Distribution functions of the PHE / NHS England family of measures beyond the normal: pure
 * functions of their arguments, to double precision. The normal distribution (Cody's `pnorm`,
 * Wichura's AS 241 `qnorm`), R's rounding and the seeded generator with its ziggurat sampler
 * are in `src/numeric/`, one copy for all of Roots.
 *
 * - Regularised incomplete gamma and beta functions by series and Lentz continued fractions
 *   (Press WH et al. Numerical Recipes, 3rd ed., 6.2 and 6.4), log-gamma by Lanczos (g = 7, n = 9);
 *   gamma, chi-square and Student t quantiles by safeguarded Newton iteration on those, to a
 *   relative tolerance of 1e-14.
 */
import { normalQuantile } from '../../numeric/normal.ts';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const LOG_SQRT_2PI = 0.9189385332046728;

/** ln Gamma(x) for x > 0 (Lanczos approximation, g = 7, n = 9; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection: Gamma(x) Gamma(1 - x) = pi / sin(pi x).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  }
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return LOG_SQRT_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const TINY = 1e-300;

/** Regularised lower incomplete gamma P(a, x) = gamma(a, x) / Gamma(a). */
export function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  if (!Number.isFinite(x)) return 1;
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x);
}

/** Regularised upper incomplete gamma Q(a, x) = 1 - P(a, x), computed without cancellation. */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x);
}

function gammaSeries(a: number, x: number): number {
  let term = 1 / a;
  let sum = term;
  for (let n = 1; n < 10_000; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * 1e-17) break;
  }
  return sum * Math.exp(-x + a * Math.log(x) - logGamma(a));
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-17) break;
  }
  return Math.exp(-x + a * Math.log(x) - logGamma(a)) * h;
}

/**
 * The p-quantile of the Gamma(shape, 1) distribution. Safeguarded Newton iteration from the
 * Wilson-Hilferty starting value; solves on the upper tail when p > 0.5 so that quantiles near 1
 * keep their precision.
 */
export function gammaQuantile(p: number, shape: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(shape >= 0)) return Number.NaN;
  if (shape === 0 || p === 0) return 0;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const upper = p > 0.5;
  const target = upper ? 1 - p : p;
  const residual = (x: number): number => (upper ? target - gammaQ(shape, x) : gammaP(shape, x) - target);
  const logDensityConstant = -logGamma(shape);
  const density = (x: number): number => Math.exp((shape - 1) * Math.log(x) - x + logDensityConstant);

  const z = normalQuantile(p);
  let x = shape * (1 - 1 / (9 * shape) + z / (3 * Math.sqrt(shape))) ** 3;
  if (!(x > 0) || !Number.isFinite(x)) {
    // Small-x behaviour: P(a, x) ~ x^a / Gamma(a + 1).
    x = Math.exp((Math.log(p) + logGamma(shape + 1)) / shape);
  }
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 200; i++) {
    const f = residual(x);
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    let next = x - f / density(x);
    if (!(next > lo && next < hi) || !Number.isFinite(next)) {
      next = Number.isFinite(hi) ? (lo + hi) / 2 : Math.max(2 * x, 1);
    }
    if (Math.abs(next - x) <= 1e-15 * Math.max(x, 1e-300)) return next;
    x = next;
  }
  return x;
}

/** The p-quantile of the chi-square distribution with `df` degrees of freedom (as R's `qchisq`). */
export function chiSquareQuantile(p: number, df: number): number {
  return 2 * gammaQuantile(p, df / 2);
}

/** Regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return (Math.exp(logFront) * betaContinuedFraction(x, a, b)) / a;
  return 1 - (Math.exp(logFront) * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m < 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return h;
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return t > 0 ? 1 : 0;
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t > 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with `df` degrees of freedom (as R's `qt`). */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return Number.NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  if (p === 1) return Number.POSITIVE_INFINITY;
  const tailTarget = 1 - p;
  // Upper-tail residual, so quantiles near 1 keep precision.
  const residual = (t: number): number => tailTarget - 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  const logConstant = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (t: number): number => Math.exp(logConstant - ((df + 1) / 2) * Math.log1p((t * t) / df));
  // Cornish-Fisher start (Abramowitz & Stegun 26.7.5).
  const z = normalQuantile(p);
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  let t = z + g1 / df + g2 / (df * df);
  if (!(t > 0) || !Number.isFinite(t)) t = 1;
  let lo = 0;
  let hi = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 200; i++) {
    const f = residual(t);
    if (f === 0) return t;
    if (f < 0) lo = t;
    else hi = t;
    let next = t - f / density(t);
    if (!(next > lo && next < hi) || !Number.isFinite(next)) {
      next = Number.isFinite(hi) ? (lo + hi) / 2 : 2 * t;
    }
    if (Math.abs(next - t) <= 1e-15 * Math.max(Math.abs(t), 1)) return next;
    t = next;
  }
  return t;
}

