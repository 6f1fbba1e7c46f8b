import { sql, type Kysely, type Transaction } from 'kysely';
import type { DischargeOutcome, DischargeReason, OutcomeInstrument, OutcomeTimepoint, Pathway, ReferralStatus } from '../domain/codes.ts';
import type { IsoDate, Schema } from '../store/schema.ts';

/**
 * The SQL of outcomes/: outcome responses, discharges and the AHP Health and Work Report, one
 * query per function. Rows written here carry recorded_in 'roots' (docs/adr/0008): the equity
 * audit's fact triggers (migration 0002) pick them up, so work done in Roots shows in the audit
 * without an import.
 */
type Db = Kysely<Schema> | Transaction<Schema>;

const isoDay = (value: string | Date | null): string | null => (value === null ? null : value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

export interface EpisodeSummary {
  episodeId: number;
  referralId: number;
  serviceId: number;
  organisationId: number;
  serviceName: string;
  reference: string;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: IsoDate | null;
  nhsNumber: string | null;
  receivedOn: IsoDate;
  status: ReferralStatus;
  pathway: Pathway;
  clockStartedOn: IsoDate;
  clockStoppedOn: IsoDate | null;
}

/** One episode with the person and referral it belongs to (for the page heading and checks). */
export async function findEpisode(db: Db, episodeId: number): Promise<EpisodeSummary | undefined> {
  const row = await db
    .selectFrom('episode as e')
    .innerJoin('referral as r', 'r.id', 'e.referral_id')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .innerJoin('service as s', 's.id', 'e.service_id')
    .select([
      'e.id as episodeId',
      'r.id as referralId',
      'e.service_id as serviceId',
      's.organisation_id as organisationId',
      's.name as serviceName',
      'r.source_record_id as reference',
      'p.given_name as givenName',
      'p.family_name as familyName',
      'p.date_of_birth as dateOfBirth',
      'p.nhs_number as nhsNumber',
      'r.received_on as receivedOn',
      'r.status',
      'e.pathway_code as pathway',
      'e.clock_started_on as clockStartedOn',
      'e.clock_stopped_on as clockStoppedOn',
    ])
    .where('e.id', '=', episodeId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...row,
    dateOfBirth: isoDay(row.dateOfBirth),
    receivedOn: isoDay(row.receivedOn)!,
    clockStartedOn: isoDay(row.clockStartedOn)!,
    clockStoppedOn: isoDay(row.clockStoppedOn),
  } as EpisodeSummary;
}

/** The service an episode belongs to (for the access check before anything else is read). */
export async function findEpisodeService(db: Db, episodeId: number): Promise<number | undefined> {
  const row = await db.selectFrom('episode').select('service_id').where('id', '=', episodeId).executeTakeFirst();
  return row?.service_id;
}

// ---------------------------------------------------------------------------------------------
// Outcome responses

export interface OutcomeResponseRow {
  id: number;
  instrument: OutcomeInstrument;
  timepoint: OutcomeTimepoint;
  recordedOn: IsoDate;
  score: number;
  itemScores: unknown;
  recordedIn: 'source' | 'roots';
  recordedBy: string | null;
}

/** Every response of an episode, by instrument then timepoint order. */
export async function listResponses(db: Db, episodeId: number): Promise<OutcomeResponseRow[]> {
  const rows = await db
    .selectFrom('outcome_response as o')
    .leftJoin('staff_user as u', 'u.id', 'o.recorded_by')
    .select(['o.id', 'o.instrument', 'o.timepoint', 'o.recorded_on', 'o.score', 'o.item_scores', 'o.recorded_in', 'u.display_name'])
    .where('o.episode_id', '=', episodeId)
    .orderBy('o.instrument')
    .orderBy(sql`array_position(array['baseline', 'review', 'discharge', 'follow_up'], o.timepoint)`)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    instrument: row.instrument,
    timepoint: row.timepoint,
    recordedOn: isoDay(row.recorded_on)!,
    score: Number(row.score),
    itemScores: row.item_scores,
    recordedIn: row.recorded_in,
    recordedBy: row.display_name,
  }));
}

export interface ResponseWrite {
  episodeId: number;
  instrument: OutcomeInstrument;
  timepoint: OutcomeTimepoint;
  recordedOn: IsoDate;
  score: number;
  itemScores: unknown;
  recordedBy: number | null;
}

/**
 * Inserts one response recorded in Roots. Returns its id, or null when the episode already has
 * this instrument at this timepoint (the table allows one; the caller answers CONFLICT).
 */
