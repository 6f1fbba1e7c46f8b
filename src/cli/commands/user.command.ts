import type { Command } from 'commander';
import { actorLabel } from '../../access/actor.ts';
import { cliActor, createStaffAccount, deactivateStaffAccount, listStaffAccounts, organisationIdFor, resetStaffPassword } from '../../access/staff-admin.service.ts';
import type { StaffUserSummary } from '../../access/staff-user.repository.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { printJson, withStore } from '../context.ts';

/** Says on standard error who the command acts as (the audit trail records the same). */
export function sayActor(): void {
  process.stderr.write(`roots: acting as ${actorLabel(cliActor)} (recorded in the audit trail)\n`);
}

/** A password piped on standard input (first line), for --password-stdin. */
async function readPasswordFromStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  const password = text.split(/\r?\n/)[0] ?? '';
  if (password === '') throw new RootsError('BAD_REQUEST', { detail: '--password-stdin was given but standard input held no password.' });
  return password;
}

const show = (user: StaffUserSummary) => ({
  id: user.id,
  organisation: user.organisation,
  email: user.email,
  name: user.displayName,
  role: user.role,
  active: user.active,
  createdAt: new Date(user.createdAt).toISOString(),
  deactivatedAt: user.deactivatedAt ? new Date(user.deactivatedAt).toISOString() : null,
});

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description(`staff accounts (acts as ${actorLabel(cliActor)})`);
  user
    .command('create')
    .description('create a member of staff; prints a one-time password unless --password-stdin')
    .requiredOption('--organisation <CODE>', 'organisation code')
    .requiredOption('--email <email>', 'their email address (how they sign in)')
    .requiredOption('--name <name>', 'their name as shown in Roots')
    .requiredOption('--role <role>', 'therapist, team_lead, commissioner, analyst or administrator')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(async (options: { organisation: string; email: string; name: string; role: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
      sayActor();
      await withStore(async (store) => {
        const organisationId = await organisationIdFor(store.db, options.organisation);
        const created = await createStaffAccount(store.db, cliActor, {
          organisationId,
          email: options.email,
          displayName: options.name,
          role: options.role as never,
          ...(password !== undefined ? { password } : {}),
        });
        printJson({ user: show(created.user), ...(created.password ? { oneTimePassword: created.password } : {}) });
      });
    });
  user
    .command('list')
    .description('list staff accounts, as JSON')
    .option('--organisation <CODE>', 'only this organisation')
    .action(async (options: { organisation?: string }) => {
      sayActor();
      await withStore(async (store) => {
        const organisationId = options.organisation ? await organisationIdFor(store.db, options.organisation) : undefined;
        printJson((await listStaffAccounts(store.db, cliActor, organisationId === undefined ? {} : { organisationId })).map(show));
      });
    });
  user
    .command('deactivate')
    .description('deactivate a member of staff: ends their sessions; their API tokens stop working')
    .requiredOption('--email <email>', 'their email address')
    .action(async (options: { email: string }) => {
      sayActor();
      await withStore(async (store) => {
        const result = await deactivateStaffAccount(store.db, cliActor, { email: options.email });
        printJson({ user: show(result.user), sessionsRevoked: result.sessionsRevoked, alreadyDeactivated: !result.changed });
      });
    });
  user
    .command('reset-password')
    .description('set a new one-time password (printed once, or read with --password-stdin) and end their sessions')
    .requiredOption('--email <email>', 'their email address')
    .option('--password-stdin', 'read the new password from standard input instead of generating one')
    .action(async (options: { email: string; passwordStdin?: boolean }) => {
      const password = options.passwordStdin ? await readPasswordFromStdin() : undefined;
      sayActor();
      await withStore(async (store) => {
        const result = await resetStaffPassword(store.db, cliActor, { email: options.email }, password !== undefined ? { password } : {});
        printJson({ user: show(result.user), sessionsRevoked: result.sessionsRevoked, ...(result.password ? { oneTimePassword: result.password } : {}) });
      });
    });
}
