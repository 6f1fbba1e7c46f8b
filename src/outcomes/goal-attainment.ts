/**
 * Goal Attainment Scaling (GAS): the aggregate T-score of Kiresuk and Sherman (Kiresuk TJ,
 * Sherman RE. Goal attainment scaling: a general method for evaluating comprehensive community
 * mental health programs. Community Ment Health J 1968;4:443-453), as used in rehabilitation
 * (Turner-Stokes L. Goal attainment scaling (GAS) in rehabilitation: a practical guide. Clin
 * Rehabil 2009;23:362-370):
 *
 *   T = 50 + 10 * sum(w_i * x_i) / sqrt((1 - rho) * sum(w_i^2) + rho * (sum w_i)^2)
 *
 * with each goal's attainment x_i on the five-point scale -2 (much less than expected) to +2
 * (much more than expected), weights w_i (1 when unweighted; Turner-Stokes uses importance x
 * difficulty) and rho, the assumed correlation between goal scores, 0.3 by convention.
 * T = 50 when every goal is met exactly as expected; the SD is 10 under the model's assumptions.
 */

export const GAS_DEFAULT_RHO = 0.3;

export interface GoalScore {
  /** Attainment: -2, -1, 0, 1 or 2. */
  attainment: number;
  /** Weight above 0; 1 when goals are unweighted. */
  weight?: number;
}

export function goalAttainmentTScore(goals: readonly GoalScore[], rho = GAS_DEFAULT_RHO): number {
  if (goals.length === 0) throw new RangeError('GAS needs at least one goal');
  if (!(rho >= 0 && rho < 1)) throw new RangeError('rho is a correlation from 0 up to (not including) 1');
  let weighted = 0;
  let sumWeights = 0;
  let sumSquaredWeights = 0;
  for (const goal of goals) {
    const weight = goal.weight ?? 1;
    if (!Number.isInteger(goal.attainment) || goal.attainment < -2 || goal.attainment > 2) {
      throw new RangeError('each goal attainment is a whole number from -2 to 2');
    }
    if (!Number.isFinite(weight) || weight <= 0) throw new RangeError('each goal weight is a number above 0');
    weighted += weight * goal.attainment;
    sumWeights += weight;
    sumSquaredWeights += weight * weight;
  }
  return 50 + (10 * weighted) / Math.sqrt((1 - rho) * sumSquaredWeights + rho * sumWeights * sumWeights);
}
