/**
 * Input for `roots measure <name>`: one CSV row per group, validated, and the call into the
 * measure registry with Roots' defaults.
 *
 * Columns (header names are matched ignoring case, spaces, underscores and hyphens):
 *   group                 label (required; for dsr the age band, for km a label for the time)
 *   order                 rank for ordered dimensions, 1 = most disadvantaged (km: the time)
 *   population            group population (defaults to denominator, or count + censored)
 *   value                 indicator value (defaults to count / denominator, or count / population)
 *   se | lower, upper     standard error, or confidence limits, of value
 *   count, denominator    events and denominator
 *   national_population   NHS England SII: the quantile's national population
 *   censored              km: people still waiting at this time
 *   standard_population   dsr: the band's standard population (default ESP 2013)
 *   reference_count, reference_population   isr: the band's reference events and population
 * Aliases: time -> order, events -> count, age_band -> group, lower_cl -> lower, upper_cl -> upper,
 * standard_error -> se.
 */
import { z } from 'zod';
import { parse } from 'csv-parse/sync';
import type { GroupInput, MeasureOptions, MeasureResult } from './measure.ts';
import { measureRegistry } from './registry.ts';

const NUMBER_PATTERN = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const THOUSANDS_PATTERN = /^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/;

/** An optional numeric cell: empty means absent; otherwise a plain decimal number. */
function numberCell(rule: 'any' | 'nonNegative' | 'positive' = 'any') {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = (raw ?? '').trim();
      if (text === '' || /^(na|n\/a|null)$/i.test(text)) return undefined;
      const plain = THOUSANDS_PATTERN.test(text) ? text.replace(/,/g, '') : text;
      if (!NUMBER_PATTERN.test(plain)) {
        ctx.addIssue({ code: 'custom', message: 'is not a number' });
        return z.NEVER;
      }
      const n = Number(plain);
      if (!Number.isFinite(n)) {
        ctx.addIssue({ code: 'custom', message: 'is not a finite number' });
        return z.NEVER;
      }
      if (rule === 'nonNegative' && n < 0) {
        ctx.addIssue({ code: 'custom', message: 'must be zero or more' });
        return z.NEVER;
      }
      if (rule === 'positive' && n <= 0) {
        ctx.addIssue({ code: 'custom', message: 'must be greater than zero' });
        return z.NEVER;
      }
      return n;
    });
}

/** One CSV row, as strings from the parser, to a GroupInput. */
export const measureCsvRowSchema = z
  .object({
    group: z.string({ error: 'is required' }).trim().min(1, { error: 'is required' }),
    order: numberCell(),
    population: numberCell('nonNegative'),
    value: numberCell(),
    se: numberCell('nonNegative'),
    lower: numberCell(),
    upper: numberCell(),
    count: numberCell('nonNegative'),
    denominator: numberCell('nonNegative'),
    nationalPopulation: numberCell('positive'),
    censored: numberCell('nonNegative'),
    standardPopulation: numberCell('nonNegative'),
    referenceCount: numberCell('nonNegative'),
    referencePopulation: numberCell('positive'),
  })
  .transform((row, ctx): GroupInput => {
    const population = row.population ?? row.denominator ?? (row.count !== undefined || row.censored !== undefined ? (row.count ?? 0) + (row.censored ?? 0) : undefined);
    if (population === undefined) {
      ctx.addIssue({ code: 'custom', path: ['population'], message: 'is required (or give denominator, or count and censored)' });
      return z.NEVER;
    }
    const base = row.denominator ?? population;
    const value = row.value ?? (row.count !== undefined ? (base > 0 ? row.count / base : 0) : undefined);
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'is required (or give count and denominator)' });
      return z.NEVER;
    }
    if ((row.lower === undefined) !== (row.upper === undefined)) {
      ctx.addIssue({ code: 'custom', path: [row.lower === undefined ? 'lower' : 'upper'], message: 'lower and upper must be given together' });
      return z.NEVER;
    }
    if (row.lower !== undefined && row.upper !== undefined && row.lower > row.upper) {
      ctx.addIssue({ code: 'custom', path: ['upper'], message: `is below lower (${row.lower})` });
      return z.NEVER;
    }
    const group: GroupInput = { group: row.group, population, value };
    for (const key of ['order', 'se', 'lower', 'upper', 'count', 'denominator', 'nationalPopulation', 'censored', 'standardPopulation', 'referenceCount', 'referencePopulation'] as const) {
      if (row[key] !== undefined) group[key] = row[key];
    }
    return group;
  });

const CANONICAL: Record<string, string> = {
  group: 'group',
  ageband: 'group',
  order: 'order',
  time: 'order',
  population: 'population',
  value: 'value',
  se: 'se',
  standarderror: 'se',
  lower: 'lower',
  lowercl: 'lower',
  upper: 'upper',
  uppercl: 'upper',
  count: 'count',
  events: 'count',
  denominator: 'denominator',
  nationalpopulation: 'nationalPopulation',
  censored: 'censored',
  standardpopulation: 'standardPopulation',
  referencecount: 'referenceCount',
  referencepopulation: 'referencePopulation',
};

