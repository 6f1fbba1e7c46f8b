import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue } from './catalogue.ts';
import { RootsError, toProblemJson } from './roots-error.ts';

const documented = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => /^\| [A-Z_]+ \|/.test(line))
  .map((line) => line.split('|').map((cell) => cell.trim()))
  .map(([, code, status, exitCode]) => ({ code: code!, status: Number(status), exitCode: Number(exitCode) }));

describe('error catalogue', () => {
  it('agrees with docs/errors.md, code for code', () => {
    const catalogued = Object.entries(errorCatalogue).map(([code, entry]) => ({ code, status: entry.status, exitCode: entry.exitCode }));
    expect(documented).toEqual(catalogued);
  });

  it('hides the message of an unexpected error behind INTERNAL', () => {
    const problem = toProblemJson(new Error('connection string postgres://secret@db'));
    expect(problem).toEqual({ type: '/problems/internal', title: 'Something went wrong', status: 500, code: 'INTERNAL' });
  });

  it('carries the detail and field problems of a known error', () => {
    const problem = toProblemJson(new RootsError('VALIDATION_FAILED', { detail: 'Check the date.', problems: [{ field: 'received_on', reason: 'is not a date' }] }), '/api/v1/x');
    expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', detail: 'Check the date.', instance: '/api/v1/x', problems: [{ field: 'received_on' }] });
  });
});
