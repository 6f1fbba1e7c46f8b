import { splitMix32State, wordOfWholeSeed, Xoshiro128StarStar } from '../numeric/xoshiro128.ts';

/**
 * The samplers the synthetic data generator needs, on the one seeded generator of Roots
 * (xoshiro128** in src/numeric/xoshiro128.ts, seeded through SplitMix32 so that small
 * neighbouring seeds give unrelated streams). Nothing here touches Math.random: the same seed
 * gives the same stream on every run and every machine.
 */
export class Random extends Xoshiro128StarStar {
  private spareNormal: number | null = null;

  /** `seed` is a whole number from 0 to 2^53 - 1. */
  constructor(seed: number) {
    super(splitMix32State(wordOfWholeSeed(seed)));
  }

  /** A generator with the given raw state (for checking against the reference outputs). */
  static fromState(s0: number, s1: number, s2: number, s3: number): Random {
    const random = new Random(0);
    random.setState([s0, s1, s2, s3]);
    return random;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    return this.uniform53();
  }

  /** A uniform whole number from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.uniform() * items.length)]!;
  }

  /** Standard normal, by Marsaglia's polar method (the second value of each pair is kept). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * factor;
    return mean + sd * u * factor;
  }

  /** Log-normal with the given median (e^mu) and log-scale standard deviation sigma. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.uniform());
  }

  /**
   * Poisson. Knuth's multiplication method for means under 10; above that Hörmann's PTRS
   * transformed rejection ("The transformed rejection method for generating Poisson random
   * variables", Insurance: Mathematics and Economics 12, 1993), exact for any mean.
   */
  poisson(mean: number): number {
    if (!(mean >= 0)) throw new RangeError(`Poisson mean must be 0 or more, not ${mean}`);
    if (mean === 0) return 0;
    if (mean < 10) {
      const limit = Math.exp(-mean);
      let k = 0;
      let product = this.uniform();
      while (product > limit) {
        k++;
        product *= this.uniform();
      }
      return k;
    }
    const slam = Math.sqrt(mean);
    const logLam = Math.log(mean);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -mean + k * logLam - logFactorial(k)) return k;
    }
  }

  /**
   * A value from a short list of [value, weight] pairs (weights unnormalised). The cumulative
   * weights are worked out once per list and kept, so hot loops pay one uniform and a scan.
   */
  choose<T>(entries: readonly (readonly [T, number])[]): T {
    let cumulative = cumulativeWeights.get(entries);
    if (!cumulative) {
      cumulative = new Float64Array(entries.length);
      let total = 0;
      entries.forEach(([, weight], i) => {
        if (!(weight >= 0)) throw new RangeError('weights must be 0 or more');
        total += weight;
        cumulative![i] = total;
      });
      if (!(total > 0)) throw new RangeError('weights must have a positive total');
      cumulativeWeights.set(entries, cumulative);
    }
    const target = this.uniform() * cumulative[cumulative.length - 1]!;
    for (let i = 0; i < cumulative.length; i++) if (target < cumulative[i]!) return entries[i]![0];
    return entries[entries.length - 1]![0];
  }

  /** Index drawn from unnormalised weights by a linear scan (for short lists). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i]!;
    if (!(total > 0)) throw new RangeError('weights must have a positive total');
    let target = this.uniform() * total;
    for (let i = 0; i < weights.length; i++) {
      target -= weights[i]!;
      if (target < 0) return i;
    }
    // Rounding left a sliver: return the last index with weight.
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i]! > 0) return i;
    return weights.length - 1;
  }
}

/**
 * Walker's alias method in Vose's numerically stable form ("A linear algorithm for generating
 * random numbers with a given distribution", IEEE TSE 17, 1991): O(n) to build, O(1) per draw,
 * one uniform per draw (its integer part picks the column, its fraction the coin).
 */
export class AliasTable {
  readonly size: number;
  private readonly probability: Float64Array;
  private readonly alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[i]!;
      if (!(w >= 0) || !Number.isFinite(w)) throw new RangeError(`weight ${i} is not a finite number of 0 or more`);
      total += w;
    }
    if (!(total > 0)) throw new RangeError('weights must have a positive total');
    this.size = n;
    this.probability = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = new Float64Array(n);
    const small: number[] = [];
    const large: number[] = [];
    for (let i = 0; i < n; i++) {
      scaled[i] = (weights[i]! * n) / total;
      (scaled[i]! < 1 ? small : large).push(i);
    }
    while (small.length > 0 && large.length > 0) {
      const less = small.pop()!;
      const more = large.pop()!;
      this.probability[less] = scaled[less]!;
      this.alias[less] = more;
      scaled[more] = scaled[more]! + scaled[less]! - 1;
      (scaled[more]! < 1 ? small : large).push(more);
    }
    for (const i of large) this.probability[i] = 1;
    // Left-overs in `small` are 1 up to rounding; a zero weight must never be drawn.
    for (const i of small) this.probability[i] = weights[i]! > 0 ? 1 : 0;
    for (const i of small) if (this.probability[i] === 0) this.alias[i] = firstPositive(weights);
  }

  sample(random: Random): number {
    const scaled = random.uniform() * this.size;
    const column = Math.floor(scaled);
    return scaled - column < this.probability[column]! ? column : this.alias[column]!;
  }
}

const cumulativeWeights = new WeakMap<object, Float64Array>();

function firstPositive(weights: ArrayLike<number>): number {
  for (let i = 0; i < weights.length; i++) if (weights[i]! > 0) return i;
  return 0;
}

/** log(k!) exactly summed below 64, by Stirling's series above (error under 1e-12). */
export function logFactorial(k: number): number {
  if (k < 64) {
    let total = 0;
    for (let i = 2; i <= k; i++) total += Math.log(i);
    return total;
  }
  const n = k + 1;
  return (n - 0.5) * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * n) - 1 / (360 * n ** 3) + 1 / (1260 * n ** 5);
}
