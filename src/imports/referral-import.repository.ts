import { sql, type Kysely, type Transaction } from 'kysely';
import type { ClockEventKind, ClockEventReason, DischargeOutcome, DischargeReason, OutcomeInstrument, OutcomeTimepoint, Pathway, PostcodeStatus, Priority, ReferralSource, ReferralStatus, TriageOutcome } from '../domain/codes.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import type { ImportRunTable, Schema } from '../store/schema.ts';

/**
 * The SQL of the import write path. Every write takes a whole batch as typed arrays and sends it
 * in one statement (`unnest`), so a batch costs one round trip per table, never one per row.
 */
type Db = Kysely<Schema> | Transaction<Schema>;

export interface ServiceRow {
  id: number;
  code: string;
  organisationId: number;
  organisationCode: string;
}

export async function findServices(db: Db, code?: { organisation?: string; service: string }): Promise<ServiceRow[]> {
  let query = db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select(['service.id as id', 'service.code as code', 'service.organisation_id as organisationId', 'organisation.code as organisationCode'])
    .orderBy('service.id')
    .limit(50);
  if (code) query = query.where('service.code', '=', code.service);
  if (code?.organisation) query = query.where('organisation.code', '=', code.organisation);
  return query.execute();
}

/** Imports into one service wait for each other (held until the transaction ends). */
export async function lockServiceImports(trx: Transaction<Schema>, serviceId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(${IMPORT_LOCK_SPACE}, ${serviceId})`.execute(trx);
}
const IMPORT_LOCK_SPACE = 7_270_001;

export interface ExistingReferral {
  id: number;
  contentHash: string | null;
}

export async function findReferralsBySourceId(db: Db, serviceId: number, sourceRecordIds: string[]): Promise<Map<string, ExistingReferral>> {
  if (sourceRecordIds.length === 0) return new Map();
  const { rows } = await sql<{ id: number; source_record_id: string; content_hash: string | null }>`
    select id, source_record_id, content_hash from referral
    where service_id = ${serviceId} and source_record_id = any(${sourceRecordIds}::text[])`.execute(db);
  return new Map(rows.map((row) => [row.source_record_id, { id: row.id, contentHash: row.content_hash }]));
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
        ${column('language')}::text[], ${column('interpreterNeeded')}::boolean[]
      ) as t(source_person_id, nhs_number, given_name, family_name, date_of_birth, sex, ethnicity, postcode,
             postcode_status, area_code, disability, inclusion_groups, language, interpreter_needed)
    ),
    upserted as (
      insert into person as p (organisation_id, source_person_id, nhs_number, given_name, family_name, date_of_birth, sex,
        ethnicity, postcode, postcode_status, area_code, disability, inclusion_groups, language, interpreter_needed)
      select ${organisationId}, source_person_id, nhs_number, given_name, family_name, date_of_birth, sex, ethnicity,
        postcode, postcode_status, area_code, disability, coalesce(string_to_array(nullif(inclusion_groups, ''), ';'), '{}'),
        language, interpreter_needed
      from input
      on conflict (organisation_id, source_person_id) do update set
        nhs_number = excluded.nhs_number, given_name = excluded.given_name, family_name = excluded.family_name,
        date_of_birth = excluded.date_of_birth, sex = excluded.sex, ethnicity = excluded.ethnicity,
        postcode = excluded.postcode, postcode_status = excluded.postcode_status, area_code = excluded.area_code,
        disability = excluded.disability, inclusion_groups = excluded.inclusion_groups, language = excluded.language,
        interpreter_needed = excluded.interpreter_needed, updated_at = now()
      where (p.nhs_number, p.given_name, p.family_name, p.date_of_birth, p.sex, p.ethnicity, p.postcode, p.postcode_status,
             p.area_code, p.disability, p.inclusion_groups, p.language, p.interpreter_needed)
        is distinct from
            (excluded.nhs_number, excluded.given_name, excluded.family_name, excluded.date_of_birth, excluded.sex,
             excluded.ethnicity, excluded.postcode, excluded.postcode_status, excluded.area_code, excluded.disability,
             excluded.inclusion_groups, excluded.language, excluded.interpreter_needed)
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
}

/** Inserts new referrals and rewrites changed ones (version and updated_at move on). */
export async function upsertReferrals(trx: Db, serviceId: number, referrals: ReferralWrite[]): Promise<Map<string, number>> {
  if (referrals.length === 0) return new Map();
  const column = <K extends keyof ReferralWrite>(key: K) => referrals.map((referral) => referral[key]);
  const { rows } = await sql<{ id: number; source_record_id: string }>`
    insert into referral as r (service_id, person_id, source_record_id, received_on, source, urgent_risk, area_code, status, content_hash)
    select ${serviceId}, * from unnest(
      ${column('personId')}::integer[], ${column('sourceRecordId')}::text[], ${column('receivedOn')}::date[],
      ${column('source')}::text[], ${column('urgentRisk')}::boolean[], ${column('areaCode')}::text[],
      ${column('status')}::text[], ${column('contentHash')}::text[])
    on conflict (service_id, source_record_id) do update set
      person_id = excluded.person_id, received_on = excluded.received_on, source = excluded.source,
      urgent_risk = excluded.urgent_risk, area_code = excluded.area_code, status = excluded.status,
      content_hash = excluded.content_hash, version = r.version + 1, updated_at = now()
    returning id, source_record_id`.execute(trx);
  return new Map(rows.map((row) => [row.source_record_id, row.id]));
}

/**
 * Before changed referrals are written again: remove their triage, discharge, clock events and
 * outcome responses, and the episodes of those no longer accepted. Episodes that stay are
 * updated in place, so work recorded against them in Roots (allocations, contacts) is kept.
 */
export async function clearChangedReferrals(trx: Db, changedReferralIds: number[], noLongerWaitingIds: number[]): Promise<void> {
  if (changedReferralIds.length === 0) return;
  await sql`
    with changed_episode as (select id from episode where referral_id = any(${changedReferralIds}::integer[])),
    clock as (delete from waiting_clock_event where episode_id in (select id from changed_episode)),
    outcomes as (delete from outcome_response where episode_id in (select id from changed_episode)),
    triage_rows as (delete from triage where referral_id = any(${changedReferralIds}::integer[])),
    discharge_rows as (delete from discharge where referral_id = any(${changedReferralIds}::integer[]))
    delete from episode where referral_id = any(${noLongerWaitingIds}::integer[])`.execute(trx);
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
// The record of each import: one import_run row and one audit event, never personal data.

export type ImportKind = ImportRunTable['kind'];
export type ImportOutcome = ImportRunTable['outcome'];

export interface ImportCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export async function insertImportRun(
  trx: Db,
  run: { kind: ImportKind; serviceId: number; fileName: string; outcome: ImportOutcome; finished: boolean; counts?: ImportCounts; sha256?: string | null },
): Promise<number> {
  const counts = run.counts ?? { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  const row = await trx
    .insertInto('import_run')
    .values({
      kind: run.kind,
      service_id: run.serviceId,
      file_name: run.fileName,
      file_sha256: run.sha256 ?? null,
      outcome: run.outcome,
      finished_at: run.finished ? sql<Date>`now()` : null,
      rows_read: counts.read,
      rows_inserted: counts.inserted,
      rows_updated: counts.updated,
      rows_unchanged: counts.unchanged,
      rows_rejected: counts.rejected,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateImportRun(
  trx: Db,
  id: number,
  update: { counts: ImportCounts; outcome?: ImportOutcome; finished?: boolean; sha256?: string | null },
): Promise<void> {
  await trx
    .updateTable('import_run')
    .set({
      rows_read: update.counts.read,
      rows_inserted: update.counts.inserted,
      rows_updated: update.counts.updated,
      rows_unchanged: update.counts.unchanged,
      rows_rejected: update.counts.rejected,
      ...(update.outcome ? { outcome: update.outcome } : {}),
      ...(update.finished ? { finished_at: sql<Date>`now()` } : {}),
      ...(update.sha256 !== undefined ? { file_sha256: update.sha256 } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function insertImportAuditEvent(
  trx: Db,
  event: { actor: string; organisationId: number; importRunId: number; detail: Record<string, string | number | boolean | null> },
): Promise<void> {
  // Through the one writer of the audit trail (audit-trail/).
  await recordAuditTrail(trx, { actor: event.actor, action: 'import', subjectKind: 'import_run', subjectId: event.importRunId, organisationId: event.organisationId, detail: event.detail });
}
