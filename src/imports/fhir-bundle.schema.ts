import { z } from 'zod';

/**
 * The FHIR R4 boundary: the Bundle, and the parts of the resources the referral import reads
 * (Patient, ServiceRequest, Encounter, QuestionnaireResponse). Objects are loose: FHIR allows
 * much more than Roots reads, and anything else is left alone. Codes and identifiers follow UK
 * Core (https://simplifier.net/hl7fhirukcorer4).
 */

/** UK Core NHS number identifier system. */
export const nhsNumberSystem = 'https://fhir.nhs.uk/Id/nhs-number';

/** UK Core ethnic category extension on Patient. */
export const ethnicCategoryExtension = 'https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory';

/**
 * Code systems of the NHS Data Dictionary ethnic category, as UK Core and its predecessors name
 * them. Two-character extended codes (Care Connect "CA English") belong to the national
 * category of their first letter.
 */
export const ethnicCategorySystems: ReadonlySet<string> = new Set([
  'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategory',
  'https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland',
  'https://fhir.nhs.uk/R4/CodeSystem/UKCore-EthnicCategory',
  'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-EthnicCategory-1',
]);

/**
 * Roots' own extensions, for what R4 ServiceRequest cannot say: the triage decision, the
 * discharge and the referral source when the requester's type is not enough. There is no
 * published Roots FHIR base URL yet: this one is a placeholder to be replaced once registered.
 */
export const rootsFhirBase = 'https://roots.example.org/fhir';
export const rootsExtension = {
  triage: `${rootsFhirBase}/StructureDefinition/triage`,
  discharge: `${rootsFhirBase}/StructureDefinition/discharge`,
  referralSource: `${rootsFhirBase}/StructureDefinition/referral-source`,
} as const;

const text = z.string();
const period = z.looseObject({ start: text.optional(), end: text.optional() });
export const reference = z.looseObject({ reference: text.optional(), type: text.optional(), display: text.optional() });
const identifier = z.looseObject({ system: text.optional(), value: text.optional() });
const coding = z.looseObject({ system: text.optional(), code: text.optional(), display: text.optional() });
const codeableConcept = z.looseObject({ coding: z.array(coding).optional(), text: text.optional() });

export interface Extension {
  url: string;
  valueCode?: string | undefined;
  valueDate?: string | undefined;
  valueCodeableConcept?: z.infer<typeof codeableConcept> | undefined;
  extension?: Extension[] | undefined;
  [key: string]: unknown;
}
export const extension: z.ZodType<Extension> = z.lazy(() =>
  z.looseObject({
    url: text,
    valueCode: text.optional(),
    valueDate: text.optional(),
    valueCodeableConcept: codeableConcept.optional(),
    extension: z.array(extension).optional(),
  }),
);

export const patientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  id: text.optional(),
  identifier: z.array(identifier).optional(),
  name: z.array(z.looseObject({ use: text.optional(), family: text.optional(), given: z.array(text).optional(), period: period.optional() })).optional(),
  gender: text.optional(),
  birthDate: text.optional(),
  address: z.array(z.looseObject({ use: text.optional(), postalCode: text.optional(), period: period.optional() })).optional(),
  extension: z.array(extension).optional(),
});
export type Patient = z.infer<typeof patientSchema>;

export const serviceRequestSchema = z.looseObject({
  resourceType: z.literal('ServiceRequest'),
  id: text.optional(),
  identifier: z.array(identifier).optional(),
  status: text,
  intent: text,
  subject: reference,
  requester: reference.optional(),
  authoredOn: text.optional(),
  occurrenceDateTime: text.optional(),
  occurrencePeriod: period.optional(),
  extension: z.array(extension).optional(),
});
export type ServiceRequest = z.infer<typeof serviceRequestSchema>;

export const encounterSchema = z.looseObject({
  resourceType: z.literal('Encounter'),
  status: text,
  basedOn: z.array(reference).optional(),
  period: period.optional(),
});
export type Encounter = z.infer<typeof encounterSchema>;

const answer = z.looseObject({ valueDecimal: z.number().optional(), valueInteger: z.number().int().optional() });
export const questionnaireResponseSchema = z.looseObject({
  resourceType: z.literal('QuestionnaireResponse'),
  status: text,
  questionnaire: text.optional(),
  basedOn: z.array(reference).optional(),
  authored: text.optional(),
  item: z.array(z.looseObject({ linkId: text, answer: z.array(answer).optional() })).optional(),
});
export type QuestionnaireResponse = z.infer<typeof questionnaireResponseSchema>;

/** The resources the import reads; any other resource in the bundle is kept only to resolve references. */
export const resourceSchemas = {
  Patient: patientSchema,
  ServiceRequest: serviceRequestSchema,
  Encounter: encounterSchema,
  QuestionnaireResponse: questionnaireResponseSchema,
} as const;

export const bundleSchema = z.looseObject({
  resourceType: z.literal('Bundle', { error: 'is not a FHIR Bundle (resourceType must be "Bundle")' }),
  type: z.enum(['transaction', 'batch', 'collection'], { error: 'must be transaction, batch or collection' }),
  entry: z
    .array(
      z.looseObject({
        fullUrl: text.optional(),
        resource: z.looseObject({ resourceType: text, id: text.optional() }).optional(),
      }),
    )
    .default([]),
});
export type Bundle = z.infer<typeof bundleSchema>;
