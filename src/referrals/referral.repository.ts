import { sql, type Kysely, type Transaction } from 'kysely';
import type { ClockEventKind, ClockEventReason, DischargeOutcome, DischargeReason, OutcomeInstrument, OutcomeTimepoint, Pathway, PostcodeStatus, Priority, ReferralSource, ReferralStatus, TriageOutcome } from '../domain/codes.ts';
import type { Schema } from '../store/schema.ts';

/**
 * The SQL of the referral write path (person, referral and the journey rows). Every write takes
 * a whole batch as typed arrays and sends it in one statement (`unnest`), so a batch costs one
 * round trip per table, never one per row. Rows written here carry recorded_in 'source' (the
 * column's default); rows staff record in Roots carry 'roots' (docs/adr/0008).
 */
type Db = Kysely<Schema> | Transaction<Schema>;

/** Writes of referrals into one service wait for each other (held until the transaction ends). */
export async function lockServiceReferrals(trx: Transaction<Schema>, serviceId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${IMPORT_LOCK_SPACE}, ${serviceId})`.execute(trx);
}
const IMPORT_LOCK_SPACE = 7_270_001;

export interface ExistingReferral {
  id: number;
  contentHash: string | null;
  journeyHash: string | null;
  staffActedAt: Date | null;
}

export async function findReferralsBySourceId(db: Db, serviceId: number, sourceRecordIds: string[]): Promise<Map<string, ExistingReferral>> {
  if (sourceRecordIds.length === 0) return new Map();
  const { rows } = await sql<{ id: number; source_record_id: string; content_hash: string | null; journey_hash: string | null; staff_acted_at: Date | null }>`
    select id, source_record_id, content_hash, journey_hash, staff_acted_at from referral
    where service_id = ${serviceId} and source_record_id = any(${sourceRecordIds}::text[])`.execute(db);
  return new Map(rows.map((row) => [row.source_record_id, { id: row.id, contentHash: row.content_hash, journeyHash: row.journey_hash, staffActedAt: row.staff_acted_at }]));
}

export interface PersonWrite {
  sourcePersonId: string;
  nhsNumber: string | null;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  sex: string | null;
  ethnicity: string | null;
  postcode: string | null;
  postcodeStatus: PostcodeStatus;
  areaCode: string | null;
  disability: boolean | null;
  inclusionGroups: string[];
  language: string | null;
  interpreterNeeded: boolean | null;
  /** Null: not given, and what is known already is kept. */
  livesAlone: boolean | null;
}

/**
 * Inserts new people and updates known ones (by organisation and source person id), touching
 * `updated_at` only when something changed. Returns the id of every person in the batch.
 */
export async function upsertPeople(trx: Db, organisationId: number, people: PersonWrite[]): Promise<Map<string, number>> {
  if (people.length === 0) return new Map();
  const column = <K extends keyof PersonWrite>(key: K) => people.map((person) => person[key]);
  const { rows } = await sql<{ id: number; source_person_id: string }>`
    with input as (
      select * from unnest(
        ${column('sourcePersonId')}::text[], ${column('nhsNumber')}::text[], ${column('givenName')}::text[],
        ${column('familyName')}::text[], ${column('dateOfBirth')}::date[], ${column('sex')}::text[],
        ${column('ethnicity')}::text[], ${column('postcode')}::text[], ${column('postcodeStatus')}::text[],
        ${column('areaCode')}::text[], ${column('disability')}::boolean[], ${people.map((p) => p.inclusionGroups.join(';'))}::text[],
        ${column('language')}::text[], ${column('interpreterNeeded')}::boolean[], ${column('livesAlone')}::boolean[]
      ) as t(source_person_id, nhs_number, given_name, family_name, date_of_birth, sex, ethnicity, postcode,
             postcode_status, area_code, disability, inclusion_groups, language, interpreter_needed, lives_alone)
    ),
    upserted as (
      insert into person as p (organisation_id, source_person_id, nhs_number, given_name, family_name, date_of_birth, sex,
        ethnicity, postcode, postcode_status, area_code, disability, inclusion_groups, language, interpreter_needed, lives_alone)
      select ${organisationId}, source_person_id, nhs_number, given_name, family_name, date_of_birth, sex, ethnicity,
        postcode, postcode_status, area_code, disability, coalesce(string_to_array(nullif(inclusion_groups, ''), ';'), '{}'),
        language, interpreter_needed, lives_alone
      from input
      on conflict (organisation_id, source_person_id) do update set
        nhs_number = excluded.nhs_number, given_name = excluded.given_name, family_name = excluded.family_name,
        date_of_birth = excluded.date_of_birth, sex = excluded.sex, ethnicity = excluded.ethnicity,
        postcode = excluded.postcode, postcode_status = excluded.postcode_status, area_code = excluded.area_code,
        disability = excluded.disability, inclusion_groups = excluded.inclusion_groups, language = excluded.language,
        interpreter_needed = excluded.interpreter_needed, lives_alone = coalesce(excluded.lives_alone, p.lives_alone), updated_at = now()
      where (p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.sex, p.ethnicity, p.postcode, p.postcode_status,
             p.area_code, p.disability, p.inclusion_groups, p.language, p.interpreter_needed, p.lives_alone)
        is distinct from
            (excluded.nhs_number, excluded.given_name, excluded.family_name, excluded.date_of_birth, excluded.sex,
             excluded.ethnicity, excluded.postcode, excluded.postcode_status, excluded.area_code, excluded.disability,
             excluded.inclusion_groups, excluded.language, excluded.interpreter_needed, coalesce(excluded.lives_alone, p.lives_alone))
      returning p.id, p.source_person_id
    )
    -- People left unchanged are not returned by the insert: find them as they were.
    select id, source_person_id from upserted
    union
    select p.id, p.source_person_id from person p
    where p.organisation_id = ${organisationId} and p.source_person_id = any(${people.map((p) => p.sourcePersonId)}::text[])`.execute(trx);
  return new Map(rows.map((row) => [row.source_person_id, row.id]));
}

export interface ReferralWrite {
  sourceRecordId: string;
  personId: number;
  receivedOn: string;
  source: ReferralSource;
  urgentRisk: boolean;
  areaCode: string | null;
  status: ReferralStatus;
  contentHash: string;
  journeyHash: string;
}

export interface WrittenReferralRow {
  id: number;
  /** When staff first acted on it in Roots (null: the source still owns its journey). */
  staffActedAt: Date | null;
}

/**
 * Inserts new referrals and rewrites changed ones (version and updated_at move on). The status
 * of a referral staff have acted on is theirs and stays. Returns, for each referral, whether
 * staff have acted on it, read from the row as locked by this statement: a triage recorded in
 * Roots while the import was reading cannot slip between the check and the write.
 */
export async function upsertReferrals(trx: Db, serviceId: number, referrals: ReferralWrite[]): Promise<Map<string, WrittenReferralRow>> {
  if (referrals.length === 0) return new Map();
  const column = <K extends keyof ReferralWrite>(key: K) => referrals.map((referral) => referral[key]);
  const { rows } = await sql<{ id: number; source_record_id: string; staff_acted_at: Date | null }>`
    insert into referral as r (service_id, person_id, source_record_id, received_on, source, urgent_risk, area_code, status, content_hash, journey_hash)
    select ${serviceId}, * from unnest(
      ${column('personId')}::integer[], ${column('sourceRecordId')}::text[], ${column('receivedOn')}::date[],
      ${column('source')}::text[], ${column('urgentRisk')}::boolean[], ${column('areaCode')}::text[],
      ${column('status')}::text[], ${column('contentHash')}::text[], ${column('journeyHash')}::text[])
    on conflict (service_id, source_record_id) do update set
      person_id = excluded.person_id, received_on = excluded.received_on, source = excluded.source,
      urgent_risk = excluded.urgent_risk, area_code = excluded.area_code,
      status = case when r.staff_acted_at is null then excluded.status else r.status end,
      content_hash = excluded.content_hash, journey_hash = excluded.journey_hash, version = r.version + 1, updated_at = now()
    returning id, source_record_id, staff_acted_at`.execute(trx);
  return new Map(rows.map((row) => [row.source_record_id, { id: row.id, staffActedAt: row.staff_acted_at }]));
}

/**
 * Before changed referrals the source still owns are written again: remove the triage,
 * discharge, clock events and outcome responses the source sent before, and the episodes of
 * those no longer accepted. Only rows recorded_in 'source' are removed: the caller passes only
 * referrals no one has acted on in Roots, and this is the second lock on the door. Episodes that
 * stay are updated in place, so work recorded against them in Roots (allocations, contacts) is kept.
 */
export async function clearChangedReferrals(trx: Db, changedReferralIds: number[], noLongerWaitingIds: number[]): Promise<void> {
  if (changedReferralIds.length === 0) return;
  await sql`
    with changed_episode as (select id from episode where referral_id = any(${changedReferralIds}::integer[])),
    clock as (delete from waiting_clock_event where episode_id in (select id from changed_episode) and recorded_in = 'source'),
    outcomes as (delete from outcome_response where episode_id in (select id from changed_episode) and recorded_in = 'source'),
    triage_rows as (delete from triage where referral_id = any(${changedReferralIds}::integer[]) and recorded_in = 'source'),
    discharge_rows as (delete from discharge where referral_id = any(${changedReferralIds}::integer[]) and recorded_in = 'source')
    delete from episode e where e.referral_id = any(${noLongerWaitingIds}::integer[])
      and not exists (select 1 from waiting_clock_event c where c.episode_id = e.id and c.recorded_in = 'roots')
      and not exists (select 1 from outcome_response o where o.episode_id = e.id and o.recorded_in = 'roots')`.execute(trx);
}

export interface TriageWrite {
  referralId: number;
  triagedOn: string;
  pathway: Pathway;
  priority: Priority | null;
  outcome: TriageOutcome;
}

export async function insertTriage(trx: Db, rows: TriageWrite[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof TriageWrite>(key: K) => rows.map((row) => row[key]);
  await sql`
    insert into triage (referral_id, triaged_on, pathway_code, priority, outcome)
    select * from unnest(${column('referralId')}::integer[], ${column('triagedOn')}::date[], ${column('pathway')}::text[],
      ${column('priority')}::text[], ${column('outcome')}::text[])`.execute(trx);
}

export interface EpisodeWrite {
  referralId: number;
  pathway: Pathway;
  priority: Priority;
  clockStartedOn: string;
  clockStoppedOn: string | null;
  pausedDays: number;
  firstContactOn: string | null;
  contactsAttended: number;
  contactsDidNotAttend: number;
  contactsCancelled: number;
}

/** Inserts or updates (by referral) the episodes of accepted referrals; returns their ids. */
export async function upsertEpisodes(trx: Db, serviceId: number, rows: EpisodeWrite[]): Promise<Map<number, number>> {
  if (rows.length === 0) return new Map();
  const column = <K extends keyof EpisodeWrite>(key: K) => rows.map((row) => row[key]);
  const result = await sql<{ id: number; referral_id: number }>`
    insert into episode as e (referral_id, service_id, pathway_code, priority, clock_started_on, clock_stopped_on, paused_days,
      first_contact_on, contacts_attended, contacts_did_not_attend, contacts_cancelled)
    select referral_id, ${serviceId}, pathway_code, priority, clock_started_on, clock_stopped_on, paused_days,
      first_contact_on, contacts_attended, contacts_did_not_attend, contacts_cancelled
    from unnest(${column('referralId')}::integer[], ${column('pathway')}::text[], ${column('priority')}::text[],
      ${column('clockStartedOn')}::date[], ${column('clockStoppedOn')}::date[], ${column('pausedDays')}::integer[],
      ${column('firstContactOn')}::date[], ${column('contactsAttended')}::integer[], ${column('contactsDidNotAttend')}::integer[],
      ${column('contactsCancelled')}::integer[])
      as t(referral_id, pathway_code, priority, clock_started_on, clock_stopped_on, paused_days, first_contact_on,
           contacts_attended, contacts_did_not_attend, contacts_cancelled)
    on conflict (referral_id) do update set
      pathway_code = excluded.pathway_code, priority = excluded.priority, clock_started_on = excluded.clock_started_on,
      clock_stopped_on = excluded.clock_stopped_on, paused_days = excluded.paused_days,
      first_contact_on = excluded.first_contact_on, contacts_attended = excluded.contacts_attended,
      contacts_did_not_attend = excluded.contacts_did_not_attend, contacts_cancelled = excluded.contacts_cancelled,
      version = e.version + 1
    returning id, referral_id`.execute(trx);
  return new Map(result.rows.map((row) => [row.referral_id, row.id]));
}

export interface ClockEventWrite {
  episodeId: number;
  occurredOn: string;
  kind: ClockEventKind;
  reason: ClockEventReason;
}

export async function insertClockEvents(trx: Db, rows: ClockEventWrite[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof ClockEventWrite>(key: K) => rows.map((row) => row[key]);
  await sql`
    insert into waiting_clock_event (episode_id, occurred_on, kind, reason)
    select * from unnest(${column('episodeId')}::integer[], ${column('occurredOn')}::date[], ${column('kind')}::text[],
      ${column('reason')}::text[])`.execute(trx);
}

export interface OutcomeResponseWrite {
  episodeId: number;
  instrument: OutcomeInstrument;
  timepoint: OutcomeTimepoint;
  recordedOn: string;
  score: number;
}

export async function insertOutcomeResponses(trx: Db, rows: OutcomeResponseWrite[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <K extends keyof OutcomeResponseWrite>(key: K) => rows.map((row) => row[key]);
  await sql`
    insert into outcome_response (episode_id, instrument, timepoint, recorded_on, score)
    select * from unnest(${column('episodeId')}::integer[], ${column('instrument')}::text[], ${column('timepoint')}::text[],
      ${column('recordedOn')}::date[], ${column('score')}::numeric[])`.execute(trx);
}

export interface DischargeWrite {
  referralId: number;
  dischargedOn: string;
  reason: DischargeReason;
  outcomes: DischargeOutcome[];
}

export async function insertDischarges(trx: Db, rows: DischargeWrite[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    insert into discharge (referral_id, discharged_on, reason, outcomes)
    select referral_id, discharged_on, reason, coalesce(string_to_array(nullif(outcomes, ''), ';'), '{}')
    from unnest(${rows.map((r) => r.referralId)}::integer[], ${rows.map((r) => r.dischargedOn)}::date[],
      ${rows.map((r) => r.reason)}::text[], ${rows.map((r) => r.outcomes.join(';'))}::text[])
      as t(referral_id, discharged_on, reason, outcomes)`.execute(trx);
}

