import { sql, type Kysely } from 'kysely';

/**
 * Professional referrals (issue 8, item 2): who referred, for every referral a professional sends
 * through the FHIR ServiceRequest API or records with the staff form.
 *
 * `referral_referrer` holds one row per such referral (owned and written by src/referrals/, like
 * the referral itself): how it came in (`fhir_api` or `staff_form`), the member of staff and API
 * token that sent it (the sender, who may read its status back), the ServiceRequest identifier
 * (system and value, unique per service, so that a retry finds the referral it made and another
 * sender's identifier is refused), the referrer's organisation, name and contact as they gave
 * them, and the reason for referral (a coded reason and the words given).
 *
 * Forward-only: once landed this file never changes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(DDL).execute(db);
}

const DDL = /* sql */ `
create table referral_referrer (
  referral_id integer primary key references referral (id) on delete cascade,
  service_id integer not null references service (id) on delete cascade,
  channel text not null check (channel in ('fhir_api', 'staff_form')),
  sender_staff_user_id integer references staff_user (id),
  api_token_id integer references api_token (id),
  identifier_system text check (length(identifier_system) between 1 and 400),
  identifier_value text check (length(identifier_value) between 1 and 100),
  organisation_code text check (length(organisation_code) between 1 and 20),
  organisation_name text check (length(organisation_name) between 1 and 200),
  referrer_name text check (length(referrer_name) between 1 and 200),
  referrer_contact text check (length(referrer_contact) between 1 and 200),
  reason_system text check (length(reason_system) between 1 and 400),
  reason_code text check (length(reason_code) between 1 and 100),
  reason_text text check (length(reason_text) between 1 and 4000),
  created_at timestamptz not null default now(),
  check ((identifier_system is null) = (identifier_value is null)),
  check (channel <> 'fhir_api' or (identifier_value is not null and api_token_id is not null))
);
create unique index referral_referrer_identifier on referral_referrer (service_id, identifier_system, identifier_value)
  where identifier_value is not null;
create index referral_referrer_sender on referral_referrer (sender_staff_user_id);
`;
