import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { decileOfRank } from './deprivation.quantile.ts';
import { importReferencePack, type ReferenceImportSummary } from './reference.import.ts';
import { parseFileToFacts } from './reference.parser.ts';
import { deprivationOfArea, resolvePostcodes } from './reference.repository.ts';

// The real reference pack is public data that must not be copied into the repository, so this
// test reads it from the folder named by ROOTS_REFERENCE_DIR (for the sample pack:
// ROOTS_REFERENCE_DIR=../shared/reference) and is skipped when that variable is unset. The small
// fixture pack of reference.import.int.test.ts covers the importer without it.
const referenceDir = process.env.ROOTS_REFERENCE_DIR;

describe.skipIf(!referenceDir)(`the real reference pack on ${testEngine} (skipped unless ROOTS_REFERENCE_DIR is set)`, () => {
  let store: TestStore;
  let summary: ReferenceImportSummary;
  const scalar = async (query: ReturnType<typeof sql<{ n: number }>>) => Number((await query.execute(store.db)).rows[0]!.n);

  beforeAll(async () => {
    store = await createTestStore();
    summary = await importReferencePack(store, referenceDir!);
  }, 600_000);

  afterAll(async () => {
    await store?.close();
  });

  it('imports every file of the pack, preferring the England file with scores to the official File 1', () => {
    expect(summary.datasets).toHaveLength(13);
    expect(summary.notImported.map((entry) => entry.file)).toEqual([join('deprivation', 'england_imd2019_file1_official.csv.gz')]);
    expect(Object.fromEntries(summary.datasets.map((d) => [d.dataset, d.rows]))).toMatchObject({
      england_imd2019: 32_844,
      wales_wimd2019: 1_909,
      scotland_simd2020v2: 6_976,
      ni_nimdm2017: 890,
      nspl: 83_606,
      lsoa11_sicbl22_icb22_ltla22: 32_844,
      lsoa21_icb24: 33_755,
      lsoa11_lsoa21_ltla22: 35_795,
      lsoa11_msoa11: 41_729,
      population_mid2019: 42_619,
      census2021_age6: 214_032,
    });
    expect(summary.datasets.flatMap((d) => d.warnings)).toEqual([]);
  });

  it('ranks 32,844 English LSOAs, 1,909 Welsh LSOAs, 6,976 Scottish data zones and 890 Northern Irish SOAs', async () => {
    const counts = await sql<{ index_name: string; n: number; area_count: number }>`
      select index_name, count(*) as n, max(area_count) as area_count from ref_deprivation group by index_name order by index_name`.execute(store.db);
    expect(counts.rows).toEqual([
      { index_name: 'IMD2019', n: 32_844, area_count: 32_844 },
      { index_name: 'NIMDM2017', n: 890, area_count: 890 },
      { index_name: 'SIMD2020v2', n: 6_976, area_count: 6_976 },
      { index_name: 'WIMD2019', n: 1_909, area_count: 1_909 },
    ]);
    expect(await scalar(sql`select count(*) as n from ref_area where area_kind = 'lsoa11' and nation = 'E'`)).toBe(32_844);
  });

  it('E01000001 City of London 001A: score 6.208, rank 29,199, decile 9', async () => {
    expect(await deprivationOfArea(store.db, 'E01000001')).toMatchObject({ indexName: 'IMD2019', nation: 'E', score: 6.208, rank: 29_199, areaCount: 32_844, decile: 9 });
    expect(await store.db.selectFrom('ref_area').select(['area_name', 'local_authority_code']).where('area_code', '=', 'E01000001').executeTakeFirst()).toEqual({
      area_name: 'City of London 001A',
      local_authority_code: 'E09000001',
    });
  });

  it('gives every LSOA the decile MHCLG published, by the floor rule; the shortcut formula misplaces 8', async () => {
    const england = summary.datasets.find((d) => d.dataset === 'england_imd2019')!;
    expect(england.ranking).toEqual({ index: 'IMD2019', nation: 'E', areaCount: 32_844, checked: 32_844, disagreements: 0 });
    // Read the official File 1 itself (thousands separators, byte-order mark) and compare its
    // published deciles with what was stored, area by area, in SQL.
    const file1 = await parseFileToFacts(join(referenceDir!, 'deprivation', 'england_imd2019_file1_official.csv.gz'));
    expect(file1.facts.deprivation).toHaveLength(32_844);
    expect(file1.facts.deprivation.every((fact) => fact.statedDecile === decileOfRank(fact.rank, 32_844))).toBe(true);
    const codes = file1.facts.deprivation.map((fact) => fact.areaCode);
    const ranks = file1.facts.deprivation.map((fact) => fact.rank);
    const deciles = file1.facts.deprivation.map((fact) => fact.statedDecile);
    const mismatched = await scalar(sql`
      select count(*) as n
      from unnest(${codes}::text[], ${ranks}::int[], ${deciles}::int[]) as published(area_code, rank, decile)
      left join ref_deprivation d on d.index_name = 'IMD2019' and d.area_code = published.area_code
      where d.decile is distinct from published.decile or d.rank is distinct from published.rank`);
    expect(mismatched).toBe(0);
    expect(await scalar(sql`select count(*) as n from ref_deprivation where index_name = 'IMD2019' and floor((rank - 1) * 10.0 / area_count) + 1 <> decile`)).toBe(8);
  });

  it('quintiles and the other nations follow the same rule with their own N', async () => {
    const wrong = await scalar(sql`
      select count(*) as n from ref_deprivation
      where decile <> ceil(rank * 10.0 / area_count) or quintile <> ceil(rank * 5.0 / area_count)`);
    expect(wrong).toBe(0);
    const wales = summary.datasets.find((d) => d.dataset === 'wales_wimd2019')!;
    expect(wales.ranking).toMatchObject({ checked: 1_909, disagreements: 0 });
  });

  it('mid-2019 population of England is 56,286,961', async () => {
    expect(await scalar(sql`select sum(p.population) as n from ref_population p join ref_area a on a.area_code = p.area_code where p.source = 'mid2019' and a.nation = 'E'`)).toBe(56_286_961);
  });

  it('apportions Census 2021 ages to every LSOA 2011 of England and Wales, keeping the total within rounding', async () => {
    const areas = await scalar(sql<{ n: number }>`select count(distinct area_code) as n from ref_population where source = 'census2021_lsoa11'`);
    expect(areas).toBe(32_844 + 1_909);
    const bands = await scalar(sql<{ n: number }>`select count(distinct age_band) as n from ref_population where source = 'census2021_lsoa11'`);
    expect(bands).toBe(6);
    const census = await scalar(sql<{ n: number }>`select sum(population) as n from ref_population where source = 'census2021'`);
    const apportioned = await scalar(sql<{ n: number }>`select sum(population) as n from ref_population where source = 'census2021_lsoa11'`);
    // England and Wales had 59,597,542 usual residents in Census 2021 (ONS). The pack's age bands
    // are a custom table that ONS perturbs slightly, so their sum is close to, not exactly, that.
    expect(Math.abs(census - 59_597_542) / 59_597_542).toBeLessThan(1e-4);
    // Rounding each apportioned band moves the total by at most half a person per row.
    expect(Math.abs(apportioned - census)).toBeLessThan(0.5 * (32_844 + 1_909) * 6);
  });

  it('places English LSOAs in 106 sub-ICB locations and 42 ICBs, and in regions', async () => {
    expect(await scalar(sql`select count(distinct sub_icb_code) as n from ref_area where area_kind = 'lsoa11' and nation = 'E'`)).toBe(106);
    expect(await scalar(sql`select count(distinct icb_code) as n from ref_area where area_kind = 'lsoa11' and nation = 'E'`)).toBe(42);
    expect(await scalar(sql`select count(*) as n from ref_area where area_kind = 'lsoa11' and nation = 'E' and (sub_icb_code is null or icb_code is null or region_code is null or msoa_code is null)`)).toBe(0);
    // ref_geography names the ICBs of both vintages (2022 and 2024); every one an area points to has a name.
    for (const column of ['sub_icb_code', 'icb_code', 'local_authority_code', 'region_code', 'msoa_code']) {
      const unnamed = await scalar(sql`
        select count(*) as n from ref_area a left join ref_geography g on g.code = ${sql.ref(`a.${column}`)}
        where ${sql.ref(`a.${column}`)} is not null and g.code is null and a.nation = 'E'`);
      expect(unnamed, column).toBe(0);
    }
  });

  it('resolves a terminated postcode, and "dt1 1aa" after normalisation', async () => {
    const terminated = await store.db.selectFrom('ref_postcode').select(['postcode', 'area_code']).where('terminated', 'is not', null).where('area_code', 'is not', null).orderBy('postcode').executeTakeFirstOrThrow();
    const resolved = await resolvePostcodes(store.db, ['dt1 1aa', terminated.postcode]);
    expect(resolved.get('dt1 1aa')).toEqual({ areaCode: 'E01032643', status: 'resolved' });
    expect(resolved.get(terminated.postcode)).toEqual({ areaCode: terminated.area_code, status: 'terminated' });
    expect(await scalar(sql`select count(*) as n from ref_postcode where terminated is not null`)).toBe(22_219);
  });
});
