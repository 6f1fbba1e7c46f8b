import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../access/actor.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode } from '../demo/demo-organisation.ts';
import { refreshReferralFacts } from '../equity/audit/audit.queries.ts';
import { isRootsError } from '../errors/roots-error.ts';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { waitingEpisode } from '../../test/support/caseload.fixture.ts';
import { subjectAccessExport } from '../audit-trail/subject-access.ts';
import { addDemoCaseload } from '../demo/caseload-demo.ts';
import { addGoal, addInterventions, addNote, bookContact, caseloadOf, recordAttendance, setGoalStatus, viewEpisode } from './caseload.service.ts';

let store: TestStore;
let service: { id: number; organisationId: number };
const staff: Record<string, Actor & { kind: 'staff' }> = {};

beforeAll(async () => {
  store = await createTestStore();
  await createDemoOrganisation(store.db, null);
  const row = await store.db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select(['service.id', 'service.organisation_id'])
    .where('service.code', '=', demoServiceCode)
    .where('organisation.code', '=', demoOrganisationCode)
    .executeTakeFirstOrThrow();
  service = { id: row.id, organisationId: row.organisation_id };
  for (const [key, email] of [['ot1', 'ot1@demo.roots.invalid'], ['ot2', 'ot2@demo.roots.invalid'], ['lead', 'lead@demo.roots.invalid'], ['admin', 'admin@demo.roots.invalid'], ['commissioner', 'commissioner@demo.roots.invalid'], ['analyst', 'analyst@demo.roots.invalid']] as const) {
    const user = await store.db.selectFrom('staff_user').select(['id', 'organisation_id', 'role']).where('email', '=', email).executeTakeFirstOrThrow();
    staff[key] = { kind: 'staff', userId: user.id, organisationId: user.organisation_id, role: user.role };
  }
});
afterAll(async () => store?.close());

const at = (iso: string) => new Date(iso);
const setPolicy = (policy: { clock_did_not_attend?: 'restart' | 'pause' | 'ignore'; clock_patient_cancelled?: 'restart' | 'pause' | 'ignore' }) =>
  store.db.updateTable('service').set(policy).where('id', '=', service.id).execute();
const episodeRow = (id: number) =>
  store.db
    .selectFrom('episode')
    .select(['clock_started_on', 'clock_stopped_on', 'clock_paused_since', 'paused_days', 'first_contact_on', 'contacts_attended', 'contacts_did_not_attend', 'contacts_cancelled'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
const clockEvents = (id: number) => store.db.selectFrom('waiting_clock_event').select(['occurred_on', 'kind', 'reason']).where('episode_id', '=', id).orderBy('occurred_on').orderBy('id').execute();
async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isRootsError(error)) return error.code;
    throw error;
  }
  return 'no error';
}
const book = (actor: Actor, episodeId: number, day: string, time: string, staffUserId = staff.ot1!.userId, durationMinutes = 60) =>
  bookContact(store.db, actor, episodeId, { staffUserId, day, time, durationMinutes, mode: 'in_person', location: null }, at(`${day}T07:00:00Z`));
const versionOf = async (contactId: number) => (await store.db.selectFrom('contact').select('version').where('id', '=', contactId).executeTakeFirstOrThrow()).version;