const FIELD_LABEL: Record<string, string> = {
  nationalPopulation: 'national_population',
  standardPopulation: 'standard_population',
  referenceCount: 'reference_count',
  referencePopulation: 'reference_population',
};

function canonicalHeader(header: string): string | undefined {
  return CANONICAL[header.toLowerCase().replace(/[\s_-]+/g, '')];
}

/**
 * Parses a measure CSV (header row first) into groups. Throws one Error listing every bad row:
 * row number, line, field, value and reason.
 */
export function parseMeasureCsv(text: string): GroupInput[] {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (error) {
    throw new Error(`measure CSV could not be read: ${(error as Error).message}`);
  }
  if (records.length === 0) throw new Error('measure CSV is empty: expected a header row (group, population, value, ...) and one row per group');
  const header = records[0]!;
  const fields = header.map((h) => canonicalHeader(h));
  const unknown = header.filter((_, i) => fields[i] === undefined);
  if (unknown.length > 0) {
    throw new Error(
      `measure CSV has unknown column(s) ${unknown.map((h) => `'${h}'`).join(', ')}; accepted: group, order, population, value, se, lower, upper, count, denominator, national_population, censored, standard_population, reference_count, reference_population`,
    );
  }
  const seen = new Map<string, string>();
  for (const [i, f] of fields.entries()) {
    if (seen.has(f!)) throw new Error(`measure CSV columns '${seen.get(f!)}' and '${header[i]}' are the same field`);
    seen.set(f!, header[i]!);
  }
  if (!seen.has('group')) throw new Error("measure CSV needs a 'group' column");

  const groups: GroupInput[] = [];
  const problems: string[] = [];
  records.slice(1).forEach((cells, index) => {
    const raw: Record<string, string> = {};
    fields.forEach((f, i) => {
      raw[f!] = cells[i] ?? '';
    });
    const parsed = measureCsvRowSchema.safeParse(raw);
    if (parsed.success) {
      groups.push(parsed.data);
      return;
    }
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'row');
      const column = seen.get(field) ?? FIELD_LABEL[field] ?? field;
      const value = raw[field] ?? '';
      problems.push(`row ${index + 1} (line ${index + 2}): ${column} = '${value}': ${issue.message}`);
    }
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, 50);
    const more = problems.length > shown.length ? `\n... and ${problems.length - shown.length} more` : '';
    throw new Error(`measure CSV has ${problems.length} problem(s):\n${shown.join('\n')}${more}`);
  }
  if (groups.length === 0) throw new Error('measure CSV has a header but no rows');
  return groups;
}

export const MEASURE_DEFAULTS: MeasureOptions = {
  valueType: 'normal',
  transform: false,
  scale: 1,
  favourable: true,
  confidence: [0.95],
  reps: 100_000,
  seed: 1,
};

/**
 * Runs a measure from the registry with Roots' defaults (value type normal, no transform, scale 1,
 * favourable, 95%, 100,000 repetitions, seed 1) under the supplied options.
 */
export function runMeasure(name: string, groups: GroupInput[], options: Partial<MeasureOptions>): MeasureResult {
  const definition = measureRegistry.get(name);
  if (definition === undefined) {
    throw new Error(`unknown measure '${name}'; available: ${[...measureRegistry.keys()].sort().join(', ')}`);
  }
  const supplied = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<MeasureOptions>;
  const merged: MeasureOptions = { ...MEASURE_DEFAULTS, ...supplied };
  if (definition.methods !== undefined && definition.methods.length > 0) {
    const method = merged.method ?? definition.methods[0]!;
    if (!definition.methods.includes(method)) throw new Error(`measure '${name}' has no method '${method}'; use one of: ${definition.methods.join(', ')}`);
    merged.method = method;
  } else if (merged.method !== undefined) {
    throw new Error(`measure '${name}' has only one method; do not pass a method`);
  }
  if (!Array.isArray(merged.confidence) || merged.confidence.length === 0 || merged.confidence.some((c) => !(c > 0 && c < 1))) {
    throw new Error(`confidence levels must be probabilities strictly between 0 and 1, e.g. 0.95 or 0.998; got ${JSON.stringify(merged.confidence)}`);
  }
  if (!(Number.isInteger(merged.reps) && merged.reps > 0)) throw new Error(`reps must be a whole number greater than zero, got ${merged.reps}`);
  if (!Number.isFinite(merged.seed)) throw new Error(`seed must be a finite number, got ${merged.seed}`);
  if (!(merged.scale > 0)) throw new Error(`scale must be greater than zero, got ${merged.scale}`);
  if (groups.length === 0) throw new Error(`measure '${name}' needs at least one group`);
  if (definition.requiresOrder) {
    const missing = groups.filter((g) => g.order === undefined || !Number.isFinite(g.order)).map((g) => g.group);
    if (missing.length > 0) throw new Error(`measure '${name}' needs an order for every group; missing for: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', ...' : ''}`);
  }
  return definition.compute(groups, merged);
}
