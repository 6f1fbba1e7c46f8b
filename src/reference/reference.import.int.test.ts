import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { importReferencePack, type ReferenceImportSummary } from './reference.import.ts';
import { deprivationOfArea, resolvePostcodes } from './reference.repository.ts';

/**
 * A small reference pack written here, in the published layouts, imported into the test
 * database of whichever engine the suite runs on.
 */

const pack = mkdtempSync(join(tmpdir(), 'roots-pack-'));

function put(path: string, lines: string[], options: { crlf?: boolean; bom?: boolean } = {}): void {
  const full = join(pack, path);
  mkdirSync(dirname(full), { recursive: true });
  const text = (options.bom ? '\uFEFF' : '') + lines.join(options.crlf ? '\r\n' : '\n') + (options.crlf ? '\r\n' : '\n');
  writeFileSync(full, path.endsWith('.gz') ? gzipSync(Buffer.from(text)) : text);
}

/** The official rule written out: decile d holds ranks up to floor(N·d/10). */
function byCutOffs(rank: number, n: number, groups: number): number {
  for (let group = 1; group <= groups; group++) if (rank <= Math.floor((n * group) / groups)) return group;
  throw new Error('rank above N');
}

const lsoa = (i: number) => `E010000${String(i).padStart(2, '0')}`;
const ENGLAND = Array.from({ length: 12 }, (_, i) => lsoa(i + 1));
const ENGLAND_RANKS = [7, 1, 12, 3, 9, 5, 11, 2, 8, 4, 10, 6];
// E01000003's stated decile is deliberately wrong by one, to be reported.
const statedDecile = (i: number) => byCutOffs(ENGLAND_RANKS[i]!, 12, 10) + (i === 2 ? -1 : 0);

