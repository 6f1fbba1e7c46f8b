import { sql, type Kysely, type RawBuilder } from 'kysely';
import { pathway as pathwayCodes, type Nation, type Pathway, type ServiceSetting } from '../domain/codes.ts';
import { RootsError } from '../errors/roots-error.ts';
import { findServiceByReference } from '../organisations/service.repository.ts';
import type { DeprivationIndex, Schema } from '../store/schema.ts';
import {
  bandLabel,
  builtInBands,
  builtInBandShares,
  type AgeBand,
  type AreaFrame,
  type FrameArea,
} from './area-frame.ts';
import { describeAreaScope, type AreaScope } from './options.ts';

/**
 * Reads the sampling frame from the reference tables. Everything is ordered (ORDER BY) so the
 * same database gives the same frame, and counted or summed in SQL: Node receives one row per
 * area (per age band), never a whole table. Populations apportioned from LSOA 2021 to LSOA 2011
 * are summed in a fixed order so that both engines, and every run, agree to the last bit.
 */

const IMPORT_HINT = 'Run `roots reference import` (with ROOTS_REFERENCE_DIR pointing at the reference pack) first.';

export interface FrameLoadOptions {
  /** Live postcodes kept per area (a spread sample); terminated ones are capped at a fifth of this. */
  postcodesPerArea?: number;
}

export async function loadAreaFrame(db: Kysely<Schema>, scope: AreaScope, options: FrameLoadOptions = {}): Promise<AreaFrame> {
  const postcodesPerArea = options.postcodesPerArea ?? 25;
  await requireReferenceData(db, scope);
  // The frame is worked out once into a temporary table on one pinned connection, and every
  // later query joins that table (temporary tables belong to their session).
  return db.connection().execute(async (connection) => {
    const frame = sql.table(`roots_synth_frame_${++frameTables}`);
    await sql`create temporary table ${frame} as ${frameSelect(scope)}`.execute(connection);
    try {
      await sql`create index on ${frame} (area_code)`.execute(connection);
      await sql`analyze ${frame}`.execute(connection);
      return await loadFromFrameTable(connection, frame, scope, postcodesPerArea);
    } finally {
      await sql`drop table if exists ${frame}`.execute(connection);
    }
  });
}

let frameTables = 0;

