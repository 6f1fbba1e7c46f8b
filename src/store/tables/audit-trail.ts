import type { Generated } from 'kysely';
import type { AuditAction } from '../../domain/codes.ts';
import type { Defaulted } from './columns.ts';

/** Tables owned by audit-trail/: their row types as Kysely sees them. */

export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: Defaulted<Date>;
  actor: string;
  action: AuditAction;
  subject_kind: string;
  subject_id: string | null;
  organisation_id: number | null;
  detail: Defaulted<unknown>;
}