function writePack(): void {
  put(
    'deprivation/england_imd2019_lsoa11.csv',
    [
      'lsoa11cd,lsoa11nm,lad19cd,lad19nm,imd_score,imd_rank,imd_decile,pop_total_mid2015_excl_prisoners,pop_0_15_mid2015,pop_16_59_mid2015,pop_60plus_mid2015,pop_working_age_18_59_64_mid2015',
      ...ENGLAND.map((code, i) => `${code},"Testshire ${String(i + 1).padStart(3, '0')}A",E07000001,Old District,${(40 - ENGLAND_RANKS[i]!).toFixed(3)},${ENGLAND_RANKS[i]},${statedDecile(i)},1000,200,500,300,600`),
    ],
    { crlf: true },
  );
  put('deprivation/wales_wimd2019_lsoa11.csv', ['lsoa11cd,lsoa11nm,la_name,wimd2019_score,wimd2019_rank,wimd2019_decile_derived', 'W01000001,Powys 001A,Powys,50.1,2,7', 'W01000002,Powys 001B,Powys,60.2,1,4', 'W01000003,Powys 001C,Powys,10.3,3,10'], { crlf: true });
  put('deprivation/scotland_simd2020v2_datazone11.csv', ['Data_Zone,Intermediate_Zone,Council_area,Total_population,Working_age_population,SIMD2020v2_Rank', 'S01000001,Alloa North,Clackmannanshire,800,500,2', 'S01000002,Alloa North,Clackmannanshire,700,400,1'], { bom: true });
  put('deprivation/ni_nimdm2017_soa01.csv', ['LGD2014code,LGD2014name,UR2015,SOA2001,SOA2001name,MDM_rank', 'N09000001,Antrim and Newtownabbey,Rural,95AA01S1,Aldergrove_1,1', 'N09000001,Antrim and Newtownabbey,Urban,95AA02W1,Aldergrove_2,2']);
  put('lookups/lsoa11_sicbl22_icb22_ltla22.csv.gz', [
    '"lsoa11_name","lsoa11_code","sicbl22_name","sicbl22_code","sicbl22_code_h","icb22_name","icb22_code","icb22_code_h","ltla22_name","ltla22_code"',
    ...ENGLAND.map((code, i) =>
      i < 6
        ? `"Testshire ${i + 1}","${code}","NHS Test ICB - 01A","E38000001","01A","NHS Test Integrated Care Board","E54000001","QAA","Northtown","E06000001"`
        : `"Testshire ${i + 1}","${code}","NHS Test ICB - 02B","E38000002","02B","NHS Test Integrated Care Board","E54000001","QAA","Southtown","E06000002"`,
    ),
  ]);
  put('lookups/lsoa21_icb24.csv.gz', [
    '"lsoa21_name","lsoa21_code","sicbl24_name","sicbl24_code","sicbl24_code_nhs","icb24_name","icb24_code","icb24_code_nhs"',
    ...ENGLAND.slice(0, 11).map((code, i) => `"Testshire ${i + 1} (2021)","${code}","NHS New ICB - 03C","E38000003","03C","NHS New Integrated Care Board","E54000002","QBB"`),
    '"Testshire 12X","E01099999","NHS New ICB - 03C","E38000003","03C","NHS New Integrated Care Board","E54000002","QBB"',
  ]);
  put('lookups/lsoa11_lsoa21_ltla22.csv.gz', [
    '"lsoa11_name","lsoa11_code","change_code","lsoa21_name","lsoa21_code","ltla22_name","ltla22_code"',
    ...ENGLAND.slice(0, 11).map((code, i) => `"T ${i}","${code}","U","T ${i}","${code}","${i < 6 ? 'Northtown' : 'Southtown'}","${i < 6 ? 'E06000001' : 'E06000002'}"`),
    `"T 12","${lsoa(12)}","S","Testshire 12X","E01099999","Southtown","E06000002"`,
    `"T 12","${lsoa(12)}","S","Testshire 12Y","E01099998","Southtown","E06000002"`,
    '"Powys 001A","W01000001","U","Powys 001A","W01000001","Powys","W06000023"',
  ]);
  put('lookups/lsoa11_msoa11.csv.gz', ['"lsoa11_name","lsoa11_code","msoa11_name","msoa11_code"', `"Testshire 1","${lsoa(1)}","Testshire 001","E02000001"`, '"Alloa North - 01","S01000001","Alloa North","S02000001"']);
  put('lookups/ruc11_lsoa11.csv.gz', ['"lsoa11_code","ruc11_code","ruc","classification"', `"${lsoa(1)}","A1","Urban","Urban conurbation"`, '"W01000001","E2","Rural","Rural village"']);
  put('lookups/ltla21_region21.csv', ['"ltla21_name","ltla21_code","region21_name","region21_code"', '"Northtown","E06000001","North East","E12000001"', '"Southtown","E06000002","South West","E12000009"']);
  put('population/uk_small_area_population_mid2019.csv', ['area_code,population_mid2019', ...ENGLAND.map((code) => `${code},1500`), 'W01000001,1400', 'S01000001,800', '95AA01S1,2000'], { crlf: true });
  put('population/census2021_lsoa21_age6.csv.gz', [
    '"lsoa21_code","lsoa21_name","age_group","usual_residents"',
    ...['Aged 15 years and under', 'Aged 16 to 24 years', 'Aged 25 to 34 years', 'Aged 35 to 49 years', 'Aged 50 to 64 years', 'Aged 65 years and over'].map((band, i) => `"E01099999","Testshire 12X","${band}",${100 + i}`),
  ]);
  writeNspl(['DT1 1AA,199002,,E01000001,E06000001,E12000001,E92000001', 'DT1 1AJ,198607,199412,E01000002,E06000001,E12000001,E92000001', 'DT1 9YH,200501,200502,,,,', 'DG1 1AA,198001,,S01000001,S12000005,S99999999,S92000003', 'LD1 5AA,198001,,W01000001,W06000023,W99999999,W92000004']);
}

function writeNspl(rows: string[]): void {
  put('postcodes/nspl_test.csv.gz', ['pcds,dointr,doterm,lsoa11,laua,rgn,ctry', ...rows], { crlf: true });
}

let store: TestStore;
let first: ReferenceImportSummary;
let organisationId: number;

const count = async (table: string) => Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(store.db)).rows[0]!.n);
const allCounts = async () => {
  const tables = ['ref_dataset', 'ref_area', 'ref_geography', 'ref_deprivation', 'ref_postcode', 'ref_lsoa_change', 'ref_population', 'ref_area_source', 'ref_geography_source', 'person'];
  return Object.fromEntries(await Promise.all(tables.map(async (table) => [table, await count(table)] as const)));
};

