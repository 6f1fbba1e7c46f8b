import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { RootsError } from '../errors/roots-error.ts';
import { toCsvText } from '../reports/csv.ts';
import type { RowProblem } from './import.types.ts';

/**
 * The row-level error report: a CSV file with one line per problem, written as problems are
 * found (never held in memory, never logged). Created on the first problem only; a report left
 * at the same path by an earlier run is removed at the start, so the file always describes the
 * latest run. Readable by its owner only: values are withheld for personal data, but the rest
 * of a row can still say something about a person. Written through `reports/csv.ts`, so a source
 * value such as `=HYPERLINK(...)` reaches a spreadsheet as text (apostrophe prefix), never as a
 * formula.
 */
export const csvReportColumns = ['row', 'line', 'field', 'value', 'reason'] as const;
export const fhirReportColumns = ['entry', 'path', 'field', 'value', 'reason'] as const;

export interface ErrorReport {
  path: string;
  add(problem: RowProblem): Promise<void> | void;
  /** Closes the file; returns its path when anything was written, else null. */
  close(): Promise<string | null>;
}

export function openErrorReport(path: string, inputPath: string, kind: 'csv' | 'fhir'): ErrorReport {
  if (resolve(path) === resolve(inputPath)) {
    throw new RootsError('BAD_REQUEST', { detail: 'The error report cannot be written over the file being imported: choose another --errors path.' });
  }
  rmSync(path, { force: true });
  const header = kind === 'csv' ? csvReportColumns : fhirReportColumns;
  let out: WriteStream | null = null;
  let failure: Error | null = null;
  const line = (problem: RowProblem) =>
    kind === 'csv'
      ? [problem.row, problem.line ?? '', problem.field ?? '', problem.value ?? '', problem.reason]
      : [problem.row, problem.path ?? '', problem.field ?? '', problem.value ?? '', problem.reason];
  return {
    path,
    add(problem) {
      if (failure) throw reportFailure(path, failure);
      if (!out) {
        out = createWriteStream(path, { mode: 0o600 });
        out.on('error', (error) => (failure = error));
        out.write(toCsvText([header]));
      }
      if (!out.write(toCsvText([line(problem)]))) return once(out, 'drain').then(() => undefined);
    },
    async close() {
      if (!out) return null;
      const stream = out as WriteStream;
      stream.end();
      if (!stream.closed) await once(stream, 'close').catch(() => {});
      if (failure) throw reportFailure(path, failure);
      return path;
    },
  };
}

function reportFailure(path: string, error: Error): RootsError {
  return new RootsError('FILE_NOT_FOUND', { detail: `Cannot write the error report ${path}: ${error.message}`, cause: error });
}
