import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Transform } from 'node:stream';
import { parse, type CsvError } from 'csv-parse';
import { RootsError } from '../errors/roots-error.ts';
import { referralColumns, requiredReferralColumns } from './referral-row.schema.ts';
import type { SourceRow } from './import.types.ts';
import { Utf8Check } from './utf8-check.ts';

/**
 * Streams a referral CSV file: the header is checked first (whole-file problems stop the import
 * before anything is written), then each record is handed on as a row of named cells. Records
 * that cannot be read (broken quoting, wrong number of fields) are handed on as rows carrying
 * their problem, in file order, so they appear in the error report like any other bad row.
 *
 * Copes with a UTF-8 byte-order mark, CRLF or LF line ends, quoted fields holding commas and
 * line breaks, and any Unicode text. Memory stays flat: one record at a time.
 *
 * Whole-file problems stop the read with a RootsError: a file that is not UTF-8 (a regular file
 * is checked end to end before the header is read, so nothing is written; a pipe is checked as it
 * streams), and a record longer than MAX_RECORD_CHARS (reported once, as the last row: reading
 * stops there, since where the next record starts cannot be known).
 */
export interface ReferralCsv {
  /** Header names, normalised (trimmed, lower case), in file order. */
  columns: string[];
  rows: AsyncGenerator<SourceRow>;
  /** Bytes read so far, for progress. */
  bytesRead(): number;
  totalBytes: number;
  /** SHA-256 of the whole file, once every row has been read. */
  sha256(): string | null;
}

/** Longest record accepted: a quote left open would otherwise swallow the rest of the file. */
export const MAX_RECORD_CHARS = 1_000_000;

export async function openReferralCsv(path: string): Promise<ReferralCsv> {
  let totalBytes: number;
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) throw Object.assign(new Error('it is a folder'), { code: 'EISDIR' });
    // A named pipe streams too (zcat referrals.csv.gz | roots import referrals /dev/stdin).
    if (!stat.isFile() && !stat.isFIFO()) throw new Error('it is not a regular file or a pipe');
    totalBytes = stat.isFile() ? stat.size : 0;
  } catch (error) {
    throw new RootsError('FILE_NOT_FOUND', { detail: `Cannot read ${path}: ${describeFileError(error)}.`, cause: error });
  }

  // A regular file is checked to be UTF-8 end to end first: an encoding problem stops the import
  // before anything is written, even with --accept-partial.
  if (totalBytes > 0) await checkUtf8File(path);

  const utf8 = new Utf8Check(basename(path));
  const hash = createHash('sha256');
  let bytes = 0;
  let finished = false;
  let digest: string | undefined;
  const file = createReadStream(path);
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      try {
        utf8.push(chunk);
      } catch (error) {
        parser.destroy(error as Error);
        return done();
      }
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      try {
        utf8.end();
      } catch (error) {
        parser.destroy(error as Error);
        return done();
      }
      finished = true;
      done();
    },
  });
  const parser = parse({
    bom: true,
    info: true,
    skip_records_with_error: true,
    skip_empty_lines: true,
    max_record_size: MAX_RECORD_CHARS,
  });
  file.on('error', (error) => parser.destroy(new RootsError('FILE_NOT_FOUND', { detail: `Cannot read ${path}: ${describeFileError(error)}.`, cause: error })));
  file.pipe(hasher).pipe(parser);

  // Records the parser skipped, with the number of good records that came before each, so
  // they can be put back in file order.
  const skipped: { before: number; error: CsvError }[] = [];
  // A record too long to hold ends the read: csv-parse would otherwise report every further
  // megabyte of it again. Nothing after it is read (or handed on), and no checksum is claimed.
  let tooLong: { before: number; error: CsvError } | null = null;
  parser.on('skip', (error: CsvError) => {
    if (tooLong) return;
    const entry = { before: (error as CsvError & { records?: number }).records ?? 0, error };
    skipped.push(entry);
    if (error.code === 'CSV_MAX_RECORD_SIZE') {
      tooLong = entry;
      file.unpipe(hasher);
      file.destroy();
      hasher.unpipe(parser);
      parser.end();
    }
  });

  const iterator = parser[Symbol.asyncIterator]() as AsyncIterator<{ record: string[]; info: { lines: number; records: number } }>;
  const first = await iterator.next();
  if (skipped.length > 0 && skipped[0]!.before === 0) {
    parser.destroy();
    throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: `The header line of ${path} cannot be read: ${skipped[0]!.error.message}.` });
  }
  if (first.done) {
    throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: `${path} is empty: a referral file starts with a header line naming its columns.` });
  }
  const columns = first.value.record.map((name) => name.trim().toLowerCase());
  try {
    checkHeader(columns);
  } catch (error) {
    parser.destroy();
    throw error;
  }

  async function* rows(): AsyncGenerator<SourceRow> {
    let row = 0;
    // csv-parse counts a CRLF inside a quoted field as two lines: keep the count true.
    let extraLines = 0;
    let lastLines = first.value!.info.lines;
    let lastGoodLine = lastLines;
    /** Hands on the skipped records due before the next good one; true once reading must stop. */
    const fromSkip = function* (beforeGood: number): Generator<SourceRow, boolean> {
      while (skipped.length > 0 && skipped[0]!.before <= beforeGood) {
        const entry = skipped.shift()!;
        const { error } = entry;
        row++;
        if (entry === tooLong) {
          yield { row, line: lastGoodLine + 1, problems: [{ reason: describeCsvError(error, lastGoodLine + 1, columns.length) }] };
          return true;
        }
        // A quote never closed runs to the end of the file: the row starts after the last good one.
        const runsToEnd = error.code === 'CSV_QUOTE_NOT_CLOSED' || error.code === 'CSV_MAX_RECORD_SIZE';
        const reported = ((error as CsvError & { lines?: number }).lines ?? 0) - extraLines;
        const line = runsToEnd ? lastGoodLine + 1 : Math.max(lastGoodLine + 1, reported);
        yield { row, line, problems: [{ reason: describeCsvError(error, lastGoodLine + 1, columns.length) }] };
      }
      return false;
    };
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        const { record, info } = next.value;
        if (yield* fromSkip(info.records - 1)) return;
        let line = info.lines - extraLines;
        if (info.lines - lastLines > 1) {
          // Spans several lines (or follows blank ones): count the breaks inside its fields.
          let breaks = 0;
          for (const field of record) {
            if (field.includes('\n') || field.includes('\r')) {
              const crlf = field.split('\r\n').length - 1;
              extraLines += crlf;
              breaks += field.split(/\r\n|\n|\r/).length - 1;
            }
          }
          line = info.lines - extraLines - breaks;
        }
        lastLines = info.lines;
        lastGoodLine = info.lines - extraLines;
        const cells: Record<string, string> = {};
        for (let index = 0; index < columns.length; index++) {
          const value = record[index]!;
          if (value !== '') cells[columns[index]!] = value;
        }
        row++;
        yield { row, line, cells };
      }
      yield* fromSkip(Number.POSITIVE_INFINITY);
    } finally {
      parser.destroy();
      file.destroy();
    }
  }

  return {
    columns,
    rows: rows(),
    bytesRead: () => bytes,
    totalBytes,
    sha256: () => {
      if (!finished || tooLong) return null;
      digest ??= hash.digest('hex');
      return digest;
    },
  };
}

