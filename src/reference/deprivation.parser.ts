import type { Nation } from '../domain/codes.ts';
import type { DeprivationIndex } from '../store/schema.ts';
import { decileOfRank, quintileOfRank } from './deprivation.quantile.ts';
import {
  DATA_ZONE_CODE,
  GSS_CODE,
  LSOA_CODE,
  SOA2001_CODE,
  column,
  defineLayout,
  optionalColumn,
  type AgeBand,
  type DatasetDefinition,
  type DeprivationFact,
  type Fields,
  type ReferenceSink,
} from './reference.layout.ts';

/**
 * The four deprivation indices in the layouts their publishers use. Ranks run from 1 (most
 * deprived); deciles and quintiles are derived from the rank by the official cut-offs
 * (deprivation.quantile.ts), for every nation alike, and compared with any decile the file states.
 */

export const englandImd2019: DatasetDefinition = {
  name: 'england_imd2019',
  title: 'English Indices of Deprivation 2019: Index of Multiple Deprivation (LSOA 2011)',
  deprivation: { index: 'IMD2019', nation: 'E', publishedAreaCount: 32_844 },
  populationSources: ['mid2015'],
};

export const walesWimd2019: DatasetDefinition = {
  name: 'wales_wimd2019',
  title: 'Welsh Index of Multiple Deprivation 2019 (LSOA 2011)',
  deprivation: { index: 'WIMD2019', nation: 'W', publishedAreaCount: 1_909 },
};

export const scotlandSimd2020v2: DatasetDefinition = {
  name: 'scotland_simd2020v2',
  title: 'Scottish Index of Multiple Deprivation 2020v2 (data zone 2011)',
  deprivation: { index: 'SIMD2020v2', nation: 'S', publishedAreaCount: 6_976 },
};

export const niNimdm2017: DatasetDefinition = {
  name: 'ni_nimdm2017',
  title: 'Northern Ireland Multiple Deprivation Measure 2017 (Super Output Area 2001)',
  deprivation: { index: 'NIMDM2017', nation: 'N', publishedAreaCount: 890 },
};

/** Mid-2015 population denominators published with the IMD 2019 (excluding prisoners). */
const MID_2015_BANDS = {
  popTotal: { label: 'all', from: 0, to: null },
  pop0to15: { label: '0-15', from: 0, to: 15 },
  pop16to59: { label: '16-59', from: 16, to: 59 },
  pop60plus: { label: '60+', from: 60, to: null },
} as const satisfies Record<string, AgeBand>;

type EnglandKey = 'code' | 'name' | 'laCode' | 'laName' | 'rank' | 'score' | 'decile' | keyof typeof MID_2015_BANDS;

function parseEngland(row: Fields<EnglandKey>, sink: ReferenceSink): void {
  const code = row.code('code', LSOA_CODE, 'an LSOA 2011 code');
  sink.deprivation({ areaCode: code, rank: row.count('rank'), score: row.optionalDecimal('score'), statedDecile: row.optionalCount('decile') });
  const laCode = row.optionalCode('laCode', GSS_CODE, 'a local authority code');
  sink.area({ kind: 'lsoa11', code, name: row.optionalText('name'), localAuthorityCode: laCode });
  const laName = row.optionalText('laName');
  if (laCode && laName) sink.geography({ code: laCode, kind: 'local_authority', name: laName });
  for (const key of ['popTotal', 'pop0to15', 'pop16to59', 'pop60plus'] as const) {
    const population = row.optionalCount(key);
    if (population !== null) sink.population({ source: 'mid2015', areaCode: code, band: MID_2015_BANDS[key], population });
  }
}

/** The sample pack's England file: File 7's IMD columns with short names, ranks as plain numbers. */
export const englandImd2019PackLayout = defineLayout({
  id: 'england_imd2019_lsoa11',
  dataset: englandImd2019,
  fileName: 'england_imd2019_lsoa11.csv',
  description: 'IMD 2019 score, rank and decile per LSOA 2011 with mid-2015 population (short column names)',
  columns: {
    code: column('lsoa11cd'),
    name: column('lsoa11nm'),
    laCode: column('lad19cd'),
    laName: column('lad19nm'),
    rank: column('imd_rank'),
    score: optionalColumn('imd_score'),
    decile: optionalColumn('imd_decile'),
    popTotal: optionalColumn('pop_total_mid2015_excl_prisoners'),
    pop0to15: optionalColumn('pop_0_15_mid2015'),
    pop16to59: optionalColumn('pop_16_59_mid2015'),
    pop60plus: optionalColumn('pop_60plus_mid2015'),
  },
  parse: parseEngland,
});

/**
 * MHCLG's own files: File 1 (rank and decile; UTF-8 byte-order mark, ranks with thousands
 * separators such as "29,199") and File 7 (all scores, ranks, deciles and population
 * denominators, whose headers add "(where 1 is most deprived)"). Both share these column names.
 */
export const englandImd2019OfficialLayout = defineLayout({
  id: 'england_imd2019_official',
  dataset: englandImd2019,
  fileName: 'england_imd2019_file1_official.csv.gz',
  description: "MHCLG IoD2019 File 1 or File 7 exactly as published ('LSOA code (2011)', 'Index of Multiple Deprivation (IMD) Rank', ...)",
  columns: {
    code: column('LSOA code (2011)'),
    name: column('LSOA name (2011)'),
    laCode: column('Local Authority District code (2019)'),
    laName: column('Local Authority District name (2019)'),
    rank: column('Index of Multiple Deprivation (IMD) Rank'),
    score: optionalColumn('Index of Multiple Deprivation (IMD) Score'),
    decile: optionalColumn('Index of Multiple Deprivation (IMD) Decile'),
    popTotal: optionalColumn('Total population: mid 2015 (excluding prisoners)'),
    pop0to15: optionalColumn('Dependent Children aged 0-15: mid 2015 (excluding prisoners)'),
    pop16to59: optionalColumn('Population aged 16-59: mid 2015 (excluding prisoners)'),
    pop60plus: optionalColumn('Older population aged 60 and over: mid 2015 (excluding prisoners)'),
  },
  parse: parseEngland,
});

