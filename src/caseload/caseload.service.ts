import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import * as codes from '../domain/codes.ts';
import type { Attendance, ContactMode, GoalStatus, InterventionKind } from '../domain/codes.ts';
import { RootsError } from '../errors/roots-error.ts';
import type { Schema } from '../store/schema.ts';
import { recordClockEvents, serviceClockRules } from '../waiting-list/clock-event.writer.ts';
import { computeClock, type ClockEvent, type ClockResult } from '../waiting-list/clock-rules.ts';
import { hasCaseload, mayReadCaseload, mayWriteCaseload } from './caseload.policy.ts';
import * as repository from './caseload.repository.ts';
import { londonDay, londonDayRange, londonInstant } from './diary-time.ts';

/**
 * Caseload and contacts: booking appointments in a therapist's diary (no double booking),
 * recording attendance (optimistic concurrency on contact.version), interventions, goals and
 * notes. Attendance is where the waiting-list clock moves, through the one writer of clock
 * events (waiting-list/clock-event.writer.ts), and where the episode's contact counters (read
 * by the equity audit's facts) change, in the same transaction as the contact.
 *
 * Every function checks access first (caseload.policy.ts; a refusal is written to the audit
 * trail outside the transaction), and every read and change is audited.
 */

type Db = Kysely<Schema>;

const fail = (field: string, reason: string) => new RootsError('VALIDATION_FAILED', { detail: 'This cannot be recorded with these values.', problems: [{ field, reason }] });

// ---------------------------------------------------------------------------------------------
// Access

async function requireEpisode(db: Db, actor: Actor, episodeId: number, wanted: 'read' | 'write'): Promise<repository.EpisodeScope> {
  const scope = await repository.findEpisodeScope(db, episodeId);
  if (scope && (wanted === 'read' ? mayReadCaseload(actor, scope) : mayWriteCaseload(actor, scope))) return scope;
  if (scope) {
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'episode', subjectId: episodeId, organisationId: scope.organisationId, detail: { wanted: `caseload_${wanted}` } });
  }
  // Staff of the organisation who may read it learn they may not change it; everyone else learns nothing.
  const known = scope && mayReadCaseload(actor, scope);
  const own = scope && actor.kind === 'staff' && actor.organisationId === scope.organisationId;
  if (known) throw new RootsError('FORBIDDEN', { detail: 'Only the therapist this episode is allocated to, or a team lead or administrator, can change it.' });
  if (own && (actor as { role: string }).role !== 'commissioner') throw new RootsError('FORBIDDEN', { detail: 'Your role does not allow access to people’s records.' });
  throw new RootsError('NOT_FOUND', { detail: 'There is no such episode.' });
}

// ---------------------------------------------------------------------------------------------
// The clock as it stands

const isoDay = (value: unknown): string => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

/** The episode's clock as of `today` under its service's rules, with the rules that shaped it. */
export async function clockAsOf(db: Db, episodeId: number, serviceId: number, startedOn: string, today: string): Promise<ClockResult> {
  const rows = await repository.listClockEvents(db, episodeId);
  const events: ClockEvent[] = rows.map((row) => ({ occurredOn: isoDay(row.occurred_on), kind: row.kind, reason: row.reason }));
  if (!events.some((event) => event.kind === 'start')) events.unshift({ occurredOn: isoDay(startedOn), kind: 'start', reason: 'referral_received' });
  const latest = events.reduce((max, event) => (event.occurredOn > max ? event.occurredOn : max), today);
  return computeClock(events, await serviceClockRules(db, serviceId), latest);
}

// ---------------------------------------------------------------------------------------------
// Booking

export const bookingSchema = z.object({
  staffUserId: z.number().int().positive(),
  day: z.iso.date(),
  time: z.string().regex(/^\d{2}:\d{2}$/),
  durationMinutes: z.number().int().min(5).max(600),
  mode: z.enum(codes.contactMode.values),
  location: z.string().trim().max(200).nullable().default(null).transform((value) => (value === '' ? null : value)),
});
export type Booking = z.input<typeof bookingSchema>;

export interface Booked {
  contactId: number;
  /** The clock after the booking, when a booking after a pause resumed it. */
  clock: ClockResult | null;
}

/**
 * Books an appointment in a therapist's diary (a therapist or team lead of the service's
 * organisation). Refused (CONFLICT, nothing written) when it overlaps another appointment of the
 * same therapist; booked after a pause (did not attend, cancelled), it resumes the clock.
 */
