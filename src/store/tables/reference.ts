import type { Nation } from '../../domain/codes.ts';
import type { Timestamp } from './columns.ts';

/** Tables owned by reference/: their row types as Kysely sees them. */

export interface RefDatasetTable {
  name: string;
  source_file: string;
  sha256: string;
  row_count: number;
  imported_at: Timestamp;
}

export interface RefAreaTable {
  area_code: string;
  area_kind: 'lsoa11' | 'lsoa21' | 'datazone11' | 'soa01';
  area_name: string | null;
  nation: Nation;
  msoa_code: string | null;
  local_authority_code: string | null;
  sub_icb_code: string | null;
  icb_code: string | null;
  region_code: string | null;
  rural_urban_code: string | null;
}

export interface RefGeographyTable {
  code: string;
  kind: 'msoa' | 'sub_icb' | 'icb' | 'local_authority' | 'region' | 'intermediate_zone';
  name: string;
  nhs_code: string | null;
  parent_code: string | null;
}

/** What one dataset says about one small area; ref_area is rebuilt from these rows. */
export interface RefAreaSourceTable {
  dataset: string;
  area_kind: RefAreaTable['area_kind'];
  area_code: string;
  area_name: string | null;
  msoa_code: string | null;
  local_authority_code: string | null;
  sub_icb_code: string | null;
  icb_code: string | null;
  rural_urban_code: string | null;
}

/** What one dataset says about one geography; ref_geography is rebuilt from these rows. */
export interface RefGeographySourceTable {
  dataset: string;
  code: string;
  kind: RefGeographyTable['kind'];
  name: string;
  nhs_code: string | null;
  parent_code: string | null;
}

export type DeprivationIndex = 'IMD2019' | 'WIMD2019' | 'SIMD2020v2' | 'NIMDM2017';

export interface RefDeprivationTable {
  index_name: DeprivationIndex;
  nation: Nation;
  area_code: string;
  score: number | null;
  rank: number;
  area_count: number;
  decile: number;
  quintile: number;
}

export interface RefPostcodeTable {
  postcode: string;
  area_code: string | null;
  local_authority_code: string | null;
  region_code: string | null;
  country_code: string | null;
  introduced: string | null;
  terminated: string | null;
}

export interface RefLsoaChangeTable {
  lsoa11_code: string;
  lsoa21_code: string;
  change_code: 'U' | 'S' | 'M' | 'X';
}

export interface RefPopulationTable {
  source: string;
  area_code: string;
  age_band: string;
  age_from: number | null;
  age_to: number | null;
  population: number;
}

/** The view area_deprivation (read only). */
export interface AreaDeprivationView {
  area_code: string;
  nation: Nation;
  index_name: DeprivationIndex;
  score: number | null;
  rank: number;
  area_count: number;
  decile: number;
  quintile: number;
  area_kind: RefAreaTable['area_kind'] | null;
  area_name: string | null;
  msoa_code: string | null;
  local_authority_code: string | null;
  sub_icb_code: string | null;
  icb_code: string | null;
  region_code: string | null;
}
