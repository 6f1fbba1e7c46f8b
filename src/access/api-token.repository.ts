import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { RootsError } from '../errors/roots-error.ts';
import type { Schema } from '../store/schema.ts';
import type { Actor } from './actor.ts';

const PREFIX = 'roots_';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates a token for an active member of staff. The token is returned once and never stored. */
export async function createApiToken(
  db: Kysely<Schema>,
  input: { email: string; label: string; days: number; now?: Date },
): Promise<{ token: string; expiresAt: Date }> {
  const user = await db
    .selectFrom('staff_user')
    .select(['id', 'active'])
    .where('email', '=', input.email.trim().toLowerCase())
    .executeTakeFirst();
  if (!user || !user.active) throw new RootsError('NOT_FOUND', { detail: `No active member of staff has the email ${input.email}.` });
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const expiresAt = new Date((input.now ?? new Date()).getTime() + input.days * 86_400_000);
  await db
    .insertInto('api_token')
    .values({ staff_user_id: user.id, token_sha256: digest(token), label: input.label, expires_at: expiresAt })
    .execute();
  return { token, expiresAt };
}

/** The member of staff a bearer token belongs to, if the token is live and its owner active. */
export async function actorForToken(db: Kysely<Schema>, token: string, now = new Date()): Promise<Actor | null> {
  return (await liveApiToken(db, token, now))?.actor ?? null;
}

/** A live token: its id (recorded with what it sends, e.g. a referral) and the member of staff it acts as. */
export async function liveApiToken(db: Kysely<Schema>, token: string, now = new Date()): Promise<{ tokenId: number; actor: Actor } | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const row = await db
    .selectFrom('api_token')
    .innerJoin('staff_user', 'staff_user.id', 'api_token.staff_user_id')
    .select(['api_token.id as tokenId', 'staff_user.id as userId', 'staff_user.organisation_id as organisationId', 'staff_user.role as role'])
    .where('api_token.token_sha256', '=', digest(token))
    .where('api_token.revoked_at', 'is', null)
    .where('api_token.expires_at', '>', now)
    .where('staff_user.active', '=', true)
    .executeTakeFirst();
  return row ? { tokenId: row.tokenId, actor: { kind: 'staff', userId: row.userId, organisationId: row.organisationId, role: row.role } } : null;
}
