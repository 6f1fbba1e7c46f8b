import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { mayAcceptSelfReferral } from '../access/policies.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../errors/roots-error.ts';
import { afterReferralWrites } from '../store/maintenance.ts';
import type { Schema } from '../store/schema.ts';
import { writeReferrals } from './referral.write.ts';
import { makeReference, referenceDataLength } from './reference-number.ts';
import { selfReferralAnswersSchema, selfReferralRecord } from './self-referral.answers.ts';
import * as repository from './self-referral.repository.ts';

/**
 * The public self-referral (/refer): drafts kept server-side while a person answers, and the
 * one submit that turns a complete draft into a referral through `writeReferrals`.
 * Everything is written as the system actor below; no one signs in.
 */
export const publicSelfReferralActor: Actor = { kind: 'system', name: 'public-self-referral' };

/** How long a draft lives after it is started. */
export const draftLifetimeMs = 24 * 60 * 60 * 1000;

/** The cookie holds a random token; the database holds only its SHA-256. */
export const draftTokenHash = (token: string): string => createHash('sha256').update(token).digest('base64url');

export async function servicesTakingSelfReferral(db: Kysely<Schema>): Promise<repository.SelfReferralServiceRow[]> {
  return repository.selfReferralServices(db);
}

/**
 * Starts a draft for a service that takes self-referrals (access first: any other service is
 * refused), deleting expired drafts on the way. Returns the cookie token (shown to nobody else).
 */
export async function startDraft(db: Kysely<Schema>, serviceId: number, now: Date): Promise<{ token: string }> {
  const service = await repository.serviceById(db, serviceId);
  if (!service || !mayAcceptSelfReferral(service)) throw new RootsError('NOT_FOUND', { detail: 'This service does not take self-referrals.' });
  await repository.deleteExpiredDrafts(db, now);
  const token = randomBytes(32).toString('base64url');
  await repository.insertDraft(db, {
    tokenHash: draftTokenHash(token),
    submissionToken: randomBytes(24).toString('base64url'),
    serviceId,
    expiresAt: new Date(now.getTime() + draftLifetimeMs),
  });
  return { token };
}

export async function findDraft(db: Kysely<Schema>, token: string | undefined, now: Date): Promise<repository.DraftRow | undefined> {
  if (!token || token.length > 200) return undefined;
  return repository.findLiveDraft(db, draftTokenHash(token), now);
}

export async function saveDraft(db: Kysely<Schema>, draft: repository.DraftRow, answers: unknown, now: Date): Promise<boolean> {
  return repository.saveDraftAnswers(db, draft.id, answers, now);
}

export interface SubmitInput {
  draftId: number;
  /** The token the check-your-answers form carried: it must be this draft's. */
  submissionToken: string;
  /** Every answer on the journey's path, flattened. */
  answers: unknown;
  language: 'en' | 'cy';
  receivedOn: string;
  now: Date;
}

export interface Submitted {
  reference: string;
  referralId: number;
  urgent: boolean;
  /** False when this draft had already been submitted (a refresh, back button or double click). */
  created: boolean;
}

/**
 * Submits a draft, once. In one transaction: lock the draft (a second submit waits, then finds
 * it submitted and gets the same answer); check the form's submission token; check the service
 * still takes self-referrals; validate every answer; write the referral through
 * `writeReferrals` (source "self", postcode resolved to area and deprivation like any
 * referral); keep the full answers in `self_referral`; record it in the audit trail.
 */
export async function submitSelfReferral(db: Kysely<Schema>, input: SubmitInput): Promise<Submitted> {
  const result = await db.transaction().execute(async (trx): Promise<Submitted> => {
    const draft = await repository.lockDraft(trx, input.draftId);
    if (!draft) throw new RootsError('NOT_FOUND', { detail: 'These answers have expired. Start again.' });
    if (draft.submissionToken !== input.submissionToken) throw new RootsError('BAD_REQUEST', { detail: 'The form was changed before it was sent.' });
    if (draft.submittedReferralId !== null && draft.submittedReference !== null) {
      const urgent = (draft.answers as { urgent?: { urgent?: string } } | null)?.urgent?.urgent === 'yes';
      return { reference: draft.submittedReference, referralId: draft.submittedReferralId, urgent, created: false };
    }
    const service = draft.serviceId === null ? undefined : await repository.serviceById(trx, draft.serviceId);
    if (!service || !mayAcceptSelfReferral(service)) throw new RootsError('NOT_FOUND', { detail: 'This service no longer takes self-referrals.' });
    const parsed = selfReferralAnswersSchema.safeParse(input.answers);
    if (!parsed.success) {
      throw new RootsError('VALIDATION_FAILED', {
        detail: 'Some answers are missing or not valid.',
        problems: parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })),
      });
    }
    const answers = parsed.data;
    let reference = '';
    for (let attempt = 0; attempt < 10 && reference === ''; attempt++) {
      const candidate = makeReference(Array.from({ length: referenceDataLength }, () => randomInt(31)));
      if (!(await repository.referenceExists(trx, candidate))) reference = candidate;
    }
    if (reference === '') throw new RootsError('INTERNAL', { detail: 'No free reference number was found.' });

    const written = await writeReferrals(trx, service, [selfReferralRecord(answers, reference, input.receivedOn)], { actor: publicSelfReferralActor, arrivedIn: 'request' });
    const referralId = written.referrals[0]!.referralId;
    const urgent = answers.urgent === 'yes';
    await repository.insertSelfReferral(trx, {
      referral_id: referralId,
      service_id: service.id,
      draft_id: draft.id,
      submission_token: draft.submissionToken,
      reference,
      language: input.language,
      referred_by: answers.referredBy,
      referrer_name: answers.referredBy === 'self' ? null : (answers.referrerName ?? null),
      referrer_relationship: answers.referredBy === 'self' ? null : (answers.referrerRelationship ?? null),
      urgent_risk: urgent,
      // An urgent answer asks for review the same day (triage reads this flag).
      same_day_review: urgent,
      lives_alone: answers.livesAlone === 'yes',
      contact_methods: answers.contactMethods,
      phone: answers.phone ?? null,
      email: answers.email ?? null,
      address: answers.address ?? null,
      safe_times: answers.safeTimes ?? null,
      may_leave_message: answers.mayLeaveMessage === 'yes',
      adjustments: answers.adjustments,
      adjustments_detail: answers.adjustmentsDetail ?? null,
      interpreter_needed: answers.interpreter === 'yes',
      language_preferred: answers.interpreter === 'yes' ? (answers.language ?? null) : null,
      gp_practice: answers.gpPractice ?? null,
      hard_activities: answers.hardActivities,
      what_matters: answers.whatMatters,
      consent_given_at: input.now,
      answers,
    });
    await repository.markDraftSubmitted(trx, draft.id, referralId, reference);
    await recordAuditTrail(trx, {
      actor: publicSelfReferralActor,
      action: 'create',
      subjectKind: 'referral',
      subjectId: referralId,
      organisationId: service.organisationId,
      detail: { service: `${service.organisationCode}/${service.code}`, via: 'self-referral', sameDayReview: urgent },
    });
    return { reference, referralId, urgent, created: true };
  });
  if (result.created) await afterReferralWrites(db, 1);
  return result;
}
