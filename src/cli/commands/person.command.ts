import type { Command } from 'commander';
import { subjectAccessExport } from '../../audit-trail/subject-access.ts';
import { asOption, resolveCliActor } from '../actor.ts';
import { withStore } from '../context.ts';
import { openOutput } from '../output.ts';

interface ExportFlags {
  organisation: string;
  person?: string;
  nhsNumber?: string;
  out?: string;
}

export function registerPersonCommands(program: Command): void {
  const person = program.command('person').description('a person\'s records');
  person
    .command('export')
    .description('subject access export: everything Roots holds about one person, as JSON (audited)')
    .requiredOption('--organisation <CODE>', 'the organisation that holds the records')
    .option('--person <id>', 'the person\'s identifier in the source system (source_person_id)')
    .option('--nhs-number <number>', 'or their NHS number')
    .option('--out <file>', 'where to write (default: standard output); created readable by you only')
    .action(async (flags: ExportFlags, command: Command) => {
      await withStore(async (store) => {
        const actor = await resolveCliActor(store.db, asOption(command));
        const found = await subjectAccessExport(store.db, actor, { organisationCode: flags.organisation, sourcePersonId: flags.person, nhsNumber: flags.nhsNumber });
        const output = openOutput(flags.out);
        try {
          await output.write(`${JSON.stringify(found, null, 2)}\n`);
        } finally {
          await output.close();
        }
        if (flags.out) process.stderr.write(`Subject access export of ${found.people.length} person record(s) written to ${flags.out}\n`);
      });
    });
}
