import type { z } from 'zod';
import { ethnicCategory, outcomeInstrument, type OutcomeInstrument, type OutcomeTimepoint } from '../domain/codes.ts';
import type { SourceProblem, SourceRow } from './import.types.ts';
import { scoreRanges, type ReferralColumn, type ReferralRecord } from './referral-row.schema.ts';
import {
  ethnicCategoryExtension,
  ethnicCategorySystems,
  nhsNumberSystem,
  resourceSchemas,
  rootsExtension,
  type Bundle,
  type Encounter,
  type Extension,
  type Patient,
  type QuestionnaireResponse,
  type ServiceRequest,
} from './fhir-bundle.schema.ts';

/**
 * Maps a FHIR R4 Bundle to referral rows: one row per ServiceRequest, with its Patient (the
 * subject), and the Encounters and QuestionnaireResponses based on it. The cells are the CSV
 * layout's, so the same row schema checks them and the same write path stores them; each cell
 * remembers the FHIR path it came from, so the error report can point at it. The mapping is
 * tabled in docs/import-format.md.
 */

interface Entry {
  index: number;
  fullUrl: string | undefined;
  resourceType: string;
  id: string | undefined;
  resource: Record<string, unknown>;
  /** The parsed resource, for the kinds the import reads. */
  parsed?: unknown;
  problems: SourceProblem[];
}

export function bundleRows(bundle: Bundle): SourceRow[] {
  const entries: Entry[] = bundle.entry.flatMap((entry, index) => {
    if (!entry.resource) return [];
    const resource = entry.resource as Record<string, unknown> & { resourceType: string; id?: string };
    const item: Entry = { index, fullUrl: entry.fullUrl, resourceType: resource.resourceType, id: resource.id, resource, problems: [] };
    const schema = (resourceSchemas as Record<string, z.ZodType>)[resource.resourceType];
    if (schema) {
      const result = schema.safeParse(resource);
      if (result.success) item.parsed = result.data;
      else item.problems = result.error.issues.map((issue) => ({ path: fhirPath(`Bundle.entry[${index}].resource`, issue.path), reason: issue.message }));
    }
    return [item];
  });
  const resolve = referenceResolver(entries);

  // Encounters and questionnaire responses, by the ServiceRequest they are based on.
  const basedOn = new Map<number, { encounters: Entry[]; responses: Entry[] }>();
  const orphans: SourceRow[] = [];
  for (const entry of entries) {
    if (entry.resourceType !== 'Encounter' && entry.resourceType !== 'QuestionnaireResponse') continue;
    const at = `Bundle.entry[${entry.index}].resource`;
    if (entry.problems.length > 0) {
      orphans.push({ row: entry.index, problems: entry.problems });
      continue;
    }
    const references = (entry.parsed as Encounter | QuestionnaireResponse).basedOn ?? [];
    const target = references.map((ref) => resolve(ref.reference)).find((found) => found?.resourceType === 'ServiceRequest');
    if (!target) {
      orphans.push({ row: entry.index, problems: [{ path: `${at}.basedOn`, reason: `${entry.resourceType} is not based on a ServiceRequest in this bundle, so it cannot be imported` }] });
      continue;
    }
    const group = basedOn.get(target.index) ?? { encounters: [], responses: [] };
    (entry.resourceType === 'Encounter' ? group.encounters : group.responses).push(entry);
    basedOn.set(target.index, group);
  }

  const rows = entries
    .filter((entry) => entry.resourceType === 'ServiceRequest')
    .map((entry) => serviceRequestRow(entry, resolve, basedOn.get(entry.index) ?? { encounters: [], responses: [] }));
  return [...rows, ...orphans].sort((a, b) => a.row - b.row);
}

