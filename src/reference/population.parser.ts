import { LSOA_CODE, SMALL_AREA_CODE, column, defineLayout, optionalColumn, type AgeBand, type DatasetDefinition } from './reference.layout.ts';

/**
 * Population denominators. Mid-2019 small-area totals come from three publishers (ONS for
 * England and Wales, NRS for Scotland, NISRA for Northern Ireland) and carry no age split; the
 * Census 2021 counts are usual residents per LSOA 2021 in six age bands (England and Wales).
 * The mid-2015 age bands published with the IMD 2019 are read by deprivation.parser.ts.
 */

export const populationMid2019Dataset: DatasetDefinition = {
  name: 'population_mid2019',
  title: 'Mid-2019 population estimates per LSOA 2011, data zone 2011 and SOA 2001',
  populationSources: ['mid2019'],
};

export const census2021AgeDataset: DatasetDefinition = {
  name: 'census2021_age6',
  title: 'Census 2021 usual residents per LSOA 2021 in six age bands',
  populationSources: ['census2021'],
};

// Six labels repeat on every row of a 200,000-row file: parse each once.
const bandsSeen = new Map<string, AgeBand | null>();

const TOTAL: AgeBand = { label: 'all', from: 0, to: null };

export const populationMid2019Layout = defineLayout({
  id: 'population_mid2019',
  dataset: populationMid2019Dataset,
  fileName: 'uk_small_area_population_mid2019.csv',
  description: 'area_code, population_mid2019: one total per LSOA 2011, data zone or SOA',
  columns: {
    area: column('area_code'),
    population: column('population_mid2019'),
  },
  parse(row, sink) {
    const areaCode = row.code('area', SMALL_AREA_CODE, 'an LSOA 2011, data zone or SOA code');
    sink.population({ source: 'mid2019', areaCode, band: TOTAL, population: row.count('population') });
  },
});

export const census2021AgeLayout = defineLayout({
  id: 'census2021_lsoa21_age6',
  dataset: census2021AgeDataset,
  fileName: 'census2021_lsoa21_age6.csv.gz',
  description: "Census 2021 usual residents per LSOA 2021 and age group ('Aged 15 years and under' ... 'Aged 65 years and over')",
  columns: {
    area: column('lsoa21_code', 'LSOA21CD'),
    areaName: optionalColumn('lsoa21_name', 'LSOA21NM'),
    ageGroup: column('age_group'),
    residents: column('usual_residents'),
  },
  parse(row, sink) {
    const areaCode = row.code('area', LSOA_CODE, 'an LSOA 2021 code');
    const label = row.text('ageGroup');
    let band = bandsSeen.get(label);
    if (band === undefined) {
      band = ageBandOfLabel(label);
      if (bandsSeen.size < 100) bandsSeen.set(label, band);
    }
    if (band === null) throw row.problem('ageGroup', 'is not an age group such as "Aged 16 to 24 years"', label);
    // The LSOA 2021 names come from the ONS lookups; repeating them six times per area here would
    // only slow the import.
    sink.population({ source: 'census2021', areaCode, band, population: row.count('residents') });
  },
});

/**
 * The ages an ONS age-group label covers: "Aged 15 years and under" -> 0-15, "Aged 16 to 24
 * years" -> 16-24, "Aged 65 years and over" -> 65+. Null for anything else.
 */
export function ageBandOfLabel(label: string): AgeBand | null {
  const text = label.trim().replace(/\s+/g, ' ');
  let match = /^aged (\d{1,3}) years? and under$/i.exec(text);
  if (match) return band(0, Number(match[1]));
  match = /^aged (\d{1,3}) (?:to|-) (\d{1,3}) years?$/i.exec(text);
  if (match) return band(Number(match[1]), Number(match[2]));
  match = /^aged (\d{1,3}) years? and over$/i.exec(text);
  if (match) return band(Number(match[1]), null);
  return null;
}

function band(from: number, to: number | null): AgeBand | null {
  if (to !== null && to < from) return null;
  return { label: to === null ? `${from}+` : `${from}-${to}`, from, to };
}

export const populationLayouts = [populationMid2019Layout, census2021AgeLayout];

