import { sql, type Kysely, type Transaction } from 'kysely';
import type { CompetencyLevel, Pathway, Priority } from '../domain/codes.ts';
import type { IsoDate, Schema } from '../store/schema.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

/**
 * The store side of allocation by competency: the task catalogue, each therapist's competencies,
 * capacity and travel areas, caseload weight (summed in SQL from open allocations), episodes
 * waiting for allocation, and the confirmation write. Only allocation.service.ts calls these, after
 * its access check.
 */

export interface EpisodeScope {
  episodeId: number;
  referralId: number;
  personId: number;
  serviceId: number;
  organisationId: number;
  serviceCode: string;
  serviceName: string;
  organisationCode: string;
  pathway: Pathway;
  priority: Priority;
  clockStartedOn: IsoDate;
  clockStopped: boolean;
  firstContactOn: IsoDate | null;
  version: number;
  givenName: string | null;
  familyName: string | null;
  /** The person's area when referred, and that area's local authority when reference data knows it. */
  areaCode: string | null;
  localAuthorityCode: string | null;
  openAllocation: { staffUserId: number; name: string; allocatedOn: IsoDate; confirmedBy: string | null; reason: string | null } | null;
}

const scopeQuery = (id: number, lock: boolean) => sql<{
  episode_id: number; referral_id: number; person_id: number; service_id: number; organisation_id: number; service_code: string; service_name: string; organisation_code: string;
  pathway_code: Pathway; priority: Priority; clock_started_on: IsoDate; clock_stopped_on: IsoDate | null; first_contact_on: IsoDate | null; version: number;
  given_name: string | null; family_name: string | null; area_code: string | null; local_authority_code: string | null;
}>`
  select e.id as episode_id, r.id as referral_id, r.person_id, e.service_id, s.organisation_id, s.code as service_code, s.name as service_name, o.code as organisation_code,
         e.pathway_code, e.priority, e.clock_started_on, e.clock_stopped_on, e.first_contact_on, e.version,
         p.given_name, p.family_name, coalesce(r.area_code, p.area_code) as area_code,
         (select a.local_authority_code from ref_area a where a.area_code = coalesce(r.area_code, p.area_code)) as local_authority_code
  from episode e
  join referral r on r.id = e.referral_id
  join person p on p.id = r.person_id
  join service s on s.id = e.service_id
  join organisation o on o.id = s.organisation_id
  where e.id = ${id}
  ${lock ? sql`for update of e` : sql``}`;

/** One episode with its service and person, and its open allocation if any. */
export async function findEpisode(db: Db, episodeId: number, options: { lock?: boolean } = {}): Promise<EpisodeScope | undefined> {
  const row = (await scopeQuery(episodeId, options.lock ?? false).execute(db)).rows[0];
  if (!row) return undefined;
  const open = await db
    .selectFrom('allocation')
    .innerJoin('staff_user as t', 't.id', 'allocation.staff_user_id')
    .leftJoin('staff_user as c', 'c.id', 'allocation.confirmed_by')
    .select(['allocation.staff_user_id', 't.display_name', 'allocation.allocated_on', 'c.display_name as confirmed_by_name', 'allocation.reason'])
    .where('allocation.episode_id', '=', episodeId)
    .where('allocation.ended_on', 'is', null)
    .executeTakeFirst();
  return {
    episodeId: row.episode_id,
    referralId: row.referral_id,
    personId: row.person_id,
    serviceId: row.service_id,
    organisationId: row.organisation_id,
    serviceCode: row.service_code,
    serviceName: row.service_name,
    organisationCode: row.organisation_code,
    pathway: row.pathway_code,
    priority: row.priority,
    clockStartedOn: row.clock_started_on,
    clockStopped: row.clock_stopped_on !== null,
    firstContactOn: row.first_contact_on,
    version: row.version,
    givenName: row.given_name,
    familyName: row.family_name,
    areaCode: row.area_code,
    localAuthorityCode: row.local_authority_code,
    openAllocation: open
      ? { staffUserId: open.staff_user_id, name: open.display_name, allocatedOn: open.allocated_on, confirmedBy: open.confirmed_by_name, reason: open.reason }
      : null,
  };
}

export interface CatalogueTask {
  id: number;
  code: string;
  name: string;
  level: CompetencyLevel;
  pathways: Pathway[];
}

/** The service's task catalogue, green before amber before red, then by name. */
export async function catalogue(db: Db, serviceId: number): Promise<CatalogueTask[]> {
  const rows = await db
    .selectFrom('competency')
    .select(['id', 'code', 'name', 'level', 'pathways'])
    .where('service_id', '=', serviceId)
    .orderBy(sql`case level when 'green' then 1 when 'amber' then 2 else 3 end`)
    .orderBy('name')
    .execute();
  return rows.map((row) => ({ ...row, pathways: row.pathways ?? [] }));
}

/** The catalogue tasks set as required for an episode (ids). */
export async function requiredTaskIds(db: Db, episodeId: number): Promise<number[]> {
  const rows = await db.selectFrom('episode_required_competency').select('competency_id').where('episode_id', '=', episodeId).orderBy('competency_id').execute();
  return rows.map((row) => row.competency_id);
}

