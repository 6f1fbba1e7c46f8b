/**
 * Allocation by competency: a ranked shortlist of therapists for one referral, each with the
 * reasons it is there, and everyone left out with the reason why. Pure; the team lead confirms.
 *
 * Method: the green / amber / red competency model of the community rehabilitation case study
 * in the report (Royal College of Occupational Therapists, *Roots of recovery*). Each task in a
 * service's catalogue has a complexity (green, amber or red); each therapist holds, per task,
 * `green` (can do it), `amber` (can do it with named supervision) or `red` (a specialist, able
 * to take the red, most complex, work). The rules:
 * - a red task needs a red-capable therapist;
 * - a green or amber task needs a therapist at green or red on it, or at amber with a named
 *   supervisor who is green or red on that task (never themselves);
 * - nobody without capacity left is suggested.
 * Among those eligible, the ranking (a Roots method) prefers continuity (already knows the
 * person), then the fewest hand-overs (supervision needed), then covering the person's area,
 * then the most hours left, then the lightest caseload, then name for a stable order.
 */

import type { CompetencyLevel } from '../domain/codes.ts';

export type { CompetencyLevel };
/** A task's complexity uses the same three colours. */
export type Complexity = CompetencyLevel;

export interface RequiredTask {
  code: string;
  complexity: Complexity;
}

export interface Therapist {
  id: number;
  name: string;
  /** Competency per task code; a task not listed is one the therapist does not do. */
  competencies: Readonly<Record<string, CompetencyLevel>>;
  /** Hours a week the therapist works with people. */
  capacityHours: number;
  /** Hours a week already committed (caseload weight). */
  caseloadHours: number;
  /** Areas (e.g. local authority or locality codes) the therapist travels to. */
  areas: readonly string[];
  /**
   * The named supervisor (a therapist id) of each task held at amber. When a task's supervisor is
   * named, only that supervisor counts (and must hold the task at green or red); when none is
   * named, the first qualified colleague in the list is suggested.
   */
  supervisors?: Readonly<Record<string, number>>;
  /** Open allocations now (shown with the caseload weight; not a ranking key). */
  caseloadCount?: number;
}

export interface AllocationRequest {
  tasks: readonly RequiredTask[];
  /** Expected hours a week for this person. */
  hoursNeeded: number;
  /** The person's area code, if known. */
  area: string | null;
  /** Therapists who have worked with the person before. */
  previousTherapistIds: readonly number[];
  /** The person's areas (their area and, say, its local authority): a therapist covering any of them covers the person. */
  areas?: readonly string[];
}

export interface Supervision {
  task: string;
  supervisorId: number;
  supervisorName: string;
}

/** How one shortlisted therapist meets one required task. */
export interface TaskMatch {
  task: string;
  complexity: Complexity;
  level: CompetencyLevel;
  supervisorId: number | null;
  supervisorName: string | null;
}

export interface Suggestion {
  therapistId: number;
  name: string;
  rank: number;
  supervision: Supervision[];
  hoursLeft: number;
  reasons: string[];
  /** The facts behind the reasons, for pages in any language. */
  tasks: TaskMatch[];
  capacityHours: number;
  caseloadHours: number;
  caseloadCount: number | null;
  continuity: boolean;
  coversArea: boolean;
  /**
   * Hand-overs this choice brings: one when the person has had a therapist before and this is
   * someone new, plus one per supervisor brought in for amber work.
   */
  handOvers: number;
}

/** Why a therapist is left out, as facts (the `reasons` are the English sentences). */
export type Blocker =
  | { kind: 'no_competency'; task: string }
  | { kind: 'not_enough'; task: string; level: CompetencyLevel; complexity: Complexity }
  | { kind: 'no_supervisor'; task: string }
  | { kind: 'capacity'; hoursLeft: number; hoursNeeded: number };

export interface Exclusion {
  therapistId: number;
  name: string;
  reasons: string[];
  blockers?: Blocker[];
}

export interface AllocationSuggestions {
  shortlist: Suggestion[];
  excluded: Exclusion[];
}

function canDoAlone(level: CompetencyLevel | undefined, complexity: Complexity): boolean {
  if (level === undefined) return false;
  if (complexity === 'red') return level === 'red';
  return level === 'green' || level === 'red';
}