/** Reads a regular file once through the UTF-8 check (flat memory), before anything is parsed. */
async function checkUtf8File(path: string): Promise<void> {
  const check = new Utf8Check(basename(path));
  try {
    for await (const chunk of createReadStream(path)) check.push(chunk as Buffer);
  } catch (error) {
    if (error instanceof RootsError) throw error;
    throw new RootsError('FILE_NOT_FOUND', { detail: `Cannot read ${path}: ${describeFileError(error)}.`, cause: error });
  }
  check.end();
}

/** Whole-file problems with the header line: the import stops before reading any row. */
export function checkHeader(columns: string[]): void {
  const known = new Set<string>(referralColumns);
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const unknown: string[] = [];
  columns.forEach((name, index) => {
    if (name === '') unknown.push(`(column ${index + 1} has no name)`);
    else if (seen.has(name)) duplicates.add(name);
    else if (!known.has(name)) unknown.push(name);
    seen.add(name);
  });
  const missing = requiredReferralColumns.filter((name) => !seen.has(name));
  const problems = [
    ...[...duplicates].map((name) => ({ field: name, reason: 'appears more than once in the header' })),
    ...unknown.map((name) => ({ field: name, reason: 'is not a referral column (see docs/import-format.md)' })),
    ...missing.map((name) => ({ field: name, reason: 'is a required column and is missing from the header' })),
  ];
  if (problems.length > 0) {
    const parts = [
      duplicates.size > 0 ? `duplicate columns: ${[...duplicates].join(', ')}` : '',
      unknown.length > 0 ? `unknown columns: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? '...' : ''}` : '',
      missing.length > 0 ? `missing required columns: ${missing.join(', ')}` : '',
    ].filter(Boolean);
    throw new RootsError('FORMAT_NOT_RECOGNISED', {
      detail: `The header line is not a referral file header (${parts.join('; ')}). Nothing was imported.`,
      problems,
    });
  }
}

function describeCsvError(error: CsvError, fromLine: number, columnCount: number): string {
  switch (error.code) {
    case 'CSV_INVALID_CLOSING_QUOTE':
      return 'broken quoting: a closing quote is followed by other characters (write a quote inside a quoted field as two quotes "")';
    case 'INVALID_OPENING_QUOTE':
      return 'broken quoting: a quote appears inside a field that does not start with one (quote the whole field and write the inner quote as "")';
    case 'CSV_QUOTE_NOT_CLOSED':
      return `broken quoting: a quoted field is never closed, so nothing from line ${fromLine} to the end of the file could be read`;
    case 'CSV_MAX_RECORD_SIZE':
      return `the record starting on line ${fromLine} is longer than ${MAX_RECORD_CHARS.toLocaleString('en-GB')} characters (a cell this long, or a quote that is never closed): reading stopped there, so nothing from line ${fromLine} to the end of the file was read`;
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const got = /got (\d+)/.exec(error.message)?.[1];
      return `has ${got ?? 'a different number of'} fields but the header has ${columnCount}`;
    }
    default:
      return `cannot be read as CSV (${error.code})`;
  }
}

function describeFileError(error: unknown): string {
  switch ((error as NodeJS.ErrnoException)?.code) {
    case 'ENOENT':
      return 'there is no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    default:
      return (error as Error)?.message ?? String(error);
  }
}