/** Replaces an episode's required tasks (ids already checked to be the service's). */
export async function replaceRequiredTasks(trx: Transaction<Schema>, episodeId: number, competencyIds: readonly number[]): Promise<void> {
  await trx.deleteFrom('episode_required_competency').where('episode_id', '=', episodeId).execute();
  if (competencyIds.length > 0) await trx.insertInto('episode_required_competency').values(competencyIds.map((competency_id) => ({ episode_id: episodeId, competency_id }))).execute();
}

export interface PoolMember {
  id: number;
  name: string;
  email: string;
  role: 'therapist' | 'team_lead';
  capacityHours: number;
  /** Hours a week of open allocations (any service): the caseload weight. */
  caseloadHours: number;
  caseloadCount: number;
  areas: string[];
  /** Level held per catalogue task code, and the named supervisor per amber task code. */
  competencies: Record<string, CompetencyLevel>;
  supervisors: Record<string, number>;
}

/**
 * Everyone who can be allocated work in the service: active therapists and team leads in one of
 * its teams, with capacity, caseload weight (summed in SQL), travel areas and competencies on the
 * service's catalogue. Three queries, whatever the size of the team.
 */
export async function pool(db: Db, serviceId: number, options: { staffUserId?: number } = {}): Promise<PoolMember[]> {
  const { rows } = await sql<{ id: number; display_name: string; email: string; role: 'therapist' | 'team_lead'; capacity: number; hours: number; n: number; areas: string[] | null }>`
    select u.id, u.display_name, u.email, u.role, u.capacity_hours_per_week::float8 as capacity,
           coalesce(c.hours, 0)::float8 as hours, coalesce(c.n, 0)::int as n,
           (select array_agg(t.area_code order by t.area_code) from staff_travel_area t where t.staff_user_id = u.id) as areas
    from staff_user u
    left join (
      select staff_user_id, sum(weekly_hours) as hours, count(*) as n from allocation where ended_on is null group by staff_user_id
    ) c on c.staff_user_id = u.id
    where u.active and u.role in ('therapist', 'team_lead')
      and exists (select 1 from team_member m join team t on t.id = m.team_id where m.staff_user_id = u.id and t.service_id = ${serviceId})
      ${options.staffUserId !== undefined ? sql`and u.id = ${options.staffUserId}` : sql``}
    order by u.display_name, u.id`.execute(db);
  const competencies = await db
    .selectFrom('staff_competency')
    .innerJoin('competency', 'competency.id', 'staff_competency.competency_id')
    .innerJoin('team_member', 'team_member.staff_user_id', 'staff_competency.staff_user_id')
    .innerJoin('team', 'team.id', 'team_member.team_id')
    .select(['staff_competency.staff_user_id', 'competency.code', 'staff_competency.level', 'staff_competency.supervisor_id'])
    .where('competency.service_id', '=', serviceId)
    .where('team.service_id', '=', serviceId)
    .$if(options.staffUserId !== undefined, (q) => q.where('staff_competency.staff_user_id', '=', options.staffUserId!))
    .distinct()
    .execute();
  const members = new Map<number, PoolMember>(
    rows.map((row) => [
      row.id,
      { id: row.id, name: row.display_name, email: row.email, role: row.role, capacityHours: Number(row.capacity), caseloadHours: Number(row.hours), caseloadCount: Number(row.n), areas: row.areas ?? [], competencies: {}, supervisors: {} },
    ]),
  );
  for (const row of competencies) {
    const member = members.get(row.staff_user_id);
    if (!member) continue;
    member.competencies[row.code] = row.level;
    if (row.level === 'amber' && row.supervisor_id !== null) member.supervisors[row.code] = row.supervisor_id;
  }
  return [...members.values()];
}

