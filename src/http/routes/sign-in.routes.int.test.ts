import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { cookieHeader, cookiesSet, createStaffUser, csrfTokenIn, parseCookieHeader, signIn, type TestStaffUser } from '../../../test/support/sign-in.ts';
import { buildApp } from '../app.ts';

const form = 'application/x-www-form-urlencoded';

describe(`staff sign-in on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let lead: TestStaffUser;
  let organisationId: number;
  let clock = new Date('2026-11-21T09:00:00Z');
  const minutes = (n: number) => (clock = new Date(clock.getTime() + n * 60_000));

  beforeAll(async () => {
    store = await createTestStore();
    organisationId = (await store.db.insertInto('organisation').values({ code: 'MINE', name: 'Mine' }).returning('id').executeTakeFirstOrThrow()).id;
    lead = await createStaffUser(store, { organisationId, role: 'team_lead', email: 'lead@example.org' });
    app = await buildApp({ store, config: testConfig({ ROOTS_SIGN_IN_RATE_PER_MINUTE: '1000' }), clock: () => '2026-11-21', now: () => clock });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  /** GET the form, then POST it with the form's CSRF token. */
  async function attempt(email: string, password: string, options: { cookie?: string; next?: string; ip?: string } = {}) {
    const page = await app.inject({ method: 'GET', url: '/sign-in', headers: { cookie: options.cookie ?? '' }, remoteAddress: options.ip });
    const jar = { ...(options.cookie ? parseCookieHeader(options.cookie) : {}), ...cookiesSet(page) };
    const body = new URLSearchParams({ email, password, _csrf: csrfTokenIn(page.body), ...(options.next ? { next: options.next } : {}) });
    return app.inject({ method: 'POST', url: '/sign-in', headers: { cookie: cookieHeader(jar), 'content-type': form }, payload: body.toString(), remoteAddress: options.ip });
  }

  const whoAmI = async (cookie: string) => {
    const page = await app.inject({ method: 'GET', url: '/sign-in', headers: { cookie } });
    return /data-testid="signed-in-as">([^<]*)</.exec(page.body)?.[1] ?? null;
  };

  it('signs in with a session cookie that is HttpOnly, Secure, SameSite=Lax, and shows who is signed in', async () => {
    const response = await attempt(lead.email, lead.password);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const session = response.cookies.find((cookie) => cookie.name === '__Host-roots_session');
    expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax', path: '/' });
    const { cookie } = await signIn(app, lead.email, lead.password);
    expect(await whoAmI(cookie)).toBe('Signed in as Test team_lead');
    const stored = await store.db.selectFrom('staff_session').select('id').execute();
    // Only a hash is stored, never the token.
    expect(stored.map((row) => row.id)).not.toContain(session!.value);
  });

  it('refuses a wrong password and an unknown email with the same message and status', async () => {
    const wrong = await attempt(lead.email, 'not the password');
    const unknown = await attempt('nobody@example.org', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const message = (html: string) => /<ul class="nhsuk-list nhsuk-error-summary__list"[\s\S]*?<\/ul>/.exec(html)?.[0].replace(/\s+/g, ' ');
    expect(message(wrong.body)).toContain('Enter a correct email address and password');
    expect(message(wrong.body)).toBe(message(unknown.body));
    expect(wrong.cookies.find((c) => c.name === '__Host-roots_session')).toBeUndefined();
  });

  it('rotates the session: signing in again with the old cookie kills it', async () => {
    const first = await signIn(app, lead.email, lead.password);
    const second = await signIn(app, lead.email, lead.password, { cookie: first.cookie });
    const oldSession = parseCookieHeader(first.cookie)['__Host-roots_session'];
    const newSession = parseCookieHeader(second.cookie)['__Host-roots_session'];
    expect(newSession).not.toBe(oldSession);
    expect(await whoAmI(cookieHeader({ '__Host-roots_session': oldSession! }))).toBeNull();
    expect(await whoAmI(cookieHeader({ '__Host-roots_session': newSession! }))).not.toBeNull();
  });

  it('ends a session after 30 idle minutes, and after 12 hours however busy', async () => {
    const idle = await signIn(app, lead.email, lead.password);
    minutes(29);
    expect(await whoAmI(idle.cookie)).not.toBeNull();
    minutes(29);
    expect(await whoAmI(idle.cookie)).not.toBeNull(); // seen 29 minutes ago
    minutes(30);
    expect(await whoAmI(idle.cookie)).toBeNull();
    // Pressing "Sign out" on a page left open past the timeout just signs out (no form error).
    const late = await app.inject({ method: 'POST', url: '/sign-out', headers: { cookie: idle.cookie, 'content-type': form }, payload: `_csrf=${encodeURIComponent(idle.csrfToken)}` });
    expect(late.statusCode).toBe(303);
    expect(late.cookies.find((c) => c.name === '__Host-roots_session')?.value).toBe('');

    const busy = await signIn(app, lead.email, lead.password);
    for (let i = 0; i < 12 * 3 - 1; i++) {
      minutes(20);
      expect(await whoAmI(busy.cookie)).not.toBeNull();
    }
    minutes(20);
    expect(await whoAmI(busy.cookie)).toBeNull();
  });

  it('revokes the session at sign-out (a POST with the CSRF token)', async () => {
    const { cookie, csrfToken } = await signIn(app, lead.email, lead.password);
    const out = await app.inject({ method: 'POST', url: '/sign-out', headers: { cookie, 'content-type': form }, payload: `_csrf=${encodeURIComponent(csrfToken)}` });
    expect(out.statusCode).toBe(303);
    expect(out.headers.location).toBe('/sign-in?signedOut=1');
    expect(await whoAmI(cookie)).toBeNull();
    const revoked = await store.db.selectFrom('staff_session').select('revoked_reason').where('revoked_reason', '=', 'sign_out').execute();
    expect(revoked).toHaveLength(1);
  });

  it('refuses a form POST without a CSRF token, with a wrong one, or with one from another session', async () => {
    const { cookie, csrfToken } = await signIn(app, lead.email, lead.password);
    const other = await signIn(app, lead.email, lead.password);
    const post = (payload: string, cookieValue = cookie) => app.inject({ method: 'POST', url: '/sign-out', headers: { cookie: cookieValue, 'content-type': form }, payload });
    const none = await post('');
    const wrong = await post('_csrf=abc-def');
    const borrowed = await post(`_csrf=${encodeURIComponent(other.csrfToken)}`);
    for (const response of [none, wrong, borrowed]) {
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain('CSRF_INVALID');
    }
    expect(await whoAmI(cookie)).not.toBeNull();
    expect((await post(`_csrf=${encodeURIComponent(csrfToken)}`)).statusCode).toBe(303);
  });

  it('refuses a sign-in POST without its CSRF token', async () => {
    const response = await app.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': form }, payload: new URLSearchParams({ email: lead.email, password: lead.password }).toString() });
    expect(response.statusCode).toBe(403);
    expect(response.cookies.find((c) => c.name === '__Host-roots_session')).toBeUndefined();
  });

  it('ends every session of a member of staff who is deactivated', async () => {
    const user = await createStaffUser(store, { organisationId, role: 'therapist' });
    const { cookie } = await signIn(app, user.email, user.password);
    await store.db.updateTable('staff_user').set({ active: false, deactivated_at: clock }).where('id', '=', user.id).execute();
    expect(await whoAmI(cookie)).toBeNull();
    expect((await attempt(user.email, user.password)).statusCode).toBe(401);
  });

  it('goes only to local paths after sign-in', async () => {
    expect((await attempt(lead.email, lead.password, { next: '/equity?from=2026-01-01' })).headers.location).toBe('/equity?from=2026-01-01');
    for (const next of ['https://evil.example/', '//evil.example/', '/\\evil.example']) {
      expect((await attempt(lead.email, lead.password, { next })).headers.location).toBe('/');
    }
  });

  it('locks an account out after five failures, even with the right password, and backs off', async () => {
    const user = await createStaffUser(store, { organisationId, role: 'therapist' });
    for (let i = 0; i < 5; i++) expect((await attempt(user.email, `wrong ${i}`, { ip: '10.0.0.2' })).statusCode).toBe(401);
    const locked = await attempt(user.email, user.password, { ip: '10.0.0.3' });
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('too many failed attempts');
    // Unknown accounts lock the same way (no hint whether the account exists).
    for (let i = 0; i < 5; i++) await attempt('ghost@example.org', `wrong ${i}`, { ip: '10.0.0.4' });
    expect((await attempt('ghost@example.org', 'x', { ip: '10.0.0.5' })).statusCode).toBe(429);
    minutes(1);
    expect((await attempt(user.email, 'wrong again', { ip: '10.0.0.2' })).statusCode).toBe(401);
    minutes(1); // the sixth failure doubled the wait to two minutes
    expect((await attempt(user.email, user.password, { ip: '10.0.0.2' })).statusCode).toBe(429);
    minutes(1);
    expect((await attempt(user.email, user.password, { ip: '10.0.0.2' })).statusCode).toBe(303);
  });

  it('locks a client address out after twenty failures across accounts', async () => {
    minutes(60 * 24 + 1);
    for (let i = 0; i < 20; i++) await attempt(`someone${i}@example.org`, 'wrong', { ip: '10.9.9.9' });
    expect((await attempt(lead.email, lead.password, { ip: '10.9.9.9' })).statusCode).toBe(429);
    expect((await attempt(lead.email, lead.password, { ip: '10.9.9.8' })).statusCode).toBe(303);
  });

  it('rate-limits sign-in form posts per client address (@fastify/rate-limit)', async () => {
    const limited = await buildApp({ store, config: testConfig({ ROOTS_SIGN_IN_RATE_PER_MINUTE: '2' }), now: () => clock });
    try {
      const post = (ip: string) => limited.inject({ method: 'POST', url: '/sign-in', headers: { 'content-type': form }, payload: 'email=a%40b.c&password=x', remoteAddress: ip });
      expect((await post('10.7.7.7')).statusCode).toBe(403); // no CSRF token, but counted
      expect((await post('10.7.7.7')).statusCode).toBe(403);
      const third = await post('10.7.7.7');
      expect(third.statusCode).toBe(429);
      expect(third.body).toContain('RATE_LIMITED');
      expect((await post('10.7.7.8')).statusCode).toBe(403);
    } finally {
      await limited.close();
    }
  });

  it('writes sign-in, failure, lockout and sign-out to the audit trail without the email typed', async () => {
    const events = await store.db.selectFrom('audit_event').select(['actor', 'action', 'subject_kind', 'subject_id', 'detail']).execute();
    const actions = new Set(events.map((event) => event.action));
    expect(actions).toEqual(new Set(['sign_in', 'denied', 'sign_out']));
    expect(events.some((event) => event.action === 'sign_in' && event.actor === `staff:${lead.id}` && event.subject_id === String(lead.id))).toBe(true);
    expect(events.some((event) => event.action === 'denied' && (event.detail as { reason: string }).reason === 'locked_out')).toBe(true);
    expect(events.some((event) => event.action === 'denied' && event.actor === 'system:sign-in' && event.subject_kind === 'sign_in')).toBe(true);
    expect(JSON.stringify(events)).not.toMatch(/@example\.org|ghost|wrong/);
  });
});
