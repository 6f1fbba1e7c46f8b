/**
 * The pure rules of staff sessions and sign-in backoff: no clock, no database. The session
 * service and the sign-in service call them with the time and the rows they read.
 */

export interface SessionTimes {
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface SessionTimeouts {
  idleMs: number;
  absoluteMs: number;
}

export type SessionState = 'live' | 'revoked' | 'expired' | 'idle';

/**
 * Whether a session may act now. Revoked beats everything; then the absolute expiry (fixed at
 * sign-in: whichever is sooner of `expiresAt` and `createdAt + absoluteMs`, so shortening the
 * setting shortens live sessions too); then the idle timeout since the session was last seen.
 */
export function sessionState(session: SessionTimes, now: Date, timeouts: SessionTimeouts): SessionState {
  if (session.revokedAt !== null) return 'revoked';
  const absoluteEnd = Math.min(session.expiresAt.getTime(), session.createdAt.getTime() + timeouts.absoluteMs);
  if (now.getTime() >= absoluteEnd) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= timeouts.idleMs) return 'idle';
  return 'live';
}

/** How often last_seen_at is written: at most once a minute (or a tenth of the idle timeout). */
export function shouldTouch(lastSeenAt: Date, now: Date, timeouts: Pick<SessionTimeouts, 'idleMs'>): boolean {
  return now.getTime() - lastSeenAt.getTime() >= Math.min(60_000, timeouts.idleMs / 10);
}

export interface BackoffRule {
  /** Failures allowed before the first lockout. */
  maxFailures: number;
  baseMs: number;
  capMs: number;
}

/**
 * Exponential backoff after repeated failures: with `failures` counted failures, the last at
 * `lastFailureAt`, sign-in is refused until the returned time (null: not locked). The first
 * lockout lasts `baseMs` and each further failure doubles it, up to `capMs`.
 */
export function lockedUntil(failures: number, lastFailureAt: Date | null, rule: BackoffRule): Date | null {
  if (lastFailureAt === null || failures < rule.maxFailures) return null;
  const exponent = Math.min(failures - rule.maxFailures, 30);
  const duration = Math.min(rule.capMs, rule.baseMs * 2 ** exponent);
  return new Date(lastFailureAt.getTime() + duration);
}

/**
 * A `next=` target that stays on this site: a path starting with a single '/', no scheme, no
 * host, no backslash or control characters. Anything else gives null (go home instead).
 */
export function localPath(next: unknown): string | null {
  if (typeof next !== 'string' || next.length === 0 || next.length > 2000) return null;
  if (!next.startsWith('/') || next.startsWith('//') || /[\\\u0000-\u001f\u007f]/.test(next)) return null;
  try {
    const base = 'http://roots.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return null;
    return `${url.pathname}${url.search}`;
  } catch {
    return null;
  }
}