beforeAll(async () => {
  store = await createTestStore();
  writePack();
  organisationId = (await store.db.insertInto('organisation').values({ code: 'TEST', name: 'Test OT service' }).returning('id').executeTakeFirstOrThrow()).id;
  const people: [string, string | null, string, string | null][] = [
    ['live', 'DT1 1AA', 'unknown', null],
    ['terminated-compact', 'DT11AJ', 'unknown', null],
    ['not-in-nspl', 'ZZ1 1ZZ', 'unknown', null],
    ['no-area-in-nspl', 'DT1 9YH', 'unknown', null],
    ['homeless', null, 'no_fixed_address', null],
    ['invalid', 'DT1', 'invalid', null],
    ['geocoded-by-source', 'DT1 1AA', 'unknown', 'E01000005'],
    ['already-resolved', 'DG1 1AA', 'resolved', 'S01000002'],
  ];
  await store.db
    .insertInto('person')
    .values(people.map(([id, postcode, status, area]) => ({ organisation_id: organisationId, source_person_id: id, postcode, postcode_status: status as 'unknown', area_code: area })))
    .execute();
  first = await importReferencePack(store, pack, { batchSize: 4 });
});

afterAll(async () => {
  await store?.close();
  rmSync(pack, { recursive: true, force: true });
});

