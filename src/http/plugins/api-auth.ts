import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { actorForToken } from '../../access/api-token.repository.ts';
import type { Actor } from '../../access/actor.ts';
import { RootsError } from '../../errors/roots-error.ts';
import type { Store } from '../../store/database.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

/**
 * API authentication: `Authorization: Bearer roots_...`. Every /api route requires an actor;
 * what the actor may do is decided by the access policies inside each route.
 */
export const apiAuth = fp(
  async (app: FastifyInstance, options: { store: Store }) => {
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (request: FastifyRequest) => {
      // The API's own description is public; everything else under /api needs a token.
      if (!request.url.startsWith('/api/') || request.url === '/api/openapi.json') return;
      const header = request.headers.authorization ?? '';
      const match = /^Bearer (\S+)$/i.exec(header);
      const actor = match ? await actorForToken(options.store.db, match[1]!) : null;
      if (!actor) throw new RootsError('UNAUTHENTICATED', { detail: 'Send an API token as "Authorization: Bearer <token>" (roots token create).' });
      request.actor = actor;
    });
  },
  { name: 'api-auth' },
);
