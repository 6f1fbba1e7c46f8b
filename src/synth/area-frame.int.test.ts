import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { referralColumns, referralRowSchema } from '../imports/referral-row.schema.ts';
import { openStore } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { loadAreaFrame, loadService } from './area-frame.repository.ts';
import { compileModel } from './model.ts';
import { resolveSynthOptions } from './options.ts';
import { generateReferralRows } from './synthesise.ts';
import { censusCounts, fixtureAreas, insertReferenceFixture, MERGE, SPLIT } from '../../test/support/synth-reference.fixture.ts';
import type { SynthTruth } from './truth.ts';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

describe(`synth reference frame (${testEngine})`, () => {
  let empty: TestStore;
  let store: TestStore;

  beforeAll(async () => {
    [empty, store] = await Promise.all([createTestStore(), createTestStore()]);
    await insertReferenceFixture(store.db);
  });
  afterAll(async () => {
    await Promise.all([empty?.close(), store?.close()]);
  });

  it('refuses with REFERENCE_DATA_MISSING, and says how to load it, when no reference data is imported', async () => {
    await expect(loadAreaFrame(empty.db, { kind: 'england' })).rejects.toMatchObject({
      code: 'REFERENCE_DATA_MISSING',
      message: expect.stringContaining('roots reference import'),
    });
  });

  it('reads every English area in code order, with mid-2019 totals and Census 2021 ages apportioned to LSOA 2011', async () => {
    const frame = await loadAreaFrame(store.db, { kind: 'england' });
    expect(frame.areas.map((a) => a.code)).toEqual(fixtureAreas.map((a) => a.code));
    expect(frame.sources).toMatchObject({ totals: 'mid2019', ageBands: 'census2021', ageBandsApportioned: true, areasWithAverageAgeSplit: 0, areasWithPostcodes: 2 });
    expect(frame.bands.map((b) => [b.from, b.to])).toEqual([[0, 15], [16, 24], [25, 34], [35, 49], [50, 64], [65, null]]);
    for (const area of frame.areas) {
      const fixture = fixtureAreas.find((a) => a.code === area.code)!;
      expect(area).toMatchObject({ nation: 'E', index: 'IMD2019', decile: fixture.decile, quintile: fixture.quintile, population: fixture.population });
      expect(area.bandPopulation.reduce((s, p) => s + p, 0)).toBeCloseTo(fixture.population, 6);
    }
    // Split: the 2011 area takes the sum of its 2021 parts. Merge: each 2011 area half the 2021 area.
    const shares = (code: string) => {
      const area = frame.areas.find((a) => a.code === code)!;
      return area.bandPopulation.map((p) => p / area.population);
    };
    const split = SPLIT.into.map(censusCounts).reduce((sum, counts) => sum.map((s, i) => s + counts[i]!));
    const splitTotal = split.reduce((s, v) => s + v, 0);
    shares(SPLIT.from).forEach((share, i) => expect(share).toBeCloseTo(split[i]! / splitTotal, 9));
    const merged = censusCounts(MERGE.into);
    const mergedTotal = merged.reduce((s, v) => s + v, 0);
    for (const code of MERGE.from) shares(code).forEach((share, i) => expect(share).toBeCloseTo(merged[i]! / mergedTotal, 9));
    const first = frame.areas[0]!;
    expect(first.livePostcodes).toEqual(['DT1 1AA', 'DT1 1AB', 'DT1 1AD']);
    expect(first.terminatedPostcodes).toEqual(['DT1 9ZZ']);
    // The same database gives the same frame.
    expect(await loadAreaFrame(store.db, { kind: 'england' })).toEqual(frame);
  });

  it('narrows to one ICB (by ONS or NHS code), one local authority, or Wales with its own index', async () => {
    const byOns = await loadAreaFrame(store.db, { kind: 'icb', code: 'E54000002' });
    expect(byOns.areas.map((a) => a.code)).toEqual(fixtureAreas.filter((a) => a.icb === 'E54000002').map((a) => a.code));
    const byNhs = await loadAreaFrame(store.db, { kind: 'icb', code: 'QAA' });
    expect(byNhs.areas).toHaveLength(15);
    expect(byNhs.areas.every((a) => a.icb === 'E54000001')).toBe(true);
    const la = await loadAreaFrame(store.db, { kind: 'la', code: 'E06000001' });
    expect(la.areas).toHaveLength(15);
    const wales = await loadAreaFrame(store.db, { kind: 'wales' });
    expect(wales.areas.map((a) => [a.code, a.index])).toEqual([['W01000001', 'WIMD2019'], ['W01000002', 'WIMD2019'], ['W01000003', 'WIMD2019']]);
    expect(wales.areas[0]!.livePostcodes).toEqual(['LD1 5AA']);
    await expect(loadAreaFrame(store.db, { kind: 'icb', code: 'E54999999' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('draws people in proportion to population times the age profile of need (chi-square, p > 0.001)', async () => {
    const frame = await loadAreaFrame(store.db, { kind: 'england' });
    const options = resolveSynthOptions({
      people: 20000,
      seed: 12,
      gradients: { deprivation: 1, need: 1, ethnicity: { white: 1, mixed: 1, asian: 1, black: 1, other: 1 }, age: [] },
      missing: { ethnicityNotStated: 0, ethnicityNotKnown: 0, ethnicityBlank: 0, postcodeUnknown: 0, postcodeInvalid: 0, noFixedAddress: 0, areaCodeOmitted: 0 },
    });
    const model = compileModel(options, frame);
    // Expected share of each area: its band populations weighted by the mean need of each band.
    const weight = frame.areas.map((area) => area.bandPopulation.reduce((s, p, b) => s + p * model.bandIntensity[b]!, 0));
    const total = weight.reduce((s, w) => s + w, 0);
    const counts = new Map<string, number>();
    for (const row of generateReferralRows(options, frame)) {
      if (row.source_record_id.endsWith('-1')) counts.set(row.area_code, (counts.get(row.area_code) ?? 0) + 1);
    }
    let chi = 0;
    frame.areas.forEach((area, a) => {
      const expected = (options.people * weight[a]!) / total;
      chi += ((counts.get(area.code) ?? 0) - expected) ** 2 / expected;
    });
    const df = frame.areas.length - 1;
    expect(chi).toBeLessThan(df * (1 - 2 / (9 * df) + 3.0902 * Math.sqrt(2 / (9 * df))) ** 3);
  });

  it('finds a service and its pathways by code, or the only service when none is named', async () => {
    const organisation = await store.db.insertInto('organisation').values({ code: 'FIXTURE', name: 'Fixture Trust' }).returning('id').executeTakeFirstOrThrow();
    const service = await store.db
      .insertInto('service')
      .values({ organisation_id: organisation.id, code: 'ot-children', name: 'Children OT', setting: 'children_young_people' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await store.db.insertInto('service_pathway').values([{ service_id: service.id, pathway_code: 'signpost' }, { service_id: service.id, pathway_code: 'children_families' }]).execute();
    expect(await loadService(store.db, 'ot-children')).toMatchObject({ code: 'ot-children', organisationCode: 'FIXTURE', pathways: ['children_families', 'signpost'] });
    expect(await loadService(store.db, 'FIXTURE/ot-children')).toMatchObject({ code: 'ot-children' });
    expect(await loadService(store.db, undefined)).toMatchObject({ code: 'ot-children' });
    await expect(loadService(store.db, 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await store.db.deleteFrom('service_pathway').execute();
    await store.db.deleteFrom('service').execute();
    await store.db.deleteFrom('organisation').execute();
  });
});

describe(`roots synth on the command line (${testEngine})`, () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;
  let emptyEnv: NodeJS.ProcessEnv;
  let checkStore: <T>(work: (store: Pick<TestStore, 'db'>) => Promise<T>) => Promise<T>;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'roots-synth-'));
    // The CLI opens the database itself: PostgreSQL through the test clone's URL, PGlite through a data folder.
    const fill = async (db: TestStore['db']) => {
      await insertReferenceFixture(db);
      const organisation = await db.insertInto('organisation').values({ code: 'SYNTH', name: 'Synthetic Trust' }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot-all', name: 'Community OT', setting: 'primary_care' }).execute();
    };
    const prepare = async (withReference: boolean): Promise<NodeJS.ProcessEnv> => {
      const base: NodeJS.ProcessEnv = { ...process.env, ROOTS_PROGRESS: '0' };
      if (testEngine === 'postgresql') {
        const store = await createTestStore();
        if (withReference) await fill(store.db);
        cleanups.push(() => store.close());
        if (withReference) checkStore = async (work) => work(store);
        return { ...base, DATABASE_URL: store.databaseUrl };
      }
      const dataDir = join(folder, withReference ? 'data' : 'empty');
      const store = await openStore({ dataDir });
      await migrateToLatest(store.db);
      if (withReference) await fill(store.db);
      await store.close();
      if (withReference) {
        checkStore = async (work) => {
          const again = await openStore({ dataDir });
          try {
            return await work(again);
          } finally {
            await again.close();
          }
        };
      }
      const { DATABASE_URL: _unused, ...rest } = base;
      return { ...rest, ROOTS_DATA_DIR: dataDir };
    };
    env = await prepare(true);
    emptyEnv = await prepare(false);
  });
  afterAll(async () => {
    for (const cleanup of cleanups) await cleanup();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  const synth = (args: string[], environment = env) => run(process.execPath, [join(root, 'bin/roots'), 'synth', ...args], { env: environment, cwd: root, maxBuffer: 64 << 20 });

  it('writes the same file for the same seed, another for another seed, and the truth beside it', { timeout: 240_000 }, async () => {
    const [a, b, c] = ['a.csv', 'b.csv', 'c.csv'].map((name) => join(folder, name)) as [string, string, string];
    const common = ['--people', '2500', '--area', 'icb:E54000001', '--gradient-deprivation', '0.6'];
    const first = await synth([...common, '--seed', '42', '--out', a]);
    await synth([...common, '--seed', '42', '--out', b]);
    await synth([...common, '--seed', '43', '--out', c]);
    const summary = JSON.parse(first.stdout);
    expect(summary).toMatchObject({ out: a, truth: `${a}.truth.json`, people: 2500, area: 'icb:E54000001', areas: 15 });
    expect(readFileSync(b).equals(readFileSync(a))).toBe(true);
    expect(readFileSync(`${b}.truth.json`).equals(readFileSync(`${a}.truth.json`))).toBe(true);
    expect(readFileSync(c).equals(readFileSync(a))).toBe(false);

    const rows = parse(readFileSync(a), { columns: true, bom: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual([...referralColumns]);
    expect(rows).toHaveLength(summary.referrals);
    const truth = JSON.parse(readFileSync(`${a}.truth.json`, 'utf8')) as SynthTruth;
    expect(truth).toMatchObject({ seed: 42, people: 2500, area: { scope: 'icb:E54000001', areas: 15, populationSources: { totals: 'mid2019', ageBands: 'census2021' } } });
    expect(truth.expected.deprivation.accessRateRatioMostVsLeast).toBeCloseTo(0.6, 6);
    const schema = referralRowSchema({ today: truth.yearEnd });
    expect(rows.filter((row) => !schema.safeParse(row).success)).toEqual([]);
    const icbAreas = new Set(fixtureAreas.filter((f) => f.icb === 'E54000001').map((f) => f.code));
    expect(rows.every((row) => !row.area_code || icbAreas.has(row.area_code))).toBe(true);
    // Real postcodes come from the reference data.
    expect(rows.filter((row) => row.postcode?.startsWith('DT1 1')).length).toBeGreaterThan(0);
  });

  it('streams the rows straight into the database through the importer and prints the truth', { timeout: 240_000 }, async () => {
    const result = await synth(['--people', '600', '--seed', '5', '--area', 'la:E06000002']);
    const { import: summary, truth } = JSON.parse(result.stdout) as { import: { written: boolean; inserted: number; rejected: number; read: number }; truth: SynthTruth };
    expect(summary).toMatchObject({ written: true, rejected: 0 });
    expect(summary.inserted).toBe(summary.read);
    expect(truth).toMatchObject({ people: 600, parameters: { serviceCode: 'SYNTH/ot-all' }, area: { scope: 'la:E06000002' } });
    const counts = await checkStore(async ({ db }) => ({
      referrals: Number((await db.selectFrom('referral').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
      people: Number((await db.selectFrom('person').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
    }));
    expect(counts).toEqual({ referrals: summary.read, people: 600 });
    // The same seed again changes nothing (the import is idempotent).
    const again = JSON.parse((await synth(['--people', '600', '--seed', '5', '--area', 'la:E06000002'])).stdout) as { import: { inserted: number; unchanged: number } };
    expect(again.import).toMatchObject({ inserted: 0, unchanged: summary.read });
  });

  it('fails with the REFERENCE_DATA_MISSING exit code and a hint when reference data is absent', { timeout: 120_000 }, async () => {
    const failure = await synth(['--people', '10', '--seed', '1', '--out', join(folder, 'none.csv')], emptyEnv).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(66);
    expect(failure?.stderr).toContain('REFERENCE_DATA_MISSING');
    expect(failure?.stderr).toContain('roots reference import');
  });

  it('refuses bad options before touching the database', { timeout: 120_000 }, async () => {
    const failure = await synth(['--people', '10', '--seed', '1', '--area', 'mars', '--out', join(folder, 'x.csv')]).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).toBe(64);
    expect(failure?.stderr).toContain('--area');
  });
});