export async function insertResponse(trx: Db, row: ResponseWrite): Promise<number | null> {
  const inserted = await trx
    .insertInto('outcome_response')
    .values({
      episode_id: row.episodeId,
      instrument: row.instrument,
      timepoint: row.timepoint,
      recorded_on: row.recordedOn,
      score: row.score,
      item_scores: row.itemScores === null ? null : JSON.stringify(row.itemScores),
      recorded_in: 'roots',
      recorded_by: row.recordedBy,
    })
    .onConflict((oc) => oc.columns(['episode_id', 'instrument', 'timepoint']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id ?? null;
}

// ---------------------------------------------------------------------------------------------
// Discharge

export interface DischargeRow {
  dischargedOn: IsoDate;
  reason: DischargeReason;
  outcomes: DischargeOutcome[];
  recordedIn: 'source' | 'roots';
  recordedBy: string | null;
}

export async function findDischarge(db: Db, referralId: number): Promise<DischargeRow | undefined> {
  const row = await db
    .selectFrom('discharge as d')
    .leftJoin('staff_user as u', 'u.id', 'd.recorded_by')
    .select(['d.discharged_on', 'd.reason', 'd.outcomes', 'd.recorded_in', 'u.display_name'])
    .where('d.referral_id', '=', referralId)
    .executeTakeFirst();
  return row && { dischargedOn: isoDay(row.discharged_on)!, reason: row.reason, outcomes: row.outcomes, recordedIn: row.recorded_in, recordedBy: row.display_name };
}

/** Inserts the referral's discharge; false when it already has one (the caller answers CONFLICT). */
export async function insertDischarge(
  trx: Db,
  row: { referralId: number; dischargedOn: IsoDate; reason: DischargeReason; outcomes: DischargeOutcome[]; recordedBy: number | null },
): Promise<boolean> {
  const inserted = await sql<{ referral_id: number }>`
    insert into discharge (referral_id, discharged_on, reason, outcomes, recorded_in, recorded_by)
    values (${row.referralId}, ${row.dischargedOn}, ${row.reason}, ${row.outcomes}::text[], 'roots', ${row.recordedBy})
    on conflict (referral_id) do nothing
    returning referral_id`.execute(trx);
  return inserted.rows.length === 1;
}

// ---------------------------------------------------------------------------------------------
// AHP Health and Work Report

export interface WorkReportRow {
  version: number;
  fitness: 'fit' | 'may_be_fit';
  phasedReturn: boolean;
  amendedDuties: boolean;
  alteredHours: boolean;
  workplaceAdaptations: boolean;
  difficulties: string;
  recommendations: string | null;
  practitionerName: string;
  hcpcNumber: string;
  assessedOn: IsoDate;
  adviceUntil: IsoDate | null;
  reviewOn: IsoDate | null;
  recordedBy: string | null;
  recordedAt: Date;
}

/** The latest version of the episode's report, if any. */
export async function currentWorkReport(db: Db, episodeId: number): Promise<WorkReportRow | undefined> {
  const row = await db
    .selectFrom('work_report as w')
    .leftJoin('staff_user as u', 'u.id', 'w.recorded_by')
    .selectAll('w')
    .select('u.display_name')
    .where('w.episode_id', '=', episodeId)
    .orderBy('w.version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    version: row.version,
    fitness: row.fitness,
    phasedReturn: row.phased_return,
    amendedDuties: row.amended_duties,
    alteredHours: row.altered_hours,
    workplaceAdaptations: row.workplace_adaptations,
    difficulties: row.difficulties,
    recommendations: row.recommendations,
    practitionerName: row.practitioner_name,
    hcpcNumber: row.hcpc_number,
    assessedOn: isoDay(row.assessed_on)!,
    adviceUntil: isoDay(row.advice_until),
    reviewOn: isoDay(row.review_on),
    recordedBy: row.display_name,
    recordedAt: row.recorded_at,
  };
}

export type WorkReportWrite = Omit<WorkReportRow, 'recordedBy' | 'recordedAt'> & { episodeId: number; recordedBy: number | null };

/** Inserts a version of the report; false when that version exists already (someone saved first). */
export async function insertWorkReport(trx: Db, row: WorkReportWrite): Promise<boolean> {
  const inserted = await trx
    .insertInto('work_report')
    .values({
      episode_id: row.episodeId,
      version: row.version,
      fitness: row.fitness,
      phased_return: row.phasedReturn,
      amended_duties: row.amendedDuties,
      altered_hours: row.alteredHours,
      workplace_adaptations: row.workplaceAdaptations,
      difficulties: row.difficulties,
      recommendations: row.recommendations,
      practitioner_name: row.practitionerName,
      hcpc_number: row.hcpcNumber,
      assessed_on: row.assessedOn,
      advice_until: row.adviceUntil,
      review_on: row.reviewOn,
      recorded_by: row.recordedBy,
    })
    .onConflict((oc) => oc.columns(['episode_id', 'version']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}
