/**
 * A small radix-2 fast Fourier transform on Float64Arrays, for the numerical convolutions in
 * sumdist.numerical.ts: a complex transform (iterative, decimation in time, twiddles from a table
 * built once per size) and a real transform of length n computed through a complex one of length
 * n / 2 (the usual even/odd packing; Press WH et al. Numerical Recipes, 3rd ed., 12.3).
 *
 * Conventions: forward X_k = sum_j x_j exp(-2 pi i j k / n); the inverse divides by n, so
 * inverse(forward(x)) = x up to rounding (~1e-16 relative to the largest value, times log2 n).
 */

interface Plan {
  n: number;
  /** cos(2 pi k / n) and sin(2 pi k / n), k = 0 .. n / 2. */
  cos: Float64Array;
  sin: Float64Array;
  /** Bit-reversal permutation of 0 .. n - 1. */
  reverse: Uint32Array;
}

const plans = new Map<number, Plan>();

function planFor(n: number): Plan {
  let plan = plans.get(n);
  if (plan !== undefined) return plan;
  if (!(Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0 && n <= 2 ** 26)) throw new Error(`FFT length must be a power of 2 up to 2^26, got ${n}`);
  const half = n >> 1;
  const cos = new Float64Array(half + 1);
  const sin = new Float64Array(half + 1);
  for (let k = 0; k <= half; k++) {
    // Symmetric evaluation keeps the table exact at the quarter points.
    const angle = (2 * Math.PI * k) / n;
    cos[k] = Math.cos(angle);
    sin[k] = Math.sin(angle);
  }
  if (n % 4 === 0) {
    cos[n >> 2] = 0;
    sin[n >> 2] = 1;
  }
  if (half >= 1) {
    cos[half] = -1;
    sin[half] = 0;
  }
  const reverse = new Uint32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    reverse[i] = r;
  }
  plan = { n, cos, sin, reverse };
  plans.set(n, plan);
  return plan;
}

/** In-place complex FFT of (re, im), length a power of 2; `inverse` uses exp(+...) and divides by n. */
export function fftComplex(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  if (im.length !== n) throw new Error('real and imaginary parts must have the same length');
  if (n <= 1) return;
  const { cos, sin, reverse } = planFor(n);
  for (let i = 0; i < n; i++) {
    const j = reverse[i]!;
    if (j > i) {
      const tr = re[i]!;
      re[i] = re[j]!;
      re[j] = tr;
      const ti = im[i]!;
      im[i] = im[j]!;
      im[j] = ti;
    }
  }
  const sign = inverse ? 1 : -1;
  // Length-2 butterflies need no twiddles.
  for (let a = 0; a < n; a += 2) {
    const xr = re[a + 1]!;
    const xi = im[a + 1]!;
    re[a + 1] = re[a]! - xr;
    im[a + 1] = im[a]! - xi;
    re[a] = re[a]! + xr;
    im[a] = im[a]! + xi;
  }
  for (let size = 4; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let k = 0; k < half; k++) {
      const wr = cos[k * step]!;
      const wi = sign * sin[k * step]!;
      for (let a = k; a < n; a += size) {
        const b = a + half;
        const br = re[b]!;
        const bi = im[b]!;
        const xr = br * wr - bi * wi;
        const xi = br * wi + bi * wr;
        const ar = re[a]!;
        const ai = im[a]!;
        re[b] = ar - xr;
        im[b] = ai - xi;
        re[a] = ar + xr;
        im[a] = ai + xi;
      }
    }
  }
  if (inverse) {
    const scale = 1 / n;
    for (let i = 0; i < n; i++) {
      re[i] = re[i]! * scale;
      im[i] = im[i]! * scale;
    }
  }
}

/**
 * Scratch space for the real transforms of one length, reused between calls (the convolutions
 * transform many sequences of the same length).
 */
export class RealFft {
  readonly n: number;
  private readonly zr: Float64Array;
  private readonly zi: Float64Array;
  private readonly plan: Plan;

  constructor(n: number) {
    if (!(Number.isInteger(n) && n >= 4 && (n & (n - 1)) === 0)) throw new Error(`real FFT length must be a power of 2, at least 4, got ${n}`);
    this.n = n;
    this.zr = new Float64Array(n >> 1);
    this.zi = new Float64Array(n >> 1);
    this.plan = planFor(n);
    planFor(n >> 1);
  }

  /**
   * Forward transform of the real sequence x[0 .. used - 1] (zero beyond `used`), length n:
   * writes X_k for k = 0 .. n / 2 into re and im (length n / 2 + 1); X_(n - k) = conj(X_k).
   */
  forward(x: Float64Array, used: number, re: Float64Array, im: Float64Array): void {
    const m = this.n >> 1;
    const { zr, zi } = this;
    const count = Math.min(used, this.n);
    const pairs = count >> 1;
    for (let j = 0; j < pairs; j++) {
      zr[j] = x[2 * j]!;
      zi[j] = x[2 * j + 1]!;
    }
    let next = pairs;
    if (count & 1) {
      zr[pairs] = x[count - 1]!;
      zi[pairs] = 0;
      next++;
    }
    zr.fill(0, next);
    zi.fill(0, next);
    fftComplex(zr, zi, false);
    const { cos, sin } = this.plan;
    re[0] = zr[0]! + zi[0]!;
    im[0] = 0;
    re[m] = zr[0]! - zi[0]!;
    im[m] = 0;
    for (let k = 1; k < m; k++) {
      const ar = zr[k]!;
      const ai = zi[k]!;
      const br = zr[m - k]!;
      const bi = -zi[m - k]!; // conj(Z_(m - k))
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      // O_k = (Z_k - conj(Z_(m-k))) / (2 i)
      const or = 0.5 * (ai - bi);
      const oi = -0.5 * (ar - br);
      // twiddle exp(-2 pi i k / n) = cos - i sin
      const c = cos[k]!;
      const s = sin[k]!;
      re[k] = er + (or * c + oi * s);
      im[k] = ei + (oi * c - or * s);
    }
  }

  /** Inverse of `forward`: from X_k, k = 0 .. n / 2, the real sequence of length n into x. */
  inverse(re: Float64Array, im: Float64Array, x: Float64Array): void {
    const m = this.n >> 1;
    const { zr, zi } = this;
    const { cos, sin } = this.plan;
    for (let k = 0; k < m; k++) {
      const ar = re[k]!;
      const ai = im[k]!;
      const br = re[m - k]!;
      const bi = -im[m - k]!; // conj(X_(m - k))
      const er = 0.5 * (ar + br);
      const ei = 0.5 * (ai + bi);
      // O_k = (X_k - conj(X_(m-k))) exp(+2 pi i k / n) / 2
      const dr = 0.5 * (ar - br);
      const di = 0.5 * (ai - bi);
      const c = cos[k]!;
      const s = sin[k]!;
      const or = dr * c - di * s;
      const oi = dr * s + di * c;
      // Z_k = E_k + i O_k
      zr[k] = er - oi;
      zi[k] = ei + or;
    }
    fftComplex(zr, zi, true);
    for (let j = 0; j < m; j++) {
      x[2 * j] = zr[j]!;
      x[2 * j + 1] = zi[j]!;
    }
  }
}
