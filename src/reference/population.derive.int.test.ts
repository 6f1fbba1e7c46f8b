import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { MERGE, SPLIT, censusCounts, fixtureAreas, insertReferenceFixture } from '../../test/support/synth-reference.fixture.ts';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
  await insertReferenceFixture(store.db); // ends with deriveLsoa11AgePopulation
});
afterAll(async () => {
  await store?.close();
});

const bands = ['0-15', '16-24', '25-34', '35-49', '50-64', '65+'];
async function derived(area: string): Promise<number[]> {
  const rows = await store.db
    .selectFrom('ref_population')
    .select(['age_band', 'population'])
    .where('source', '=', 'census2021_lsoa11')
    .where('area_code', '=', area)
    .execute();
  const byBand = new Map(rows.map((row) => [row.age_band, row.population]));
  return bands.map((band) => byBand.get(band) ?? Number.NaN);
}

describe(`Census 2021 ages apportioned to LSOA 2011 (${testEngine})`, () => {
  it('carries an unchanged area across as it is', async () => {
    expect(await derived('E01000001')).toEqual(censusCounts('E01000001'));
  });

  it('adds up the parts of a split area', async () => {
    const [a, b] = SPLIT.into.map((code) => censusCounts(code));
    expect(await derived(SPLIT.from)).toEqual(a!.map((value, i) => value + b![i]!));
  });

  it('shares a merged area between its 2011 parts by their mid-2019 populations', async () => {
    const merged = censusCounts(MERGE.into);
    const [first, second] = MERGE.from.map((code) => fixtureAreas.find((a) => a.code === code)!.population);
    const total = first! + second!;
    expect(await derived(MERGE.from[0])).toEqual(merged.map((value) => Math.round((value * first!) / total)));
    expect(await derived(MERGE.from[1])).toEqual(merged.map((value) => Math.round((value * second!) / total)));
  });

  it('keeps the total population of the lookup within rounding', async () => {
    const sum = async (source: string) =>
      Number((await store.db.selectFrom('ref_population').select((eb) => eb.fn.sum<number>('population').as('n')).where('source', '=', source).executeTakeFirstOrThrow()).n);
    const difference = Math.abs((await sum('census2021_lsoa11')) - (await sum('census2021')));
    expect(difference).toBeLessThanOrEqual(bands.length * 2);
  });
});
