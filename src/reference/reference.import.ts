import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { RootsError, type Problem } from '../errors/roots-error.ts';
import type { Store } from '../store/database.ts';
import { sha256OfFile } from './csv.reader.ts';
import type { LayoutMatch } from './reference.layout.ts';
import { parseFile, recogniseFile, referenceLayouts } from './reference.parser.ts';
import { clearDataset, countAreas, deriveLsoa11AgePopulation, markAllReferralFactsStale, importedDatasets, rebuildAreas, recordDataset, resolveUnknownPeople, tidyTables } from './reference.repository.ts';
import { DatabaseSink, type WriterResult } from './reference.writer.ts';

/**
 * Imports a reference pack folder: every CSV (plain or gzip) in it and its sub-folders is
 * recognised by its header before anything is written, then each dataset is loaded in its own
 * transaction that first deletes the dataset's previous rows, so a file that turns out to be
 * malformed half-way leaves that dataset as it was. Afterwards ref_area and ref_geography are
 * rebuilt from what the datasets say, and people whose postcode was unknown are placed.
 */

export interface ImportProgress {
  increment(by?: number): void;
  stop(): void;
}

export interface ImportReferenceOptions {
  /** A progress bar per file, sized in bytes (the CLI passes createProgress). */
  progress?: (label: string, totalBytes: number) => ImportProgress;
  /** Rows per insert statement. */
  batchSize?: number;
  /** Import every file, even one whose SHA-256 matches what is already loaded. */
  force?: boolean;
}

export interface DatasetImportSummary extends WriterResult {
  dataset: string;
  layout: string;
  file: string;
  rows: number;
  sha256: string;
  /** Tables the previous version of the dataset was deleted from. */
  replaced: string[];
  seconds: number;
}

export interface ReferenceImportSummary {
  dir: string;
  engine: Store['engine'];
  datasets: DatasetImportSummary[];
  /** Files already loaded with the same SHA-256, left as they are (see `force`). */
  unchanged: { dataset: string; file: string }[];
  /** Files recognised but not imported, with the reason (a richer file of the same dataset). */
  notImported: { file: string; reason: string }[];
  areas: number;
  geographies: number;
  peopleResolved: number;
  seconds: number;
}

interface PlannedFile {
  path: string;
  file: string;
  match: LayoutMatch;
}

export async function importReferencePack(
  store: Pick<Store, 'db' | 'engine'>,
  dir: string,
  options: ImportReferenceOptions = {},
): Promise<ReferenceImportSummary> {
  const started = performance.now();
  const { planned, notImported } = await planImport(dir);
  const recorded = new Map((await importedDatasets(store.db)).map((row) => [row.name, row.sha256]));
  const datasets: DatasetImportSummary[] = [];
  const unchanged: ReferenceImportSummary['unchanged'] = [];
  let failure: unknown;
  for (const entry of planned) {
    const dataset = entry.match.layout.dataset.name;
    try {
      // The app imports the pack on every start: a file already loaded byte for byte is not loaded again.
      if (!options.force && recorded.get(dataset) === (await sha256OfFile(entry.path))) {
        unchanged.push({ dataset, file: entry.file });
        continue;
      }
      datasets.push(await importFile(store, entry, options));
    } catch (error) {
      failure = error;
      break;
    }
  }
  // Datasets already committed stay; derived tables are brought in line with them even when a
  // later file failed, then the failure is reported.
  let areas = { areas: 0, geographies: 0 };
  let peopleResolved = 0;
  let hadAreas = false;
  await store.db.transaction().execute(async (trx) => {
    if (datasets.length > 0) {
      hadAreas = (await countAreas(trx)).areas > 0;
      areas = await rebuildAreas(trx);
      await deriveLsoa11AgePopulation(trx);
      // Deprivation and geography may have changed: the equity audit's facts are rebuilt lazily.
      await markAllReferralFactsStale(trx);
    } else {
      areas = await countAreas(trx);
    }
    peopleResolved = await resolveUnknownPeople(trx);
  });
  if (datasets.length > 0) {
    const deletedFrom = datasets.flatMap((dataset) => dataset.replaced);
    if (hadAreas) deletedFrom.push('ref_area', 'ref_geography');
    const written = [...datasets.flatMap((dataset) => Object.keys(dataset.written)), 'ref_area', 'ref_geography', 'ref_dataset'];
    await tidyTables(store.db, deletedFrom, written);
  }
  if (failure) throw failure;
  return {
    dir,
    engine: store.engine,
    datasets,
    unchanged,
    notImported,
    areas: areas.areas,
    geographies: areas.geographies,
    peopleResolved,
    seconds: round(performance.now() - started),
  };
}

