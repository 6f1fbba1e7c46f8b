import type { Kysely, Transaction } from 'kysely';
import type { StaffRole } from '../domain/codes.ts';
import type { Schema } from '../store/schema.ts';

/** Staff accounts and their API tokens, for administration: one query per function. */

type Db = Kysely<Schema> | Transaction<Schema>;

export interface StaffUserSummary {
  id: number;
  organisationId: number;
  organisation: string;
  email: string;
  displayName: string;
  role: StaffRole;
  active: boolean;
  createdAt: Date;
  deactivatedAt: Date | null;
  passwordChangedAt: Date | null;
}

const userColumns = [
  'staff_user.id',
  'staff_user.organisation_id as organisationId',
  'organisation.code as organisation',
  'staff_user.email',
  'staff_user.display_name as displayName',
  'staff_user.role',
  'staff_user.active',
  'staff_user.created_at as createdAt',
  'staff_user.deactivated_at as deactivatedAt',
  'staff_user.password_changed_at as passwordChangedAt',
] as const;

export async function findOrganisationByCode(db: Db, code: string): Promise<{ id: number; code: string } | undefined> {
  return db.selectFrom('organisation').select(['id', 'code']).where('code', '=', code).executeTakeFirst();
}

export async function findStaffUser(db: Db, where: { id: number } | { email: string }): Promise<StaffUserSummary | undefined> {
  const query = db.selectFrom('staff_user').innerJoin('organisation', 'organisation.id', 'staff_user.organisation_id').select(userColumns);
  return ('id' in where ? query.where('staff_user.id', '=', where.id) : query.where('staff_user.email', '=', where.email)).executeTakeFirst();
}

export async function listStaffUsers(db: Db, organisationId: number | null): Promise<StaffUserSummary[]> {
  let query = db.selectFrom('staff_user').innerJoin('organisation', 'organisation.id', 'staff_user.organisation_id').select(userColumns);
  if (organisationId !== null) query = query.where('staff_user.organisation_id', '=', organisationId);
  return query.orderBy('organisation.code').orderBy('staff_user.email').execute();
}

export async function insertStaffUser(
  db: Db,
  row: { organisationId: number; email: string; displayName: string; role: StaffRole; passwordHash: string; now: Date },
): Promise<number> {
  const inserted = await db
    .insertInto('staff_user')
    .values({
      organisation_id: row.organisationId,
      email: row.email,
      display_name: row.displayName,
      role: row.role,
      password_hash: row.passwordHash,
      password_changed_at: row.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return inserted.id;
}

export async function deactivateStaffUserRow(db: Db, id: number, now: Date): Promise<boolean> {
  const result = await db.updateTable('staff_user').set({ active: false, deactivated_at: now }).where('id', '=', id).where('active', '=', true).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setPasswordHash(db: Db, id: number, passwordHash: string, now: Date): Promise<void> {
  await db.updateTable('staff_user').set({ password_hash: passwordHash, password_changed_at: now }).where('id', '=', id).execute();
}

export interface ApiTokenSummary {
  id: number;
  staffUserId: number;
  email: string;
  organisationId: number;
  label: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

const tokenColumns = [
  'api_token.id',
  'api_token.staff_user_id as staffUserId',
  'staff_user.email',
  'staff_user.organisation_id as organisationId',
  'api_token.label',
  'api_token.created_at as createdAt',
  'api_token.expires_at as expiresAt',
  'api_token.revoked_at as revokedAt',
] as const;

export async function listApiTokens(db: Db, filter: { organisationId: number | null; staffUserId: number | null }): Promise<ApiTokenSummary[]> {
  let query = db.selectFrom('api_token').innerJoin('staff_user', 'staff_user.id', 'api_token.staff_user_id').select(tokenColumns);
  if (filter.organisationId !== null) query = query.where('staff_user.organisation_id', '=', filter.organisationId);
  if (filter.staffUserId !== null) query = query.where('api_token.staff_user_id', '=', filter.staffUserId);
  return (await query.orderBy('api_token.id').execute()) as ApiTokenSummary[];
}

export async function findApiToken(db: Db, id: number): Promise<ApiTokenSummary | undefined> {
  return (await db.selectFrom('api_token').innerJoin('staff_user', 'staff_user.id', 'api_token.staff_user_id').select(tokenColumns).where('api_token.id', '=', id).executeTakeFirst()) as
    | ApiTokenSummary
    | undefined;
}

export async function revokeApiTokenRow(db: Db, id: number, now: Date): Promise<boolean> {
  const result = await db.updateTable('api_token').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
