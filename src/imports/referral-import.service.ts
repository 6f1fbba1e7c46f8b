import { basename } from 'node:path';
import { afterReferralWrites } from '../store/maintenance.ts';
import type { ControlledTransaction, Kysely, Transaction } from 'kysely';
import { RootsError } from '../errors/roots-error.ts';
import type { Store } from '../store/database.ts';
import type { Schema } from '../store/schema.ts';
import { withheldColumns, type ImportMode, type ImportOptions, type ImportSummary, type RowProblem, type SourceRow } from './import.types.ts';
import { openReferralCsv, checkHeader } from './referral-csv.reader.ts';
import { resolvePostcodes } from '../reference/reference.repository.ts';
import * as repository from './referral-import.repository.ts';
import type { ImportCounts, ServiceRow } from './referral-import.repository.ts';
import { referralRowSchema, type ReferralRecord } from './referral-row.schema.ts';
import { contentHash, personPlace, referralStatus, waitingClock } from './referral-write.plan.ts';

/**
 * Referral import: rows from a CSV file, a FHIR bundle or a generator go through one path.
 *
 * - Every row is validated with the referral row schema; problems go to the error report.
 * - All or nothing by default: the whole import is one transaction, and one rejected row means
 *   nothing is written. With `acceptPartial` the valid rows land in batches, each batch its own
 *   transaction, so a crash loses at most the batch being written.
 * - Idempotent: each referral carries the hash of its normalised row; an unchanged row is
 *   skipped without touching the database, a changed one is rewritten.
 * - Batches of a few thousand rows; each table gets one statement per batch. The next batch is
 *   read and validated while the previous one is being written.
 * - One import_run row and one audit event per import, holding counts and never personal data.
 */
const DEFAULT_BATCH_SIZE = 5000;

/** Imports a referral CSV file (see docs/import-format.md). */
export async function importReferralCsv(
  store: Store,
  path: string,
  options: ImportOptions & { onBytes?: (bytesRead: number, totalBytes: number) => void } = {},
): Promise<ImportSummary> {
  const csv = await openReferralCsv(path);
  const { onBytes } = options;
  return runImport(store, csv.rows, {
    ...options,
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
  options: ImportOptions = {},
): Promise<ImportSummary> {
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
  return runImport(store, numbered(), { ...options, kind: options.kind ?? 'synthetic', sourceName: options.sourceName ?? 'rows' });
}

interface RunOptions extends ImportOptions {
  sha256?: () => string | null;
}

/** A row that passed validation, ready to write. */
interface ValidRow {
  record: ReferralRecord;
  hash: string;
}

interface Batch {
  rows: ValidRow[];
  /** Rows read and rejected up to the end of this batch (import_run counts as of its commit). */
  readThrough: number;
  rejectedThrough: number;
}

export async function runImport(store: Store, source: AsyncIterable<SourceRow>, options: RunOptions): Promise<ImportSummary> {
  const started = performance.now();
  const service = await resolveService(store.db, options.service);
  const mode: ImportMode = options.dryRun ? 'dry_run' : options.acceptPartial ? 'accept_partial' : 'all_or_nothing';
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 50_000) {
    throw new RootsError('BAD_REQUEST', { detail: 'The batch size must be a whole number from 1 to 50,000.' });
  }
  const schema = referralRowSchema({ today: options.today ?? todayInTheUk() });
  const kind = options.kind ?? 'referrals_csv';
  const sourceName = options.sourceName ?? 'rows';
  const actor = options.actor ?? 'roots';

  const counts: ImportCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
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
    return { record, hash: contentHash(record) };
  }

  const finish = (outcome: repository.ImportOutcome, importRun: number | null, wrote: boolean): ImportSummary => {
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
      const existing = await repository.findReferralsBySourceId(store.db, service.id, batch.rows.map((row) => row.record.sourceRecordId));
      for (const row of batch.rows) {
        const found = existing.get(row.record.sourceRecordId);
        if (!found) counts.inserted++;
        else if (found.contentHash === row.hash) counts.unchanged++;
        else counts.updated++;
      }
    });
    return finish('dry_run', null, false);
  }

  if (mode === 'accept_partial') {
    const importRun = await store.db.transaction().execute(async (trx) => {
      const id = await repository.insertImportRun(trx, { kind, serviceId: service.id, fileName: sourceName, outcome: 'partial', finished: false });
      await repository.insertImportAuditEvent(trx, { actor, organisationId: service.organisationId, importRunId: id, detail: auditDetail(id) });
      return id;
    });
    await pipeline((batch) =>
      store.db.transaction().execute(async (trx) => {
        await repository.lockServiceImports(trx, service.id);
        const result = await writeBatch(trx, service, batch.rows);
        const after = { inserted: written.inserted + result.inserted, updated: written.updated + result.updated, unchanged: written.unchanged + result.unchanged };
        await repository.updateImportRun(trx, importRun, { counts: { read: batch.readThrough, rejected: batch.rejectedThrough, ...after } });
        // Counted only once the batch is in: a batch that fails is rolled back whole.
        Object.assign(written, after);
      }),
    );
    Object.assign(counts, written);
    const outcome = counts.rejected > 0 ? 'partial' : 'committed';
    await repository.updateImportRun(store.db, importRun, { counts, outcome, finished: true, sha256: options.sha256?.() ?? null });
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
    await repository.lockServiceImports(open, service.id);
    const importRun = await repository.insertImportRun(open, { kind, serviceId: service.id, fileName: sourceName, outcome: 'committed', finished: false });
    await repository.insertImportAuditEvent(open, { actor, organisationId: service.organisationId, importRunId: importRun, detail: auditDetail(importRun) });
    await pipeline(
      async (batch) => {
        const result = await writeBatch(open, service, batch.rows);
        counts.inserted += result.inserted;
        counts.updated += result.updated;
        counts.unchanged += result.unchanged;
      },
      () => counts.rejected > 0,
      rollback,
    );
    if (counts.rejected === 0) {
      await repository.updateImportRun(open, importRun, { counts, finished: true, sha256: options.sha256?.() ?? null });
      settled = true;
      await open.commit().execute();
      await afterReferralWrites(store.db, counts.inserted + counts.updated);
      return finish('committed', importRun, true);
    }
  } finally {
    await rollback().catch(() => {});
  }
  const refused = { read: counts.read, inserted: 0, updated: 0, unchanged: 0, rejected: counts.rejected };
  const rejectedRun = await store.db.transaction().execute(async (t) => {
    const id = await repository.insertImportRun(t, { kind, serviceId: service.id, fileName: sourceName, outcome: 'rejected', finished: true, counts: refused, sha256: options.sha256?.() ?? null });
    await repository.insertImportAuditEvent(t, { actor, organisationId: service.organisationId, importRunId: id, detail: auditDetail(id) });
    return id;
  });
  return finish('rejected', rejectedRun, false);
}

