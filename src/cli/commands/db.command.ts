import type { Command } from 'commander';
import { storeStatus } from '../../store/migrate.ts';
import { printJson, withStore } from '../context.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('The Roots database: schema migrations and status');

  db.command('migrate')
    .description('apply any pending schema migrations (also done on every start)')
    .action(async () => {
      await withStore(async (store) => {
        const status = await storeStatus(store);
        printJson({ engine: status.engine, migration: status.migration });
      });
    });

  db.command('status')
    .description('print the engine, the latest applied migration, row counts of the data, and of the logs (import runs, audit events) as JSON')
    .action(async () => {
      await withStore(async (store) => {
        const { engine, migration, counts, log } = await storeStatus(store);
        printJson({ engine, migration, counts, log });
      });
    });
}