async function loadFromFrameTable(db: Kysely<Schema>, frame: RawBuilder<unknown>, scope: AreaScope, postcodesPerArea: number): Promise<AreaFrame> {
  const { rows: frameRows } = await sql<FrameRow>`
    select area_code, nation, index_name, decile, quintile, local_authority_code, icb_code
    from ${frame}
    order by area_code
  `.execute(db);
  if (frameRows.length === 0) {
    const national = scope.kind === 'england' || scope.kind === 'wales';
    throw new RootsError(national ? 'REFERENCE_DATA_MISSING' : 'NOT_FOUND', {
      detail: national
        ? `No small areas with deprivation data for ${scope.kind}. ${IMPORT_HINT}`
        : `No small areas with deprivation data are in ${describeAreaScope(scope)}. Check the code (ICBs look like E54000008, local authorities like E06000059) and that the reference data covers it.`,
    });
  }

  const choice = await choosePopulationSources(db, frame);
  if (!choice.totals && !choice.bands) {
    throw new RootsError('REFERENCE_DATA_MISSING', {
      detail: `No population figures cover the small areas of ${describeAreaScope(scope)}. ${IMPORT_HINT}`,
    });
  }
  const totals = choice.totals ? await loadPopulation(db, frame, choice.totals.source, choice.totals.on2021, 'totals') : new Map<string, PopulationRow[]>();
  const banded = choice.bands ? await loadPopulation(db, frame, choice.bands.source, choice.bands.on2021, 'bands') : new Map<string, PopulationRow[]>();

  // Age bands: those of the banded source, else the built-in Census 2021 split.
  const bands: AgeBand[] = choice.bands ? bandsOf(banded) : builtInBands;
  const bandIndex = new Map(bands.map((band, index) => [bandKey(band.from, band.to), index]));
  const averageShares = averageBandShares(banded, bandIndex, bands.length);

  const postcodes = await loadPostcodes(db, frame, postcodesPerArea);

  const areas: FrameArea[] = [];
  let withoutPopulation = 0;
  let averageSplit = 0;
  for (const row of frameRows) {
    const bandRows = banded.get(row.area_code);
    const bandPopulation = new Array<number>(bands.length).fill(0);
    let bandTotal = 0;
    for (const bandRow of bandRows ?? []) {
      const index = bandIndex.get(bandKey(bandRow.age_from, bandRow.age_to));
      if (index === undefined) continue;
      bandPopulation[index] = bandPopulation[index]! + bandRow.population;
      bandTotal += bandRow.population;
    }
    const totalRow = totals.get(row.area_code)?.[0];
    const population = totalRow ? totalRow.population : bandTotal;
    if (!(population > 0)) {
      withoutPopulation++;
      continue;
    }
    let shares: number[];
    if (bandTotal > 0) {
      shares = bandPopulation.map((p) => p / bandTotal);
    } else {
      shares = choice.bands ? averageShares : normalise(builtInBandShares[row.nation]);
      if (choice.bands) averageSplit++;
    }
    const areaPostcodes = postcodes.get(row.area_code);
    areas.push({
      code: row.area_code,
      nation: row.nation,
      index: row.index_name,
      decile: row.decile,
      quintile: row.quintile,
      localAuthority: row.local_authority_code,
      icb: row.icb_code,
      population,
      bandPopulation: shares.map((share) => share * population),
      livePostcodes: areaPostcodes?.live ?? [],
      terminatedPostcodes: areaPostcodes?.terminated ?? [],
    });
  }
  if (areas.length === 0) {
    throw new RootsError('REFERENCE_DATA_MISSING', {
      detail: `No population figures cover the small areas of ${describeAreaScope(scope)}. ${IMPORT_HINT}`,
    });
  }
  return {
    scope,
    bands,
    areas,
    sources: {
      totals: choice.totals?.source ?? null,
      ageBands: choice.bands?.source ?? null,
      ageBandsApportioned: choice.bands?.on2021 ?? false,
      areasWithAverageAgeSplit: averageSplit,
      areasWithPostcodes: areas.filter((a) => a.livePostcodes.length > 0 || a.terminatedPostcodes.length > 0).length,
    },
    areasWithoutPopulation: withoutPopulation,
  };
}

export interface ServiceProfile {
  id: number;
  code: string;
  name: string;
  organisationCode: string;
  setting: ServiceSetting;
  pathways: Pathway[];
}

/**
 * A service by `ORGANISATION/code`, or a code only one organisation uses (findService). With no
 * code, the one service there is.
 */
export async function loadService(db: Kysely<Schema>, reference: string | undefined): Promise<ServiceProfile> {
  const found = await findServiceByReference(db, reference);
  const service = { id: found.id, code: found.code, name: found.name, setting: found.setting, organisation_code: found.organisationCode };
  const pathwayRows = await db
    .selectFrom('service_pathway')
    .select('pathway_code')
    .where('service_id', '=', service.id)
    .orderBy('pathway_code')
    .execute();
  const offered = new Set(pathwayRows.map((row) => row.pathway_code));
  return {
    id: service.id,
    code: service.code,
    name: service.name,
    organisationCode: service.organisation_code,
    setting: service.setting,
    // A service with no pathways listed is taken to offer them all; order follows the code list.
    pathways: offered.size > 0 ? pathwayCodes.values.filter((p) => offered.has(p)) : [...pathwayCodes.values],
  };
}

// ---------------------------------------------------------------------------------------------

interface FrameRow {
  area_code: string;
  nation: Nation;
  index_name: DeprivationIndex;
  decile: number;
  quintile: number;
  local_authority_code: string | null;
  icb_code: string | null;
}