/**
 * Writes one batch of valid rows: unchanged rows (same content hash) are skipped, new and
 * changed ones written with one statement per table.
 */
async function writeBatch(trx: Transaction<Schema>, service: ServiceRow, rows: ValidRow[]): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const existing = await repository.findReferralsBySourceId(trx, service.id, rows.map((row) => row.record.sourceRecordId));
  const toWrite: ValidRow[] = [];
  const changedIds: number[] = [];
  const noLongerWaiting: number[] = [];
  let unchanged = 0;
  for (const row of rows) {
    const found = existing.get(row.record.sourceRecordId);
    if (found && found.contentHash === row.hash) {
      unchanged++;
      continue;
    }
    toWrite.push(row);
    if (found) {
      changedIds.push(found.id);
      if (!row.record.waiting) noLongerWaiting.push(found.id);
    }
  }
  if (toWrite.length === 0) return { inserted: 0, updated: 0, unchanged };

  const postcodes = [...new Set(toWrite.map((row) => row.record.person.postcode).filter((postcode): postcode is string => postcode !== null))];
  const lookup = await resolvePostcodes(trx, postcodes);
  const places = toWrite.map((row) => personPlace(row.record.person, lookup));

  // A person on several rows of a batch is written once, with the details of the last row.
  const people = new Map<string, repository.PersonWrite>();
  toWrite.forEach(({ record: { person } }, index) => {
    const place = places[index]!;
    people.set(person.sourcePersonId, {
      sourcePersonId: person.sourcePersonId,
      nhsNumber: person.nhsNumber,
      givenName: person.givenName,
      familyName: person.familyName,
      dateOfBirth: person.dateOfBirth,
      sex: person.sex,
      ethnicity: person.ethnicity,
      postcode: place.postcode,
      postcodeStatus: place.postcodeStatus,
      areaCode: place.areaCode,
      disability: person.disability,
      inclusionGroups: person.inclusionGroups,
      language: person.language,
      interpreterNeeded: person.interpreterNeeded,
    });
  });
  const personIds = await repository.upsertPeople(trx, service.organisationId, [...people.values()]);

  const referralIds = await repository.upsertReferrals(
    trx,
    service.id,
    toWrite.map(({ record, hash }, index) => ({
      sourceRecordId: record.sourceRecordId,
      personId: personIds.get(record.person.sourcePersonId)!,
      receivedOn: record.referral.receivedOn,
      source: record.referral.source,
      urgentRisk: record.referral.urgentRisk,
      areaCode: places[index]!.areaCode,
      status: referralStatus(record),
      contentHash: hash,
    })),
  );
  await repository.clearChangedReferrals(trx, changedIds, noLongerWaiting);

  const triage: repository.TriageWrite[] = [];
  const episodes: repository.EpisodeWrite[] = [];
  const discharges: repository.DischargeWrite[] = [];
  const clocks = new Map<number, ReturnType<typeof waitingClock>>();
  const outcomes = new Map<number, NonNullable<ReferralRecord['outcome']>>();
  for (const { record } of toWrite) {
    const referralId = referralIds.get(record.sourceRecordId)!;
    if (record.triage) triage.push({ referralId, ...record.triage });
    if (record.discharge) discharges.push({ referralId, ...record.discharge });
    const clock = waitingClock(record);
    if (clock && record.triage && record.waiting) {
      clocks.set(referralId, clock);
      if (record.outcome && record.outcome.responses.length > 0) outcomes.set(referralId, record.outcome);
      episodes.push({
        referralId,
        pathway: record.triage.pathway,
        priority: record.triage.priority!,
        clockStartedOn: clock.startedOn,
        clockStoppedOn: clock.stoppedOn,
        pausedDays: clock.pausedDays,
        firstContactOn: record.waiting.firstContactOn,
        contactsAttended: record.waiting.contactsAttended,
        contactsDidNotAttend: record.waiting.contactsDidNotAttend,
        contactsCancelled: record.waiting.contactsCancelled,
      });
    }
  }
  await repository.insertTriage(trx, triage);
  const episodeIds = await repository.upsertEpisodes(trx, service.id, episodes);
  const events: repository.ClockEventWrite[] = [];
  for (const [referralId, clock] of clocks) {
    const episodeId = episodeIds.get(referralId)!;
    for (const event of clock!.events) events.push({ episodeId, ...event });
  }
  await repository.insertClockEvents(trx, events);
  const responses: repository.OutcomeResponseWrite[] = [];
  for (const [referralId, outcome] of outcomes) {
    const episodeId = episodeIds.get(referralId)!;
    for (const response of outcome.responses) responses.push({ episodeId, instrument: outcome.instrument, ...response });
  }
  await repository.insertOutcomeResponses(trx, responses);
  await repository.insertDischarges(trx, discharges);
  return { inserted: toWrite.length - changedIds.length, updated: changedIds.length, unchanged };
}

