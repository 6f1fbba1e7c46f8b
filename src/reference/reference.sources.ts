import { referenceLayouts } from './reference.parser.ts';

/**
 * Where each reference dataset comes from: publisher, dataset page, a direct download link where
 * the publisher keeps one stable, licence and attribution, and the file layouts the importer reads.
 *
 * Most publishers serve spreadsheets (XLSX, ODS) or portal downloads whose links change with each
 * release; for those there is no direct link here, and `manual` says what to fetch and how to save
 * it. Every dataset is Crown copyright under the Open Government Licence v3.0.
 */

export const OGL_V3 = {
  name: 'Open Government Licence v3.0',
  url: 'https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/',
} as const;

const POSTCODE_ATTRIBUTION =
  'Contains OS data © Crown copyright and database right; Contains Royal Mail data © Royal Mail copyright and database right; Contains National Statistics data © Crown copyright and database right.';

/**
 * The attribution every output that uses the reference data must carry (reports print it as is).
 */
export const REFERENCE_ATTRIBUTION = [
  'Contains public sector information licensed under the Open Government Licence v3.0.',
  'Crown copyright: Ministry of Housing, Communities and Local Government (English Indices of Deprivation 2019); Welsh Government (Welsh Index of Multiple Deprivation 2019); Scottish Government (Scottish Index of Multiple Deprivation 2020v2); Northern Ireland Statistics and Research Agency (Northern Ireland Multiple Deprivation Measure 2017, small-area population estimates); National Records of Scotland (small-area population estimates); Office for National Statistics (geography lookups, National Statistics Postcode Lookup, population estimates, Census 2021).',
  `Postcode lookup: ${POSTCODE_ATTRIBUTION}`,
].join('\n');

export interface ReferenceSource {
  /** The dataset name the importer records in ref_dataset. */
  dataset: string;
  title: string;
  publisher: string;
  /** The publisher's page for the dataset. */
  page: string;
  /** A stable direct link to a file the importer reads as it is, or null. */
  download: { url: string; fileName: string } | null;
  /** What to download from `page`, and how to save it, when there is no direct link. */
  manual: string | null;
  licence: typeof OGL_V3;
  attribution: string;
  /** The layouts the importer recognises for this dataset (any of them will do). */
  layouts: { id: string; fileName: string; description: string; columns: string[] }[];
}

const geoportalSearch = (terms: string) => `https://geoportal.statistics.gov.uk/search?q=${encodeURIComponent(terms)}`;
const crown = (publisher: string) => `© Crown copyright, ${publisher}. Licensed under the Open Government Licence v3.0.`;

type SourceText = Omit<ReferenceSource, 'layouts' | 'licence'>;

