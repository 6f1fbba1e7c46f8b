import { CompiledQuery, sql, type Kysely } from 'kysely';
import type { Schema, DeprivationIndex } from '../store/schema.ts';
import type { Nation } from '../domain/codes.ts';
import { parsePostcode } from './postcode.ts';
import type { DatasetDefinition } from './reference.layout.ts';

/**
 * Reads and writes of the reference tables. Plain functions taking `db` (or a transaction) first.
 * Bulk loading sends each batch as one statement of typed arrays:
 *   insert into t (a, b) select * from unnest($1::text[], $2::int[])
 * which both PGlite and PostgreSQL run as one plan per batch, instead of one per row.
 */

type Db = Kysely<Schema>;

export type PgArrayType = 'text' | 'int4' | 'int2' | 'numeric';

/** Buffers rows for one table as column arrays and writes them a batch at a time. */
export class BatchInsert {
  readonly #columns: string[];
  readonly #statement: string;
  #arrays: unknown[][];
  inserted = 0;

  constructor(
    readonly table: string,
    columns: Record<string, PgArrayType>,
  ) {
    this.#columns = Object.keys(columns);
    const types = Object.values(columns);
    this.#statement =
      `insert into ${table} (${this.#columns.join(', ')}) ` +
      `select * from unnest(${types.map((type, index) => `$${index + 1}::${type}[]`).join(', ')})`;
    this.#arrays = this.#columns.map(() => []);
  }

  get pending(): number {
    return this.#arrays[0]!.length;
  }

  add(values: readonly unknown[]): void {
    for (let index = 0; index < values.length; index++) this.#arrays[index]!.push(values[index]);
  }

