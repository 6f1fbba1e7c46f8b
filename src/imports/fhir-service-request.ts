import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { ReferralRecord } from '../referrals/referral.record.ts';
import { bundleRows } from './fhir-bundle.mapping.ts';
import { nhsNumberSystem, rootsFhirBase } from './fhir-bundle.schema.ts';
import { referralRowSchema } from './referral-row.schema.ts';

/**
 * One professional referral as a FHIR R4 ServiceRequest (UK Core), the body of
 * `POST /api/v1/services/:service/fhir/ServiceRequest` (docs/api-referrals.md):
 *
 * - the Patient is a **contained** resource, referred to by `subject.reference` ("#patient");
 * - the referrer is `requester`: a reference to a contained PractitionerRole (its practitioner's
 *   name, its organisation's ODS code and name, its telecom) or, at least, a `display` name;
 * - `identifier` (system and value) is the sender's own id for the referral: the API is
 *   idempotent on it;
 * - `reasonCode` (a coding and/or text) is the reason for referral;
 * - `authoredOn` is the day the referral was made (received by Roots).
 *
 * The Patient and ServiceRequest are mapped by the same code as a FHIR bundle import
 * (fhir-bundle.mapping.ts: NHS number, date of birth, gender, UK Core ethnic category,
 * postcode), then checked by the same row schema, so a referral is the same whichever way it came.
 */

export const odsOrganisationSystem = 'https://fhir.nhs.uk/Id/ods-organization-code';
/** The referral's state in Roots, beside the FHIR status (which is coarser): see docs/api-referrals.md. */
export const referralStatusExtension = `${rootsFhirBase}/StructureDefinition/referral-status`;

const text = (max: number) => z.string().trim().min(1).max(max);
const identifier = z.looseObject({ system: text(400).regex(/^(?:https?:\/\/|urn:)/, { message: 'must be a URI (http(s):// or urn:)' }), value: text(100) });
const coding = z.looseObject({ system: text(400).optional(), code: text(100).optional(), display: text(400).optional() });
const codeableConcept = z.looseObject({ coding: z.array(coding).max(10).optional(), text: text(4000).optional() });
const contactPoint = z.looseObject({ system: z.enum(['phone', 'email', 'fax', 'url', 'sms', 'other', 'pager']).optional(), value: text(200) });
const localReference = z.string().regex(/^#[A-Za-z0-9\-.]{1,64}$/, { message: 'must refer to a contained resource ("#id")' });

const practitionerRoleSchema = z.looseObject({
  resourceType: z.literal('PractitionerRole'),
  id: text(64),
  practitioner: z.looseObject({ display: text(200).optional() }).optional(),
  organization: z.looseObject({ identifier: z.looseObject({ system: text(400).optional(), value: text(20) }).optional(), display: text(200).optional() }).optional(),
  telecom: z.array(contactPoint).max(5).optional(),
});

const patientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  id: text(64),
  identifier: z.array(z.looseObject({ system: text(400).optional(), value: text(100) })).min(1, { message: 'needs an identifier: the NHS number (system https://fhir.nhs.uk/Id/nhs-number) or a local one' }).max(10),
});

export const serviceRequestBody = z
  .looseObject({
    resourceType: z.literal('ServiceRequest', { error: 'must be "ServiceRequest"' }),
    identifier: z.array(identifier).min(1, { message: "needs the sender's identifier for the referral" }).max(5),
    status: z.literal('active', { error: 'must be "active" (a referral being made)' }),
    intent: z.enum(['order', 'original-order', 'proposal', 'plan'], { error: 'must be order, original-order, proposal or plan' }),
    subject: z.looseObject({ reference: localReference }),
    requester: z.looseObject({ reference: localReference.optional(), display: text(200).optional() }),
    authoredOn: z.string().regex(/^\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))?$/, { message: 'must be a FHIR date or dateTime' }),
    reasonCode: z.array(codeableConcept).max(5).optional(),
    contained: z.array(z.looseObject({ resourceType: text(40), id: text(64).optional() })).min(1, { message: 'must hold the Patient' }).max(5),
  })
  .superRefine((request, ctx) => {
    const find = (reference: string | undefined) => (reference ? request.contained.findIndex((resource) => `#${resource.id}` === reference) : -1);
    const patient = find(request.subject.reference);
    if (patient < 0 || request.contained[patient]!.resourceType !== 'Patient') {
      ctx.addIssue({ code: 'custom', path: ['subject', 'reference'], message: 'must refer to the contained Patient' });
    } else {
      const parsed = patientSchema.safeParse(request.contained[patient]);
      if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['contained', patient, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))], message: issue.message });
    }
    if (!request.requester.reference && !request.requester.display) {
      ctx.addIssue({ code: 'custom', path: ['requester'], message: 'must name the referrer: a contained PractitionerRole, or at least a display name' });
    }
    if (request.requester.reference) {
      const role = find(request.requester.reference);
      if (role < 0 || request.contained[role]!.resourceType !== 'PractitionerRole') {
        ctx.addIssue({ code: 'custom', path: ['requester', 'reference'], message: 'must refer to a contained PractitionerRole' });
      } else {
        const parsed = practitionerRoleSchema.safeParse(request.contained[role]);
        if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['contained', role, ...issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part))], message: issue.message });
      }
    }
  });
