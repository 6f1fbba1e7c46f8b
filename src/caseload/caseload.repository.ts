import { sql, type Kysely, type Transaction } from 'kysely';
import { referralStatus } from '../domain/codes.ts';
import type { Attendance, ContactMode, GoalStatus, InterventionKind, Pathway, Priority, ReferralStatus } from '../domain/codes.ts';
import { updateReferralStatus } from '../referrals/referral.repository.ts';
import { nextState, type ReferralState } from '../referrals/referral.state.ts';
import type { Schema } from '../store/schema.ts';

/**
 * The SQL of caseload/: a therapist's caseload and diary, one episode as its page shows it, and
 * the writes of contacts, interventions, goals and notes. The caseload service calls these after
 * its access check; one query per function, aggregation in SQL.
 */
type Db = Kysely<Schema> | Transaction<Schema>;

/** Who an episode belongs to, for the access check. */
export interface EpisodeScope {
  episodeId: number;
  referralId: number;
  serviceId: number;
  organisationId: number;
  /** The therapist the episode is allocated to now (the open allocation), or null. */
  allocatedTo: number | null;
}

export async function findEpisodeScope(db: Db, episodeId: number): Promise<EpisodeScope | undefined> {
  const { rows } = await sql<EpisodeScope>`
    select e.id as "episodeId", e.referral_id as "referralId", e.service_id as "serviceId", s.organisation_id as "organisationId",
      (select a.staff_user_id from allocation a where a.episode_id = e.id and a.ended_on is null) as "allocatedTo"
    from episode e join service s on s.id = e.service_id
    where e.id = ${episodeId}`.execute(db);
  return rows[0];
}

/** The episode row locked for a write (contacts, attendance), with what the clock logic needs. */
export interface LockedEpisode {
  id: number;
  referralId: number;
  clockStartedOn: string;
  clockStoppedOn: string | null;
  clockPausedSince: string | null;
  firstContactOn: string | null;
  referralStatus: ReferralStatus;
  discharged: boolean;
}

export async function lockEpisode(trx: Transaction<Schema>, episodeId: number): Promise<LockedEpisode> {
  const { rows } = await sql<LockedEpisode>`
    select e.id, e.referral_id as "referralId", e.clock_started_on as "clockStartedOn", e.clock_stopped_on as "clockStoppedOn",
      e.clock_paused_since as "clockPausedSince", e.first_contact_on as "firstContactOn", r.status as "referralStatus",
      exists (select 1 from discharge d where d.referral_id = e.referral_id) as discharged
    from episode e join referral r on r.id = e.referral_id
    where e.id = ${episodeId}
    for update of e`.execute(trx);
  return rows[0]!;
}

/** Therapists and team leads of an organisation who can be booked (active), by name. */
export async function listBookableStaff(db: Db, organisationId: number): Promise<{ id: number; name: string }[]> {
  return db
    .selectFrom('staff_user')
    .select(['id', 'display_name as name'])
    .where('organisation_id', '=', organisationId)
    .where('active', '=', true)
    .where('role', 'in', ['therapist', 'team_lead'])
    .orderBy('display_name')
    .orderBy('id')
    .execute();
}

/**
 * Locks the therapist's staff_user row (so two bookings for the same therapist queue behind each
 * other) and returns the first of their live appointments (scheduled or attended) that overlaps
 * [startsAt, startsAt + minutes), or undefined. Works the same on PGlite and PostgreSQL.
 */
export async function lockDiaryAndFindClash(trx: Transaction<Schema>, staffUserId: number, startsAt: Date, minutes: number, ignoreContactId: number | null = null): Promise<{ id: number; startsAt: Date } | undefined> {
  await sql`select id from staff_user where id = ${staffUserId} for update`.execute(trx);
  const ends = new Date(startsAt.getTime() + minutes * 60_000);
  const { rows } = await sql<{ id: number; startsAt: Date }>`
    select c.id, c.starts_at as "startsAt"
    from contact c
    where c.staff_user_id = ${staffUserId}
      and c.attendance in ('scheduled', 'attended')
      and c.starts_at < ${ends.toISOString()}::timestamptz
      and c.starts_at + (greatest(coalesce(c.duration_minutes, 0), 1) * interval '1 minute') > ${startsAt.toISOString()}::timestamptz
      and ${ignoreContactId === null ? sql`true` : sql`c.id <> ${ignoreContactId}`}
    order by c.starts_at
    limit 1`.execute(trx);
  return rows[0];
}

