import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { RootsError } from '../errors/roots-error.ts';
import { PGliteDialect } from './drivers/pglite.driver.ts';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';
import { createPrivateDataDir, restrictDataDirTree } from './data-dir-mode.ts';
import type { Schema } from './schema.ts';

export type Engine = 'pglite' | 'postgresql';

export interface StoreConfig {
  /** A PostgreSQL server; when absent, embedded PGlite is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded database. Ignored when `databaseUrl` is set. */
  dataDir: string;
  /** Embedded database only: hold no files (tests). */
  inMemory?: boolean;
  /** Embedded database only: start from a dumped data directory (tests). */
  loadDataDir?: Blob | File;
}

export interface Store {
  db: Kysely<Schema>;
  engine: Engine;
  /** The embedded PGlite instance, when the engine is PGlite (bulk COPY in benchmarks). */
  pglite?: PGlite;
  /** The `pg` pool, when the engine is PostgreSQL. */
  pool?: pg.Pool;
  close(): Promise<void>;
}

// Both engines hand back the same JavaScript types: counts and numerics as numbers,
// calendar dates as 'YYYY-MM-DD' strings (never a Date shifted by the local time zone).
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;
const parseNumber = (value: string) => (value === null ? null : Number(value));
const keepText = (value: string) => value;

export async function openStore(config: StoreConfig): Promise<Store> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPGlite(config);
}

async function openPostgres(databaseUrl: string): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 10,
    connectionTimeoutMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8 || oid === NUMERIC) return parseNumber;
        if (oid === DATE) return keepText;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server connection must not crash the process.
  pool.on('error', () => {});
  try {
    const client = await pool.connect();
    client.release();
  } catch (error) {
    await pool.end().catch(() => {});
    throw new RootsError('DATABASE_UNAVAILABLE', {
      detail: `Cannot connect to the PostgreSQL server given by DATABASE_URL: ${(error as Error).message}`,
      cause: error,
    });
  }
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    engine: 'postgresql',
    pool,
    async close() {
      await db.destroy();
    },
  };
}

async function openPGlite(config: StoreConfig): Promise<Store> {
  let lock: DataDirLock | undefined;
  let dataDir: string | undefined;
  if (!config.inMemory) {
    createPrivateDataDir(config.dataDir);
    lock = acquireDataDirLock(config.dataDir);
    dataDir = config.dataDir;
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(dataDir ? { dataDir } : {}),
      ...(config.loadDataDir ? { loadDataDir: config.loadDataDir } : {}),
      parsers: { [INT8]: parseNumber, [NUMERIC]: parseNumber, [DATE]: keepText },
    });
  } catch (error) {
    lock?.release();
    throw new RootsError('DATABASE_UNAVAILABLE', {
      detail: `Cannot open the embedded database in ${config.dataDir}: ${(error as Error).message}`,
      cause: error,
    });
  }
  // PGlite writes its files 0666: owner only (see data-dir-mode.ts), now and again on close.
  if (dataDir) restrictDataDirTree(dataDir);
  const db = new Kysely<Schema>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    engine: 'pglite',
    pglite,
    async close() {
      await db.destroy();
      await pglite.close();
      if (dataDir) restrictDataDirTree(dataDir);
      lock?.release();
    },
  };
}