export type ServiceRequestBody = z.infer<typeof serviceRequestBody>;

/** Who referred and why, as the referral_referrer row keeps them. */
export interface ReferrerDetails {
  identifierSystem: string;
  identifierValue: string;
  organisationCode: string | null;
  organisationName: string | null;
  referrerName: string | null;
  referrerContact: string | null;
  reasonSystem: string | null;
  reasonCode: string | null;
  reasonText: string | null;
}

export type MappedServiceRequest =
  | { ok: true; record: ReferralRecord; referrer: ReferrerDetails }
  | { ok: false; problems: { field: string; reason: string }[] };

/**
 * The referral's source record id: the identifier's system and value, so that two senders'
 * numbering schemes never meet by chance (the same system and value from another sender is a
 * conflict, 409).
 */
export function sourceRecordIdOf(identifier: { system: string; value: string }): string {
  const joined = `${identifier.system}|${identifier.value}`;
  // A long system URL: its digest keeps the id within 100 characters without two ids meeting.
  return joined.length <= 100 ? joined : `sha256:${createHash('sha256').update(joined).digest('hex')}`;
}

/** Maps a validated ServiceRequest to the typed record the write path takes, and its referrer. */
export function mapServiceRequest(request: ServiceRequestBody, today: string): MappedServiceRequest {
  const id = request.identifier[0]!;
  const patient = request.contained.find((resource) => `#${resource.id}` === request.subject.reference)!;
  const role = request.requester.reference ? (practitionerRoleSchema.parse(request.contained.find((resource) => `#${resource.id}` === request.requester.reference)) as z.infer<typeof practitionerRoleSchema>) : null;
  // Mapped as a bundle of two (or three) resources, by the FHIR import's own mapping.
  const bundle = {
    resourceType: 'Bundle' as const,
    type: 'collection' as const,
    entry: [
      { resource: { ...patient, resourceType: 'Patient', id: patient.id } },
      ...(role ? [{ resource: { ...role } }] : []),
      {
        resource: {
          ...request,
          contained: undefined,
          identifier: [{ system: id.system, value: sourceRecordIdOf(id) }],
          subject: { reference: `Patient/${patient.id}` },
          requester: role ? { reference: `PractitionerRole/${role.id}` } : { type: 'Practitioner', display: request.requester.display },
        },
      },
    ],
  };
  const [row] = bundleRows(bundle as never);
  const where = (path: string | undefined) => (path ?? '').replace(/^Bundle\.entry\[\d+\]\.resource\.?/, '') || 'ServiceRequest';
  if (!row?.cells || (row.problems ?? []).length > 0) {
    return { ok: false, problems: (row?.problems ?? [{ reason: 'is not a ServiceRequest Roots can read' }]).map((problem) => ({ field: where(problem.path ?? problem.field), reason: problem.reason })) };
  }
  const parsed = referralRowSchema({ today }).safeParse(row.cells);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => {
        const column = issue.path.length > 0 ? String(issue.path[0]) : '';
        return { field: column ? where(row.locate?.(column)) || column : 'ServiceRequest', reason: issue.message };
      }),
    };
  }
  const reason = request.reasonCode?.[0];
  const reasonCoding = reason?.coding?.find((c) => c.code);
  const telecom = role?.telecom?.find((contact) => contact.system === 'phone' || contact.system === 'email') ?? role?.telecom?.[0];
  return {
    ok: true,
    record: parsed.data,
    referrer: {
      identifierSystem: id.system,
      identifierValue: id.value,
      organisationCode: role?.organization?.identifier?.value ?? null,
      organisationName: role?.organization?.display ?? null,
      referrerName: role?.practitioner?.display ?? request.requester.display ?? null,
      referrerContact: telecom?.value ?? null,
      reasonSystem: reasonCoding?.system ?? null,
      reasonCode: reasonCoding?.code ?? null,
      reasonText: reason?.text ?? reasonCoding?.display ?? null,
    },
  };
}

/** FHIR ServiceRequest.status for a Roots referral status (docs/api-referrals.md). */
export function fhirStatusOf(status: string): 'active' | 'completed' | 'revoked' {
  switch (status) {
    case 'discharged':
    case 'advice_discharged':
      return 'completed';
    case 'redirected':
    case 'returned':
      return 'revoked';
    default:
      return 'active';
  }
}

export { nhsNumberSystem };
