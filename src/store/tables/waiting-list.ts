import type { Generated } from 'kysely';
import type { ClockEventKind, ClockEventReason, Pathway, Priority, ValidationOutcome } from '../../domain/codes.ts';
import type { IsoDate, Defaulted, RecordedIn } from './columns.ts';

/** Tables owned by waiting-list/: their row types as Kysely sees them. */

export interface EpisodeTable {
  id: Generated<number>;
  referral_id: number;
  service_id: number;
  pathway_code: Pathway;
  priority: Priority;
  clock_started_on: IsoDate;
  clock_stopped_on: IsoDate | null;
  paused_days: Defaulted<number>;
  first_contact_on: IsoDate | null;
  contacts_attended: Defaulted<number>;
  contacts_did_not_attend: Defaulted<number>;
  contacts_cancelled: Defaulted<number>;
  last_validated_on: IsoDate | null;
  version: Defaulted<number>;
  /** The clock is paused since this day (0011); null when it runs or has stopped. */
  clock_paused_since: IsoDate | null;
}

export interface WaitingClockEventTable {
  id: Generated<number>;
  episode_id: number;
  occurred_on: IsoDate;
  kind: ClockEventKind;
  reason: ClockEventReason;
  recorded_at: Defaulted<Date>;
  recorded_in: Defaulted<RecordedIn>;
}

export interface EquityWeightDecisionTable {
  id: Generated<number>;
  service_id: number;
  /** numeric: read back as a string by both drivers. */
  most_deprived_quintile: Defaulted<string | number>;
  inclusion_health_group: Defaulted<string | number>;
  interpreter_needed: Defaulted<string | number>;
  disability: Defaulted<string | number>;
  reason: string;
  decided_by: number | null;
  decided_by_label: string;
  decided_at: Defaulted<Date>;
}

/** One answer at a waiting-list validation milestone (0012, append-only). */
export interface WaitingListValidationTable {
  id: Generated<number>;
  episode_id: number;
  milestone_weeks: 12 | 26 | 52;
  outcome: ValidationOutcome;
  note: string | null;
  validated_on: IsoDate;
  recorded_by: number | null;
  recorded_by_label: string;
  recorded_at: Defaulted<Date>;
}
