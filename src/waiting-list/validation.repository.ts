import { sql, type Kysely, type Transaction } from 'kysely';
import type { Pathway, Priority, ValidationOutcome } from '../domain/codes.ts';
import type { IsoDate, Schema } from '../store/schema.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

/** The validation milestones, in weeks on the list. */
export const VALIDATION_MILESTONES = [12, 26, 52] as const;
export type Milestone = (typeof VALIDATION_MILESTONES)[number];

/** The latest milestone a wait of `waitDays` has reached, or null before 12 weeks. */
export function milestoneReached(waitDays: number): Milestone | null {
  let reached: Milestone | null = null;
  for (const milestone of VALIDATION_MILESTONES) if (waitDays >= milestone * 7) reached = milestone;
  return reached;
}

export interface DueRow {
  episodeId: number;
  givenName: string | null;
  familyName: string | null;
  nhsNumber: string | null;
  pathway: Pathway;
  priority: Priority;
  waitDays: number;
  milestone: Milestone;
  /** "Could not contact" answers already recorded for this milestone. */
  attempts: number;
  lastValidatedOn: IsoDate | null;
}

const isoDay = (value: unknown): IsoDate => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

/** Days waited to `asOf` as the list counts them (start, less closed pauses and an open one). */
const waitDaysSql = (asOf: ReturnType<typeof sql>) =>
  sql`greatest(0, (${asOf} - e.clock_started_on) - (e.paused_days + case when e.clock_paused_since is not null and e.clock_paused_since < ${asOf} then ${asOf} - e.clock_paused_since else 0 end))`;

/**
 * Who is due for validation in a service: people still waiting whose wait has reached 12, 26 or
 * 52 weeks, at the latest milestone reached, with no conclusive answer (still needed, no longer
 * needed) recorded for that milestone. A "could not contact" answer keeps them due, counted as an
 * attempt. Longest milestone first, then longest wait; one query, counted in the database.
 */
export async function listDue(db: Db, query: { serviceId: number; asOf: IsoDate; milestone?: Milestone | undefined; page: number; pageSize: number }): Promise<{ rows: DueRow[]; total: number }> {
  const asOf = sql`${query.asOf}::date`;
  const waitDays = waitDaysSql(asOf);
  const milestoneFilter = query.milestone ? sql`and milestone = ${query.milestone}` : sql``;
  const { rows } = await sql<Record<string, unknown>>`
    with waiting as (
      select e.id as episode_id, p.given_name, p.family_name, p.nhs_number, e.pathway_code, e.priority, e.last_validated_on, ${waitDays} as wait_days
      from episode e
      join referral r on r.id = e.referral_id
      join person p on p.id = r.person_id
      where e.service_id = ${query.serviceId} and e.clock_stopped_on is null and e.first_contact_on is null
        and e.clock_started_on <= ${asOf} - 84
    ), due as (
      select w.*, case when wait_days >= 364 then 52 when wait_days >= 182 then 26 else 12 end as milestone
      from waiting w where wait_days >= 84
    )
    select d.*,
      (select count(*) from waiting_list_validation v where v.episode_id = d.episode_id and v.milestone_weeks = d.milestone and v.outcome = 'could_not_contact') as attempts,
      count(*) over () as total
    from due d
    where not exists (select 1 from waiting_list_validation v where v.episode_id = d.episode_id and v.milestone_weeks = d.milestone and v.outcome <> 'could_not_contact')
      ${milestoneFilter}
    order by milestone desc, wait_days desc, episode_id
    limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`.execute(db);
  const total = rows.length > 0 ? Number(rows[0]!.total) : query.page === 1 ? 0 : (await listDue(db, { ...query, page: 1, pageSize: 1 })).total;
  return {
    total,
    rows: rows.map((row) => ({
      episodeId: Number(row.episode_id),
      givenName: (row.given_name as string | null) ?? null,
      familyName: (row.family_name as string | null) ?? null,
      nhsNumber: (row.nhs_number as string | null) ?? null,
      pathway: row.pathway_code as Pathway,
      priority: row.priority as Priority,
      waitDays: Number(row.wait_days),
      milestone: Number(row.milestone) as Milestone,
      attempts: Number(row.attempts),
      lastValidatedOn: row.last_validated_on === null || row.last_validated_on === undefined ? null : isoDay(row.last_validated_on),
    })),
  };
}

export interface EpisodeForValidation {
  episodeId: number;
  serviceId: number;
  referralId: number;
  referralStatus: string;
  givenName: string | null;
  familyName: string | null;
  nhsNumber: string | null;
  pathway: Pathway;
  priority: Priority;
  waiting: boolean;
  waitDays: number;
}

/** One episode of the service with its wait today (null when it is not this service's). */
export async function findEpisode(db: Db, serviceId: number, episodeId: number, asOf: IsoDate): Promise<EpisodeForValidation | null> {
  const at = sql`${asOf}::date`;
  const { rows } = await sql<Record<string, unknown>>`
    select e.id, e.service_id, e.referral_id, r.status, p.given_name, p.family_name, p.nhs_number, e.pathway_code, e.priority,
      (e.clock_stopped_on is null and e.first_contact_on is null) as waiting, ${waitDaysSql(at)} as wait_days
    from episode e
    join referral r on r.id = e.referral_id
    join person p on p.id = r.person_id
    where e.id = ${episodeId} and e.service_id = ${serviceId}`.execute(db);
  const row = rows[0];
  if (!row) return null;
  return {
    episodeId: Number(row.id),
    serviceId: Number(row.service_id),
    referralId: Number(row.referral_id),
    referralStatus: String(row.status),
    givenName: (row.given_name as string | null) ?? null,
    familyName: (row.family_name as string | null) ?? null,
    nhsNumber: (row.nhs_number as string | null) ?? null,
    pathway: row.pathway_code as Pathway,
    priority: row.priority as Priority,
    waiting: Boolean(row.waiting),
    waitDays: Number(row.wait_days),
  };
}

export interface ValidationRow {
  id: number;
  milestone: Milestone;
  outcome: ValidationOutcome;
  note: string | null;
  validatedOn: IsoDate;
  recordedBy: string;
  recordedAt: Date;
}

/** Every validation answer for one episode, newest first. */
export async function validationsOf(db: Db, episodeId: number): Promise<ValidationRow[]> {
  const rows = await db
    .selectFrom('waiting_list_validation')
    .select(['id', 'milestone_weeks', 'outcome', 'note', 'validated_on', 'recorded_by_label', 'recorded_at'])
    .where('episode_id', '=', episodeId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    milestone: Number(row.milestone_weeks) as Milestone,
    outcome: row.outcome,
    note: row.note,
    validatedOn: isoDay(row.validated_on),
    recordedBy: row.recorded_by_label,
    recordedAt: new Date(row.recorded_at),
  }));
}

export async function insertValidation(
  db: Db,
  row: { episodeId: number; milestone: Milestone; outcome: ValidationOutcome; note: string | null; validatedOn: IsoDate; recordedBy: number | null; recordedByLabel: string },
): Promise<number> {
  const inserted = await db
    .insertInto('waiting_list_validation')
    .values({
      episode_id: row.episodeId,
      milestone_weeks: row.milestone,
      outcome: row.outcome,
      note: row.note,
      validated_on: row.validatedOn,
      recorded_by: row.recordedBy,
      recorded_by_label: row.recordedByLabel,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.updateTable('episode').set({ last_validated_on: row.validatedOn }).where('id', '=', row.episodeId).execute();
  return inserted.id;
}
