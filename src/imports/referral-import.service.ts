import { basename } from 'node:path';
import { actorLabel } from '../access/actor.ts';
import { requireServiceAccess } from '../access/service-access.ts';
import { afterReferralWrites } from '../store/maintenance.ts';
import type { ControlledTransaction, Kysely } from 'kysely';
import { RootsError } from '../errors/roots-error.ts';
import { findServiceByReference, type ServiceRow } from '../organisations/service.repository.ts';
import type { ReferralRecord } from '../referrals/referral.record.ts';
import { lockServiceReferrals, previewReferrals, writeReferrals } from '../referrals/referral.write.ts';
import type { Store } from '../store/database.ts';
import type { Schema } from '../store/schema.ts';
import { withheldColumns, type ImportMode, type ImportOptions, type ImportSummary, type RowProblem, type SourceRow } from './import.types.ts';
import { openReferralCsv, checkHeader } from './referral-csv.reader.ts';
import * as runs from './import-run.repository.ts';
import type { ImportCounts } from './import-run.repository.ts';
import { referralRowSchema } from './referral-row.schema.ts';

/**
 * Referral import: rows from a CSV file, a FHIR bundle or a generator become typed records and
 * go to the one write path, `writeReferrals` (src/referrals), in batches.
 *
 * - Every row is validated with the referral row schema; problems go to the error report.
 * - All or nothing by default: the whole import is one transaction, and one rejected row means
 *   nothing is written. With `acceptPartial` the valid rows land in batches, each batch its own
 *   transaction, so a crash loses at most the batch being written.
 * - Idempotent (writeReferrals keeps each record's hash): an unchanged row changes nothing.
 * - A row whose referral staff have acted on in Roots updates only what the source owns; what
 *   was not applied comes back as a row-level notice (docs/adr/0008), reported once the rows it
 *   is about are committed.
 * - Batches of a few thousand rows; each table gets one statement per batch. The next batch is
 *   read and validated while the previous one is being written.
 * - One import_run row and one audit event per import, holding counts and never personal data.
 */
const DEFAULT_BATCH_SIZE = 5000;

/** Imports a referral CSV file (see docs/import-format.md). */
export async function importReferralCsv(
  store: Store,
  path: string,
  options: ImportOptions & { onBytes?: (bytesRead: number, totalBytes: number) => void },
): Promise<ImportSummary> {
  // Access first: nothing is opened, read or written for an actor who may not import here.
  const service = await authoriseImport(store.db, options);
  const csv = await openReferralCsv(path);
  const { onBytes } = options;
  return runImport(store, csv.rows, {
    ...options,
    authorised: service,
    kind: options.kind ?? 'referrals_csv',
    sourceName: options.sourceName ?? basename(path),
    sha256: () => csv.sha256(),
    ...(onBytes ? { onProgress: () => onBytes(csv.bytesRead(), csv.totalBytes) } : {}),
  });
}

/**
 * Imports rows given as objects of column name to cell text (the CSV layout, without the
 * file): the synthetic generator writes into the database through here. The first row's keys
 * are checked like a CSV header.
 */
export async function importReferralRows(
  store: Store,
  rows: AsyncIterable<Record<string, string>> | Iterable<Record<string, string>>,
  options: ImportOptions,
): Promise<ImportSummary> {
  const service = await authoriseImport(store.db, options);
  const iterator = Symbol.asyncIterator in rows ? rows[Symbol.asyncIterator]() : (rows as Iterable<Record<string, string>>)[Symbol.iterator]();
  // The first row is checked like a header before anything is opened or written.
  const first = await iterator.next();
  if (!first.done) checkHeader(Object.keys(first.value));
  async function* numbered(): AsyncGenerator<SourceRow> {
    if (first.done) return;
    let row = 1;
    yield { row, cells: first.value };
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield { row: ++row, cells: next.value };
  }
  return runImport(store, numbered(), { ...options, authorised: service, kind: options.kind ?? 'synthetic', sourceName: options.sourceName ?? 'rows' });
}