  async flush(db: Db): Promise<void> {
    const count = this.pending;
    if (count === 0) return;
    const parameters = this.#arrays;
    this.#arrays = this.#columns.map(() => []);
    await db.executeQuery(CompiledQuery.raw(this.#statement, parameters));
    this.inserted += count;
  }
}

export const referenceTables = {
  deprivation: () =>
    new BatchInsert('ref_deprivation', {
      index_name: 'text',
      nation: 'text',
      area_code: 'text',
      score: 'numeric',
      rank: 'int4',
      area_count: 'int4',
      decile: 'int2',
      quintile: 'int2',
    }),
  population: () =>
    new BatchInsert('ref_population', { source: 'text', area_code: 'text', age_band: 'text', age_from: 'int2', age_to: 'int2', population: 'int4' }),
  areaSource: () =>
    new BatchInsert('ref_area_source', {
      dataset: 'text',
      area_kind: 'text',
      area_code: 'text',
      area_name: 'text',
      msoa_code: 'text',
      local_authority_code: 'text',
      sub_icb_code: 'text',
      icb_code: 'text',
      rural_urban_code: 'text',
    }),
  geographySource: () =>
    new BatchInsert('ref_geography_source', { dataset: 'text', code: 'text', kind: 'text', name: 'text', nhs_code: 'text', parent_code: 'text' }),
  postcode: () =>
    new BatchInsert('ref_postcode', {
      postcode: 'text',
      area_code: 'text',
      local_authority_code: 'text',
      region_code: 'text',
      country_code: 'text',
      introduced: 'text',
      terminated: 'text',
    }),
  lsoaChange: () => new BatchInsert('ref_lsoa_change', { lsoa11_code: 'text', lsoa21_code: 'text', change_code: 'text' }),
};

/** Removes everything a previous import of this dataset wrote (call inside the import's transaction). */
export async function clearDataset(db: Db, dataset: DatasetDefinition): Promise<void> {
  if (dataset.deprivation) await db.deleteFrom('ref_deprivation').where('index_name', '=', dataset.deprivation.index).execute();
  if (dataset.populationSources?.length) await db.deleteFrom('ref_population').where('source', 'in', dataset.populationSources).execute();
  if (dataset.postcodes) await db.deleteFrom('ref_postcode').execute();
  if (dataset.lsoaChanges) await db.deleteFrom('ref_lsoa_change').execute();
  await db.deleteFrom('ref_area_source').where('dataset', '=', dataset.name).execute();
  await db.deleteFrom('ref_geography_source').where('dataset', '=', dataset.name).execute();
  await db.deleteFrom('ref_dataset').where('name', '=', dataset.name).execute();
}

export async function recordDataset(db: Db, row: { name: string; sourceFile: string; sha256: string; rows: number }): Promise<void> {
  await db
    .insertInto('ref_dataset')
    .values({ name: row.name, source_file: row.sourceFile, sha256: row.sha256, row_count: row.rows, imported_at: new Date() })
    .onConflict((conflict) =>
      conflict.column('name').doUpdateSet({ source_file: row.sourceFile, sha256: row.sha256, row_count: row.rows, imported_at: new Date() }),
    )
    .execute();
}

/**
 * Which dataset's word counts when two describe the same area or geography: ONS's current NHS
 * lookups first, then the other ONS lookups, then the deprivation files (whose local authorities
 * are the 2019 districts). Datasets not listed come last.
 */
export const AREA_PRECEDENCE = [
  'lsoa11_sicbl22_icb22_ltla22',
  'lsoa21_icb24',
  'lsoa11_lsoa21_ltla22',
  'lsoa11_msoa11',
  'ruc11_lsoa11',
  'england_imd2019',
  'wales_wimd2019',
  'scotland_simd2020v2',
  'ni_nimdm2017',
];

export const GEOGRAPHY_PRECEDENCE = [
  'ltla21_region21',
  'lsoa21_icb24',
  'lsoa11_sicbl22_icb22_ltla22',
  'lsoa11_lsoa21_ltla22',
  'lsoa11_msoa11',
  'england_imd2019',
  'ni_nimdm2017',
];

/**
 * Rebuilds ref_geography and ref_area from what the imported datasets say, in SQL.
 *
 * An LSOA code can name both a 2011 and a 2021 area (unchanged LSOAs kept their codes), and
 * ref_area has one row per code: the 2011 area wins, because people are placed by NSPL's LSOA
 * 2011 and the deprivation indices rank 2011 areas. Every column of a row then comes from sources
 * of that same vintage, first non-null value by precedence, so an LSOA 2011 carries the 2022
 * sub-ICB and ICB and an LSOA that exists only in 2021 carries the 2024 ones. The region is the
 * parent of the area's local authority.
 */
export async function rebuildAreas(db: Db): Promise<{ areas: number; geographies: number }> {
  const pick = (column: string) => `(array_agg(s.${column} order by p.precedence) filter (where s.${column} is not null))[1]`;
  await sql`delete from ref_geography`.execute(db);
  const geographies = await sql`
    insert into ref_geography (code, kind, name, nhs_code, parent_code)
    select s.code,
           (array_agg(s.kind order by p.precedence))[1],
           (array_agg(s.name order by p.precedence))[1],
           ${sql.raw(pick('nhs_code'))},
           ${sql.raw(pick('parent_code'))}
    from ref_geography_source s
    left join unnest(${GEOGRAPHY_PRECEDENCE}::text[]) with ordinality as p(dataset, precedence) on p.dataset = s.dataset
    group by s.code`.execute(db);
  await sql`delete from ref_area`.execute(db);
  const areas = await sql`
    with chosen as (
      select distinct on (area_code) area_code, area_kind
      from ref_area_source
      order by area_code, case area_kind when 'lsoa21' then 2 else 1 end
    ),
    merged as (
      select s.area_code, s.area_kind,
             ${sql.raw(pick('area_name'))} as area_name,
             ${sql.raw(pick('msoa_code'))} as msoa_code,
             ${sql.raw(pick('local_authority_code'))} as local_authority_code,
             ${sql.raw(pick('sub_icb_code'))} as sub_icb_code,
             ${sql.raw(pick('icb_code'))} as icb_code,
             ${sql.raw(pick('rural_urban_code'))} as rural_urban_code
      from ref_area_source s
      join chosen c on c.area_code = s.area_code and c.area_kind = s.area_kind
      left join unnest(${AREA_PRECEDENCE}::text[]) with ordinality as p(dataset, precedence) on p.dataset = s.dataset
      group by s.area_code, s.area_kind
    )
    insert into ref_area (area_code, area_kind, area_name, nation, msoa_code, local_authority_code, sub_icb_code, icb_code, region_code, rural_urban_code)
    select m.area_code, m.area_kind, m.area_name,
           case m.area_kind when 'soa01' then 'N' when 'datazone11' then 'S' else left(m.area_code, 1) end,
           m.msoa_code, m.local_authority_code, m.sub_icb_code, m.icb_code, g.parent_code, m.rural_urban_code
    from merged m
    left join ref_geography g on g.code = m.local_authority_code and g.kind = 'local_authority'`.execute(db);
  return { areas: Number(areas.numAffectedRows ?? 0), geographies: Number(geographies.numAffectedRows ?? 0) };
}

/** How many areas and geographies there are, when nothing was rebuilt. */
export async function countAreas(db: Db): Promise<{ areas: number; geographies: number }> {
  const { rows } = await sql<{ areas: number; geographies: number }>`
    select (select count(*) from ref_area) as areas, (select count(*) from ref_geography) as geographies`.execute(db);
  return { areas: Number(rows[0]!.areas), geographies: Number(rows[0]!.geographies) };
}

/**
 * People whose postcode was not in the reference data when they were recorded are placed now
 * that it is: 'unknown' becomes 'resolved' (live postcode) or 'terminated' (still placed in its
 * area). Only status and area change; nobody is removed. An area a source system gave is kept.
 */
export async function resolveUnknownPeople(db: Db): Promise<number> {
  const result = await sql`
    update person p
    set postcode_status = case when r.terminated is null then 'resolved' else 'terminated' end,
        area_code = coalesce(p.area_code, r.area_code),
        updated_at = now()
    from ref_postcode r
    where p.postcode_status = 'unknown'
      and p.postcode is not null
      and r.area_code is not null
      and r.postcode = left(replace(p.postcode, ' ', ''), -3) || ' ' || right(replace(p.postcode, ' ', ''), 3)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export type PostcodeResolution = { areaCode: string | null; status: 'resolved' | 'terminated' | 'unknown' };

const RESOLVE_BATCH = 5_000;

/**
 * Places postcodes in their small areas, one query per batch of 5,000. The map is keyed by the
 * postcode exactly as given ('dt1 1aa' and 'DT1 1AA' each get an entry). A postcode that is not
 * well formed, is missing from NSPL, or that NSPL knows but cannot place in a small area, is
 * 'unknown' with no area: a person is never 'resolved' or 'terminated' without an area.
 */
export async function resolvePostcodes(db: Db, postcodes: readonly string[]): Promise<Map<string, PostcodeResolution>> {
  const normalised = new Map<string, string | null>();
  for (const given of postcodes) {
    if (normalised.has(given)) continue;
    const parsed = parsePostcode(given);
    normalised.set(given, parsed.ok ? parsed.postcode : null);
  }
  const wanted = [...new Set([...normalised.values()].filter((postcode): postcode is string => postcode !== null))];
  const found = new Map<string, PostcodeResolution>();
  for (let start = 0; start < wanted.length; start += RESOLVE_BATCH) {
    const batch = wanted.slice(start, start + RESOLVE_BATCH);
    const { rows } = await sql<{ postcode: string; area_code: string | null; terminated: string | null }>`
      select postcode, area_code, terminated from ref_postcode where postcode = any(${batch}::text[])`.execute(db);
    for (const row of rows) {
      found.set(row.postcode, row.area_code === null ? { areaCode: null, status: 'unknown' } : { areaCode: row.area_code, status: row.terminated === null ? 'resolved' : 'terminated' });
    }
  }
  const result = new Map<string, PostcodeResolution>();
  for (const [given, postcode] of normalised) {
    result.set(given, (postcode !== null && found.get(postcode)) || { areaCode: null, status: 'unknown' });
  }
  return result;
}

export interface AreaDeprivation {
  areaCode: string;
  nation: Nation;
  indexName: DeprivationIndex;
  score: number | null;
  rank: number;
  areaCount: number;
  decile: number;
  quintile: number;
  localAuthorityCode: string | null;
  icbCode: string | null;
}

/** The deprivation of one small area by its own nation's index, or null when it is not ranked. */
export async function deprivationOfArea(db: Db, areaCode: string): Promise<AreaDeprivation | null> {
  const row = await db
    .selectFrom('area_deprivation')
    .select(['area_code', 'nation', 'index_name', 'score', 'rank', 'area_count', 'decile', 'quintile', 'local_authority_code', 'icb_code'])
    .where('area_code', '=', areaCode)
    .executeTakeFirst();
  if (!row) return null;
  return {
    areaCode: row.area_code,
    nation: row.nation,
    indexName: row.index_name,
    score: row.score === null ? null : Number(row.score),
    rank: row.rank,
    areaCount: row.area_count,
    decile: row.decile,
    quintile: row.quintile,
    localAuthorityCode: row.local_authority_code,
    icbCode: row.icb_code,
  };
}

/** The datasets imported so far (what `ref_dataset` records). */
export async function importedDatasets(db: Db) {
  return db.selectFrom('ref_dataset').selectAll().orderBy('name').execute();
}
