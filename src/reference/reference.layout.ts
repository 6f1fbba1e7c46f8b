import { RootsError, type Problem } from '../errors/roots-error.ts';
import type { Nation } from '../domain/codes.ts';
import type { DeprivationIndex } from '../store/schema.ts';

/**
 * The shape shared by every reference file layout: the columns it needs (with the spellings the
 * publishers use), and a parse function that turns one row into facts for the reference tables.
 * Layouts are pure: they never touch the database, so they are tested on small inline fixtures.
 */

export type AreaKind = 'lsoa11' | 'lsoa21' | 'datazone11' | 'soa01';
export type GeographyKind = 'msoa' | 'sub_icb' | 'icb' | 'local_authority' | 'region' | 'intermediate_zone';

export interface DeprivationFact {
  areaCode: string;
  rank: number;
  score: number | null;
  /** The decile written in the file, when it has one: checked against the official cut-offs. */
  statedDecile: number | null;
}

export interface AgeBand {
  /** '0-15', '16-24', '65+', or 'all' for the total. */
  label: string;
  from: number | null;
  to: number | null;
}

export interface PopulationFact {
  source: string;
  areaCode: string;
  band: AgeBand;
  population: number;
}

export interface AreaFact {
  kind: AreaKind;
  code: string;
  name?: string | null;
  msoaCode?: string | null;
  localAuthorityCode?: string | null;
  subIcbCode?: string | null;
  icbCode?: string | null;
  ruralUrbanCode?: string | null;
}

export interface GeographyFact {
  code: string;
  kind: GeographyKind;
  name: string;
  nhsCode?: string | null;
  parentCode?: string | null;
}

export interface PostcodeFact {
  postcode: string;
  areaCode: string | null;
  localAuthorityCode: string | null;
  regionCode: string | null;
  countryCode: string | null;
  introduced: string | null;
  terminated: string | null;
}

export interface LsoaChangeFact {
  lsoa11Code: string;
  lsoa21Code: string;
  changeCode: 'U' | 'S' | 'M' | 'X';
}

/** Where parsed facts go: the database writer in an import, an array in a test. */
export interface ReferenceSink {
  deprivation(fact: DeprivationFact): void;
  population(fact: PopulationFact): void;
  area(fact: AreaFact): void;
  geography(fact: GeographyFact): void;
  postcode(fact: PostcodeFact): void;
  lsoaChange(fact: LsoaChangeFact): void;
  /** A row deliberately left out (counted and reported, never silently). */
  skip(row: number, reason: string): void;
}

/**
 * A logical dataset: what an import replaces. Two layouts of the same dataset (the England IMD
 * in the pack's layout and as MHCLG's File 1) write the same rows, so only one is imported.
 */
export interface DatasetDefinition {
  /** ref_dataset.name, and the key of this dataset's rows in ref_area_source / ref_geography_source. */
  name: string;
  title: string;
  deprivation?: { index: DeprivationIndex; nation: Nation; publishedAreaCount: number };
  /** ref_population.source values this dataset owns. */
  populationSources?: string[];
  postcodes?: boolean;
  lsoaChanges?: boolean;
}

export interface ColumnSpec {
  /** Accepted header spellings, compared after normalising (see normaliseHeader). */
  names: readonly string[];
  optional?: boolean;
}

export const column = (...names: string[]): ColumnSpec => ({ names });
export const optionalColumn = (...names: string[]): ColumnSpec => ({ names, optional: true });

export interface ReferenceLayout<K extends string = string> {
  /** Stable id of the layout, e.g. 'england_imd2019_official'. */
  id: string;
  dataset: DatasetDefinition;
  /** The file as it is usually named (the sample pack's name, or the publisher's). */
  fileName: string;
  description: string;
  columns: Record<K, ColumnSpec>;
  parse(row: Fields<K>, sink: ReferenceSink): void;
}

export function defineLayout<K extends string>(layout: ReferenceLayout<K>): ReferenceLayout {
  return layout as unknown as ReferenceLayout;
}

/**
 * Header cells are compared case-insensitively with spacing collapsed, a byte-order mark removed,
 * and MHCLG's explanatory suffixes dropped: File 7 writes "... Rank (where 1 is most deprived)"
 * where File 1 writes "... Rank".
 */
