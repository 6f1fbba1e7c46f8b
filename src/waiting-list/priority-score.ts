/**
 * The waiting-list priority score: clinical priority, plus time waited as a share of the
 * priority's target, plus an equity weight the service may switch on. Every part is returned
 * with its reason so the list can show why a person sits where they do; none is a black box.
 *
 * A Roots method (no published source): clinical priority dominates (P1 3 points down to P4 0),
 * each full target waited adds one point, and the equity part adds the weights a service sets
 * (all 0, so off, by default) for factors known to widen gaps in access: living in the most
 * deprived fifth of areas, belonging to an inclusion-health group, needing an interpreter and
 * disability. Changing the weights is a recorded decision (see waiting-list/README.md).
 */

import type { Priority } from '../domain/codes.ts';

export type { Priority };

/**
 * The inclusion-health groups among the person's recorded groups (NHS England's inclusion health
 * framework: people experiencing homelessness, vulnerable migrants, Gypsy, Roma and Traveller
 * communities, people leaving prison; care leavers added as a group with the same barriers).
 * Carers and veterans are recorded but are not inclusion-health groups.
 */
export const INCLUSION_HEALTH_GROUPS = ['homeless', 'asylum_seeker', 'refugee', 'gypsy_roma_traveller', 'prison_leaver', 'care_leaver'] as const;

export const CLINICAL_POINTS: Record<Priority, number> = { P1: 3, P2: 2, P3: 1, P4: 0 };

export interface EquityWeights {
  mostDeprivedQuintile: number;
  inclusionHealthGroup: number;
  interpreterNeeded: number;
  disability: number;
}

export const EQUITY_WEIGHTS_OFF: EquityWeights = {
  mostDeprivedQuintile: 0,
  inclusionHealthGroup: 0,
  interpreterNeeded: 0,
  disability: 0,
};

export interface PriorityInput {
  priority: Priority;
  /** Target days for the priority (from triage). */
  targetDays: number;
  /** Counted days waited (from the clock rules). */
  waitDays: number;
  /** 1 (most deprived) to 5, or null when unknown. */
  deprivationQuintile: number | null;
  inclusionHealthGroup: boolean;
  interpreterNeeded: boolean;
  disability: boolean;
}

export interface ScorePart {
  part: 'clinical priority' | 'time waited' | keyof EquityWeights;
  points: number;
  reason: string;
}

export interface PriorityScore {
  total: number;
  parts: ScorePart[];
}

export function priorityScore(input: PriorityInput, weights: EquityWeights = EQUITY_WEIGHTS_OFF): PriorityScore {
  if (!(input.targetDays > 0)) throw new RangeError('target days must be above 0');
  if (!(input.waitDays >= 0)) throw new RangeError('days waited cannot be below 0');
  for (const [name, weight] of Object.entries(weights)) {
    if (!Number.isFinite(weight) || weight < 0) throw new RangeError(`equity weight ${name} must be 0 or more`);
  }
  const share = input.waitDays / input.targetDays;
  const parts: ScorePart[] = [
    { part: 'clinical priority', points: CLINICAL_POINTS[input.priority], reason: `priority ${input.priority}` },
    {
      part: 'time waited',
      points: round(share),
      reason: `${input.waitDays} of ${input.targetDays} target days (${Math.round(share * 100)}%)`,
    },
  ];
  const equity: [keyof EquityWeights, boolean, string][] = [
    ['mostDeprivedQuintile', input.deprivationQuintile === 1, 'lives in the most deprived fifth of areas'],
    ['inclusionHealthGroup', input.inclusionHealthGroup, 'belongs to an inclusion-health group'],
    ['interpreterNeeded', input.interpreterNeeded, 'needs an interpreter'],
    ['disability', input.disability, 'has a disability'],
  ];
  for (const [part, applies, reason] of equity) {
    if (applies && weights[part] > 0) parts.push({ part, points: weights[part], reason });
  }
  return { total: round(parts.reduce((sum, part) => sum + part.points, 0)), parts };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
