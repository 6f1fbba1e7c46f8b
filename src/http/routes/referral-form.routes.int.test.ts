import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/config.ts';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { cookieHeader, cookiesSet, createStaffUser, csrfTokenIn, parseCookieHeader, signIn } from '../../../test/support/sign-in.ts';
import { buildApp } from '../app.ts';

// Given a service and staff of several roles and organisations, when staff record a professional
// referral with the form at /services/:service/referrals/new, then a therapist's valid form makes
// one referral (a double submit too) through the one write path with its referrer, shown on the
// confirmation; bad answers come back in the NHS error summary in the page's language with nothing
// saved; a missing CSRF token, an analyst, a commissioner and another trust's staff are refused,
// and the refusals audited.
describe(`staff referral form on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  const session: Record<'therapist' | 'analyst' | 'outsider', { cookie: string; csrfToken: string }> = {} as never;
  const form = '/services/T1~ot/referrals/new';

  beforeAll(async () => {
    store = await createTestStore();
    await store.db.insertInto('ref_postcode').values({ postcode: 'DT1 1AA', area_code: 'E01032643' }).execute();
    const t1 = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Trust One' }).returning('id').executeTakeFirstOrThrow();
    const t2 = await store.db.insertInto('organisation').values({ code: 'T2', name: 'Trust Two' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: t1.id, code: 'ot', name: 'Community OT', setting: 'primary_care' }).execute();
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
    for (const [who, organisationId, role] of [['therapist', t1.id, 'therapist'], ['analyst', t1.id, 'analyst'], ['outsider', t2.id, 'team_lead']] as const) {
      const user = await createStaffUser(store, { organisationId, role });
      session[who] = await signIn(app, user.email, user.password);
    }
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  /** The form as a browser gets it (its own CSRF token and submission id), then posted with `answers`. */
  async function submit(who: keyof typeof session, answers: Record<string, string>, path = form) {
    const page = await app.inject({ url: path, headers: { cookie: session[who].cookie } });
    expect(page.statusCode, page.body.slice(0, 200)).toBe(200);
    const jar = { ...parseCookieHeader(session[who].cookie), ...cookiesSet(page) };
    const submission = /name="submission" value="([^"]+)"/.exec(page.body)![1]!;
    const body = new URLSearchParams({ _csrf: csrfTokenIn(page.body), submission, ...answers }).toString();
    const post = () => app.inject({ method: 'POST', url: path, headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' }, payload: body });
    return { post, submission };
  }
  const valid = {
    givenName: 'Eleri', familyName: 'Pritchard', nhsNumber: '943 476 5919', 'dob-day': '14', 'dob-month': '3', 'dob-year': '1948', sex: '2', ethnicity: 'A', postcode: 'dt1 1aa',
    'received-day': '20', 'received-month': '11', 'received-year': '2026', source: 'gp', reason: 'Struggling to wash and dress since a fall.', referrerName: 'Dr Amrit Patel', referrerOrganisation: 'Riverside Surgery', referrerContact: '01234 567890',
  };
  const referrals = async () => Number((await store.db.selectFrom('referral').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('records a therapist\'s referral once, even when sent twice, and shows it', async () => {
    const { post } = await submit('therapist', valid);
    const first = await post();
    expect(first.statusCode, first.body.slice(0, 300)).toBe(303);
    expect(first.headers.location).toMatch(/^\/services\/T1~ot\/referrals\/\d+$/);
    const again = await post();
    expect(again.headers.location).toBe(first.headers.location);
    expect(await referrals()).toBe(1);
    const shown = await app.inject({ url: String(first.headers.location), headers: { cookie: session.therapist.cookie } });
    expect(shown.statusCode).toBe(200);
    const text = shown.body.replace(/\s+/g, ' ');
    for (const expected of ['Referral recorded', 'Eleri Pritchard', '943 476 5919', '14 March 1948', '20 November 2026', 'GP', 'Struggling to wash and dress since a fall.', 'Dr Amrit Patel, Riverside Surgery, 01234 567890', 'Received, awaiting triage']) {
      expect(text).toContain(expected);
    }
    const row = await store.db.selectFrom('referral').innerJoin('person', 'person.id', 'referral.person_id').innerJoin('referral_referrer', 'referral_referrer.referral_id', 'referral.id')
      .select(['referral.source', 'person.postcode', 'person.area_code', 'person.sex', 'referral_referrer.channel', 'referral_referrer.reason_text', 'referral_referrer.api_token_id']).executeTakeFirstOrThrow();
    expect(row).toEqual({ source: 'gp', postcode: 'DT1 1AA', area_code: 'E01032643', sex: '2', channel: 'staff_form', reason_text: 'Struggling to wash and dress since a fall.', api_token_id: null });
    const trail = await store.db.selectFrom('audit_event').select(['action', 'detail']).where('subject_kind', '=', 'referral').orderBy('id').execute();
    expect(trail.map((e) => [e.action, (typeof e.detail === 'string' ? JSON.parse(e.detail) : e.detail).via])).toEqual([['create', 'staff_form'], ['read', 'status']]);
  });

  it('shows every problem in the NHS error summary, linked to its field, in English and Welsh, and saves nothing', async () => {
    const before = await referrals();
    const { post } = await submit('therapist', { ...valid, givenName: '', nhsNumber: '943 476 5918', 'dob-day': '31', 'dob-month': '2', source: '', reason: ' ', postcode: 'not a postcode', 'received-year': '2027' });
    const response = await post();
    expect(response.statusCode).toBe(400);
    const summary = /class="nhsuk-error-summary"[\s\S]*?<\/ul>/.exec(response.body)?.[0] ?? '';
    expect([...summary.matchAll(/<a href="#([^"]+)">\s*([^<]+?)\s*<\/a>/g)].map((m) => m[1])).toEqual(['givenName', 'dob-day', 'received-day', 'source', 'reason', 'nhsNumber', 'postcode']);
    expect(response.body).toContain('The date the referral was made must be today or in the past');
    expect(response.body).toMatch(/<title>Error: Record a professional referral/);
    // What was typed is kept (except nothing is saved).
    expect(response.body).toContain('value="Pritchard"');
    const welsh = await submit('therapist', { givenName: '' }, `${form}?lang=cy`);
    const cy = await welsh.post();
    expect(cy.statusCode).toBe(400);
    expect(cy.body).toContain('Rhowch yr enw cyntaf');
    expect(cy.body).toContain('<html lang="cy"');
    expect(await referrals()).toBe(before);
  });

  it('refuses a form without its CSRF token, and a tampered choice', async () => {
    const before = await referrals();
    const noToken = await app.inject({ method: 'POST', url: form, headers: { cookie: session.therapist.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ submission: '8b0f4a9e-3f5c-4a43-9d3e-7c1f1e2a9b10', ...valid }).toString() });
    expect(noToken.statusCode).toBe(403);
    const { post } = await submit('therapist', { ...valid, ethnicity: 'Q' });
    expect((await post()).statusCode).toBe(400);
    expect(await referrals()).toBe(before);
  });

  it('refuses an analyst, staff of another trust and anyone signed out, recording each refusal', async () => {
    const analyst = await app.inject({ url: form, headers: { cookie: session.analyst.cookie } });
    expect(analyst.statusCode).toBe(403);
    const outsider = await app.inject({ url: form, headers: { cookie: session.outsider.cookie } });
    expect(outsider.statusCode).toBe(404);
    expect(outsider.body).not.toContain('Community OT');
    const signedOut = await app.inject({ url: form });
    expect(signedOut.statusCode).toBe(303);
    expect(signedOut.headers.location).toBe(`/sign-in?next=${encodeURIComponent(form)}`);
    // The confirmation of a referral is no more visible to them.
    const id = (await store.db.selectFrom('referral').select('id').executeTakeFirstOrThrow()).id;
    expect((await app.inject({ url: `/services/T1~ot/referrals/${id}`, headers: { cookie: session.analyst.cookie } })).statusCode).toBe(403);
    const denied = await store.db.selectFrom('audit_event').select(['subject_kind', 'detail']).where('action', '=', 'denied').execute();
    expect(denied.map((row) => row.subject_kind)).toEqual(['referral', 'referral', 'referral']);
  });
});
