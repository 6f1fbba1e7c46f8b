/**
 * The distribution of a weighted sum of independent transformed normal variables,
 *
 *   S = shift + sum_i w_i g(mu_i + sigma_i Z_i),  Z_i independent standard normal,
 *
 * with g the identity, exp (log-normal terms) or expit (logit-normal terms), computed by numerical
 * convolution on a lattice with the FFT. This is the distribution phe_sii's simulation samples for
 * rates and proportions without the transform (each quantile's value drawn on the log / logit
 * scale and back-transformed, then refitted: the slope is sum(c1_i y_i), a fixed linear
 * combination of the back-transformed values).
 *
 * Method.
 *   1. Truncation. Each term is clipped to the z-range [-zt, zt] (the probability beyond is put
 *      at the ends of its range), zt chosen so that the total probability clipped over all terms
 *      is at most `truncation` (default 1e-7). S and the clipped sum differ only when some term is
 *      clipped, so the distribution function moves by at most that probability anywhere (a single
 *      term's not at all inside its range). Terms narrower than the lattice (step 3) are not
 *      clipped.
 *   2. Lattice. A common spacing h, the standard deviation of S over the resolution R (default 8),
 *      refined so that a power of 2, n, lattice points hold the sum of the truncated ranges (the
 *      circular convolution then never wraps). Term i has its own origin L_i; S lives on
 *      shift + sum(L_i) + j h.
 *   3. Terms whose standard deviation is at least 1.5 h: linear binning. The probability of each
 *      lattice interval [x_j, x_(j+1)) is shared between its two end points so that the mean
 *      within the interval is kept (the weights are E max(0, 1 - |X - x_j| / h), the "hat"
 *      function): exact interval probabilities from the normal distribution function at the
 *      transformed end points, and exact partial means (closed form for exp and the identity,
 *      Gauss-Legendre in z for expit). The discrete Fourier transform of these
 *      weights is the term's characteristic function times sinc(t h / 2)^2, plus aliases that are
 *      damped by that same squared sinc (zero at the alias points, second order near them), so
 *      even a term with a sharp peak (a log-normal with a large log-scale standard error) is
 *      carried accurately. Narrower terms (weights near zero): the characteristic function itself
 *      by 32-point Gauss-Hermite quadrature in z, evaluated at the lattice frequencies by rotation.
 *   4. The spectra are multiplied, every term's sinc^2 divided out and a single sinc put back, so
 *      that the inverse transform gives the probabilities of the cells [x_j - h/2, x_j + h/2) of
 *      S itself: not of S plus k rounding errors (which would widen it by about k h^2 / 12 in
 *      variance and bias the limits outwards).
 *   5. Cumulative sums give F at the cell edges; the distribution function and quantiles in
 *      between come from the cubic through the four nearest edges (error O(h^4)).
 *
 * Error. Each quantile is computed twice, on n and n / 2 points, and the difference (plus the
 * clipped probability over the density) is reported as its error estimate. The lattice error
 * falls much faster than h (about 10 to 100 times per halving of h in the tests), so this
 * overstates the error of the finer result. If an estimate is above the requested tolerance, n is
 * doubled again, up to `maxPoints`.
 */
import { normalCdf, normalQuantile } from '../../numeric/normal.ts';
import { RealFft } from './sumdist.fft.ts';

export type Link = 'identity' | 'exp' | 'expit';

/** One term w g(mu + sigma Z). */
export interface SumTerm {
  weight: number;
  centre: number;
  sd: number;
  /** Mean and variance of g(mu + sigma Z) if already known (saves quadrature for expit). */
  unit?: { mean: number; variance: number };
}

export interface LatticeOptions {
  /** Total probability that may be clipped to the ends of the terms' ranges (default 1e-7). */
  truncation?: number;
  /** sd(S) / h (default 8). */
  resolution?: number;
  /** Largest lattice (default 2^16 points). */
  maxPoints?: number;
}

const SQRT2 = Math.SQRT2;

