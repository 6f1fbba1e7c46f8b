import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../access/actor.ts';
import { mayReadIdentifiable, mayWriteReferrals } from '../access/policies.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import * as codes from '../domain/codes.ts';
import { RootsError } from '../errors/roots-error.ts';
import type { ReferralStatus } from '../domain/codes.ts';
import type { Schema } from '../store/schema.ts';
import * as repository from './referral.repository.ts';
import { statusAfterTriage } from './referral.state.ts';

/**
 * Staff triage a referral in Roots. From this moment Roots owns the referral's journey: a
 * re-import updates only what the source owns and reports, per row, that the file's triage was
 * not applied (docs/adr/0008). The staff triage pages will call this; tests do now.
 *
 * It opens its own transaction, after the access check: a refusal is written to the audit trail
 * and must not be rolled back with the write it refused.
 */
export const triageDecisionSchema = z
  .object({
    triagedOn: z.iso.date({ error: 'must be a real date written YYYY-MM-DD' }),
    pathway: z.enum(codes.pathway.values),
    priority: z.enum(codes.priority.values).nullable(),
    outcome: z.enum(codes.triageOutcome.values),
    notes: z.string().trim().max(4000).nullable().default(null),
  })
  .refine((decision) => decision.outcome !== 'accept' || decision.priority !== null, { path: ['priority'], message: 'is required when the referral is accepted to the waiting list' });
export type TriageDecision = z.input<typeof triageDecisionSchema>;

export async function recordTriage(
  db: Kysely<Schema>,
  actor: Actor,
  referralId: number,
  input: TriageDecision,
): Promise<{ referralId: number; status: ReferralStatus }> {
  const scope = await repository.findReferralScope(db, referralId);
  if (!scope || actor.kind !== 'staff' || !mayWriteReferrals(actor, scope) || !mayReadIdentifiable(actor, scope)) {
    if (scope) await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'referral', subjectId: referralId, organisationId: scope.organisationId });
    // Another organisation's referral is reported like one that does not exist.
    const own = scope && actor.kind === 'staff' && actor.organisationId === scope.organisationId;
    throw new RootsError(own ? 'FORBIDDEN' : 'NOT_FOUND', { detail: own ? 'You may not triage referrals.' : 'There is no such referral.' });
  }
  const parsed = triageDecisionSchema.safeParse(input);
  if (!parsed.success) {
    throw new RootsError('VALIDATION_FAILED', {
      detail: 'The triage cannot be recorded with these values.',
      problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })),
    });
  }
  const decision = parsed.data;
  return db.transaction().execute(async (trx) => {
    // Locks the referral row: an import writing it waits, or is waited for.
    const referral = (await repository.lockReferral(trx, referralId))!;
    if (decision.triagedOn < referral.receivedOn) {
      throw new RootsError('VALIDATION_FAILED', { detail: 'The triage cannot be recorded with these values.', problems: [{ field: 'triagedOn', reason: 'is before the referral was received' }] });
    }
    await repository.upsertStaffTriage(trx, {
      referralId,
      triagedOn: decision.triagedOn,
      pathway: decision.pathway,
      priority: decision.priority,
      outcome: decision.outcome,
      triagedBy: actor.userId,
      notes: decision.notes,
    });
    if (decision.outcome === 'accept') {
      const priority = decision.priority!;
      if (referral.episodeId === null) {
        await repository.insertStaffEpisode(trx, { referralId, serviceId: referral.serviceId, pathway: decision.pathway, priority, clockStartedOn: referral.receivedOn });
      } else {
        await repository.updateEpisodeTriage(trx, referral.episodeId, { pathway: decision.pathway, priority });
      }
    }
    const status = statusAfterTriage(decision.outcome, referral.status);
    await repository.updateReferralStatus(trx, referralId, status);
    await recordAuditTrail(trx, {
      actor,
      action: 'update',
      subjectKind: 'referral',
      subjectId: referralId,
      organisationId: referral.organisationId,
      detail: { change: 'triage', outcome: decision.outcome },
    });
    return { referralId, status };
  });
}
