import type { Command } from 'commander';
import { createApiToken } from '../../access/api-token.repository.ts';
import { cliActor, listApiTokens, revokeApiToken } from '../../access/staff-admin.service.ts';
import type { ApiTokenSummary } from '../../access/staff-user.repository.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { printJson, withStore } from '../context.ts';
import { sayActor } from './user.command.ts';

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());
const show = (token: ApiTokenSummary) => ({
  id: token.id,
  email: token.email,
  label: token.label,
  createdAt: iso(token.createdAt),
  expiresAt: iso(token.expiresAt),
  revokedAt: iso(token.revokedAt),
});

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
  token
    .command('list')
    .description('list API tokens (never the tokens themselves), as JSON')
    .option('--email <email>', 'only this member of staff\'s tokens')
    .action(async (options: { email?: string }) => {
      sayActor();
      await withStore(async (store) => {
        printJson((await listApiTokens(store.db, cliActor, options.email === undefined ? {} : { email: options.email })).map(show));
      });
    });
  token
    .command('revoke')
    .description('revoke an API token by its id (roots token list)')
    .requiredOption('--id <id>', 'the token\'s id')
    .action(async (options: { id: string }) => {
      const id = Number(options.id);
      if (!Number.isInteger(id) || id < 1) throw new RootsError('BAD_REQUEST', { detail: '--id must be a whole number (see roots token list).' });
      sayActor();
      await withStore(async (store) => {
        const result = await revokeApiToken(store.db, cliActor, id);
        printJson({ token: show(result.token), alreadyRevoked: !result.changed });
      });
    });
}