describe(`caseload and contacts (${testEngine})`, () => {
  it('books an appointment in the diary and refuses a clash for the same therapist, not for another', async () => {
    const { episodeId } = await waitingEpisode(store.db, service, 'book-1', { allocatedTo: staff.ot1!.userId });
    const first = await book(staff.ot1!, episodeId, '2026-11-02', '10:00');
    const stored = await store.db.selectFrom('contact').selectAll().where('id', '=', first.contactId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ attendance: 'scheduled', mode: 'in_person', duration_minutes: 60, staff_user_id: staff.ot1!.userId, booked_by: staff.ot1!.userId, version: 1 });
    // 10:00 UK time in November is 10:00 UTC.
    expect(new Date(stored.starts_at).toISOString()).toBe('2026-11-02T10:00:00.000Z');
    expect(await errorOf(book(staff.ot1!, episodeId, '2026-11-02', '10:30'))).toBe('CONFLICT');
    expect(await errorOf(book(staff.lead!, episodeId, '2026-11-02', '09:30', staff.ot1!.userId))).toBe('CONFLICT');
    // Back to back is fine; another therapist at the same time is fine.
    await book(staff.ot1!, episodeId, '2026-11-02', '11:00');
    await book(staff.lead!, episodeId, '2026-11-02', '10:00', staff.ot2!.userId);
    const count = await store.db.selectFrom('contact').select((eb) => eb.fn.countAll<number>().as('n')).where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });

  it('under a restart policy a did-not-attend restarts the clock; the first attended contact stops it and counts', async () => {
    await setPolicy({ clock_did_not_attend: 'restart' });
    const { episodeId, referralId } = await waitingEpisode(store.db, service, 'restart-1', { receivedOn: '2026-10-01', allocatedTo: staff.ot1!.userId });
    const first = await book(staff.ot1!, episodeId, '2026-10-20', '14:00');
    const dna = await recordAttendance(store.db, staff.ot1!, episodeId, first.contactId, { attendance: 'did_not_attend', expectedVersion: 1 }, at('2026-10-20T16:00:00Z'));
    expect(dna.events).toEqual([{ occurredOn: '2026-10-20', kind: 'pause', reason: 'did_not_attend' }]);
    expect(dna.clock!.startedOn).toBe('2026-10-20');
    expect(dna.clock!.rulesApplied).toContain('did_not_attend on 2026-10-20: clock restarted');
    let row = await episodeRow(episodeId);
    expect(row).toMatchObject({ clock_started_on: '2026-10-20', clock_paused_since: null, contacts_did_not_attend: 1, contacts_attended: 0, first_contact_on: null });
    // Booking again after a restart resumes nothing (no pause is open).
    const second = await book(staff.ot1!, episodeId, '2026-11-03', '09:00');
    expect(second.clock).toBeNull();
    const attended = await recordAttendance(
      store.db,
      staff.ot1!,
      episodeId,
      second.contactId,
      { attendance: 'attended', expectedVersion: 1, durationMinutes: 45, interventions: [{ kind: 'self_management', detail: 'Energy conservation plan' }] },
      at('2026-11-03T12:00:00Z'),
    );
    expect(attended.events).toEqual([{ occurredOn: '2026-11-03', kind: 'stop', reason: 'first_contact' }]);
    expect(attended.clock).toMatchObject({ startedOn: '2026-10-20', stoppedOn: '2026-11-03', waitDays: 14 });
    row = await episodeRow(episodeId);
    expect(row).toMatchObject({ clock_stopped_on: '2026-11-03', first_contact_on: '2026-11-03', contacts_attended: 1, contacts_did_not_attend: 1 });
    const referral = await store.db.selectFrom('referral').select('status').where('id', '=', referralId).executeTakeFirstOrThrow();
    expect(referral.status).toBe('in_treatment');
    const interventions = await store.db.selectFrom('intervention').select(['kind', 'detail']).where('contact_id', '=', second.contactId).execute();
    expect(interventions).toEqual([{ kind: 'self_management', detail: 'Energy conservation plan' }]);
    // After the first contact a did-not-attend counts, but the clock stays stopped.
    const third = await book(staff.ot1!, episodeId, '2026-11-10', '09:00');
    const later = await recordAttendance(store.db, staff.ot1!, episodeId, third.contactId, { attendance: 'did_not_attend', expectedVersion: 1 }, at('2026-11-10T12:00:00Z'));
    expect(later.events).toEqual([]);
    row = await episodeRow(episodeId);
    expect(row).toMatchObject({ clock_stopped_on: '2026-11-03', contacts_did_not_attend: 2 });
    expect((await clockEvents(episodeId)).map((e) => `${e.kind}:${e.reason}`)).toEqual(['start:referral_received', 'pause:did_not_attend', 'stop:first_contact']);
  });

  it('under a pause policy a did-not-attend pauses the clock and booking again resumes it', async () => {
    await setPolicy({ clock_did_not_attend: 'pause' });
    const { episodeId } = await waitingEpisode(store.db, service, 'pause-1', { receivedOn: '2026-10-01', allocatedTo: staff.ot1!.userId });
    const first = await book(staff.ot1!, episodeId, '2026-10-12', '11:00');
    const dna = await recordAttendance(store.db, staff.ot1!, episodeId, first.contactId, { attendance: 'did_not_attend', expectedVersion: 1 }, at('2026-10-12T15:00:00Z'));
    expect(dna.clock).toMatchObject({ startedOn: '2026-10-01', pausedSince: '2026-10-12' });
    expect(dna.clock!.rulesApplied.join(' ')).toMatch(/did_not_attend on 2026-10-12: clock paused/);
    expect((await episodeRow(episodeId)).clock_paused_since).toBe('2026-10-12');
    // Booked on 2026-10-19 (the booking's "now"): the clock resumes that day, 7 days paused.
    const again = await bookContact(store.db, staff.ot1!, episodeId, { staffUserId: staff.ot1!.userId, day: '2026-10-26', time: '11:00', durationMinutes: 30, mode: 'phone' }, at('2026-10-19T09:00:00Z'));
    expect(again.clock).toMatchObject({ pausedSince: null, pausedDays: 7 });
    expect(await episodeRow(episodeId)).toMatchObject({ clock_paused_since: null, paused_days: 7, clock_started_on: '2026-10-01' });
    const attended = await recordAttendance(store.db, staff.ot1!, episodeId, again.contactId, { attendance: 'attended', expectedVersion: 1 }, at('2026-10-26T12:00:00Z'));
    // 25 calendar days less 7 paused.
    expect(attended.clock).toMatchObject({ stoppedOn: '2026-10-26', waitDays: 18 });
    expect((await clockEvents(episodeId)).map((e) => `${e.occurred_on} ${e.kind}:${e.reason}`)).toEqual([
      '2026-10-01 start:referral_received',
      '2026-10-12 pause:did_not_attend',
      '2026-10-19 resume:available_again',
      '2026-10-26 stop:first_contact',
    ]);
  });

  it('under an ignore policy a did-not-attend leaves the clock running; a cancellation by the person follows its own policy', async () => {
    await setPolicy({ clock_did_not_attend: 'ignore', clock_patient_cancelled: 'restart' });
    const { episodeId } = await waitingEpisode(store.db, service, 'ignore-1', { receivedOn: '2026-10-01', allocatedTo: staff.ot1!.userId });
    const first = await book(staff.ot1!, episodeId, '2026-10-05', '15:00');
    const dna = await recordAttendance(store.db, staff.ot1!, episodeId, first.contactId, { attendance: 'did_not_attend', expectedVersion: 1 }, at('2026-10-05T18:00:00Z'));
    expect(dna.clock).toMatchObject({ startedOn: '2026-10-01', pausedSince: null, pausedDays: 0 });
    expect(dna.clock!.rulesApplied).toContain('did_not_attend on 2026-10-05: clock ran on');
    const second = await book(staff.ot1!, episodeId, '2026-10-15', '15:00');
    // Cancelled by the person on 2026-10-08, ahead of the day: the restart is from the cancellation.
    const cancelled = await recordAttendance(store.db, staff.ot1!, episodeId, second.contactId, { attendance: 'patient_cancelled', expectedVersion: 1 }, at('2026-10-08T10:00:00Z'));
    expect(cancelled.events).toEqual([{ occurredOn: '2026-10-08', kind: 'pause', reason: 'patient_cancelled' }]);
    expect(await episodeRow(episodeId)).toMatchObject({ clock_started_on: '2026-10-08', contacts_cancelled: 1, contacts_did_not_attend: 1 });
    // A cancellation by the service counts but moves no clock.
    const third = await book(staff.ot1!, episodeId, '2026-10-22', '15:00');
    const byService = await recordAttendance(store.db, staff.ot1!, episodeId, third.contactId, { attendance: 'provider_cancelled', expectedVersion: 1 }, at('2026-10-10T10:00:00Z'));
    expect(byService).toMatchObject({ events: [], clock: null });
    expect(await episodeRow(episodeId)).toMatchObject({ clock_started_on: '2026-10-08', contacts_cancelled: 2 });
    await setPolicy({ clock_did_not_attend: 'restart', clock_patient_cancelled: 'restart' });
  });

  it('refuses a stale version, a second recording, and attendance before the appointment', async () => {
    const { episodeId } = await waitingEpisode(store.db, service, 'stale-1', { allocatedTo: staff.ot1!.userId });
    const booked = await book(staff.ot1!, episodeId, '2026-11-16', '13:00');
    expect(await errorOf(recordAttendance(store.db, staff.ot1!, episodeId, booked.contactId, { attendance: 'attended', expectedVersion: 1 }, at('2026-11-15T12:00:00Z')))).toBe('VALIDATION_FAILED');
    expect(await errorOf(recordAttendance(store.db, staff.ot1!, episodeId, booked.contactId, { attendance: 'attended', expectedVersion: 2 }, at('2026-11-16T15:00:00Z')))).toBe('CONFLICT');
    await recordAttendance(store.db, staff.lead!, episodeId, booked.contactId, { attendance: 'attended', expectedVersion: 1 }, at('2026-11-16T15:00:00Z'));
    // The therapist's form was still on version 1: refused, nothing counted twice.
    expect(await errorOf(recordAttendance(store.db, staff.ot1!, episodeId, booked.contactId, { attendance: 'did_not_attend', expectedVersion: 1 }, at('2026-11-16T15:00:00Z')))).toBe('CONFLICT');
    expect(await versionOf(booked.contactId)).toBe(2);
    expect(await episodeRow(episodeId)).toMatchObject({ contacts_attended: 1, contacts_did_not_attend: 0 });
    expect(await errorOf(recordAttendance(store.db, staff.ot1!, episodeId, booked.contactId + 10_000, { attendance: 'attended', expectedVersion: 1 }, at('2026-11-16T15:00:00Z')))).toBe('NOT_FOUND');
    // Interventions only for an attended contact; added later to an attended one.
    expect(await addInterventions(store.db, staff.ot1!, episodeId, booked.contactId, [{ kind: 'signposting', detail: 'Local walking group' }])).toBe(1);
  });

  it('lets therapists of the service read, only the allocated therapist, team leads and administrators write; commissioners and analysts never', async () => {
    const { episodeId } = await waitingEpisode(store.db, service, 'access-1', { allocatedTo: staff.ot1!.userId });
    const view = await viewEpisode(store.db, staff.ot2!, episodeId, '2026-11-20');
    expect(view.mayWrite).toBe(false);
    expect((await viewEpisode(store.db, staff.ot1!, episodeId, '2026-11-20')).mayWrite).toBe(true);
    expect(await errorOf(book(staff.ot2!, episodeId, '2026-11-20', '10:00', staff.ot2!.userId))).toBe('FORBIDDEN');
    expect(await errorOf(addNote(store.db, staff.ot2!, episodeId, { note: 'Not mine' }))).toBe('FORBIDDEN');
    expect(await errorOf(viewEpisode(store.db, staff.commissioner!, episodeId, '2026-11-20'))).toBe('NOT_FOUND');
    expect(await errorOf(viewEpisode(store.db, staff.analyst!, episodeId, '2026-11-20'))).toBe('FORBIDDEN');
    expect(await errorOf(caseloadOf(store.db, staff.commissioner!, at('2026-11-20T09:00:00Z')))).toBe('FORBIDDEN');
    await book(staff.admin!, episodeId, '2026-11-20', '16:00', staff.ot1!.userId);
    const denied = await store.db.selectFrom('audit_event').select(['actor', 'subject_kind', 'detail']).where('action', '=', 'denied').where('subject_kind', '=', 'episode').where('subject_id', '=', String(episodeId)).execute();
    expect(denied.map((row) => row.actor).sort()).toEqual([`staff:${staff.analyst!.userId}`, `staff:${staff.commissioner!.userId}`, `staff:${staff.ot2!.userId}`, `staff:${staff.ot2!.userId}`].sort());
    const reads = await store.db.selectFrom('audit_event').select('actor').where('action', '=', 'read').where('subject_kind', '=', 'episode').where('subject_id', '=', String(episodeId)).execute();
    expect(reads).toHaveLength(2);
  });

  it('keeps goals and append-only notes, audited', async () => {
    const { episodeId } = await waitingEpisode(store.db, service, 'goals-1', { allocatedTo: staff.ot1!.userId });
    const goalId = await addGoal(store.db, staff.ot1!, episodeId, { goal: 'Make a hot drink safely', setOn: '2026-11-02' });
    expect(await errorOf(addGoal(store.db, staff.ot1!, episodeId, { goal: '  ', setOn: '2026-11-02' }))).toBe('VALIDATION_FAILED');
    expect(await setGoalStatus(store.db, staff.ot1!, episodeId, goalId, { status: 'achieved', expectedVersion: 1 }, '2026-11-20')).toBe(2);
    expect(await errorOf(setGoalStatus(store.db, staff.lead!, episodeId, goalId, { status: 'withdrawn', expectedVersion: 1 }, '2026-11-20'))).toBe('CONFLICT');
    const noteId = await addNote(store.db, staff.ot1!, episodeId, { note: 'Discussed kitchen layout.' });
    await expect(store.db.updateTable('episode_note').set({ note: 'changed' }).where('id', '=', noteId).execute()).rejects.toThrow(/append-only/);
    const view = await viewEpisode(store.db, staff.ot1!, episodeId, '2026-11-20');
    expect(view.goals).toMatchObject([{ goal: 'Make a hot drink safely', status: 'achieved', statusOn: '2026-11-20', version: 2 }]);
    expect(view.notes).toMatchObject([{ note: 'Discussed kitchen layout.', author: 'Sam Hughes' }]);
    const changes = await store.db.selectFrom('audit_event').select(['action', 'subject_kind']).where('subject_kind', 'in', ['episode_goal', 'episode_note']).where('actor', '=', `staff:${staff.ot1!.userId}`).execute();
    expect(changes.map((c) => `${c.action} ${c.subject_kind}`).sort()).toEqual(['create episode_goal', 'create episode_note', 'update episode_goal']);
    // A subject access export holds them too, with their trail.
    const exported = await subjectAccessExport(store.db, { kind: 'system', name: 'test' }, { organisationCode: demoOrganisationCode, sourcePersonId: 'P-goals-1' });
    expect(exported.people[0]!.goals).toMatchObject([{ id: goalId, goal: 'Make a hot drink safely' }]);
    expect(exported.people[0]!.notes).toMatchObject([{ id: noteId, note: 'Discussed kitchen layout.' }]);
    expect(exported.people[0]!.auditTrail.filter((event) => event.subjectKind === 'episode_goal')).toHaveLength(2);
  });

  it('shows the therapist their caseload with next appointment and today’s diary, audited', async () => {
    const { episodeId } = await waitingEpisode(store.db, service, 'caseload-1', { receivedOn: '2026-11-01', allocatedTo: staff.ot1!.userId });
    await book(staff.ot1!, episodeId, '2026-12-01', '08:00');
    const caseload = await caseloadOf(store.db, staff.ot1!, at('2026-12-01T07:30:00Z'));
    const entry = caseload.entries.find((e) => e.episodeId === episodeId)!;
    expect(new Date(entry.nextAppointment!).toISOString()).toBe('2026-12-01T08:00:00.000Z');
    expect(entry.waitDays).toBe(30);
    expect(caseload.diary.map((d) => d.episodeId)).toContain(episodeId);
    expect(caseload.entries.every((e) => e.episodeId)).toBe(true);
    const other = await caseloadOf(store.db, staff.ot2!, at('2026-12-01T07:30:00Z'));
    expect(other.entries.find((e) => e.episodeId === episodeId)).toBeUndefined();
    const audit = await store.db.selectFrom('audit_event').select(['detail']).where('action', '=', 'read').where('subject_kind', '=', 'caseload').where('subject_id', '=', String(staff.ot1!.userId)).execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('shows recorded contacts in the equity audit’s facts without an import', async () => {
    await setPolicy({ clock_did_not_attend: 'pause' });
    const { episodeId, referralId } = await waitingEpisode(store.db, service, 'facts-1', { receivedOn: '2026-09-01', allocatedTo: staff.ot1!.userId });
    const first = await book(staff.ot1!, episodeId, '2026-09-10', '10:00');
    await recordAttendance(store.db, staff.ot1!, episodeId, first.contactId, { attendance: 'did_not_attend', expectedVersion: 1 }, at('2026-09-10T12:00:00Z'));
    const second = await bookContact(store.db, staff.ot1!, episodeId, { staffUserId: staff.ot1!.userId, day: '2026-09-24', time: '10:00', durationMinutes: 60, mode: 'video' }, at('2026-09-14T09:00:00Z'));
    await recordAttendance(store.db, staff.ot1!, episodeId, second.contactId, { attendance: 'attended', expectedVersion: 1 }, at('2026-09-24T12:00:00Z'));
    await refreshReferralFacts(store.db);
    const fact = await store.db.selectFrom('referral_fact').select(['attended', 'did_not_attend', 'first_contact_on', 'clock_started_on', 'clock_stopped_on', 'paused_days']).where('referral_id', '=', referralId).executeTakeFirstOrThrow();
    expect(fact).toEqual({ attended: 1, did_not_attend: 1, first_contact_on: '2026-09-24', clock_started_on: '2026-09-01', clock_stopped_on: '2026-09-24', paused_days: 4 });
    await setPolicy({ clock_did_not_attend: 'restart' });
  });

  it('gives the demo therapist a small caseload on the first run, once', async () => {
    const now = at('2026-12-07T08:00:00Z');
    expect(await addDemoCaseload(store, service, { kind: 'system', name: 'first-run' }, now)).toBe(3);
    expect(await addDemoCaseload(store, service, { kind: 'system', name: 'first-run' }, now)).toBe(0);
    const caseload = await caseloadOf(store.db, staff.ot1!, now);
    const demo = caseload.entries.filter((entry) => entry.reference.startsWith('DEMO-CASELOAD-'));
    expect(demo.map((entry) => entry.reference).sort()).toEqual(['DEMO-CASELOAD-1', 'DEMO-CASELOAD-2', 'DEMO-CASELOAD-3']);
    expect(demo.filter((entry) => entry.nextAppointment !== null)).toHaveLength(2);
    expect(caseload.diary.filter((row) => row.reference === 'DEMO-CASELOAD-1')).toHaveLength(1);
  });
});