interface PopulationRow {
  area_code: string;
  age_band: string;
  age_from: number | null;
  age_to: number | null;
  population: number;
}

interface SourceChoice {
  source: string;
  on2021: boolean;
  areas: number;
}

async function requireReferenceData(db: Kysely<Schema>, scope: AreaScope): Promise<void> {
  const { rows } = await sql<{ deprivation: boolean; population: boolean; areas: boolean }>`
    select
      exists (select 1 from ref_deprivation) as deprivation,
      exists (select 1 from ref_population) as population,
      exists (select 1 from ref_area) as areas
  `.execute(db);
  const present = rows[0]!;
  const missing = [
    present.deprivation ? null : 'deprivation indices',
    present.population ? null : 'population by area',
    !present.areas && (scope.kind === 'icb' || scope.kind === 'la') ? 'the area lookup (LSOA to ICB and local authority)' : null,
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new RootsError('REFERENCE_DATA_MISSING', {
      detail: `Synthetic people are drawn from real area populations, and the database has no ${missing.join(', no ')}. ${IMPORT_HINT}`,
    });
  }
}

/** The areas in scope: each with its own nation's deprivation index. */
function frameSelect(scope: AreaScope): RawBuilder<unknown> {
  const where = (() => {
    switch (scope.kind) {
      case 'england':
        return sql`d.nation = 'E'`;
      case 'wales':
        return sql`d.nation = 'W'`;
      case 'icb':
        // ONS code (E54000008) or the NHS organisation code (QYG) of the ICB.
        return sql`(a.icb_code = ${scope.code} or a.icb_code in (select g.code from ref_geography g where g.kind = 'icb' and g.nhs_code = ${scope.code}))`;
      case 'la':
        return sql`a.local_authority_code = ${scope.code}`;
    }
  })();
  return sql`
    select d.area_code, d.nation, d.index_name, d.decile, d.quintile, a.local_authority_code, a.icb_code
    from ref_deprivation d
    left join ref_area a on a.area_code = d.area_code
    where d.index_name = case d.nation when 'E' then 'IMD2019' when 'W' then 'WIMD2019' when 'S' then 'SIMD2020v2' else 'NIMDM2017' end
      and ${where}
  `;
}

/**
 * Picks the population sources: the one with area totals ('all') and the one with age bands that
 * cover most areas of the frame; ties go to the most recent (the latest year in the source's
 * name, as in 'mid2019' over 'mid2015'), then to the first name. A source keyed by LSOA 2021 codes (it
 * holds codes that exist only in 2021) is apportioned to the LSOA 2011 frame through
 * ref_lsoa_change.
 */
async function choosePopulationSources(db: Kysely<Schema>, frame: RawBuilder<unknown>): Promise<{ totals: SourceChoice | null; bands: SourceChoice | null }> {
  const { rows: kinds } = await sql<{ source: string; on2021: boolean }>`
    with new21 as (
      select lsoa21_code as code from ref_lsoa_change
      except
      select lsoa11_code from ref_lsoa_change
    )
    select p.source, bool_or(n.code is not null) as on2021
    from (select distinct source, area_code from ref_population) p
    left join new21 n on n.code = p.area_code
    group by p.source
    order by p.source
  `.execute(db);
  const { rows: direct } = await sql<{ source: string; total_areas: number; band_areas: number }>`
    select p.source,
      count(distinct p.area_code) filter (where p.age_band = 'all') as total_areas,
      count(distinct p.area_code) filter (where p.age_band <> 'all' and p.age_from is not null) as band_areas
    from ref_population p
    join ${frame} f on f.area_code = p.area_code
    group by p.source
    order by p.source
  `.execute(db);
  const sources2021 = kinds.filter((k) => k.on2021).map((k) => k.source);
  const { rows: mapped } = sources2021.length === 0 ? { rows: [] } : await sql<{ source: string; total_areas: number; band_areas: number }>`
    select p.source,
      count(distinct c.lsoa11_code) filter (where p.age_band = 'all') as total_areas,
      count(distinct c.lsoa11_code) filter (where p.age_band <> 'all' and p.age_from is not null) as band_areas
    from ref_population p
    join ref_lsoa_change c on c.lsoa21_code = p.area_code
    join ${frame} f on f.area_code = c.lsoa11_code
    where p.source in (${sql.join(sources2021)})
    group by p.source
    order by p.source
  `.execute(db);
  const coverage = (source: string, on2021: boolean) => (on2021 ? mapped : direct).find((row) => row.source === source);
  const best = (field: 'total_areas' | 'band_areas'): SourceChoice | null => {
    let chosen: SourceChoice | null = null;
    for (const { source, on2021 } of kinds) {
      const areas = Number(coverage(source, on2021)?.[field] ?? 0);
      if (areas > 0 && (!chosen || areas > chosen.areas || (areas === chosen.areas && yearOf(source) > yearOf(chosen.source)))) {
        chosen = { source, on2021, areas };
      }
    }
    return chosen;
  };
  return { totals: best('total_areas'), bands: best('band_areas') };
}

