/**
 * Standard normal deviates by the ziggurat method (Marsaglia G, Tsang WW. The ziggurat method for
 * generating random variables. J Stat Softw 2000;5(8)), 128 layers, with the layer index, sign and
 * magnitude taken from separate bits of each 32-bit draw (the independence McFarland and Doornik
 * recommend; the magnitude has 24-bit resolution), on the one xoshiro128** generator.
 */
import { Xoshiro128StarStar, weylHashState } from './xoshiro128.ts';

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

/**
 * The ziggurat's rare path (about 1.2% of draws): the tail beyond R for the base layer
 * (Marsaglia: x = -ln(U1) / R, y = -ln(U2), accept when 2y > x^2), otherwise the wedge test (a
 * uniform height within the layer must fall under the density). NaN means reject and draw again.
 */
function zigguratEdge(generator: Xoshiro128StarStar, layer: number, u: number): number {
  if (layer === 0) {
    for (;;) {
      const x = -Math.log(generator.openUniform32()) / ZIGGURAT_R;
      const y = -Math.log(generator.openUniform32());
      if (y + y > x * x) return ZIGGURAT_R + x;
    }
  }
  const x = u * ZIG_X[layer]!;
  const height = ZIG_F[layer]! + generator.openUniform32() * (ZIG_F[layer + 1]! - ZIG_F[layer]!);
  return height < Math.exp(-0.5 * x * x) ? x : Number.NaN;
}

/**
 * The one xoshiro128** generator (src/numeric/xoshiro128.ts) seeded as the PHE measures' Monte
 * Carlo methods seed it (`weylHashState`), with a ziggurat normal sampler. Create one per
 * computation from the caller's seed; the same seed always gives the same stream.
 */
export class RandomStream extends Xoshiro128StarStar {
  constructor(seed: number) {
    super(weylHashState(seed));
  }

  /** A stream from four raw state words (not all zero), to check against published reference outputs. */
  static fromState(s0: number, s1: number, s2: number, s3: number): RandomStream {
    const stream = new RandomStream(0);
    stream.setState([s0, s1, s2, s3]);
    return stream;
  }

  /** A uniform deviate in the open interval (0, 1), with 32-bit resolution. */
  nextOpenUniform(): number {
    return this.openUniform32();
  }

  /** One standard normal deviate. */
  nextNormal(): number {
    const one = new Float64Array(1);
    this.fillNormal(one);
    return one[0]!;
  }

  /**
   * Fills `out` with independent standard normal deviates (ziggurat). The ~1.2% of draws that
   * land on a layer's edge are marked and finished afterwards (each either accepted by the edge
   * test or replaced by a fresh draw), so the stream stays a deterministic function of the seed.
   */
  fillNormal(out: Float64Array): void {
    const n = out.length;
    const edgeAt: number[] = [];
    const edgeWord: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = this.nextInt32();
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
    for (let k = 0; k < edgeAt.length; k++) out[edgeAt[k]!] = finishNormal(this, edgeWord[k]!);
  }
}

/** Completes a draw that landed on a layer's edge: the edge test, then fresh draws until one is accepted. */
function finishNormal(generator: Xoshiro128StarStar, word: number): number {
  let r = word;
  for (;;) {
    const layer = r & 127;
    const u = (r >>> 8) * TWO_POW_MINUS_24;
    const x = u < ZIG_ACCEPT[layer]! ? u * ZIG_X[layer]! : zigguratEdge(generator, layer, u);
    if (x === x) return r & 128 ? -x : x; // NaN (rejected) fails x === x
    r = generator.nextInt32();
  }
}