// ---------------------------------------------------------------------------------------------
// Staff acting in Roots (docs/adr/0008): rows recorded_in 'roots'.

export interface StaffWork {
  referralId: number;
  staffActedAt: Date;
  /** Triage recorded in Roots, if any. */
  triagedOn: string | null;
  /** Discharge recorded in Roots, if any. */
  dischargedOn: string | null;
}

/** What staff have recorded in Roots on these referrals (for the re-import's notices). */
export async function findStaffWork(db: Db, referralIds: number[]): Promise<Map<number, StaffWork>> {
  if (referralIds.length === 0) return new Map();
  const { rows } = await sql<{ id: number; staff_acted_at: Date; triaged_on: string | null; discharged_on: string | null }>`
    select r.id, r.staff_acted_at, t.triaged_on, d.discharged_on
    from referral r
    left join triage t on t.referral_id = r.id and t.recorded_in = 'roots'
    left join discharge d on d.referral_id = r.id and d.recorded_in = 'roots'
    where r.id = any(${referralIds}::integer[]) and r.staff_acted_at is not null`.execute(db);
  return new Map(rows.map((row) => [row.id, { referralId: row.id, staffActedAt: row.staff_acted_at, triagedOn: row.triaged_on, dischargedOn: row.discharged_on }]));
}