export const walesWimd2019Layout = defineLayout({
  id: 'wales_wimd2019_lsoa11',
  dataset: walesWimd2019,
  fileName: 'wales_wimd2019_lsoa11.csv',
  description: 'WIMD 2019 score and rank per Welsh LSOA 2011',
  columns: {
    code: column('lsoa11cd'),
    name: optionalColumn('lsoa11nm'),
    rank: column('wimd2019_rank'),
    score: optionalColumn('wimd2019_score'),
    // Derived by the pack's compiler with the same floor rule (the Welsh Government publishes ranks).
    decile: optionalColumn('wimd2019_decile_derived'),
  },
  parse(row, sink) {
    const code = row.code('code', /^W01\d{6}$/, 'a Welsh LSOA 2011 code');
    sink.deprivation({ areaCode: code, rank: row.count('rank'), score: row.optionalDecimal('score'), statedDecile: row.optionalCount('decile') });
    sink.area({ kind: 'lsoa11', code, name: row.optionalText('name') });
  },
});

export const scotlandSimd2020v2Layout = defineLayout({
  id: 'scotland_simd2020v2_datazone11',
  dataset: scotlandSimd2020v2,
  fileName: 'scotland_simd2020v2_datazone11.csv',
  description: 'SIMD 2020v2 overall and domain ranks per data zone 2011 (Scottish Government ranks file)',
  columns: {
    code: column('Data_Zone'),
    rank: column('SIMD2020v2_Rank'),
  },
  parse(row, sink) {
    const code = row.code('code', DATA_ZONE_CODE, 'a data zone 2011 code');
    // SIMD publishes no deciles: they are derived from the rank with N = 6,976.
    sink.deprivation({ areaCode: code, rank: row.count('rank'), score: null, statedDecile: null });
    sink.area({ kind: 'datazone11', code });
  },
});

export const niNimdm2017Layout = defineLayout({
  id: 'ni_nimdm2017_soa01',
  dataset: niNimdm2017,
  fileName: 'ni_nimdm2017_soa01.csv',
  description: 'NIMDM 2017 ranks per Super Output Area 2001 (NISRA)',
  columns: {
    code: column('SOA2001'),
    name: optionalColumn('SOA2001name'),
    laCode: optionalColumn('LGD2014code'),
    laName: optionalColumn('LGD2014name'),
    rank: column('MDM_rank'),
  },
  parse(row, sink) {
    const code = row.code('code', SOA2001_CODE, 'a Super Output Area (2001) code');
    sink.deprivation({ areaCode: code, rank: row.count('rank'), score: null, statedDecile: null });
    const laCode = row.optionalCode('laCode', GSS_CODE, 'a local government district code');
    sink.area({ kind: 'soa01', code, name: row.optionalText('name'), localAuthorityCode: laCode });
    const laName = row.optionalText('laName');
    if (laCode && laName) sink.geography({ code: laCode, kind: 'local_authority', name: laName });
  },
});

export const deprivationLayouts = [
  englandImd2019PackLayout,
  englandImd2019OfficialLayout,
  walesWimd2019Layout,
  scotlandSimd2020v2Layout,
  niNimdm2017Layout,
];

export interface RankedArea {
  areaCode: string;
  score: number | null;
  rank: number;
  areaCount: number;
  decile: number;
  quintile: number;
}

export interface DecileDisagreement {
  areaCode: string;
  rank: number;
  stated: number;
  official: number;
}

export interface RankingResult {
  index: DeprivationIndex;
  nation: Nation;
  areaCount: number;
  areas: RankedArea[];
  /** Areas whose stated decile differs from the official cut-offs (none in the published files). */
  disagreements: DecileDisagreement[];
  /** How many stated deciles were checked. */
  checked: number;
  problems: string[];
}

/**
 * Deciles and quintiles for a whole index. N is the number of areas in the file: every published
 * file ranks all of its nation's areas, and a file with another count is reported (its groups are
 * then relative to the areas it holds). A rank above N, or an area listed twice, is an error.
 */
export function rankIndex(definition: NonNullable<DatasetDefinition['deprivation']>, facts: readonly DeprivationFact[]): RankingResult {
  const areaCount = facts.length;
  const problems: string[] = [];
  const seen = new Set<string>();
  const areas: RankedArea[] = [];
  const disagreements: DecileDisagreement[] = [];
  let checked = 0;
  for (const fact of facts) {
    if (seen.has(fact.areaCode)) {
      problems.push(`${fact.areaCode} is listed more than once`);
      continue;
    }
    seen.add(fact.areaCode);
    if (fact.rank < 1 || fact.rank > areaCount) {
      problems.push(`${fact.areaCode} has rank ${fact.rank}, outside 1 to ${areaCount} (the number of areas in the file)`);
      continue;
    }
    const decile = decileOfRank(fact.rank, areaCount);
    if (fact.statedDecile !== null) {
      checked++;
      if (fact.statedDecile !== decile) disagreements.push({ areaCode: fact.areaCode, rank: fact.rank, stated: fact.statedDecile, official: decile });
    }
    areas.push({ areaCode: fact.areaCode, score: fact.score, rank: fact.rank, areaCount, decile, quintile: quintileOfRank(fact.rank, areaCount) });
  }
  return { index: definition.index, nation: definition.nation, areaCount, areas, disagreements, checked, problems };
}