export function suggestAllocation(request: AllocationRequest, therapists: readonly Therapist[], limit = 5): AllocationSuggestions {
  const shortlist: (Suggestion & { caseload: number })[] = [];
  const excluded: Exclusion[] = [];
  const byId = new Map(therapists.map((t) => [t.id, t]));
  const personAreas = [...(request.area !== null ? [request.area] : []), ...(request.areas ?? [])];

  for (const therapist of therapists) {
    const reasons: string[] = [];
    const blocked: string[] = [];
    const blockers: Blocker[] = [];
    const supervision: Supervision[] = [];
    const tasks: TaskMatch[] = [];
    for (const task of request.tasks) {
      const level = therapist.competencies[task.code];
      if (canDoAlone(level, task.complexity)) {
        reasons.push(`${task.code}: ${level} competency for ${task.complexity} work`);
        tasks.push({ task: task.code, complexity: task.complexity, level: level!, supervisorId: null, supervisorName: null });
        continue;
      }
      if (level === 'amber' && task.complexity !== 'red') {
        const named = therapist.supervisors?.[task.code];
        const supervisor =
          named !== undefined
            ? [byId.get(named)].find((other) => other !== undefined && other.id !== therapist.id && canDoAlone(other.competencies[task.code], task.complexity))
            : therapists.find((other) => other.id !== therapist.id && canDoAlone(other.competencies[task.code], task.complexity));
        if (supervisor) {
          supervision.push({ task: task.code, supervisorId: supervisor.id, supervisorName: supervisor.name });
          reasons.push(`${task.code}: amber, supervised by ${supervisor.name}`);
          tasks.push({ task: task.code, complexity: task.complexity, level, supervisorId: supervisor.id, supervisorName: supervisor.name });
          continue;
        }
        blocked.push(`${task.code}: amber and no supervisor with the competency`);
        blockers.push({ kind: 'no_supervisor', task: task.code });
        continue;
      }
      if (level === undefined) {
        blocked.push(`${task.code}: no competency`);
        blockers.push({ kind: 'no_competency', task: task.code });
      } else {
        blocked.push(`${task.code}: ${level} competency is not enough for ${task.complexity} work`);
        blockers.push({ kind: 'not_enough', task: task.code, level, complexity: task.complexity });
      }
    }
    const hoursLeft = therapist.capacityHours - therapist.caseloadHours;
    if (hoursLeft < request.hoursNeeded) {
      blocked.push(`capacity: ${round(hoursLeft)} hours left, ${request.hoursNeeded} needed`);
      blockers.push({ kind: 'capacity', hoursLeft: round(hoursLeft), hoursNeeded: request.hoursNeeded });
    }
    if (blocked.length > 0) {
      excluded.push({ therapistId: therapist.id, name: therapist.name, reasons: blocked, blockers });
      continue;
    }
    const continuity = request.previousTherapistIds.includes(therapist.id);
    const coversArea = personAreas.some((area) => therapist.areas.includes(area));
    if (continuity) reasons.push('continuity: has worked with this person before');
    if (coversArea) reasons.push('travel: covers the person\'s area');
    reasons.push(`capacity: ${round(hoursLeft)} hours a week left of ${therapist.capacityHours}`);
    shortlist.push({
      therapistId: therapist.id,
      name: therapist.name,
      rank: 0,
      supervision,
      hoursLeft: round(hoursLeft),
      reasons,
      tasks,
      capacityHours: therapist.capacityHours,
      caseloadHours: round(therapist.caseloadHours),
      caseloadCount: therapist.caseloadCount ?? null,
      continuity,
      coversArea,
      handOvers: (request.previousTherapistIds.length > 0 && !continuity ? 1 : 0) + supervision.length,
      caseload: therapist.caseloadHours / (therapist.capacityHours || 1),
    });
  }

  shortlist.sort(
    (a, b) =>
      Number(b.continuity) - Number(a.continuity) ||
      a.handOvers - b.handOvers ||
      Number(b.coversArea) - Number(a.coversArea) ||
      b.hoursLeft - a.hoursLeft ||
      a.caseload - b.caseload ||
      a.name.localeCompare(b.name) ||
      a.therapistId - b.therapistId,
  );
  return {
    shortlist: shortlist.slice(0, limit).map(({ caseload: _l, ...suggestion }, index) => ({
      ...suggestion,
      rank: index + 1,
    })),
    excluded,
  };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