export async function bookContact(db: Db, actor: Actor, episodeId: number, input: Booking, now: Date): Promise<Booked> {
  const scope = await requireEpisode(db, actor, episodeId, 'write');
  const parsed = bookingSchema.safeParse(input);
  if (!parsed.success) {
    throw new RootsError('VALIDATION_FAILED', { detail: 'The appointment cannot be booked with these values.', problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })) });
  }
  const booking = parsed.data;
  const staff = await repository.listBookableStaff(db, scope.organisationId);
  if (!staff.some((member) => member.id === booking.staffUserId)) throw fail('staffUserId', 'is not a therapist of this service');
  const startsAt = londonInstant(booking.day, booking.time);
  const today = londonDay(now);
  return db.transaction().execute(async (trx) => {
    const episode = await repository.lockEpisode(trx, episodeId);
    if (episode.discharged) throw new RootsError('CONFLICT', { detail: 'This episode has been discharged: no more appointments can be booked.' });
    const clash = await repository.lockDiaryAndFindClash(trx, booking.staffUserId, startsAt, booking.durationMinutes);
    if (clash) throw new RootsError('CONFLICT', { detail: 'The therapist already has an appointment at that time.', problems: [{ field: 'time', reason: `clashes with appointment ${clash.id}` }] });
    const contactId = await repository.insertContact(trx, {
      episodeId,
      staffUserId: booking.staffUserId,
      startsAt,
      mode: booking.mode,
      durationMinutes: booking.durationMinutes,
      location: booking.location,
      bookedBy: actor.kind === 'staff' ? actor.userId : null,
    });
    let clock: ClockResult | null = null;
    if (episode.clockPausedSince !== null && episode.clockStoppedOn === null) {
      const pausedSince = isoDay(episode.clockPausedSince);
      clock = await recordClockEvents(trx, episodeId, [{ occurredOn: pausedSince > today ? pausedSince : today, kind: 'resume', reason: 'available_again' }]);
    }
    await recordAuditTrail(trx, {
      actor,
      action: 'create',
      subjectKind: 'contact',
      subjectId: contactId,
      organisationId: scope.organisationId,
      detail: { episode: episodeId, change: 'book', staff: booking.staffUserId, mode: booking.mode, resumed: clock !== null },
    });
    return { contactId, clock };
  });
}

// ---------------------------------------------------------------------------------------------
// Attendance

const interventionSchema = z.object({
  kind: z.enum(codes.interventionKind.values),
  detail: z.string().trim().max(2000).nullable().default(null).transform((value) => (value === '' ? null : value)),
});

export const attendanceSchema = z.object({
  attendance: z.enum(['attended', 'did_not_attend', 'patient_cancelled', 'provider_cancelled']),
  /** The contact's version the form showed: a contact changed since is refused (CONFLICT). */
  expectedVersion: z.number().int().positive(),
  durationMinutes: z.number().int().min(0).max(600).nullable().default(null),
  notes: z.string().trim().max(8000).nullable().default(null).transform((value) => (value === '' ? null : value)),
  interventions: z.array(interventionSchema).max(20).default([]),
});
export type AttendanceInput = z.input<typeof attendanceSchema>;

export interface AttendanceRecorded {
  contactVersion: number;
  /** The clock after the clock events the attendance wrote, or null when it wrote none. */
  clock: ClockResult | null;
  /** The clock events written (kind/reason), for the page and the audit. */
  events: { kind: string; reason: string; occurredOn: string }[];
}

/**
 * Records what happened at a booked appointment. The clock events, through the one writer:
 * the first attended contact stops the clock (first_contact) and sets first_contact_on; a
 * did-not-attend or a cancellation by the person before the first contact is a pause with that
 * reason, which the service's access policy restarts, pauses or ignores. Once the clock has
 * stopped, attendance changes the counters only. A cancellation by the service moves no clock.
 */
