import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { createStaffUser, csrfTokenIn, signIn, type TestStaffUser } from '../../../test/support/sign-in.ts';
import { createApiToken } from '../../access/api-token.repository.ts';
import { buildApp } from '../app.ts';

const form = 'application/x-www-form-urlencoded';

// Given administrators and staff of two organisations, when the /admin pages are used, then an
// administrator manages only their own organisation's staff and tokens, everyone else is
// refused (and the refusal audited), and every change needs the session's CSRF token.
describe(`administration pages on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let admin: TestStaffUser;
  let therapist: TestStaffUser;
  let outsider: TestStaffUser;
  let session: { cookie: string; csrfToken: string };

  beforeAll(async () => {
    store = await createTestStore();
    const mine = (await store.db.insertInto('organisation').values({ code: 'MINE', name: 'Mine' }).returning('id').executeTakeFirstOrThrow()).id;
    const theirs = (await store.db.insertInto('organisation').values({ code: 'THEIRS', name: 'Theirs' }).returning('id').executeTakeFirstOrThrow()).id;
    admin = await createStaffUser(store, { organisationId: mine, role: 'administrator', email: 'admin@mine.example' });
    therapist = await createStaffUser(store, { organisationId: mine, role: 'therapist', email: 'ot@mine.example' });
    outsider = await createStaffUser(store, { organisationId: theirs, role: 'administrator', email: 'admin@theirs.example' });
    await createApiToken(store.db, { email: outsider.email, label: 'their-script', days: 30 });
    await createApiToken(store.db, { email: therapist.email, label: 'my-script', days: 30 });
    app = await buildApp({ store, config: testConfig({ LOG_LEVEL: 'error' }), clock: () => '2026-11-21' });
    session = await signIn(app, admin.email, admin.password);
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const get = (url: string, cookie = session.cookie) => app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, fields: Record<string, string>, who = session) =>
    app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': form }, payload: new URLSearchParams({ _csrf: who.csrfToken, ...fields }).toString() });

  it('sends someone not signed in to sign in, and refuses staff who are not administrators', async () => {
    const anonymous = await get('/admin/users', '');
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers.location).toBe('/sign-in?next=%2Fadmin%2Fusers');
    const ot = await signIn(app, therapist.email, therapist.password);
    expect((await get('/admin/users', ot.cookie)).statusCode).toBe(403);
    expect((await post(`/admin/users/${admin.id}/deactivate`, {}, ot)).statusCode).toBe(403);
    const denied = await store.db.selectFrom('audit_event').select(['actor', 'detail']).where('action', '=', 'denied').execute();
    expect(denied.some((event) => event.actor === `staff:${therapist.id}`)).toBe(true);
  });

  it('lists only staff of the administrator\'s organisation', async () => {
    const page = await get('/admin/users');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('ot@mine.example');
    expect(page.body).not.toContain('admin@theirs.example');
    expect((await get(`/admin/users/${outsider.id}/deactivate`)).statusCode).toBe(404);
    expect((await post(`/admin/users/${outsider.id}/reset-password`, {})).statusCode).toBe(404);
  });

  it('creates a member of staff who can then sign in, with the error summary for bad values', async () => {
    const bad = await post('/admin/users/new', { email: 'nope', displayName: '', role: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('nhsuk-error-summary');
    expect(bad.body).toContain('href="#email"');
    expect(bad.body).toContain('href="#displayName"');
    expect(bad.body).toContain('href="#role"');
    const taken = await post('/admin/users/new', { email: therapist.email, displayName: 'Again', role: 'therapist' });
    expect(taken.body).toContain('Enter an email address that no other member of staff has');
    const created = await post('/admin/users/new', { email: 'New.Person@mine.example', displayName: 'New Person', role: 'team_lead' });
    expect(created.statusCode).toBe(200);
    const password = /data-testid="one-time-password">([^<]+)</.exec(created.body)![1]!;
    const theirs = await signIn(app, 'new.person@mine.example', password);
    const home = await get('/sign-in', theirs.cookie);
    expect(home.body).toContain('Signed in as New Person');
    const row = await store.db.selectFrom('staff_user').select(['organisation_id', 'role']).where('email', '=', 'new.person@mine.example').executeTakeFirstOrThrow();
    expect(row).toEqual({ organisation_id: admin.organisationId, role: 'team_lead' });
  });

  it('needs the CSRF token to change anything', async () => {
    const response = await app.inject({ method: 'POST', url: `/admin/users/${therapist.id}/deactivate`, headers: { cookie: session.cookie, 'content-type': form }, payload: '' });
    expect(response.statusCode).toBe(403);
    expect((await store.db.selectFrom('staff_user').select('active').where('id', '=', therapist.id).executeTakeFirstOrThrow()).active).toBe(true);
  });

  it('resets a password (ending the sessions) and deactivates, after a confirmation page', async () => {
    const ot = await signIn(app, therapist.email, therapist.password);
    const confirm = await get(`/admin/users/${therapist.id}/reset-password`);
    expect(confirm.body).toContain('Reset this password?');
    expect(csrfTokenIn(confirm.body)).toBeTruthy();
    const reset = await post(`/admin/users/${therapist.id}/reset-password`, {});
    expect(reset.statusCode).toBe(200);
    const password = /data-testid="one-time-password">([^<]+)</.exec(reset.body)![1]!;
    expect((await get('/sign-in', ot.cookie)).body).not.toContain('signed-in-as');
    const again = await signIn(app, therapist.email, password);
    const deactivated = await post(`/admin/users/${therapist.id}/deactivate`, {});
    expect(deactivated.statusCode).toBe(303);
    expect(deactivated.headers.location).toBe('/admin/users?done=deactivated');
    expect((await get('/sign-in', again.cookie)).body).not.toContain('signed-in-as');
    // An administrator cannot lock themselves out.
    expect((await post(`/admin/users/${admin.id}/deactivate`, {})).statusCode).toBe(400);
  });

  it('lists and revokes the organisation\'s API tokens only', async () => {
    const page = await get('/admin/tokens');
    expect(page.body).toContain('my-script');
    expect(page.body).not.toContain('their-script');
    const theirs = await store.db.selectFrom('api_token').select('id').where('label', '=', 'their-script').executeTakeFirstOrThrow();
    expect((await post(`/admin/tokens/${theirs.id}/revoke`, {})).statusCode).toBe(404);
    const mine = await store.db.selectFrom('api_token').select('id').where('label', '=', 'my-script').executeTakeFirstOrThrow();
    const revoked = await post(`/admin/tokens/${mine.id}/revoke`, {});
    expect(revoked.headers.location).toBe('/admin/tokens?done=revoked');
    const rows = await store.db.selectFrom('api_token').select(['label', 'revoked_at']).orderBy('label').execute();
    expect(rows.map((row) => [row.label, row.revoked_at !== null])).toEqual([['my-script', true], ['their-script', false]]);
  });
});
