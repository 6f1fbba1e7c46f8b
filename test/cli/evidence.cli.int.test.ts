import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation } from '../../src/demo/demo-organisation.ts';
import { builtInEvidence } from '../../src/economics/evidence-seed.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { parseCsv } from '../support/file-readers.ts';
import { runRoots } from '../support/cli.ts';
import { createTestStore, testEngine, type TestStore } from '../support/database.ts';

/** `roots evidence seed|list|export|import`, as an analyst and an administrator would run them. */
let scratch: string;
let testStore: TestStore | undefined;
let env: Record<string, string | undefined>;

async function withDatabase<T>(work: (store: Store) => Promise<T>): Promise<T> {
  if (testStore) return work(testStore);
  const store = await openStore({ dataDir: env.ROOTS_DATA_DIR! });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'roots-evidence-'));
  if (testEngine === 'postgresql') {
    testStore = await createTestStore();
    env = { DATABASE_URL: testStore.databaseUrl };
  } else {
    const dataDir = join(scratch, 'data');
    const store = await openStore({ dataDir });
    await migrateToLatest(store.db);
    await store.close();
    env = { DATABASE_URL: undefined, ROOTS_DATA_DIR: dataDir };
  }
  await withDatabase((store) => createDemoOrganisation(store.db, null));
});
afterAll(async () => {
  await testStore?.close();
  rmSync(scratch, { recursive: true, force: true });
});

const roots = (args: string[]) => runRoots(args, { env: { ...env, ROOTS_DEMO: 'false' } });

describe(`roots evidence on ${testEngine}`, () => {
  it('seeds the register without the non-commercial pack, and lists the untraced figures as not for headlines', async () => {
    const seeded = await roots(['evidence', 'seed', '--without-non-commercial']);
    expect(seeded.code, seeded.stderr).toBe(0);
    const expected = builtInEvidence.filter((f) => f.pack !== 'non_commercial').length;
    expect(JSON.parse(seeded.stdout)).toMatchObject({ created: expected });
    const list = await roots(['evidence', 'list', '--untraced']);
    expect(list.code, list.stderr).toBe(0);
    const { figures } = JSON.parse(list.stdout) as { figures: { key: string; traced: boolean; headline: { eligible: boolean } }[] };
    expect(figures.length).toBe(builtInEvidence.filter((f) => f.pack !== 'non_commercial' && !f.traced).length);
    expect(figures.every((f) => !f.traced && !f.headline.eligible)).toBe(true);
    expect(figures.map((f) => f.key)).toContain('ican.saving_per_person');
  });

  it('exports CSV for a spreadsheet and JSON that imports back unchanged', async () => {
    const csvFile = join(scratch, 'evidence.csv');
    const csv = await roots(['evidence', 'export', '--format', 'csv', '--pack', 'open', '--out', csvFile]);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = parseCsv(readFileSync(csvFile, 'utf8').replace(/^\uFEFF/, ''));
    expect(rows[0]!.slice(0, 3)).toEqual(['key', 'pack', 'edition']);
    expect(rows.slice(1).map((row) => row[0]).sort()).toEqual(['greenbook.discount_rate', 'greenbook.health_discount_rate']);
    const jsonFile = join(scratch, 'evidence.json');
    expect((await roots(['evidence', 'export', '--out', jsonFile])).code).toBe(0);
    const admin = await roots(['--as', 'admin@demo.roots.invalid', 'evidence', 'import', jsonFile]);
    expect(admin.code, admin.stderr).toBe(0);
    expect(JSON.parse(admin.stdout)).toMatchObject({ created: 0, newVersions: 0 });
  });

  it('refuses an import by someone who is not an administrator, and a bad file with its rows, writing nothing', async () => {
    const figures = JSON.parse(readFileSync(join(scratch, 'evidence.json'), 'utf8')) as { key: string; central: number; low: number | null }[];
    const changed = figures.map((f, i) => (i === 0 ? { ...f, central: f.central + 1 } : f));
    const file = join(scratch, 'changed.json');
    writeFileSync(file, JSON.stringify(changed));
    const lead = await roots(['--as', 'lead@demo.roots.invalid', 'evidence', 'import', file]);
    expect(lead.code).toBe(77);
    const bad = join(scratch, 'bad.json');
    writeFileSync(bad, JSON.stringify([changed[0], { ...changed[1], central: 'lots' }]));
    const rejected = await roots(['--as', 'admin@demo.roots.invalid', 'evidence', 'import', bad]);
    expect(rejected.code).toBe(65);
    expect(rejected.stderr).toMatch(/row 2/);
    const versions = await withDatabase((store) => store.db.selectFrom('evidence_figure').select('key').where('version', '>', 1).execute());
    expect(versions).toEqual([]);
    const ok = await roots(['--as', 'admin@demo.roots.invalid', 'evidence', 'import', file]);
    expect(JSON.parse(ok.stdout)).toMatchObject({ newVersions: 1 });
  });
});
