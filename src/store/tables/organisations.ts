import type { Generated } from 'kysely';
import type { CompetencyLevel, Nation, Pathway, ServiceSetting } from '../../domain/codes.ts';
import type { Defaulted } from './columns.ts';

/** Tables owned by organisations/: their row types as Kysely sees them. */

export interface OrganisationTable {
  id: Generated<number>;
  code: string;
  name: string;
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
}