export async function recordAttendance(db: Db, actor: Actor, episodeId: number, contactId: number, input: AttendanceInput, now: Date): Promise<AttendanceRecorded> {
  const scope = await requireEpisode(db, actor, episodeId, 'write');
  const parsed = attendanceSchema.safeParse(input);
  if (!parsed.success) {
    throw new RootsError('VALIDATION_FAILED', { detail: 'The attendance cannot be recorded with these values.', problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })) });
  }
  const change = parsed.data;
  if (change.interventions.length > 0 && change.attendance !== 'attended') throw fail('interventions', 'are recorded only for an attended contact');
  const today = londonDay(now);
  return db.transaction().execute(async (trx) => {
    const episode = await repository.lockEpisode(trx, episodeId);
    const contact = await repository.lockContact(trx, contactId);
    if (!contact || contact.episodeId !== episodeId) throw new RootsError('NOT_FOUND', { detail: 'There is no such appointment in this episode.' });
    if (contact.version !== change.expectedVersion || contact.attendance !== 'scheduled') {
      throw new RootsError('CONFLICT', { detail: 'Someone else recorded this appointment while you were looking at it: check what is recorded now.' });
    }
    const day = londonDay(contact.startsAt);
    if ((change.attendance === 'attended' || change.attendance === 'did_not_attend') && contact.startsAt.getTime() > now.getTime() && day > today) {
      throw fail('attendance', 'cannot be recorded before the appointment');
    }
    const contactVersion = await repository.writeAttendance(trx, contactId, {
      attendance: change.attendance,
      durationMinutes: change.attendance === 'attended' ? change.durationMinutes : null,
      notes: change.notes,
      recordedBy: actor.kind === 'staff' ? actor.userId : null,
    });
    await repository.countAttendance(trx, episodeId, change.attendance);
    const waiting = episode.firstContactOn === null && episode.clockStoppedOn === null;
    const events: AttendanceRecorded['events'] = [];
    if (waiting && change.attendance === 'attended') events.push({ occurredOn: day, kind: 'stop', reason: 'first_contact' });
    if (waiting && change.attendance === 'did_not_attend') events.push({ occurredOn: day, kind: 'pause', reason: 'did_not_attend' });
    // Cancelled ahead of the day: the pause starts when the person cancelled (today).
    if (waiting && change.attendance === 'patient_cancelled') events.push({ occurredOn: day < today ? day : today, kind: 'pause', reason: 'patient_cancelled' });
    let clock: ClockResult | null = null;
    if (events.length > 0) {
      clock = await recordClockEvents(trx, episodeId, events as never);
      if (change.attendance === 'attended') await repository.markFirstContact(trx, episode, day);
    }
    if (change.attendance === 'attended') await repository.insertInterventions(trx, contactId, change.interventions);
    await recordAuditTrail(trx, {
      actor,
      action: 'update',
      subjectKind: 'contact',
      subjectId: contactId,
      organisationId: scope.organisationId,
      detail: { episode: episodeId, change: 'attendance', attendance: change.attendance, interventions: change.interventions.length, clock: events.map((e) => `${e.kind}:${e.reason}`).join(' ') || null },
    });
    return { contactVersion, clock, events };
  });
}

/** Adds interventions to a contact already recorded as attended. */
export async function addInterventions(db: Db, actor: Actor, episodeId: number, contactId: number, input: { kind: InterventionKind; detail?: string | null }[]): Promise<number> {
  const scope = await requireEpisode(db, actor, episodeId, 'write');
  const parsed = z.array(interventionSchema).min(1).max(20).safeParse(input);
  if (!parsed.success) throw fail('interventions', 'choose at least one intervention');
  return db.transaction().execute(async (trx) => {
    const contact = await repository.lockContact(trx, contactId);
    if (!contact || contact.episodeId !== episodeId) throw new RootsError('NOT_FOUND', { detail: 'There is no such appointment in this episode.' });
    if (contact.attendance !== 'attended') throw fail('interventions', 'are recorded only for an attended contact');
    await repository.insertInterventions(trx, contactId, parsed.data);
    await recordAuditTrail(trx, { actor, action: 'update', subjectKind: 'contact', subjectId: contactId, organisationId: scope.organisationId, detail: { episode: episodeId, change: 'interventions', added: parsed.data.length } });
    return parsed.data.length;
  });
}

// ---------------------------------------------------------------------------------------------
// Goals and notes

export async function addGoal(db: Db, actor: Actor, episodeId: number, input: { goal: string; setOn: string }): Promise<number> {
  const scope = await requireEpisode(db, actor, episodeId, 'write');
  const goal = input.goal.trim();
  if (goal.length === 0) throw fail('goal', 'is required');
  if (goal.length > 2000) throw fail('goal', 'is too long');
  if (!z.iso.date().safeParse(input.setOn).success) throw fail('setOn', 'must be a real date');
  return db.transaction().execute(async (trx) => {
    const id = await repository.insertGoal(trx, { episodeId, goal, setOn: input.setOn, setBy: actor.kind === 'staff' ? actor.userId : null });
    await recordAuditTrail(trx, { actor, action: 'create', subjectKind: 'episode_goal', subjectId: id, organisationId: scope.organisationId, detail: { episode: episodeId } });
    return id;
  });
}

