import type { Kysely } from 'kysely';
import type { Schema } from '../../src/store/schema.ts';
import { deriveLsoa11AgePopulation } from '../../src/reference/reference.repository.ts';

/**
 * A small reference set for database tests, shaped like what `roots reference import` loads:
 * 30 English LSOA 2011 areas in two local authorities and two ICBs (deciles 1..10 three times
 * over), 3 Welsh areas, mid-2019 totals ('mid2019', age band 'all') on LSOA 2011, Census 2021
 * age bands ('census2021') on LSOA 2021 with one split and one merge through ref_lsoa_change,
 * the same bands apportioned to LSOA 2011 ('census2021_lsoa11', as the reference import derives
 * them), and a few live and terminated postcodes.
 */
export const fixtureAreas = Array.from({ length: 30 }, (_, i) => {
  const n = i + 1;
  const decile = (i % 10) + 1;
  return {
    code: `E0100${String(n).padStart(4, '0')}`,
    decile,
    quintile: Math.ceil(decile / 2),
    localAuthority: n <= 15 ? 'E06000001' : 'E06000002',
    icb: n <= 15 ? 'E54000001' : 'E54000002',
    population: 1000 + 50 * n,
  };
});
export const fixtureWelshAreas = [1, 2, 3].map((n) => ({
  code: `W0100000${n}`,
  decile: n * 3,
  quintile: Math.ceil((n * 3) / 2),
  localAuthority: 'W06000001',
  population: 1400 + 10 * n,
}));

/** LSOA 2011 E01000005 split in 2021; E01000006 and E01000007 merged. */
export const SPLIT = { from: 'E01000005', into: ['E01040001', 'E01040002'] } as const;
export const MERGE = { from: ['E01000006', 'E01000007'], into: 'E01040003' } as const;

const censusBands = [
  { label: '0-15', from: 0, to: 15 },
  { label: '16-24', from: 16, to: 24 },
  { label: '25-34', from: 25, to: 34 },
  { label: '35-49', from: 35, to: 49 },
  { label: '50-64', from: 50, to: 64 },
  { label: '65+', from: 65, to: null },
] as const;

/** Census 2021 band counts for an LSOA 2021 code: older areas for higher numbers. */
export function censusCounts(code: string): number[] {
  const n = Number(code.slice(-3));
  return [180 + (n % 7) * 10, 110, 140, 190, 190 + (n % 5) * 10, 150 + (n % 9) * 20];
}

export async function insertReferenceFixture(db: Kysely<Schema>): Promise<void> {
  await db.insertInto('ref_geography').values([
    { code: 'E54000001', kind: 'icb', name: 'NHS Fixture North Integrated Care Board', nhs_code: 'QAA' },
    { code: 'E54000002', kind: 'icb', name: 'NHS Fixture South Integrated Care Board', nhs_code: 'QBB' },
  ]).execute();
  await db.insertInto('ref_area').values([
    ...fixtureAreas.map((a) => ({ area_code: a.code, area_kind: 'lsoa11' as const, area_name: `Fixture ${a.code}`, nation: 'E' as const, local_authority_code: a.localAuthority, icb_code: a.icb, msoa_code: null, sub_icb_code: null, region_code: 'E12000001', rural_urban_code: null })),
    ...fixtureWelshAreas.map((a) => ({ area_code: a.code, area_kind: 'lsoa11' as const, area_name: `Fixture ${a.code}`, nation: 'W' as const, local_authority_code: a.localAuthority, icb_code: null, msoa_code: null, sub_icb_code: null, region_code: null, rural_urban_code: null })),
  ]).execute();
  await db.insertInto('ref_deprivation').values([
    ...fixtureAreas.map((a, i) => ({ index_name: 'IMD2019' as const, nation: 'E' as const, area_code: a.code, score: 40 - i, rank: (a.decile - 1) * 3 + 1 + Math.floor(i / 10), area_count: 30, decile: a.decile, quintile: a.quintile })),
    ...fixtureWelshAreas.map((a, i) => ({ index_name: 'WIMD2019' as const, nation: 'W' as const, area_code: a.code, score: 30 - i, rank: i + 1, area_count: 3, decile: a.decile, quintile: a.quintile })),
  ]).execute();
  await db.insertInto('ref_population').values([
    ...[...fixtureAreas, ...fixtureWelshAreas].map((a) => ({ source: 'mid2019', area_code: a.code, age_band: 'all', age_from: 0, age_to: null, population: a.population })),
  ]).execute();

  // LSOA 2011 -> 2021 best fit.
  const changes: { lsoa11_code: string; lsoa21_code: string; change_code: 'U' | 'S' | 'M' | 'X' }[] = [];
  for (const a of [...fixtureAreas, ...fixtureWelshAreas]) {
    if (a.code === SPLIT.from) for (const into of SPLIT.into) changes.push({ lsoa11_code: a.code, lsoa21_code: into, change_code: 'S' });
    else if ((MERGE.from as readonly string[]).includes(a.code)) changes.push({ lsoa11_code: a.code, lsoa21_code: MERGE.into, change_code: 'M' });
    else changes.push({ lsoa11_code: a.code, lsoa21_code: a.code, change_code: 'U' });
  }
  await db.insertInto('ref_lsoa_change').values(changes).execute();
  const lsoa21 = [...new Set(changes.map((c) => c.lsoa21_code))].sort();
  await db.insertInto('ref_population').values(
    lsoa21.flatMap((code) => censusCounts(code).map((population, b) => ({
      source: 'census2021',
      area_code: code,
      age_band: censusBands[b]!.label,
      age_from: censusBands[b]!.from,
      age_to: censusBands[b]!.to,
      population,
    }))),
  ).execute();

  await db.insertInto('ref_postcode').values([
    { postcode: 'DT1 1AA', area_code: 'E01000001', local_authority_code: 'E06000001', region_code: 'E12000001', country_code: 'E92000001', introduced: '199001', terminated: null },
    { postcode: 'DT1 1AB', area_code: 'E01000001', local_authority_code: 'E06000001', region_code: 'E12000001', country_code: 'E92000001', introduced: '199001', terminated: null },
    { postcode: 'DT1 1AD', area_code: 'E01000001', local_authority_code: 'E06000001', region_code: 'E12000001', country_code: 'E92000001', introduced: '199001', terminated: null },
    { postcode: 'DT1 9ZZ', area_code: 'E01000001', local_authority_code: 'E06000001', region_code: 'E12000001', country_code: 'E92000001', introduced: '199001', terminated: '201204' },
    { postcode: 'DT2 7AA', area_code: 'E01000002', local_authority_code: 'E06000001', region_code: 'E12000001', country_code: 'E92000001', introduced: '199001', terminated: null },
    { postcode: 'DT2 7AB', area_code: 'E01000002', local_authority_code: 'E06000001', region_code: 'E12000001', country_code: 'E92000001', introduced: '199001', terminated: null },
    { postcode: 'LD1 5AA', area_code: 'W01000001', local_authority_code: 'W06000001', region_code: null, country_code: 'W92000004', introduced: '199001', terminated: null },
  ]).execute();
  await deriveLsoa11AgePopulation(db);
}
