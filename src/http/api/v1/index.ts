import type { FastifyPluginAsync } from 'fastify';
import { RootsError } from '../../../errors/roots-error.ts';
import type { AppDependencies } from '../../app.ts';
import { requireApiToken } from '../../plugins/api-auth.ts';
import { equityAuditApiRoutes } from './equity-audit.routes.ts';
import { fhirServiceRequestRoutes } from './fhir-service-request.routes.ts';
import { referralRoutes } from './referral.routes.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** True once the router has placed the request inside /api/v1 (answers are problem+json). */
    api: boolean;
  }
}

/**
 * The API, version 1: an encapsulated plugin registered with `prefix: '/api/v1'`. Its own
 * `onRequest` hook requires a bearer token for every route inside it, including its 404s, so
 * the check follows the route the router matched, not how the request's URL happens to be
 * written (`/%61pi/...` and absolute-form targets reach the same routes and the same check).
 */
export const apiV1: FastifyPluginAsync<AppDependencies> = async (app, options) => {
  // Registered with { prefix: '/api/v1' }; the routes inside get the dependencies only.
  const { store, config, lifecycle, clock, now, audits } = options;
  const dependencies: AppDependencies = { store, config, lifecycle, clock, now, audits };
  app.addHook('onRequest', async (request) => {
    request.api = true;
  });
  app.addHook('onRequest', requireApiToken(dependencies.store));
  // Unknown paths under /api/v1 pass the same token check first: without a token the API
  // reveals nothing, not even which paths exist.
  app.setNotFoundHandler(async () => {
    throw new RootsError('NOT_FOUND');
  });
  await app.register(referralRoutes, dependencies);
  await app.register(equityAuditApiRoutes, dependencies);
  await app.register(fhirServiceRequestRoutes, dependencies);
};