export interface ContactWrite {
  episodeId: number;
  staffUserId: number;
  startsAt: Date;
  mode: ContactMode;
  durationMinutes: number;
  location: string | null;
  bookedBy: number | null;
}

export async function insertContact(trx: Db, contact: ContactWrite): Promise<number> {
  const row = await trx
    .insertInto('contact')
    .values({
      episode_id: contact.episodeId,
      staff_user_id: contact.staffUserId,
      starts_at: contact.startsAt,
      mode: contact.mode,
      attendance: 'scheduled',
      duration_minutes: contact.durationMinutes,
      location: contact.location,
      booked_by: contact.bookedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface LockedContact {
  id: number;
  episodeId: number;
  startsAt: Date;
  attendance: Attendance;
  version: number;
}

export async function lockContact(trx: Transaction<Schema>, contactId: number): Promise<LockedContact | undefined> {
  const { rows } = await sql<LockedContact>`
    select id, episode_id as "episodeId", starts_at as "startsAt", attendance, version
    from contact where id = ${contactId} for update`.execute(trx);
  return rows[0];
}

export async function writeAttendance(
  trx: Db,
  contactId: number,
  change: { attendance: Attendance; durationMinutes: number | null; notes: string | null; recordedBy: number | null },
): Promise<number> {
  const row = await trx
    .updateTable('contact')
    .set((eb) => ({
      attendance: change.attendance,
      ...(change.durationMinutes === null ? {} : { duration_minutes: change.durationMinutes }),
      notes: change.notes,
      attendance_recorded_by: change.recordedBy,
      attendance_recorded_at: sql<Date>`now()`,
      version: eb('version', '+', 1),
    }))
    .where('id', '=', contactId)
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

/** Adds one to the episode's contact counter for this attendance (the equity audit's facts read them). */
export async function countAttendance(trx: Db, episodeId: number, attendance: Exclude<Attendance, 'scheduled'>): Promise<void> {
  const column = attendance === 'attended' ? 'contacts_attended' : attendance === 'did_not_attend' ? 'contacts_did_not_attend' : 'contacts_cancelled';
  await trx
    .updateTable('episode')
    .set((eb) => ({ [column]: eb(column, '+', 1) }) as never)
    .where('id', '=', episodeId)
    .execute();
}

/**
 * The first attended contact: first_contact_on (never before the clock's start) and the
 * referral's status moved by the one transition table (waiting or allocated: in treatment).
 */
export async function markFirstContact(trx: Db, episode: LockedEpisode, day: string): Promise<void> {
  await sql`update episode set first_contact_on = greatest(${day}::date, clock_started_on) where id = ${episode.id}`.execute(trx);
  const after = nextState(episode.referralStatus as ReferralState, 'first_contact');
  // The store's statuses are a subset of the states (no triaged or allocated row is written).
  const status = referralStatus.values.find((value) => value === after);
  if (status !== undefined && status !== episode.referralStatus) await updateReferralStatus(trx, episode.referralId, status);
}

export async function insertInterventions(trx: Db, contactId: number, rows: { kind: InterventionKind; detail: string | null }[]): Promise<void> {
  if (rows.length === 0) return;
  await trx.insertInto('intervention').values(rows.map((row) => ({ contact_id: contactId, kind: row.kind, detail: row.detail }))).execute();
}

// ---------------------------------------------------------------------------------------------
// Goals and notes

export async function insertGoal(trx: Db, goal: { episodeId: number; goal: string; setOn: string; setBy: number | null }): Promise<number> {
  const row = await trx.insertInto('episode_goal').values({ episode_id: goal.episodeId, goal: goal.goal, set_on: goal.setOn, set_by: goal.setBy }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Changes a goal's status if its version is still `expectedVersion`; returns the new version, or null when stale or not this episode's. */
export async function updateGoalStatus(trx: Db, change: { episodeId: number; goalId: number; status: GoalStatus; on: string; expectedVersion: number }): Promise<number | null> {
  const row = await trx
    .updateTable('episode_goal')
    .set((eb) => ({ status: change.status, status_on: sql<string>`greatest(${change.on}::date, set_on)`, version: eb('version', '+', 1) }))
    .where('id', '=', change.goalId)
    .where('episode_id', '=', change.episodeId)
    .where('version', '=', change.expectedVersion)
    .returning('version')
    .executeTakeFirst();
  return row?.version ?? null;
}

export async function insertNote(trx: Db, note: { episodeId: number; authorId: number | null; note: string }): Promise<number> {
  const row = await trx.insertInto('episode_note').values({ episode_id: note.episodeId, author_id: note.authorId, note: note.note }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface EpisodeSummary {
  episodeId: number;
  referralId: number;
  reference: string;
  receivedOn: string;
  referralStatus: ReferralStatus;
  serviceId: number;
  serviceCode: string;
  serviceName: string;
  organisationCode: string;
  pathway: Pathway;
  priority: Priority;
  givenName: string | null;
  familyName: string | null;
  nhsNumber: string | null;
  dateOfBirth: string | null;
  language: string | null;
  interpreterNeeded: boolean | null;
  reasonableAdjustments: string | null;
  clockStartedOn: string;
  clockStoppedOn: string | null;
  firstContactOn: string | null;
  contactsAttended: number;
  contactsDidNotAttend: number;
  contactsCancelled: number;
  allocatedTo: number | null;
  allocatedName: string | null;
  dischargedOn: string | null;
}

export async function findEpisodeSummary(db: Db, episodeId: number): Promise<EpisodeSummary | undefined> {
  const { rows } = await sql<EpisodeSummary>`
    select e.id as "episodeId", r.id as "referralId", r.source_record_id as reference, r.received_on as "receivedOn", r.status as "referralStatus",
      s.id as "serviceId", s.code as "serviceCode", s.name as "serviceName", o.code as "organisationCode",
      e.pathway_code as pathway, e.priority, p.given_name as "givenName", p.family_name as "familyName", p.nhs_number as "nhsNumber",
      p.date_of_birth as "dateOfBirth", p.language, p.interpreter_needed as "interpreterNeeded", p.reasonable_adjustments as "reasonableAdjustments",
      e.clock_started_on as "clockStartedOn", e.clock_stopped_on as "clockStoppedOn", e.first_contact_on as "firstContactOn",
      e.contacts_attended as "contactsAttended", e.contacts_did_not_attend as "contactsDidNotAttend", e.contacts_cancelled as "contactsCancelled",
      a.staff_user_id as "allocatedTo", u.display_name as "allocatedName", d.discharged_on as "dischargedOn"
    from episode e
    join referral r on r.id = e.referral_id
    join person p on p.id = r.person_id
    join service s on s.id = e.service_id
    join organisation o on o.id = s.organisation_id
    left join allocation a on a.episode_id = e.id and a.ended_on is null
    left join staff_user u on u.id = a.staff_user_id
    left join discharge d on d.referral_id = r.id
    where e.id = ${episodeId}`.execute(db);
  return rows[0];
}

export interface ContactRow {
  id: number;
  startsAt: Date;
  mode: ContactMode;
  attendance: Attendance;
  durationMinutes: number | null;
  location: string | null;
  notes: string | null;
  version: number;
  staffUserId: number | null;
  therapist: string | null;
  interventions: { kind: InterventionKind; detail: string | null }[];
}

/** An episode's contacts, newest first, each with its interventions (one query, aggregated in SQL). */
export async function listContacts(db: Db, episodeId: number): Promise<ContactRow[]> {
  const { rows } = await sql<Omit<ContactRow, 'interventions'> & { interventions: string }>`
    select c.id, c.starts_at as "startsAt", c.mode, c.attendance, c.duration_minutes as "durationMinutes", c.location, c.notes, c.version,
      c.staff_user_id as "staffUserId", u.display_name as therapist,
      coalesce((select json_agg(json_build_object('kind', i.kind, 'detail', i.detail) order by i.id)::text from intervention i where i.contact_id = c.id), '[]') as interventions
    from contact c left join staff_user u on u.id = c.staff_user_id
    where c.episode_id = ${episodeId}
    order by c.starts_at desc, c.id desc`.execute(db);
  return rows.map((row) => ({ ...row, interventions: JSON.parse(row.interventions) as ContactRow['interventions'] }));
}

export interface GoalRow {
  id: number;
  goal: string;
  setOn: string;
  status: GoalStatus;
  statusOn: string | null;
  version: number;
}

export async function listGoals(db: Db, episodeId: number): Promise<GoalRow[]> {
  return db
    .selectFrom('episode_goal')
    .select(['id', 'goal', 'set_on as setOn', 'status', 'status_on as statusOn', 'version'])
    .where('episode_id', '=', episodeId)
    .orderBy('set_on')
    .orderBy('id')
    .execute() as Promise<GoalRow[]>;
}

export interface NoteRow {
  id: number;
  writtenAt: Date;
  author: string | null;
  note: string;
}

export async function listNotes(db: Db, episodeId: number): Promise<NoteRow[]> {
  const { rows } = await sql<NoteRow>`
    select n.id, n.written_at as "writtenAt", u.display_name as author, n.note
    from episode_note n left join staff_user u on u.id = n.author_id
    where n.episode_id = ${episodeId}
    order by n.written_at desc, n.id desc`.execute(db);
  return rows;
}

export interface CaseloadRow {
  episodeId: number;
  reference: string;
  givenName: string | null;
  familyName: string | null;
  serviceName: string;
  pathway: Pathway;
  priority: Priority;
  clockStartedOn: string;
  clockStoppedOn: string | null;
  pausedDays: number;
  clockPausedSince: string | null;
  nextAppointment: Date | null;
  lastContact: Date | null;
  lastAttendance: Attendance | null;
}

/** The open episodes allocated to one member of staff (not discharged), with next and last contact. */
export async function listCaseload(db: Db, staffUserId: number, now: Date): Promise<CaseloadRow[]> {
  const { rows } = await sql<CaseloadRow>`
    select e.id as "episodeId", r.source_record_id as reference, p.given_name as "givenName", p.family_name as "familyName",
      s.name as "serviceName", e.pathway_code as pathway, e.priority,
      e.clock_started_on as "clockStartedOn", e.clock_stopped_on as "clockStoppedOn", e.paused_days as "pausedDays", e.clock_paused_since as "clockPausedSince",
      (select min(c.starts_at) from contact c where c.episode_id = e.id and c.attendance = 'scheduled' and c.starts_at >= ${now.toISOString()}::timestamptz) as "nextAppointment",
      last.starts_at as "lastContact", last.attendance as "lastAttendance"
    from allocation a
    join episode e on e.id = a.episode_id
    join referral r on r.id = e.referral_id
    join person p on p.id = r.person_id
    join service s on s.id = e.service_id
    left join lateral (
      select c.starts_at, c.attendance from contact c
      where c.episode_id = e.id and c.attendance <> 'scheduled'
      order by c.starts_at desc, c.id desc limit 1
    ) last on true
    where a.staff_user_id = ${staffUserId} and a.ended_on is null
      and not exists (select 1 from discharge d where d.referral_id = r.id)
    order by "nextAppointment" asc nulls last, e.clock_started_on, e.id`.execute(db);
  return rows;
}

export interface DiaryRow {
  contactId: number;
  episodeId: number;
  startsAt: Date;
  durationMinutes: number | null;
  mode: ContactMode;
  attendance: Attendance;
  location: string | null;
  reference: string;
  givenName: string | null;
  familyName: string | null;
}

/** One member of staff's appointments in [from, to), in time order. */
export async function listDiary(db: Db, staffUserId: number, from: Date, to: Date): Promise<DiaryRow[]> {
  const { rows } = await sql<DiaryRow>`
    select c.id as "contactId", c.episode_id as "episodeId", c.starts_at as "startsAt", c.duration_minutes as "durationMinutes", c.mode, c.attendance, c.location,
      r.source_record_id as reference, p.given_name as "givenName", p.family_name as "familyName"
    from contact c
    join episode e on e.id = c.episode_id
    join referral r on r.id = e.referral_id
    join person p on p.id = r.person_id
    where c.staff_user_id = ${staffUserId} and c.starts_at >= ${from.toISOString()}::timestamptz and c.starts_at < ${to.toISOString()}::timestamptz
    order by c.starts_at, c.id`.execute(db);
  return rows;
}

/** The episode's clock events (for the clock as of today under the service's rules). */
export async function listClockEvents(db: Db, episodeId: number) {
  return db.selectFrom('waiting_clock_event').select(['occurred_on', 'kind', 'reason']).where('episode_id', '=', episodeId).orderBy('occurred_on').orderBy('id').execute();
}
