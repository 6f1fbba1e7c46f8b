/**
 * Confidence limits from simulated values, the way PHEindicatormethods' SimulationFunc reads them
 * off, plus an estimate of each limit's Monte Carlo error.
 *
 * Limits (PHE, R/utils.R SimulationFunc): sort the n simulated values; for confidence c take the
 * values at 1-based positions round(n (1 - q)) and round(n q), q = c + (1 - c) / 2, where round is
 * R's (halves to even). Here the order statistics are found by selection (expected O(n)) instead
 * of a full sort.
 *
 * Simulation error of a limit (order-statistic method): the p-quantile estimated by X(j) from n
 * independent draws has standard error ~ sqrt(p (1 - p) / n) / f(x_p); distribution-free, the
 * ranks j -/+ d with d = sqrt(n p (1 - p)) bracket it with ~68% coverage, so
 * SE ~ (X(j + d) - X(j - d)) / 2. With antithetic pairs the draws are negatively dependent in
 * the tails, which makes this an overstatement (conservative), never an understatement.
 */
import { roundHalfEven } from '../../numeric/rounding.ts';

export interface LimitPositions {
  confidence: number;
  /** 1-based position of the lower limit among the sorted simulated values. */
  lower: number;
  upper: number;
}

/** PHE's positions of the lower and upper limits among `reps` sorted simulated values. */
export function limitPositions(reps: number, confidence: number): LimitPositions {
  const q = confidence + (1 - confidence) / 2;
  const clamp = (j: number): number => Math.min(reps, Math.max(1, j));
  return { confidence, lower: clamp(roundHalfEven(reps * (1 - q))), upper: clamp(roundHalfEven(reps * q)) };
}

/**
 * Rearranges `values` in place so that every requested 1-based rank holds the value it would
 * hold after sorting, and returns those values (in the order of `ranks`).
 *
 * Confidence limits sit in the two tails, so the ranks come in two clusters. For the lower one the
 * largest rank is selected over the whole array first, which leaves the rest of that cluster
 * within the small slice below it; the upper cluster is done the same way from its smallest rank.
 * Each selection is Floyd and Rivest's (Floyd RW, Rivest RL. Algorithm 489: the algorithm SELECT.
 * Commun ACM 1975;18:173), about one pass over the range.
 */
export function orderStatistics(values: Float64Array, ranks: readonly number[]): number[] {
  const n = values.length;
  const wanted = [...new Set(ranks.map((r) => r - 1))].sort((a, b) => a - b);
  for (const index of wanted) {
    if (!(Number.isInteger(index) && index >= 0 && index < n)) throw new Error(`rank ${index + 1} is outside 1..${n}`);
  }
  const lower = wanted.filter((i) => i < n / 2);
  const upper = wanted.filter((i) => i >= n / 2);
  let floor = 0;
  if (lower.length > 0) {
    let bound = n - 1;
    for (let k = lower.length - 1; k >= 0; k--) {
      floydRivestSelect(values, 0, bound, lower[k]!);
      bound = lower[k]! - 1;
    }
    floor = lower.at(-1)! + 1;
  }
  let start = floor;
  for (const index of upper) {
    floydRivestSelect(values, start, n - 1, index);
    start = index + 1;
  }
  return ranks.map((r) => values[r - 1]!);
}

/** Places the k-th smallest of a[left..right] at k, smaller before and larger after (0-based). */
function floydRivestSelect(a: Float64Array, left: number, right: number, k: number): void {
  while (right > left) {
    if (right - left > 600) {
      // Recurse on a sample that brackets k closely, to get good partitioning values.
      const n = right - left + 1;
      const i = k - left + 1;
      const z = Math.log(n);
      const s = 0.5 * Math.exp((2 * z) / 3);
      const sd = 0.5 * Math.sqrt((z * s * (n - s)) / n) * (i - n / 2 < 0 ? -1 : 1);
      const newLeft = Math.max(left, Math.floor(k - (i * s) / n + sd));
      const newRight = Math.min(right, Math.floor(k + ((n - i) * s) / n + sd));
      floydRivestSelect(a, newLeft, newRight, k);
    }
    const t = a[k]!;
    let i = left;
    let j = right;
    swap(a, left, k);
    if (a[right]! > t) swap(a, right, left);
    while (i < j) {
      swap(a, i, j);
      i++;
      j--;
      while (a[i]! < t) i++;
      while (a[j]! > t) j--;
    }
    if (a[left] === t) swap(a, left, j);
    else {
      j++;
      swap(a, j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

export interface SimulatedLimit {
  confidence: number;
  lower: number;
  upper: number;
  lowerStandardError: number;
  upperStandardError: number;
}

/**
 * Reads the PHE limits for each confidence level from simulated values (rearranging `values`),
 * with the order-statistic estimate of each limit's simulation standard error.
 */
export function simulatedLimits(values: Float64Array, confidence: readonly number[]): SimulatedLimit[] {
  const n = values.length;
  const plan = confidence.map((c) => {
    const positions = limitPositions(n, c);
    const spread = (j: number): [number, number] => {
      const p = j / n;
      const d = Math.max(1, Math.round(Math.sqrt(n * p * (1 - p))));
      return [Math.max(1, j - d), Math.min(n, j + d)];
    };
    return { c, positions, lowerSpread: spread(positions.lower), upperSpread: spread(positions.upper) };
  });
  const ranks = plan.flatMap((p) => [p.positions.lower, p.positions.upper, ...p.lowerSpread, ...p.upperSpread]);
  const got = orderStatistics(values, ranks);
  return plan.map((p, k) => {
    const [lower, upper, lowerA, lowerB, upperA, upperB] = got.slice(6 * k, 6 * k + 6) as [number, number, number, number, number, number];
    return {
      confidence: p.c,
      lower,
      upper,
      lowerStandardError: (lowerB - lowerA) / 2,
      upperStandardError: (upperB - upperA) / 2,
    };
  });
}
