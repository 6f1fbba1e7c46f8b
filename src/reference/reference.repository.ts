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

/**
 * Removes everything a previous import of this dataset wrote (call inside the import's
 * transaction). Returns the tables it deleted rows from, to be vacuumed afterwards.
 */
export async function clearDataset(db: Db, dataset: DatasetDefinition): Promise<string[]> {
  const touched: string[] = [];
  const run = async (table: string, query: { execute(): Promise<{ numDeletedRows: bigint }[]> }) => {
    const [result] = await query.execute();
    if ((result?.numDeletedRows ?? 0n) > 0n) touched.push(table);
  };
  if (dataset.deprivation) await run('ref_deprivation', db.deleteFrom('ref_deprivation').where('index_name', '=', dataset.deprivation.index));
  if (dataset.populationSources?.length) await run('ref_population', db.deleteFrom('ref_population').where('source', 'in', dataset.populationSources));
  if (dataset.postcodes) await run('ref_postcode', db.deleteFrom('ref_postcode'));
  if (dataset.lsoaChanges) await run('ref_lsoa_change', db.deleteFrom('ref_lsoa_change'));
  await run('ref_area_source', db.deleteFrom('ref_area_source').where('dataset', '=', dataset.name));
  await run('ref_geography_source', db.deleteFrom('ref_geography_source').where('dataset', '=', dataset.name));
  await run('ref_dataset', db.deleteFrom('ref_dataset').where('name', '=', dataset.name));
  return touched;
}

const REFERENCE_TABLES = new Set([
  'ref_dataset',
  'ref_area',
  'ref_geography',
  'ref_deprivation',
  'ref_postcode',
  'ref_lsoa_change',
  'ref_population',
  'ref_area_source',
  'ref_geography_source',
]);

/**
 * After a bulk load: VACUUM the tables rows were deleted from, so that the next import reuses
 * their space (embedded PGlite has no autovacuum), and ANALYZE the tables written, so that the
 * planner knows their size. Neither may run inside a transaction.
 */
export async function tidyTables(db: Db, vacuum: Iterable<string>, analyse: Iterable<string>): Promise<void> {
  const vacuumed = new Set(vacuum);
  const known = (table: string) => {
    if (!REFERENCE_TABLES.has(table)) throw new Error(`${table} is not a reference table`);
    return table;
  };
  for (const table of vacuumed) await sql.raw(`vacuum (analyze) ${known(table)}`).execute(db);
  for (const table of new Set(analyse)) if (!vacuumed.has(table)) await sql.raw(`analyze ${known(table)}`).execute(db);
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
  // Sorting a quarter of a million rows in memory rather than on disk (this transaction only).
  await sql`set local work_mem = '64MB'`.execute(db);
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

  // Each value is prefixed with a sort key (vintage digit: 0 for a 2011 area or data zone or SOA, 1
  // for a 2021 LSOA; then the dataset's precedence), so that min() finds the first value in order
  // without sorting every group. A value is kept only when its vintage is the area's own.
  const first = (column: string) => `min(k.sort_key || k.${column} collate "C") filter (where k.${column} is not null)`;
  const ownVintage = (column: string) => `case when left(m.${column}, 1) = left(m.kind_key, 1) then substr(m.${column}, 4) end`;
  const columns = ['area_name', 'msoa_code', 'local_authority_code', 'sub_icb_code', 'icb_code', 'rural_urban_code'];
  await sql`delete from ref_area`.execute(db);
  const areas = await sql`
    with keyed as (
      select s.*,
             (case when s.area_kind = 'lsoa21' then '1' else '0' end) || to_char(coalesce(p.precedence, 99), 'FM00') as sort_key
      from ref_area_source s
      left join unnest(${AREA_PRECEDENCE}::text[]) with ordinality as p(dataset, precedence) on p.dataset = s.dataset
    ),
    merged as (
      select k.area_code,
             min(left(k.sort_key, 1) || k.area_kind collate "C") as kind_key,
             ${sql.raw(columns.map((column) => `${first(column)} as ${column}`).join(',\n             '))}
      from keyed k
      group by k.area_code
    ),
    own as (
      select m.area_code, substr(m.kind_key, 2) as area_kind,
             ${sql.raw(columns.map((column) => `${ownVintage(column)} as ${column}`).join(',\n             '))}
      from merged m
    )
    insert into ref_area (area_code, area_kind, area_name, nation, msoa_code, local_authority_code, sub_icb_code, icb_code, region_code, rural_urban_code)
    select o.area_code, o.area_kind, o.area_name,
           case o.area_kind when 'soa01' then 'N' when 'datazone11' then 'S' else left(o.area_code, 1) end,
           o.msoa_code, o.local_authority_code, o.sub_icb_code, o.icb_code, g.parent_code, o.rural_urban_code
    from own o
    left join ref_geography g on g.code = o.local_authority_code and g.kind = 'local_authority'`.execute(db);
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

/**
 * Census 2021 population by age band per LSOA 2011 (source 'census2021_lsoa11'), derived from
 * the LSOA 2021 figures through the best-fit lookup, so that age bands line up with the LSOA 2011
 * areas the deprivation indices rank. An LSOA 2021 that came from one 2011 area (unchanged, or a
 * split) goes wholly to it; one formed from several (a merge, or an irregular change) is shared
 * between them in proportion to their mid-2019 populations (equally when those are unknown).
 * Rounded to whole people per band; England and Wales only (the lookup's coverage).
 */
export async function deriveLsoa11AgePopulation(db: Db): Promise<number> {
  await sql`delete from ref_population where source = 'census2021_lsoa11'`.execute(db);
  const result = await sql`
    insert into ref_population (source, area_code, age_band, age_from, age_to, population)
    with links as (
      select c.lsoa11_code, c.lsoa21_code, coalesce(t.population, 0) as weight
      from ref_lsoa_change c
      left join ref_population t on t.source = 'mid2019' and t.age_band = 'all' and t.area_code = c.lsoa11_code
    ),
    shares as (
      select lsoa11_code, lsoa21_code,
        case when sum(weight) over (partition by lsoa21_code) > 0
          then weight::double precision / sum(weight) over (partition by lsoa21_code)
          else 1.0 / count(*) over (partition by lsoa21_code) end as share
      from links
    )
    select 'census2021_lsoa11', s.lsoa11_code, p.age_band, min(p.age_from), min(p.age_to), round(sum(p.population * s.share))::integer
    from ref_population p
    join shares s on s.lsoa21_code = p.area_code
    where p.source = 'census2021'
    group by s.lsoa11_code, p.age_band`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Marks every referral's audit facts for rebuilding (they carry each area's deprivation and geography). */
export async function markAllReferralFactsStale(db: Db): Promise<void> {
  await sql`insert into referral_fact_dirty (referral_id) select referral_id from referral_fact on conflict do nothing`.execute(db);
}
