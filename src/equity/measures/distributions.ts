/**
 * Distribution functions and a seeded random number generator for the PHE / NHS England family of
 * measures. Everything here is a pure function of its arguments (the generator is a value you
 * create from a seed and then advance), computed to double precision.
 *
 * - Normal distribution function: W. J. Cody's rational Chebyshev approximations, as in R's
 *   `pnorm` (Cody WJ. Rational Chebyshev approximations for the error function. Math Comp
 *   1969;23:631-637; Cody WJ. Algorithm 715. ACM TOMS 1993;19:22-32). Relative error ~1e-16.
 * - Normal quantile: Wichura's algorithm AS 241 (PPND16), as in R's `qnorm` (Wichura MJ. The
 *   percentage points of the normal distribution. Appl Stat 1988;37:477-484). Relative error ~1e-16.
 * - Regularised incomplete gamma and beta functions by series and Lentz continued fractions
 *   (Press WH et al. Numerical Recipes, 3rd ed., 6.2 and 6.4), log-gamma by Lanczos (g = 7, n = 9);
 *   gamma, chi-square and Student t quantiles by safeguarded Newton iteration on those, to a
 *   relative tolerance of 1e-14.
 * - Random numbers: xoshiro128** (Blackman D, Vigna S. Scrambled linear pseudorandom number
 *   generators. ACM TOMS 2021;47:36), seeded through a 32-bit SplitMix-style mixer; normal
 *   deviates by the ziggurat method (Marsaglia G, Tsang WW. The ziggurat method for generating
 *   random variables. J Stat Softw 2000;5(8)), 128 layers, with the layer index, sign and
 *   magnitude taken from separate bits of each 32-bit draw (the independence McFarland and
 *   Doornik recommend; the magnitude has 24-bit resolution).
 */

const DBL_EPSILON = 2.220446049250313e-16;
const SQRT_32 = 5.656854249492381;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;

// Cody (1993) coefficients.
const CODY_A = [2.2352520354606839287, 161.02823106855587881, 1067.6894854603709582, 18154.981253343561249, 0.065682337918207449113];
const CODY_B = [47.20258190468824187, 976.09855173777669322, 10260.932208618978205, 45507.789335026729956];
const CODY_C = [
  0.39894151208813466764, 8.8831497943883759412, 93.506656132177855979, 597.27027639480026226, 2494.5375852903726711,
  6848.1904505362823326, 11602.651437647350124, 9842.7148383839780218, 1.0765576773720192317e-8,
];
const CODY_D = [
  22.266688044328115691, 235.38790178262499861, 1519.377599407554805, 6485.558298266760755, 18615.571640885098091,
  34900.952721145977266, 38912.003286093271411, 19685.429676859990727,
];
const CODY_P = [0.21589853405795699, 0.1274011611602473639, 0.022235277870649807, 0.001421619193227893466, 2.9112874951168792e-5, 0.02307344176494017303];
const CODY_Q = [1.28426009614491121, 0.468238212480865118, 0.0659881378689285515, 0.00378239633202758244, 7.29751555083966205e-5];

/** P(Z <= x) for a standard normal Z (Cody's algorithm, as R's `pnorm`). P(Z > x) is `normalCdf(-x)`, exactly. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= 0.67448975) {
    const xsq = y > DBL_EPSILON * 0.5 ? x * x : 0;
    let xnum = CODY_A[4]! * xsq;
    let xden = xsq;
    for (let i = 0; i < 3; i++) {
      xnum = (xnum + CODY_A[i]!) * xsq;
      xden = (xden + CODY_B[i]!) * xsq;
    }
    return 0.5 + (x * (xnum + CODY_A[3]!)) / (xden + CODY_B[3]!);
  }
  let tail: number;
  if (y <= SQRT_32) {
    let xnum = CODY_C[8]! * y;
    let xden = y;
    for (let i = 0; i < 7; i++) {
      xnum = (xnum + CODY_C[i]!) * y;
      xden = (xden + CODY_D[i]!) * y;
    }
    const temp = (xnum + CODY_C[7]!) / (xden + CODY_D[7]!);
    tail = gaussianTail(y, temp);
  } else {
    if (y > 40) return x > 0 ? 1 : 0;
    const xsq = 1 / (x * x);
    let xnum = CODY_P[5]! * xsq;
    let xden = xsq;
    for (let i = 0; i < 4; i++) {
      xnum = (xnum + CODY_P[i]!) * xsq;
      xden = (xden + CODY_Q[i]!) * xsq;
    }
    let temp = (xsq * (xnum + CODY_P[4]!)) / (xden + CODY_Q[4]!);
    temp = (ONE_OVER_SQRT_2PI - temp) / y;
    tail = gaussianTail(y, temp);
  }
  return x > 0 ? 1 - tail : tail;
}

/** exp(-y^2/2) * factor, splitting y so the square loses no precision (Cody's device). */
function gaussianTail(y: number, factor: number): number {
  const ysq = Math.trunc(y * 16) / 16;
  const del = (y - ysq) * (y + ysq);
  return Math.exp(-ysq * ysq * 0.5) * Math.exp(-del * 0.5) * factor;
}

