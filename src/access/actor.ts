import type { StaffRole } from '../domain/codes.ts';

/** Who is acting: a signed-in member of staff (through the web or an API token), or the system. */
export type Actor =
  | { kind: 'staff'; userId: number; organisationId: number; role: StaffRole }
  | { kind: 'system'; name: string };

/** How the actor is written in the audit trail: an identifier, never a name. */
export function actorLabel(actor: Actor): string {
  return actor.kind === 'staff' ? `staff:${actor.userId}` : `system:${actor.name}`;
}
