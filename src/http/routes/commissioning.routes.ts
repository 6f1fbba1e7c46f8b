import type { FastifyPluginAsync } from 'fastify';
import { contentFor } from '../../web/content/index.ts';
import { commissionedServicesFor } from '../../organisations/commissioning.service.ts';
import type { AppDependencies } from '../app.ts';

/**
 * GET /commissioning: the signed-in commissioner's services (every service its organisation
 * commissions, of any provider), each linked to its disclosure-controlled equity audit. Aggregates
 * only; anyone else is refused by the service function (403, recorded).
 */
export const commissioningRoutes: FastifyPluginAsync<AppDependencies> = async (app, { store, clock }) => {
  app.get('/commissioning', { config: { access: 'staff' } }, async (request, reply) => {
    const { organisationName, services } = await commissionedServicesFor(store.db, request.actor!, clock());
    const language: Record<string, string> = request.language === 'cy' ? { lang: 'cy' } : {};
    const rows = services.map((service) => ({
      ...service,
      auditHref: `/equity?${new URLSearchParams({ organisation: service.organisationCode, service: service.serviceCode, ...language }).toString()}`,
    }));
    return reply.page('pages/commissioning.njk', { pageTitle: contentFor(request.language).commissioning.title, organisationName, services: rows });
  });
};
