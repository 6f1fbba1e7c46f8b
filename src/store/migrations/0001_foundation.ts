import { sql, type Kysely } from 'kysely';

/**
 * The foundation schema: reference data, organisations and services, people, and the flow
 * from referral to discharge. Rules live in the database as well as in TypeScript: foreign
 * keys, CHECK constraints with the code lists of src/domain/codes.ts, and unique keys on
 * source record ids so that imports are idempotent.
 *
 * Append-only: once landed this file never changes; later changes are new migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql.raw(DDL).execute(db);
}

const DDL = /* sql */ `
-- NHS number: 10 digits whose tenth is the Modulus 11 check digit of the first nine.
create function roots_nhs_number_is_valid(candidate text) returns boolean
language plpgsql immutable strict as $$
declare
  total integer := 0;
  check_digit integer;
begin
  if candidate !~ '^[0-9]{10}$' then
    return false;
  end if;
  for position in 1..9 loop
    total := total + substr(candidate, position, 1)::integer * (11 - position);
  end loop;
  check_digit := 11 - (total % 11);
  if check_digit = 11 then
    check_digit := 0;
  end if;
  return check_digit <> 10 and check_digit = substr(candidate, 10, 1)::integer;
end
$$;

------------------------------------------------------------------------------------------
-- Reference data (loaded by 'roots reference import'; never edited by users)
------------------------------------------------------------------------------------------

create table ref_dataset (
  name text primary key,
  source_file text not null,
  sha256 text not null,
  row_count integer not null check (row_count >= 0),
  imported_at timestamptz not null default now()
);

-- One row per small area: LSOA 2011 or 2021 (England and Wales), data zone (Scotland),
-- Super Output Area 2001 (Northern Ireland), with the geographies it sits in.
create table ref_area (
  area_code text primary key,
  area_kind text not null check (area_kind in ('lsoa11', 'lsoa21', 'datazone11', 'soa01')),
  area_name text,
  nation char(1) not null check (nation in ('E', 'W', 'S', 'N')),
  msoa_code text,
  local_authority_code text,
  sub_icb_code text,
  icb_code text,
  region_code text,
  rural_urban_code text
);
create index ref_area_local_authority on ref_area (local_authority_code);
create index ref_area_icb on ref_area (icb_code);

-- Names of the larger geographies (MSOA, sub-ICB, ICB, local authority, region), with the one
-- they sit in where a lookup says so (sub-ICB -> ICB, local authority -> region).
create table ref_geography (
  code text primary key,
  kind text not null check (kind in ('msoa', 'sub_icb', 'icb', 'local_authority', 'region', 'intermediate_zone')),
  name text not null,
  nhs_code text,
  parent_code text
);

-- What each imported dataset says about each small area and geography. Several files describe
-- the same area (a name here, an ICB there), so ref_area and ref_geography are rebuilt from these
-- in a fixed order of precedence: re-importing one dataset replaces only its own rows, and the
-- result does not depend on the order in which files were imported.
create table ref_area_source (
  dataset text not null,
  area_kind text not null check (area_kind in ('lsoa11', 'lsoa21', 'datazone11', 'soa01')),
  area_code text not null,
  area_name text,
  msoa_code text,
  local_authority_code text,
  sub_icb_code text,
  icb_code text,
  rural_urban_code text,
  primary key (dataset, area_kind, area_code)
);

create table ref_geography_source (
  dataset text not null,
  code text not null,
  kind text not null check (kind in ('msoa', 'sub_icb', 'icb', 'local_authority', 'region', 'intermediate_zone')),
  name text not null,
  nhs_code text,
  parent_code text,
  primary key (dataset, code)
);

-- Deprivation indices are not comparable across nations: each keeps its own rank, decile and
-- quintile, with the number of areas ranked.
create table ref_deprivation (
  index_name text not null check (index_name in ('IMD2019', 'WIMD2019', 'SIMD2020v2', 'NIMDM2017')),
  nation char(1) not null check (nation in ('E', 'W', 'S', 'N')),
  area_code text not null,
  score numeric,
  rank integer not null check (rank >= 1),
  area_count integer not null check (area_count >= 1),
  decile smallint not null check (decile between 1 and 10),
  quintile smallint not null check (quintile between 1 and 5),
  primary key (index_name, area_code),
  check (rank <= area_count)
);
create index ref_deprivation_area on ref_deprivation (area_code);

create table ref_postcode (
  postcode text primary key check (postcode ~ '^[A-Z]{1,2}[0-9][0-9A-Z]? [0-9][A-Z]{2}$'),
  area_code text,
  local_authority_code text,
  region_code text,
  country_code text,
  introduced text,
  terminated text
);

-- LSOA 2011 <-> 2021 best fit (change: U unchanged, S split, M merged, X irregular).
create table ref_lsoa_change (
  lsoa11_code text not null,
  lsoa21_code text not null,
  change_code char(1) not null check (change_code in ('U', 'S', 'M', 'X')),
  primary key (lsoa11_code, lsoa21_code)
);
create index ref_lsoa_change_21 on ref_lsoa_change (lsoa21_code);

-- Population per area, from a named source, in age bands ('all' for the total).
create table ref_population (
  source text not null,
  area_code text not null,
  age_band text not null,
  age_from smallint check (age_from >= 0),
  age_to smallint check (age_to >= age_from),
  population integer not null check (population >= 0),
  primary key (source, area_code, age_band)
);

-- Deprivation of each small area with the geographies it sits in, for the equity audit. One row
-- per area and index: an area is ranked only by its own nation's index.
create view area_deprivation as
select d.area_code, d.nation, d.index_name, d.score, d.rank, d.area_count, d.decile, d.quintile,
       a.area_kind, a.area_name, a.msoa_code, a.local_authority_code, a.sub_icb_code, a.icb_code, a.region_code
from ref_deprivation d
left join ref_area a on a.area_code = d.area_code;

------------------------------------------------------------------------------------------
-- Organisations, services, staff
------------------------------------------------------------------------------------------

create table organisation (
  id integer generated by default as identity primary key,
  code text not null unique check (code ~ '^[A-Z0-9-]{2,20}$'),
  name text not null check (length(name) between 1 and 200),
  created_at timestamptz not null default now()
);

create table service (
  id integer generated by default as identity primary key,
  organisation_id integer not null references organisation (id),
  code text not null check (code ~ '^[a-z0-9-]{2,40}$'),
  name text not null check (length(name) between 1 and 200),
  setting text not null check (setting in ('primary_care', 'community_mental_health', 'children_young_people', 'community_rehabilitation')),
  nation char(1) not null default 'E' check (nation in ('E', 'W', 'S', 'N')),
  icb_code text,
  local_authority_code text,
  target_wait_weeks integer not null default 18 check (target_wait_weeks between 1 and 104),
  equity_weight numeric not null default 0 check (equity_weight >= 0),
  created_at timestamptz not null default now(),
  unique (organisation_id, code)
);

create table service_pathway (
  service_id integer not null references service (id) on delete cascade,
  pathway_code text not null check (pathway_code in ('mental_health', 'frailty_falls', 'work_health', 'children_families', 'community_rehab', 'signpost')),
  primary key (service_id, pathway_code)
);

create table competency (
  id integer generated by default as identity primary key,
  service_id integer not null references service (id) on delete cascade,
  code text not null check (code ~ '^[a-z0-9_-]{2,60}$'),
  name text not null,
  level text not null check (level in ('green', 'amber', 'red')),
  unique (service_id, code)
);

create table team (
  id integer generated by default as identity primary key,
  service_id integer not null references service (id) on delete cascade,
  name text not null,
  unique (service_id, name)
);

create table staff_user (
  id integer generated by default as identity primary key,
  organisation_id integer not null references organisation (id),
  email text not null unique check (email = lower(email) and email like '%_@_%'),
  display_name text not null,
  role text not null check (role in ('therapist', 'team_lead', 'commissioner', 'analyst', 'administrator')),
  password_hash text,
  capacity_hours_per_week numeric not null default 0 check (capacity_hours_per_week between 0 and 60),
  active boolean not null default true,
  created_at timestamptz not null default now()
);

create table team_member (
  team_id integer not null references team (id) on delete cascade,
  staff_user_id integer not null references staff_user (id) on delete cascade,
  primary key (team_id, staff_user_id)
);

create table staff_competency (
  staff_user_id integer not null references staff_user (id) on delete cascade,
  competency_id integer not null references competency (id) on delete cascade,
  supported boolean not null default false,
  primary key (staff_user_id, competency_id)
);

-- API tokens for scripts and systems: only a SHA-256 of the token is stored (tokens are 256-bit
-- random, so a fast hash is enough); the token itself is shown once, when created.
create table api_token (
  id integer generated by default as identity primary key,
  staff_user_id integer not null references staff_user (id) on delete cascade,
  token_sha256 text not null unique check (token_sha256 ~ '^[0-9a-f]{64}$'),
  label text not null check (length(label) between 1 and 100),
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz
);

------------------------------------------------------------------------------------------
-- People and the referral flow
------------------------------------------------------------------------------------------

create table person (
  id integer generated by default as identity primary key,
  organisation_id integer not null references organisation (id),
  source_person_id text not null check (length(source_person_id) between 1 and 100),
  pseudonym uuid not null unique default gen_random_uuid(),
  nhs_number text check (roots_nhs_number_is_valid(nhs_number)),
  given_name text check (length(given_name) <= 100),
  family_name text check (length(family_name) <= 100),
  date_of_birth date check (date_of_birth >= date '1900-01-01'),
  sex text check (sex in ('1', '2', '9', 'X')),
  ethnicity text check (ethnicity in ('A','B','C','D','E','F','G','H','J','K','L','M','N','P','R','S','Z','99')),
  postcode text check (postcode ~ '^[A-Z0-9 ]{2,8}$'),
  postcode_status text not null check (postcode_status in ('resolved', 'terminated', 'unknown', 'invalid', 'not_given', 'no_fixed_address')),
  area_code text,
  disability boolean,
  inclusion_groups text[] not null default '{}' check (inclusion_groups <@ array['homeless', 'asylum_seeker', 'refugee', 'gypsy_roma_traveller', 'carer', 'care_leaver', 'prison_leaver', 'veteran']::text[]),
  language text check (language ~ '^[a-z]{2,3}$'),
  interpreter_needed boolean,
  reasonable_adjustments text check (length(reasonable_adjustments) <= 2000),
  phone text check (length(phone) <= 30),
  email text check (length(email) <= 200),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (organisation_id, source_person_id),
  check (postcode_status <> 'no_fixed_address' or (postcode is null and area_code is null)),
  check (postcode_status not in ('resolved', 'terminated') or area_code is not null)
);
create index person_nhs_number on person (organisation_id, nhs_number);

create table referral (
  id integer generated by default as identity primary key,
  service_id integer not null references service (id),
  person_id integer not null references person (id),
  source_record_id text not null check (length(source_record_id) between 1 and 100),
  received_on date not null check (received_on >= date '2000-01-01'),
  source text not null check (source in ('self', 'carer', 'gp', 'primary_care', 'secondary_care', 'mental_health', 'social_care', 'education', 'employer', 'voluntary_sector', 'other')),
  reason text check (length(reason) <= 4000),
  urgent_risk boolean not null default false,
  -- Area of residence when referred: people move, audits count them where they lived then.
  area_code text,
  status text not null check (status in ('received', 'waiting', 'in_treatment', 'discharged', 'advice_discharged', 'redirected', 'returned')),
  -- Hash of the imported row, so that re-importing an unchanged row is a no-op.
  content_hash text,
  version integer not null default 1 check (version >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (service_id, source_record_id)
);
create index referral_service_received on referral (service_id, received_on);
create index referral_person on referral (person_id);

create table triage (
  referral_id integer primary key references referral (id) on delete cascade,
  triaged_on date not null,
  pathway_code text not null check (pathway_code in ('mental_health', 'frailty_falls', 'work_health', 'children_families', 'community_rehab', 'signpost')),
  priority text check (priority in ('P1', 'P2', 'P3', 'P4')),
  outcome text not null check (outcome in ('accept', 'advice_discharge', 'redirect', 'return_to_referrer')),
  risk_flags text[] not null default '{}',
  triaged_by integer references staff_user (id),
  notes text check (length(notes) <= 4000),
  check (outcome <> 'accept' or priority is not null)
);

-- The waiting-list episode. The clock itself is the event rows below; the clock_* columns and
-- contact counts are a cache of them under the service's current rules, kept so that audits
-- over a million episodes stay one pass (waits can be recomputed from the events).
create table episode (
  id integer generated by default as identity primary key,
  referral_id integer not null unique references referral (id) on delete cascade,
  service_id integer not null references service (id),
  pathway_code text not null check (pathway_code in ('mental_health', 'frailty_falls', 'work_health', 'children_families', 'community_rehab', 'signpost')),
  priority text not null check (priority in ('P1', 'P2', 'P3', 'P4')),
  clock_started_on date not null,
  clock_stopped_on date,
  paused_days integer not null default 0 check (paused_days >= 0),
  first_contact_on date,
  contacts_attended integer not null default 0 check (contacts_attended >= 0),
  contacts_did_not_attend integer not null default 0 check (contacts_did_not_attend >= 0),
  contacts_cancelled integer not null default 0 check (contacts_cancelled >= 0),
  last_validated_on date,
  version integer not null default 1 check (version >= 1),
  check (clock_stopped_on is null or clock_stopped_on >= clock_started_on),
  check (first_contact_on is null or first_contact_on >= clock_started_on)
);
create index episode_service on episode (service_id);

create table waiting_clock_event (
  id integer generated by default as identity primary key,
  episode_id integer not null references episode (id) on delete cascade,
  occurred_on date not null,
  kind text not null check (kind in ('start', 'pause', 'resume', 'stop')),
  reason text not null check (reason in ('referral_received', 'first_contact', 'did_not_attend', 'patient_cancelled', 'patient_unavailable', 'available_again', 'declined', 'validation_removed', 'discharged', 'other')),
  recorded_at timestamptz not null default now(),
  unique (episode_id, kind, occurred_on)
);

create table allocation (
  id integer generated by default as identity primary key,
  episode_id integer not null references episode (id) on delete cascade,
  staff_user_id integer not null references staff_user (id),
  allocated_on date not null,
  ended_on date,
  suggested boolean not null default false,
  reason text check (length(reason) <= 2000),
  confirmed_by integer references staff_user (id),
  check (ended_on is null or ended_on >= allocated_on)
);
-- At most one open allocation per episode: concurrent allocation cannot double-book.
create unique index allocation_open on allocation (episode_id) where ended_on is null;

create table contact (
  id integer generated by default as identity primary key,
  episode_id integer not null references episode (id) on delete cascade,
  staff_user_id integer references staff_user (id),
  starts_at timestamptz not null,
  mode text not null check (mode in ('in_person', 'phone', 'video', 'home_visit', 'group')),
  attendance text not null check (attendance in ('scheduled', 'attended', 'did_not_attend', 'patient_cancelled', 'provider_cancelled')),
  duration_minutes integer check (duration_minutes between 0 and 600),
  notes text check (length(notes) <= 8000),
  version integer not null default 1 check (version >= 1)
);
create index contact_episode on contact (episode_id);

create table intervention (
  id integer generated by default as identity primary key,
  contact_id integer not null references contact (id) on delete cascade,
  kind text not null check (kind in ('self_management', 'vocational_rehabilitation', 'assistive_technology', 'home_adaptation_advice', 'life_skills', 'group_programme', 'carer_teacher_training', 'signposting', 'falls_prevention', 'sensory_strategies')),
  detail text check (length(detail) <= 2000)
);

create table outcome_response (
  id integer generated by default as identity primary key,
  episode_id integer not null references episode (id) on delete cascade,
  instrument text not null check (instrument in ('SWEMWBS', 'GAS', 'FFT', 'COPM_PERFORMANCE', 'COPM_SATISFACTION', 'TOMS', 'MOHOST')),
  timepoint text not null check (timepoint in ('baseline', 'review', 'discharge', 'follow_up')),
  recorded_on date not null,
  score numeric not null,
  item_scores jsonb,
  unique (episode_id, instrument, timepoint),
  check (instrument <> 'SWEMWBS' or score between 7 and 35),
  check (instrument <> 'FFT' or score between 1 and 6)
);

create table discharge (
  referral_id integer primary key references referral (id) on delete cascade,
  discharged_on date not null,
  reason text not null check (reason in ('goals_met', 'advice_given', 'did_not_attend', 'declined', 'moved_away', 'transferred', 'died', 'other')),
  outcomes text[] not null default '{}' check (outcomes <@ array['gp_appointment_avoided', 'cmh_referral_avoided', 'self_management_plan', 'returned_to_work', 'stayed_in_work', 'stayed_in_education', 'admission_avoided']::text[])
);

------------------------------------------------------------------------------------------
-- Imports and the audit trail
------------------------------------------------------------------------------------------

create table import_run (
  id integer generated by default as identity primary key,
  kind text not null check (kind in ('referrals_csv', 'fhir_bundle', 'synthetic', 'api')),
  service_id integer references service (id),
  file_name text not null,
  file_sha256 text,
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  outcome text not null check (outcome in ('committed', 'rejected', 'dry_run', 'partial')),
  rows_read integer not null default 0,
  rows_inserted integer not null default 0,
  rows_updated integer not null default 0,
  rows_unchanged integer not null default 0,
  rows_rejected integer not null default 0
);

-- Every read and write of identifiable data. Append-only: the trigger refuses updates and deletes.
create table audit_event (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor text not null,
  action text not null check (action in ('read', 'create', 'update', 'delete', 'import', 'export', 'sign_in', 'sign_out', 'denied')),
  subject_kind text not null,
  subject_id text,
  organisation_id integer references organisation (id),
  detail jsonb not null default '{}'
);
create index audit_event_subject on audit_event (subject_kind, subject_id);

create function roots_audit_event_is_append_only() returns trigger
language plpgsql as $$
begin
  raise exception 'audit_event is append-only' using errcode = 'insufficient_privilege';
end
$$;
create trigger audit_event_append_only before update or delete or truncate on audit_event
  for each statement execute function roots_audit_event_is_append_only();
`;