/** The organisation a referral belongs to (through its service), for the access check. */
export async function findReferralScope(db: Db, referralId: number): Promise<{ organisationId: number } | undefined> {
  return db
    .selectFrom('referral')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select('service.organisation_id as organisationId')
    .where('referral.id', '=', referralId)
    .executeTakeFirst();
}

export interface ReferralForUpdate {
  id: number;
  serviceId: number;
  organisationId: number;
  receivedOn: string;
  status: ReferralStatus;
  episodeId: number | null;
  /** The referral's version: a concurrent edit checks it (optimistic concurrency). */
  version: number;
}

/** One referral, locked until the transaction ends (a concurrent import or edit waits). */
export async function lockReferral(trx: Transaction<Schema>, referralId: number): Promise<ReferralForUpdate | undefined> {
  const { rows } = await sql<{ id: number; service_id: number; organisation_id: number; received_on: string; status: ReferralStatus; episode_id: number | null; version: number }>`
    select r.id, r.service_id, s.organisation_id, r.received_on, r.status, e.id as episode_id, r.version
    from referral r
    join service s on s.id = r.service_id
    left join episode e on e.referral_id = r.id
    where r.id = ${referralId}
    for update of r`.execute(trx);
  const row = rows[0];
  return row && { id: row.id, serviceId: row.service_id, organisationId: row.organisation_id, receivedOn: row.received_on, status: row.status, episodeId: row.episode_id, version: row.version };
}

