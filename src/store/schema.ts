/**
 * Every table as Kysely sees it. Row types live beside the domain that owns (and alone writes) each
 * table, in tables/<domain>.ts; this file joins them into one Schema and re-exports them.
 */
import type { RefDatasetTable, RefAreaTable, RefGeographyTable, RefAreaSourceTable, RefGeographySourceTable, RefDeprivationTable, RefPostcodeTable, RefLsoaChangeTable, RefPopulationTable, AreaDeprivationView } from './tables/reference.ts';
import type { OrganisationTable, ServiceTable, ServicePathwayTable, CompetencyTable, TeamTable, TeamMemberTable, StaffCompetencyTable, CommissioningTable } from './tables/organisations.ts';
import type { StaffUserTable, ApiTokenTable, StaffSessionTable, SignInAttemptTable } from './tables/access.ts';
import type { PersonTable, ReferralReferrerTable, ReferralTable } from './tables/referrals.ts';
import type { TriageTable, TriageDecisionTable } from './tables/triage.ts';
import type { EpisodeTable, EquityWeightDecisionTable, WaitingClockEventTable, WaitingListValidationTable } from './tables/waiting-list.ts';
import type { AllocationTable, EpisodeRequiredCompetencyTable, StaffTravelAreaTable } from './tables/allocation.ts';
import type { ContactTable, EpisodeGoalTable, EpisodeNoteTable, InterventionTable } from './tables/caseload.ts';
import type { OutcomeResponseTable, DischargeTable, WorkReportTable } from './tables/outcomes.ts';
import type { ImportRunTable } from './tables/imports.ts';
import type { AuditEventTable } from './tables/audit-trail.ts';
import type { ReferralFactTable, OutcomeFactTable, ReferralFactDirtyTable } from './tables/equity.ts';
import type { SelfReferralDraftTable, SelfReferralTable } from './tables/self-referral.ts';
import type { EvidenceAcceptanceTable, EvidenceFigureTable } from './tables/economics.ts';

export type { IsoDate } from './tables/columns.ts';
export type * from './tables/reference.ts';
export type * from './tables/organisations.ts';
export type * from './tables/access.ts';
export type * from './tables/referrals.ts';
export type * from './tables/triage.ts';
export type * from './tables/waiting-list.ts';
export type * from './tables/allocation.ts';
export type * from './tables/caseload.ts';
export type * from './tables/outcomes.ts';
export type * from './tables/imports.ts';
export type * from './tables/audit-trail.ts';
export type * from './tables/equity.ts';
export type * from './tables/self-referral.ts';

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
  commissioning: CommissioningTable;
  api_token: ApiTokenTable;
  staff_session: StaffSessionTable;
  sign_in_attempt: SignInAttemptTable;
  person: PersonTable;
  referral: ReferralTable;
  referral_referrer: ReferralReferrerTable;
  triage: TriageTable;
  triage_decision: TriageDecisionTable;
  episode: EpisodeTable;
  waiting_clock_event: WaitingClockEventTable;
  equity_weight_decision: EquityWeightDecisionTable;
  waiting_list_validation: WaitingListValidationTable;
  allocation: AllocationTable;
  staff_travel_area: StaffTravelAreaTable;
  episode_required_competency: EpisodeRequiredCompetencyTable;
  contact: ContactTable;
  intervention: InterventionTable;
  episode_goal: EpisodeGoalTable;
  episode_note: EpisodeNoteTable;
  outcome_response: OutcomeResponseTable;
  discharge: DischargeTable;
  work_report: WorkReportTable;
  import_run: ImportRunTable;
  audit_event: AuditEventTable;
  referral_fact: ReferralFactTable;
  outcome_fact: OutcomeFactTable;
  referral_fact_dirty: ReferralFactDirtyTable;
  self_referral_draft: SelfReferralDraftTable;
  self_referral: SelfReferralTable;
  evidence_figure: EvidenceFigureTable;
  evidence_acceptance: EvidenceAcceptanceTable;
}

export type TableName = keyof Schema;