/** Therapists who have worked with the person before: allocated to, or seen them in, another episode of the same organisation. */
export async function previousTherapists(db: Db, personId: number, episodeId: number): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select a.staff_user_id as id from allocation a join episode e on e.id = a.episode_id join referral r on r.id = e.referral_id
    where r.person_id = ${personId} and e.id <> ${episodeId}
    union
    select c.staff_user_id as id from contact c join episode e on e.id = c.episode_id join referral r on r.id = e.referral_id
    where r.person_id = ${personId} and c.staff_user_id is not null
    order by 1`.execute(db);
  return rows.map((row) => row.id);
}

export interface WorklistRow {
  episodeId: number;
  referralId: number;
  givenName: string | null;
  familyName: string | null;
  pathway: Pathway;
  priority: Priority;
  clockStartedOn: IsoDate;
  waitDays: number;
  requiredTasks: number;
}

/**
 * Episodes of a service waiting and not yet allocated (clock running, not yet seen, no open
 * allocation), most urgent priority first, then longest wait; one page and the count of all.
 */
export async function worklist(db: Db, serviceId: number, asOf: IsoDate, page: number, pageSize: number): Promise<{ rows: WorklistRow[]; total: number }> {
  const { rows } = await sql<{ episode_id: number; referral_id: number; given_name: string | null; family_name: string | null; pathway_code: Pathway; priority: Priority; clock_started_on: IsoDate; wait_days: number; required: number; total: number }>`
    select e.id as episode_id, e.referral_id, p.given_name, p.family_name, e.pathway_code, e.priority, e.clock_started_on,
           greatest(0, (${asOf}::date - e.clock_started_on) - e.paused_days)::int as wait_days,
           (select count(*) from episode_required_competency q where q.episode_id = e.id)::int as required,
           count(*) over ()::int as total
    from episode e
    join referral r on r.id = e.referral_id
    join person p on p.id = r.person_id
    where e.service_id = ${serviceId} and e.clock_stopped_on is null and e.first_contact_on is null
      and not exists (select 1 from allocation a where a.episode_id = e.id and a.ended_on is null)
    order by e.priority, e.clock_started_on, e.id
    limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db);
  return {
    total: rows[0]?.total ?? (page > 1 ? (await worklist(db, serviceId, asOf, 1, 1)).total : 0),
    rows: rows.map((row) => ({
      episodeId: row.episode_id,
      referralId: row.referral_id,
      givenName: row.given_name,
      familyName: row.family_name,
      pathway: row.pathway_code,
      priority: row.priority,
      clockStartedOn: row.clock_started_on,
      waitDays: Number(row.wait_days),
      requiredTasks: Number(row.required),
    })),
  };
}

export interface NewAllocation {
  episodeId: number;
  staffUserId: number;
  allocatedOn: IsoDate;
  weeklyHours: number;
  episodeVersion: number;
  shortlistRank: number | null;
  supervisorId: number | null;
  reason: string;
  confirmedBy: number | null;
}

/** Writes the confirmed allocation and moves the episode's version on; returns the allocation id and the new version. */
export async function insertAllocation(trx: Transaction<Schema>, allocation: NewAllocation): Promise<{ allocationId: number; version: number }> {
  const row = await trx
    .insertInto('allocation')
    .values({
      episode_id: allocation.episodeId,
      staff_user_id: allocation.staffUserId,
      allocated_on: allocation.allocatedOn,
      suggested: allocation.shortlistRank !== null,
      reason: allocation.reason,
      confirmed_by: allocation.confirmedBy,
      weekly_hours: allocation.weeklyHours,
      episode_version: allocation.episodeVersion,
      shortlist_rank: allocation.shortlistRank,
      supervisor_id: allocation.supervisorId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { allocationId: row.id, version: await bumpEpisodeVersion(trx, allocation.episodeId) };
}

export async function bumpEpisodeVersion(trx: Transaction<Schema>, episodeId: number): Promise<number> {
  const row = await trx.updateTable('episode').set({ version: sql`version + 1` }).where('id', '=', episodeId).returning('version').executeTakeFirstOrThrow();
  return row.version;
}

export interface TherapistChange {
  staffUserId: number;
  capacityHours: number;
  areas: readonly string[];
  /** Level (or none) per catalogue task id, with the named supervisor for amber. */
  competencies: readonly { competencyId: number; level: CompetencyLevel | null; supervisorId: number | null }[];
}

/** Writes one therapist's capacity, travel areas and competencies on the service's catalogue. */
export async function updateTherapist(trx: Transaction<Schema>, change: TherapistChange): Promise<void> {
  await trx.updateTable('staff_user').set({ capacity_hours_per_week: change.capacityHours }).where('id', '=', change.staffUserId).execute();
  await trx.deleteFrom('staff_travel_area').where('staff_user_id', '=', change.staffUserId).execute();
  if (change.areas.length > 0) await trx.insertInto('staff_travel_area').values(change.areas.map((area_code) => ({ staff_user_id: change.staffUserId, area_code }))).execute();
  const ids = change.competencies.map((c) => c.competencyId);
  if (ids.length > 0) await trx.deleteFrom('staff_competency').where('staff_user_id', '=', change.staffUserId).where('competency_id', 'in', ids).execute();
  const held = change.competencies.filter((c) => c.level !== null);
  if (held.length > 0) {
    await trx
      .insertInto('staff_competency')
      .values(held.map((c) => ({ staff_user_id: change.staffUserId, competency_id: c.competencyId, level: c.level!, supported: c.level === 'amber', supervisor_id: c.level === 'amber' ? c.supervisorId : null })))
      .execute();
  }
}

/**
 * Ends the episode's open allocation on the day of discharge (or on the day it began, should the
 * discharge be dated earlier). Discharge (outcomes/) is the event that ends one, so the therapist's
 * caseload no longer counts a discharged person.
 */
export async function endOpenAllocation(trx: Db, episodeId: number, endedOn: IsoDate): Promise<number> {
  const result = await sql`
    update allocation set ended_on = greatest(allocated_on, ${endedOn}::date)
    where episode_id = ${episodeId} and ended_on is null`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
