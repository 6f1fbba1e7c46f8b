import type { ColumnType, Generated } from 'kysely';
import type {
  Attendance,
  AuditAction,
  ClockEventKind,
  ClockEventReason,
  CompetencyLevel,
  ContactMode,
  DischargeOutcome,
  DischargeReason,
  EthnicCategory,
  InclusionGroup,
  InterventionKind,
  Nation,
  OutcomeInstrument,
  OutcomeTimepoint,
  Pathway,
  PostcodeStatus,
  Priority,
  ReferralSource,
  ReferralStatus,
  ServiceSetting,
  StaffRole,
  StatedGender,
  TriageOutcome,
} from '../domain/codes.ts';

/** A calendar date, always 'YYYY-MM-DD' on both engines (see database.ts). */
export type IsoDate = string;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export interface RefDatasetTable {
  name: string;
  source_file: string;
  sha256: string;
  row_count: number;
  imported_at: Timestamp;
}

export interface RefAreaTable {
  area_code: string;
  area_kind: 'lsoa11' | 'lsoa21' | 'datazone11' | 'soa01';
  area_name: string | null;
  nation: Nation;
  msoa_code: string | null;
  local_authority_code: string | null;
  sub_icb_code: string | null;
  icb_code: string | null;
  region_code: string | null;
  rural_urban_code: string | null;
}

export interface RefGeographyTable {
  code: string;
  kind: 'msoa' | 'sub_icb' | 'icb' | 'local_authority' | 'region' | 'intermediate_zone';
  name: string;
  nhs_code: string | null;
  parent_code: string | null;
}

/** What one dataset says about one small area; ref_area is rebuilt from these rows. */
export interface RefAreaSourceTable {
  dataset: string;
  area_kind: RefAreaTable['area_kind'];
  area_code: string;
  area_name: string | null;
  msoa_code: string | null;
  local_authority_code: string | null;
  sub_icb_code: string | null;
  icb_code: string | null;
  rural_urban_code: string | null;
}

/** What one dataset says about one geography; ref_geography is rebuilt from these rows. */
export interface RefGeographySourceTable {
  dataset: string;
  code: string;
  kind: RefGeographyTable['kind'];
  name: string;
  nhs_code: string | null;
  parent_code: string | null;
}

export type DeprivationIndex = 'IMD2019' | 'WIMD2019' | 'SIMD2020v2' | 'NIMDM2017';

export interface RefDeprivationTable {
  index_name: DeprivationIndex;
  nation: Nation;
  area_code: string;
  score: number | null;
  rank: number;
  area_count: number;
  decile: number;
  quintile: number;
}

export interface RefPostcodeTable {
  postcode: string;
  area_code: string | null;
  local_authority_code: string | null;
  region_code: string | null;
  country_code: string | null;
  introduced: string | null;
  terminated: string | null;
}

export interface RefLsoaChangeTable {
  lsoa11_code: string;
  lsoa21_code: string;
  change_code: 'U' | 'S' | 'M' | 'X';
}

export interface RefPopulationTable {
  source: string;
  area_code: string;
  age_band: string;
  age_from: number | null;
  age_to: number | null;
  population: number;
}

/** The view area_deprivation (read only). */
export interface AreaDeprivationView {
  area_code: string;
  nation: Nation;
  index_name: DeprivationIndex;
  score: number | null;
  rank: number;
  area_count: number;
  decile: number;
  quintile: number;
  area_kind: RefAreaTable['area_kind'] | null;
  area_name: string | null;
  msoa_code: string | null;
  local_authority_code: string | null;
  sub_icb_code: string | null;
  icb_code: string | null;
  region_code: string | null;
}

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

