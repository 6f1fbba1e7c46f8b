import { describe, expect, it } from 'vitest';
import { slopeIndexOfInequality, type SiiOptions } from './sii.ts';
import type { GroupInput } from './measure.ts';
import { mulberry32 } from '../../../test/support/mulberry32.ts';

// ---------------------------------------------------------------------------------------------
// The numerical-convolution intervals for rates and proportions without the transform, against
// an independent brute-force run of phe_sii's algorithm with 2 million repetitions: draw every
// quantile on the log / logit scale, back-transform, refit by the weighted normal equations,
// sort, read the positions round(n (1 - q)) and round(n q). Written without sii.ts or the
// project's generator (mulberry32 + Box-Muller here).
//
// The criterion is the standard error of a limit simulated with 100,000 repetitions (phe_sii's
// default): the numerical limit must lie within ONE such standard error of the 2-million-draw
// limit. The 2-million-draw limit is itself uncertain by 1 / sqrt(20) of that, so this is a
// 4.5-sigma check on the brute force, and a limit in error by a visible fraction of phe_sii's
// own simulation error would fail it.
// ---------------------------------------------------------------------------------------------

const Z975 = 1.959963984540054;

interface Shape {
  name: string;
  /**
   * Whether the RII is computed numerically: not where the intercept b0 (the fitted value at the
   * most disadvantaged end) can be zero or negative, where it is simulated as phe_sii does.
   */
  riiNumerical: boolean;
  valueType: 'rate' | 'proportion';
  scale: number;
  favourable: boolean;
  /** [population, value, log- or logit-scale standard error] per quantile, most disadvantaged first. */
  rows: [number, number, number][];
}

/** Inputs as phe_sii takes them: value with 95% limits (so both sides derive the same se). */
function groupsOf(shape: Shape): GroupInput[] {
  return shape.rows.map(([population, value, se], i) => {
    let lower: number;
    let upper: number;
    if (shape.valueType === 'rate') {
      lower = value * Math.exp(-Z975 * se);
      upper = value * Math.exp(Z975 * se);
    } else {
      const logit = Math.log(value / shape.scale / (1 - value / shape.scale));
      lower = (shape.scale / (1 + Math.exp(-(logit - Z975 * se))));
      upper = (shape.scale / (1 + Math.exp(-(logit + Z975 * se))));
    }
    return { group: `q${i + 1}`, order: i + 1, population, value, lower, upper };
  });
}

interface BruteLimit {
  lower: number;
  upper: number;
  /** Order-statistic standard errors of the limits at 100,000 repetitions (scaled from this run). */
  lowerSe100k: number;
  upperSe100k: number;
}

function bruteForce(shape: Shape, reps: number, seed: number, confidences: readonly number[]): { sii: BruteLimit[]; rii: BruteLimit[] } {
  const groups = groupsOf(shape);
  const k = groups.length;
  const total = groups.reduce((s, g) => s + g.population, 0);
  const a = groups.map((g) => g.population / total);
  const ridit: number[] = [];
  let cumulative = 0;
  for (const share of a) {
    ridit.push(cumulative + share / 2);
    cumulative += share;
  }
  const sqrtA = a.map(Math.sqrt);
  const xSqrtA = ridit.map((x, i) => x * sqrtA[i]!);
  // lm(y sqrt(a) ~ sqrt(a) + x sqrt(a) - 1): the normal equations' matrix is fixed.
  let s11 = 0;
  let s12 = 0;
  let s22 = 0;
  for (let i = 0; i < k; i++) {
    s11 += sqrtA[i]! * sqrtA[i]!;
    s12 += sqrtA[i]! * xSqrtA[i]!;
    s22 += xSqrtA[i]! * xSqrtA[i]!;
  }
  const det = s11 * s22 - s12 * s12;
  const rate = shape.valueType === 'rate';
  const transform = (v: number): number => (rate ? Math.log(v) : Math.log(v / shape.scale / (1 - v / shape.scale)));
  const centre = groups.map((g) => transform(g.value));
  const se = groups.map((g) => (transform(g.upper as number) - transform(g.lower as number)) / (2 * Z975));
  const multiplier = (shape.favourable ? 1 : -1) * (rate ? 1 : shape.scale);
  const uniform = mulberry32(seed);
  let spare = Number.NaN;
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = Number.NaN;
      return z;
    }
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
  const sii = new Float64Array(reps);
  const rii = new Float64Array(reps);
  for (let r = 0; r < reps; r++) {
    let t1 = 0;
    let t2 = 0;
    for (let i = 0; i < k; i++) {
      const draw = centre[i]! + se[i]! * normal();
      const y = rate ? Math.exp(draw) : 1 / (1 + Math.exp(-draw));
      t1 += sqrtA[i]! * sqrtA[i]! * y;
      t2 += xSqrtA[i]! * sqrtA[i]! * y;
    }
    const intercept = (s22 * t1 - s12 * t2) / det;
    const slope = (s11 * t2 - s12 * t1) / det;
    sii[r] = multiplier * slope;
    const ratio = (intercept + slope) / intercept;
    rii[r] = multiplier < 0 ? 1 / ratio : ratio;
  }
  const limits = (values: Float64Array, confidence: number): BruteLimit => {
    const q = confidence + (1 - confidence) / 2;
    const at = (j: number): number => values[Math.min(reps, Math.max(1, j)) - 1]!;
    const lowerPosition = Math.round(reps * (1 - q));
    const upperPosition = Math.round(reps * q);
    const spread = (j: number): number => Math.round(Math.sqrt(reps * (j / reps) * (1 - j / reps)));
    const scaleTo100k = Math.sqrt(reps / 100_000);
    return {
      lower: at(lowerPosition),
      upper: at(upperPosition),
      lowerSe100k: ((at(lowerPosition + spread(lowerPosition)) - at(lowerPosition - spread(lowerPosition))) / 2) * scaleTo100k,
      upperSe100k: ((at(upperPosition + spread(upperPosition)) - at(upperPosition - spread(upperPosition))) / 2) * scaleTo100k,
    };
  };
  sii.sort();
  rii.sort();
  return { sii: confidences.map((c) => limits(sii, c)), rii: confidences.map((c) => limits(rii, c)) };
}

