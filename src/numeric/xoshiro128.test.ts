import { describe, expect, it } from 'vitest';
import { RandomStream } from './random-stream.ts';
import { generatorOfAnySeed, splitMix32State, weylHashState, wordOfAnySeed, wordOfWholeSeed, Xoshiro128StarStar } from './xoshiro128.ts';

const words = (generator: Xoshiro128StarStar, n = 8) => Array.from({ length: n }, () => generator.nextUint32());

describe('the one xoshiro128** generator and its seeding entry points', () => {
  it('gives the WHO and synthetic seeding the same stream for whole seeds below 2^32, and different ones above', () => {
    for (const seed of [0, 1, 42, 20261121, 2 ** 32 - 1]) expect(wordOfAnySeed(seed)).toBe(wordOfWholeSeed(seed));
    expect(wordOfAnySeed(2 ** 40 + 3)).not.toBe(wordOfWholeSeed(2 ** 40 + 3));
    expect(words(generatorOfAnySeed(42))).toEqual(words(new Xoshiro128StarStar(splitMix32State(wordOfWholeSeed(42)))));
  });

  it('gives the PHE stream its own seeding', () => {
    expect(words(new RandomStream(42))).toEqual(words(new Xoshiro128StarStar(weylHashState(42))));
    expect(words(new RandomStream(42))).not.toEqual(words(generatorOfAnySeed(42)));
  });

  it('refuses the all-zero state and seeds it cannot use', () => {
    expect(() => new Xoshiro128StarStar([0, 0, 0, 0])).toThrow(/must not be all zero/);
    expect(() => wordOfWholeSeed(-1)).toThrow(RangeError);
    expect(() => wordOfWholeSeed(1.5)).toThrow(RangeError);
    expect(() => wordOfAnySeed(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('reads uniforms in the documented ranges, the open ones never 0 or 1', () => {
    const generator = generatorOfAnySeed(7);
    for (let i = 0; i < 10_000; i++) {
      const closedOpen = generator.uniform53();
      const open53 = generator.openUniform53();
      const open32 = generator.openUniform32();
      expect(closedOpen >= 0 && closedOpen < 1 && open53 > 0 && open53 < 1 && open32 > 0 && open32 < 1).toBe(true);
    }
  });
});
