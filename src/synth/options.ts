import { pathway as pathwayCodes, type Pathway } from '../domain/codes.ts';
import type { Problem } from '../errors/roots-error.ts';
import { RootsError } from '../errors/roots-error.ts';

/** Where people are drawn from: all of one nation, one ICB or one local authority. */
export type AreaScope =
  | { kind: 'england' }
  | { kind: 'wales' }
  | { kind: 'icb'; code: string }
  | { kind: 'la'; code: string };

/** Broad ethnic groups that carry a planted access multiplier (the unknowns carry none). */
export const plantedEthnicGroups = ['white', 'mixed', 'asian', 'black', 'other'] as const;
export type PlantedEthnicGroup = (typeof plantedEthnicGroups)[number];

/** A multiplier on referral rate for ages `from` to `to` (null: no upper limit). */
export interface AgeMultiplier {
  from: number;
  to: number | null;
  multiplier: number;
}

export interface SynthGradients {
  /**
   * Access relative to need, most deprived quintile over least deprived (1 = equal access).
   * Log-linear across quintiles: quintile q gets deprivation^((5 - q) / 4).
   */
  deprivation: number;
  /** Need (referral rate the population would generate with equal access), most over least deprived. */
  need: number;
  /** Access multipliers by broad ethnic group, within each deprivation quintile (white = 1 by default). */
  ethnicity: Record<PlantedEthnicGroup, number>;
  /** Access multipliers by age range; ages not covered get 1. */
  age: AgeMultiplier[];
  /** Median wait, most deprived over least deprived, for the same priority and pathway. */
  wait: number;
  /** Did-not-attend rate per appointment, most deprived over least deprived. */
  dna: number;
  /** Mean improvement on outcome measures, most deprived over least deprived. */
  outcome: number;
}

export interface SynthMissingShares {
  /** Recorded as Z (not stated). */
  ethnicityNotStated: number;
  /** Recorded as 99 (not known). */
  ethnicityNotKnown: number;
  /** Left blank. */
  ethnicityBlank: number;
  /** A well-formed postcode that no reference file holds (area left blank). */
  postcodeUnknown: number;
  /** Text that is not a postcode (area left blank). */
  postcodeInvalid: number;
  /** No fixed address (postcode and area blank, inclusion group homeless). */
  noFixedAddress: number;
  /** Of people written with a real postcode, the share whose area_code is left for the importer to resolve. */
  areaCodeOmitted: number;
}

export interface SynthOptions {
  people: number;
  seed: number;
  area: AreaScope;
  /** Last day of the year of referrals ('YYYY-MM-DD'); also the "today" of every row. */
  yearEnd: string;
  /** Service the referrals belong to (for import), or null. */
  serviceCode: string | null;
  /** Pathways the service offers; referrals are drawn only for these. */
  pathways: Pathway[];
  gradients: SynthGradients;
  /** Did-not-attend rate per appointment in the least deprived quintile. */
  dnaRate: number;
  /** Chance that a person is referred a second time within the year. */
  repeatReferral: number;
  missing: SynthMissingShares;
}

/**
 * Defaults plant a moderate inverse-care pattern, so demo data shows something for the audit to
 * find: need 1.5 times higher in the most deprived fifth, access relative to need 0.75 times.
 * The year ends on a fixed date (31 March 2025, a financial year end) so that the same seed gives
 * the same file whenever it is run.
 */
export const defaultSynthOptions: SynthOptions = {
  people: 10_000,
  seed: 1,
  area: { kind: 'england' },
  yearEnd: '2025-03-31',
  serviceCode: null,
  pathways: [...pathwayCodes.values],
  gradients: {
    deprivation: 0.75,
    need: 1.5,
    ethnicity: { white: 1, mixed: 0.9, asian: 0.8, black: 0.85, other: 0.85 },
    age: [],
    wait: 1.25,
    dna: 1.8,
    outcome: 0.75,
  },
  dnaRate: 0.06,
  repeatReferral: 0.08,
  missing: {
    ethnicityNotStated: 0.04,
    ethnicityNotKnown: 0.03,
    ethnicityBlank: 0.05,
    postcodeUnknown: 0.01,
    postcodeInvalid: 0.01,
    noFixedAddress: 0.005,
    areaCodeOmitted: 0.3,
  },
};

export type SynthOptionsInput = Partial<Omit<SynthOptions, 'gradients' | 'missing'>> & {
  gradients?: Partial<Omit<SynthGradients, 'ethnicity'>> & { ethnicity?: Partial<Record<PlantedEthnicGroup, number>> };
  missing?: Partial<SynthMissingShares>;
};

