import type { Command } from 'commander';
import { createApiToken } from '../../access/api-token.repository.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { printJson, withStore } from '../context.ts';

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API tokens for scripts and systems');
  token
    .command('create')
    .description('create an API token for a member of staff (shown once)')
    .requiredOption('--email <email>', 'the member of staff the token acts as')
    .option('--label <label>', 'what the token is for', 'api')
    .option('--days <days>', 'days until it expires', '90')
    .action(async (options: { email: string; label: string; days: string }) => {
      const days = Number(options.days);
      if (!Number.isInteger(days) || days < 1 || days > 366) {
        throw new RootsError('BAD_REQUEST', { detail: '--days must be a whole number from 1 to 366.' });
      }
      await withStore(async (store) => {
        const created = await createApiToken(store.db, { email: options.email, label: options.label, days });
        printJson({ token: created.token, expiresAt: created.expiresAt.toISOString() });
      });
    });
}