// Wichura AS 241 (PPND16) coefficients.
const AS241_A = [3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125, 45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727];
const AS241_B = [1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867, 39307.89580009271061, 28729.085735721942674, 5226.495278852854561];
const AS241_C = [1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504, 1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4];
const AS241_D = [1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459, 0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9];
const AS241_E = [6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123, 0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7];
const AS241_F = [1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4, 1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15];

function polynomial(coefficients: readonly number[], x: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * x + coefficients[i]!;
  return value;
}

/** The p-quantile of the standard normal distribution (Wichura's AS 241, as R's `qnorm`). */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * polynomial(AS241_A, r)) / polynomial(AS241_B, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = polynomial(AS241_C, r) / polynomial(AS241_D, r);
  } else {
    r -= 5;
    value = polynomial(AS241_E, r) / polynomial(AS241_F, r);
  }
  return q < 0 ? -value : value;
}

/**
 * The normal deviate for a two-sided interval at `confidence`, written as PHEindicatormethods
 * writes it: qnorm(confidence + (1 - confidence) / 2). (Written this way, rather than
 * (1 + confidence) / 2, so that the last bit agrees with PHE's published figures.)
 */
export function twoSidedZ(confidence: number): number {
  return normalQuantile(confidence + (1 - confidence) / 2);
}

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

/** R's `round` for non-negative values: halves go to the even neighbour (IEC 60559). */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

// Ziggurat tables for the standard normal density f(x) = exp(-x^2 / 2), 128 layers of equal
// area V. Layer i (0 <= i < 128) is the rectangle of width X[i] between heights F[i] and F[i+1];
// X[0] = V / f(R) is the virtual width of the base layer, which also holds the tail beyond R.
const ZIGGURAT_R = 3.442619855899;
const ZIGGURAT_V = 9.91256303526217e-3;
const ZIG_X = new Float64Array(129);
const ZIG_F = new Float64Array(129);
const ZIG_ACCEPT = new Float64Array(128);
{
  const f = (x: number): number => Math.exp(-0.5 * x * x);
  ZIG_X[0] = ZIGGURAT_V / f(ZIGGURAT_R);
  ZIG_X[1] = ZIGGURAT_R;
  for (let i = 1; i < 127; i++) ZIG_X[i + 1] = Math.sqrt(-2 * Math.log(ZIGGURAT_V / ZIG_X[i]! + f(ZIG_X[i]!)));
  ZIG_X[128] = 0;
  for (let i = 0; i <= 128; i++) ZIG_F[i] = f(ZIG_X[i]!);
  for (let i = 0; i < 128; i++) ZIG_ACCEPT[i] = ZIG_X[i + 1]! / ZIG_X[i]!;
}

const TWO_POW_MINUS_24 = 5.9604644775390625e-8;
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/** One xoshiro128** step on a four-word state; returns the 32-bit output as a signed integer. */
function nextWord(state: Int32Array): number {
  const s1 = state[1]!;
  let r = Math.imul(s1, 5);
  r = Math.imul((r << 7) | (r >>> 25), 9);
  const t = s1 << 9;
  const s2 = state[2]! ^ state[0]!;
  const s3 = state[3]! ^ s1;
  state[1] = s1 ^ s2;
  state[0] = state[0]! ^ s3;
  state[2] = s2 ^ t;
  state[3] = (s3 << 11) | (s3 >>> 21);
  return r;
}

function openUniform(word: number): number {
  return ((word >>> 0) + 0.5) * TWO_POW_MINUS_32;
}

