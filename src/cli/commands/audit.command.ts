import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { lastTwelveMonths, equityAuditFor, referralDateRange } from '../../equity/audit/audit.service.ts';
import { twelveMonthsEndingOn } from '../../equity/audit/audit.periods.ts';
import { nationalDisclosureRule, nhsDisclosureRule, suppressionOnlyRule } from '../../disclosure/disclosure.ts';
import { toCsv } from '../../equity/outputs/csv.output.ts';
import { toHtmlReport } from '../../equity/outputs/html.report.ts';
import { toJson } from '../../equity/outputs/json.output.ts';
import { toXlsx } from '../../equity/outputs/xlsx.output.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { createViews } from '../../http/views.ts';
import { findServiceByReference } from '../../organisations/service.repository.ts';
import { asOption, resolveCliActor } from '../actor.ts';
import { withStore } from '../context.ts';
import { forTerminal } from '../terminal.ts';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD');
const auditFlags = z.object({
  service: z.string().optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  asOf: isoDate.optional(),
  format: z.enum(['json', 'csv', 'xlsx', 'html']),
  out: z.string().optional(),
  rule: z.enum(['nhs', 'suppression-only', 'national']),
});

const rules = { nhs: nhsDisclosureRule, 'suppression-only': suppressionOnlyRule, national: nationalDisclosureRule } as const;

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('run the equity audit of a service and write it as JSON, CSV, XLSX or an HTML report (disclosure-controlled)')
    .option('--service <code>', 'service: ORGANISATION/code, or a code only one organisation uses (may be left out when there is one service)')
    .option('--from <date>', 'first day of referrals received (default: a year before --to; with neither, the 12 months ending at the latest referral)')
    .option('--to <date>', 'last day of referrals received (default: today; with neither, the latest referral)')
    .option('--as-of <date>', 'date at which people still waiting are counted (default: --to)')
    .option('--format <format>', 'json | csv | xlsx | html', 'json')
    .option('--out <file>', 'where to write (default: standard output; required for xlsx)')
    .option('--rule <rule>', 'disclosure rule: nhs (1-7 suppressed, rounded to 5) | suppression-only | national (no control: national figures only)', 'nhs')
    .action(async (raw: Record<string, string | undefined>, command: Command) => {
      const parsed = auditFlags.safeParse(raw);
      if (!parsed.success) {
        throw new RootsError('BAD_REQUEST', { detail: parsed.error.issues.map((i) => `--${String(i.path[0])} ${i.message}`).join('; ') });
      }
      const flags = parsed.data;
      if (flags.format === 'xlsx' && !flags.out) throw new RootsError('BAD_REQUEST', { detail: 'An XLSX workbook needs --out FILE.xlsx.' });
      const today = new Date().toISOString().slice(0, 10);
      await withStore(async (store) => {
        const actor = await resolveCliActor(store.db, asOption(command));
        const service = await findServiceByReference(store.db, flags.service);
        let period = { ...lastTwelveMonths(flags.to ?? today), ...(flags.from ? { from: flags.from } : {}) };
        if (!flags.from && !flags.to) {
          // No period given: the latest data, not an empty year ending today.
          const referrals = await referralDateRange(store.db, service.id);
          if (!referrals) {
            throw new RootsError('NOT_FOUND', {
              detail: `${service.name} has no referrals yet, so there is nothing to audit. Import them first (roots import referrals FILE), or give --from and --to to audit a period anyway.`,
            });
          }
          period = twelveMonthsEndingOn(referrals.latest);
          process.stderr.write(forTerminal(`No period given: auditing the 12 months ending at the latest referral, ${period.from} to ${period.to}.`) + '\n');
        }
        const audit = await equityAuditFor(
          store.db,
          actor,
          { serviceId: service.id, from: period.from, to: period.to, ...(flags.asOf ? { asOf: flags.asOf } : {}) },
          { rule: rules[flags.rule], parallel: store.engine === 'postgresql' },
        );
        const output =
          flags.format === 'json' ? toJson(audit)
          : flags.format === 'csv' ? toCsv(audit)
          : flags.format === 'xlsx' ? toXlsx(audit)
          : await toHtmlReport(audit, createViews());
        if (flags.out) await writeFile(flags.out, output);
        else process.stdout.write(typeof output === 'string' ? output : output.toString('binary'));
        if (flags.out) process.stderr.write(`${forTerminal(`Equity audit of ${service.name}, ${period.from} to ${period.to}, written to ${flags.out}`)}\n`);
      });
    });
}
