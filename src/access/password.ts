import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

/** argon2id, with the library's defaults (19 MiB, 2 passes: OWASP's minimum for argon2id). */
const argon2id = 2;

export const passwordSchema = z
  .string()
  .min(12, { message: 'must be at least 12 characters' })
  .max(200, { message: 'must be at most 200 characters' });

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: argon2id });
}

/** True when `password` matches `passwordHash`; false for a malformed hash too. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;
/**
 * Spends the time a real check takes when there is no account (or no password) to check, so a
 * failure takes as long whether or not the email belongs to someone.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hashPassword(randomBytes(16).toString('base64url'));
  await verifyPassword(await dummy, password);
  return false;
}

/** A one-time password for a new account or a reset: 20 characters, 120 random bits. */
export function generatePassword(): string {
  return randomBytes(15).toString('base64url');
}