/** The service named by `--service`, or the only one there is. */
export async function resolveService(db: Kysely<Schema>, wanted: string | undefined): Promise<ServiceRow> {
  if (wanted) {
    const [organisation, service] = wanted.includes('/') ? wanted.split('/', 2) : [undefined, wanted];
    const found = await repository.findServices(db, { ...(organisation ? { organisation } : {}), service: service! });
    if (found.length === 1) return found[0]!;
    if (found.length === 0) throw new RootsError('NOT_FOUND', { detail: `There is no service with the code "${wanted}".` });
    throw new RootsError('BAD_REQUEST', {
      detail: `More than one organisation has a service "${wanted}": name it as ORGANISATION/service (${found.map((s) => `${s.organisationCode}/${s.code}`).join(', ')}).`,
    });
  }
  const all = await repository.findServices(db);
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw new RootsError('NOT_FOUND', { detail: 'There is no service to import into yet: create the organisation and its service first.' });
  throw new RootsError('BAD_REQUEST', {
    detail: `There is more than one service: choose one with --service (${all.slice(0, 10).map((s) => `${s.organisationCode}/${s.code}`).join(', ')}${all.length > 10 ? ', ...' : ''}).`,
  });
}

export function todayInTheUk(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

function clip(value: string | undefined): string {
  if (value === undefined) return '';
  return value.length > 200 ? `${value.slice(0, 200)}...` : value;
}
