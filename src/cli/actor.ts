import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { activeStaffActorByEmail } from '../access/staff-actor.repository.ts';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import { RootsError } from '../errors/roots-error.ts';
import type { Schema } from '../store/schema.ts';

/**
 * The documented system actor of the command line: a command run without `--as` acts as
 * `system:cli`, which the audit trail records, with the access of whoever may run Roots on
 * this machine (the operating system decides that: whoever can read the data folder or the
 * DATABASE_URL can read every record anyway).
 */
export const CLI_SYSTEM_ACTOR: Actor = { kind: 'system', name: 'cli' };

/** The `--as EMAIL` given to `roots` (before or after the command name), if any. */
export function asOption(command: Command): string | undefined {
  const value = (command.optsWithGlobals() as { as?: unknown }).as;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * Who a command acts as: the active member of staff named by `--as`, or the system actor.
 * An unknown or deactivated email stops the command before it touches data.
 */
export async function resolveCliActor(db: Kysely<Schema>, email: string | undefined): Promise<Actor> {
  if (email === undefined) return CLI_SYSTEM_ACTOR;
  const actor = await activeStaffActorByEmail(db, email);
  if (!actor) throw new RootsError('UNAUTHENTICATED', { detail: `--as ${email}: no active member of staff has that email.` });
  return actor;
}

/**
 * Stops a command its actor may not run, recording the refusal in the audit trail first.
 * `allowed` is the answer of a pure policy from access/policies.ts.
 */
export async function requireCliAccess(
  db: Kysely<Schema>,
  actor: Actor,
  allowed: boolean,
  refused: { subjectKind: string; subjectId?: string | number | null; organisationId?: number | null; wanted: string },
): Promise<void> {
  if (allowed) return;
  await recordAuditTrail(db, {
    actor,
    action: 'denied',
    subjectKind: refused.subjectKind,
    subjectId: refused.subjectId ?? null,
    organisationId: refused.organisationId ?? null,
    detail: { wanted: refused.wanted, via: 'cli' },
  });
  throw new RootsError('FORBIDDEN', { detail: `The member of staff given by --as may not ${refused.wanted.replace(/_/g, ' ')}.` });
}
