import { sql, type Kysely, type Transaction } from 'kysely';
import type { StaffRole } from '../domain/codes.ts';
import type { AuthenticationMethod, Schema, SessionRevokedReason } from '../store/schema.ts';

/** Staff sessions and sign-in attempts: one query per function. Callers pass every time. */

type Db = Kysely<Schema> | Transaction<Schema>;

export interface SessionWithUser {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  userId: number;
  organisationId: number;
  role: StaffRole;
  displayName: string;
  email: string;
  userActive: boolean;
  userDeactivatedAt: Date | null;
}

export async function insertSession(
  db: Db,
  row: { id: string; staffUserId: number; method: AuthenticationMethod; now: Date; expiresAt: Date },
): Promise<void> {
  await db
    .insertInto('staff_session')
    .values({
      id: row.id,
      staff_user_id: row.staffUserId,
      authentication_method: row.method,
      created_at: row.now,
      last_seen_at: row.now,
      expires_at: row.expiresAt,
      revoked_at: null,
      revoked_reason: null,
    })
    .execute();
}

export async function findSessionWithUser(db: Db, id: string): Promise<SessionWithUser | undefined> {
  return db
    .selectFrom('staff_session')
    .innerJoin('staff_user', 'staff_user.id', 'staff_session.staff_user_id')
    .select([
      'staff_session.id',
      'staff_session.created_at as createdAt',
      'staff_session.last_seen_at as lastSeenAt',
      'staff_session.expires_at as expiresAt',
      'staff_session.revoked_at as revokedAt',
      'staff_user.id as userId',
      'staff_user.organisation_id as organisationId',
      'staff_user.role',
      'staff_user.display_name as displayName',
      'staff_user.email',
      'staff_user.active as userActive',
      'staff_user.deactivated_at as userDeactivatedAt',
    ])
    .where('staff_session.id', '=', id)
    .executeTakeFirst();
}

export async function touchSession(db: Db, id: string, now: Date): Promise<void> {
  await db.updateTable('staff_session').set({ last_seen_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

/** Revokes one session; true when it was live. */
export async function revokeSession(db: Db, id: string, now: Date, reason: SessionRevokedReason): Promise<boolean> {
  const result = await db
    .updateTable('staff_session')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Revokes every live session of a member of staff; returns how many. */
export async function revokeUserSessions(db: Db, staffUserId: number, now: Date, reason: SessionRevokedReason): Promise<number> {
  const result = await db
    .updateTable('staff_session')
    .set({ revoked_at: now, revoked_reason: reason })
    .where('staff_user_id', '=', staffUserId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface SignInCandidate {
  id: number;
  organisationId: number;
  role: StaffRole;
  active: boolean;
  passwordHash: string | null;
  method: AuthenticationMethod;
}

export async function findSignInCandidate(db: Db, email: string): Promise<SignInCandidate | undefined> {
  return db
    .selectFrom('staff_user')
    .select(['id', 'organisation_id as organisationId', 'role', 'active', 'password_hash as passwordHash', 'authentication_method as method'])
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function recordSignInAttempt(
  db: Db,
  row: { now: Date; accountKey: string; clientKey: string; staffUserId: number | null; succeeded: boolean },
): Promise<void> {
  await db
    .insertInto('sign_in_attempt')
    .values({ attempted_at: row.now, account_key: row.accountKey, client_key: row.clientKey, staff_user_id: row.staffUserId, succeeded: row.succeeded })
    .execute();
}

export interface FailureCount {
  failures: number;
  lastFailureAt: Date | null;
}

/** Failed attempts at one account since `since` and since its last successful sign-in. */
export async function accountFailures(db: Db, accountKey: string, since: Date): Promise<FailureCount> {
  const row = await db
    .selectFrom('sign_in_attempt')
    .select([sql<number>`count(*)::int`.as('failures'), sql<Date | null>`max(attempted_at)`.as('lastFailureAt')])
    .where('account_key', '=', accountKey)
    .where('succeeded', '=', false)
    .where('attempted_at', '>', since)
    .where(
      'attempted_at',
      '>',
      sql<Date>`coalesce((select max(s.attempted_at) from sign_in_attempt s where s.account_key = ${accountKey} and s.succeeded), '-infinity'::timestamptz)`,
    )
    .executeTakeFirstOrThrow();
  return { failures: Number(row.failures), lastFailureAt: row.lastFailureAt === null ? null : new Date(row.lastFailureAt) };
}

/** Failed attempts from one client address since `since` (a success elsewhere does not reset them). */
export async function clientFailures(db: Db, clientKey: string, since: Date): Promise<FailureCount> {
  const row = await db
    .selectFrom('sign_in_attempt')
    .select([sql<number>`count(*)::int`.as('failures'), sql<Date | null>`max(attempted_at)`.as('lastFailureAt')])
    .where('client_key', '=', clientKey)
    .where('succeeded', '=', false)
    .where('attempted_at', '>', since)
    .executeTakeFirstOrThrow();
  return { failures: Number(row.failures), lastFailureAt: row.lastFailureAt === null ? null : new Date(row.lastFailureAt) };
}
