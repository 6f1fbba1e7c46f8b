import type { Generated } from 'kysely';
import type { CompetencyLevel, Nation, OrganisationKind, Pathway, ServiceSetting } from '../../domain/codes.ts';
import type { Defaulted, IsoDate } from './columns.ts';

/** Tables owned by organisations/: their row types as Kysely sees them. */

export interface OrganisationTable {
  id: Generated<number>;
  code: string;
  name: string;
  /** A provider runs services; a commissioner (for example an ICB) commissions them (0005). */
  kind: Defaulted<OrganisationKind>;
  created_at: Defaulted<Date>;
}

export interface ServiceTable {
  id: Generated<number>;
  organisation_id: number;
  code: string;
  name: string;
  setting: ServiceSetting;
  nation: Defaulted<Nation>;
  icb_code: string | null;
  local_authority_code: string | null;
  target_wait_weeks: Defaulted<number>;
  equity_weight: Defaulted<number>;
  /** Takes referrals from the public at /refer (0007). */
  accepts_self_referral: Defaulted<boolean>;
  /** The waiting-list access policy (0011, waiting-list/clock-rules.ts). */
  clock_did_not_attend: Defaulted<'restart' | 'pause' | 'ignore'>;
  clock_patient_cancelled: Defaulted<'restart' | 'pause' | 'ignore'>;
  clock_patient_unavailable: Defaulted<'pause' | 'ignore'>;
  created_at: Defaulted<Date>;
}

export interface ServicePathwayTable {
  service_id: number;
  pathway_code: Pathway;
}

export interface CompetencyTable {
  id: Generated<number>;
  service_id: number;
  code: string;
  name: string;
  level: CompetencyLevel;
  /** Pathways the task usually applies to (0013). */
  pathways: Defaulted<Pathway[]>;
}

export interface TeamTable {
  id: Generated<number>;
  service_id: number;
  name: string;
}

export interface TeamMemberTable {
  team_id: number;
  staff_user_id: number;
}

export interface StaffCompetencyTable {
  staff_user_id: number;
  competency_id: number;
  supported: Defaulted<boolean>;
  /** The level held: green (can do), amber (with named supervision), red (specialist) (0013). */
  level: Defaulted<CompetencyLevel>;
  /** The named supervisor of an amber competency (0013). */
  supervisor_id: number | null;
}

/** A commissioner organisation commissions a service from one date to another (null: continuing). */
export interface CommissioningTable {
  id: Generated<number>;
  commissioner_organisation_id: number;
  /** Always 'commissioner': with the id, a foreign key to organisation (id, kind). */
  commissioner_kind: Defaulted<'commissioner'>;
  service_id: number;
  commissioned_from: IsoDate;
  commissioned_to: IsoDate | null;
  created_at: Defaulted<Date>;
}
