import { basename } from 'node:path';
import { describeCsvFile, openCsv, type CsvReadOptions } from './csv.reader.ts';
import { deprivationLayouts } from './deprivation.parser.ts';
import { lookupLayouts } from './lookup.parser.ts';
import { nsplLayout } from './nspl.parser.ts';
import { populationLayouts } from './population.parser.ts';
import {
  Fields,
  missingColumns,
  recogniseLayout,
  type AreaFact,
  type DeprivationFact,
  type GeographyFact,
  type LayoutMatch,
  type LsoaChangeFact,
  type PopulationFact,
  type PostcodeFact,
  type ReferenceLayout,
  type ReferenceSink,
} from './reference.layout.ts';
import { RootsError } from '../errors/roots-error.ts';

/** Every layout the importer knows, in the order datasets are imported. */
export const referenceLayouts: readonly ReferenceLayout[] = [...deprivationLayouts, ...lookupLayouts, ...populationLayouts, nsplLayout];

export interface ParsedFile {
  rows: number;
  sha256: string;
}

/**
 * Streams one file through its layout into `sink`. `afterRow` lets a database writer flush a full
 * batch; it is awaited only when it returns a promise, so parsing stays synchronous between batches.
 */
export async function parseFile(
  path: string,
  match: LayoutMatch,
  sink: ReferenceSink,
  options: CsvReadOptions & { afterRow?: () => Promise<void> | undefined; displayName?: string } = {},
): Promise<ParsedFile> {
  const csv = await openCsv(await describeCsvFile(path), options);
  const fields = new Fields(options.displayName ?? basename(path), match.indexes, csv.header);
  let rows = 0;
  try {
    for await (const record of csv.records) {
      rows++;
      match.layout.parse(fields.next(record, rows), sink);
      const pending = options.afterRow?.();
      if (pending) await pending;
    }
  } finally {
    await csv.close();
  }
  return { rows, sha256: csv.sha256() };
}

/** Recognises a file by its header, or explains what is wrong with it (naming it `displayName`). */
export async function recogniseFile(path: string, displayName = basename(path), layouts: readonly ReferenceLayout[] = referenceLayouts): Promise<LayoutMatch> {
  const csv = await openCsv(await describeCsvFile(path));
  await csv.close();
  const match = recogniseLayout(layouts, csv.header);
  if (match) return match;
  throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: `${displayName}: ${explainUnrecognised(layouts, csv.header, basename(path))}` });
}

function explainUnrecognised(layouts: readonly ReferenceLayout[], header: readonly string[], fileName: string): string {
  const shown = header.slice(0, 6).join(', ') + (header.length > 6 ? ', ...' : '');
  // A file named like a known layout most likely is one with a changed header: say what is missing.
  const byName = layouts.find((layout) => layout.fileName.toLowerCase() === fileName.toLowerCase());
  if (byName) {
    const missing = missingColumns(byName, header);
    if (missing.length > 0) return `this is named like the ${byName.id} file but lacks the column(s) ${missing.join(', ')} (its header is: ${shown})`;
  }
  return `the header (${shown}) matches no known reference file layout; known files are ${layouts.map((layout) => layout.fileName).join('; ')}`;
}

/** Everything a file says, in memory: for tests and for checking small files. */
export interface CollectedFacts {
  deprivation: DeprivationFact[];
  population: PopulationFact[];
  areas: AreaFact[];
  geographies: GeographyFact[];
  postcodes: PostcodeFact[];
  lsoaChanges: LsoaChangeFact[];
  skipped: { row: number; reason: string }[];
}

export function collectingSink(): ReferenceSink & { facts: CollectedFacts } {
  const facts: CollectedFacts = { deprivation: [], population: [], areas: [], geographies: [], postcodes: [], lsoaChanges: [], skipped: [] };
  return {
    facts,
    deprivation: (fact) => void facts.deprivation.push(fact),
    population: (fact) => void facts.population.push(fact),
    area: (fact) => void facts.areas.push(fact),
    geography: (fact) => void facts.geographies.push(fact),
    postcode: (fact) => void facts.postcodes.push(fact),
    lsoaChange: (fact) => void facts.lsoaChanges.push(fact),
    skip: (row, reason) => void facts.skipped.push({ row, reason }),
  };
}

/** Recognises and parses one file into memory. */
export async function parseFileToFacts(path: string): Promise<{ layout: ReferenceLayout; facts: CollectedFacts; rows: number; sha256: string }> {
  const match = await recogniseFile(path);
  const sink = collectingSink();
  const parsed = await parseFile(path, match, sink);
  return { layout: match.layout, facts: sink.facts, ...parsed };
}
