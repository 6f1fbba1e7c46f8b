import type { Generated } from 'kysely';
import type { IsoDate, Defaulted } from './columns.ts';

/** Tables owned by allocation/: their row types as Kysely sees them. */

export interface AllocationTable {
  id: Generated<number>;
  episode_id: number;
  staff_user_id: number;
  allocated_on: IsoDate;
  ended_on: IsoDate | null;
  suggested: Defaulted<boolean>;
  reason: string | null;
  confirmed_by: number | null;
  /** Hours a week this allocation adds to the therapist's caseload weight (numeric: a string from both drivers). (0013) */
  weekly_hours: Defaulted<string | number>;
  /** The episode's version the team lead confirmed against (0013). */
  episode_version: number | null;
  /** The therapist's place on the suggested shortlist, null when chosen from outside it (0013). */
  shortlist_rank: number | null;
  /** The named supervisor, when the therapist holds amber on a required task (0013). */
  supervisor_id: number | null;
  confirmed_at: Defaulted<Date>;
}

/** A therapist's travel areas (0013). */
export interface StaffTravelAreaTable {
  staff_user_id: number;
  area_code: string;
}

/** The catalogue tasks one waiting episode needs (0013). */
export interface EpisodeRequiredCompetencyTable {
  episode_id: number;
  competency_id: number;
}
