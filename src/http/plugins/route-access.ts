import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { isAdministrator } from '../../access/policies.ts';
import { recordAuditTrail } from '../../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../../errors/roots-error.ts';
import type { Store } from '../../store/database.ts';

/** Who may reach a route at all (finer checks run first thing in each service function). */
export const routeAccessLevels = ['public', 'staff', 'administrator'] as const;
export type RouteAccess = (typeof routeAccessLevels)[number];

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, with its declared access (the route x role matrix test reads it). */
    declaredRoutes: { method: string; url: string; access: RouteAccess }[];
  }
  interface FastifyContextConfig {
    /** Required on every route: 'public' (anyone), 'staff' (signed in or a valid API token), 'administrator'. */
    access?: RouteAccess;
  }
}

/** API routes answer refusals with problem+json; pages send an anonymous visitor to sign in. */
const isApiRoute = (url: string) => url.startsWith('/api/');

/** Where to come back to after signing in: this page's own path and query, never another site. */
function signInLocation(request: FastifyRequest): string {
  const next = request.url;
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? `/sign-in?next=${encodeURIComponent(next)}` : '/sign-in';
}

/**
 * Every route declares `config: { access }`. Registering a route without a declaration throws at
 * once (so a new route cannot be forgotten), and each declared level is enforced before any
 * handler runs, after the hooks that find the actor (API tokens, staff sessions):
 * - 'staff' needs `request.actor`: a page redirects (303) to `/sign-in?next=...`, an API route
 *   answers problem+json 401;
 * - 'administrator' also needs the actor to be an administrator: 403, recorded as 'denied'.
 * Register before every other plugin and route.
 */
export const routeAccess = fp(
  async (app: FastifyInstance, options: { store: Store }) => {
    const guards = new WeakSet<object>();
    const declared: FastifyInstance['declaredRoutes'] = [];
    app.decorate('declaredRoutes', declared);
    app.addHook('onRoute', (route: RouteOptions) => {
      const access = route.config?.access;
      if (!routeAccessLevels.includes(access as RouteAccess)) {
        throw new Error(`Route ${String(route.method)} ${route.url} declares no access: add config: { access: 'public' | 'staff' | 'administrator' }.`);
      }
      for (const method of [route.method].flat()) declared.push({ method, url: route.url, access: access as RouteAccess });
      if (access === 'public') return;
      const api = isApiRoute(route.url);
      const guard = async (request: FastifyRequest, reply: FastifyReply) => {
        const actor = request.actor ?? null;
        if (!actor) {
          if (api) throw new RootsError('UNAUTHENTICATED', { detail: 'Send an API token as "Authorization: Bearer <token>" (roots token create).' });
          return reply.redirect(signInLocation(request), 303);
        }
        if (access === 'administrator' && !isAdministrator(actor)) {
          await recordAuditTrail(options.store.db, {
            actor,
            action: 'denied',
            subjectKind: 'route',
            subjectId: `${request.method} ${route.url}`,
            organisationId: actor.kind === 'staff' ? actor.organisationId : null,
          });
          throw new RootsError('FORBIDDEN', { detail: 'Only an administrator can do this.' });
        }
      };
      // Route-level hooks run after the application's own onRequest hooks, which find the actor.
      // A HEAD route copied from its GET route already carries the guard.
      const existing = route.onRequest ? (Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest]) : [];
      if (existing.some((hook) => guards.has(hook))) return;
      guards.add(guard);
      route.onRequest = [guard, ...existing] as RouteOptions['onRequest'];
    });
  },
  { name: 'route-access' },
);

