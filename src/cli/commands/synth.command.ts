import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { RootsError } from '../../errors/roots-error.ts';
import type { RowProblem } from '../../imports/import.types.ts';
import { importReferralRows } from '../../imports/referral-import.service.ts';
import { loadAreaFrame, loadService } from '../../synth/area-frame.repository.ts';
import { writeReferralCsv } from '../../synth/csv.ts';
import {
  defaultSynthOptions,
  parseAgeGradient,
  parseAreaScope,
  parseEthnicityGradient,
  resolveSynthOptions,
  type SynthOptionsInput,
} from '../../synth/options.ts';
import { generateReferralRows, synthesise } from '../../synth/synthesise.ts';
import { computeTruth } from '../../synth/truth.ts';
import { printJson, withStore } from '../context.ts';
import { createProgress } from '../progress.ts';
import { CLI_SYSTEM_ACTOR } from '../actor.ts';

interface SynthFlags {
  people: number;
  seed: number;
  out?: string;
  truth?: string;
  area: string;
  yearEnd: string;
  service?: string;
  gradientDeprivation?: number;
  needDeprivation?: number;
  gradientEthnicity?: string;
  gradientAge?: string;
  gradientWait?: number;
  gradientDna?: number;
  gradientOutcome?: number;
  dnaRate?: number;
  repeatReferral?: number;
  ethnicityNotStated?: number;
  ethnicityNotKnown?: number;
  ethnicityBlank?: number;
  postcodeUnknown?: number;
  postcodeInvalid?: number;
  nfa?: number;
  areaCodeOmitted?: number;
}

const wholeNumber = (value: string) => {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
};
const number = (value: string) => {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new InvalidArgumentError('must be a number');
  return parsed;
};

export function registerSynthCommand(program: Command): void {
  const d = defaultSynthOptions;
  program
    .command('synth')
    .description(
      'generate synthetic people and a year of referrals, drawn from the real area populations in the reference data, ' +
        'with planted inequality gradients; writes the truth (every parameter and the values an audit should find) beside the output',
    )
    .requiredOption('--people <n>', 'number of people', wholeNumber)
    .requiredOption('--seed <n>', 'seed: the same seed and options give the same file', wholeNumber)
    .option('--out <file.csv>', 'write a referral CSV (and <file.csv>.truth.json); without it the rows go straight into the database through the importer and the truth is printed')
    .option('--truth <file.json>', 'where to write the truth sidecar (default <file.csv>.truth.json)')
    .option('--area <scope>', 'england, wales, icb:CODE or la:CODE', 'england')
    .option('--year-end <date>', 'last day of the year of referrals', d.yearEnd)
    .option('--service <code>', 'service the referrals are for (its pathways limit the mix); ORG/code when codes repeat')
    .option('--gradient-deprivation <x>', `access relative to need, most vs least deprived quintile (default ${d.gradients.deprivation})`, number)
    .option('--need-deprivation <x>', `need, most vs least deprived quintile (default ${d.gradients.need})`, number)
    .option('--gradient-ethnicity <list>', 'access multipliers by broad group, e.g. white=1,asian=0.8,black=0.85,mixed=0.9,other=0.85')
    .option('--gradient-age <list>', 'access multipliers by age, e.g. 0-15=1.2,65+=0.7 (default none)')
    .option('--gradient-wait <x>', `median wait, most vs least deprived (default ${d.gradients.wait})`, number)
    .option('--gradient-dna <x>', `did-not-attend rate, most vs least deprived (default ${d.gradients.dna})`, number)
    .option('--gradient-outcome <x>', `mean outcome improvement, most vs least deprived (default ${d.gradients.outcome})`, number)
    .option('--dna-rate <p>', `did-not-attend rate in the least deprived quintile (default ${d.dnaRate})`, number)
    .option('--repeat-referral <p>', `chance of a second referral in the year (default ${d.repeatReferral})`, number)
    .option('--ethnicity-not-stated <p>', `share recorded Z, not stated (default ${d.missing.ethnicityNotStated})`, number)
    .option('--ethnicity-not-known <p>', `share recorded 99, not known (default ${d.missing.ethnicityNotKnown})`, number)
    .option('--ethnicity-blank <p>', `share with ethnicity blank (default ${d.missing.ethnicityBlank})`, number)
    .option('--postcode-unknown <p>', `share with a well-formed postcode no lookup holds (default ${d.missing.postcodeUnknown})`, number)
    .option('--postcode-invalid <p>', `share with text that is not a postcode (default ${d.missing.postcodeInvalid})`, number)
    // Not --no-fixed-address: commander reads any --no- option as the negation of a boolean.
    .option('--nfa <p>', `share with no fixed address (default ${d.missing.noFixedAddress})`, number)
    .option('--area-code-omitted <p>', `of people with a real postcode, share whose area_code is left blank for the importer (default ${d.missing.areaCodeOmitted})`, number)
    .action(async (flags: SynthFlags) => {
      const input = optionsFrom(flags);
      resolveSynthOptions(input); // report bad options before opening the database
      await withStore(async (store) => {
        const started = performance.now();
        // Streaming into the database needs a service (the only one there is, when none is named).
        const service = flags.service || !flags.out ? await loadService(store.db, flags.service) : null;
        const options = resolveSynthOptions({ ...input, ...(service ? { serviceCode: `${service.organisationCode}/${service.code}`, pathways: service.pathways } : {}) });
        const frame = await loadAreaFrame(store.db, options.area);
        const truth = computeTruth(options, frame);
        const progress = createProgress('Synthesising people', options.people);
        let reported = 0;
        const hooks = {
          every: 1000,
          onProgress: (done: number) => {
            progress.increment(done - reported);
            reported = done;
          },
        };

        if (!flags.out) {
          const problems: RowProblem[] = [];
          let summary;
          try {
            summary = await importReferralRows(store, synthesise(options, frame, hooks), {
              service: options.serviceCode ?? undefined,
              // The synthetic year's last day is its "today": nothing in it is in the future.
              today: options.yearEnd,
              kind: 'synthetic',
              actor: CLI_SYSTEM_ACTOR,
              sourceName: `roots synth --seed ${options.seed}`,
              onProblem: (problem) => {
                if (problems.length < 20) problems.push(problem);
              },
            });
          } finally {
            progress.stop();
          }
          if (flags.truth) await writeTruth(flags.truth, truth);
          if (!summary.written && summary.rejected > 0) {
            throw new RootsError('IMPORT_REJECTED', {
              detail: `${summary.rejected} synthetic rows failed validation, so nothing was imported (a fault in the generator: please report it).`,
              problems: problems.map(({ row, field, reason }) => ({ row, ...(field ? { field } : {}), reason })),
            });
          }
          printJson({ import: summary, ...(flags.truth ? { truthFile: flags.truth } : {}), truth });
          return;
        }

        const truthPath = flags.truth ?? `${flags.out}.truth.json`;
        let written: { rows: number };
        try {
          written = await writeReferralCsv(generateReferralRows(options, frame, hooks), flags.out);
        } catch (error) {
          throw asWriteError(error, flags.out);
        } finally {
          progress.stop();
        }
        await writeTruth(truthPath, truth);
        printJson({
          out: flags.out,
          truth: truthPath,
          people: options.people,
          referrals: written.rows,
          area: truth.area.scope,
          areas: truth.area.areas,
          seconds: Math.round((performance.now() - started) / 100) / 10,
        });
      });
    });
}

