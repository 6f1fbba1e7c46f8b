import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../config/config.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { downloadReferencePack } from '../../reference/reference.download.ts';
import { importReferencePack } from '../../reference/reference.import.ts';
import { REFERENCE_ATTRIBUTION, referenceSources } from '../../reference/reference.sources.ts';
import { printJson, withStore } from '../context.ts';
import { createProgress } from '../progress.ts';

export function registerReferenceCommands(program: Command): void {
  const reference = program
    .command('reference')
    .description('Reference data: deprivation indices, postcode lookup, geography lookups and population');

  reference
    .command('import')
    .description('import every reference file recognised in a folder and print a JSON summary (rows per dataset, seconds)')
    .option('--dir <dir>', 'the reference pack folder (default: ROOTS_REFERENCE_DIR)')
    .option('--force', 'import every file, even those already loaded unchanged (same SHA-256)')
    .action(async (options: { dir?: string; force?: boolean }) => {
      const config = loadConfig();
      const dir = referenceFolder(options.dir, config.referenceDir);
      await withStore(async (store) => {
        const summary = await importReferencePack(store, dir, { force: options.force === true, progress: (label, total) => createProgress(label, total) });
        printJson(summary);
      }, config);
    });

  reference
    .command('download')
    .description('download the reference files that have a stable official link, and list where to get the others')
    .option('--dir <dir>', 'the folder to download into (default: ROOTS_REFERENCE_DIR)')
    .option('--list', 'print the official sources (publisher, page, link, licence, attribution, layout) as JSON and download nothing')
    .action(async (options: { dir?: string; list?: boolean }) => {
      if (options.list) {
        printJson({ attribution: REFERENCE_ATTRIBUTION, sources: referenceSources });
        return;
      }
      // The configuration is read only when no folder is given: --dir works before any is set up.
      const dir = referenceFolder(options.dir, options.dir ? undefined : loadConfig().referenceDir);
      printJson(await downloadReferencePack(dir));
    });
}

function referenceFolder(given: string | undefined, configured: string | undefined): string {
  if (given) return resolve(given);
  if (configured) return configured;
  throw new RootsError('BAD_REQUEST', {
    detail: 'Say which folder holds the reference pack: give --dir DIR, or set ROOTS_REFERENCE_DIR (for the sample pack, ../shared/reference).',
  });
}
