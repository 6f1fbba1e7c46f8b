import type { Generated } from 'kysely';
import type { Attendance, ContactMode, InterventionKind } from '../../domain/codes.ts';
import type { Timestamp, Defaulted } from './columns.ts';

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
}

export interface InterventionTable {
  id: Generated<number>;
  contact_id: number;
  kind: InterventionKind;
  detail: string | null;
}
