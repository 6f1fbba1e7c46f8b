import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import type { SessionSettings } from '../config/config.ts';
import type { Schema } from '../store/schema.ts';
import type { Actor } from './actor.ts';
import { verifyAgainstDummy, verifyPassword } from './password.ts';
import {
  accountFailures,
  clientFailures,
  findSessionWithUser,
  findSignInCandidate,
  insertSession,
  recordSignInAttempt,
  revokeSession,
  touchSession,
} from './session.repository.ts';
import { lockedUntil, sessionState, shouldTouch } from './session.rules.ts';

/** The actor written to the audit trail for sign-in attempts by someone not (yet) known. */
export const signInActor: Actor = { kind: 'system', name: 'sign-in' };

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A session as the web layer sees it: who is acting, and what the header shows. */
export interface LiveSession {
  /** The session's id (SHA-256 of the cookie token): binds CSRF tokens to this session. */
  id: string;
  actor: Extract<Actor, { kind: 'staff' }>;
  displayName: string;
  email: string;
}

/** Starts a session for a member of staff; returns the token for the cookie (never stored). */
export async function startSession(
  db: Kysely<Schema>,
  input: { staffUserId: number; method: 'password' | 'oidc'; now: Date; settings: Pick<SessionSettings, 'absoluteMs'> },
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const id = sha256(token);
  const expiresAt = new Date(input.now.getTime() + input.settings.absoluteMs);
  await insertSession(db, { id, staffUserId: input.staffUserId, method: input.method, now: input.now, expiresAt });
  return { token, id, expiresAt };
}

/**
 * The live session a cookie token belongs to, or null: unknown, revoked, past its absolute or
 * idle timeout, or its owner deactivated. Marks it seen (at most once a minute).
 */
export async function sessionForToken(
  db: Kysely<Schema>,
  token: string,
  now: Date,
  settings: Pick<SessionSettings, 'idleMs' | 'absoluteMs'>,
): Promise<LiveSession | null> {
  if (token.length < 20 || token.length > 100) return null;
  const row = await findSessionWithUser(db, sha256(token));
  if (!row) return null;
  if (sessionState(row, now, settings) !== 'live') return null;
  if (!row.userActive || row.userDeactivatedAt !== null) return null;
  if (shouldTouch(row.lastSeenAt, now, settings)) await touchSession(db, row.id, now);
  return {
    id: row.id,
    actor: { kind: 'staff', userId: row.userId, organisationId: row.organisationId, role: row.role },
    displayName: row.displayName,
    email: row.email,
  };
}

export type SignInResult =
  | { kind: 'signed_in'; token: string; actor: Extract<Actor, { kind: 'staff' }> }
  | { kind: 'refused' }
  | { kind: 'locked'; until: Date };

/**
 * Email and password sign-in. Refused the same way (and after the same argon2 work) whether the
 * email is unknown, the account deactivated or the password wrong; locked out with exponential
 * backoff after repeated failures per account (reset by a success) and per client address. The
 * session presented with the request, if any, is revoked (rotation). Everything is audited, with
 * ids and counts only: never the email typed.
 */
export async function signInWithPassword(
  db: Kysely<Schema>,
  input: { email: string; password: string; clientAddress: string; previousSessionId: string | null; now: Date; settings: SessionSettings },
): Promise<SignInResult> {
  const { now, settings } = input;
  const email = input.email.trim().toLowerCase();
  const accountKey = sha256(`account:${email}`);
  const clientKey = sha256(`client:${input.clientAddress}`);
  const since = new Date(now.getTime() - settings.failureWindowMs);
  const [account, client] = await Promise.all([accountFailures(db, accountKey, since), clientFailures(db, clientKey, since)]);
  const rule = { baseMs: settings.backoffBaseMs, capMs: settings.backoffCapMs };
  const locks = [
    lockedUntil(account.failures, account.lastFailureAt, { ...rule, maxFailures: settings.accountMaxFailures }),
    lockedUntil(client.failures, client.lastFailureAt, { ...rule, maxFailures: settings.clientMaxFailures }),
  ].filter((until): until is Date => until !== null && until > now);
  if (locks.length > 0) {
    const until = new Date(Math.max(...locks.map((d) => d.getTime())));
    await recordAuditTrail(db, {
      actor: signInActor,
      action: 'denied',
      subjectKind: 'sign_in',
      detail: { reason: 'locked_out', accountFailures: account.failures, clientFailures: client.failures, lockedSeconds: Math.ceil((until.getTime() - now.getTime()) / 1000) },
    });
    return { kind: 'locked', until };
  }

  const candidate = await findSignInCandidate(db, email);
  const usable = candidate && candidate.active && candidate.method === 'password' && candidate.passwordHash !== null ? candidate : null;
  const matches = usable ? await verifyPassword(usable.passwordHash!, input.password) : await verifyAgainstDummy(input.password);

  if (!usable || !matches) {
    await db.transaction().execute(async (trx) => {
      await recordSignInAttempt(trx, { now, accountKey, clientKey, staffUserId: candidate?.id ?? null, succeeded: false });
      await recordAuditTrail(trx, {
        actor: signInActor,
        action: 'denied',
        subjectKind: candidate ? 'staff_user' : 'sign_in',
        subjectId: candidate?.id ?? null,
        organisationId: candidate?.organisationId ?? null,
        detail: {
          reason: 'bad_credentials',
          accountFailures: account.failures + 1,
          clientFailures: client.failures + 1,
          nowLocked: account.failures + 1 >= settings.accountMaxFailures || client.failures + 1 >= settings.clientMaxFailures,
        },
      });
    });
    return { kind: 'refused' };
  }

  const actor = { kind: 'staff' as const, userId: usable.id, organisationId: usable.organisationId, role: usable.role };
  const token = await db.transaction().execute(async (trx) => {
    const rotated = input.previousSessionId ? await revokeSession(trx, input.previousSessionId, now, 'rotated') : false;
    const started = await startSession(trx, { staffUserId: usable.id, method: 'password', now, settings });
    await recordSignInAttempt(trx, { now, accountKey, clientKey, staffUserId: usable.id, succeeded: true });
    await recordAuditTrail(trx, {
      actor,
      action: 'sign_in',
      subjectKind: 'staff_user',
      subjectId: usable.id,
      organisationId: usable.organisationId,
      detail: { method: 'password', previousSessionRevoked: rotated, earlierFailures: account.failures },
    });
    return started.token;
  });
  return { kind: 'signed_in', token, actor };
}

/** Ends a session at sign-out; audited when it was live. */
export async function signOut(db: Kysely<Schema>, session: LiveSession, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const revoked = await revokeSession(trx, session.id, now, 'sign_out');
    if (!revoked) return;
    await recordAuditTrail(trx, {
      actor: session.actor,
      action: 'sign_out',
      subjectKind: 'staff_user',
      subjectId: session.actor.userId,
      organisationId: session.actor.organisationId,
    });
  });
}
