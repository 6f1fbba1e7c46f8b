import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { mayReadIdentifiable } from '../access/policies.ts';
import { requireServiceAccess } from '../access/service-access.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../errors/roots-error.ts';
import { afterReferralWrites } from '../store/maintenance.ts';
import type { IsoDate, Schema } from '../store/schema.ts';
import type { ReferralRecord } from './referral.record.ts';
import { findReferralsBySourceId, lockServiceReferrals } from './referral.repository.ts';
import { findProfessionalReferral, findProfessionalReferralByIdentifier, findReferrer, insertReferrer, type ProfessionalReferralRow } from './referral-referrer.repository.ts';
import { writeReferrals } from './referral.write.ts';

/**
 * Professional referrals: a referral a professional sends (FHIR ServiceRequest over the API) or
 * that staff record for one (the staff form). Both go through `writeReferrals`, the one write
 * path, and record who referred in `referral_referrer` (migration 0009) in the same transaction,
 * with an audit trail entry.
 *
 * - Access first: the actor must be allowed to write referrals for the service
 *   (`write_referrals`); a refusal is audited (service-access.ts).
 * - Idempotent on the sender's identifier (the referral's source record id): the same sender
 *   (the member of staff behind the API token or the form) sending it again gets the referral it
 *   made, unchanged; anyone else using the same identifier in the service gets ALREADY_EXISTS
 *   (409), as does an identifier already used by an import.
 * - Its status can be read back by its sender, or by staff who may read identifiable data of the
 *   service; to anyone else it does not exist.
 */

export interface ReferrerInput {
  channel: 'fhir_api' | 'staff_form';
  apiTokenId: number | null;
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

export interface ProfessionalReferralResult {
  outcome: 'created' | 'existing';
  referral: ProfessionalReferralRow;
}

const senderOf = (actor: Actor): number | null => (actor.kind === 'staff' ? actor.userId : null);

export async function submitProfessionalReferral(
  db: Kysely<Schema>,
  actor: Actor,
  serviceId: number,
  input: { record: ReferralRecord; referrer: ReferrerInput },
  options: { on: IsoDate },
): Promise<ProfessionalReferralResult> {
  const scope = await requireServiceAccess(db, actor, serviceId, 'write_referrals', { on: options.on, subjectKind: 'referral' });
  const service = { id: scope.serviceId, organisationId: scope.organisationId };
  const result = await db.transaction().execute(async (trx): Promise<{ outcome: 'created' | 'existing'; referralId: number }> => {
    // Held to the end of the transaction (writeReferrals takes it again): two sends of one
    // identifier at once make one referral, and the second finds it.
    await lockServiceReferrals(trx, service.id);
    const existing = (await findReferralsBySourceId(trx, service.id, [input.record.sourceRecordId])).get(input.record.sourceRecordId);
    if (existing) {
      const referrer = await findReferrer(trx, existing.id);
      const sameSender = referrer !== undefined && referrer.channel === input.referrer.channel && referrer.sender_staff_user_id === senderOf(actor) && referrer.identifier_value === input.referrer.identifierValue;
      if (!sameSender) {
        throw new RootsError('ALREADY_EXISTS', { detail: 'A referral with this identifier has already been sent to this service by someone else: use an identifier of your own.', problems: [{ field: 'identifier', reason: 'is already used in this service' }] });
      }
      return { outcome: 'existing', referralId: existing.id };
    }
    const written = await writeReferrals(trx, service, [input.record], { actor, arrivedIn: 'request' });
    const referralId = written.referrals[0]!.referralId;
    await insertReferrer(trx, {
      referral_id: referralId,
      service_id: service.id,
      channel: input.referrer.channel,
      sender_staff_user_id: senderOf(actor),
      api_token_id: input.referrer.apiTokenId,
      identifier_system: input.referrer.identifierSystem,
      identifier_value: input.referrer.identifierValue,
      organisation_code: input.referrer.organisationCode,
      organisation_name: input.referrer.organisationName,
      referrer_name: input.referrer.referrerName,
      referrer_contact: input.referrer.referrerContact,
      reason_system: input.referrer.reasonSystem,
      reason_code: input.referrer.reasonCode,
      reason_text: input.referrer.reasonText,
    });
    await recordAuditTrail(trx, {
      actor,
      action: 'create',
      subjectKind: 'referral',
      subjectId: referralId,
      organisationId: service.organisationId,
      detail: { service: `${scope.organisationCode}/${scope.serviceCode}`, via: input.referrer.channel, source: 'professional', api_token: input.referrer.apiTokenId },
    });
    return { outcome: 'created', referralId };
  });
  if (result.outcome === 'created') await afterReferralWrites(db, 1);
  const referral = await findProfessionalReferral(db, service.id, result.referralId);
  if (!referral) throw new RootsError('INTERNAL', { detail: 'The referral was saved but cannot be read back.' });
  return { outcome: result.outcome, referral };
}

/** Whether the actor may see this professional referral: its sender, or staff who may read the service's identifiable data. */
const maySee = (actor: Actor, referral: ProfessionalReferralRow, scope: { organisationId: number; commissionerOrganisationIds: readonly number[] }) =>
  (actor.kind === 'staff' && referral.senderStaffUserId === actor.userId) || mayReadIdentifiable(actor, scope);

/**
 * A professional referral by its Roots id, for its sender (or staff of the service who may read
 * identifiable data). Anything else, including another sender's referral, is NOT_FOUND. The read
 * is written to the audit trail.
 */
export async function readProfessionalReferral(db: Kysely<Schema>, actor: Actor, serviceId: number, referralId: number, options: { on: IsoDate }): Promise<ProfessionalReferralRow> {
  const scope = await requireServiceAccess(db, actor, serviceId, 'write_referrals', { on: options.on, subjectKind: 'referral' });
  const referral = await findProfessionalReferral(db, serviceId, referralId);
  if (!referral || !maySee(actor, referral, scope)) throw new RootsError('NOT_FOUND', { detail: 'There is no such referral.' });
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'referral', subjectId: referral.referralId, organisationId: scope.organisationId, detail: { via: 'status' } });
  return referral;
}

/** The professional referrals sent with an identifier (`system|value` or a value alone) that the actor may see. */
export async function searchProfessionalReferrals(db: Kysely<Schema>, actor: Actor, serviceId: number, identifier: { system: string | undefined; value: string }, options: { on: IsoDate }): Promise<ProfessionalReferralRow[]> {
  const scope = await requireServiceAccess(db, actor, serviceId, 'write_referrals', { on: options.on, subjectKind: 'referral' });
  const found = (await findProfessionalReferralByIdentifier(db, serviceId, identifier)).filter((referral) => maySee(actor, referral, scope));
  for (const referral of found) {
    await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'referral', subjectId: referral.referralId, organisationId: scope.organisationId, detail: { via: 'status' } });
  }
  return found;
}