// Rates per 1,000 from counts c: log-scale se about 1 / sqrt(c).
const rateRow = (population: number, count: number): [number, number, number] => [population, (count / population) * 1000, 1 / Math.sqrt(count)];
// Proportions (percent) from x out of n: logit-scale se about 1 / sqrt(n p (1 - p)).
const proportionRow = (n: number, x: number): [number, number, number] => [n, (100 * x) / n, 1 / Math.sqrt(x * (1 - x / n))];

const SHAPES: Shape[] = [
  {
    name: 'rate, 10 deciles, small counts (2 to 9 events: strongly skewed), adverse',
    riiNumerical: true,
    valueType: 'rate',
    scale: 1000,
    favourable: false,
    rows: [rateRow(1500, 9), rateRow(1600, 7), rateRow(1450, 8), rateRow(1700, 5), rateRow(1550, 6), rateRow(1650, 4), rateRow(1500, 5), rateRow(1600, 3), rateRow(1580, 2), rateRow(1620, 3)],
  },
  {
    name: 'rate, 5 quintiles, large counts (800 to 2,000 events: nearly normal), favourable',
    riiNumerical: true,
    valueType: 'rate',
    scale: 1000,
    favourable: true,
    rows: [rateRow(90_000, 2000), rateRow(85_000, 1600), rateRow(88_000, 1300), rateRow(92_000, 1100), rateRow(86_000, 800)],
  },
  {
    name: 'rate, 10 deciles, one event in the most deprived decile (log-scale se 1), favourable',
    riiNumerical: false, // P(b0 <= 0) is about 0.2 here: the fitted rate at the most deprived end is near 0
    valueType: 'rate',
    scale: 100_000,
    favourable: true,
    rows: [rateRow(4000, 1), rateRow(4200, 3), rateRow(3900, 6), rateRow(4100, 4), rateRow(4050, 9), rateRow(3950, 7), rateRow(4000, 12), rateRow(4150, 10), rateRow(4100, 15), rateRow(3980, 14)],
  },
  {
    name: 'rate, 5 quintiles, near-equal populations (middle weight 3e-5 of the largest), adverse',
    riiNumerical: true,
    valueType: 'rate',
    scale: 1000,
    favourable: false,
    rows: [rateRow(3000, 60), rateRow(3000, 45), rateRow(3001, 40), rateRow(3000, 30), rateRow(3000, 22)],
  },
  {
    name: 'proportion, 5 quintiles, small counts (3 to 12 of about 40: skewed), adverse',
    riiNumerical: true,
    valueType: 'proportion',
    scale: 100,
    favourable: false,
    rows: [proportionRow(40, 12), proportionRow(45, 9), proportionRow(38, 6), proportionRow(42, 5), proportionRow(41, 3)],
  },
  {
    name: 'proportion, 10 deciles, large counts (about 2,000 each: nearly normal), favourable',
    riiNumerical: true,
    valueType: 'proportion',
    scale: 100,
    favourable: true,
    rows: [620, 680, 760, 830, 900, 950, 1010, 1080, 1150, 1230].map((x, i) => proportionRow(2000 + 37 * i, x)),
  },
  {
    name: 'proportion, 5 quintiles, equal populations (middle weight exactly 0), values near 0 and 1, favourable',
    riiNumerical: false, // the fitted value at the most disadvantaged end is near 0 (b0 can be negative)
    valueType: 'proportion',
    scale: 1,
    favourable: true,
    rows: [proportionRow(60, 2), proportionRow(60, 15), proportionRow(60, 30), proportionRow(60, 48), proportionRow(60, 58)].map(([n, v, se]) => [n, v / 100, se] as [number, number, number]),
  },
];

const options = (shape: Shape): SiiOptions => ({
  valueType: shape.valueType,
  transform: false,
  scale: shape.scale,
  favourable: shape.favourable,
  confidence: [0.95, 0.998],
  reps: 100_000,
  seed: 1,
  rii: true,
});