/**
 * The ziggurat's rare path (about 1.2% of draws): the tail beyond R for the base layer
 * (Marsaglia: x = -ln(U1) / R, y = -ln(U2), accept when 2y > x^2), otherwise the wedge test (a
 * uniform height within the layer must fall under the density). NaN means reject and draw again.
 */
function zigguratEdge(state: Int32Array, layer: number, u: number): number {
  if (layer === 0) {
    for (;;) {
      const x = -Math.log(openUniform(nextWord(state))) / ZIGGURAT_R;
      const y = -Math.log(openUniform(nextWord(state)));
      if (y + y > x * x) return ZIGGURAT_R + x;
    }
  }
  const x = u * ZIG_X[layer]!;
  const height = ZIG_F[layer]! + openUniform(nextWord(state)) * (ZIG_F[layer + 1]! - ZIG_F[layer]!);
  return height < Math.exp(-0.5 * x * x) ? x : Number.NaN;
}

/**
 * A seeded xoshiro128** generator with a ziggurat normal sampler. Create one per computation from
 * the caller's seed; the same seed always gives the same stream.
 */
export class RandomStream {
  private readonly state = new Int32Array(4);

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
    // Mix both 32-bit halves of an integer seed (fractions are truncated) into four state words.
    let counter = Math.trunc(seed) | 0;
    const high = Math.floor(Math.trunc(seed) / 4294967296) | 0;
    for (let i = 0; i < 4; i++) {
      counter = (counter + 0x9e3779b9) | 0;
      let z = counter ^ high;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      this.state[i] = z ^ (z >>> 15);
    }
    if ((this.state[0]! | this.state[1]! | this.state[2]! | this.state[3]!) === 0) this.state[0] = 1;
  }

  /** A stream from four raw state words (not all zero), to check against published reference outputs. */
  static fromState(s0: number, s1: number, s2: number, s3: number): RandomStream {
    if (((s0 | s1 | s2 | s3) | 0) === 0) throw new Error('the xoshiro128** state must not be all zero');
    const stream = new RandomStream(0);
    stream.state.set([s0 | 0, s1 | 0, s2 | 0, s3 | 0]);
    return stream;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    return nextWord(this.state) >>> 0;
  }

  /** A uniform deviate in the open interval (0, 1), with 32-bit resolution. */
  nextOpenUniform(): number {
    return openUniform(nextWord(this.state));
  }

  /** One standard normal deviate. */
  nextNormal(): number {
    const one = new Float64Array(1);
    this.fillNormal(one);
    return one[0]!;
  }

  /**
   * Fills `out` with independent standard normal deviates (ziggurat). The loop over the common case
   * makes no calls and keeps the generator state in local variables; the ~1.2% of draws that land
   * on a layer's edge are marked and finished afterwards (each either accepted by the edge test or
   * replaced by a fresh draw), so the stream stays a deterministic function of the seed.
   */
  fillNormal(out: Float64Array): void {
    const state = this.state;
    let s0 = state[0]!;
    let s1 = state[1]!;
    let s2 = state[2]!;
    let s3 = state[3]!;
    const n = out.length;
    const edgeAt: number[] = [];
    const edgeWord: number[] = [];
    for (let i = 0; i < n; i++) {
      let r = Math.imul(s1, 5);
      r = Math.imul((r << 7) | (r >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      const layer = r & 127;
      const u = (r >>> 8) * TWO_POW_MINUS_24;
      if (u < ZIG_ACCEPT[layer]!) {
        const x = u * ZIG_X[layer]!;
        out[i] = r & 128 ? -x : x;
      } else {
        edgeAt.push(i);
        edgeWord.push(r);
      }
    }
    state[0] = s0;
    state[1] = s1;
    state[2] = s2;
    state[3] = s3;
    for (let k = 0; k < edgeAt.length; k++) out[edgeAt[k]!] = finishNormal(state, edgeWord[k]!);
  }
}

/** Completes a draw that landed on a layer's edge: the edge test, then fresh draws until one is accepted. */
function finishNormal(state: Int32Array, word: number): number {
  let r = word;
  for (;;) {
    const layer = r & 127;
    const u = (r >>> 8) * TWO_POW_MINUS_24;
    const x = u < ZIG_ACCEPT[layer]! ? u * ZIG_X[layer]! : zigguratEdge(state, layer, u);
    if (x === x) return r & 128 ? -x : x; // NaN (rejected) fails x === x
    r = nextWord(state);
  }
}
