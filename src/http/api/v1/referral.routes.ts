import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireServiceAccess, resolveServiceFor } from '../../../access/service-access.ts';
import { recordAuditTrail } from '../../../audit-trail/audit-trail.repository.ts';
import { RootsError, type Problem } from '../../../errors/roots-error.ts';
import { referralColumns, referralRowSchema, requiredReferralColumns } from '../../../imports/referral-row.schema.ts';
import { findService, parseServiceReference } from '../../../organisations/service.repository.ts';
import { writeReferrals } from '../../../referrals/referral.write.ts';
import { afterReferralWrites } from '../../../store/maintenance.ts';
import type { AppDependencies } from '../../app.ts';

/** Service codes are unique within an organisation: `?organisation=CODE` names it when several match. */
export const organisationQuery = z.object({ organisation: z.string().regex(/^[A-Z0-9-]{2,20}$/, { message: 'is not an organisation code' }).optional() });

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
  /** Set when the referral was updated but part of it was not applied: staff have acted on it in Roots. */
  notice: z.string().optional(),
});

/**
 * The service in the address: its code, or ORGANISATION~code when organisations share a code.
 * A bare code shared by several organisations means the caller's own organisation's service.
 */
const serviceParam = z.string().regex(/^(?:[A-Za-z0-9-]{2,20}~)?[a-z0-9-]{2,40}$/, { message: 'is not a service code (code, or ORGANISATION~code)' });

/**
 * POST /api/v1/services/:service/referrals: a professional referral or a system's extract, one
 * at a time. Idempotent on source_record_id (a retry after a lost response changes nothing).
 * Answered only once the referral is committed: an acknowledged referral survives a crash.
 * Parse (the row schema) -> transaction -> writeReferrals, the one write path imports use too.
 */
export const referralRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock }) => {
  app.post(
    '/services/:service/referrals',
    {
      config: { access: 'staff' },
      schema: {
        description: 'Create or update one referral (idempotent on source_record_id). The service is its code, or ORGANISATION~code (or ?organisation=CODE).',
        params: z.object({ service: serviceParam }),
        querystring: organisationQuery,
        body: referralBody,
        response: { 200: referralResponse, 201: referralResponse },
      },
    },
    async (request, reply) => {
      const actor = request.actor!;
      // Access first: a service the actor may not know is answered exactly like a missing one;
      // one it may know but not write to (a commissioner's) is forbidden. Refusals are recorded.
      const on = clock();
      const reference = parseServiceReference(request.params.service);
      const known = await resolveServiceFor(store.db, actor, { serviceCode: reference.serviceCode!, organisationCode: reference.organisationCode ?? request.query.organisation }, { on });
      await requireServiceAccess(store.db, actor, known.serviceId, 'write_referrals', { on });
      const service = await findService(store.db, known.organisationCode, known.serviceCode);
      const cells = Object.fromEntries(
        Object.entries(request.body).map(([column, value]) => [column, value === null || value === undefined ? '' : String(value)]),
      );
      const parsed = referralRowSchema({ today: clock() }).safeParse(cells);
      if (!parsed.success) {
        // Field and reason only: the values may be personal data and are not echoed.
        const problems: Problem[] = parsed.error.issues.map((issue) => ({ ...(issue.path.length > 0 ? { field: String(issue.path[0]) } : {}), reason: issue.message }));
        throw new RootsError('VALIDATION_FAILED', { detail: 'The referral was not saved: some values are not valid.', problems });
      }
      const written = await store.db.transaction().execute(async (trx) => {
        const result = await writeReferrals(trx, service, [parsed.data], { actor, arrivedIn: 'request' });
        const referral = result.referrals[0]!;
        if (referral.outcome !== 'unchanged') {
          await recordAuditTrail(trx, {
            actor,
            action: referral.outcome === 'created' ? 'create' : 'update',
            subjectKind: 'referral',
            subjectId: referral.referralId,
            organisationId: service.organisationId,
            detail: { service: `${service.organisationCode}/${service.code}`, via: 'api' },
          });
        }
        return referral;
      });
      if (written.outcome !== 'unchanged') await afterReferralWrites(store.db, 1);
      return reply.status(written.outcome === 'created' ? 201 : 200).send({
        referralId: written.referralId,
        sourceRecordId: written.sourceRecordId,
        result: written.outcome,
        ...(written.notice ? { notice: written.notice } : {}),
      });
    },
  );
};