describe('SII and RII by numerical convolution (rates and proportions without the transform)', () => {
  it('a quantile with one event dominating the variance: numerical only where its error estimates are within the simulation\'s standard errors, simulated otherwise', () => {
    for (const se of [0.6, 1.2, 1.8]) {
      const rows: [number, number, number][] = [[1000, 5, se], [1000, 4, 0.05], [1000, 3.5, 0.05], [1000, 3, 0.05], [1000, 2, 0.05]];
      const shape: Shape = { name: 'dominant', riiNumerical: false, valueType: 'rate', scale: 1000, favourable: false, rows };
      const result = slopeIndexOfInequality(groupsOf(shape), options(shape));
      if (result.siiIntervalMethod === 'numerical') {
        result.numerical!.siiLimitErrors.forEach((e, k) => {
          expect(e.lower).toBeLessThanOrEqual(result.numerical!.siiSimulationErrors[k]!.lower);
          expect(e.upper).toBeLessThanOrEqual(result.numerical!.siiSimulationErrors[k]!.upper);
        });
      } else {
        expect(result.siiIntervalMethod).toBe('monte-carlo');
        expect(result.simulation!.siiLimitStandardErrors).toHaveLength(2);
      }
      if (se === 0.6) expect(result.siiIntervalMethod).toBe('numerical');
      if (se === 1.8) expect(result.siiIntervalMethod).toBe('monte-carlo');
    }
  });

  SHAPES.forEach((shape, index) => {
    it(`${shape.name}: 95% and 99.8% limits within one 100,000-draw standard error of a 2-million-draw phe_sii brute force`, () => {
      const result = slopeIndexOfInequality(groupsOf(shape), options(shape));
      expect(result.siiIntervalMethod).toBe('numerical');
      expect(result.numerical?.method).toBe('numerical convolution');
      const levels = options(shape).confidence;
      const bruteAll = bruteForce(shape, 2_000_000, 1000 + index, levels);
      levels.forEach((level, k) => {
        const brute = { sii: bruteAll.sii[k]!, rii: bruteAll.rii[k]! };
        const sii = result.siiIntervals[k]!;
        const siiErrors = result.numerical!.siiLimitErrors[k]!;
        expect(sii.confidence).toBe(level);
        expect(Math.abs((sii.lower as number) - brute.sii.lower)).toBeLessThan(brute.sii.lowerSe100k);
        expect(Math.abs((sii.upper as number) - brute.sii.upper)).toBeLessThan(brute.sii.upperSe100k);
        // The numerical error estimates are a small fraction of phe_sii's own simulation error.
        expect(siiErrors.lower).toBeLessThan(0.1 * brute.sii.lowerSe100k);
        expect(siiErrors.upper).toBeLessThan(0.1 * brute.sii.upperSe100k);
        // The reported standard error of a 100,000-repetition simulation (from the computed
        // density) matches the brute force's order-statistic estimate of it.
        const comparable = result.numerical!.siiSimulationErrors[k]!;
        expect(comparable.lower / brute.sii.lowerSe100k).toBeGreaterThan(0.75);
        expect(comparable.lower / brute.sii.lowerSe100k).toBeLessThan(1.33);
        expect(comparable.upper / brute.sii.upperSe100k).toBeGreaterThan(0.75);
        expect(comparable.upper / brute.sii.upperSe100k).toBeLessThan(1.33);

        const rii = result.riiIntervals![k]!;
        if (shape.riiNumerical) {
          expect(result.riiIntervalMethod).toBe('numerical');
          expect(result.simulation).toBeUndefined();
          const riiErrors = result.numerical!.riiLimitErrors![k]!;
          expect(Math.abs((rii.lower as number) - brute.rii.lower)).toBeLessThan(brute.rii.lowerSe100k);
          expect(Math.abs((rii.upper as number) - brute.rii.upper)).toBeLessThan(brute.rii.upperSe100k);
          // Near the pole of the inverted ratio (99.8% limits of the skewed adverse cases) the
          // estimates grow to about a sixth of it; elsewhere they are far smaller.
          expect(riiErrors.lower).toBeLessThan(0.25 * brute.rii.lowerSe100k);
          expect(riiErrors.upper).toBeLessThan(0.25 * brute.rii.upperSe100k);
        } else {
          // Simulated (100,000 repetitions, seed 1): agrees within its own and the brute force's error.
          expect(result.riiIntervalMethod).toBe('monte-carlo');
          const errors = result.simulation!.riiLimitStandardErrors![k]!;
          expect(Math.abs((rii.lower as number) - brute.rii.lower)).toBeLessThan(4 * Math.hypot(errors.lower, brute.rii.lowerSe100k / Math.sqrt(20)));
          expect(Math.abs((rii.upper as number) - brute.rii.upper)).toBeLessThan(4 * Math.hypot(errors.upper, brute.rii.upperSe100k / Math.sqrt(20)));
        }
      });
    });
  });
});
