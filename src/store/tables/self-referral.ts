import type { ColumnType, Generated } from 'kysely';
import type { Defaulted } from './columns.ts';

/** Tables of the public self-referral (migration 0007), written only by src/referrals/self-referral.repository.ts. */

/** JSON stored in a jsonb column: read back parsed, written as text. */
export type Json<T> = ColumnType<T, string, string>;

export interface SelfReferralDraftTable {
  id: Generated<number>;
  token_hash: string;
  submission_token: string;
  service_id: number | null;
  answers: Defaulted<unknown>;
  created_at: Defaulted<Date>;
  updated_at: Defaulted<Date>;
  expires_at: Date;
  submitted_referral_id: number | null;
  submitted_reference: string | null;
}

export interface SelfReferralTable {
  id: Generated<number>;
  referral_id: number;
  service_id: number;
  draft_id: number | null;
  submission_token: string;
  reference: string;
  language: 'en' | 'cy';
  referred_by: 'self' | 'parent_or_carer' | 'other';
  referrer_name: string | null;
  referrer_relationship: string | null;
  urgent_risk: boolean;
  same_day_review: boolean;
  lives_alone: boolean | null;
  contact_methods: Defaulted<string[]>;
  phone: string | null;
  email: string | null;
  address: string | null;
  safe_times: string | null;
  may_leave_message: boolean | null;
  adjustments: Defaulted<string[]>;
  adjustments_detail: string | null;
  interpreter_needed: boolean | null;
  language_preferred: string | null;
  gp_practice: string | null;
  hard_activities: Defaulted<string[]>;
  what_matters: string | null;
  consent_given_at: Date;
  answers: unknown;
  created_at: Defaulted<Date>;
}
