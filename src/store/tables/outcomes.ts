import type { Generated } from 'kysely';
import type { DischargeOutcome, DischargeReason, OutcomeInstrument, OutcomeTimepoint } from '../../domain/codes.ts';
import type { IsoDate, Defaulted, RecordedIn } from './columns.ts';

/** Tables owned by outcomes/: their row types as Kysely sees them. */

export interface OutcomeResponseTable {
  id: Generated<number>;
  episode_id: number;
  instrument: OutcomeInstrument;
  timepoint: OutcomeTimepoint;
  recorded_on: IsoDate;
  score: number;
  item_scores: unknown | null;
  recorded_in: Defaulted<RecordedIn>;
  /** Staff who recorded it in Roots (0015); null for imported rows. */
  recorded_by: Defaulted<number | null>;
}

export interface DischargeTable {
  referral_id: number;
  discharged_on: IsoDate;
  reason: DischargeReason;
  outcomes: Defaulted<DischargeOutcome[]>;
  recorded_in: Defaulted<RecordedIn>;
  /** Staff who recorded it in Roots (0015); null for imported rows. */
  recorded_by: Defaulted<number | null>;
}

/** The AHP Health and Work Report (0015): append-only, one row per saved version. */
export interface WorkReportTable {
  id: Generated<number>;
  episode_id: number;
  version: number;
  fitness: 'fit' | 'may_be_fit';
  phased_return: Defaulted<boolean>;
  amended_duties: Defaulted<boolean>;
  altered_hours: Defaulted<boolean>;
  workplace_adaptations: Defaulted<boolean>;
  difficulties: string;
  recommendations: string | null;
  practitioner_name: string;
  hcpc_number: string;
  assessed_on: IsoDate;
  advice_until: IsoDate | null;
  review_on: IsoDate | null;
  recorded_by: number | null;
  recorded_at: Defaulted<Date>;
}
