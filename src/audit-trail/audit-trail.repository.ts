import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { actorLabel } from '../access/actor.ts';
import type { AuditAction } from '../domain/codes.ts';
import type { Schema } from '../store/schema.ts';

export interface AuditEntry {
  actor: Actor;
  action: AuditAction;
  subjectKind: string;
  subjectId?: string | number | null;
  organisationId?: number | null;
  /** Identifiers and counts only: never names, NHS numbers, postcodes or free text. */
  detail?: Record<string, string | number | boolean | null>;
}

/**
 * Appends to the audit trail. Called inside the same transaction as the read or write it
 * records, so an audited change and its audit entry land together or not at all.
 */
export async function recordAuditTrail(db: Kysely<Schema> | Transaction<Schema>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      actor: actorLabel(entry.actor),
      action: entry.action,
      subject_kind: entry.subjectKind,
      subject_id: entry.subjectId === undefined || entry.subjectId === null ? null : String(entry.subjectId),
      organisation_id: entry.organisationId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}
