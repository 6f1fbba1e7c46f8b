import { loadConfig, type Config } from '../config/config.ts';
import { openStore, type Store } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { jsonForTerminal } from './terminal.ts';

/**
 * Opens the configured database, brings its schema up to date, runs `work` and always closes
 * the database again. Every CLI command that touches the store goes through here.
 */
export async function withStore<T>(work: (store: Store, config: Config) => Promise<T>, config: Config = loadConfig()): Promise<T> {
  const store = await openStore(config);
  try {
    await migrateToLatest(store.db);
    return await work(store, config);
  } finally {
    await store.close();
  }
}

/** Writes one JSON document to standard output (terminal-safe: see `terminal.ts`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${jsonForTerminal(value)}\n`);
}
