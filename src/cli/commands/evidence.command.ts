import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { z } from 'zod';
import { evidenceKinds, evidencePacks, type EvidenceFigureInput } from '../../economics/evidence.ts';
import { exportEvidence, importEvidence, listEvidence, seedEvidence } from '../../economics/evidence.service.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { toCsvText } from '../../reports/csv.ts';
import { asOption, resolveCliActor } from '../actor.ts';
import { printJson, withStore } from '../context.ts';
import { openOutput } from '../output.ts';

const filterFlags = z.object({
  pack: z.enum(evidencePacks).optional(),
  kind: z.enum(evidenceKinds).optional(),
  untraced: z.boolean().optional(),
  format: z.enum(['json', 'csv']).default('json'),
  out: z.string().optional(),
});

function parseFlags(raw: unknown) {
  const parsed = filterFlags.safeParse(raw);
  if (!parsed.success) throw new RootsError('BAD_REQUEST', { detail: parsed.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ') });
  return parsed.data;
}

const csvHeader = ['key', 'pack', 'edition', 'label', 'kind', 'low', 'central', 'high', 'unit', 'price_year', 'geography', 'source_title', 'source_organisation', 'source_year', 'source_locator', 'source_url', 'report_reference', 'licence', 'confidence', 'traced', 'notes'];
const csvRow = (f: EvidenceFigureInput) => [f.key, f.pack, f.edition, f.label, f.kind, f.low, f.central, f.high, f.unit, f.priceYear, f.geography, f.source.title, f.source.organisation, f.source.year, f.source.locator, f.source.url, f.source.reportReference, f.licence, f.confidence, String(f.traced), f.notes];

/** `roots evidence list|export|import|seed`: the evidence register from the command line. */
export function registerEvidenceCommands(program: Command): void {
  const evidence = program.command('evidence').description('the evidence register: every figure a business case may use, with its source, licence and confidence');
  const filters = (command: Command) =>
    command
      .option('--pack <pack>', evidencePacks.join(' | '))
      .option('--kind <kind>', evidenceKinds.join(' | '))
      .option('--untraced', 'only figures not traced to a primary source');

  filters(evidence.command('list').description('the current figures as JSON: each with its version, source and whether it may stand in a headline; and any basis-change warnings')).action(
    async (raw: Record<string, unknown>, command: Command) => {
      const flags = parseFlags(raw);
      await withStore(async (store) => {
        const actor = await resolveCliActor(store.db, asOption(command));
        const listing = await listEvidence(store.db, actor, { pack: flags.pack, kind: flags.kind, traced: flags.untraced ? false : undefined });
        printJson({
          figures: listing.figures.map((f) => ({ key: f.key, version: f.version, pack: f.pack, edition: f.edition, label: f.label, kind: f.kind, low: f.low, central: f.central, high: f.high, unit: f.unit, priceYear: f.priceYear, confidence: f.confidence, traced: f.traced, headline: f.headline, source: f.source, licence: f.licence })),
          basisWarnings: listing.basisWarnings,
        });
      });
    },
  );

  filters(evidence.command('export').description('the current figures as an importable pack (JSON) or a spreadsheet (CSV)'))
    .option('--format <format>', 'json | csv', 'json')
    .option('--out <file>', 'where to write (default: standard output)')
    .action(async (raw: Record<string, unknown>, command: Command) => {
      const flags = parseFlags(raw);
      await withStore(async (store) => {
        const actor = await resolveCliActor(store.db, asOption(command));
        const figures = await exportEvidence(store.db, actor, { pack: flags.pack, kind: flags.kind, traced: flags.untraced ? false : undefined });
        const output = openOutput(flags.out);
        const text = flags.format === 'csv' ? toCsvText([csvHeader, ...figures.map(csvRow)], { bom: true, crlf: true }) : `${JSON.stringify(figures, null, 2)}\n`;
        await output.write(text).finally(() => output.close());
        if (flags.out) process.stderr.write(`${figures.length} figures written to ${flags.out}\n`);
      });
    });

  evidence
    .command('import')
    .argument('<file>', 'a JSON array of figures, as `roots evidence export` writes')
    .description('add figures or new versions of them (administrators; --as EMAIL); one bad row rejects the file, with every problem by row')
    .action(async (file: string, _raw: unknown, command: Command) => {
      let data: unknown;
      try {
        data = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new RootsError('FILE_NOT_FOUND', { detail: `${file} cannot be read.` });
        throw new RootsError('FORMAT_NOT_RECOGNISED', { detail: `${file} is not JSON.` });
      }
      await withStore(async (store) => {
        const actor = await resolveCliActor(store.db, asOption(command));
        printJson(await importEvidence(store.db, actor, data));
      });
    });

  evidence
    .command('seed')
    .description('write the built-in packs (the report\'s figures, open figures and, unless left out, the non-commercial pack) for keys not yet in the register')
    .option('--without-non-commercial', 'leave out the pack licensed for non-commercial use only')
    .action(async (raw: { withoutNonCommercial?: boolean }, command: Command) => {
      await withStore(async (store) => {
        const actor = await resolveCliActor(store.db, asOption(command));
        const packs = raw.withoutNonCommercial ? (['report', 'open'] as const) : (['report', 'open', 'non_commercial'] as const);
        printJson(await seedEvidence(store.db, actor, packs));
      });
    });
}