const SOURCES: SourceText[] = [
  {
    dataset: 'england_imd2019',
    title: 'English Indices of Deprivation 2019: Index of Multiple Deprivation by LSOA 2011',
    publisher: 'Ministry of Housing, Communities and Local Government',
    page: 'https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019',
    download: {
      // File 7 (all scores, ranks, deciles and population denominators) is the one file published as CSV.
      url: 'https://assets.publishing.service.gov.uk/media/5dc407b440f0b6379a7acc8d/File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv',
      fileName: 'File_7_-_All_IoD2019_Scores__Ranks__Deciles_and_Population_Denominators_3.csv',
    },
    manual: null,
    attribution: crown('Ministry of Housing, Communities and Local Government (English Indices of Deprivation 2019)'),
  },
  {
    dataset: 'wales_wimd2019',
    title: 'Welsh Index of Multiple Deprivation 2019: ranks by LSOA 2011',
    publisher: 'Welsh Government',
    page: 'https://www.gov.wales/welsh-index-multiple-deprivation-full-index-update-ranks-2019',
    download: null,
    manual: 'Download the WIMD 2019 ranks spreadsheet (ODS) and save the overall-rank sheet as CSV with the columns lsoa11cd, lsoa11nm, wimd2019_rank (and optionally wimd2019_score).',
    attribution: crown('Welsh Government (Welsh Index of Multiple Deprivation 2019)'),
  },
  {
    dataset: 'scotland_simd2020v2',
    title: 'Scottish Index of Multiple Deprivation 2020v2: ranks by data zone 2011',
    publisher: 'Scottish Government',
    page: 'https://www.gov.scot/collections/scottish-index-of-multiple-deprivation-2020/',
    download: null,
    manual: 'Download the SIMD 2020v2 ranks spreadsheet and save the data sheet as CSV (its columns Data_Zone, ..., SIMD2020v2_Rank are read as they are).',
    attribution: crown('Scottish Government (Scottish Index of Multiple Deprivation 2020v2)'),
  },
  {
    dataset: 'ni_nimdm2017',
    title: 'Northern Ireland Multiple Deprivation Measure 2017: ranks by Super Output Area (2001)',
    publisher: 'Northern Ireland Statistics and Research Agency',
    page: 'https://www.nisra.gov.uk/statistics/deprivation/northern-ireland-multiple-deprivation-measure-2017-nimdm2017',
    download: null,
    manual: 'Download the NIMDM 2017 SOA results spreadsheet and save the multiple-deprivation sheet as CSV (columns SOA2001, SOA2001name, LGD2014code, LGD2014name, MDM_rank).',
    attribution: crown('Northern Ireland Statistics and Research Agency (Northern Ireland Multiple Deprivation Measure 2017)'),
  },
  {
    dataset: 'lsoa11_sicbl22_icb22_ltla22',
    title: 'LSOA (2011) to Sub ICB Locations to Integrated Care Boards to Local Authority Districts (July 2022) lookup, England',
    publisher: 'Office for National Statistics (Open Geography Portal)',
    page: geoportalSearch('LSOA (2011) to Sub ICB Locations to Integrated Care Boards (July 2022) Lookup'),
    download: null,
    manual: 'Download the lookup as CSV from the Open Geography Portal; its LSOA11CD, SICBL22CD, ICB22CD, LAD22CD... columns are read as they are.',
    attribution: crown('Office for National Statistics'),
  },
  {
    dataset: 'lsoa21_icb24',
    title: 'LSOA (2021) to Sub ICB Locations to Integrated Care Boards (April 2024) lookup, England',
    publisher: 'Office for National Statistics (Open Geography Portal)',
    page: geoportalSearch('LSOA (2021) to Sub ICB Locations to Integrated Care Boards (April 2024) Lookup'),
    download: null,
    manual: 'Download the lookup as CSV from the Open Geography Portal (LSOA21CD, SICBL24CD, ICB24CD... columns).',
    attribution: crown('Office for National Statistics'),
  },
  {
    dataset: 'lsoa11_lsoa21_ltla22',
    title: 'LSOA (2011) to LSOA (2021) to Local Authority District (2022) best-fit lookup, England and Wales',
    publisher: 'Office for National Statistics (Open Geography Portal)',
    page: geoportalSearch('LSOA (2011) to LSOA (2021) to Local Authority District (2022) Best Fit Lookup'),
    download: null,
    manual: 'Download the lookup as CSV from the Open Geography Portal (LSOA11CD, LSOA21CD, CHGIND, LAD22CD... columns).',
    attribution: crown('Office for National Statistics'),
  },
  {
    dataset: 'lsoa11_msoa11',
    title: 'LSOA (2011) to MSOA (2011) lookup, England and Wales, with Scottish data zones to intermediate zones',
    publisher: 'Office for National Statistics (Open Geography Portal); Scottish Government',
    page: geoportalSearch('Lower Layer Super Output Area (2011) to Middle Layer Super Output Area (2011) Lookup'),
    download: null,
    manual: 'Download the lookup as CSV (LSOA11CD, LSOA11NM, MSOA11CD, MSOA11NM); Scottish data zones may be appended with their intermediate zones in the same columns.',
    attribution: crown('Office for National Statistics; Scottish Government'),
  },
  {
    dataset: 'ruc11_lsoa11',
    title: 'Rural Urban Classification (2011) of Lower Layer Super Output Areas, England and Wales',
    publisher: 'Office for National Statistics (Open Geography Portal)',
    page: geoportalSearch('Rural Urban Classification (2011) of Lower Layer Super Output Areas in England and Wales'),
    download: null,
    manual: 'Download the classification as CSV (LSOA11CD, RUC11CD, RUC11 columns).',
    attribution: crown('Office for National Statistics'),
  },
  {
    dataset: 'ltla21_region21',
    title: 'Local Authority District to Region (April 2021) lookup, England',
    publisher: 'Office for National Statistics (Open Geography Portal)',
    page: geoportalSearch('Local Authority District to Region (April 2021) Lookup in England'),
    download: null,
    manual: 'Download the lookup as CSV (LAD21CD, LAD21NM, RGN21CD, RGN21NM).',
    attribution: crown('Office for National Statistics'),
  },
  {
    dataset: 'population_mid2019',
    title: 'Mid-2019 small-area population estimates: LSOA 2011 (ONS), data zone 2011 (NRS), SOA 2001 (NISRA)',
    publisher: 'Office for National Statistics; National Records of Scotland; Northern Ireland Statistics and Research Agency',
    page: 'https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/datasets/lowersuperoutputareamidyearpopulationestimates',
    download: null,
    manual:
      'Take the mid-2019 all-ages totals from the ONS LSOA estimates, the NRS small area population estimates (data zones) and the NISRA small area population estimates (SOAs), and save them as one CSV with the columns area_code, population_mid2019.',
    attribution: crown('Office for National Statistics; National Records of Scotland; Northern Ireland Statistics and Research Agency'),
  },
  {
    dataset: 'census2021_age6',
    title: 'Census 2021: usual residents by LSOA 2021 in six age bands, England and Wales',
    publisher: 'Office for National Statistics',
    page: 'https://www.ons.gov.uk/datasets/create',
    download: null,
    manual:
      "Create a custom Census 2021 dataset (population type: usual residents; area type: LSOA 2021; variable: age, 6 categories) and save it as CSV with the columns lsoa21_code, lsoa21_name, age_group, usual_residents. ONS perturbs small custom counts slightly.",
    attribution: crown('Office for National Statistics (Census 2021)'),
  },
  {
    dataset: 'nspl',
    title: 'National Statistics Postcode Lookup (NSPL), United Kingdom',
    publisher: 'Office for National Statistics (Open Geography Portal)',
    page: 'https://geoportal.statistics.gov.uk/search?q=PRD_NSPL&sort=Date%20Created%7Ccreated%7Cdesc',
    download: null,
    manual: 'Download the latest NSPL zip (about 2.7 million postcodes), and put its Data/NSPL_<month>_<year>_UK.csv in the reference folder (it may be gzip-compressed).',
    attribution: `${crown('Office for National Statistics (National Statistics Postcode Lookup)')} ${POSTCODE_ATTRIBUTION}`,
  },
];

/** Every source, with the layouts the importer accepts for it. */
export const referenceSources: readonly ReferenceSource[] = SOURCES.map((source) => ({
  ...source,
  licence: OGL_V3,
  layouts: referenceLayouts
    .filter((layout) => layout.dataset.name === source.dataset)
    .map((layout) => ({
      id: layout.id,
      fileName: layout.fileName,
      description: layout.description,
      columns: Object.values(layout.columns).map((spec) => (spec.optional ? `${spec.names[0]} (optional)` : spec.names[0]!)),
    })),
}));
