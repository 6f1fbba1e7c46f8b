import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { actorLabel } from '../access/actor.ts';
import type { AuditAction } from '../domain/codes.ts';
import type { Schema } from '../store/schema.ts';

type Db = Kysely<Schema> | Transaction<Schema>;

export interface AuditEntry {
  /** Who acted; or an actor label already written (`staff:12`, `system:cli`, `cli:alice`) by a caller that holds only that. */
  actor: Actor | string;
  action: AuditAction;
  subjectKind: string;
  subjectId?: string | number | null;
  organisationId?: number | null;
  /** Identifiers and counts only: never names, NHS numbers, postcodes or free text. */
  detail?: Record<string, string | number | boolean | null>;
}

/**
 * Appends to the audit trail: the only code in Roots that inserts into `audit_event` (a test
 * greps the source tree for a second writer). Called inside the same transaction as the read or
 * write it records, so an audited change and its audit entry land together or not at all.
 */
export async function recordAuditTrail(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_event')
    .values({
      actor: typeof entry.actor === 'string' ? entry.actor : actorLabel(entry.actor),
      action: entry.action,
      subject_kind: entry.subjectKind,
      subject_id: entry.subjectId === undefined || entry.subjectId === null ? null : String(entry.subjectId),
      organisation_id: entry.organisationId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}

/** One audit trail entry as read back. */
export interface AuditEventRow {
  id: number;
  occurredAt: Date;
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string | null;
  organisationId: number | null;
  detail: unknown;
}

const columns = [
  'id',
  'occurred_at as occurredAt',
  'actor',
  'action',
  'subject_kind as subjectKind',
  'subject_id as subjectId',
  'organisation_id as organisationId',
  'detail',
] as const;

/**
 * One page of the entries that occurred in [from, until), after entry `afterId`, oldest first
 * (keyset paging on the id, read through the occurred_at index): an export reads page after
 * page and never holds the whole table. `organisationId` narrows to one organisation's entries.
 */
export async function auditEventPage(
  db: Db,
  window: { from: Date; until: Date; afterId: number; limit: number; organisationId?: number | undefined },
): Promise<AuditEventRow[]> {
  let query = db
    .selectFrom('audit_event')
    .select(columns)
    .where('occurred_at', '>=', window.from)
    .where('occurred_at', '<', window.until)
    .where('id', '>', window.afterId);
  if (window.organisationId !== undefined) query = query.where('organisation_id', '=', window.organisationId);
  return (await query.orderBy('id').limit(window.limit).execute()) as AuditEventRow[];
}

/** Every entry about the given subjects (kind and ids), oldest first: for a subject access export. */
export async function auditEventsAbout(db: Db, subjects: { kind: string; ids: readonly (string | number)[] }[]): Promise<AuditEventRow[]> {
  const wanted = subjects.filter((subject) => subject.ids.length > 0);
  if (wanted.length === 0) return [];
  return (await db
    .selectFrom('audit_event')
    .select(columns)
    .where((eb) => eb.or(wanted.map((subject) => eb.and([eb('subject_kind', '=', subject.kind), eb('subject_id', 'in', subject.ids.map(String))]))))
    .orderBy('id')
    .execute()) as AuditEventRow[];
}
