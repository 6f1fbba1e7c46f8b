import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitingEpisode } from '../../../test/support/caseload.fixture.ts';
import { testConfig } from '../../../test/support/config.ts';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { createStaffUser, signIn, type TestStaffUser } from '../../../test/support/sign-in.ts';
import { buildApp } from '../app.ts';

const form = 'application/x-www-form-urlencoded';

// Given an episode allocated to a therapist in a service whose policy pauses the clock on a
// did-not-attend, when the therapist uses the caseload pages, then booking, a clash, attendance
// with the clock's rule shown, interventions, goals and notes all go through the forms; another
// therapist of the service sees the episode read-only and is refused a change.
describe(`caseload pages on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let episodeId: number;
  let ot: TestStaffUser;
  let other: TestStaffUser;
  let otSession: { cookie: string; csrfToken: string };
  let otherSession: { cookie: string; csrfToken: string };

  beforeAll(async () => {
    store = await createTestStore();
    const mine = (await store.db.insertInto('organisation').values({ code: 'MINE', name: 'Mine' }).returning('id').executeTakeFirstOrThrow()).id;
    const serviceId = (await store.db.insertInto('service').values({ organisation_id: mine, code: 'ot', name: 'Mine OT', setting: 'primary_care', clock_did_not_attend: 'pause' }).returning('id').executeTakeFirstOrThrow()).id;
    ot = await createStaffUser(store, { organisationId: mine, role: 'therapist', displayName: 'Sam Hughes' });
    other = await createStaffUser(store, { organisationId: mine, role: 'therapist', displayName: 'Priya Shah' });
    ({ episodeId } = await waitingEpisode(store.db, { id: serviceId, organisationId: mine }, 'CASE-1', { receivedOn: '2026-11-01', allocatedTo: ot.id }));
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21', now: () => new Date('2026-11-21T12:00:00Z') });
    otSession = await signIn(app, ot.email, ot.password);
    otherSession = await signIn(app, other.email, other.password);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const get = (url: string, who: { cookie: string }) => app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  const post = (url: string, fields: Record<string, string | string[]>, who: { cookie: string; csrfToken: string }) => {
    const body = new URLSearchParams({ _csrf: who.csrfToken });
    for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(key, one);
    return app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': form }, payload: body.toString() });
  };
  const booking = (time: string, day = '21') => ({ 'day-day': day, 'day-month': '11', 'day-year': '2026', time, duration: '60', mode: 'home_visit', therapist: String(ot.id), location: 'Home' });
  const contactIds = async () => (await store.db.selectFrom('contact').select('id').where('episode_id', '=', episodeId).orderBy('id').execute()).map((row) => row.id);

  it('lists the allocated episode on the caseload, with the Caseload link in the header', async () => {
    const page = await get('/caseload', otSession);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`href="/episodes/${episodeId}"`);
    expect(page.body).toContain('href="/caseload"');
    expect(page.body).toContain('Waiting 20 days');
    const theirs = await get('/caseload', otherSession);
    expect(theirs.body).not.toContain(`href="/episodes/${episodeId}"`);
  });

  it('books, refuses a clash with the error summary, records a did-not-attend that pauses the clock and shows the rule', async () => {
    const empty = await post(`/episodes/${episodeId}/contacts`, { ...booking('25:00'), mode: '' }, otSession);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('href="#time"');
    expect(empty.body).toContain('href="#mode"');
    const booked = await post(`/episodes/${episodeId}/contacts`, booking('09:00'), otSession);
    expect(booked.statusCode).toBe(303);
    expect(booked.headers.location).toBe(`/episodes/${episodeId}?saved=booked#contacts`);
    const clash = await post(`/episodes/${episodeId}/contacts`, booking('09:30'), otSession);
    expect(clash.statusCode).toBe(409);
    expect(clash.body).toContain('The therapist already has an appointment at that time');
    const [contactId] = await contactIds();
    const dna = await post(`/episodes/${episodeId}/contacts/${contactId}/attendance`, { version: '1', attendance: 'did_not_attend' }, otSession);
    expect(dna.statusCode).toBe(303);
    expect(dna.headers.location).toBe(`/episodes/${episodeId}?saved=attendance&clock=changed#contacts`);
    const page = await get(dna.headers.location as string, otSession);
    expect(page.body).toContain('The waiting time clock has changed');
    expect(page.body).toMatch(/data-testid="clock-paused-since">2026-11-21</);
    expect(page.body).toContain('did_not_attend on 2026-11-21: clock paused');
    // The same form again: stale, 409, nothing counted twice.
    const stale = await post(`/episodes/${episodeId}/contacts/${contactId}/attendance`, { version: '1', attendance: 'attended' }, otSession);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this while you were looking at it');
    const row = await store.db.selectFrom('episode').select(['contacts_did_not_attend', 'contacts_attended']).where('id', '=', episodeId).executeTakeFirstOrThrow();
    expect(row).toEqual({ contacts_did_not_attend: 1, contacts_attended: 0 });
    // Welsh.
    const welsh = await get(`/episodes/${episodeId}?lang=cy`, otSession);
    expect(welsh.body).toContain('Cloc yr amser aros');
    expect(welsh.body).toContain('Heb ddod');
  });

  it('books again (the clock resumes) and records an attended contact with an intervention', async () => {
    const booked = await post(`/episodes/${episodeId}/contacts`, booking('11:00'), otSession);
    expect(booked.headers.location).toBe(`/episodes/${episodeId}?saved=booked&clock=changed#contacts`);
    const contactId = (await contactIds()).at(-1)!;
    const wrong = await post(`/episodes/${episodeId}/contacts/${contactId}/attendance`, { version: '1', attendance: 'did_not_attend', interventions: 'life_skills' }, otSession);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain(`href="#contact-${contactId}-interventions"`);
    const attended = await post(`/episodes/${episodeId}/contacts/${contactId}/attendance`, { version: '1', attendance: 'attended', interventions: ['life_skills', 'signposting'], detail: 'Cooking', duration: '50' }, otSession);
    expect(attended.statusCode).toBe(303);
    const page = await get(`/episodes/${episodeId}`, otSession);
    expect(page.body).toMatch(/data-testid="clock-stopped">2026-11-21</);
    expect(page.body).toContain('Life skills: Cooking');
    expect(page.body).toContain('1 attended, 1 did not attend, 0 cancelled');
  });

  it('adds goals and notes; another therapist sees the episode read-only and is refused', async () => {
    expect((await post(`/episodes/${episodeId}/goals`, { goal: '', 'setOn-day': '21', 'setOn-month': '11', 'setOn-year': '2026' }, otSession)).statusCode).toBe(400);
    expect((await post(`/episodes/${episodeId}/goals`, { goal: 'Get back to the allotment', 'setOn-day': '21', 'setOn-month': '11', 'setOn-year': '2026' }, otSession)).statusCode).toBe(303);
    const goal = await store.db.selectFrom('episode_goal').select('id').where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    expect((await post(`/episodes/${episodeId}/goals/${goal.id}`, { version: '1', status: 'partly_achieved' }, otSession)).statusCode).toBe(303);
    expect((await post(`/episodes/${episodeId}/notes`, { note: 'Spoke to daughter.' }, otSession)).statusCode).toBe(303);
    const page = await get(`/episodes/${episodeId}`, otherSession);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="read-only"');
    expect(page.body).toContain('Partly achieved');
    expect(page.body).toContain('Spoke to daughter.');
    expect(page.body).not.toContain('data-testid="book-form"');
    expect((await post(`/episodes/${episodeId}/notes`, { note: 'Not my patient' }, otherSession)).statusCode).toBe(403);
    const denied = await store.db.selectFrom('audit_event').select('actor').where('action', '=', 'denied').where('subject_kind', '=', 'episode').execute();
    expect(denied).toEqual([{ actor: `staff:${other.id}` }]);
  });
});
