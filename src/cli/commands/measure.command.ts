import { readFile } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import type { Command } from 'commander';
import type { MeasureOptions, ValueType } from '../../equity/measures/measure.ts';
import { parseMeasureCsv, runMeasure } from '../../equity/measures/measure.input.ts';
import { measureRegistry } from '../../equity/measures/registry.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { printJson } from '../context.ts';

interface MeasureFlags {
  input?: string;
  valueType?: string;
  transform?: boolean;
  scale?: string;
  favourable?: boolean;
  adverse?: boolean;
  reference?: string;
  confidence?: string;
  inputConfidence?: string;
  reps?: string;
  seed?: string;
  method?: string;
}

const number = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new RootsError('BAD_REQUEST', { detail: `${flag} must be a number, not "${value}".` });
  return parsed;
};

/** Turns command-line flags into measure options, refusing contradictions plainly. */
export function measureOptionsFromFlags(flags: MeasureFlags): Partial<MeasureOptions> {
  if (flags.favourable && flags.adverse) throw new RootsError('BAD_REQUEST', { detail: 'Give --favourable or --adverse, not both.' });
  if (flags.valueType && !['normal', 'rate', 'proportion'].includes(flags.valueType)) {
    throw new RootsError('BAD_REQUEST', { detail: '--value-type must be normal, rate or proportion.' });
  }
  const confidence = flags.confidence?.split(',').map((level) => number('--confidence', level.trim())!);
  return {
    valueType: flags.valueType as ValueType | undefined,
    transform: flags.transform,
    scale: number('--scale', flags.scale),
    favourable: flags.adverse ? false : flags.favourable ? true : undefined,
    reference: flags.reference,
    confidence,
    inputConfidence: number('--input-confidence', flags.inputConfidence),
    reps: number('--reps', flags.reps),
    seed: number('--seed', flags.seed),
    method: flags.method,
  };
}

export function registerMeasureCommand(program: Command): void {
  program
    .command('measure')
    .description('compute one equity measure from a CSV of groups and print it as JSON (no name: list the measures)')
    .argument('[name]', 'measure name, e.g. sii, rii, wilson, dsr, km, aci, who-sii, ti')
    .option('--input <file>', 'CSV with columns group, order, population, value and se | lower,upper | count,denominator (default: standard input)')
    .option('--value-type <type>', 'normal | rate | proportion')
    .option('--transform', 'fit on the log (rate) or logit (proportion) scale')
    .option('--scale <n>', 'scale of the values, e.g. 100 for percentages, 1000 for rates per 1,000')
    .option('--favourable', 'a higher value is better (default)')
    .option('--adverse', 'a higher value is worse')
    .option('--reference <group>', 'reference group, for measures compared with one')
    .option('--confidence <levels>', 'confidence levels, comma separated, e.g. 0.95,0.998')
    .option('--input-confidence <level>', 'confidence level of the supplied lower/upper limits (default 0.95)')
    .option('--reps <n>', 'Monte Carlo repetitions (default 100000)')
    .option('--seed <n>', 'Monte Carlo seed (default 1)')
    .option('--method <variant>', 'method variant where a measure has several, e.g. phe | nhse for sii')
    .action(async (name: string | undefined, flags: MeasureFlags) => {
      if (!name) {
        printJson([...measureRegistry.values()].map(({ name: measure, summary, requiresOrder, methods }) => ({ measure, summary, requiresOrder, methods: methods ?? [] })));
        return;
      }
      if (!measureRegistry.has(name)) {
        throw new RootsError('UNKNOWN_MEASURE', { detail: `There is no measure "${name}". Known: ${[...measureRegistry.keys()].sort().join(', ')}.` });
      }
      const options = measureOptionsFromFlags(flags);
      let csv: string;
      try {
        csv = flags.input ? await readFile(flags.input, 'utf8') : await text(process.stdin);
      } catch (error) {
        throw new RootsError('FILE_NOT_FOUND', { detail: `Cannot read ${flags.input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.` });
      }
      try {
        printJson(runMeasure(name, parseMeasureCsv(csv), options));
      } catch (error) {
        throw new RootsError('MEASURE_INPUT_INVALID', { detail: (error as Error).message, cause: error });
      }
    });
}