/** A new status (from referral.state.ts); the referral's version moves on. Returns the new version. */
export async function updateReferralStatus(trx: Db, referralId: number, status: ReferralStatus): Promise<number> {
  const row = await trx
    .updateTable('referral')
    .set((eb) => ({ status, version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
    .where('id', '=', referralId)
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

/**
 * Puts an accepted referral on the waiting list: its episode. The caller starts its clock through
 * the one writer of clock events (waiting-list/clock-event.writer.ts).
 */
export async function insertStaffEpisode(
  trx: Db,
  episode: { referralId: number; serviceId: number; pathway: Pathway; priority: Priority; clockStartedOn: string },
): Promise<number> {
  const row = await trx
    .insertInto('episode')
    .values({ referral_id: episode.referralId, service_id: episode.serviceId, pathway_code: episode.pathway, priority: episode.priority, clock_started_on: episode.clockStartedOn })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A new pathway or priority from triage in Roots, for an episode already on the list. */
export async function updateEpisodeTriage(trx: Db, episodeId: number, triage: { pathway: Pathway; priority: Priority }): Promise<void> {
  await trx
    .updateTable('episode')
    .set((eb) => ({ pathway_code: triage.pathway, priority: triage.priority, version: eb('version', '+', 1) }))
    .where('id', '=', episodeId)
    .execute();
}
