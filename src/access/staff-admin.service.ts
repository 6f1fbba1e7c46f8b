import type { Kysely } from 'kysely';
import { z } from 'zod';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { staffRole } from '../domain/codes.ts';
import { RootsError } from '../errors/roots-error.ts';
import type { Schema } from '../store/schema.ts';
import type { Actor } from './actor.ts';
import { generatePassword, hashPassword, passwordSchema } from './password.ts';
import { revokeUserSessions } from './session.repository.ts';
import {
  deactivateStaffUserRow,
  findApiToken,
  findOrganisationByCode,
  findStaffUser,
  insertStaffUser,
  listApiTokens as listApiTokenRows,
  listStaffUsers as listStaffUserRows,
  revokeApiTokenRow,
  setPasswordHash,
  type ApiTokenSummary,
  type StaffUserSummary,
} from './staff-user.repository.ts';

/**
 * Administration of staff accounts and API tokens, used by the `roots user` and `roots token`
 * commands (as the system actor `system:cli`) and by the /admin pages (as a signed-in
 * administrator). Each function checks first that the actor may administer the organisation
 * concerned (the system, or an administrator of that same organisation); a refusal is audited.
 */

/** The documented actor of `roots` commands run on the server: `system:cli` in the audit trail. */
export const cliActor: Actor = { kind: 'system', name: 'cli' };

/** Administer staff and tokens of an organisation: the system, or its own administrators. */
export const mayAdminister = (actor: Actor, organisationId: number): boolean =>
  actor.kind === 'system' || (actor.role === 'administrator' && actor.organisationId === organisationId);

async function requireAdministrator(db: Kysely<Schema>, actor: Actor, organisationId: number, what: string): Promise<void> {
  if (mayAdminister(actor, organisationId)) return;
  await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'organisation', subjectId: organisationId, organisationId, detail: { reason: 'not_administrator', what } });
  throw new RootsError('FORBIDDEN', { detail: 'Only an administrator of this organisation can do this.' });
}

/** The organisations an actor may see in lists: all for the system, their own for an administrator. */
function listScope(actor: Actor): number | null {
  return actor.kind === 'system' ? null : actor.organisationId;
}

function invalid(issues: z.core.$ZodIssue[], detail: string): RootsError {
  return new RootsError('VALIDATION_FAILED', { detail, problems: issues.map((issue) => ({ field: issue.path.join('.') || 'input', reason: issue.message })) });
}

const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(320, { message: 'must be at most 320 characters' })
  .regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, { message: 'must be an email address, like name@example.nhs.uk' });

export const newStaffUserSchema = z.object({
  organisationId: z.number().int().positive(),
  email: emailSchema,
  displayName: z.string().trim().min(1, { message: 'must not be empty' }).max(100, { message: 'must be at most 100 characters' }),
  role: z.enum(staffRole.values, { message: `must be one of ${staffRole.values.join(', ')}` }),
  password: passwordSchema.optional(),
});
export type NewStaffUser = z.input<typeof newStaffUserSchema>;

/** The organisation with this code, or NOT_FOUND. */
export async function organisationIdFor(db: Kysely<Schema>, code: string): Promise<number> {
  const organisation = await findOrganisationByCode(db, code.trim());
  if (!organisation) throw new RootsError('NOT_FOUND', { detail: `There is no organisation ${code}.` });
  return organisation.id;
}

/**
 * Creates a member of staff who signs in with a password: the one given, or a generated one-time
 * password returned once (never stored in clear, never logged).
 */
export async function createStaffAccount(
  db: Kysely<Schema>,
  actor: Actor,
  input: NewStaffUser,
  now = new Date(),
): Promise<{ user: StaffUserSummary; password: string | null }> {
  const parsed = newStaffUserSchema.safeParse(input);
  if (!parsed.success) throw invalid(parsed.error.issues, 'The member of staff cannot be created with these values.');
  const value = parsed.data;
  await requireAdministrator(db, actor, value.organisationId, 'create_user');
  if (await findStaffUser(db, { email: value.email })) {
    throw new RootsError('ALREADY_EXISTS', { detail: 'A member of staff already has that email address.', problems: [{ field: 'email', reason: 'is already in use' }] });
  }
  const generated = value.password === undefined ? generatePassword() : null;
  const passwordHash = await hashPassword(value.password ?? generated!);
  const id = await db.transaction().execute(async (trx) => {
    const created = await insertStaffUser(trx, { organisationId: value.organisationId, email: value.email, displayName: value.displayName, role: value.role, passwordHash, now });
    await recordAuditTrail(trx, { actor, action: 'create', subjectKind: 'staff_user', subjectId: created, organisationId: value.organisationId, detail: { role: value.role } });
    return created;
  });
  return { user: (await findStaffUser(db, { id }))!, password: generated };
}

export async function listStaffAccounts(db: Kysely<Schema>, actor: Actor, filter: { organisationId?: number } = {}): Promise<StaffUserSummary[]> {
  if (filter.organisationId !== undefined) await requireAdministrator(db, actor, filter.organisationId, 'list_users');
  else if (actor.kind === 'staff') await requireAdministrator(db, actor, actor.organisationId, 'list_users');
  const organisationId = filter.organisationId ?? listScope(actor);
  const users = await listStaffUserRows(db, organisationId);
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'staff_user', organisationId, detail: { count: users.length } });
  return users;
}