/** Fills in defaults and checks every value, reporting all problems at once. */
export function resolveSynthOptions(input: SynthOptionsInput = {}): SynthOptions {
  const options: SynthOptions = {
    ...defaultSynthOptions,
    ...input,
    gradients: {
      ...defaultSynthOptions.gradients,
      ...input.gradients,
      ethnicity: { ...defaultSynthOptions.gradients.ethnicity, ...input.gradients?.ethnicity },
      age: input.gradients?.age ?? defaultSynthOptions.gradients.age,
    },
    missing: { ...defaultSynthOptions.missing, ...input.missing },
    pathways: input.pathways ?? defaultSynthOptions.pathways,
  };
  const problems: Problem[] = [];
  const need = (ok: boolean, field: string, reason: string) => {
    if (!ok) problems.push({ field, reason });
  };
  need(Number.isInteger(options.people) && options.people >= 1 && options.people <= 10_000_000, 'people', 'must be a whole number from 1 to 10,000,000');
  need(Number.isSafeInteger(options.seed) && options.seed >= 0, 'seed', 'must be a whole number of 0 or more');
  need(/^\d{4}-\d{2}-\d{2}$/.test(options.yearEnd) && isRealDate(options.yearEnd), 'year-end', 'must be a real date written YYYY-MM-DD');
  need(options.yearEnd >= '2001-01-01', 'year-end', 'must be 2001-01-01 or later');
  need(options.pathways.length > 0, 'pathways', 'must name at least one pathway');
  for (const [name, value] of Object.entries(options.gradients)) {
    if (name === 'ethnicity' || name === 'age') continue;
    need(isPositive(value as number), `gradient-${name}`, 'must be a number greater than 0');
  }
  for (const [group, value] of Object.entries(options.gradients.ethnicity)) {
    need((plantedEthnicGroups as readonly string[]).includes(group), 'gradient-ethnicity', `"${group}" is not a broad ethnic group (${plantedEthnicGroups.join(', ')})`);
    need(isPositive(value), 'gradient-ethnicity', `${group} must be a number greater than 0`);
  }
  for (const range of options.gradients.age) {
    need(isPositive(range.multiplier), 'gradient-age', 'multipliers must be numbers greater than 0');
    need(range.from >= 0 && (range.to === null || range.to >= range.from), 'gradient-age', `${range.from}-${range.to ?? ''} is not an age range`);
  }
  need(options.dnaRate > 0 && options.dnaRate * Math.max(1, options.gradients.dna) < 0.9, 'dna-rate', 'must be above 0, and times the DNA gradient below 0.9');
  need(options.repeatReferral >= 0 && options.repeatReferral <= 0.5, 'repeat-referral', 'must be a share from 0 to 0.5');
  for (const [name, value] of Object.entries(options.missing)) need(value >= 0 && value <= 1, kebab(name), 'must be a share from 0 to 1');
  const m = options.missing;
  need(m.ethnicityNotStated + m.ethnicityNotKnown + m.ethnicityBlank <= 1, 'ethnicity-not-stated', 'the three unknown-ethnicity shares add up to more than 1');
  need(m.postcodeUnknown + m.postcodeInvalid + m.noFixedAddress <= 1, 'postcode-unknown', 'the unknown, invalid and no-fixed-address shares add up to more than 1');
  if (problems.length > 0) {
    throw new RootsError('BAD_REQUEST', { detail: 'The synthetic data options are not valid.', problems });
  }
  return options;
}

/** `england`, `wales`, `icb:E54000008` or `la:E06000059`. */
export function parseAreaScope(text: string): AreaScope {
  const value = text.trim();
  const lower = value.toLowerCase();
  if (lower === 'england') return { kind: 'england' };
  if (lower === 'wales') return { kind: 'wales' };
  const match = /^(icb|la):([A-Za-z0-9]{3,12})$/.exec(value);
  if (match) return { kind: match[1]!.toLowerCase() as 'icb' | 'la', code: match[2]!.toUpperCase() };
  throw new RootsError('BAD_REQUEST', {
    detail: `--area must be england, wales, icb:CODE or la:CODE (for example icb:E54000008 or la:E06000059), not "${text}".`,
  });
}

export function describeAreaScope(scope: AreaScope): string {
  return scope.kind === 'england' || scope.kind === 'wales' ? scope.kind : `${scope.kind}:${scope.code}`;
}

/** `white=1,asian=0.8,black=0.85`. */
export function parseEthnicityGradient(text: string): Partial<Record<PlantedEthnicGroup, number>> {
  const result: Partial<Record<PlantedEthnicGroup, number>> = {};
  for (const [key, value] of pairs(text, '--gradient-ethnicity', 'white=1,asian=0.8')) {
    const group = key.toLowerCase();
    if (!(plantedEthnicGroups as readonly string[]).includes(group)) {
      throw new RootsError('BAD_REQUEST', { detail: `--gradient-ethnicity: "${key}" is not one of ${plantedEthnicGroups.join(', ')}.` });
    }
    result[group as PlantedEthnicGroup] = value;
  }
  return result;
}

/** `0-15=1.2,65+=0.7` (ages in whole years; `65+` has no upper limit). */
export function parseAgeGradient(text: string): AgeMultiplier[] {
  return pairs(text, '--gradient-age', '0-15=1.2,65+=0.7').map(([key, multiplier]) => {
    const closed = /^(\d{1,3})-(\d{1,3})$/.exec(key);
    const open = /^(\d{1,3})\+$/.exec(key);
    if (closed && Number(closed[2]) >= Number(closed[1])) return { from: Number(closed[1]), to: Number(closed[2]), multiplier };
    if (open) return { from: Number(open[1]), to: null, multiplier };
    throw new RootsError('BAD_REQUEST', { detail: `--gradient-age: "${key}" is not an age range such as 0-15 or 65+.` });
  });
}

function pairs(text: string, option: string, example: string): [string, number][] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [key, value, extra] = part.split('=');
      const number = Number(value);
      if (extra !== undefined || !key || value === undefined || value.trim() === '' || !Number.isFinite(number)) {
        throw new RootsError('BAD_REQUEST', { detail: `${option} must be written like ${example}; "${part}" is not.` });
      }
      return [key.trim(), number];
    });
}

function isPositive(value: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function isRealDate(text: string): boolean {
  const [year, month, day] = text.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