function serviceRequestRow(entry: Entry, resolve: Resolver, related: { encounters: Entry[]; responses: Entry[] }): SourceRow {
  const row = entry.index;
  if (entry.problems.length > 0) return { row, problems: entry.problems };
  const request = entry.parsed as ServiceRequest;
  const at = `Bundle.entry[${row}].resource`;
  const cells: Partial<Record<ReferralColumn, string>> = {};
  const paths: Partial<Record<ReferralColumn, string>> = {};
  const problems: SourceProblem[] = [];
  const put = (column: ReferralColumn, value: string | undefined, path: string) => {
    paths[column] = path;
    if (value !== undefined && value !== '') cells[column] = value;
  };

  const idIndex = (request.identifier ?? []).findIndex((identifier) => identifier.value);
  if (idIndex < 0) problems.push({ field: 'source_record_id', path: `${at}.identifier`, reason: 'is required: the ServiceRequest identifier is its source record id' });
  else put('source_record_id', request.identifier![idIndex]!.value, `${at}.identifier[${idIndex}].value`);

  const received = request.authoredOn ?? request.occurrenceDateTime ?? request.occurrencePeriod?.start;
  const receivedPath = request.authoredOn ? 'authoredOn' : request.occurrenceDateTime ? 'occurrenceDateTime' : 'occurrencePeriod.start';
  if (received === undefined) problems.push({ field: 'referral_received', path: `${at}.authoredOn`, reason: 'is required: authoredOn (or occurrence) gives the day the referral was received' });
  else put('referral_received', dateOf(received), `${at}.${receivedPath}`);

  const source = referralSource(request, resolve, at);
  if ('problem' in source) problems.push(source.problem);
  else put('referral_source', source.code, source.path);

  const subject = resolve(request.subject.reference);
  if (!subject || subject.resourceType !== 'Patient') {
    problems.push({ field: 'person_id', path: `${at}.subject.reference`, reason: `does not lead to a Patient in this bundle (${request.subject.reference ? 'reference not found' : 'no reference'})` });
  } else if (subject.problems.length > 0) {
    problems.push(...subject.problems);
  } else {
    problems.push(...patientCells(subject.parsed as Patient, `Bundle.entry[${subject.index}].resource`, put));
  }

  const triage = extensionValues(request.extension, rootsExtension.triage);
  if (triage) {
    const path = `${at}.extension[${triage.index}]`;
    put('triage_date', triage.values.date?.[0], `${path}.extension('date')`);
    put('pathway', triage.values.pathway?.[0], `${path}.extension('pathway')`);
    put('priority', triage.values.priority?.[0], `${path}.extension('priority')`);
    put('triage_outcome', triage.values.outcome?.[0], `${path}.extension('outcome')`);
  }
  const discharge = extensionValues(request.extension, rootsExtension.discharge);
  if (discharge) {
    const path = `${at}.extension[${discharge.index}]`;
    put('discharge_date', discharge.values.date?.[0], `${path}.extension('date')`);
    put('discharge_reason', discharge.values.reason?.[0], `${path}.extension('reason')`);
    put('discharge_outcomes', discharge.values.outcome?.join(';'), `${path}.extension('outcome')`);
  }

  // Contacts: finished encounters were attended (the earliest is the first contact), cancelled ones cancelled.
  const finished = related.encounters
    .map((encounter) => ({ entry: encounter, resource: encounter.parsed as Encounter }))
    .filter(({ resource }) => resource.status === 'finished');
  const dated = finished.filter(({ resource }) => resource.period?.start).sort((a, b) => a.resource.period!.start!.localeCompare(b.resource.period!.start!));
  if (finished.length > 0) {
    put('contacts_attended', String(finished.length), `Bundle.entry[${finished[0]!.entry.index}].resource.status`);
    const first = dated[0];
    if (first) put('first_contact_date', dateOf(first.resource.period!.start!), `Bundle.entry[${first.entry.index}].resource.period.start`);
    else problems.push({ field: 'first_contact_date', path: `Bundle.entry[${finished[0]!.entry.index}].resource.period.start`, reason: 'a finished Encounter needs period.start (the day of the contact)' });
  }
  const cancelled = related.encounters.filter((encounter) => (encounter.parsed as Encounter).status === 'cancelled');
  if (cancelled.length > 0) put('contacts_cancelled', String(cancelled.length), `Bundle.entry[${cancelled[0]!.index}].resource.status`);

  const responses = related.responses.filter((response) => ['completed', 'amended'].includes((response.parsed as QuestionnaireResponse).status));
  return {
    row,
    cells: cells as Record<string, string>,
    problems,
    locate: (column) => paths[column as ReferralColumn],
    ...(responses.length > 0 ? { complete: (record: ReferralRecord) => withResponses(record, responses) } : {}),
  };
}

