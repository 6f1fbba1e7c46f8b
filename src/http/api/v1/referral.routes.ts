import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorLabel } from '../../../access/actor.ts';
import { mayWriteReferrals } from '../../../access/policies.ts';
import { recordAuditTrail } from '../../../audit-trail/audit-trail.repository.ts';
import { RootsError, type Problem } from '../../../errors/roots-error.ts';
import { importReferralRows } from '../../../imports/referral-import.service.ts';
import { referralColumns, requiredReferralColumns } from '../../../imports/referral-row.schema.ts';
import type { AppDependencies } from '../../app.ts';

const cell = z.union([z.string().max(4000), z.number(), z.boolean(), z.null()]);

/**
 * One referral as JSON: the columns of the referral CSV layout (docs/import-format.md), each a
 * string, number, boolean or null. The same row schema then validates it as for a file.
 */
const referralBody = z
  .object(Object.fromEntries(referralColumns.map((column) => [column, requiredReferralColumns.includes(column) ? cell : cell.optional()])) as Record<string, typeof cell>)
  .strict();

const referralResponse = z.object({
  referralId: z.number().int(),
  sourceRecordId: z.string(),
  result: z.enum(['created', 'updated', 'unchanged']),
});

/**
 * POST /api/v1/services/:service/referrals: a professional referral or a system's extract, one
 * at a time. Idempotent on source_record_id (a retry after a lost response changes nothing).
 * Answered only once the referral is committed: an acknowledged referral survives a crash.
 */
export const referralRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock }) => {
  app.post(
    '/services/:service/referrals',
    {
      schema: {
        description: 'Create or update one referral (idempotent on source_record_id).',
        params: z.object({ service: z.string().regex(/^[a-z0-9-]{2,40}$/) }),
        body: referralBody,
        response: { 200: referralResponse, 201: referralResponse },
      },
    },
    async (request, reply) => {
      const actor = request.actor!;
      const service = await store.db
        .selectFrom('service')
        .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
        .select(['service.id', 'service.code', 'service.organisation_id', 'organisation.code as organisationCode'])
        .where('service.code', '=', request.params.service)
        .executeTakeFirst();
      // A service of another organisation is reported exactly like one that does not exist.
      if (!service || !mayWriteReferrals(actor, { organisationId: service.organisation_id })) {
        if (service) {
          await recordAuditTrail(store.db, { actor, action: 'denied', subjectKind: 'service', subjectId: service.id, organisationId: service.organisation_id });
        }
        throw new RootsError(service && actor.kind === 'staff' && actor.organisationId === service.organisation_id ? 'FORBIDDEN' : 'NOT_FOUND', {
          detail: 'There is no service with that code that you can refer to.',
        });
      }
      const cells = Object.fromEntries(
        Object.entries(request.body).map(([column, value]) => [column, value === null || value === undefined ? '' : String(value)]),
      );
      const problems: Problem[] = [];
      const summary = await importReferralRows(store, [cells], {
        service: `${service.organisationCode}/${service.code}`,
        today: clock(),
        actor: actorLabel(actor),
        kind: 'api',
        sourceName: 'api',
        onProblem: (problem) => {
          problems.push({ ...(problem.field ? { field: problem.field } : {}), reason: problem.reason });
        },
      });
      if (!summary.written) {
        throw new RootsError('VALIDATION_FAILED', { detail: 'The referral was not saved: some values are not valid.', problems });
      }
      const saved = await store.db
        .selectFrom('referral')
        .select('id')
        .where('service_id', '=', service.id)
        .where('source_record_id', '=', String(cells.source_record_id).trim())
        .executeTakeFirstOrThrow();
      const result = summary.inserted > 0 ? 'created' : summary.updated > 0 ? 'updated' : 'unchanged';
      return reply.status(result === 'created' ? 201 : 200).send({ referralId: saved.id, sourceRecordId: String(cells.source_record_id).trim(), result });
    },
  );
};
