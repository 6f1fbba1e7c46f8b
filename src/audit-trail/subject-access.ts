import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { mayReadIdentifiable } from '../access/policies.ts';
import { RootsError } from '../errors/roots-error.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../people/nhs-number.ts';
import type { Schema } from '../store/schema.ts';
import { auditEventsAbout, recordAuditTrail, type AuditEventRow } from './audit-trail.repository.ts';
import * as repository from './subject-access.repository.ts';

export interface SubjectAccessRequest {
  organisationCode: string;
  /** The person's identifier in the source system (`source_person_id`), or ... */
  sourcePersonId?: string | undefined;
  /** ... their NHS number (spaces allowed). Exactly one of the two. */
  nhsNumber?: string | undefined;
}

/** Everything Roots holds about one person of one organisation. */
export interface SubjectAccessRecord {
  person: Record<string, unknown>;
  referrals: Record<string, unknown>[];
  triage: Record<string, unknown>[];
  episodes: Record<string, unknown>[];
  clockEvents: Record<string, unknown>[];
  allocations: Record<string, unknown>[];
  contacts: Record<string, unknown>[];
  interventions: Record<string, unknown>[];
  /** Goals and notes of the person's episodes (caseload/). */
  goals: Record<string, unknown>[];
  notes: Record<string, unknown>[];
  outcomeResponses: Record<string, unknown>[];
  /** AHP Health and Work Reports, every version. */
  workReports: Record<string, unknown>[];
  discharges: Record<string, unknown>[];
  /** Every audit trail entry about this person or any of the records above. */
  auditTrail: AuditEventRow[];
}

export interface SubjectAccessExport {
  generatedAt: string;
  organisation: { code: string; name: string };
  /** Usually one; more when the NHS number was recorded on more than one person record. */
  people: SubjectAccessRecord[];
}

/**
 * A subject access export (UK GDPR Article 15): every row Roots holds about a person, found by
 * their source identifier or NHS number within one organisation, with the audit trail entries
 * about those rows. Access first (identifiable data of that organisation); a refusal and the
 * export itself are recorded in the audit trail, in the same transaction as the reads, before
 * the trail is read, so the export lists itself.
 */
export async function subjectAccessExport(db: Kysely<Schema>, actor: Actor, request: SubjectAccessRequest, now = new Date()): Promise<SubjectAccessExport> {
  if ((request.sourcePersonId === undefined) === (request.nhsNumber === undefined)) {
    throw new RootsError('BAD_REQUEST', { detail: 'Name the person by exactly one of --person (their source identifier) or --nhs-number.' });
  }
  const nhsNumber = request.nhsNumber === undefined ? undefined : normaliseNhsNumber(request.nhsNumber);
  if (nhsNumber !== undefined && !isValidNhsNumber(nhsNumber)) {
    throw new RootsError('BAD_REQUEST', { detail: '--nhs-number is not a valid NHS number (10 digits with a Modulus 11 check digit).' });
  }
  const organisation = await repository.organisationByCode(db, request.organisationCode);
  if (!organisation) throw new RootsError('NOT_FOUND', { detail: `There is no organisation ${request.organisationCode}.` });
  if (!mayReadIdentifiable(actor, { organisationId: organisation.id })) {
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'organisation', subjectId: organisation.id, organisationId: organisation.id, detail: { wanted: 'subject_access_export' } });
    throw new RootsError('FORBIDDEN', { detail: `You may not read people's records of ${organisation.code}.` });
  }

  return db.transaction().execute(async (trx) => {
    const found =
      nhsNumber !== undefined ? await repository.peopleByNhsNumber(trx, organisation.id, nhsNumber) : await repository.peopleBySourceId(trx, organisation.id, request.sourcePersonId!);
    if (found.length === 0) throw new RootsError('NOT_FOUND', { detail: `${organisation.code} holds no person with that ${nhsNumber !== undefined ? 'NHS number' : 'identifier'}.` });
    const people: SubjectAccessRecord[] = [];
    for (const person of found) {
      const referrals = await repository.referralsOf(trx, [person.id]);
      const referralIds = referrals.map((row) => row.id);
      const [triage, discharges, episodes] = [await repository.triageOf(trx, referralIds), await repository.dischargesOf(trx, referralIds), await repository.episodesOf(trx, referralIds)];
      const episodeIds = episodes.map((row) => row.id);
      const clockEvents = await repository.clockEventsOf(trx, episodeIds);
      const allocations = await repository.allocationsOf(trx, episodeIds);
      const contacts = await repository.contactsOf(trx, episodeIds);
      const interventions = await repository.interventionsOf(trx, contacts.map((row) => row.id));
      const outcomeResponses = await repository.outcomeResponsesOf(trx, episodeIds);
      const goals = await repository.goalsOf(trx, episodeIds);
      const notes = await repository.notesOf(trx, episodeIds);
      const workReports = await repository.workReportsOf(trx, episodeIds);
      await recordAuditTrail(trx, {
        actor,
        action: 'export',
        subjectKind: 'person',
        subjectId: person.id,
        organisationId: organisation.id,
        detail: { purpose: 'subject_access', referrals: referrals.length, episodes: episodes.length, contacts: contacts.length },
      });
      const auditTrail = await auditEventsAbout(trx, [
        { kind: 'person', ids: [person.id] },
        { kind: 'referral', ids: referralIds },
        { kind: 'episode', ids: episodeIds },
        { kind: 'contact', ids: contacts.map((row) => row.id) },
        { kind: 'allocation', ids: allocations.map((row) => row.id) },
        { kind: 'outcome_response', ids: outcomeResponses.map((row) => row.id) },
        { kind: 'episode_goal', ids: goals.map((row) => row.id) },
        { kind: 'episode_note', ids: notes.map((row) => row.id) },
        // Work report entries name the episode (every version of its report).
        { kind: 'work_report', ids: episodeIds },
      ]);
      people.push({ person, referrals, triage, episodes, clockEvents, allocations, contacts, interventions, goals, notes, outcomeResponses, workReports, discharges, auditTrail });
    }
    return { generatedAt: now.toISOString(), organisation: { code: organisation.code, name: organisation.name }, people };
  });
}
