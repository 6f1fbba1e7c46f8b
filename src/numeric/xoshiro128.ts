/**
 * The one seeded pseudo-random generator of Roots: xoshiro128** 1.1 (Blackman D, Vigna S.
 * Scrambled linear pseudorandom number generators. ACM TOMS 2021;47:36; reference code at
 * prng.di.unimi.it), 128 bits of state, period 2^128 - 1. Nothing in Roots uses Math.random:
 * the same seed gives the same stream on every run and every machine (32-bit integer work plus
 * IEEE double maths on its results).
 *
 * One generator, three ways to read it (each caller keeps the one its published results were
 * computed with): `uniform53` in [0, 1) and `openUniform53` in (0, 1) with 53 random bits,
 * `openUniform32` in (0, 1) with 32 bits; and the raw words (`nextUint32`, `nextInt32`).
 *
 * Seeding entry points (a seed becomes the four state words): `splitMix32State` (four outputs
 * of SplitMix32 from one 32-bit word, used by the synthetic data generator and the WHO
 * measures, each with its own rule for turning a seed into that word: `wordOfWholeSeed`,
 * `wordOfAnySeed`), and `weylHashState` (the PHE measures' Monte Carlo streams). They give
 * different streams for the same seed, and seeded results are compared with published figures,
 * so all of them stay.
 */
export class Xoshiro128StarStar {
  // The four state words, as signed 32-bit integers (plain fields: V8 keeps them unboxed).
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(words: ArrayLike<number>) {
    this.setState(words);
  }

  /** Replaces the state (four words, not all zero: the one state xoshiro must never hold). */
  protected setState(words: ArrayLike<number>): void {
    if (words.length !== 4) throw new RangeError('the xoshiro128** state is four 32-bit words');
    if (((words[0]! | words[1]! | words[2]! | words[3]!) | 0) === 0) throw new RangeError('the xoshiro128** state must not be all zero');
    this.s0 = words[0]! | 0;
    this.s1 = words[1]! | 0;
    this.s2 = words[2]! | 0;
    this.s3 = words[3]! | 0;
  }

  /** One xoshiro128** step: the next 32 random bits as a signed integer. */
  nextInt32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    let r = Math.imul(s1, 5);
    r = Math.imul((r << 7) | (r >>> 25), 9);
    const t = s1 << 9;
    const s2 = this.s2 ^ s0;
    const s3 = this.s3 ^ s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return r;
  }

  /** The next 32 random bits, as an unsigned integer. */
  nextUint32(): number {
    return this.nextInt32() >>> 0;
  }

  /** A uniform double in [0, 1) with 53 random bits (27 from one word, 26 from the next). */
  uniform53(): number {
    const high = this.nextInt32() >>> 5;
    const low = this.nextInt32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** A uniform double strictly inside (0, 1) with 53 random bits: (k + 1/2) / 2^53, for quantile functions. */
  openUniform53(): number {
    const high = this.nextInt32() >>> 5;
    const low = this.nextInt32() >>> 6;
    return (high * 67108864 + low + 0.5) / 9007199254740992;
  }

  /** A uniform double strictly inside (0, 1) with 32-bit resolution: (k + 1/2) / 2^32. */
  openUniform32(): number {
    return openUniform32(this.nextInt32());
  }
}

/** (word + 1/2) / 2^32 for a 32-bit word (signed or unsigned): strictly inside (0, 1). */
export function openUniform32(word: number): number {
  return ((word >>> 0) + 0.5) * 2.3283064365386963e-10;
}

/**
 * Four state words from one 32-bit word by SplitMix32 (a Weyl sequence through the MurmurHash3
 * 32-bit finaliser), so that small neighbouring seeds give unrelated streams. All zero (which
 * SplitMix32 cannot actually produce four times) becomes s0 = 1.
 */
export function splitMix32State(word: number): Int32Array {
  let state = word >>> 0;
  const words = new Int32Array(4);
  for (let i = 0; i < 4; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    words[i] = z ^ (z >>> 16);
  }
  if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) words[0] = 1;
  return words;
}

/** A whole-number seed from 0 to 2^53 - 1 as one word: its low 32 bits, with its high bits mixed in (the synthetic data generator's rule). */
export function wordOfWholeSeed(seed: number): number {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError(`seed must be a whole number from 0 to 2^53 - 1, not ${seed}`);
  return ((seed >>> 0) ^ Math.imul(Math.floor(seed / 0x1_0000_0000) >>> 0, 0x9e3779b1)) >>> 0;
}

/**
 * Any finite seed as one word: the low 32 bits of its whole part XOR 32 bits of its fraction (the
 * WHO measures' rule; for whole seeds from 0 to 2^32 - 1 it agrees with `wordOfWholeSeed`).
 */
export function wordOfAnySeed(seed: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  return (Math.trunc(seed) ^ Math.trunc((seed - Math.trunc(seed)) * 2 ** 32)) >>> 0;
}

/**
 * Four state words from a seed by a Weyl sequence (both 32-bit halves of the whole part; a
 * fraction is dropped) through a two-multiply 32-bit hash (C. Wellons' hash prospector,
 * constants 0x21f0aaad and 0x735a2d97): the PHE measures' Monte Carlo streams (RandomStream).
 */
export function weylHashState(seed: number): Int32Array {
  if (!Number.isFinite(seed)) throw new Error(`seed must be a finite number, got ${seed}`);
  let counter = Math.trunc(seed) | 0;
  const high = Math.floor(Math.trunc(seed) / 4294967296) | 0;
  const words = new Int32Array(4);
  for (let i = 0; i < 4; i++) {
    counter = (counter + 0x9e3779b9) | 0;
    let z = counter ^ high;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    words[i] = z ^ (z >>> 15);
  }
  if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) words[0] = 1;
  return words;
}

/** A generator seeded by any finite number (the WHO measures' `createUniformGenerator`). */
export const generatorOfAnySeed = (seed: number): Xoshiro128StarStar => new Xoshiro128StarStar(splitMix32State(wordOfAnySeed(seed)));
