/**
 * Small numerical helpers private to the WHO HEAT measures: the normal quantile and
 * distribution function, a seeded pseudo-random generator, R's default sample quantile and
 * R's rounding rule. Kept here (rather than shared) so the WHO measures do not depend on the
 * order in which other measure families land; they can move to a shared module later.
 */

/**
 * Standard normal quantile, Wichura's algorithm AS 241 (PPND16), the algorithm behind R's
 * `qnorm`; accurate to about 1e-16 relative.
 *
 * Wichura, M. J. (1988). Algorithm AS 241: The percentage points of the normal distribution.
 * Applied Statistics, 37(3), 477-484.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return -Infinity;
    if (p === 1) return Infinity;
    return Number.NaN;
  }
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    const num =
      ((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
        45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
        133.14166789178437745) * r + 3.387132872796366608;
    const den =
      ((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
        42.313330701600911252) * r + 1;
    return (q * num) / den;
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    const num =
      ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
        4.6303378461565452959) * r + 1.42343711074968357734;
    const den =
      ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
        2.05319162663775882187) * r + 1;
    value = num / den;
  } else {
    r -= 5;
    const num =
      ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
        5.4637849111641143699) * r + 6.6579046435011037772;
    const den =
      ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
        0.59983220655588793769) * r + 1;
    value = num / den;
  }
  return q < 0 ? -value : value;
}

/** Two-sided critical value: z such that P(|Z| <= z) = confidence. */
export function twoSidedZ(confidence: number): number {
  return normalQuantile(1 - (1 - confidence) / 2);
}

/**
 * Standard normal distribution function by Marsaglia's series
 * Phi(x) = 1/2 + phi(x) (x + x^3/3 + x^5/(3*5) + ...), accurate to about 1e-15 absolute,
 * which is what inversion sampling needs. Beyond |x| = 38 the result is 0 or 1 in doubles.
 *
 * Marsaglia, G. (2004). Evaluating the normal distribution. Journal of Statistical Software, 11(4).
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x < -38) return 0;
  if (x > 38) return 1;
  if (Math.abs(x) > 8) {
    // Series needs many terms out here; use the upper-tail continued fraction instead.
    const tail = normalUpperTail(Math.abs(x));
    return x > 0 ? 1 - tail : tail;
  }
  let sum = x;
  let term = x;
  const x2 = x * x;
  let previous = 0;
  for (let i = 3; sum !== previous; i += 2) {
    previous = sum;
    term *= x2 / i;
    sum += term;
  }
  return 0.5 + sum * Math.exp(-0.5 * x2 - 0.91893853320467274178);
}

/** Upper tail Q(x) = 1 - Phi(x) for x > 8 by Laplace's continued fraction (converges fast there). */
function normalUpperTail(x: number): number {
  let fraction = 0;
  for (let k = 60; k >= 1; k--) fraction = k / (x + fraction);
  return Math.exp(-0.5 * x * x - 0.91893853320467274178) / (x + fraction);
}

/**
 * Seeded pseudo-random generator: xoshiro128** (Blackman and Vigna) seeded through splitmix32,
 * returning doubles with 53 random bits strictly inside (0, 1) so they can be fed to a quantile
 * function. Same seed, same stream, on every platform.
 */
export interface UniformGenerator {
  next(): number;
}

export function createUniformGenerator(seed: number): UniformGenerator {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  // splitmix32 expands the (possibly small or fractional) seed into four non-zero state words.
  let mix = (Math.trunc(seed) ^ Math.trunc((seed - Math.trunc(seed)) * 2 ** 32)) >>> 0;
  const splitmix = (): number => {
    mix = (mix + 0x9e3779b9) >>> 0;
    let z = mix;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let s0 = splitmix();
  let s1 = splitmix();
  let s2 = splitmix();
  let s3 = splitmix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  const nextUint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s2 = (s2 ^ s0) >>> 0;
    s3 = (s3 ^ s1) >>> 0;
    s1 = (s1 ^ s2) >>> 0;
    s0 = (s0 ^ s3) >>> 0;
    s2 = (s2 ^ t) >>> 0;
    s3 = rotl(s3, 11);
    return result;
  };
  return {
    next(): number {
      const high = nextUint32() >>> 5; // 27 bits
      const low = nextUint32() >>> 6; // 26 bits
      // (k + 0.5) / 2^53 with k in [0, 2^53): never 0, never 1.
      return (high * 67108864 + low + 0.5) / 9007199254740992;
    },
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Sample quantile of already-sorted data by R's default definition (Hyndman and Fan type 7):
 * h = (n - 1) p, Q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 */
export function quantileType7(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/**
 * R's `round(x)` to an integer: halves go to the even neighbour (IEC 60559), so round(50.5) = 50,
 * where JavaScript's Math.round gives 51. healthequal rounds reconstructed counts this way.
 */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