// Gauss-Hermite nodes and weights for the standard normal (probabilists' weight), 32 nodes, by
// Newton's method on the physicists' Hermite polynomials (Press WH et al. Numerical Recipes, 3rd
// ed., 4.6, gauher), rescaled z = sqrt(2) x, weight / sqrt(pi).
const GH_NODES = 32;
const [GH_Z, GH_W] = (() => {
  const n = GH_NODES;
  const x = new Float64Array(n);
  const w = new Float64Array(n);
  const pim4 = 0.7511255444649425; // pi^(-1/4)
  const m = (n + 1) >> 1;
  let z = 0;
  for (let i = 0; i < m; i++) {
    if (i === 0) z = Math.sqrt(2 * n + 1) - 1.85575 * (2 * n + 1) ** -0.16667;
    else if (i === 1) z -= (1.14 * n ** 0.426) / z;
    else if (i === 2) z = 1.86 * z - 0.86 * x[0]!;
    else if (i === 3) z = 1.91 * z - 0.91 * x[1]!;
    else z = 2 * z - x[i - 2]!;
    let pp = 0;
    for (let its = 0; its < 100; its++) {
      let p1 = pim4;
      let p2 = 0;
      for (let j = 0; j < n; j++) {
        const p3 = p2;
        p2 = p1;
        p1 = z * Math.sqrt(2 / (j + 1)) * p2 - Math.sqrt(j / (j + 1)) * p3;
      }
      pp = Math.sqrt(2 * n) * p2;
      const z1 = z;
      z = z1 - p1 / pp;
      if (Math.abs(z - z1) <= 1e-15 * Math.max(1, Math.abs(z))) break;
    }
    x[i] = z;
    x[n - 1 - i] = -z;
    w[i] = 2 / (pp * pp);
    w[n - 1 - i] = w[i]!;
  }
  const nodes = new Float64Array(n);
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    nodes[i] = SQRT2 * x[n - 1 - i]!;
    weights[i] = w[n - 1 - i]! / Math.sqrt(Math.PI);
  }
  return [nodes, weights] as const;
})();

function linkFunction(link: Link): (x: number) => number {
  if (link === 'exp') return Math.exp;
  if (link === 'expit') return (x: number) => 1 / (1 + Math.exp(-x));
  return (x: number) => x;
}

/** Mean and variance of w g(mu + sigma Z) by Gauss-Hermite quadrature (exact for the identity). */
export function termMoments(term: SumTerm, link: Link): { mean: number; variance: number } {
  const { weight: w, centre: mu, sd: s } = term;
  if (link === 'identity') return { mean: w * mu, variance: w * w * s * s };
  if (link === 'exp') {
    const mean = w * Math.exp(mu + (s * s) / 2);
    return { mean, variance: mean * mean * Math.expm1(s * s) };
  }
  const unit = term.unit ?? unitExpitMoments(mu, s);
  return { mean: w * unit.mean, variance: w * w * unit.variance };
}

/** Mean and variance of expit(mu + sigma Z), by Gauss-Hermite quadrature. */
export function unitExpitMoments(mu: number, s: number): { mean: number; variance: number } {
  const g = linkFunction('expit');
  let m1 = 0;
  for (let k = 0; k < GH_NODES; k++) m1 += GH_W[k]! * g(mu + s * GH_Z[k]!);
  let m2 = 0;
  for (let k = 0; k < GH_NODES; k++) m2 += GH_W[k]! * (g(mu + s * GH_Z[k]!) - m1) ** 2;
  return { mean: m1, variance: m2 };
}

/**
 * The distribution of S on a lattice: probabilities of the cells [x_j - h/2, x_j + h/2),
 * x_j = origin + j h, and the distribution function at the cell edges.
 */
export class LatticeDistribution {
  /** F at the upper edge of cell j: P(S < origin + (j + 1/2) h). */
  readonly cumulative: Float64Array;

