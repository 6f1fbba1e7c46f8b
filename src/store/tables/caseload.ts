import type { Generated } from 'kysely';
import type { Attendance, ContactMode, GoalStatus, InterventionKind } from '../../domain/codes.ts';
import type { IsoDate, Timestamp, Defaulted } from './columns.ts';

/** Tables owned by caseload/: their row types as Kysely sees them. */

export interface ContactTable {
  id: Generated<number>;
  episode_id: number;
  staff_user_id: number | null;
  starts_at: Timestamp;
  mode: ContactMode;
  attendance: Attendance;
  duration_minutes: number | null;
  notes: string | null;
  version: Defaulted<number>;
  /** Migration 0014: the diary. */
  booked_by: number | null;
  booked_at: Timestamp;
  location: string | null;
  attendance_recorded_by: number | null;
  attendance_recorded_at: Timestamp | null;
}

export interface InterventionTable {
  id: Generated<number>;
  contact_id: number;
  kind: InterventionKind;
  detail: string | null;
}

export interface EpisodeGoalTable {
  id: Generated<number>;
  episode_id: number;
  goal: string;
  set_on: IsoDate;
  status: Defaulted<GoalStatus>;
  status_on: IsoDate | null;
  set_by: number | null;
  version: Defaulted<number>;
}

/** Append-only (a trigger refuses updates). */
export interface EpisodeNoteTable {
  id: Generated<number>;
  episode_id: number;
  author_id: number | null;
  written_at: Timestamp;
  note: string;
}
