/**
 * Numerical helpers of the WHO HEAT measures that no other family uses: R's default sample
 * quantile, and the uniform stream the Monte Carlo intervals draw from. The normal distribution,
 * the generator itself and R's rounding live in `src/numeric/` (one copy for all of Roots).
 */
import { generatorOfAnySeed } from '../../numeric/xoshiro128.ts';

/**
 * Uniform doubles with 53 random bits strictly inside (0, 1), so they can be fed to a quantile
 * function: the one xoshiro128** generator, seeded from any finite number through SplitMix32
 * (`wordOfAnySeed`). Same seed, same stream, on every platform.
 */
export interface UniformGenerator {
  next(): number;
}

export function createUniformGenerator(seed: number): UniformGenerator {
  const generator = generatorOfAnySeed(seed);
  return { next: () => generator.openUniform53() };
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