/**
 * One source's population per frame area: for totals one row per area; for age bands one row per
 * area with its bands packed into text ("from:to:people:links;..."), because decoding a row
 * costs more than the rest of the work and England has six bands in 33,000 areas.
 */
async function loadPopulation(
  db: Kysely<Schema>,
  frame: RawBuilder<unknown>,
  source: string,
  on2021: boolean,
  what: 'totals' | 'bands',
): Promise<Map<string, PopulationRow[]>> {
  const bandFilter = what === 'totals' ? sql`p.age_band = 'all'` : sql`p.age_band <> 'all' and p.age_from is not null`;
  const byArea = new Map<string, PopulationRow[]>();
  if (what === 'totals' && !on2021) {
    const { rows } = await sql<{ area_code: string; population: number }>`
      select p.area_code, p.population
      from ref_population p
      join ${frame} f on f.area_code = p.area_code
      where p.source = ${source} and ${bandFilter}
      order by p.area_code
    `.execute(db);
    for (const row of rows) byArea.set(row.area_code, [{ area_code: row.area_code, age_band: 'all', age_from: null, age_to: null, population: Number(row.population) }]);
    return byArea;
  }
  const { rows: bandRows } = await sql<{ age_band: string; age_from: number | null; age_to: number | null }>`
    select distinct p.age_band, p.age_from, p.age_to
    from ref_population p
    where p.source = ${source} and ${bandFilter}
    order by p.age_from, p.age_to, p.age_band
  `.execute(db);
  const labels = new Map(bandRows.map((b) => [bandKey(b.age_from, b.age_to), b.age_band]));
  // LSOA 2021 to 2011: a 2021 area linked to n 2011 areas (merged, irregular) gives each 1/n of
  // its people; a 2011 area split in 2021 sums its parts. The database hands back whole numbers
  // in a fixed order and the sums are done here, so every engine and run agree to the last bit.
  const { rows } = on2021
    ? await sql<{ area_code: string; pieces: string }>`
        with links as (select lsoa21_code, count(*) as n from ref_lsoa_change group by lsoa21_code)
        select c.lsoa11_code as area_code,
          string_agg(concat_ws(':', p.age_from, p.age_to, p.population, l.n), ';' order by p.age_from, p.age_to, c.lsoa21_code) as pieces
        from ref_population p
        join ref_lsoa_change c on c.lsoa21_code = p.area_code
        join links l on l.lsoa21_code = c.lsoa21_code
        join ${frame} f on f.area_code = c.lsoa11_code
        where p.source = ${source} and ${bandFilter}
        group by c.lsoa11_code
        order by c.lsoa11_code
      `.execute(db)
    : await sql<{ area_code: string; pieces: string }>`
        select p.area_code,
          string_agg(concat_ws(':', p.age_from, p.age_to, p.population, 1), ';' order by p.age_from, p.age_to) as pieces
        from ref_population p
        join ${frame} f on f.area_code = p.area_code
        where p.source = ${source} and ${bandFilter}
        group by p.area_code
        order by p.area_code
      `.execute(db);
  for (const { area_code, pieces } of rows) {
    const list: PopulationRow[] = [];
    for (const piece of pieces.split(';')) {
      // concat_ws skips a null, so an open band has three parts: from, people, links.
      const parts = piece.split(':').map(Number);
      const [from, to, population, links] = parts.length === 4 ? parts : [parts[0]!, null, parts[1]!, parts[2]!];
      const key = bandKey(from!, to ?? null);
      const last = list.at(-1);
      if (last && bandKey(last.age_from, last.age_to) === key) last.population += population! / links!;
      else list.push({ area_code, age_band: labels.get(key) ?? bandLabel(from!, to ?? null), age_from: from!, age_to: to ?? null, population: population! / links! });
    }
    byArea.set(area_code, list);
  }
  return byArea;
}

