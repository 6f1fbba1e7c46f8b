import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { LightMyRequestResponse } from 'fastify';
import { hashPassword } from '../../src/access/password.ts';
import type { StaffRole } from '../../src/domain/codes.ts';
import type { Store } from '../../src/store/database.ts';

export interface TestStaffUser {
  id: number;
  email: string;
  password: string;
  organisationId: number;
  role: StaffRole;
}

/** A member of staff with a password (argon2id), straight into the store. */
export async function createStaffUser(
  store: Pick<Store, 'db'>,
  options: { organisationId: number; role: StaffRole; email?: string; password?: string; displayName?: string },
): Promise<TestStaffUser> {
  const email = (options.email ?? `${options.role}-${randomBytes(4).toString('hex')}@example.org`).toLowerCase();
  const password = options.password ?? `pw-${randomBytes(12).toString('base64url')}`;
  const row = await store.db
    .insertInto('staff_user')
    .values({
      organisation_id: options.organisationId,
      email,
      display_name: options.displayName ?? `Test ${options.role}`,
      role: options.role,
      password_hash: await hashPassword(password),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, email, password, organisationId: options.organisationId, role: options.role };
}

/** The cookies a response sets, as name -> value (cleared cookies have an empty value). */
export function cookiesSet(response: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(response.cookies.map((cookie) => [cookie.name, cookie.value]));
}

/** Merges cookies into a Cookie header value (later ones win; empty ones are dropped). */
export function cookieHeader(...jars: Record<string, string>[]): string {
  const merged: Record<string, string> = Object.assign({}, ...jars);
  return Object.entries(merged)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}

export function parseCookieHeader(header: string): Record<string, string> {
  return Object.fromEntries(
    header
      .split(/;\s*/)
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

/** The CSRF token of the first form on a page. */
export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('The page has no CSRF token');
  return match[1]!;
}

/**
 * Signs in through the real routes (GET the form, POST it with its CSRF token), then fetches a
 * CSRF token bound to the new session. Throws unless sign-in succeeded.
 */
export async function signIn(app: FastifyInstance, email: string, password: string, options: { cookie?: string } = {}): Promise<{ cookie: string; csrfToken: string }> {
  let jar = options.cookie ? parseCookieHeader(options.cookie) : {};
  const form = await app.inject({ method: 'GET', url: '/sign-in', headers: { cookie: cookieHeader(jar) } });
  jar = { ...jar, ...cookiesSet(form) };
  const posted = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: cookieHeader(jar), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ email, password, _csrf: csrfTokenIn(form.body) }).toString(),
  });
  if (posted.statusCode !== 303) throw new Error(`Sign-in failed with ${posted.statusCode}`);
  jar = { ...jar, ...cookiesSet(posted) };
  const after = await app.inject({ method: 'GET', url: '/sign-in', headers: { cookie: cookieHeader(jar) } });
  jar = { ...jar, ...cookiesSet(after) };
  return { cookie: cookieHeader(jar), csrfToken: csrfTokenIn(after.body) };
}
