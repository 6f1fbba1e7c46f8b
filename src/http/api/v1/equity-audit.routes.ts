import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { equityAuditFor } from '../../../equity/audit/audit.service.ts';
import { toJson } from '../../../equity/outputs/json.output.ts';
import type { AppDependencies } from '../../app.ts';
import { equityRateLimit } from '../../plugins/rate-limit.ts';
import { auditQuery, resolveAuditRequest, serviceCode } from '../../routes/equity.request.ts';

/**
 * GET /api/v1/services/:service/equity-audit: the disclosure-controlled audit as JSON, for staff
 * of the service's own organisation (checked in equityAuditFor; every run is in the audit trail).
 */
export const equityAuditApiRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock, audits, config }) => {
  const parallel = store.engine === 'postgresql';
  app.get(
    '/services/:service/equity-audit',
    {
      config: { access: 'staff', rateLimit: equityRateLimit(config) },
      schema: {
        params: z.object({ service: serviceCode }),
        querystring: auditQuery.omit({ service: true, lang: true }),
        description: 'The disclosure-controlled equity audit of one service (JSON).',
      },
    },
    async (request, reply) => {
      const { request: auditRequest } = await resolveAuditRequest(store.db, { ...request.query, service: request.params.service }, clock());
      const audit = await equityAuditFor(store.db, request.actor!, auditRequest, { parallel, cache: audits });
      return reply.type('application/json; charset=utf-8').send(toJson(audit));
    },
  );
};
