import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { openStore, type Store } from '../../src/store/database.ts';
import { withDatabase } from './global-setup.ts';

/** The engine the suite runs on: PostgreSQL when DATABASE_URL is set, embedded PGlite otherwise. */
export const testEngine: Store['engine'] = process.env.DATABASE_URL ? 'postgresql' : 'pglite';

export interface TestStore extends Store {
  /** Connection string of this test's own database (PostgreSQL only), for child processes. */
  databaseUrl?: string;
}

/**
 * A fresh, migrated, empty database of its own for one test file (or one test).
 * Close it in afterAll/afterEach: the PostgreSQL clone is dropped on close.
 */
export async function createTestStore(): Promise<TestStore> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  if (!databaseUrl) {
    const tarball = readFileSync(inject('pgliteTemplate'));
    return openStore({ dataDir: 'memory', inMemory: true, loadDataDir: new Blob([tarball]) });
  }
  const template = inject('postgresTemplate');
  const name = `roots_test_${template.split('_').at(-1)}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(databaseUrl, name);
  const store = await openStore({ databaseUrl: url, dataDir: 'unused' });
  return {
    ...store,
    databaseUrl: url,
    async close() {
      await store.close();
      const dropper = new pg.Client({ connectionString: databaseUrl });
      await dropper.connect();
      await dropper.query(`drop database if exists ${name} with (force)`);
      await dropper.end();
    },
  };
}
