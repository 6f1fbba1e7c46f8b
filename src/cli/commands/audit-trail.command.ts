import type { Command } from 'commander';
import { z } from 'zod';
import { exportAuditTrail } from '../../audit-trail/audit-trail.export.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { asOption, resolveCliActor } from '../actor.ts';
import { withStore } from '../context.ts';
import { openOutput } from '../output.ts';

const flagsSchema = z.object({
  from: z.string(),
  to: z.string(),
  format: z.enum(['csv', 'json']),
  out: z.string().optional(),
});

export function registerAuditTrailCommands(program: Command): void {
  const trail = program.command('audit-trail').description('the append-only record of who read or changed what');
  trail
    .command('export')
    .description('export the audit trail of a window of days (UTC) as CSV or JSON, for a data protection officer; the export is itself audited')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (included)')
    .option('--format <format>', 'csv | json', 'csv')
    .option('--out <file>', 'where to write (default: standard output); created readable by you only')
    .action(async (raw: Record<string, string | undefined>, command: Command) => {
      const parsed = flagsSchema.safeParse(raw);
      if (!parsed.success) throw new RootsError('BAD_REQUEST', { detail: parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ') });
      const flags = parsed.data;
      await withStore(async (store) => {
        const actor = await resolveCliActor(store.db, asOption(command));
        const output = openOutput(flags.out);
        const done = await exportAuditTrail(store.db, actor, { from: flags.from, to: flags.to, format: flags.format }, output.write).finally(() => output.close());
        if (flags.out) process.stderr.write(`${done.entries} audit trail entries, ${done.from} to ${done.to}, written to ${flags.out}\n`);
      });
    });
}
