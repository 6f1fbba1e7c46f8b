import { randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor } from '../../access/actor.ts';
import { sessionForToken, type LiveSession } from '../../access/session.service.ts';
import type { SessionSettings } from '../../config/config.ts';
import { RootsError } from '../../errors/roots-error.ts';
import type { Store } from '../../store/database.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The signed-in member of staff's session (pages only; API routes use tokens). */
    staffSession: LiveSession | null;
  }
  interface FastifyReply {
    /** A CSRF token for a form on this page, bound to the current session (or to no session). */
    csrfToken(): string;
    /** Sets the session cookie (after sign-in). */
    setSessionCookie(token: string): FastifyReply;
    /** Clears the session cookie (after sign-out). */
    clearSessionCookie(): FastifyReply;
  }
}

/** Cookie names: with Secure cookies the __Host- prefix pins them to this host and path /. */
export function cookieNames(settings: Pick<SessionSettings, 'secureCookies'>) {
  const prefix = settings.secureCookies ? '__Host-' : '';
  return { session: `${prefix}roots_session`, csrf: `${prefix}roots_csrf` };
}

/** The route pattern (not the raw URL) decides whether a request is an API request. */
export const isApiRoute = (request: FastifyRequest) => request.routeOptions.url?.startsWith('/api/') === true;

/** Static files and health probes never need to know who is asking: no database read for them. */
const skipsSession = (request: FastifyRequest) => {
  const route = request.routeOptions.url;
  return route !== undefined && (route.startsWith('/assets/') || route === '/health' || route === '/ready');
};

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const anonymous = 'anonymous';

/**
 * Staff sessions for pages. Reads the session cookie on every non-API route, checks the session
 * (idle and absolute timeouts, revoked, owner deactivated), marks it seen and sets
 * `request.actor`. Checks a session-bound CSRF token (@fastify/csrf-protection: a secret in its
 * own cookie, the token an HMAC of it and the session id) on every form POST to a page route.
 */
export const sessions = fp(
  async (app: FastifyInstance, options: { store: Store; settings: SessionSettings; now: () => Date }) => {
    const { store, settings, now } = options;
    const names = cookieNames(settings);
    const cookieOptions = { path: '/', httpOnly: true, secure: settings.secureCookies, sameSite: 'lax' as const };

    // Registered once by app.ts (the language cookie needs it too); registered here when used alone.
    if (!app.hasRequestDecorator('cookies')) await app.register(cookie);
    await app.register(csrfProtection, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: names.csrf,
      cookieOpts: cookieOptions,
      getUserInfo: (request: FastifyRequest) => request.staffSession?.id ?? anonymous,
      csrfOpts: { hmacKey: settings.csrfKey ?? randomBytes(32).toString('base64url'), userInfo: true },
    });

    if (!app.hasRequestDecorator('actor')) app.decorateRequest('actor', null);
    app.decorateRequest('staffSession', null);
    app.decorateReply('csrfToken', function (this: FastifyReply) {
      return this.generateCsrf({ userInfo: this.request.staffSession?.id ?? anonymous });
    });
    app.decorateReply('setSessionCookie', function (this: FastifyReply, token: string) {
      return this.setCookie(names.session, token, { ...cookieOptions, maxAge: Math.floor(settings.absoluteMs / 1000) });
    });
    app.decorateReply('clearSessionCookie', function (this: FastifyReply) {
      return this.clearCookie(names.session, cookieOptions);
    });

    app.addHook('onRequest', async (request, reply) => {
      if (isApiRoute(request) || skipsSession(request)) return;
      const token = request.cookies[names.session];
      if (!token) return;
      const session = await sessionForToken(store.db, token, now(), settings);
      if (!session) {
        reply.clearSessionCookie();
        return;
      }
      request.staffSession = session;
      request.actor = session.actor;
    });

    // Every form POST to a page route carries a valid token for this session. The plugin's check
    // answers through reply.send; here its refusal becomes the catalogue's CSRF_INVALID.
    app.addHook('preValidation', (request, reply, done) => {
      if (!unsafeMethods.has(request.method) || isApiRoute(request) || request.routeOptions.url === undefined) return done();
      // Signing out when the session has already ended (idle, expired) changes nothing on the
      // server; its form's token was bound to the ended session, so it would only show an error.
      if (request.routeOptions.url === '/sign-out' && !request.staffSession) return done();
      // The secret cookie is not signed, so the plugin uses nothing of the reply but send.
      void reply;
      const refuse = { send: () => done(new RootsError('CSRF_INVALID')) } as unknown as FastifyReply;
      app.csrfProtection(request, refuse, () => done());
    });
  },
  { name: 'sessions', dependencies: ['pages'] },
);
