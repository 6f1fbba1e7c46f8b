import type { Actor } from '../access/actor.ts';

/**
 * Who may export the audit trail: the documented system actor (the command line run by whoever
 * runs the server), or an administrator, who sees their own organisation's entries only.
 * (A one-line policy in the style of access/policies.ts, kept here until access/ takes it.)
 */
export const mayExportAuditTrail = (actor: Actor): boolean => actor.kind === 'system' || actor.role === 'administrator';
