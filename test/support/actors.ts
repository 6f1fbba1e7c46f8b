import type { Actor } from '../../src/access/actor.ts';
import type { StaffRole } from '../../src/domain/codes.ts';

/**
 * Shared actors for tests that call service functions directly (imports, writes, audits). Every
 * service function checks its actor first, so a test says who acts, as the code under test must.
 */

/** The system actor tests import and set up data as (`system:test` in the audit trail). */
export const testSystemActor: Actor = { kind: 'system', name: 'test' };

/** A member of staff of an organisation, for access checks (no staff_user row is needed for the check itself). */
export function testStaffActor(organisationId: number, role: StaffRole, userId = 0): Actor {
  return { kind: 'staff', userId, organisationId, role };
}
