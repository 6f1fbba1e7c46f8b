import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.ts';
import type { Actor } from './actor.ts';

/** The active member of staff with this email, as an actor; undefined when there is none or they are deactivated. */
export async function activeStaffActorByEmail(db: Kysely<Schema>, email: string): Promise<Actor | undefined> {
  const row = await db
    .selectFrom('staff_user')
    .select(['id as userId', 'organisation_id as organisationId', 'role'])
    .where('email', '=', email.trim().toLowerCase())
    .where('active', '=', true)
    .executeTakeFirst();
  return row ? { kind: 'staff', ...row } : undefined;
}