function patientCells(patient: Patient, at: string, put: (column: ReferralColumn, value: string | undefined, path: string) => void): SourceProblem[] {
  const problems: SourceProblem[] = [];
  const identifiers = patient.identifier ?? [];
  const nhs = identifiers.findIndex((identifier) => identifier.system === nhsNumberSystem && identifier.value);
  const local = identifiers.findIndex((identifier) => identifier.system !== nhsNumberSystem && identifier.value);
  if (nhs >= 0) put('nhs_number', identifiers[nhs]!.value, `${at}.identifier[${nhs}].value`);
  // The person's id in the source system: a local identifier, else the NHS number, else the resource id.
  if (local >= 0) put('person_id', `${identifiers[local]!.system ?? ''}|${identifiers[local]!.value}`.replace(/^\|/, ''), `${at}.identifier[${local}].value`);
  else if (nhs >= 0) put('person_id', `nhs-number|${identifiers[nhs]!.value!.replace(/\s/g, '')}`, `${at}.identifier[${nhs}].value`);
  else if (patient.id) put('person_id', `Patient/${patient.id}`, `${at}.id`);
  else problems.push({ field: 'person_id', path: `${at}.identifier`, reason: 'the Patient needs an identifier (or an id) to be recognised again in later imports' });

  const names = patient.name ?? [];
  const nameIndex = Math.max(0, ['official', 'usual'].map((use) => names.findIndex((name) => name.use === use)).find((index) => index >= 0) ?? 0);
  const name = names[nameIndex];
  if (name) {
    put('given_name', name.given?.join(' '), `${at}.name[${nameIndex}].given`);
    put('family_name', name.family, `${at}.name[${nameIndex}].family`);
  }
  put('date_of_birth', patient.birthDate, `${at}.birthDate`);

  if (patient.gender !== undefined) {
    const sex = { male: '1', female: '2', other: '9', unknown: 'X' }[patient.gender];
    if (sex) put('sex', sex, `${at}.gender`);
    else problems.push({ field: 'sex', path: `${at}.gender`, value: patient.gender, reason: 'must be male, female, other or unknown' });
  }

  const extensions = patient.extension ?? [];
  const ethnicIndex = extensions.findIndex((ext) => ext.url === ethnicCategoryExtension);
  if (ethnicIndex >= 0) {
    const codings = extensions[ethnicIndex]!.valueCodeableConcept?.coding ?? [];
    const codingIndex = codings.findIndex((coding) => coding.system && ethnicCategorySystems.has(coding.system));
    const path = `${at}.extension[${ethnicIndex}].valueCodeableConcept.coding[${Math.max(codingIndex, 0)}].code`;
    if (codingIndex < 0) {
      problems.push({ field: 'ethnicity', path, reason: `is not coded in the UK Core ethnic category code system (${[...ethnicCategorySystems][0]})` });
    } else {
      put('ethnicity', nationalEthnicCategory(codings[codingIndex]!.code ?? ''), path);
    }
  }

  const addresses = patient.address ?? [];
  const current = addresses.map((address, index) => ({ address, index })).filter(({ address }) => !address.period?.end);
  const home = current.find(({ address }) => address.use === 'home') ?? current[0];
  if (home) put('postcode', home.address.postalCode, `${at}.address[${home.index}].postalCode`);
  return problems;
}

/** Maps an extended code ('CA' English) to its national category ('C'); national codes stay. */
export function nationalEthnicCategory(code: string): string {
  const trimmed = code.trim().toUpperCase();
  if ((ethnicCategory.values as string[]).includes(trimmed)) return trimmed;
  if (trimmed.length === 2 && (ethnicCategory.values as string[]).includes(trimmed[0]!) && trimmed[0] !== 'Z') return trimmed[0]!;
  return trimmed;
}

function referralSource(request: ServiceRequest, resolve: Resolver, at: string): { code: string; path: string } | { problem: SourceProblem } {
  const explicit = (request.extension ?? []).findIndex((ext) => ext.url === rootsExtension.referralSource);
  if (explicit >= 0) return { code: request.extension![explicit]!.valueCode ?? '', path: `${at}.extension[${explicit}].valueCode` };
  const requester = request.requester;
  if (!requester) return { problem: { field: 'referral_source', path: `${at}.requester`, reason: 'is required: the requester (or the Roots referral-source extension) tells who referred' } };
  const type = resolve(requester.reference)?.resourceType ?? requester.type ?? /(?:^|\/)([A-Z][A-Za-z]+)\/[^/]+$/.exec(requester.reference ?? '')?.[1];
  const code = { Patient: 'self', RelatedPerson: 'carer', Practitioner: 'other', PractitionerRole: 'other', Organization: 'other' }[type ?? ''];
  if (!code) return { problem: { field: 'referral_source', path: `${at}.requester`, reason: 'must refer to a Patient, RelatedPerson, Practitioner, PractitionerRole or Organization' } };
  return { code, path: `${at}.requester` };
}

/** Values of a complex extension's parts, by part url (`date`, `pathway`...). */
function extensionValues(extensions: Extension[] | undefined, url: string): { index: number; values: Record<string, string[]> } | null {
  const index = (extensions ?? []).findIndex((ext) => ext.url === url);
  if (index < 0) return null;
  const values: Record<string, string[]> = {};
  for (const part of extensions![index]!.extension ?? []) {
    const value = part.valueCode ?? part.valueDate;
    if (value !== undefined) (values[part.url] ??= []).push(value);
  }
  return { index, values };
}

