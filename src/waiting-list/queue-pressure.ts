/**
 * Queue pressure and forecasts for a waiting list, one pathway and priority at a time.
 *
 * Method: the queueing-theory approach of Fong et al., "Understanding waiting list pressures"
 * (medRxiv 2022, doi:10.1101/2022.08.23.22279117), as implemented by the NHS-R Community's R
 * package NHSRwaitinglist (functions `calc_queue_load`, `calc_target_mean_wait`,
 * `calc_target_queue_size`, `calc_target_capacity`, `calc_relief_capacity`,
 * `calc_waiting_list_pressure`). Units are the caller's: if the target wait is in weeks, demand
 * and capacity are people per week. Pure functions; no I/O.
 */

/** Queue load = demand / capacity. Above 1 the list grows without bound. */
export function queueLoad(demand: number, capacity: number): number {
  requireNonNegative({ demand });
  requirePositive({ capacity });
  return demand / capacity;
}

/**
 * The mean wait a list must hold to meet its target wait most of the time: target / factor.
 * The factor is 4 by default (about 2% of people over target when waits are exponential); the
 * package notes the mean should sit between target / 6 and target / 4.
 */
export function targetMeanWait(targetWait: number, factor = 4): number {
  requirePositive({ targetWait, factor });
  return targetWait / factor;
}

/** Little's law: target queue size = demand x target mean wait = demand x target wait / factor. */
export function targetQueueSize(demand: number, targetWait: number, factor = 4): number {
  requireNonNegative({ demand });
  return demand * targetMeanWait(targetWait, factor);
}

/**
 * Capacity that keeps a list in equilibrium at its target wait, allowing for the variability
 * of demand and capacity (F, the "variability" coefficient; 1 by default):
 * demand + 2 (1 + 4F) / target wait.
 */
export function targetCapacity(demand: number, targetWait: number, variability = 1): number {
  requireNonNegative({ demand, variability });
  requirePositive({ targetWait });
  return demand + (2 * (1 + 4 * variability)) / targetWait;
}

/**
 * Capacity needed to bring a list down to its target size within a number of time steps:
 * demand + (queue size - target queue size) / steps. Needed when the queue is over twice its
 * target size.
 */
export function reliefCapacity(demand: number, queueSize: number, targetSize: number, stepsToTarget: number): number {
  requireNonNegative({ demand, queueSize, targetSize });
  requirePositive({ stepsToTarget });
  return demand + (queueSize - targetSize) / stepsToTarget;
}

/** Waiting list pressure = 2 x mean wait / target wait. Above 1 the list is likely to miss its target. */
export function waitingListPressure(meanWait: number, targetWait: number): number {
  requireNonNegative({ meanWait });
  requirePositive({ targetWait });
  return (2 * meanWait) / targetWait;
}

/** Whether a list needs relief capacity (queue size over twice its target size). */
export function needsRelief(queueSize: number, targetSize: number): boolean {
  return queueSize > 2 * targetSize;
}

export interface QueueForecastInput {
  /** People waiting now. */
  queueSize: number;
  /** Additions per step. */
  demand: number;
  /** Removals per step the service can make. */
  capacity: number;
  /** Steps to forecast (26 for half a year of weeks). */
  steps: number;
}

/**
 * The list size at the end of each of the next `steps` steps under a constant flow:
 * size(t + 1) = max(0, size(t) + demand - capacity). A deterministic (fluid) forecast, the
 * expectation the package's simulator (`wl_simulator`) fluctuates around; it shows direction
 * and time to clear, not the spread.
 */
export function forecastQueue(input: QueueForecastInput): number[] {
  const { queueSize, demand, capacity, steps } = input;
  requireNonNegative({ queueSize, demand, capacity });
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError('steps must be a whole number, 0 or more');
  const sizes: number[] = [];
  let size = queueSize;
  for (let step = 0; step < steps; step++) {
    size = Math.max(0, size + demand - capacity);
    sizes.push(size);
  }
  return sizes;
}

function requireNonNegative(values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`${name} must be a finite number, 0 or more`);
  }
}

function requirePositive(values: Record<string, number>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a finite number above 0`);
  }
}
