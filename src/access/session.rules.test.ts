import { describe, expect, it } from 'vitest';
import { localPath, lockedUntil, sessionState, shouldTouch } from './session.rules.ts';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 21, 9, 0) + minutes * 60_000);
const timeouts = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };
const session = (overrides: Partial<Parameters<typeof sessionState>[0]> = {}) => ({
  createdAt: at(0),
  lastSeenAt: at(0),
  expiresAt: at(12 * 60),
  revokedAt: null,
  ...overrides,
});

describe('session timeouts', () => {
  it('is live until 30 idle minutes have passed, then idle', () => {
    expect(sessionState(session(), at(29), timeouts)).toBe('live');
    expect(sessionState(session(), at(30), timeouts)).toBe('idle');
    // Seen again at 25 minutes: the idle clock restarts.
    expect(sessionState(session({ lastSeenAt: at(25) }), at(54), timeouts)).toBe('live');
  });

  it('ends at the absolute limit however busy it is', () => {
    expect(sessionState(session({ lastSeenAt: at(12 * 60 - 1) }), at(12 * 60 - 0.5), timeouts)).toBe('live');
    expect(sessionState(session({ lastSeenAt: at(12 * 60 - 1) }), at(12 * 60), timeouts)).toBe('expired');
  });

  it('applies a shortened absolute setting to sessions already started', () => {
    expect(sessionState(session({ lastSeenAt: at(119) }), at(120), { ...timeouts, absoluteMs: 2 * 3_600_000 })).toBe('expired');
  });

  it('treats a revoked session as revoked whatever the times', () => {
    expect(sessionState(session({ revokedAt: at(1) }), at(2), timeouts)).toBe('revoked');
  });

  it('writes last seen at most once a minute', () => {
    expect(shouldTouch(at(0), at(0.5), timeouts)).toBe(false);
    expect(shouldTouch(at(0), at(1), timeouts)).toBe(true);
    // A short idle timeout touches more often, so the idle clock is never more than a tenth off.
    expect(shouldTouch(at(0), at(0.2), { idleMs: 60_000 })).toBe(true);
  });
});

describe('sign-in backoff', () => {
  const rule = { maxFailures: 5, baseMs: 60_000, capMs: 3_600_000 };
  it('does not lock before the allowed failures', () => {
    expect(lockedUntil(4, at(0), rule)).toBeNull();
    expect(lockedUntil(0, null, rule)).toBeNull();
  });
  it('locks for a minute, then doubles with each failure, up to the cap', () => {
    expect(lockedUntil(5, at(0), rule)).toEqual(at(1));
    expect(lockedUntil(6, at(0), rule)).toEqual(at(2));
    expect(lockedUntil(8, at(0), rule)).toEqual(at(8));
    expect(lockedUntil(50, at(0), rule)).toEqual(at(60));
  });
});

describe('next= after sign-in', () => {
  it('keeps local paths with their query', () => {
    expect(localPath('/equity?from=2026-01-01')).toBe('/equity?from=2026-01-01');
    expect(localPath('/admin/users')).toBe('/admin/users');
  });
  it('refuses anything that leaves the site', () => {
    for (const target of ['https://evil.example', '//evil.example', '/\\evil.example', '\\\\evil.example', 'javascript:alert(1)', '/\t/evil.example', 'evil', '', undefined, 42]) {
      expect(localPath(target), String(target)).toBeNull();
    }
  });
});
