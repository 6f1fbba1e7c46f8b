import { statSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { RootsError, type Problem } from '../../errors/roots-error.ts';
import { openErrorReport } from '../../imports/import-report.writer.ts';
import type { ImportOptions, ImportSummary, RowProblem } from '../../imports/import.types.ts';
import { importFhirBundle } from '../../imports/fhir-import.service.ts';
import { authoriseImport, importReferralCsv } from '../../imports/referral-import.service.ts';
import { asOption, resolveCliActor } from '../actor.ts';
import { printJson, withStore } from '../context.ts';
import { createProgress } from '../progress.ts';

interface ImportFlags {
  service?: string;
  dryRun?: boolean;
  acceptPartial?: boolean;
  errors?: string;
  batchSize?: number;
}

const batchSize = (value: string) => {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1 || Number(value) > 50_000) throw new InvalidArgumentError('must be a whole number from 1 to 50000');
  return Number(value);
};

export function registerImportCommands(program: Command): void {
  const imports = program.command('import').description('import referrals from CSV files and FHIR R4 bundles (docs/import-format.md)');

  const common = (command: Command) =>
    command
      .option('--service <code>', 'service to import into: ORGANISATION/code, or a code only one organisation uses; may be left out when there is only one service')
      .option('--dry-run', 'validate and report what would change, write nothing')
      .option('--accept-partial', 'import the valid rows even when some are rejected (committed batch by batch)')
      .option('--errors <report.csv>', 'where to write the row-level error report (default: beside the input, NAME.errors.csv)')
      .option('--batch-size <rows>', 'rows written per batch', batchSize);

  common(imports.command('referrals <file>'))
    .description('import a referral CSV file; prints a JSON summary, exits 65 (IMPORT_REJECTED) when any row is rejected')
    .action(async (file: string, flags: ImportFlags, command: Command) => {
      await runImportCommand(file, flags, asOption(command), 'csv', (store, options, onBytes) => importReferralCsv(store, file, { ...options, onBytes }));
    });

  common(imports.command('fhir <bundle>'))
    .description('import a FHIR R4 Bundle of Patient and ServiceRequest resources (UK Core); same rules and summary as CSV')
    .action(async (file: string, flags: ImportFlags, command: Command) => {
      await runImportCommand(file, flags, asOption(command), 'fhir', (store, options) => importFhirBundle(store, file, options));
    });
}

type Runner = (
  store: Parameters<Parameters<typeof withStore>[0]>[0],
  options: ImportOptions,
  onBytes: (read: number, total: number) => void,
) => Promise<ImportSummary>;

async function runImportCommand(file: string, flags: ImportFlags, as: string | undefined, kind: 'csv' | 'fhir', run: Runner): Promise<void> {
  await withStore(async (store) => {
    // Who imports: --as a member of staff, or system:cli. The import service checks it first
    // (authoriseImport), before the file is opened or anything is written; a refusal is audited.
    const actor = await resolveCliActor(store.db, as);
    await authoriseImport(store.db, { actor, service: flags.service });
    const report = openErrorReport(flags.errors ?? defaultReportPath(file), file, kind);
    // The first few problems go to standard error without their values; the report has them all.
    const shown: Problem[] = [];
    const progress = createProgress(kind === 'csv' ? 'Importing referrals' : 'Importing FHIR bundle', fileSize(file));
    let shownBytes = 0;
    let summary: ImportSummary;
    try {
      summary = await run(
        store,
        {
          service: flags.service,
          dryRun: flags.dryRun,
          acceptPartial: flags.acceptPartial,
          batchSize: flags.batchSize,
          actor,
          onProblem: (problem: RowProblem) => {
            if (shown.length < 20) shown.push({ row: problem.row, ...(problem.field ? { field: problem.field } : {}), reason: problem.reason });
            return report.add(problem);
          },
          // Imported rows whose journey staff own in Roots: listed in the same report, marked as notices.
          onNotice: (notice: RowProblem) => report.add({ ...notice, reason: `notice (row imported): ${notice.reason}` }),
        },
        (read) => {
          progress.increment(read - shownBytes);
          shownBytes = read;
        },
      );
    } catch (error) {
      progress.stop();
      await report.close().catch(() => null);
      throw error;
    }
    progress.stop();
    summary.errorReport = await report.close();
    printJson(summary);
    if (summary.notices > 0 && summary.rejected === 0) {
      const verb = summary.mode === 'dry_run' ? 'would keep' : 'kept';
      process.stderr.write(`${summary.notices} of ${summary.read} rows are of referrals staff have acted on in Roots: Roots ${verb} their work and did not apply the file's triage, waiting list, outcome or discharge for them. Each is listed in ${summary.errorReport}.\n`);
    }
    if (summary.rejected > 0) {
      const where = summary.errorReport ? ` Every problem is listed in ${summary.errorReport}.` : '';
      const detail =
        summary.mode === 'dry_run'
          ? `${summary.rejected} of ${summary.read} rows would be rejected (dry run: nothing was written).${where}`
          : summary.mode === 'accept_partial'
            ? `${summary.rejected} of ${summary.read} rows were rejected; the other rows were imported.${where}`
            : `${summary.rejected} of ${summary.read} rows cannot be imported, so nothing was written.${where} Fix them and import the file again, or use --accept-partial to import the valid rows.`;
      throw new RootsError('IMPORT_REJECTED', { detail, problems: shown });
    }
  });
}

/** referrals.csv -> referrals.errors.csv, beside the input. */
export function defaultReportPath(file: string): string {
  const dot = file.lastIndexOf('.');
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return dot > slash + 1 ? `${file.slice(0, dot)}.errors.csv` : `${file}.errors.csv`;
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
