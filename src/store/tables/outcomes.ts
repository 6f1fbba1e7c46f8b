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
}

export interface DischargeTable {
  referral_id: number;
  discharged_on: IsoDate;
  reason: DischargeReason;
  outcomes: Defaulted<DischargeOutcome[]>;
  recorded_in: Defaulted<RecordedIn>;
}