function yearOf(source: string): number {
  const years = source.match(/(19|20)\d{2}/g);
  return years ? Math.max(...years.map(Number)) : 0;
}

function bandKey(from: number | null, to: number | null): string {
  return `${from ?? ''}-${to ?? ''}`;
}

function bandsOf(banded: Map<string, PopulationRow[]>): AgeBand[] {
  const seen = new Map<string, AgeBand>();
  for (const rows of banded.values()) {
    for (const row of rows) {
      const key = bandKey(row.age_from, row.age_to);
      if (!seen.has(key) && row.age_from !== null) seen.set(key, { label: row.age_band, from: row.age_from, to: row.age_to });
    }
  }
  return [...seen.values()].sort((a, b) => a.from - b.from || (a.to ?? 999) - (b.to ?? 999));
}

function averageBandShares(banded: Map<string, PopulationRow[]>, bandIndex: Map<string, number>, size: number): number[] {
  const totals = new Array<number>(size).fill(0);
  const codes = [...banded.keys()].sort();
  for (const code of codes) {
    for (const row of banded.get(code)!) {
      const index = bandIndex.get(bandKey(row.age_from, row.age_to));
      if (index !== undefined) totals[index] = totals[index]! + row.population;
    }
  }
  return normalise(totals);
}

function normalise(values: number[]): number[] {
  const total = values.reduce((s, v) => s + v, 0);
  return total > 0 ? values.map((v) => v / total) : values.map(() => 1 / values.length);
}

/**
 * A spread sample of each area's postcodes: ordering by md5 of the postcode scatters the sample
 * across the area instead of taking its alphabetical first few.
 */
async function loadPostcodes(db: Kysely<Schema>, frame: RawBuilder<unknown>, perArea: number): Promise<Map<string, { live: string[]; terminated: string[] }>> {
  const terminatedCap = Math.max(1, Math.floor(perArea / 5));
  const { rows } = await sql<{ area_code: string; postcode: string; is_terminated: boolean }>`
    with ranked as (
      select p.area_code, p.postcode,
        (p.terminated is not null and p.terminated <> '') as is_terminated,
        row_number() over (
          partition by p.area_code, (p.terminated is not null and p.terminated <> '')
          order by md5(p.postcode), p.postcode
        ) as n
      from ref_postcode p
      join ${frame} f on f.area_code = p.area_code
    )
    select area_code, postcode, is_terminated
    from ranked
    where (not is_terminated and n <= ${perArea}) or (is_terminated and n <= ${terminatedCap})
    order by area_code, is_terminated, postcode
  `.execute(db);
  const byArea = new Map<string, { live: string[]; terminated: string[] }>();
  for (const row of rows) {
    let entry = byArea.get(row.area_code);
    if (!entry) {
      entry = { live: [], terminated: [] };
      byArea.set(row.area_code, entry);
    }
    (row.is_terminated ? entry.terminated : entry.live).push(row.postcode);
  }
  return byArea;
}
