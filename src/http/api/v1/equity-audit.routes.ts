import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { equityAuditFor } from '../../../equity/audit/audit.service.ts';
import { toJson } from '../../../equity/outputs/json.output.ts';
import type { AppDependencies } from '../../app.ts';
import { equityRateLimit } from '../../plugins/rate-limit.ts';
import { resolveServiceFor } from '../../../access/service-access.ts';
import { MINIMUM_WINDOW_REFERRALS, windowLargeEnough } from '../../../disclosure/disclosure.ts';
import { RootsError } from '../../../errors/roots-error.ts';
import { parseServiceReference } from '../../../organisations/service.repository.ts';
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
        // ?organisation=CODE names the service's organisation when several the caller may see share the code.
        description: 'The disclosure-controlled equity audit of one service (JSON).',
      },
    },
    async (request, reply) => {
      // Access first: a service the caller may not see is answered exactly like a missing one (recorded).
      const actor = request.actor!;
      const reference = parseServiceReference(request.params.service);
      const known = await resolveServiceFor(store.db, actor, { serviceCode: reference.serviceCode!, organisationCode: reference.organisationCode ?? request.query.organisation }, { on: clock(), subjectKind: 'equity_audit' });
      const { request: auditRequest } = await resolveAuditRequest(store.db, { ...request.query, service: `${known.organisationCode}~${known.serviceCode}` }, clock());
      const audit = await equityAuditFor(store.db, actor, auditRequest, { parallel, cache: audits });
      if ((request.query.from !== undefined || request.query.to !== undefined) && !windowLargeEnough(audit.total.counts.referrals)) {
        throw new RootsError('VALIDATION_FAILED', {
          detail: `This window holds fewer than ${MINIMUM_WINDOW_REFERRALS} referrals, too few to show without singling people out: choose a longer window.`,
          problems: [{ field: 'from', reason: `the window holds fewer than ${MINIMUM_WINDOW_REFERRALS} referrals` }],
        });
      }
      return reply.type('application/json; charset=utf-8').send(toJson(audit));
    },
  );
};
