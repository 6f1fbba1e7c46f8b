import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openStore } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';

/**
 * Prepares one migrated database that every test file copies, so each file starts from a clean,
 * current schema in well under a second:
 * - PGlite: a dumped data directory (a tarball) that each file loads into memory;
 * - PostgreSQL (DATABASE_URL set): a template database that each file clones.
 */
export default async function setup(project: TestProject) {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const scratch = mkdtempSync(join(tmpdir(), 'roots-test-'));
  if (!databaseUrl) {
    const store = await openStore({ dataDir: scratch, inMemory: true });
    await migrateToLatest(store.db);
    const dump = await store.pglite!.dumpDataDir('none');
    await store.close();
    const path = join(scratch, 'template.tar');
    writeFileSync(path, Buffer.from(await dump.arrayBuffer()));
    project.provide('pgliteTemplate', path);
    project.provide('postgresTemplate', '');
    return () => rmSync(scratch, { recursive: true, force: true });
  }

  const template = `roots_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${template}`);
  await admin.query(`create database ${template}`);
  const store = await openStore({ databaseUrl: withDatabase(databaseUrl, template), dataDir: scratch });
  await migrateToLatest(store.db);
  await store.close();
  project.provide('pgliteTemplate', '');
  project.provide('postgresTemplate', template);
  return async () => {
    // Drop the clones left by test files (each normally drops its own) and the template.
    const { rows } = await admin.query<{ datname: string }>(
      `select datname from pg_database where datname like $1`,
      [`roots_test_${process.pid}_%`],
    );
    for (const row of rows) await admin.query(`drop database if exists ${row.datname} with (force)`);
    await admin.query(`drop database if exists ${template} with (force)`);
    await admin.end();
    rmSync(scratch, { recursive: true, force: true });
  };
}

export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string;
  }
}