  constructor(
    readonly origin: number,
    readonly spacing: number,
    readonly masses: Float64Array,
    /** Probability clipped to the ends of the terms' ranges (bounds |F - computed F| everywhere). */
    readonly dropped: number,
  ) {
    this.cumulative = new Float64Array(masses.length);
    let c = 0;
    for (let j = 0; j < masses.length; j++) {
      c += masses[j]!;
      this.cumulative[j] = c;
    }
  }

  get points(): number {
    return this.masses.length;
  }

  /** Cubic through the distribution function at the edges u_(j-2) .. u_(j+1), evaluated at x. */
  private cubic(j: number, x: number): { value: number; slope: number } {
    const n = this.cumulative.length;
    const h = this.spacing;
    const base = Math.min(Math.max(j - 2, -1), n - 4);
    // Edges u_i = origin + (i + 1/2) h; F(u_(-1)) = 0.
    const t = (x - (this.origin + (base + 0.5) * h)) / h; // position in units of h from the first edge
    const f = (i: number): number => (i < 0 ? 0 : this.cumulative[i]!);
    const y0 = f(base);
    const y1 = f(base + 1);
    const y2 = f(base + 2);
    const y3 = f(base + 3);
    // Lagrange basis on nodes 0, 1, 2, 3.
    const l0 = (-(t - 1) * (t - 2) * (t - 3)) / 6;
    const l1 = (t * (t - 2) * (t - 3)) / 2;
    const l2 = (-t * (t - 1) * (t - 3)) / 2;
    const l3 = (t * (t - 1) * (t - 2)) / 6;
    const d0 = -((t - 2) * (t - 3) + (t - 1) * (t - 3) + (t - 1) * (t - 2)) / 6;
    const d1 = ((t - 2) * (t - 3) + t * (t - 3) + t * (t - 2)) / 2;
    const d2 = -((t - 1) * (t - 3) + t * (t - 3) + t * (t - 1)) / 2;
    const d3 = ((t - 1) * (t - 2) + t * (t - 2) + t * (t - 1)) / 6;
    return { value: y0 * l0 + y1 * l1 + y2 * l2 + y3 * l3, slope: (y0 * d0 + y1 * d1 + y2 * d2 + y3 * d3) / h };
  }

  /** P(S <= x), cubic interpolation between cell edges. */
  cdf(x: number): number {
    const h = this.spacing;
    const n = this.cumulative.length;
    const position = (x - this.origin) / h - 0.5; // edge index (fractional)
    if (position < -1) return 0;
    if (position >= n - 1) return this.cumulative[n - 1]!;
    const j = Math.floor(position) + 1; // x lies between edges j - 1 and j
    return Math.min(1, Math.max(0, this.cubic(j, x).value));
  }

  /** Density at x (slope of the interpolating cubic). */
  density(x: number): number {
    const h = this.spacing;
    const position = (x - this.origin) / h - 0.5;
    const j = Math.min(this.cumulative.length - 1, Math.max(0, Math.floor(position) + 1));
    return Math.max(0, this.cubic(j, x).slope);
  }

  /** The p-quantile: the x with F(x) = p, F the interpolating cubic. */
  quantile(p: number): number {
    const c = this.cumulative;
    const n = c.length;
    const h = this.spacing;
    // First edge j with F(u_j) >= p.
    let lo = 0;
    let hi = n - 1;
    if (!(c[hi]! >= p)) return this.origin + (n - 0.5) * h;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! >= p) hi = mid;
      else lo = mid + 1;
    }
    const j = lo;
    // Root of the cubic between edges u_(j-1) and u_j.
    let a = this.origin + (j - 0.5) * h;
    let b = this.origin + (j + 0.5) * h;
    let fa = (j === 0 ? 0 : c[j - 1]!) - p;
    let fb = c[j]! - p;
    if (fa === fb) return a;
    let x = a + (b - a) * (-fa / (fb - fa));
    for (let it = 0; it < 60; it++) {
      const { value, slope } = this.cubic(j, x);
      const r = value - p;
      if (r < 0) {
        a = x;
        fa = r;
      } else {
        b = x;
        fb = r;
      }
      let next = slope > 0 ? x - r / slope : Number.NaN;
      if (!(next > a && next < b)) next = 0.5 * (a + b);
      if (Math.abs(next - x) <= 1e-15 * (Math.abs(x) + h)) {
        x = next;
        break;
      }
      x = next;
    }
    return x;
  }
}

