import { sql, type Kysely, type Transaction } from 'kysely';
import { recordAuditTrail } from '../audit-trail/audit-trail.repository.ts';
import type { ImportRunTable, Schema } from '../store/schema.ts';

/**
 * The record of each import: one import_run row and one audit event, never personal data. The
 * referrals themselves are written by src/referrals (writeReferrals).
 */
type Db = Kysely<Schema> | Transaction<Schema>;

export type ImportKind = ImportRunTable['kind'];
export type ImportOutcome = ImportRunTable['outcome'];

export interface ImportCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export async function insertImportRun(
  trx: Db,
  run: { kind: ImportKind; serviceId: number; fileName: string; outcome: ImportOutcome; finished: boolean; counts?: ImportCounts; sha256?: string | null },
): Promise<number> {
  const counts = run.counts ?? { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  const row = await trx
    .insertInto('import_run')
    .values({
      kind: run.kind,
      service_id: run.serviceId,
      file_name: run.fileName,
      file_sha256: run.sha256 ?? null,
      outcome: run.outcome,
      finished_at: run.finished ? sql<Date>`now()` : null,
      rows_read: counts.read,
      rows_inserted: counts.inserted,
      rows_updated: counts.updated,
      rows_unchanged: counts.unchanged,
      rows_rejected: counts.rejected,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateImportRun(
  trx: Db,
  id: number,
  update: { counts: ImportCounts; outcome?: ImportOutcome; finished?: boolean; sha256?: string | null },
): Promise<void> {
  await trx
    .updateTable('import_run')
    .set({
      rows_read: update.counts.read,
      rows_inserted: update.counts.inserted,
      rows_updated: update.counts.updated,
      rows_unchanged: update.counts.unchanged,
      rows_rejected: update.counts.rejected,
      ...(update.outcome ? { outcome: update.outcome } : {}),
      ...(update.finished ? { finished_at: sql<Date>`now()` } : {}),
      ...(update.sha256 !== undefined ? { file_sha256: update.sha256 } : {}),
    })
    .where('id', '=', id)
    .execute();
}

export async function insertImportAuditEvent(
  trx: Db,
  event: { actor: string; organisationId: number; importRunId: number; detail: Record<string, string | number | boolean | null> },
): Promise<void> {
  // Through the one writer of the audit trail (audit-trail/).
  await recordAuditTrail(trx, { actor: event.actor, action: 'import', subjectKind: 'import_run', subjectId: event.importRunId, organisationId: event.organisationId, detail: event.detail });
}
