import type { Generated } from 'kysely';
import type { EthnicCategory, InclusionGroup, PostcodeStatus, ReferralSource, ReferralStatus, StatedGender } from '../../domain/codes.ts';
import type { IsoDate, Defaulted } from './columns.ts';

/** Tables owned by referrals/: their row types as Kysely sees them. */

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
  /** Lives alone (migration 0008): null when not asked or not known. */
  lives_alone: Defaulted<boolean | null>;
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
  /** Hash of the journey the source last sent (migration 0003). */
  journey_hash: string | null;
  /** When staff first recorded work on the referral in Roots; from then Roots owns its journey. */
  staff_acted_at: Date | null;
  version: Defaulted<number>;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
}

/** Who referred (migration 0009): one row per professional referral (FHIR ServiceRequest API or the staff form). */
export interface ReferralReferrerTable {
  referral_id: number;
  service_id: number;
  channel: 'fhir_api' | 'staff_form';
  sender_staff_user_id: number | null;
  api_token_id: number | null;
  identifier_system: string | null;
  identifier_value: string | null;
  organisation_code: string | null;
  organisation_name: string | null;
  referrer_name: string | null;
  referrer_contact: string | null;
  reason_system: string | null;
  reason_code: string | null;
  reason_text: string | null;
  created_at: Defaulted<Date>;
}
