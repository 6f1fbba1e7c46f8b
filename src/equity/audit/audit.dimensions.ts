import * as codes from '../../domain/codes.ts';
import type { DimensionKey } from './audit.model.ts';

/**
 * Age bands of the audit: the six bands of the Census 2021 population by LSOA (ONS TS007A
 * grouped), so every band has a denominator. ESP 2013 weights collapsed to the same bands
 * (the 15-19 band split one fifth / four fifths at age 16) give the standard population.
 */
export const ageBands = [
  { code: '0-15', label: 'Aged 15 and under', from: 0, to: 15, esp2013: 17_100 },
  { code: '16-24', label: 'Aged 16 to 24', from: 16, to: 24, esp2013: 10_400 },
  { code: '25-34', label: 'Aged 25 to 34', from: 25, to: 34, esp2013: 12_500 },
  { code: '35-49', label: 'Aged 35 to 49', from: 35, to: 49, esp2013: 21_000 },
  { code: '50-64', label: 'Aged 50 to 64', from: 50, to: 64, esp2013: 19_500 },
  { code: '65+', label: 'Aged 65 and over', from: 65, to: 200, esp2013: 19_500 },
] as const;
export type AgeBand = (typeof ageBands)[number]['code'];

/** Labels of the groups that are not real categories. */
export const unknownGroups: Record<string, string> = {
  unknown: 'Not known',
  not_stated: 'Not stated',
  no_area: 'No fixed address (no area)',
  outside_nation: 'Area in another nation',
  not_triaged: 'Not yet triaged',
  none: 'None recorded',
};

export interface DimensionDefinition {
  key: DimensionKey;
  label: string;
  ordered: boolean;
  /** Whether rates per 1,000 population can be computed (the reference data has a denominator). */
  hasPopulation: boolean;
  /** Fixed list of categories in display order; geographic dimensions take theirs from the data. */
  categories?: { code: string; label: string; order?: number }[];
}

const labelled = (entries: { labels: Record<string, string>; values: readonly string[] }) =>
  entries.values.map((code) => ({ code, label: entries.labels[code]! }));

export const dimensions: DimensionDefinition[] = [
  {
    key: 'imd_quintile',
    label: 'Deprivation quintile (national)',
    ordered: true,
    hasPopulation: true,
    categories: [1, 2, 3, 4, 5].map((q) => ({
      code: String(q),
      label: q === 1 ? '1 - most deprived fifth' : q === 5 ? '5 - least deprived fifth' : String(q),
      order: q,
    })),
  },
  {
    key: 'imd_decile',
    label: 'Deprivation decile (national)',
    ordered: true,
    hasPopulation: true,
    categories: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => ({
      code: String(d),
      label: d === 1 ? '1 - most deprived tenth' : d === 10 ? '10 - least deprived tenth' : String(d),
      order: d,
    })),
  },
  {
    key: 'local_quintile',
    label: 'Deprivation quintile (within the service catchment)',
    ordered: true,
    hasPopulation: true,
    categories: [1, 2, 3, 4, 5].map((q) => ({
      code: String(q),
      label: q === 1 ? '1 - most deprived local fifth' : q === 5 ? '5 - least deprived local fifth' : String(q),
      order: q,
    })),
  },
  { key: 'age_band', label: 'Age at referral', ordered: false, hasPopulation: true, categories: ageBands.map(({ code, label }) => ({ code, label })) },
  { key: 'sex', label: 'Sex (stated gender)', ordered: false, hasPopulation: false, categories: labelled(codes.statedGender).filter((c) => c.code !== 'X') },
  { key: 'ethnic_group', label: 'Ethnic group (broad)', ordered: false, hasPopulation: false, categories: labelled(codes.broadEthnicGroup).filter((c) => !['not_stated', 'not_known'].includes(c.code)) },
  { key: 'ethnicity', label: 'Ethnic category', ordered: false, hasPopulation: false, categories: labelled(codes.ethnicCategory).filter((c) => !['Z', '99'].includes(c.code)) },
  { key: 'disability', label: 'Disability', ordered: false, hasPopulation: false, categories: [{ code: 'yes', label: 'Disabled' }, { code: 'no', label: 'Not disabled' }] },
  { key: 'inclusion_group', label: 'Inclusion health group', ordered: false, hasPopulation: false, categories: labelled(codes.inclusionGroup) },
  { key: 'interpreter', label: 'Interpreter needed', ordered: false, hasPopulation: false, categories: [{ code: 'yes', label: 'Needs an interpreter' }, { code: 'no', label: 'No interpreter needed' }] },
  { key: 'language', label: 'Main language', ordered: false, hasPopulation: false },
  { key: 'pathway', label: 'Pathway', ordered: false, hasPopulation: false, categories: labelled(codes.pathway) },
  { key: 'referral_source', label: 'Referral source', ordered: false, hasPopulation: false, categories: labelled(codes.referralSource) },
  { key: 'icb', label: 'Integrated care board', ordered: false, hasPopulation: true },
  { key: 'local_authority', label: 'Local authority', ordered: false, hasPopulation: true },
];

export const dimensionByKey = new Map(dimensions.map((d) => [d.key, d]));