interface RunOptions extends ImportOptions {
  sha256?: () => string | null;
  /** The service `authoriseImport` already resolved and checked for this actor (else checked here). */
  authorised?: ServiceRow;
}

/**
 * The first call of every import: the service named by `options.service`, once the actor is
 * allowed to import into it (the policy `mayImport`; a refusal is written to the audit trail
 * before the error: NOT_FOUND for a service the actor may not know, FORBIDDEN otherwise).
 */
export async function authoriseImport(db: Kysely<Schema>, options: Pick<ImportOptions, 'actor' | 'service' | 'today'>): Promise<ServiceRow> {
  if (!options.actor) throw new TypeError('An import needs the acting actor (ImportOptions.actor)');
  const service = await resolveService(db, options.service);
  await requireServiceAccess(db, options.actor, service.id, 'import', { on: options.today ?? todayInTheUk(), subjectKind: 'import' });
  return service;
}

/** A row that passed validation, ready to write. */
interface ValidRow {
  record: ReferralRecord;
  row: number;
  line?: number;
}

interface Batch {
  rows: ValidRow[];
  /** Rows read and rejected up to the end of this batch (import_run counts as of its commit). */
  readThrough: number;
  rejectedThrough: number;
}

export async function runImport(store: Store, source: AsyncIterable<SourceRow>, options: RunOptions): Promise<ImportSummary> {
  const started = performance.now();
  const service = options.authorised ?? (await authoriseImport(store.db, options));
  const mode: ImportMode = options.dryRun ? 'dry_run' : options.acceptPartial ? 'accept_partial' : 'all_or_nothing';
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) {
    throw new RootsError('BAD_REQUEST', { detail: 'The batch size must be a whole number from 1 to 50,000.' });
  }
  const schema = referralRowSchema({ today: options.today ?? todayInTheUk() });
  const kind = options.kind ?? 'referrals_csv';
  const sourceName = options.sourceName ?? 'rows';
  const actor = actorLabel(options.actor);

  const counts: ImportCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
  let notices = 0;
  /** Notices of the rows written so far, reported once those rows are committed. */
  let pendingNotices: RowProblem[] = [];
  const reportNotices = async (): Promise<void> => {
    const due = pendingNotices;
    pendingNotices = [];
    notices += due.length;
    for (const notice of due) await options.onNotice?.(notice);
  };
  const noticesOf = (batch: Batch, result: { referrals: { notice: string | null }[] }): RowProblem[] =>
    result.referrals.flatMap((written, index) => {
      if (!written.notice) return [];
      const row = batch.rows[index]!;
      return [{ row: row.row, ...(row.line !== undefined ? { line: row.line } : {}), reason: written.notice }];
    });
  // Committed counts, as the database holds them (the pipeline reads ahead of the writes).
  const written = { inserted: 0, updated: 0, unchanged: 0 };
  const firstRowOf = new Map<string, number>();
  const iterator = source[Symbol.asyncIterator]();
  let sourceDone = false;

  /** Reads and validates up to one batch of rows. */
  async function readBatch(): Promise<Batch> {
    const rows: ValidRow[] = [];
    while (rows.length < batchSize && !sourceDone) {
      const next = await iterator.next();
      if (next.done) {
        sourceDone = true;
        break;
      }
      counts.read++;
      const outcome = validate(next.value);
      if ('problems' in outcome) {
        counts.rejected++;
        for (const problem of outcome.problems) await options.onProblem?.(problem);
      } else {
        rows.push(outcome);
      }
    }
    return { rows, readThrough: counts.read, rejectedThrough: counts.rejected };
  }

  function validate(source: SourceRow): ValidRow | { problems: RowProblem[] } {
    const at = { row: source.row, ...(source.line !== undefined ? { line: source.line } : {}) };
    const problems: RowProblem[] = (source.problems ?? []).map((problem) => ({ ...at, ...problem }));
    if (!source.cells) return { problems };
    const cells = source.cells;
    const where = (field: string) => {
      const path = source.locate?.(field);
      return { field, ...(path ? { path } : {}), value: withheldColumns.has(field) ? '' : clip(cells[field]) };
    };
    const id = cells.source_record_id?.trim();
    if (id) {
      const earlier = firstRowOf.get(id);
      if (earlier === undefined) firstRowOf.set(id, source.row);
      else problems.push({ ...at, ...where('source_record_id'), reason: `also appears at row ${earlier}: each referral may appear once in a file` });
    }
    const result = schema.safeParse(cells);
    if (!result.success) {
      // A field the source already reported on (a FHIR reference that leads nowhere) is not reported twice.
      const reported = new Set(problems.map((problem) => problem.field));
      for (const issue of result.error.issues) {
        const field = issue.path.length > 0 ? String(issue.path[0]) : '';
        if (field && reported.has(field)) continue;
        problems.push({ ...at, ...(field ? where(field) : {}), reason: issue.message });
      }
    }
    if (problems.length > 0 || !result.success) return { problems };
    let record = result.data;
    if (source.complete) {
      const completed = source.complete(record);
      if (completed.problems) return { problems: completed.problems.map((problem) => ({ ...at, ...problem })) };
      record = completed.record;
    }
    return { record, ...at };
  }

  const finish = (outcome: runs.ImportOutcome, importRun: number | null, wrote: boolean): ImportSummary => {
    const seconds = (performance.now() - started) / 1000;
    return {
      importRun,
      service: `${service.organisationCode}/${service.code}`,
      source: sourceName,
      mode,
      outcome,
      written: wrote,
      read: counts.read,
      inserted: wrote || mode === 'dry_run' ? counts.inserted : 0,
      updated: wrote || mode === 'dry_run' ? counts.updated : 0,
      unchanged: wrote || mode === 'dry_run' ? counts.unchanged : 0,
      rejected: counts.rejected,
      notices: wrote || mode === 'dry_run' ? notices : 0,
      seconds: Math.round(seconds * 1000) / 1000,
      rowsPerSecond: seconds > 0 ? Math.round(counts.read / seconds) : counts.read,
    };
  };

  const auditDetail = (importRun: number) => ({ kind, source: sourceName, service: `${service.organisationCode}/${service.code}`, mode, import_run: importRun });

  /**
   * Reads batch n+1 while batch n is written; at most one write is in flight. Once `stop` says
   * so, nothing more is written and `onStop` runs (after the write in flight has settled); the
   * rest of the rows are still read and checked.
   */
  async function pipeline(write: (batch: Batch) => Promise<void>, stop: () => boolean = () => false, onStop?: () => Promise<void>): Promise<void> {
    let inFlight: Promise<unknown> | null = null;
    let stopped = false;
    for (;;) {
      const batch = await readBatch();
      if (inFlight) {
        const failure = await inFlight;
        inFlight = null;
        if (failure) throw failure;
      }
      if (!stopped && stop()) {
        stopped = true;
        await onStop?.();
      }
      if (batch.rows.length > 0 && !stopped) {
        inFlight = write(batch).then(
          () => null,
          (error: unknown) => error ?? new Error('write failed'),
        );
      }
      options.onProgress?.(counts.read);
      if (sourceDone) break;
    }
    if (inFlight) {
      const failure = await inFlight;
      if (failure) throw failure;
    }
  }

  if (mode === 'dry_run') {
    await pipeline(async (batch) => {
      const preview = await previewReferrals(store.db, service, batch.rows.map((row) => row.record));
      counts.inserted += preview.inserted;
      counts.updated += preview.updated;
      counts.unchanged += preview.unchanged;
      const referrals = batch.rows.map(() => ({ notice: null as string | null }));
      for (const { index, notice } of preview.notices) referrals[index]!.notice = notice;
      pendingNotices.push(...noticesOf(batch, { referrals }));
      await reportNotices();
    });
    return finish('dry_run', null, false);
  }

  if (mode === 'accept_partial') {
    const importRun = await store.db.transaction().execute(async (trx) => {
      const id = await runs.insertImportRun(trx, { kind, serviceId: service.id, fileName: sourceName, outcome: 'partial', finished: false });
      await runs.insertImportAuditEvent(trx, { actor, organisationId: service.organisationId, importRunId: id, detail: auditDetail(id) });
      return id;
    });
    await pipeline(async (batch) => {
      const batchNotices = await store.db.transaction().execute(async (trx) => {
        const result = await writeReferrals(trx, service, batch.rows.map((row) => row.record));
        const after = { inserted: written.inserted + result.inserted, updated: written.updated + result.updated, unchanged: written.unchanged + result.unchanged };
        await runs.updateImportRun(trx, importRun, { counts: { read: batch.readThrough, rejected: batch.rejectedThrough, ...after } });
        return { after, notices: noticesOf(batch, result) };
      });
      // Counted only once the batch is in: a batch that fails is rolled back whole.
      Object.assign(written, batchNotices.after);
      pendingNotices.push(...batchNotices.notices);
      await reportNotices();
    });
    Object.assign(counts, written);
    const outcome = counts.rejected > 0 ? 'partial' : 'committed';
    await runs.updateImportRun(store.db, importRun, { counts, outcome, finished: true, sha256: options.sha256?.() ?? null });
    await afterReferralWrites(store.db, counts.inserted + counts.updated);
    return finish(outcome, importRun, true);
  }

  // All or nothing: one transaction. The first rejected row rolls it back at once; the rest of
  // the rows are still read so that the report lists every problem.
  const open: ControlledTransaction<Schema> = await store.db.startTransaction().execute();
  let settled = false;
  const rollback = async () => {
    if (settled) return;
    settled = true;
    await open.rollback().execute();
  };
  try {
    await lockServiceReferrals(open, service.id);
    const importRun = await runs.insertImportRun(open, { kind, serviceId: service.id, fileName: sourceName, outcome: 'committed', finished: false });
    await runs.insertImportAuditEvent(open, { actor, organisationId: service.organisationId, importRunId: importRun, detail: auditDetail(importRun) });
    await pipeline(
      async (batch) => {
        const result = await writeReferrals(open, service, batch.rows.map((row) => row.record));
        counts.inserted += result.inserted;
        counts.updated += result.updated;
        counts.unchanged += result.unchanged;
        pendingNotices.push(...noticesOf(batch, result));
      },
      () => counts.rejected > 0,
      rollback,
    );
    if (counts.rejected === 0) {
      await runs.updateImportRun(open, importRun, { counts, finished: true, sha256: options.sha256?.() ?? null });
      settled = true;
      await open.commit().execute();
      await reportNotices();
      await afterReferralWrites(store.db, counts.inserted + counts.updated);
      return finish('committed', importRun, true);
    }
  } finally {
    await rollback().catch(() => {});
  }
  // Nothing was written, so nothing was held back from staff work either: no notices.
  pendingNotices = [];
  const refused = { read: counts.read, inserted: 0, updated: 0, unchanged: 0, rejected: counts.rejected };
  const rejectedRun = await store.db.transaction().execute(async (t) => {
    const id = await runs.insertImportRun(t, { kind, serviceId: service.id, fileName: sourceName, outcome: 'rejected', finished: true, counts: refused, sha256: options.sha256?.() ?? null });
    await runs.insertImportAuditEvent(t, { actor, organisationId: service.organisationId, importRunId: id, detail: auditDetail(id) });
    return id;
  });
  return finish('rejected', rejectedRun, false);
}

/** The service named by `--service` (ORGANISATION/code, or a code that is unique), or the only one there is. */
export async function resolveService(db: Kysely<Schema>, wanted: string | undefined): Promise<ServiceRow> {
  return findServiceByReference(db, wanted);
}

export function todayInTheUk(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function clip(value: string | undefined): string {
  if (value === undefined) return '';
  return value.length > 200 ? `${value.slice(0, 200)}...` : value;
}
