import type { IsoDate } from './columns.ts';
import type { Nation, OutcomeInstrument } from '../../domain/codes.ts';

/** Tables owned by equity/ (a cache kept by triggers, migration 0002): their row types as Kysely sees them. */

/** One row per referral with what the equity audit counts (a cache; see migration 0002). */
export interface ReferralFactTable {
  referral_id: number;
  service_id: number;
  received_on: IsoDate;
  area_key: string;
  nation: Nation | null;
  imd_rank: number | null;
  imd_decile: string;
  imd_quintile: string;
  icb: string;
  local_authority: string;
  age_band: string;
  sex: string;
  ethnicity: string;
  ethnic_group: string;
  disability: string;
  interpreter: string;
  language: string;
  inclusion_groups: string[];
  pathway: string;
  referral_source: string;
  priority: string | null;
  triage_outcome: string | null;
  episode_id: number | null;
  clock_started_on: IsoDate | null;
  first_contact_on: IsoDate | null;
  clock_stopped_on: IsoDate | null;
  paused_days: number;
  attended: number;
  did_not_attend: number;
  discharged_on: IsoDate | null;
  discharge_outcomes: string[];
}

/** One row per referral and outcome instrument, with the referral's facts (migration 0002). */
export interface OutcomeFactTable extends ReferralFactTable {
  instrument: OutcomeInstrument;
  baseline: number | null;
  baseline_on: IsoDate | null;
  final: number | null;
  final_on: IsoDate | null;
}

export interface ReferralFactDirtyTable {
  referral_id: number;
}
