import type { Actor } from '../access/actor.ts';
import type { ReferralColumn, ReferralRecord } from './referral-row.schema.ts';
import type { ImportKind, ImportOutcome } from './import-run.repository.ts';

/** One problem with one row, as it goes into the error report. */
export interface RowProblem {
  /** Data row (CSV: 1 = the first row after the header) or entry index (FHIR: Bundle.entry[n]). */
  row: number;
  /** Line of the file where the row starts (CSV). */
  line?: number;
  /** The referral column the problem is in. */
  field?: string;
  /** Where in the source the value sits (FHIR path). */
  path?: string;
  /** The offending value; blank for personal data (see `withheldColumns`). */
  value?: string;
  reason: string;
}

/** A problem found before a row reaches the row schema (reading, FHIR structure). */
export type SourceProblem = Omit<RowProblem, 'row' | 'line'>;

/** One row on its way into the import, from a CSV file, a FHIR bundle or a generator. */
export interface SourceRow {
  row: number;
  line?: number;
  /** The row's cells by column name; absent when the row could not be read at all. */
  cells?: Record<string, string>;
  problems?: SourceProblem[];
  /** Where a column's value came from in the source (FHIR path), for the report. */
  locate?: (column: string) => string | undefined;
  /** Adds what the cells cannot carry (FHIR: dated questionnaire responses), or refuses the row. */
  complete?: (record: ReferralRecord) => { record: ReferralRecord; problems?: undefined } | { problems: SourceProblem[] };
}

/**
 * Columns whose values are personal data: in the error report their value is left blank (the
 * row number and reason are enough to find and fix it in the source file), and they never
 * appear in logs, summaries, import runs or audit events.
 */
export const withheldColumns: ReadonlySet<ReferralColumn | string> = new Set<ReferralColumn>([
  'person_id',
  'nhs_number',
  'given_name',
  'family_name',
  'date_of_birth',
  'postcode',
]);

export interface ImportOptions {
  /** Service code, or ORGANISATION/service-code; may be left out when there is one service. */
  service?: string | undefined;
  /** Validate and count what would change, write nothing. */
  dryRun?: boolean | undefined;
  /** Let the valid rows land when some are rejected, committed batch by batch. */
  acceptPartial?: boolean | undefined;
  /** Rows per batch (one round trip per table per batch). */
  batchSize?: number | undefined;
  /** Dates after this day are refused (YYYY-MM-DD); today in the UK by default. */
  today?: string | undefined;
  /**
   * Who is importing: checked first (access/service-access.ts, action 'import') before any row is
   * read or written, and written to the audit trail. Commands pass their `--as` member of staff or
   * the documented system actor (`system:cli`; first-run demo data: `system:first-run`).
   */
  actor: Actor;
  /** Name recorded in import_run (a file's base name; never a path). */
  sourceName?: string | undefined;
  kind?: ImportKind | undefined;
  /** Receives every row-level problem, in row order (the error report). */
  onProblem?: ((problem: RowProblem) => void | Promise<void>) | undefined;
  /**
   * Receives every row-level notice: the row was imported, but part of it was not applied
   * because staff have acted on the referral in Roots (docs/adr/0008). Reported once the row
   * is committed (a dry run: as it would be).
   */
  onNotice?: ((notice: RowProblem) => void | Promise<void>) | undefined;
  /** Called after each batch with the number of rows read so far. */
  onProgress?: ((rowsRead: number) => void) | undefined;
}

export type ImportMode = 'all_or_nothing' | 'accept_partial' | 'dry_run';

/** What an import prints: counts only, never personal data. */
export interface ImportSummary {
  importRun: number | null;
  service: string;
  source: string;
  mode: ImportMode;
  outcome: ImportOutcome;
  /** False for a dry run and for a refused all-or-nothing import. */
  written: boolean;
  read: number;
  /** For a dry run: what would be inserted, updated or left unchanged. */
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** Rows imported with a notice: staff work in Roots kept, part of the row not applied. */
  notices: number;
  seconds: number;
  rowsPerSecond: number;
  errorReport?: string | null;
}