describe(`importing a reference pack on ${testEngine}`, () => {
  it('imports every file, one dataset each, and records name, file, SHA-256 and rows', async () => {
    expect(first.engine).toBe(testEngine);
    expect(first.datasets.map((d) => [d.dataset, d.rows])).toEqual([
      ['england_imd2019', 12],
      ['wales_wimd2019', 3],
      ['scotland_simd2020v2', 2],
      ['ni_nimdm2017', 2],
      ['lsoa11_sicbl22_icb22_ltla22', 12],
      ['lsoa21_icb24', 12],
      ['lsoa11_lsoa21_ltla22', 14],
      ['lsoa11_msoa11', 2],
      ['ruc11_lsoa11', 2],
      ['ltla21_region21', 2],
      ['population_mid2019', 15],
      ['census2021_age6', 6],
      ['nspl', 5],
    ]);
    const recorded = await store.db.selectFrom('ref_dataset').selectAll().where('name', '=', 'nspl').executeTakeFirstOrThrow();
    expect(recorded).toMatchObject({ source_file: join('postcodes', 'nspl_test.csv.gz'), row_count: 5 });
    expect(recorded.sha256).toBe(createHash('sha256').update(readFileSync(join(pack, 'postcodes/nspl_test.csv.gz'))).digest('hex'));
    expect(await count('ref_dataset')).toBe(13);
    expect(first.datasets.find((d) => d.dataset === 'england_imd2019')!.written).toEqual({ ref_area_source: 12, ref_population: 48, ref_deprivation: 12, ref_geography_source: 1 });
  });

  it('derives deciles and quintiles from each nation’s own ranking by the official cut-offs', async () => {
    const rows = await store.db.selectFrom('ref_deprivation').selectAll().where('index_name', '=', 'IMD2019').orderBy('area_code').execute();
    expect(rows).toHaveLength(12);
    rows.forEach((row, i) => {
      expect(row).toMatchObject({ nation: 'E', rank: ENGLAND_RANKS[i], area_count: 12, decile: byCutOffs(ENGLAND_RANKS[i]!, 12, 10), quintile: byCutOffs(ENGLAND_RANKS[i]!, 12, 5) });
      expect(Number(row.score)).toBeCloseTo(40 - ENGLAND_RANKS[i]!, 3);
    });
    const wales = await store.db.selectFrom('ref_deprivation').select(['area_code', 'decile', 'area_count']).where('nation', '=', 'W').orderBy('area_code').execute();
    expect(wales).toEqual([
      { area_code: 'W01000001', decile: byCutOffs(2, 3, 10), area_count: 3 },
      { area_code: 'W01000002', decile: byCutOffs(1, 3, 10), area_count: 3 },
      { area_code: 'W01000003', decile: byCutOffs(3, 3, 10), area_count: 3 },
    ]);
    const byIndex = await sql<{ index_name: string; nation: string; n: number }>`
      select index_name, nation, count(*) as n from ref_deprivation group by index_name, nation order by index_name`.execute(store.db);
    expect(byIndex.rows).toEqual([
      { index_name: 'IMD2019', nation: 'E', n: 12 },
      { index_name: 'NIMDM2017', nation: 'N', n: 2 },
      { index_name: 'SIMD2020v2', nation: 'S', n: 2 },
      { index_name: 'WIMD2019', nation: 'W', n: 3 },
    ]);
  });

  it('reports a stated decile that contradicts the cut-offs, and a file that ranks fewer areas than the index', () => {
    const england = first.datasets.find((d) => d.dataset === 'england_imd2019')!;
    expect(england.ranking).toEqual({ index: 'IMD2019', nation: 'E', areaCount: 12, checked: 12, disagreements: 1 });
    expect(england.warnings.join(' ')).toMatch(/E01000003 rank 12: stated 9, cut-offs give 10/);
    expect(england.warnings.join(' ')).toMatch(/ranks 12 areas but IMD2019 ranks 32,844/);
    // The Welsh fixture's derived deciles were written by the same rule: nothing to report but the count.
    expect(first.datasets.find((d) => d.dataset === 'wales_wimd2019')!.ranking?.disagreements).toBe(0);
  });

  it('builds one row per small area with its hierarchy, each column from sources of the area’s own vintage', async () => {
    const area = (code: string) => store.db.selectFrom('ref_area').selectAll().where('area_code', '=', code).executeTakeFirstOrThrow();
    expect(await area(lsoa(1))).toEqual({
      area_code: lsoa(1),
      area_kind: 'lsoa11',
      area_name: 'Testshire 1', // the ONS NHS lookup comes before the IMD file
      nation: 'E',
      msoa_code: 'E02000001',
      local_authority_code: 'E06000001', // 2022 authority, not the IMD's 2019 district E07000001
      sub_icb_code: 'E38000001', // 2022, although the code is also an (unchanged) LSOA 2021 in the 2024 lookup
      icb_code: 'E54000001',
      region_code: 'E12000001',
      rural_urban_code: 'A1',
    });
    expect(await area('E01099999')).toMatchObject({ area_kind: 'lsoa21', area_name: 'Testshire 12X', local_authority_code: 'E06000002', sub_icb_code: 'E38000003', icb_code: 'E54000002', region_code: 'E12000009' });
    expect(await area('S01000001')).toMatchObject({ area_kind: 'datazone11', nation: 'S', msoa_code: 'S02000001' });
    expect(await area('95AA02W1')).toMatchObject({ area_kind: 'soa01', nation: 'N', area_name: 'Aldergrove_2', local_authority_code: 'N09000001' });
    expect(await area('W01000001')).toMatchObject({ area_kind: 'lsoa11', nation: 'W', local_authority_code: 'W06000023', region_code: null, rural_urban_code: 'E2' });
    expect(first.areas).toBe(await count('ref_area'));
  });

  it('names the larger geographies, each inside its parent', async () => {
    const geographies = await store.db.selectFrom('ref_geography').selectAll().orderBy('code').execute();
    const byCode = Object.fromEntries(geographies.map((g) => [g.code, g]));
    expect(byCode.E38000001).toEqual({ code: 'E38000001', kind: 'sub_icb', name: 'NHS Test ICB - 01A', nhs_code: '01A', parent_code: 'E54000001' });
    expect(byCode.E54000002).toMatchObject({ kind: 'icb', name: 'NHS New Integrated Care Board', nhs_code: 'QBB' });
    expect(byCode.E06000001).toMatchObject({ kind: 'local_authority', name: 'Northtown', parent_code: 'E12000001' });
    expect(byCode.E12000009).toMatchObject({ kind: 'region', name: 'South West' });
    expect(byCode.E02000001).toMatchObject({ kind: 'msoa' });
    expect(byCode.S02000001).toMatchObject({ kind: 'intermediate_zone', name: 'Alloa North' });
    expect(byCode.E07000001).toMatchObject({ kind: 'local_authority', name: 'Old District' });
    expect(byCode.N09000001).toMatchObject({ kind: 'local_authority', name: 'Antrim and Newtownabbey' });
  });

  it('loads populations with their age bands', async () => {
    const bands = await store.db.selectFrom('ref_population').select(['age_band', 'age_from', 'age_to', 'population']).where('source', '=', 'census2021').orderBy('age_from').execute();
    expect(bands.map((b) => [b.age_band, b.age_from, b.age_to])).toEqual([
      ['0-15', 0, 15],
      ['16-24', 16, 24],
      ['25-34', 25, 34],
      ['35-49', 35, 49],
      ['50-64', 50, 64],
      ['65+', 65, null],
    ]);
    const mid2015 = await store.db.selectFrom('ref_population').select(['age_band', 'age_from', 'age_to', 'population']).where('source', '=', 'mid2015').where('area_code', '=', lsoa(1)).orderBy('age_band').execute();
    expect(mid2015).toEqual([
      { age_band: '0-15', age_from: 0, age_to: 15, population: 200 },
      { age_band: '16-59', age_from: 16, age_to: 59, population: 500 },
      { age_band: '60+', age_from: 60, age_to: null, population: 300 },
      { age_band: 'all', age_from: 0, age_to: null, population: 1000 },
    ]);
    expect(Number((await sql<{ n: number }>`select sum(population) as n from ref_population where source = 'mid2019'`.execute(store.db)).rows[0]!.n)).toBe(12 * 1500 + 1400 + 800 + 2000);
  });

  it('places people whose postcode was unknown, and leaves everyone else as they were', async () => {
    const people = Object.fromEntries(
      (await store.db.selectFrom('person').select(['source_person_id', 'postcode_status', 'area_code']).execute()).map((p) => [p.source_person_id, [p.postcode_status, p.area_code]]),
    );
    expect(people).toEqual({
      live: ['resolved', 'E01000001'],
      'terminated-compact': ['terminated', 'E01000002'],
      'not-in-nspl': ['unknown', null],
      'no-area-in-nspl': ['unknown', null],
      homeless: ['no_fixed_address', null],
      invalid: ['invalid', null],
      'geocoded-by-source': ['resolved', 'E01000005'],
      'already-resolved': ['resolved', 'S01000002'],
    });
    expect(first.peopleResolved).toBe(3);
  });

  it('resolves postcodes for the referral importer, keyed as given, after normalisation', async () => {
    const resolved = await resolvePostcodes(store.db, ['dt1 1aa', 'DT1 1AA', 'DT1 1AJ', 'ZZ1 1ZZ', 'DT1 9YH', 'not a postcode', 'ld15aa']);
    expect(Object.fromEntries(resolved)).toEqual({
      'dt1 1aa': { areaCode: 'E01000001', status: 'resolved' },
      'DT1 1AA': { areaCode: 'E01000001', status: 'resolved' },
      'DT1 1AJ': { areaCode: 'E01000002', status: 'terminated' },
      'ZZ1 1ZZ': { areaCode: null, status: 'unknown' },
      'DT1 9YH': { areaCode: null, status: 'unknown' },
      'not a postcode': { areaCode: null, status: 'unknown' },
      ld15aa: { areaCode: 'W01000001', status: 'resolved' },
    });
    expect((await resolvePostcodes(store.db, [])).size).toBe(0);
  });

  it('gives the deprivation of an area with its local authority and ICB, by function and by view', async () => {
    const rank = ENGLAND_RANKS[0]!;
    expect(await deprivationOfArea(store.db, lsoa(1))).toEqual({
      areaCode: lsoa(1),
      nation: 'E',
      indexName: 'IMD2019',
      score: 40 - rank,
      rank,
      areaCount: 12,
      decile: byCutOffs(rank, 12, 10),
      quintile: byCutOffs(rank, 12, 5),
      localAuthorityCode: 'E06000001',
      icbCode: 'E54000001',
    });
    expect(await deprivationOfArea(store.db, 'S01000002')).toMatchObject({ indexName: 'SIMD2020v2', nation: 'S', rank: 1, decile: byCutOffs(1, 2, 10) });
    expect(await deprivationOfArea(store.db, 'E01099999')).toBeNull();
    const view = await store.db.selectFrom('area_deprivation').select(['index_name', 'decile', 'region_code']).where('area_code', '=', lsoa(7)).executeTakeFirstOrThrow();
    expect(view).toEqual({ index_name: 'IMD2019', decile: byCutOffs(ENGLAND_RANKS[6]!, 12, 10), region_code: 'E12000009' });
  });

  it('is idempotent: the same pack again leaves every file as it is, and forced gives the same rows', async () => {
    const before = await allCounts();
    const again = await importReferencePack(store, pack);
    expect(again.datasets).toEqual([]);
    expect(again.unchanged.map((entry) => entry.dataset)).toEqual(first.datasets.map((d) => d.dataset));
    expect([again.areas, again.geographies]).toEqual([first.areas, first.geographies]);
    expect(await allCounts()).toEqual(before);
    const forced = await importReferencePack(store, pack, { force: true });
    expect(forced.datasets.map((d) => d.rows)).toEqual(first.datasets.map((d) => d.rows));
    expect(await allCounts()).toEqual(before);
    expect(forced.peopleResolved).toBe(0);
  });

  it('replaces a dataset when its file changes, and only that dataset', async () => {
    writeNspl(['DT1 1AA,199002,,E01000001,E06000001,E12000001,E92000001', 'DT1 1AB,200409,,E01000003,E06000001,E12000001,E92000001']);
    const population = await count('ref_population');
    const summary = await importReferencePack(store, pack);
    expect(summary.datasets.map((d) => d.dataset)).toEqual(['nspl']);
    expect((await store.db.selectFrom('ref_postcode').select('postcode').orderBy('postcode').execute()).map((r) => r.postcode)).toEqual(['DT1 1AA', 'DT1 1AB']);
    expect(await count('ref_population')).toBe(population);
  });

  it('refuses a malformed file half-way without touching that dataset, and names the file and row', async () => {
    const before = await store.db.selectFrom('ref_postcode').select('postcode').orderBy('postcode').execute();
    writeNspl(['DT1 1AA,199002,,E01000001,E06000001,E12000001,E92000001', 'DT1 1AD,200409,,E01000003,E06000001,E12000001,E92000001', 'DT1 1AE,200409,,Dorchester,E06000001,E12000001,E92000001']);
    await expect(importReferencePack(store, pack, { batchSize: 1 })).rejects.toMatchObject({
      code: 'FORMAT_NOT_RECOGNISED',
      message: expect.stringMatching(/nspl_test\.csv\.gz: row 3, column "lsoa11" is not an LSOA, data zone or SOA code \("Dorchester"\)/),
    });
    expect(await store.db.selectFrom('ref_postcode').select('postcode').orderBy('postcode').execute()).toEqual(before);
    expect(await count('ref_area')).toBe(first.areas);
  });

  it('refuses the whole pack, writing nothing, when a file is not recognised', async () => {
    writeNspl(['DT1 1AA,199002,,E01000001,E06000001,E12000001,E92000001']);
    put('lookups/notes.csv', ['what,why', 'a,b']);
    const before = await allCounts();
    const error = await importReferencePack(store, pack).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'FORMAT_NOT_RECOGNISED', message: expect.stringContaining('lookups/notes.csv: the header (what, why) matches no known') });
    expect(await allCounts()).toEqual(before);
    unlinkSync(join(pack, 'lookups/notes.csv'));
  });

  it('imports the richer of two files of one dataset, and refuses two equally rich ones', async () => {
    put(
      'deprivation/england_imd2019_file1_official.csv.gz',
      [
        'LSOA code (2011),LSOA name (2011),Local Authority District code (2019),Local Authority District name (2019),Index of Multiple Deprivation (IMD) Rank,Index of Multiple Deprivation (IMD) Decile',
        ...ENGLAND.map((code, i) => `${code},Testshire,E07000001,Old District,"${ENGLAND_RANKS[i]}",${statedDecile(i)}`),
      ],
      { bom: true, crlf: true },
    );
    const summary = await importReferencePack(store, pack);
    expect(summary.notImported).toEqual([
      { file: join('deprivation', 'england_imd2019_file1_official.csv.gz'), reason: expect.stringContaining('england_imd2019_lsoa11.csv holds the same dataset') },
    ]);
    expect(await store.db.selectFrom('ref_deprivation').select('score').where('area_code', '=', lsoa(1)).executeTakeFirstOrThrow()).not.toEqual({ score: null });

    unlinkSync(join(pack, 'deprivation/england_imd2019_lsoa11.csv'));
    writeFileSync(join(pack, 'deprivation/copy_of_file1.csv.gz'), readFileSync(join(pack, 'deprivation/england_imd2019_file1_official.csv.gz')));
    await expect(importReferencePack(store, pack)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('both hold the dataset england_imd2019') });
    unlinkSync(join(pack, 'deprivation/copy_of_file1.csv.gz'));

    // Alone, MHCLG's File 1 replaces the pack's layout: same ranks and deciles, no scores.
    const only = await importReferencePack(store, pack);
    expect(only.datasets.find((d) => d.dataset === 'england_imd2019')).toMatchObject({ layout: 'england_imd2019_official', rows: 12, ranking: { disagreements: 1 } });
    const rows = await store.db.selectFrom('ref_deprivation').select(['rank', 'decile', 'score']).where('index_name', '=', 'IMD2019').orderBy('area_code').execute();
    expect(rows.map((r) => r.rank)).toEqual(ENGLAND_RANKS);
    expect(rows.every((r) => r.score === null)).toBe(true);
    expect(await store.db.selectFrom('ref_population').select('area_code').where('source', '=', 'mid2015').execute()).toEqual([]);
  });

  it('says clearly when the folder does not exist or holds no reference files', async () => {
    await expect(importReferencePack(store, join(pack, 'nowhere'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('nowhere') });
    const empty = mkdtempSync(join(tmpdir(), 'roots-empty-'));
    await expect(importReferencePack(store, empty)).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringContaining('no reference files') });
    rmSync(empty, { recursive: true });
  });
});