interface Prepared {
  terms: { weight: number; centre: number; sd: number; lo: number; hi: number; spread: number }[];
  constant: number;
  sdSum: number;
  zt: number;
  droppedPerTerm: number;
}

function prepare(terms: readonly SumTerm[], link: Link, shift: number, truncation: number): Prepared {
  const g = linkFunction(link);
  let constant = shift;
  const kept: Prepared['terms'] = [];
  let variance = 0;
  for (const t of terms) {
    if (!(Number.isFinite(t.weight) && Number.isFinite(t.centre) && Number.isFinite(t.sd) && t.sd >= 0)) throw new Error('every term needs a finite weight, centre and standard error (zero or more)');
    if (t.weight === 0) continue;
    if (t.sd === 0) {
      constant += t.weight * g(t.centre);
      continue;
    }
    const m = termMoments(t, link);
    variance += m.variance;
    kept.push({ weight: t.weight, centre: t.centre, sd: t.sd, lo: 0, hi: 0, spread: Math.sqrt(m.variance) });
  }
  const k = Math.max(1, kept.length);
  const droppedPerTerm = truncation / k;
  const zt = -normalQuantile(droppedPerTerm / 2);
  for (const t of kept) {
    const a = t.weight * g(t.centre - t.sd * zt);
    const b = t.weight * g(t.centre + t.sd * zt);
    t.lo = Math.min(a, b);
    t.hi = Math.max(a, b);
  }
  return { terms: kept, constant, sdSum: Math.sqrt(variance), zt, droppedPerTerm };
}

const ONE_OVER_SQRT_2PI = 0.3989422804014327;

