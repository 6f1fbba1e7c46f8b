import { Migrator, sql, type Kysely, type MigrationResultSet } from 'kysely';
import { RootsError } from '../errors/roots-error.ts';
import { migrations } from './migrations/index.ts';
import type { Schema, TableName } from './schema.ts';
import type { Store } from './database.ts';

function migrator(db: Kysely<Schema>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: 'roots_migration',
    migrationLockTableName: 'roots_migration_lock',
  });
}

/** Bring the schema up to the latest migration. Safe to run on every start. */
export async function migrateToLatest(db: Kysely<Schema>): Promise<MigrationResultSet> {
  const result = await migrator(db).migrateToLatest();
  if (result.error) {
    throw new RootsError('INTERNAL', {
      detail: `Database migration failed: ${(result.error as Error).message ?? String(result.error)}`,
      cause: result.error,
    });
  }
  return result;
}

/** Name of the latest applied migration, or null on an empty database. */
export async function currentMigration(db: Kysely<Schema>): Promise<string | null> {
  const all = await migrator(db).getMigrations();
  const applied = all.filter((migration) => migration.executedAt !== undefined);
  return applied.at(-1)?.name ?? null;
}

export const countedTables: TableName[] = [
  'organisation',
  'service',
  'staff_user',
  'person',
  'referral',
  'triage',
  'episode',
  'waiting_clock_event',
  'allocation',
  'contact',
  'intervention',
  'outcome_response',
  'discharge',
  'ref_area',
  'ref_deprivation',
  'ref_postcode',
  'ref_lsoa_change',
  'ref_population',
  'ref_geography',
];

/**
 * Logs of what was done, counted apart from the data: a repeated import changes no data count but
 * is itself recorded (one import run, one audit event).
 */
export const loggedTables: TableName[] = ['import_run', 'audit_event'];

export interface StoreStatus {
  engine: Store['engine'];
  migration: string | null;
  latestMigration: string;
  counts: Record<string, number>;
  log: Record<string, number>;
}

/** What `roots db status` prints: engine, migration and row counts (counted in SQL). */
export async function storeStatus(store: Store): Promise<StoreStatus> {
  const migration = await currentMigration(store.db);
  const counts: Record<string, number> = {};
  const log: Record<string, number> = {};
  if (migration !== null) {
    const union = [...countedTables, ...loggedTables]
      .map((table) => `select '${table}' as name, count(*) as n from ${table}`)
      .join(' union all ');
    const { rows } = await sql.raw<{ name: string; n: number }>(union).execute(store.db);
    for (const row of rows) (loggedTables.includes(row.name as TableName) ? log : counts)[row.name] = Number(row.n);
  }
  return {
    engine: store.engine,
    migration,
    latestMigration: Object.keys(migrations).at(-1)!,
    counts,
    log,
  };
}
