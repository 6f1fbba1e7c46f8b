import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { Actor } from '../access/actor.ts';
import { neutraliseFormula } from '../reports/csv.ts';
import { RootsError } from '../errors/roots-error.ts';
import type { Schema } from '../store/schema.ts';
import { mayExportAuditTrail } from './audit-trail.policy.ts';
import { auditEventPage, recordAuditTrail, type AuditEventRow } from './audit-trail.repository.ts';

export type AuditTrailFormat = 'csv' | 'json';

export interface AuditTrailExportRequest {
  /** First day, YYYY-MM-DD (UTC), included. */
  from: string;
  /** Last day, YYYY-MM-DD (UTC), included. */
  to: string;
  format: AuditTrailFormat;
  /** Entries read per query; the export never holds more than one page. */
  pageSize?: number;
}

/** Where the export goes: a function that resolves when the chunk may be followed by the next. */
export type ChunkSink = (chunk: string) => Promise<void>;

export const AUDIT_TRAIL_COLUMNS = ['id', 'occurred_at', 'actor', 'action', 'subject_kind', 'subject_id', 'organisation_id', 'detail'] as const;

const DAY_MS = 86_400_000;

/**
 * The audit trail of a window of days for a data protection officer, as CSV or a JSON array,
 * written page by page (keyset paging) to `sink`: never the whole table in memory. CSV cells go
 * through csv-stringify, with text that a spreadsheet would run as a formula neutralised by the
 * equity audit's own `neutraliseFormula`. The export is itself recorded in the audit trail, and
 * a refusal is recorded as `denied`. Access first: the system actor exports every entry, an
 * administrator their organisation's entries, anyone else is refused.
 */
export async function exportAuditTrail(
  db: Kysely<Schema>,
  actor: Actor,
  request: AuditTrailExportRequest,
  sink: ChunkSink,
): Promise<{ entries: number; from: string; to: string }> {
  if (!mayExportAuditTrail(actor)) {
    await recordAuditTrail(db, { actor, action: 'denied', subjectKind: 'audit_trail', organisationId: actor.kind === 'staff' ? actor.organisationId : null, detail: { wanted: 'export' } });
    throw new RootsError('FORBIDDEN', { detail: 'Only an administrator may export the audit trail.' });
  }
  const from = utcDay(request.from, '--from');
  const until = new Date(utcDay(request.to, '--to').getTime() + DAY_MS);
  if (until.getTime() <= from.getTime()) throw new RootsError('BAD_REQUEST', { detail: `--to (${request.to}) is before --from (${request.from}).` });
  const organisationId = actor.kind === 'staff' ? actor.organisationId : undefined;
  const limit = request.pageSize ?? 1000;

  let entries = 0;
  let afterId = 0;
  if (request.format === 'json') await sink('[');
  for (;;) {
    const page = await auditEventPage(db, { from, until, afterId, limit, organisationId });
    if (page.length === 0) break;
    if (request.format === 'csv') {
      await sink(stringify(page.map(flatten), { header: entries === 0, columns: [...AUDIT_TRAIL_COLUMNS], cast: { string: neutraliseFormula } }));
    } else {
      await sink(page.map((row, index) => `${entries + index === 0 ? '\n' : ',\n'}${JSON.stringify(flatten(row))}`).join(''));
    }
    entries += page.length;
    afterId = page.at(-1)!.id;
    if (page.length < limit) break;
  }
  if (request.format === 'json') await sink(entries === 0 ? ']\n' : '\n]\n');
  else if (entries === 0) await sink(stringify([], { header: true, columns: [...AUDIT_TRAIL_COLUMNS] }));

  await recordAuditTrail(db, {
    actor,
    action: 'export',
    subjectKind: 'audit_trail',
    organisationId: organisationId ?? null,
    detail: { from: request.from, to: request.to, format: request.format, entries },
  });
  return { entries, from: request.from, to: request.to };
}

function flatten(row: AuditEventRow): Record<(typeof AUDIT_TRAIL_COLUMNS)[number], string | number | null> {
  return {
    id: row.id,
    occurred_at: new Date(row.occurredAt).toISOString(),
    actor: row.actor,
    action: row.action,
    subject_kind: row.subjectKind,
    subject_id: row.subjectId,
    organisation_id: row.organisationId,
    detail: JSON.stringify(typeof row.detail === 'string' ? JSON.parse(row.detail) : (row.detail ?? {})),
  };
}

/** Midnight UTC of a YYYY-MM-DD day that exists (2026-02-30 is refused, not rolled over). */
export function utcDay(text: string, name: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || date.toISOString().slice(0, 10) !== text) {
    throw new RootsError('BAD_REQUEST', { detail: `${name} must be a day that exists, written YYYY-MM-DD (got "${text}").` });
  }
  return date;
}
