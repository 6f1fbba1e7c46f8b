import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/config.ts';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { createStaffUser, csrfTokenIn, signIn, type TestStaffUser } from '../../../test/support/sign-in.ts';
import { receivedReferral, writeReceived } from '../../../test/support/triage.fixture.ts';
import { auditAggregates } from '../../equity/audit/audit.engine.ts';
import { buildApp } from '../app.ts';

const form = 'application/x-www-form-urlencoded';

// Given a service with referrals awaiting triage and staff of every role, when the triage pages
// are used, then therapists and team leads see the queue ordered by risk and triage through the
// form; decisions are versioned rows; of two people triaging at once only the first wins; other
// roles are refused and the refusal audited; every view is audited; and the equity audit's
// triage breakdown counts the decision made on the page.
describe(`triage pages on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let serviceId: number;
  let ids: Map<string, number>;
  let ot: TestStaffUser;
  let lead: TestStaffUser;
  let admin: TestStaffUser;
  let outsider: TestStaffUser;

  beforeAll(async () => {
    store = await createTestStore();
    const mine = (await store.db.insertInto('organisation').values({ code: 'MINE', name: 'Mine' }).returning('id').executeTakeFirstOrThrow()).id;
    const theirs = (await store.db.insertInto('organisation').values({ code: 'THEIRS', name: 'Theirs' }).returning('id').executeTakeFirstOrThrow()).id;
    serviceId = (await store.db.insertInto('service').values({ organisation_id: mine, code: 'ot', name: 'Mine OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow()).id;
    ot = await createStaffUser(store, { organisationId: mine, role: 'therapist', displayName: 'Sam Hughes' });
    lead = await createStaffUser(store, { organisationId: mine, role: 'team_lead', displayName: 'Lee Lead' });
    admin = await createStaffUser(store, { organisationId: mine, role: 'administrator' });
    outsider = await createStaffUser(store, { organisationId: theirs, role: 'therapist' });
    ids = await writeReceived(store.db, { id: serviceId, organisationId: mine }, [
      receivedReferral('R-LOW', { receivedOn: '2026-11-01' }),
      receivedReferral('R-OLD-LOW', { receivedOn: '2026-10-01' }),
      receivedReferral('R-HIGH', { receivedOn: '2026-11-10', urgent: true, livesAlone: true, dateOfBirth: '1940-01-01' }),
      receivedReferral('R-MID', { receivedOn: '2026-11-05', livesAlone: true }),
      receivedReferral('R-NFA', { receivedOn: '2026-11-06', noFixedAddress: true }),
    ]);
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, fields: Record<string, string>, who: { cookie: string; csrfToken: string }) =>
    app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': form }, payload: new URLSearchParams({ _csrf: who.csrfToken, ...fields }).toString() });
  const decision = (version: string, fields: Record<string, string> = {}) => ({
    version,
    'triagedOn-day': '21',
    'triagedOn-month': '11',
    'triagedOn-year': '2026',
    pathway: 'frailty_falls',
    outcome: 'accept',
    priority: 'P2',
    ...fields,
  });
  const versionIn = (html: string) => /name="version" value="(\d+)"/.exec(html)![1]!;

  it('lists the queue by risk score, then oldest first, with each referral\'s flags, and audits the read', async () => {
    const session = await signIn(app, ot.email, ot.password);
    const services = await get('/triage', session.cookie);
    expect(services.statusCode).toBe(200);
    expect(services.body).toContain('href="/services/ot/triage"');
    expect(services.body).toContain('href="/triage"'); // the header's Triage link
    const queue = await get('/services/ot/triage', session.cookie);
    expect(queue.statusCode).toBe(200);
    const order = [...queue.body.matchAll(/data-referral="(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toEqual(['R-HIGH', 'R-NFA', 'R-MID', 'R-OLD-LOW', 'R-LOW'].map((ref) => ids.get(ref)));
    const scores = [...queue.body.matchAll(/data-score="(\d+)"/g)].map((m) => Number(m[1]));
    expect(scores).toEqual([5 + 2 + 2, 3, 2, 0, 0]);
    const read = await store.db.selectFrom('audit_event').select(['subject_kind', 'subject_id', 'detail']).where('action', '=', 'read').where('subject_kind', '=', 'triage_queue').execute();
    expect(read).toHaveLength(1);
    expect(read[0]!.subject_id).toBe(String(serviceId));
  });

  it('filters by flag and by unknown area with a plain GET form', async () => {
    const session = await signIn(app, ot.email, ot.password);
    const livesAlone = await get('/services/ot/triage?show=untriaged&flag=lives_alone', session.cookie);
    expect([...livesAlone.body.matchAll(/data-referral="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([ids.get('R-HIGH'), ids.get('R-MID')]);
    const two = await get('/services/ot/triage?flag=lives_alone&flag=urgent', session.cookie);
    expect([...two.body.matchAll(/data-referral="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([ids.get('R-HIGH')]);
    expect(two.body).toMatch(/name="flag"[^>]*value="urgent"[^>]*checked|value="urgent"[^>]*checked/);
    const unknownArea = await get('/services/ot/triage?unknownArea=yes', session.cookie);
    expect([...unknownArea.body.matchAll(/data-referral="/g)]).toHaveLength(5);
    const triaged = await get('/services/ot/triage?show=triaged', session.cookie);
    expect(triaged.body).toContain('data-testid="queue-empty"');
  });

  it('shows one referral with its flags explained and records the view', async () => {
    const session = await signIn(app, ot.email, ot.password);
    const id = ids.get('R-HIGH')!;
    const page = await get(`/referrals/${id}/triage`, session.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-flag="urgent"');
    expect(page.body).toContain('data-flag="lives_alone"');
    expect(page.body).toContain('The person was 86 when referred (80 or over).');
    expect(page.body).toMatch(/data-testid="risk-score">9</);
    expect(page.body).toContain('data-testid="no-history"');
    const welsh = await get(`/referrals/${id}/triage?lang=cy`, session.cookie);
    expect(welsh.body).toContain('Roedd yr unigolyn yn 86 oed');
    const views = await store.db.selectFrom('audit_event').select('detail').where('action', '=', 'read').where('subject_kind', '=', 'referral').where('subject_id', '=', String(id)).execute();
    expect(views).toHaveLength(2);
  });

  it('records decisions as versioned rows with history, and the second of two at once gets the conflict message', async () => {
    const id = ids.get('R-MID')!;
    const first = await signIn(app, ot.email, ot.password);
    const second = await signIn(app, lead.email, lead.password);
    // Both open the page on the same version of the referral.
    const seenByFirst = versionIn((await get(`/referrals/${id}/triage`, first.cookie)).body);
    const seenBySecond = versionIn((await get(`/referrals/${id}/triage`, second.cookie)).body);
    expect(seenBySecond).toBe(seenByFirst);
    const won = await post(`/referrals/${id}/triage`, decision(seenByFirst, { notes: 'lives alone, falls at home' }), first);
    expect(won.statusCode).toBe(303);
    expect(won.headers.location).toBe(`/referrals/${id}/triage?saved=1`);
    const lost = await post(`/referrals/${id}/triage`, decision(seenBySecond, { outcome: 'advice_discharge', priority: '' }), second);
    expect(lost.statusCode).toBe(409);
    expect(lost.body).toContain('nhsuk-error-summary');
    expect(lost.body).toContain('Someone else triaged this referral while you were looking at it.');
    expect(lost.body).toContain('href="#history"');
    expect(lost.body).toMatch(/data-testid="history-outcome">Accept to waiting list</);
    // One decision stored; the referral is on the waiting list; the loser's decision is nowhere.
    let rows = await store.db.selectFrom('triage_decision').selectAll().where('referral_id', '=', id).orderBy('version').execute();
    expect(rows.map((r) => [r.version, r.outcome, r.decided_by])).toEqual([[1, 'accept', ot.id]]);
    expect(rows[0]!.risk_flags).toEqual(['lives_alone']);
    // The lead triages again from the fresh page: decision 2, and the history shows both.
    const fresh = versionIn(lost.body);
    expect(Number(fresh)).toBeGreaterThan(Number(seenBySecond));
    const again = await post(`/referrals/${id}/triage`, decision(fresh, { priority: 'P1' }), second);
    expect(again.statusCode).toBe(303);
    rows = await store.db.selectFrom('triage_decision').selectAll().where('referral_id', '=', id).orderBy('version').execute();
    expect(rows.map((r) => [r.version, r.priority, r.decided_by])).toEqual([[1, 'P2', ot.id], [2, 'P1', lead.id]]);
    const page = await get(`/referrals/${id}/triage?saved=2`, second.cookie);
    expect(page.body).toContain('Decision 2');
    expect(page.body).toContain('Decision 1');
    expect(page.body).toContain('Decided by Lee Lead');
    expect(page.body).toContain('target: seen by 2026-11-23');
    const current = await store.db.selectFrom('triage').selectAll().where('referral_id', '=', id).executeTakeFirstOrThrow();
    expect(current).toMatchObject({ priority: 'P1', recorded_in: 'roots', triaged_by: lead.id });
    const referral = await store.db.selectFrom('referral').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(referral.status).toBe('waiting');
    // Decisions are append-only.
    await expect(store.db.updateTable('triage_decision').set({ notes: 'changed' }).where('referral_id', '=', id).execute()).rejects.toThrow(/append-only/);
  });

  it('shows every problem in the error summary, in the page\'s language, and saves nothing', async () => {
    const id = ids.get('R-LOW')!;
    const session = await signIn(app, ot.email, ot.password);
    const version = versionIn((await get(`/referrals/${id}/triage`, session.cookie)).body);
    const bad = await post(`/referrals/${id}/triage`, decision(version, { 'triagedOn-day': '31', 'triagedOn-month': '2', pathway: '', outcome: 'return_to_referrer', priority: '' }), session);
    expect(bad.statusCode).toBe(400);
    for (const [href, text] of [['#triagedOn-day', 'Enter the date of the decision as a real date'], ['#pathway', 'Select a pathway'], ['#reason', 'Enter the reason for returning the referral']]) {
      expect(bad.body).toContain(`href="${href}"`);
      expect(bad.body).toContain(text);
    }
    const accepted = await post(`/referrals/${id}/triage?lang=cy`, decision(version, { priority: '' }), session);
    expect(accepted.statusCode).toBe(400);
    expect(accepted.body).toContain('Dewiswch flaenoriaeth i dderbyn yr atgyfeiriad i’r rhestr aros');
    expect(accepted.body).toContain('Mae problem');
    const early = await post(`/referrals/${id}/triage`, decision(version, { 'triagedOn-day': '1', 'triagedOn-month': '10' }), session);
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('must be on or after the day the referral was received');
    // Without the CSRF token, nothing happens either.
    const forged = await app.inject({ method: 'POST', url: `/referrals/${id}/triage`, headers: { cookie: session.cookie, 'content-type': form }, payload: new URLSearchParams(decision(version)).toString() });
    expect(forged.statusCode).toBe(403);
    expect(await store.db.selectFrom('triage_decision').select('id').where('referral_id', '=', id).execute()).toHaveLength(0);
  });

  it('refuses other roles and organisations, and audits each refusal', async () => {
    const id = ids.get('R-NFA')!;
    const asAdmin = await signIn(app, admin.email, admin.password);
    const asOutsider = await signIn(app, outsider.email, outsider.password);
    expect((await get('/triage', asAdmin.cookie)).statusCode).toBe(403);
    expect((await get('/triage', asAdmin.cookie)).body).not.toContain('href="/triage"');
    expect((await get('/services/ot/triage', asAdmin.cookie)).statusCode).toBe(403);
    expect((await get(`/referrals/${id}/triage`, asAdmin.cookie)).statusCode).toBe(403);
    expect((await post(`/referrals/${id}/triage`, decision('1'), asAdmin)).statusCode).toBe(403);
    expect((await get(`/referrals/${id}/triage`, asOutsider.cookie)).statusCode).toBe(404);
    expect((await get('/services/ot/triage?organisation=MINE', asOutsider.cookie)).statusCode).toBe(404);
    const denied = await store.db.selectFrom('audit_event').select(['actor', 'subject_kind']).where('action', '=', 'denied').execute();
    const byActor = (user: TestStaffUser) => denied.filter((d) => d.actor === `staff:${user.id}`).map((d) => d.subject_kind).sort();
    expect(byActor(admin)).toEqual(['referral', 'referral', 'triage', 'triage', 'triage_queue']);
    expect(byActor(outsider)).toEqual(['referral', 'triage_queue']);
    expect(await store.db.selectFrom('triage_decision').select('id').where('referral_id', '=', id).execute()).toHaveLength(0);
  });

  it('counts a decision made on the triage page in the equity audit\'s triage breakdown', async () => {
    const id = ids.get('R-OLD-LOW')!;
    const before = await auditAggregates(store.db, { serviceId, from: '2026-01-01', to: '2026-11-21' });
    const session = await signIn(app, ot.email, ot.password);
    const version = versionIn((await get(`/referrals/${id}/triage`, session.cookie)).body);
    const done = await post(`/referrals/${id}/triage`, decision(version, { outcome: 'return_to_referrer', priority: '', pathway: 'signpost', reason: 'Please add the person\'s consent.' }), session);
    expect(done.statusCode).toBe(303);
    const after = await auditAggregates(store.db, { serviceId, from: '2026-01-01', to: '2026-11-21' });
    expect(after.total.counts.triageOutcome.return_to_referrer).toBe(before.total.counts.triageOutcome.return_to_referrer + 1);
    expect(after.total.counts.triaged).toBe(before.total.counts.triaged + 1);
    const row = await store.db.selectFrom('triage_decision').select(['outcome', 'reason']).where('referral_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ outcome: 'return_to_referrer', reason: 'Please add the person\'s consent.' });
  });
});
