import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { liveApiToken } from '../../access/api-token.repository.ts';
import type { Actor } from '../../access/actor.ts';
import { RootsError } from '../../errors/roots-error.ts';
import type { Store } from '../../store/database.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    /** The API token the request came with (API routes only), recorded with what it sends. */
    apiTokenId: number | null;
  }
}

/** Declares `request.actor` (null until a session or an API token names who is acting). */
export const apiAuth = fp(
  async (app: FastifyInstance) => {
    app.decorateRequest('actor', null);
    app.decorateRequest('api', false);
    app.decorateRequest('apiTokenId', null);
  },
  { name: 'api-auth' },
);

/**
 * The bearer-token check (`Authorization: Bearer roots_...`), added as an `onRequest` hook by the
 * /api/v1 plugin (src/http/api/v1) to every route inside it. What the actor may then do is
 * decided by the access policies in each service function.
 */
export function requireApiToken(store: Store) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    const live = match ? await liveApiToken(store.db, match[1]!) : null;
    if (!live) throw new RootsError('UNAUTHENTICATED', { detail: 'Send an API token as "Authorization: Bearer <token>" (roots token create).' });
    request.actor = live.actor;
    request.apiTokenId = live.tokenId;
  };
}