/**
 * Questionnaire responses become outcome scores of the episode: the earliest is the baseline,
 * the latest (when there is more than one) the score at discharge, or a review score while the
 * person is still being seen. Each is dated by `authored`.
 */
function withResponses(record: ReferralRecord, entries: Entry[]): { record: ReferralRecord } | { problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  const scored: { instrument: OutcomeInstrument; on: string; score: number; at: string }[] = [];
  for (const entry of entries) {
    const response = entry.parsed as QuestionnaireResponse;
    const at = `Bundle.entry[${entry.index}].resource`;
    const instrument = instrumentOf(response.questionnaire);
    const itemIndex = (response.item ?? []).findIndex((item) => item.linkId === 'score' || item.linkId === 'total');
    const answer = response.item?.[itemIndex]?.answer?.[0];
    const score = answer?.valueDecimal ?? answer?.valueInteger;
    if (!instrument) problems.push({ field: 'outcome_instrument', path: `${at}.questionnaire`, value: response.questionnaire ?? '', reason: `is not a questionnaire Roots scores (its last part must be one of ${outcomeInstrument.values.join(', ')})` });
    if (score === undefined) problems.push({ field: 'outcome_baseline_score', path: `${at}.item`, reason: "needs an item with linkId 'score' (or 'total') answered with valueDecimal or valueInteger" });
    if (!response.authored) problems.push({ path: `${at}.authored`, reason: 'is required: the day the questionnaire was answered' });
    if (instrument && score !== undefined) {
      const [low, high] = scoreRanges[instrument];
      if (score < low || score > high) problems.push({ field: 'outcome_baseline_score', path: `${at}.item[${itemIndex}].answer[0]`, value: String(score), reason: `must be between ${low} and ${high} for ${instrument}` });
    }
    if (instrument && score !== undefined && response.authored) scored.push({ instrument, on: dateOf(response.authored), score, at });
  }
  if (problems.length > 0) return { problems };
  if (new Set(scored.map((s) => s.instrument)).size > 1) {
    return { problems: [{ field: 'outcome_instrument', path: scored[1]!.at, reason: 'a referral can carry scores of one instrument only' }] };
  }
  if (!record.waiting) {
    return { problems: [{ field: 'outcome_instrument', path: scored[0]!.at, reason: 'outcome scores need the referral accepted to the waiting list (Roots triage extension, outcome accept)' }] };
  }
  scored.sort((a, b) => a.on.localeCompare(b.on));
  const first = scored[0]!;
  const responses: { timepoint: OutcomeTimepoint; recordedOn: string; score: number }[] = [{ timepoint: 'baseline', recordedOn: first.on, score: first.score }];
  if (scored.length > 1) {
    const last = scored.at(-1)!;
    responses.push({ timepoint: record.discharge ? 'discharge' : 'review', recordedOn: last.on, score: last.score });
  }
  return { record: { ...record, outcome: { instrument: first.instrument, responses } } };
}

function instrumentOf(questionnaire: string | undefined): OutcomeInstrument | null {
  if (!questionnaire) return null;
  const last = questionnaire.split('|')[0]!.split('/').at(-1)!.toUpperCase().replaceAll('-', '_');
  return (outcomeInstrument.values as string[]).includes(last) ? (last as OutcomeInstrument) : null;
}

/** The calendar day of a FHIR date or dateTime as written ('2026-01-05T23:30:00+00:00' -> '2026-01-05'). */
function dateOf(value: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : value;
}

type Resolver = (reference: string | undefined) => Entry | undefined;

/**
 * Resolves references within the bundle: by fullUrl (urn:uuid: or absolute), or by type and
 * id ('Patient/123', or an absolute URL ending so).
 */
function referenceResolver(entries: Entry[]): Resolver {
  const byFullUrl = new Map(entries.filter((entry) => entry.fullUrl).map((entry) => [entry.fullUrl!, entry]));
  const byTypeAndId = new Map(entries.filter((entry) => entry.id).map((entry) => [`${entry.resourceType}/${entry.id}`, entry]));
  return (reference) => {
    if (!reference) return undefined;
    const exact = byFullUrl.get(reference);
    if (exact) return exact;
    const tail = /([A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64})(?:\/_history\/[^/]+)?$/.exec(reference)?.[1];
    return tail ? byTypeAndId.get(tail) : undefined;
  };
}

function fhirPath(base: string, path: PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${String(part)}`), base);
}
