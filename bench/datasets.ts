import { BENCH_ACTOR } from './actor.ts';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { importReferralCsv } from '../src/imports/referral-import.service.ts';
import { importReferencePack } from '../src/reference/reference.import.ts';
import { openStore, type Store } from '../src/store/database.ts';
import { migrateToLatest } from '../src/store/migrate.ts';
import { generateReferralRows } from '../src/synth/synthesise.ts';
import { writeReferralCsv } from '../src/synth/csv.ts';
import { loadAreaFrame } from '../src/synth/area-frame.repository.ts';
import { resolveSynthOptions } from '../src/synth/options.ts';
import { timed } from './lib.ts';

/** Where benchmark data is kept between runs (git-ignored). */
export const benchDir = resolve('.roots/bench');
export const referenceDir = process.env.ROOTS_REFERENCE_DIR || '../shared/reference';
export const postgresUrl = process.env.ROOTS_BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export type BenchEngine = 'pglite' | 'postgresql';

export function databaseUrlFor(name: string): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, empty database of the given engine under `name` (dropped and recreated). */
export async function freshStore(engine: BenchEngine, name: string): Promise<Store> {
  if (engine === 'postgresql') {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
    await admin.end();
    const store = await openStore({ databaseUrl: databaseUrlFor(name), dataDir: 'unused' });
    await migrateToLatest(store.db);
    return store;
  }
  const dataDir = join(benchDir, `${name}.pglite`);
  const { rmSync } = await import('node:fs');
  rmSync(dataDir, { recursive: true, force: true });
  const store = await openStore({ dataDir });
  await migrateToLatest(store.db);
  return store;
}

/** An existing benchmark database, if it was built before. */
export async function existingStore(engine: BenchEngine, name: string): Promise<Store | null> {
  if (engine === 'postgresql') {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    const { rows } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    await admin.end();
    if (rows.length === 0) return null;
    const store = await openStore({ databaseUrl: databaseUrlFor(name), dataDir: 'unused' });
    await migrateToLatest(store.db);
    return store;
  }
  const dataDir = join(benchDir, `${name}.pglite`);
  if (!existsSync(dataDir)) return null;
  const store = await openStore({ dataDir });
  await migrateToLatest(store.db);
  return store;
}

/**
 * A synthetic referral file of about `people` people (England, seed 1), written once and reused.
 * Generating it needs reference data: it is drawn from a scratch PGlite database with the pack.
 */
export async function syntheticCsv(people: number): Promise<{ path: string; rows: number }> {
  mkdirSync(benchDir, { recursive: true });
  const path = join(benchDir, `synth-${people}.csv`);
  const marker = `${path}.rows`;
  const { readFileSync, writeFileSync } = await import('node:fs');
  if (existsSync(path) && existsSync(marker)) return { path, rows: Number(readFileSync(marker, 'utf8')) };
  const store = await referenceStore();
  try {
    const options = resolveSynthOptions({ people, seed: 1, yearEnd: '2026-03-31' });
    const frame = await loadAreaFrame(store.db, options.area);
    const { rows } = await writeReferralCsv(generateReferralRows(options, frame), path);
    writeFileSync(marker, String(rows));
    return { path, rows };
  } finally {
    await store.close();
  }
}

/** A PGlite database holding only the reference pack, kept for generating synthetic files. */
async function referenceStore(): Promise<Store> {
  const existing = await existingStore('pglite', 'reference');
  if (existing) return existing;
  const store = await freshStore('pglite', 'reference');
  await importReferencePack(store, referenceDir);
  return store;
}

/** Creates the benchmark organisation and its England-wide service. */
export async function createBenchService(store: Store): Promise<number> {
  const organisation = await store.db.insertInto('organisation').values({ code: 'BENCH', name: 'Benchmark Trust' }).returning('id').executeTakeFirstOrThrow();
  const service = await store.db
    .insertInto('service')
    .values({ organisation_id: organisation.id, code: 'england-ot', name: 'England OT (benchmark)', setting: 'primary_care', nation: 'E' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return service.id;
}

/**
 * A database with the reference pack and a synthetic year of `people` people imported, built
 * once per engine and reused by later runs. Returns the store and the seconds each step took
 * when it was built now.
 */
export async function auditDataset(engine: BenchEngine, people: number): Promise<{ store: Store; serviceId: number; built: boolean }> {
  const name = `roots_bench_audit_${people}`;
  const existing = await existingStore(engine, name);
  if (existing) {
    const service = await existing.db.selectFrom('service').select('id').where('code', '=', 'england-ot').executeTakeFirst();
    const runs = await existing.db.selectFrom('import_run').select('outcome').where('outcome', '=', 'committed').execute();
    if (service && runs.length > 0) return { store: existing, serviceId: service.id, built: false };
    await existing.close();
  }
  const { path } = await syntheticCsv(people);
  const store = await freshStore(engine, name);
  await importReferencePack(store, referenceDir);
  const serviceId = await createBenchService(store);
  const { seconds } = await timed(() => importReferralCsv(store, path, { actor: BENCH_ACTOR, service: 'BENCH/england-ot', today: '2026-03-31' }));
  process.stderr.write(`  built ${name} on ${engine}: import ${seconds.toFixed(1)} s\n`);
  return { store, serviceId, built: true };
}
