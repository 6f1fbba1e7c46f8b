/**
 * mulberry32 (Tommy Ettinger, public domain): a tiny 32-bit generator for tests that check Roots'
 * own simulations by brute force, so the check does not share Roots' generator (xoshiro128**).
 * Returns uniforms in (0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
}