async function userFor(db: Kysely<Schema>, actor: Actor, who: { id: number } | { email: string }, what: string): Promise<StaffUserSummary> {
  // Staff who administer nothing are refused outright; an administrator of another organisation
  // is told the record does not exist.
  if (actor.kind === 'staff' && actor.role !== 'administrator') await requireAdministrator(db, actor, actor.organisationId, what);
  const key = 'email' in who ? { email: who.email.trim().toLowerCase() } : who;
  const user = await findStaffUser(db, key);
  // Someone else's organisation looks the same as no one: refusal is audited, existence not revealed.
  if (!user || !mayAdminister(actor, user.organisationId)) {
    if (user) await requireAdministrator(db, actor, user.organisationId, what).catch(() => undefined);
    throw new RootsError('NOT_FOUND', { detail: 'There is no such member of staff.' });
  }
  return user;
}

export async function getStaffAccount(db: Kysely<Schema>, actor: Actor, who: { id: number } | { email: string }): Promise<StaffUserSummary> {
  return userFor(db, actor, who, 'read_user');
}

/** Deactivates a member of staff: they cannot sign in, their sessions end, their tokens stop working. */
export async function deactivateStaffAccount(
  db: Kysely<Schema>,
  actor: Actor,
  who: { id: number } | { email: string },
  now = new Date(),
): Promise<{ user: StaffUserSummary; sessionsRevoked: number; changed: boolean }> {
  const user = await userFor(db, actor, who, 'deactivate_user');
  if (actor.kind === 'staff' && actor.userId === user.id) {
    throw new RootsError('BAD_REQUEST', { detail: 'You cannot deactivate your own account.' });
  }
  const outcome = await db.transaction().execute(async (trx) => {
    const changed = await deactivateStaffUserRow(trx, user.id, now);
    const sessionsRevoked = await revokeUserSessions(trx, user.id, now, 'deactivated');
    await recordAuditTrail(trx, { actor, action: 'update', subjectKind: 'staff_user', subjectId: user.id, organisationId: user.organisationId, detail: { change: 'deactivated', sessionsRevoked } });
    return { changed, sessionsRevoked };
  });
  return { user: (await findStaffUser(db, { id: user.id }))!, ...outcome };
}

/** Sets a new one-time password (or the one given) and ends every session of the member of staff. */
export async function resetStaffPassword(
  db: Kysely<Schema>,
  actor: Actor,
  who: { id: number } | { email: string },
  options: { password?: string; now?: Date } = {},
): Promise<{ user: StaffUserSummary; password: string | null; sessionsRevoked: number }> {
  const user = await userFor(db, actor, who, 'reset_password');
  if (options.password !== undefined) {
    const parsed = passwordSchema.safeParse(options.password);
    if (!parsed.success) throw invalid(parsed.error.issues.map((issue) => ({ ...issue, path: ['password'] })), 'The password is not valid.');
  }
  const now = options.now ?? new Date();
  const generated = options.password === undefined ? generatePassword() : null;
  const passwordHash = await hashPassword(options.password ?? generated!);
  const sessionsRevoked = await db.transaction().execute(async (trx) => {
    await setPasswordHash(trx, user.id, passwordHash, now);
    const revoked = await revokeUserSessions(trx, user.id, now, 'password_reset');
    await recordAuditTrail(trx, { actor, action: 'update', subjectKind: 'staff_user', subjectId: user.id, organisationId: user.organisationId, detail: { change: 'password_reset', sessionsRevoked: revoked } });
    return revoked;
  });
  return { user, password: generated, sessionsRevoked };
}

export async function listApiTokens(db: Kysely<Schema>, actor: Actor, filter: { email?: string } = {}): Promise<ApiTokenSummary[]> {
  const owner = filter.email !== undefined ? await userFor(db, actor, { email: filter.email }, 'list_tokens') : null;
  if (!owner && actor.kind === 'staff') await requireAdministrator(db, actor, actor.organisationId, 'list_tokens');
  const tokens = await listApiTokenRows(db, { organisationId: listScope(actor), staffUserId: owner?.id ?? null });
  await recordAuditTrail(db, { actor, action: 'read', subjectKind: 'api_token', organisationId: listScope(actor), detail: { count: tokens.length } });
  return tokens;
}

export async function getApiToken(db: Kysely<Schema>, actor: Actor, id: number): Promise<ApiTokenSummary> {
  const token = await findApiToken(db, id);
  if (!token || !mayAdminister(actor, token.organisationId)) {
    if (token) await requireAdministrator(db, actor, token.organisationId, 'read_token').catch(() => undefined);
    throw new RootsError('NOT_FOUND', { detail: `There is no API token ${id}.` });
  }
  return token;
}

export async function revokeApiToken(db: Kysely<Schema>, actor: Actor, id: number, now = new Date()): Promise<{ token: ApiTokenSummary; changed: boolean }> {
  const token = await getApiToken(db, actor, id);
  const changed = await db.transaction().execute(async (trx) => {
    const revoked = await revokeApiTokenRow(trx, id, now);
    await recordAuditTrail(trx, { actor, action: 'update', subjectKind: 'api_token', subjectId: id, organisationId: token.organisationId, detail: { change: 'revoked', alreadyRevoked: !revoked } });
    return revoked;
  });
  return { token: (await findApiToken(db, id))!, changed };
}