export function normaliseHeader(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .replace(/\s*\(where 1 is most deprived[^)]*\)\s*$/i, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

export interface LayoutMatch {
  layout: ReferenceLayout;
  /** Column index of each key, -1 when an optional column is absent. */
  indexes: Record<string, number>;
  /** How many optional columns are present: the richer of two files of one dataset is imported. */
  richness: number;
}

/** The columns of `layout` that `header` lacks (empty when the layout matches). */
export function missingColumns(layout: ReferenceLayout, header: readonly string[]): string[] {
  const present = new Set(header.map(normaliseHeader));
  return Object.values(layout.columns)
    .filter((spec) => !spec.optional && !spec.names.some((name) => present.has(normaliseHeader(name))))
    .map((spec) => spec.names[0]!);
}

export function matchLayout(layout: ReferenceLayout, header: readonly string[]): LayoutMatch | null {
  const positions = new Map<string, number>();
  header.forEach((cell, index) => {
    const key = normaliseHeader(cell);
    if (!positions.has(key)) positions.set(key, index);
  });
  const indexes: Record<string, number> = {};
  let richness = 0;
  for (const [key, spec] of Object.entries(layout.columns)) {
    const found = spec.names.map((name) => positions.get(normaliseHeader(name))).find((index) => index !== undefined);
    if (found === undefined) {
      if (!spec.optional) return null;
      indexes[key] = -1;
    } else {
      indexes[key] = found;
      if (spec.optional) richness++;
    }
  }
  return { layout, indexes, richness };
}

/**
 * The layout a header belongs to: of the layouts whose required columns are all present, the
 * one that requires the most (the most specific). Null when none matches.
 */
export function recogniseLayout(layouts: readonly ReferenceLayout[], header: readonly string[]): LayoutMatch | null {
  let best: LayoutMatch | null = null;
  let bestRequired = -1;
  for (const layout of layouts) {
    const match = matchLayout(layout, header);
    if (!match) continue;
    const required = Object.values(layout.columns).filter((spec) => !spec.optional).length;
    if (required > bestRequired) {
      best = match;
      bestRequired = required;
    }
  }
  return best;
}

/**
 * Typed access to the fields of the current row, with errors that name the file, row, column and
 * value. One instance is reused for every row of a file.
 */
export class Fields<K extends string = string> {
  #record: readonly string[] = [];
  row = 0;

  constructor(
    readonly fileName: string,
    private readonly indexes: Record<K, number>,
    private readonly header: readonly string[],
  ) {}

  next(record: readonly string[], row: number): this {
    this.#record = record;
    this.row = row;
    return this;
  }

  /** Whether the file has this (optional) column at all. */
  has(key: K): boolean {
    return this.indexes[key] >= 0;
  }

  /** The trimmed value, or null when blank or when the column is absent. */
  optionalText(key: K): string | null {
    const index = this.indexes[key];
    if (index < 0) return null;
    const value = this.#record[index];
    if (value === undefined) return null;
    const trimmed = value.trim();
    return trimmed === '' ? null : trimmed;
  }

  text(key: K): string {
    const value = this.optionalText(key);
    if (value === null) throw this.problem(key, 'is blank');
    return value;
  }

  /** A text value that must match `pattern` (area codes, change codes). */
  code(key: K, pattern: RegExp, what: string): string {
    const value = this.text(key);
    if (!pattern.test(value)) throw this.problem(key, `is not ${what}`, value);
    return value;
  }

  optionalCode(key: K, pattern: RegExp, what: string): string | null {
    return this.optionalText(key) === null ? null : this.code(key, pattern, what);
  }

  /**
   * A whole number of zero or more. Publishers write large numbers with thousands separators
   * ("29,199" in MHCLG's File 1), so commas between groups of three digits are accepted.
   */
  count(key: K): number {
    const value = this.text(key);
    const parsed = parseCount(value);
    if (parsed === null) throw this.problem(key, 'is not a whole number', value);
    return parsed;
  }

  optionalCount(key: K): number | null {
    return this.optionalText(key) === null ? null : this.count(key);
  }

  optionalDecimal(key: K): number | null {
    const value = this.optionalText(key);
    if (value === null) return null;
    if (!/^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$/.test(value)) throw this.problem(key, 'is not a number', value);
    return Number(value.replaceAll(',', ''));
  }

  problem(key: K, reason: string, value?: string): RootsError {
    const columnName = this.header[this.indexes[key]] ?? key;
    const shown = value === undefined ? '' : ` ("${value.length > 40 ? `${value.slice(0, 40)}...` : value}")`;
    const problem: Problem = { row: this.row, field: columnName, reason: `${reason}${shown}` };
    if (value !== undefined) problem.value = value;
    return new RootsError('FORMAT_NOT_RECOGNISED', {
      detail: `${this.fileName}: row ${this.row}, column "${columnName}" ${reason}${shown}`,
      problems: [problem],
    });
  }
}

export function parseCount(value: string): number | null {
  if (/^\d+$/.test(value)) return Number(value);
  if (/^\d{1,3}(,\d{3})+$/.test(value)) return Number(value.replaceAll(',', ''));
  return null;
}

/** Area code patterns, checked so that a wrongly mapped column fails on its first row. */
export const LSOA_CODE = /^[EW]01\d{6}$/;
export const DATA_ZONE_CODE = /^S01\d{6}$/;
export const SOA2001_CODE = /^95[A-Z]{2}\d{2}[A-Z]\d{1,2}$/;
export const SMALL_AREA_CODE = /^(?:[EWS]01\d{6}|95[A-Z]{2}\d{2}[A-Z]\d{1,2})$/;
/** Any GSS code (E06000001, S12000006, N09000001...). */
export const GSS_CODE = /^[EWSNLM]\d{8}$/;

/** The kind of small area a code names (LSOA codes are the same shape in 2011 and 2021). */
export function areaKindOfCode(code: string, lsoaKind: 'lsoa11' | 'lsoa21'): AreaKind {
  if (code.startsWith('S01')) return 'datazone11';
  if (code.startsWith('95')) return 'soa01';
  return lsoaKind;
}