/** Finds and recognises every CSV in the folder; refuses the whole pack if any is not recognised. */
export async function planImport(dir: string): Promise<{ planned: PlannedFile[]; notImported: { file: string; reason: string }[] }> {
  const paths = await findCsvFiles(dir);
  const problems: Problem[] = [];
  const recognised: PlannedFile[] = [];
  for (const path of paths) {
    const file = relative(dir, path);
    try {
      recognised.push({ path, file, match: await recogniseFile(path, file) });
    } catch (error) {
      if (!(error instanceof RootsError)) throw error;
      problems.push({ field: file, reason: error.detail ?? error.message });
    }
  }
  if (problems.length > 0) {
    throw new RootsError('FORMAT_NOT_RECOGNISED', {
      detail: `Nothing was imported: ${problems.length === 1 ? problems[0]!.reason : `${problems.length} files in ${dir} are not recognised (${problems.map((p) => p.field).join(', ')})`}`,
      problems,
    });
  }
  if (recognised.length === 0) {
    throw new RootsError('FILE_NOT_FOUND', { detail: `There are no reference files (.csv or .csv.gz) in ${dir}` });
  }

  // Two files of one dataset (the England IMD in the pack's layout and as File 1): import the one
  // with more of the optional columns (scores, population); refuse a tie rather than guess.
  const byDataset = new Map<string, PlannedFile[]>();
  for (const entry of recognised) {
    const name = entry.match.layout.dataset.name;
    byDataset.set(name, [...(byDataset.get(name) ?? []), entry]);
  }
  const planned: PlannedFile[] = [];
  const notImported: { file: string; reason: string }[] = [];
  for (const [name, entries] of byDataset) {
    const sorted = [...entries].sort((a, b) => b.match.richness - a.match.richness);
    const [chosen, ...rest] = sorted as [PlannedFile, ...PlannedFile[]];
    const tie = rest.find((entry) => entry.match.richness === chosen.match.richness);
    if (tie) {
      throw new RootsError('BAD_REQUEST', {
        detail: `${chosen.file} and ${tie.file} both hold the dataset ${name}: keep one of them in ${dir}`,
      });
    }
    planned.push(chosen);
    for (const entry of rest) {
      notImported.push({ file: entry.file, reason: `${chosen.file} holds the same dataset (${name}) with more columns and was imported instead` });
    }
  }
  const order = new Map(referenceLayouts.map((layout, index) => [layout.id, index]));
  planned.sort((a, b) => order.get(a.match.layout.id)! - order.get(b.match.layout.id)!);
  return { planned, notImported };
}

async function importFile(store: Pick<Store, 'db'>, entry: PlannedFile, options: ImportReferenceOptions): Promise<DatasetImportSummary> {
  const started = performance.now();
  const { layout } = entry.match;
  const size = (await stat(entry.path)).size;
  const progress = options.progress?.(basename(entry.path), size);
  try {
    return await store.db.transaction().execute(async (trx) => {
      const replaced = await clearDataset(trx, layout.dataset);
      const sink = new DatabaseSink(trx, layout.dataset, entry.file, options.batchSize);
      const parsed = await parseFile(entry.path, entry.match, sink, {
        afterRow: sink.afterRow,
        displayName: entry.file,
        ...(progress ? { onBytes: (bytes: number) => progress.increment(bytes) } : {}),
      });
      const result = await sink.finish();
      await recordDataset(trx, { name: layout.dataset.name, sourceFile: entry.file, sha256: parsed.sha256, rows: parsed.rows });
      return {
        dataset: layout.dataset.name,
        layout: layout.id,
        file: entry.file,
        rows: parsed.rows,
        sha256: parsed.sha256,
        ...result,
        replaced,
        seconds: round(performance.now() - started),
      };
    });
  } finally {
    progress?.stop();
  }
}

async function findCsvFiles(dir: string): Promise<string[]> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a folder');
  } catch (error) {
    throw new RootsError('FILE_NOT_FOUND', { detail: `The reference folder ${dir} cannot be read: ${(error as Error).message}`, cause: error });
  }
  const found: string[] = [];
  async function walk(folder: string): Promise<void> {
    const entries = await readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (/\.csv(\.gz)?$/i.test(entry.name)) found.push(path);
    }
  }
  await walk(dir);
  return found.sort();
}

const round = (milliseconds: number) => Math.round(milliseconds / 10) / 100;
