import type { Kysely, Transaction } from 'kysely';
import type { Schema } from '../store/schema.ts';

/**
 * Read-only queries for a subject access export: one query per table, each selecting every
 * column of the rows that belong to the given people, referrals, episodes or contacts. The
 * tables belong to other domains; this file only reads them.
 */
type Db = Kysely<Schema> | Transaction<Schema>;

export const organisationByCode = (db: Db, code: string) =>
  db.selectFrom('organisation').select(['id', 'code', 'name']).where('code', '=', code).executeTakeFirst();

export const peopleBySourceId = (db: Db, organisationId: number, sourcePersonId: string) =>
  db.selectFrom('person').selectAll().where('organisation_id', '=', organisationId).where('source_person_id', '=', sourcePersonId).orderBy('id').execute();

export const peopleByNhsNumber = (db: Db, organisationId: number, nhsNumber: string) =>
  db.selectFrom('person').selectAll().where('organisation_id', '=', organisationId).where('nhs_number', '=', nhsNumber).orderBy('id').execute();

const none = <T>(): Promise<T[]> => Promise.resolve([]);

export const referralsOf = (db: Db, personIds: number[]) =>
  personIds.length === 0 ? none<never>() : db.selectFrom('referral').selectAll().where('person_id', 'in', personIds).orderBy('id').execute();

export const triageOf = (db: Db, referralIds: number[]) =>
  referralIds.length === 0 ? none<never>() : db.selectFrom('triage').selectAll().where('referral_id', 'in', referralIds).orderBy('referral_id').execute();

export const dischargesOf = (db: Db, referralIds: number[]) =>
  referralIds.length === 0 ? none<never>() : db.selectFrom('discharge').selectAll().where('referral_id', 'in', referralIds).orderBy('referral_id').execute();

export const episodesOf = (db: Db, referralIds: number[]) =>
  referralIds.length === 0 ? none<never>() : db.selectFrom('episode').selectAll().where('referral_id', 'in', referralIds).orderBy('id').execute();

export const clockEventsOf = (db: Db, episodeIds: number[]) =>
  episodeIds.length === 0 ? none<never>() : db.selectFrom('waiting_clock_event').selectAll().where('episode_id', 'in', episodeIds).orderBy('id').execute();

export const allocationsOf = (db: Db, episodeIds: number[]) =>
  episodeIds.length === 0 ? none<never>() : db.selectFrom('allocation').selectAll().where('episode_id', 'in', episodeIds).orderBy('id').execute();

export const contactsOf = (db: Db, episodeIds: number[]) =>
  episodeIds.length === 0 ? none<never>() : db.selectFrom('contact').selectAll().where('episode_id', 'in', episodeIds).orderBy('id').execute();

export const interventionsOf = (db: Db, contactIds: number[]) =>
  contactIds.length === 0 ? none<never>() : db.selectFrom('intervention').selectAll().where('contact_id', 'in', contactIds).orderBy('id').execute();

export const goalsOf = (db: Db, episodeIds: number[]) =>
  episodeIds.length === 0 ? none<never>() : db.selectFrom('episode_goal').selectAll().where('episode_id', 'in', episodeIds).orderBy('id').execute();

export const notesOf = (db: Db, episodeIds: number[]) =>
  episodeIds.length === 0 ? none<never>() : db.selectFrom('episode_note').selectAll().where('episode_id', 'in', episodeIds).orderBy('id').execute();
/** Every version of the AHP Health and Work Reports written for these episodes (migration 0015). */
export const workReportsOf = (db: Db, episodeIds: number[]) =>
  episodeIds.length === 0 ? none<never>() : db.selectFrom('work_report').selectAll().where('episode_id', 'in', episodeIds).orderBy('id').execute();

export const outcomeResponsesOf = (db: Db, episodeIds: number[]) =>
  episodeIds.length === 0 ? none<never>() : db.selectFrom('outcome_response').selectAll().where('episode_id', 'in', episodeIds).orderBy('id').execute();
