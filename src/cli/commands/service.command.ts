import type { Command } from 'commander';
import * as codes from '../../domain/codes.ts';
import { createService, type NewService } from '../../organisations/service.repository.ts';
import { printJson, withStore } from '../context.ts';

interface CreateOptions {
  organisation: string;
  organisationName?: string;
  code: string;
  name: string;
  setting: string;
  nation?: string;
  icb?: string;
  localAuthority?: string;
  pathways?: string;
}

export function registerServiceCommands(program: Command): void {
  const service = program.command('service').description('Organisations and their OT services');
  service
    .command('create')
    .description('create a service (and its organisation, when --organisation-name is given and it is new); prints its id')
    .requiredOption('--organisation <CODE>', 'organisation code (capitals, digits, hyphens)')
    .option('--organisation-name <name>', 'the organisation\'s name, to create it when it does not exist')
    .requiredOption('--code <code>', 'service code within the organisation (small letters, digits, hyphens)')
    .requiredOption('--name <name>', 'the service\'s name')
    .requiredOption('--setting <setting>', `one of ${codes.serviceSetting.values.join(', ')}`)
    .option('--nation <E|W|S|N>', 'nation the service works in', 'E')
    .option('--icb <code>', 'ICB the service covers (its catchment for the equity audit)')
    .option('--local-authority <code>', 'local authority the service covers (a narrower catchment)')
    .option('--pathways <list>', `comma-separated pathways (default all: ${codes.pathway.values.join(', ')})`)
    .action(async (options: CreateOptions) => {
      const input = {
        organisationCode: options.organisation,
        organisationName: options.organisationName,
        code: options.code,
        name: options.name,
        setting: options.setting,
        nation: options.nation,
        icbCode: options.icb,
        localAuthorityCode: options.localAuthority,
        pathways: options.pathways?.split(',').map((pathway) => pathway.trim()),
      } as NewService;
      await withStore(async (store) => {
        // Run as the documented system actor 'cli' (an --as option may name a member of staff).
        const created = await createService(store.db, input, { kind: 'system', name: 'cli' });
        printJson({ service: `${options.organisation}/${options.code}`, ...created });
      });
    });
  service
    .command('list')
    .description('list every service with its organisation, as JSON')
    .action(async () => {
      await withStore(async (store) => {
        const rows = await store.db
          .selectFrom('service')
          .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
          .select(['organisation.code as organisation', 'service.code as code', 'service.name as name', 'service.setting as setting', 'service.nation as nation', 'service.icb_code as icb', 'service.local_authority_code as localAuthority'])
          .orderBy('organisation.code')
          .orderBy('service.code')
          .execute();
        printJson(rows.map((row) => ({ service: `${row.organisation}/${row.code}`, ...row })));
      });
    });
}
