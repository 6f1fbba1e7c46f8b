import type { Kysely, Transaction } from 'kysely';
import type { ReferralSource, ReferralStatus } from '../domain/codes.ts';
import type { ReferralReferrerTable, Schema } from '../store/schema.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

/** A row of referral_referrer as written (migration 0009). */
export type ReferrerRow = Omit<ReferralReferrerTable, 'created_at'>;

/** Who referred: written once, with the referral, by the professional referral service only. */
export async function insertReferrer(trx: Transaction<Schema>, row: ReferrerRow): Promise<void> {
  await trx.insertInto('referral_referrer').values(row).execute();
}

/** The referrer row of a referral, if a professional sent or recorded it. */
export async function findReferrer(db: Db, referralId: number): Promise<ReferrerRow | undefined> {
  return db.selectFrom('referral_referrer').selectAll().where('referral_id', '=', referralId).executeTakeFirst();
}

export interface ProfessionalReferralRow {
  referralId: number;
  serviceId: number;
  sourceRecordId: string;
  receivedOn: string;
  status: ReferralStatus;
  source: ReferralSource;
  updatedAt: Date;
  nhsNumber: string | null;
  givenName: string | null;
  familyName: string | null;
  dateOfBirth: string | null;
  channel: ReferrerRow['channel'];
  senderStaffUserId: number | null;
  identifierSystem: string | null;
  identifierValue: string | null;
  organisationCode: string | null;
  organisationName: string | null;
  referrerName: string | null;
  referrerContact: string | null;
  reasonSystem: string | null;
  reasonCode: string | null;
  reasonText: string | null;
  createdAt: Date;
}

const professionalReferral = (db: Db) =>
  db
    .selectFrom('referral_referrer')
    .innerJoin('referral', 'referral.id', 'referral_referrer.referral_id')
    .innerJoin('person', 'person.id', 'referral.person_id')
    .select([
      'referral.id as referralId',
      'referral.service_id as serviceId',
      'referral.source_record_id as sourceRecordId',
      'referral.received_on as receivedOn',
      'referral.status as status',
      'referral.source as source',
      'referral.updated_at as updatedAt',
      'person.nhs_number as nhsNumber',
      'person.given_name as givenName',
      'person.family_name as familyName',
      'person.date_of_birth as dateOfBirth',
      'referral_referrer.channel as channel',
      'referral_referrer.sender_staff_user_id as senderStaffUserId',
      'referral_referrer.identifier_system as identifierSystem',
      'referral_referrer.identifier_value as identifierValue',
      'referral_referrer.organisation_code as organisationCode',
      'referral_referrer.organisation_name as organisationName',
      'referral_referrer.referrer_name as referrerName',
      'referral_referrer.referrer_contact as referrerContact',
      'referral_referrer.reason_system as reasonSystem',
      'referral_referrer.reason_code as reasonCode',
      'referral_referrer.reason_text as reasonText',
      'referral_referrer.created_at as createdAt',
    ]);

/** One professional referral of a service, with its person and referrer. */
export async function findProfessionalReferral(db: Db, serviceId: number, referralId: number): Promise<ProfessionalReferralRow | undefined> {
  return (await professionalReferral(db).where('referral.service_id', '=', serviceId).where('referral.id', '=', referralId).executeTakeFirst()) as ProfessionalReferralRow | undefined;
}

/** The professional referral of a service sent with an identifier (system and value), if any. */
export async function findProfessionalReferralByIdentifier(db: Db, serviceId: number, identifier: { system: string | undefined; value: string }): Promise<ProfessionalReferralRow[]> {
  let query = professionalReferral(db).where('referral_referrer.service_id', '=', serviceId).where('referral_referrer.identifier_value', '=', identifier.value);
  if (identifier.system !== undefined) query = query.where('referral_referrer.identifier_system', '=', identifier.system);
  return (await query.orderBy('referral.id').limit(20).execute()) as ProfessionalReferralRow[];
}
