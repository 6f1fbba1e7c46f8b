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
import { roundHalfEven } from './distributions.ts';

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
 * hold after sorting, and returns those values (in the order of `ranks`). Multi-way quickselect
 * with median-of-three pivots: one partition pass serves every rank on each side.
 */
export function orderStatistics(values: Float64Array, ranks: readonly number[]): number[] {
  const wanted = [...new Set(ranks.map((r) => r - 1))].sort((a, b) => a - b);
  for (const index of wanted) {
    if (!(index >= 0 && index < values.length)) throw new Error(`rank ${index + 1} is outside 1..${values.length}`);
  }
  selectMany(values, 0, values.length - 1, wanted, 0, wanted.length);
  return ranks.map((r) => values[r - 1]!);
}

function selectMany(a: Float64Array, left: number, right: number, wanted: readonly number[], from: number, to: number): void {
  while (from < to && left < right) {
    if (right - left < 16) {
      insertionSort(a, left, right);
      return;
    }
    const mid = (left + right) >>> 1;
    // Median of three as pivot, placed at `left`.
    if (a[mid]! < a[left]!) swap(a, mid, left);
    if (a[right]! < a[left]!) swap(a, right, left);
    if (a[right]! < a[mid]!) swap(a, right, mid);
    swap(a, left, mid);
    const pivot = a[left]!;
    let i = left + 1;
    let j = right;
    for (;;) {
      while (i <= j && a[i]! < pivot) i++;
      while (i <= j && a[j]! > pivot) j--;
      if (i >= j) break;
      swap(a, i, j);
      i++;
      j--;
    }
    swap(a, left, j);
    // Pivot now at j: ranks below j go left, above go right.
    let split = from;
    while (split < to && wanted[split]! < j) split++;
    let after = split;
    while (after < to && wanted[after]! === j) after++;
    if (split - from < to - after) {
      selectMany(a, left, j - 1, wanted, from, split);
      left = j + 1;
      from = after;
    } else {
      selectMany(a, j + 1, right, wanted, after, to);
      right = j - 1;
      to = split;
    }
  }
}

function insertionSort(a: Float64Array, left: number, right: number): void {
  for (let i = left + 1; i <= right; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= left && a[j]! > v) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = v;
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