export interface StaffUserTable {
  id: Generated<number>;
  organisation_id: number;
  email: string;
  display_name: string;
  role: StaffRole;
  password_hash: string | null;
  capacity_hours_per_week: Defaulted<number>;
  active: Defaulted<boolean>;
  created_at: Defaulted<Date>;
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

export interface ApiTokenTable {
  id: Generated<number>;
  staff_user_id: number;
  token_sha256: string;
  label: string;
  created_at: Defaulted<Date>;
  expires_at: Date | string;
  revoked_at: Date | null;
}

export interface PersonTable {
  id: Generated<number>;
  organisation_id: number;
  source_person_id: string;
  pseudonym: Generated<string>;
  nhs_number: string | null;
  given_name: string | null;
  family_name: string | null;
  date_of_birth: IsoDate | null;
  sex: StatedGender | null;
  ethnicity: EthnicCategory | null;
  postcode: string | null;
  postcode_status: PostcodeStatus;
  area_code: string | null;
  disability: boolean | null;
  inclusion_groups: Defaulted<InclusionGroup[]>;
  language: string | null;
  interpreter_needed: boolean | null;
  reasonable_adjustments: string | null;
  phone: string | null;
  email: string | null;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

export interface ReferralTable {
  id: Generated<number>;
  service_id: number;
  person_id: number;
  source_record_id: string;
  received_on: IsoDate;
  source: ReferralSource;
  reason: string | null;
  urgent_risk: Defaulted<boolean>;
  area_code: string | null;
  status: ReferralStatus;
  content_hash: string | null;
  version: Defaulted<number>;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

export interface TriageTable {
  referral_id: number;
  triaged_on: IsoDate;
  pathway_code: Pathway;
  priority: Priority | null;
  outcome: TriageOutcome;
  risk_flags: Defaulted<string[]>;
  triaged_by: number | null;
  notes: string | null;
}

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
}

export interface WaitingClockEventTable {
  id: Generated<number>;
  episode_id: number;
  occurred_on: IsoDate;
  kind: ClockEventKind;
  reason: ClockEventReason;
  recorded_at: Defaulted<Date>;
}

export interface AllocationTable {
  id: Generated<number>;
  episode_id: number;
  staff_user_id: number;
  allocated_on: IsoDate;
  ended_on: IsoDate | null;
  suggested: Defaulted<boolean>;
  reason: string | null;
  confirmed_by: number | null;
}

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

export interface OutcomeResponseTable {
  id: Generated<number>;
  episode_id: number;
  instrument: OutcomeInstrument;
  timepoint: OutcomeTimepoint;
  recorded_on: IsoDate;
  score: number;
  item_scores: unknown | null;
}

export interface DischargeTable {
  referral_id: number;
  discharged_on: IsoDate;
  reason: DischargeReason;
  outcomes: Defaulted<DischargeOutcome[]>;
}

export interface ImportRunTable {
  id: Generated<number>;
  kind: 'referrals_csv' | 'fhir_bundle' | 'synthetic' | 'api';
  service_id: number | null;
  file_name: string;
  file_sha256: string | null;
  started_at: Defaulted<Date>;
  finished_at: Date | null;
  outcome: 'committed' | 'rejected' | 'dry_run' | 'partial';
  rows_read: Defaulted<number>;
  rows_inserted: Defaulted<number>;
  rows_updated: Defaulted<number>;
  rows_unchanged: Defaulted<number>;
  rows_rejected: Defaulted<number>;
}

export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: Defaulted<Date>;
  actor: string;
  action: AuditAction;
  subject_kind: string;
  subject_id: string | null;
  organisation_id: number | null;
  detail: Defaulted<unknown>;
}

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

/** Every table, as Kysely sees it. */
export interface Schema {
  ref_dataset: RefDatasetTable;
  ref_area: RefAreaTable;
  ref_geography: RefGeographyTable;
  ref_deprivation: RefDeprivationTable;
  ref_postcode: RefPostcodeTable;
  ref_lsoa_change: RefLsoaChangeTable;
  ref_population: RefPopulationTable;
  ref_area_source: RefAreaSourceTable;
  ref_geography_source: RefGeographySourceTable;
  area_deprivation: AreaDeprivationView;
  organisation: OrganisationTable;
  service: ServiceTable;
  service_pathway: ServicePathwayTable;
  competency: CompetencyTable;
  team: TeamTable;
  staff_user: StaffUserTable;
  team_member: TeamMemberTable;
  staff_competency: StaffCompetencyTable;
  api_token: ApiTokenTable;
  person: PersonTable;
  referral: ReferralTable;
  triage: TriageTable;
  episode: EpisodeTable;
  waiting_clock_event: WaitingClockEventTable;
  allocation: AllocationTable;
  contact: ContactTable;
  intervention: InterventionTable;
  outcome_response: OutcomeResponseTable;
  discharge: DischargeTable;
  import_run: ImportRunTable;
  audit_event: AuditEventTable;
  referral_fact: ReferralFactTable;
  outcome_fact: OutcomeFactTable;
  referral_fact_dirty: ReferralFactDirtyTable;
}

export type TableName = keyof Schema;
