/**
 * Probabilistic sensitivity analysis (PSA): the business case run many times with its uncertain
 * inputs drawn from distributions, seeded so the same seed gives the same answer.
 *
 * Distributions by the method of moments from a mean and a standard error (Briggs A, Claxton K,
 * Sculpher M. *Decision modelling for health economic evaluation*. Oxford University Press, 2006,
 * chapter 4): beta for proportions, gamma or log-normal for costs and counts. Gamma deviates by
 * Marsaglia and Tsang's method (ACM TOMS 2000;26:363-372), normal deviates from Roots' one seeded
 * stream (`numeric/random-stream.ts`). A parameter with standard error 0 is its mean exactly, so a
 * run with no uncertainty equals the deterministic case.
 */
import { RandomStream } from '../numeric/random-stream.ts';

export type Uncertain =
  | { kind: 'fixed'; value: number }
  | { kind: 'beta'; mean: number; se: number }
  | { kind: 'gamma'; mean: number; se: number }
  | { kind: 'lognormal'; mean: number; se: number };

export interface PsaSummary {
  draws: number;
  seed: number;
  /** Mean of the outcome over the draws. */
  mean: number;
  /** 2.5th and 97.5th centiles of the outcome (type 7 interpolation). */
  lower: number;
  upper: number;
  /** Share of draws in which `succeeded` held (e.g. benefit-cost ratio above 1). */
  probabilityOfSuccess: number;
}

/** Parameters of a beta distribution with the given mean and standard error. */
export function betaParameters(mean: number, se: number): { alpha: number; beta: number } {
  if (!(mean > 0 && mean < 1)) throw new RangeError('a beta mean lies strictly between 0 and 1');
  const variance = se * se;
  if (!(variance > 0 && variance < mean * (1 - mean))) throw new RangeError('a beta standard error must be above 0 and below sqrt(mean x (1 - mean))');
  const common = (mean * (1 - mean)) / variance - 1;
  return { alpha: mean * common, beta: (1 - mean) * common };
}

/** Shape and scale of a gamma distribution with the given mean and standard error. */
export function gammaParameters(mean: number, se: number): { shape: number; scale: number } {
  if (!(mean > 0) || !(se > 0)) throw new RangeError('a gamma mean and standard error are above 0');
  return { shape: (mean * mean) / (se * se), scale: (se * se) / mean };
}

/** Location and scale on the log scale of a log-normal with the given mean and standard error. */
export function logNormalParameters(mean: number, se: number): { mu: number; sigma: number } {
  if (!(mean > 0) || !(se > 0)) throw new RangeError('a log-normal mean and standard error are above 0');
  const sigma2 = Math.log(1 + (se * se) / (mean * mean));
  return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}

export class Sampler {
  private readonly stream: RandomStream;

  constructor(seed: number) {
    this.stream = new RandomStream(seed);
  }

  private normal(): number {
    return this.stream.nextNormal();
  }

  private uniform(): number {
    return this.stream.openUniform53();
  }

  /** Gamma(shape, 1) by Marsaglia and Tsang; shapes below 1 by the boost gamma(shape + 1) x U^(1/shape). */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * this.uniform() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v0 = 1 + c * x;
      if (v0 <= 0) continue;
      const v = v0 * v0 * v0;
      const u = this.uniform();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }

  draw(parameter: Uncertain): number {
    switch (parameter.kind) {
      case 'fixed':
        return parameter.value;
      case 'beta': {
        if (parameter.se === 0) return parameter.mean;
        const { alpha, beta } = betaParameters(parameter.mean, parameter.se);
        const a = this.gamma(alpha);
        return a / (a + this.gamma(beta));
      }
      case 'gamma': {
        if (parameter.se === 0) return parameter.mean;
        const { shape, scale } = gammaParameters(parameter.mean, parameter.se);
        return this.gamma(shape) * scale;
      }
      case 'lognormal': {
        if (parameter.se === 0) return parameter.mean;
        const { mu, sigma } = logNormalParameters(parameter.mean, parameter.se);
        return Math.exp(mu + sigma * this.normal());
      }
    }
  }
}

/**
 * Runs `model` once per draw over parameters drawn independently from `parameters`, and
 * summarises the outcome. `model` must be pure.
 */
export function runPsa<K extends string>(
  parameters: Readonly<Record<K, Uncertain>>,
  model: (values: Readonly<Record<K, number>>) => { outcome: number; succeeded: boolean },
  options: { draws: number; seed: number },
): PsaSummary {
  if (!Number.isInteger(options.draws) || options.draws < 1) throw new RangeError('draws must be a whole number, 1 or more');
  const sampler = new Sampler(options.seed);
  const keys = Object.keys(parameters) as K[];
  const outcomes = new Float64Array(options.draws);
  let successes = 0;
  const values = {} as Record<K, number>;
  for (let i = 0; i < options.draws; i++) {
    for (const key of keys) values[key] = sampler.draw(parameters[key]);
    const { outcome, succeeded } = model(values);
    outcomes[i] = outcome;
    if (succeeded) successes++;
  }
  let sum = 0;
  for (const outcome of outcomes) sum += outcome;
  outcomes.sort();
  return {
    draws: options.draws,
    seed: options.seed,
    mean: sum / options.draws,
    lower: quantile7(outcomes, 0.025),
    upper: quantile7(outcomes, 0.975),
    probabilityOfSuccess: successes / options.draws,
  };
}

/** R's type 7 sample quantile of sorted values. */
function quantile7(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