async function writeTruth(path: string, truth: unknown): Promise<void> {
  await writeFile(path, `${JSON.stringify(truth, null, 2)}\n`, 'utf8').catch((error) => {
    throw asWriteError(error, path);
  });
}

function optionsFrom(flags: SynthFlags): SynthOptionsInput {
  const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    people: flags.people,
    seed: flags.seed,
    area: parseAreaScope(flags.area),
    yearEnd: flags.yearEnd,
    gradients: defined({
      deprivation: flags.gradientDeprivation,
      need: flags.needDeprivation,
      wait: flags.gradientWait,
      dna: flags.gradientDna,
      outcome: flags.gradientOutcome,
      ...(flags.gradientEthnicity !== undefined ? { ethnicity: parseEthnicityGradient(flags.gradientEthnicity) } : {}),
      ...(flags.gradientAge !== undefined ? { age: parseAgeGradient(flags.gradientAge) } : {}),
    }),
    ...defined({ dnaRate: flags.dnaRate, repeatReferral: flags.repeatReferral }),
    missing: defined({
      ethnicityNotStated: flags.ethnicityNotStated,
      ethnicityNotKnown: flags.ethnicityNotKnown,
      ethnicityBlank: flags.ethnicityBlank,
      postcodeUnknown: flags.postcodeUnknown,
      postcodeInvalid: flags.postcodeInvalid,
      noFixedAddress: flags.nfa,
      areaCodeOmitted: flags.areaCodeOmitted,
    }),
  };
}

function asWriteError(error: unknown, path: string): unknown {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR' || code === 'ENOSPC' || code === 'EROFS') {
    return new RootsError('BAD_REQUEST', { detail: `Cannot write ${path}: ${(error as Error).message}`, cause: error });
  }
  return error;
}