export async function setGoalStatus(db: Db, actor: Actor, episodeId: number, goalId: number, input: { status: GoalStatus; expectedVersion: number }, today: string): Promise<number> {
  const scope = await requireEpisode(db, actor, episodeId, 'write');
  if (!(codes.goalStatus.values as readonly string[]).includes(input.status)) throw fail('status', 'choose a status');
  return db.transaction().execute(async (trx) => {
    const version = await repository.updateGoalStatus(trx, { episodeId, goalId, status: input.status, on: today, expectedVersion: input.expectedVersion });
    if (version === null) throw new RootsError('CONFLICT', { detail: 'This goal was changed by someone else, or is not this episode’s.' });
    await recordAuditTrail(trx, { actor, action: 'update', subjectKind: 'episode_goal', subjectId: goalId, organisationId: scope.organisationId, detail: { episode: episodeId, status: input.status } });
    return version;
  });
}

/** Appends a note (notes are never changed: the table refuses updates). */
export async function addNote(db: Db, actor: Actor, episodeId: number, input: { note: string }): Promise<number> {
  const scope = await requireEpisode(db, actor, episodeId, 'write');
  const note = input.note.trim();
  if (note.length === 0) throw fail('note', 'is required');
  if (note.length > 8000) throw fail('note', 'is too long');
  return db.transaction().execute(async (trx) => {
    const id = await repository.insertNote(trx, { episodeId, authorId: actor.kind === 'staff' ? actor.userId : null, note });
    await recordAuditTrail(trx, { actor, action: 'create', subjectKind: 'episode_note', subjectId: id, organisationId: scope.organisationId, detail: { episode: episodeId } });
    return id;
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface EpisodeView {
  episode: repository.EpisodeSummary;
  clock: ClockResult;
  contacts: repository.ContactRow[];
  goals: repository.GoalRow[];
  notes: repository.NoteRow[];
  staff: { id: number; name: string }[];
  mayWrite: boolean;
}

/** One episode as its page shows it. The read is audited. */
export async function viewEpisode(db: Db, actor: Actor, episodeId: number, today: string): Promise<EpisodeView> {
  const scope = await requireEpisode(db, actor, episodeId, 'read');
  const episode = (await repository.findEpisodeSummary(db, episodeId))!;
  const [clock, contacts, goals, notes, staff] = [
    await clockAsOf(db, episodeId, scope.serviceId, episode.clockStartedOn, today),
    await repository.listContacts(db, episodeId),
    await repository.listGoals(db, episodeId),
    await repository.listNotes(db, episodeId),
    await repository.listBookableStaff(db, scope.organisationId),
  ];
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'episode', subjectId: episodeId, organisationId: scope.organisationId, detail: { view: 'episode', contacts: contacts.length } });
  return { episode, clock, contacts, goals, notes, staff, mayWrite: mayWriteCaseload(actor, scope) && episode.dischargedOn === null };
}

export interface CaseloadEntry extends repository.CaseloadRow {
  /** Counted wait days as of today (paused days and an open pause not counted). */
  waitDays: number;
}

export interface Caseload {
  entries: CaseloadEntry[];
  diary: repository.DiaryRow[];
  today: string;
}

/** The signed-in therapist's (or team lead's) caseload and today's diary. The read is audited. */
export async function caseloadOf(db: Db, actor: Actor, now: Date): Promise<Caseload> {
  if (!hasCaseload(actor) || actor.kind !== 'staff') {
    const organisationId = actor.kind === 'staff' ? actor.organisationId : null;
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'caseload', subjectId: actor.kind === 'staff' ? actor.userId : null, organisationId, detail: { wanted: 'caseload' } });
    throw new RootsError('FORBIDDEN', { detail: 'Only therapists and team leads have a caseload.' });
  }
  const today = londonDay(now);
  const rows = await repository.listCaseload(db, actor.userId, now);
  const { from, to } = londonDayRange(today);
  const diary = await repository.listDiary(db, actor.userId, from, to);
  const entries = rows.map((row) => {
    const start = isoDay(row.clockStartedOn);
    const end = row.clockStoppedOn ? isoDay(row.clockStoppedOn) : row.clockPausedSince ? isoDay(row.clockPausedSince) : today;
    const days = Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86_400_000);
    return { ...row, waitDays: Math.max(0, days - row.pausedDays) };
  });
  await recordAuditTrail(db, {
    actor,
    action: 'read',
    subjectKind: 'caseload',
    subjectId: actor.userId,
    organisationId: actor.organisationId,
    detail: { episodes: entries.map((entry) => entry.episodeId).join(' '), diary: diary.length },
  });
  return { entries, diary, today };
}

export type { Attendance, ContactMode };
