import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { RootsError } from '../errors/roots-error.ts';
import type { Store } from '../store/database.ts';
import type { ImportOptions, ImportSummary } from './import.types.ts';
import { bundleSchema } from './fhir-bundle.schema.ts';
import { bundleRows } from './fhir-bundle.mapping.ts';
import { authoriseImport, runImport } from './referral-import.service.ts';
import type { ServiceRow } from '../organisations/service.repository.ts';

/**
 * Imports a FHIR R4 Bundle (transaction, batch or collection) of Patient and ServiceRequest
 * resources, with Encounters and QuestionnaireResponses where present. Each ServiceRequest is
 * one referral row, checked and written exactly like a CSV row (same idempotency, modes and
 * report); the report names the entry index and the FHIR path of each problem.
 *
 * A bundle is one JSON document and is read whole: bundles are messages, not extracts, so the
 * size is capped (use the CSV layout for bulk loads).
 */
const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;

export async function importFhirBundle(store: Store, path: string, options: ImportOptions): Promise<ImportSummary> {
  // Access first: nothing is opened, read or written for an actor who may not import here.
  const service = await authoriseImport(store.db, options);
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('it is a folder, not a file'), { code: 'EISDIR' });
    if (info.size > MAX_BUNDLE_BYTES) {
      throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: `${path} is larger than ${MAX_BUNDLE_BYTES / 1024 / 1024} MB: split the bundle, or use the referral CSV layout for bulk loads.` });
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof RootsError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message;
    throw new RootsError('FILE_NOT_FOUND', { detail: `Cannot read ${path}: ${reason}.`, cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: `${path} is not JSON: ${(error as Error).message}.`, cause: error });
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return importFhirJson(store, json, { ...options, sourceName: options.sourceName ?? basename(path), sha256, authorised: service });
}

/** Imports a Bundle already parsed from JSON (the API's way in). */
export async function importFhirJson(store: Store, json: unknown, options: ImportOptions & { sha256?: string; authorised?: ServiceRow }): Promise<ImportSummary> {
  const authorised = options.authorised ?? (await authoriseImport(store.db, options));
  const parsed = bundleSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({ field: ['Bundle', ...issue.path.map(String)].join('.'), reason: issue.message }));
    throw new RootsError('FORMAT_NOT_RECOGNISED', {
      detail: `This is not a FHIR R4 Bundle Roots can import (${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}).`,
      problems,
    });
  }
  const rows = bundleRows(parsed.data);
  if (!rows.some((row) => row.cells)) {
    const requests = parsed.data.entry.filter((entry) => entry.resource?.resourceType === 'ServiceRequest').length;
    if (requests === 0) throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: 'The bundle holds no ServiceRequest: there is no referral to import.' });
  }
  const { sha256, ...rest } = options;
  return runImport(store, (async function* () { yield* rows; })(), {
    ...rest,
    authorised,
    kind: 'fhir_bundle',
    sourceName: options.sourceName ?? 'bundle',
    sha256: () => sha256 ?? null,
  });
}