// 8-point Gauss-Legendre nodes and weights on [-1, 1].
const GL_X = [-0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498, 0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.362683783378362, 0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

// 2- and 4-point Gauss-Legendre nodes and weights on [-1, 1].
const GL2_X = [-0.5773502691896257, 0.5773502691896257];
const GL4_X = [-0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526];
const GL4_W = [0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538];

/**
 * E[(w g(mu + sigma Z) - x0) 1{a < Z <= b}] as a function of (a, b, x0, P(a < Z <= b)): closed
 * form for the identity (exp is done inline), Gauss-Legendre in z for expit. The integrand is
 * within h of zero on the interval, so the quadrature needs only modest relative accuracy: 2
 * nodes for intervals up to 0.1 wide in z (relative error about 1e-9), 4 up to 0.5, and pieces of
 * 0.5 with 8 nodes beyond.
 */
function partialOffset(link: Link, w: number, mu: number, s: number): (a: number, b: number, x0: number, probability: number) => number {
  if (link === 'identity') {
    return (a, b, x0, probability) => (w * mu - x0) * probability + w * s * ONE_OVER_SQRT_2PI * (Math.exp(-0.5 * a * a) - Math.exp(-0.5 * b * b));
  }
  if (link === 'exp') {
    const scale = w * Math.exp(mu + (s * s) / 2);
    return (a, b, x0, probability) => scale * normalProbability(a - s, b - s) - x0 * probability;
  }
  const node = (z: number, x0: number): number => Math.exp(-0.5 * z * z) * (w / (1 + Math.exp(-(mu + s * z))) - x0);
  return (a, b, x0) => {
    const span = b - a;
    if (span <= 0.1) {
      const mid = 0.5 * (a + b);
      const d = 0.5 * span * GL2_X[1]!;
      return (node(mid - d, x0) + node(mid + d, x0)) * 0.5 * span * ONE_OVER_SQRT_2PI;
    }
    if (span <= 0.5) {
      const mid = 0.5 * (a + b);
      const d1 = 0.5 * span * GL4_X[2]!;
      const d2 = 0.5 * span * GL4_X[3]!;
      const total = GL4_W[2]! * (node(mid - d1, x0) + node(mid + d1, x0)) + GL4_W[3]! * (node(mid - d2, x0) + node(mid + d2, x0));
      return total * 0.5 * span * ONE_OVER_SQRT_2PI;
    }
    const pieces = Math.ceil(span / 0.5);
    const width = span / pieces;
    let total = 0;
    for (let k = 0; k < pieces; k++) {
      const mid = a + (k + 0.5) * width;
      for (let q = 0; q < 8; q++) total += GL_W[q]! * node(mid + 0.5 * width * GL_X[q]!, x0);
    }
    return total * 0.5 * width * ONE_OVER_SQRT_2PI;
  };
}

/**
 * P(a < Z <= b) from the tails ta = P(Z > |a|) and tb = P(Z > |b|), a <= b, without cancellation
 * in either tail.
 */
function between(a: number, ta: number, b: number, tb: number): number {
  if (!(b > a)) return 0;
  if (a >= 0) return ta - tb;
  if (b <= 0) return tb - ta;
  return 1 - ta - tb;
}

/** P(lo < Z <= hi) without cancellation in either tail. */
function normalProbability(lo: number, hi: number): number {
  if (!(hi > lo)) return 0;
  if (lo >= 0) return normalCdf(-lo) - normalCdf(-hi);
  if (hi <= 0) return normalCdf(hi) - normalCdf(lo);
  return 1 - normalCdf(lo) - normalCdf(-hi);
}

/**
 * The lattice distribution of S at resolution R = sd(S) / h. Returns null when S is a constant
 * (no term varies).
 */
export function latticeDistribution(terms: readonly SumTerm[], link: Link, shift: number, resolution: number, options: LatticeOptions = {}): LatticeDistribution | null {
  const truncation = options.truncation ?? 1e-7;
  const maxPoints = options.maxPoints ?? 2 ** 16;
  const prep = prepare(terms, link, shift, truncation);
  if (prep.terms.length === 0 || !(prep.sdSum > 0)) return null;
  return buildLattice(prep, link, latticePoints(prep, resolution, maxPoints));
}

const latticeMargin = (prep: Prepared): number => prep.terms.length + 4;

/**
 * The smallest power of 2 that holds the truncated terms at spacing sd(S) / R, and at least 256
 * (so that the half-size lattice of the error estimate is not itself too coarse to compare).
 */
function latticePoints(prep: Prepared, resolution: number, maxPoints: number): number {
  const totalRange = prep.terms.reduce((s, t) => s + (t.hi - t.lo), 0);
  const needed = (totalRange / prep.sdSum) * resolution + latticeMargin(prep);
  let n = Math.min(256, maxPoints);
  while (n < needed && n < maxPoints) n *= 2;
  return n;
}

interface Workspace {
  fft: RealFft;
  accRe: Float64Array;
  accIm: Float64Array;
  re: Float64Array;
  im: Float64Array;
  cells: Float64Array;
  /** sinc(pi m / n), m = 0 .. n / 2. */
  sinc: Float64Array;
}

const workspaces = new Map<number, Workspace>();

function workspaceFor(n: number): Workspace {
  let w = workspaces.get(n);
  if (w === undefined) {
    const half = n >> 1;
    const sinc = new Float64Array(half + 1);
    sinc[0] = 1;
    for (let m = 1; m <= half; m++) {
      const u = (Math.PI * m) / n;
      sinc[m] = Math.sin(u) / u;
    }
    w = { fft: new RealFft(n), accRe: new Float64Array(half + 1), accIm: new Float64Array(half + 1), re: new Float64Array(half + 1), im: new Float64Array(half + 1), cells: new Float64Array(n), sinc };
    // Keep the few sizes in use; the lattices of one computation share them.
    if (workspaces.size > 8) workspaces.clear();
    workspaces.set(n, w);
  }
  return w;
}

/** Below this the product of the spectra is taken as zero (it only falls further with frequency). */
const NEGLIGIBLE = 1e-18;

function buildLattice(prep: Prepared, link: Link, n: number): LatticeDistribution {
  const g = linkFunction(link);
  const totalRange = prep.terms.reduce((s, t) => s + (t.hi - t.lo), 0);
  // Use the whole lattice: the finest spacing that still holds every term without wrapping.
  const h = totalRange / (n - latticeMargin(prep));
  const half = n >> 1;
  const { fft, accRe, accIm, re, im, cells, sinc } = workspaceFor(n);
  accRe.fill(1);
  accIm.fill(0);
  let origin = prep.constant;
  let wide = 0;
  const zt = prep.zt;
  const isExp = link === 'exp';
  const isExpit = link === 'expit';
  // Wide terms first (their transforms are needed in full); narrow ones after, only as far as
  // the product so far is not negligible.
  const narrow: Prepared['terms'] = [];
  for (const t of prep.terms) {
    const L = t.lo;
    origin += L;
    if (!(t.spread >= 1.5 * h)) {
      narrow.push(t);
      continue;
    }
    wide++;
    // Linear binning: the probability of [x_j, x_(j+1)) shared between the nodes x_j = L + j h
    // and x_(j+1) so that the mean is kept (the hat-function weights E max(0, 1 - |X - x_j| / h)).
    const w = t.weight;
    const mu = t.centre;
    const sd = t.sd;
    const count = Math.max(1, Math.ceil((t.hi - t.lo) / h));
    cells.fill(0, 0, count + 1);
    // Per node: z, the normal tail beyond |z|, and (exp) the same at z - sd, for the partial mean
    // E[X 1{za < Z <= zb}] = w exp(mu + sd^2 / 2) P(za - sd < Z <= zb - sd). Each node's tails are
    // computed once and shared by the two intervals it bounds.
    const partial = isExp ? null : partialOffset(link, w, mu, sd);
    const expScale = isExp ? w * Math.exp(mu + (sd * sd) / 2) : 0;
    let previous = w > 0 ? -zt : zt;
    let previousTail = normalCdf(-zt);
    let previousShiftedTail = isExp ? normalCdf(-Math.abs(previous - sd)) : 0;
    for (let j = 0; j < count; j++) {
      // z of the node x_(j+1): (g^-1(x / w) - mu) / sd, clipped to [-zt, zt].
      const y = (L + (j + 1) * h) / w;
      const transformed = isExp ? (y > 0 ? Math.log(y) : -Infinity) : isExpit ? (y <= 0 ? -Infinity : y >= 1 ? Infinity : Math.log(y / (1 - y))) : y;
      let z = (transformed - mu) / sd;
      z = z < -zt ? -zt : z > zt ? zt : z;
      const tail = normalCdf(-Math.abs(z));
      const shiftedTail = isExp ? normalCdf(-Math.abs(z - sd)) : 0;
      const x0 = L + j * h;
      let probability: number;
      let offset: number; // E[(X - x_j) 1{X in [x_j, x_(j+1))}]
      if (w > 0) {
        probability = between(previous, previousTail, z, tail);
        offset = probability <= 0 ? 0 : isExp ? expScale * between(previous - sd, previousShiftedTail, z - sd, shiftedTail) - x0 * probability : partial!(previous, z, x0, probability);
      } else {
        probability = between(z, tail, previous, previousTail);
        offset = probability <= 0 ? 0 : isExp ? expScale * between(z - sd, shiftedTail, previous - sd, previousShiftedTail) - x0 * probability : partial!(z, previous, x0, probability);
      }
      if (probability > 0) {
        let up = offset / h;
        up = up < 0 ? 0 : up > probability ? probability : up;
        cells[j] = cells[j]! + (probability - up);
        cells[j + 1] = up;
      }
      previous = z;
      previousTail = tail;
      previousShiftedTail = shiftedTail;
    }
    // Clip rather than drop: each tail beyond zt goes to its end of the range (x = lo at node 0,
    // x = hi shared linearly between its two nodes), so the term's distribution function is exact
    // inside its range.
    const tailMass = normalCdf(-zt);
    cells[0] = cells[0]! + tailMass;
    const end = Math.min((t.hi - L) / h, count);
    const endNode = Math.min(Math.floor(end), count - 1);
    const endFraction = end - endNode;
    cells[endNode] = cells[endNode]! + tailMass * (1 - endFraction);
    cells[endNode + 1] = cells[endNode + 1]! + tailMass * endFraction;
    fft.forward(cells, count + 1, re, im);
    multiplyInto(accRe, accIm, re, im, half);
  }
  // Each wide term's transform carries sinc^2; divide them out and put one sinc back.
  const power = 1 - 2 * wide;
  let top = half;
  if (power !== 0) {
    for (let m = 1; m <= half; m++) {
      const factor = sinc[m]! ** power;
      accRe[m] = accRe[m]! * factor;
      accIm[m] = accIm[m]! * factor;
    }
  }
  if (narrow.length > 0 && wide > 0) {
    while (top > 0 && Math.abs(accRe[top]!) + Math.abs(accIm[top]!) < NEGLIGIBLE) top--;
  }
  for (const t of narrow) {
    // Characteristic function E exp(-i t_m (X - L)), t_m = 2 pi m / (n h), by Gauss-Hermite,
    // each node's exp(-i t_m x) by rotation from m - 1.
    re.fill(0, 0, top + 1);
    im.fill(0, 0, top + 1);
    for (let q = 0; q < GH_NODES; q++) {
      const x = t.weight * g(t.centre + t.sd * GH_Z[q]!) - t.lo;
      const angle = (-2 * Math.PI * x) / (n * h);
      const cr = Math.cos(angle);
      const ci = Math.sin(angle);
      let pr = GH_W[q]!;
      let pi = 0;
      for (let m = 0; m <= top; m++) {
        re[m] = re[m]! + pr;
        im[m] = im[m]! + pi;
        const nr = pr * cr - pi * ci;
        pi = pr * ci + pi * cr;
        pr = nr;
      }
    }
    multiplyInto(accRe, accIm, re, im, top);
  }
  if (top < half) {
    accRe.fill(0, top + 1);
    accIm.fill(0, top + 1);
  }
  const masses = new Float64Array(n);
  fft.inverse(accRe, accIm, masses);
  return new LatticeDistribution(origin, h, masses, prep.droppedPerTerm * prep.terms.length);
}

export interface SumQuantiles {
  /** The quantiles at the requested probabilities. */
  values: number[];
  /**
   * Error estimate of each quantile: the difference from the same computation at half the
   * resolution, plus the truncated probability divided by the density.
   */
  errors: number[];
  /** Density of S at each quantile. */
  densities: number[];
  points: number;
  spacing: number;
  resolution: number;
  dropped: number;
  /** Lattice convolutions computed (each is one FFT per term and one inverse). */
  convolutions: number;
}

/**
 * Quantiles of S with error estimates, refining the lattice until every estimate is at most
 * `tolerance` (absolute, in S's units) or `maxPoints` is reached.
 */
export function weightedSumQuantiles(
  terms: readonly SumTerm[],
  link: Link,
  shift: number,
  probabilities: readonly number[],
  tolerance: number,
  options: LatticeOptions = {},
): SumQuantiles {
  const truncation = options.truncation ?? 1e-7;
  const maxPoints = options.maxPoints ?? 2 ** 16;
  const prep = prepare(terms, link, shift, truncation);
  if (prep.terms.length === 0 || !(prep.sdSum > 0)) {
    return { values: probabilities.map(() => prep.constant), errors: probabilities.map(() => 0), densities: probabilities.map(() => Infinity), points: 0, spacing: 0, resolution: 0, dropped: 0, convolutions: 0 };
  }
  let n = latticePoints(prep, options.resolution ?? 8, maxPoints);
  const first = buildLattice(prep, link, n / 2);
  let coarseValues = probabilities.map((p) => first.quantile(p));
  let convolutions = 1;
  for (;;) {
    const fine = buildLattice(prep, link, n);
    convolutions++;
    const values = probabilities.map((p) => fine.quantile(p));
    const densities = values.map((x) => fine.density(x));
    const errors = values.map((x, i) => Math.abs(x - coarseValues[i]!) + fine.dropped / Math.max(densities[i]!, 1e-300));
    if (errors.every((e) => e <= tolerance) || n >= maxPoints) {
      return { values, errors, densities, points: n, spacing: fine.spacing, resolution: prep.sdSum / fine.spacing, dropped: fine.dropped, convolutions };
    }
    coarseValues = values;
    n *= 2;
  }
}

/**
 * The range of the truncated terms' sum: S lies in [lower, upper] except with probability at most
 * `dropped` (the truncation).
 */
export function truncatedRange(terms: readonly SumTerm[], link: Link, shift: number, options: LatticeOptions = {}): { lower: number; upper: number; dropped: number } {
  const prep = prepare(terms, link, shift, options.truncation ?? 1e-7);
  let lower = prep.constant;
  let upper = prep.constant;
  for (const t of prep.terms) {
    lower += t.lo;
    upper += t.hi;
  }
  return { lower, upper, dropped: prep.droppedPerTerm * prep.terms.length };
}

export interface SumCdf {
  /** P(S <= x) on the finer lattice. */
  value: number;
  /** The same on half as many points (for the error estimate), when asked for. */
  coarse: number | null;
  /** Density of S at x. */
  density: number;
  /** Probability dropped by the truncation (bounds the truncation's effect on `value`). */
  dropped: number;
  points: number;
}

/** P(S <= x) at resolution R (default 8) and, with `withCoarse`, on half as many points. */
export function weightedSumCdf(terms: readonly SumTerm[], link: Link, shift: number, x: number, withCoarse: boolean, options: LatticeOptions = {}): SumCdf {
  const truncation = options.truncation ?? 1e-7;
  const maxPoints = options.maxPoints ?? 2 ** 16;
  const prep = prepare(terms, link, shift, truncation);
  if (prep.terms.length === 0 || !(prep.sdSum > 0)) {
    const value = x >= prep.constant ? 1 : 0;
    return { value, coarse: value, density: 0, dropped: 0, points: 0 };
  }
  const n = latticePoints(prep, options.resolution ?? 8, maxPoints);
  const fine = buildLattice(prep, link, n);
  const coarse = withCoarse ? buildLattice(prep, link, n / 2).cdf(x) : null;
  return { value: fine.cdf(x), coarse, density: fine.density(x), dropped: fine.dropped, points: n };
}

/**
 * The lattice distribution of S at resolution R (default 8) and, with `withCoarse`, the same on
 * half as many points (for error estimates); null when S is a constant.
 */
export function weightedSumLattice(
  terms: readonly SumTerm[],
  link: Link,
  shift: number,
  withCoarse: boolean,
  options: LatticeOptions = {},
): { fine: LatticeDistribution; coarse: LatticeDistribution | null } | null {
  const prep = prepare(terms, link, shift, options.truncation ?? 1e-7);
  if (prep.terms.length === 0 || !(prep.sdSum > 0)) return null;
  const n = latticePoints(prep, options.resolution ?? 8, options.maxPoints ?? 2 ** 16);
  return { fine: buildLattice(prep, link, n), coarse: withCoarse ? buildLattice(prep, link, n / 2) : null };
}

/** acc[m] *= x[m] for m = 0..last, complex, in place (real and imaginary parts apart). */
function multiplyInto(accRe: Float64Array, accIm: Float64Array, re: Float64Array, im: Float64Array, last: number): void {
  for (let m = 0; m <= last; m++) {
    const ar = accRe[m]!;
    const ai = accIm[m]!;
    const br = re[m]!;
    const bi = im[m]!;
    accRe[m] = ar * br - ai * bi;
    accIm[m] = ar * bi + ai * br;
  }
}
