import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { resolveServiceFor } from '../../../access/service-access.ts';
import { referralStatus } from '../../../domain/codes.ts';
import { rootsFhirBase } from '../../../imports/fhir-bundle.schema.ts';
import { fhirStatusOf, mapServiceRequest, nhsNumberSystem, referralStatusExtension, serviceRequestBody, sourceRecordIdOf } from '../../../imports/fhir-service-request.ts';
import { RootsError } from '../../../errors/roots-error.ts';
import { parseServiceReference } from '../../../organisations/service.repository.ts';
import { readProfessionalReferral, searchProfessionalReferrals, submitProfessionalReferral } from '../../../referrals/professional-referral.service.ts';
import type { ProfessionalReferralRow } from '../../../referrals/referral-referrer.repository.ts';
import type { AppDependencies } from '../../app.ts';
import { organisationQuery } from './referral.routes.ts';

/** The service in the address: its code, or ORGANISATION~code when organisations share a code. */
const serviceParam = z.string().regex(/^(?:[A-Za-z0-9-]{2,20}~)?[a-z0-9-]{2,40}$/, { message: 'is not a service code (code, or ORGANISATION~code)' });
const fhirJson = 'application/fhir+json; charset=utf-8';

/** A Roots referral as the ServiceRequest its sender reads back: identifiers and state, no more. */
function toServiceRequest(referral: ProfessionalReferralRow) {
  return {
    resourceType: 'ServiceRequest' as const,
    id: String(referral.referralId),
    meta: { lastUpdated: new Date(referral.updatedAt).toISOString() },
    ...(referral.identifierSystem && referral.identifierValue ? { identifier: [{ system: referral.identifierSystem, value: referral.identifierValue }] } : {}),
    status: fhirStatusOf(referral.status),
    intent: 'order' as const,
    subject: referral.nhsNumber ? { identifier: { system: nhsNumberSystem, value: referral.nhsNumber } } : { display: 'Patient' },
    authoredOn: String(referral.receivedOn).slice(0, 10),
    ...(referral.referrerName ? { requester: { display: referral.referrerName } } : {}),
    extension: [
      {
        url: referralStatusExtension,
        valueCoding: { system: `${rootsFhirBase}/CodeSystem/referral-status`, code: referral.status, display: referralStatus.labels[referral.status] },
      },
    ],
  };
}

/**
 * FHIR R4 ServiceRequest (UK Core, with a contained Patient) for professional referrals:
 * docs/api-referrals.md. POST creates (201 with Location; the same sender sending the same
 * identifier again gets 200 and the same referral; another sender's identifier 409), GET reads
 * one back by id, and a search by `identifier` finds what the sender sent. Errors are
 * problem+json like the rest of the API.
 */
export const fhirServiceRequestRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock }) => {
  // FHIR's own media type, parsed as JSON (inside this plugin only).
  app.addContentTypeParser(['application/fhir+json'], { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  const serviceOf = async (request: { actor: import('../../../access/actor.ts').Actor | null; params: { service: string }; query: { organisation?: string | undefined } }) => {
    const reference = parseServiceReference(request.params.service);
    return resolveServiceFor(store.db, request.actor!, { serviceCode: reference.serviceCode!, organisationCode: reference.organisationCode ?? request.query.organisation }, { on: clock(), subjectKind: 'referral' });
  };
  const locationOf = (service: { organisationCode: string; serviceCode: string }, id: number) => `/api/v1/services/${service.organisationCode}~${service.serviceCode}/fhir/ServiceRequest/${id}`;

  app.post(
    '/services/:service/fhir/ServiceRequest',
    {
      config: { access: 'staff' },
      // FHIR JSON (or plain JSON) only: anything else is 415, before the body is looked at.
      preValidation: async (request) => {
        if (!/^application\/(?:fhir\+)?json(?:;|$)/i.test(String(request.headers['content-type'] ?? '').trim())) {
          throw new RootsError('UNSUPPORTED_MEDIA_TYPE', { detail: 'Send the ServiceRequest as application/fhir+json (or application/json).' });
        }
      },
      schema: {
        description: 'A professional referral as a FHIR R4 ServiceRequest (UK Core) with a contained Patient (docs/api-referrals.md). Idempotent on identifier for its sender.',
        params: z.object({ service: serviceParam }),
        querystring: organisationQuery,
        body: serviceRequestBody,
      },
    },
    async (request, reply) => {
      const actor = request.actor!;
      // Access first (refusals audited): a service the caller may not know is "no such service".
      const service = await serviceOf(request);
      const mapped = mapServiceRequest(request.body, clock());
      if (!mapped.ok) throw new RootsError('VALIDATION_FAILED', { detail: 'The referral was not saved: some values are not valid.', problems: mapped.problems });
      const identifier = request.body.identifier[0]!;
      const result = await submitProfessionalReferral(
        store.db,
        actor,
        service.serviceId,
        {
          record: { ...mapped.record, sourceRecordId: sourceRecordIdOf(identifier) },
          referrer: { channel: 'fhir_api', apiTokenId: request.apiTokenId, ...mapped.referrer },
        },
        { on: clock() },
      );
      return reply
        .status(result.outcome === 'created' ? 201 : 200)
        .header('location', locationOf(service, result.referral.referralId))
        .type(fhirJson)
        .send(JSON.stringify(toServiceRequest(result.referral)));
    },
  );

  app.get(
    '/services/:service/fhir/ServiceRequest/:id',
    {
      config: { access: 'staff' },
      schema: {
        description: 'A professional referral sent by the caller, with its status (docs/api-referrals.md).',
        params: z.object({ service: serviceParam, id: z.coerce.number().int().positive().max(2_147_483_647) }),
        querystring: organisationQuery,
      },
    },
    async (request, reply) => {
      const service = await serviceOf(request);
      const referral = await readProfessionalReferral(store.db, request.actor!, service.serviceId, request.params.id, { on: clock() });
      return reply.type(fhirJson).send(JSON.stringify(toServiceRequest(referral)));
    },
  );

  app.get(
    '/services/:service/fhir/ServiceRequest',
    {
      config: { access: 'staff' },
      schema: {
        description: 'Search the referrals the caller sent by identifier (system|value, or value): a searchset Bundle.',
        params: z.object({ service: serviceParam }),
        querystring: organisationQuery.extend({ identifier: z.string().trim().min(1).max(500) }),
      },
    },
    async (request, reply) => {
      const service = await serviceOf(request);
      const text = request.query.identifier;
      const bar = text.lastIndexOf('|');
      const identifier = bar >= 0 ? { system: text.slice(0, bar) || undefined, value: text.slice(bar + 1) } : { system: undefined, value: text };
      if (!identifier.value) throw new RootsError('VALIDATION_FAILED', { problems: [{ field: 'identifier', reason: 'needs a value (system|value, or value)' }] });
      const found = await searchProfessionalReferrals(store.db, request.actor!, service.serviceId, identifier, { on: clock() });
      return reply.type(fhirJson).send(
        JSON.stringify({
          resourceType: 'Bundle',
          type: 'searchset',
          total: found.length,
          entry: found.map((referral) => ({ fullUrl: locationOf(service, referral.referralId), resource: toServiceRequest(referral), search: { mode: 'match' } })),
        }),
      );
    },
  );
};
