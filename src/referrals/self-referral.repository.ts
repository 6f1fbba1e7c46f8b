import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../store/schema.ts';

/** The SQL of the public self-referral: drafts of journeys in progress and submitted self-referrals (migration 0007). One query per function. */

type Db = Kysely<Schema> | Transaction<Schema>;

export interface SelfReferralServiceRow {
  id: number;
  organisationId: number;
  organisationCode: string;
  code: string;
  name: string;
  acceptsSelfReferral: boolean;
}

const serviceColumns = [
  'service.id as id',
  'service.organisation_id as organisationId',
  'organisation.code as organisationCode',
  'service.code as code',
  'service.name as name',
  'service.accepts_self_referral as acceptsSelfReferral',
] as const;

/** Services that take referrals from the public, oldest first. */
export async function selfReferralServices(db: Db): Promise<SelfReferralServiceRow[]> {
  return db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select(serviceColumns)
    .where('service.accepts_self_referral', '=', true)
    .orderBy('service.id')
    .limit(50)
    .execute();
}

export async function serviceById(db: Db, id: number): Promise<SelfReferralServiceRow | undefined> {
  return db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select(serviceColumns).where('service.id', '=', id).executeTakeFirst();
}

export interface DraftRow {
  id: number;
  serviceId: number | null;
  submissionToken: string;
  answers: unknown;
  submittedReferralId: number | null;
  submittedReference: string | null;
}

const draftColumns = [
  'id',
  'service_id as serviceId',
  'submission_token as submissionToken',
  'answers',
  'submitted_referral_id as submittedReferralId',
  'submitted_reference as submittedReference',
] as const;

export async function insertDraft(db: Db, draft: { tokenHash: string; submissionToken: string; serviceId: number; expiresAt: Date }): Promise<number> {
  const row = await db
    .insertInto('self_referral_draft')
    .values({ token_hash: draft.tokenHash, submission_token: draft.submissionToken, service_id: draft.serviceId, expires_at: draft.expiresAt })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A live (unexpired) draft by the hash of its cookie token. */
export async function findLiveDraft(db: Db, tokenHash: string, now: Date): Promise<DraftRow | undefined> {
  return db.selectFrom('self_referral_draft').select(draftColumns).where('token_hash', '=', tokenHash).where('expires_at', '>', now).executeTakeFirst() as Promise<DraftRow | undefined>;
}

/** The draft, locked to the end of the transaction: two submits of one draft wait for each other. */
export async function lockDraft(trx: Transaction<Schema>, id: number): Promise<DraftRow | undefined> {
  return trx.selectFrom('self_referral_draft').select(draftColumns).where('id', '=', id).forUpdate().executeTakeFirst() as Promise<DraftRow | undefined>;
}

/** Saves the answers of a draft not yet submitted (a submitted draft's answers never change). */
export async function saveDraftAnswers(db: Db, id: number, answers: unknown, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('self_referral_draft')
    .set({ answers: JSON.stringify(answers), updated_at: now })
    .where('id', '=', id)
    .where('submitted_referral_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markDraftSubmitted(trx: Transaction<Schema>, id: number, referralId: number, reference: string): Promise<void> {
  await trx.updateTable('self_referral_draft').set({ submitted_referral_id: referralId, submitted_reference: reference }).where('id', '=', id).execute();
}

/** Deletes expired drafts (their answers go with them); returns how many. */
export async function deleteExpiredDrafts(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('self_referral_draft').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function referenceExists(db: Db, reference: string): Promise<boolean> {
  const row = await db.selectFrom('self_referral').select('id').where('reference', '=', reference).executeTakeFirst();
  return row !== undefined;
}

export type SelfReferralWrite = Omit<import('../store/schema.ts').SelfReferralTable, 'id' | 'created_at' | 'answers' | 'contact_methods' | 'adjustments' | 'hard_activities'> & {
  answers: unknown;
  contact_methods: string[];
  adjustments: string[];
  hard_activities: string[];
};

export async function insertSelfReferral(trx: Transaction<Schema>, row: SelfReferralWrite): Promise<void> {
  await trx
    .insertInto('self_referral')
    .values({
      ...row,
      answers: JSON.stringify(row.answers),
      contact_methods: sql`${row.contact_methods}::text[]`,
      adjustments: sql`${row.adjustments}::text[]`,
      hard_activities: sql`${row.hard_activities}::text[]`,
    })
    .execute();
}
