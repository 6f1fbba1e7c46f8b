import type { Nation } from '../domain/codes.ts';
import type { DeprivationIndex } from '../store/schema.ts';
import type { AreaScope } from './options.ts';

/**
 * The sampling frame: every small area people can be drawn from, with its population (in age
 * bands), its deprivation decile and quintile in its own nation's index, and some of its real
 * postcodes. Read from the reference tables by area-frame.repository.ts; plain data, so tests
 * can build one by hand.
 */
export interface AreaFrame {
  scope: AreaScope;
  /** Age bands of `FrameArea.bandPopulation`, in order of age. */
  bands: AgeBand[];
  /** Areas in code order. */
  areas: FrameArea[];
  sources: FrameSources;
  /** Areas in scope left out because no population source covers them. */
  areasWithoutPopulation: number;
}

export interface AgeBand {
  label: string;
  from: number;
  /** Oldest age in the band; null for an open top band ("65 and over"). */
  to: number | null;
}

export interface FrameArea {
  code: string;
  nation: Nation;
  index: DeprivationIndex;
  /** 1 = most deprived tenth of the nation's areas. */
  decile: number;
  /** 1 = most deprived fifth. */
  quintile: number;
  localAuthority: string | null;
  icb: string | null;
  population: number;
  /** Population in each of `AreaFrame.bands`; sums to `population`. */
  bandPopulation: number[];
  /** Live postcodes of the area (a sample, at most a few dozen), sorted. */
  livePostcodes: string[];
  /** Terminated postcodes of the area (a few), sorted: people's records keep old postcodes. */
  terminatedPostcodes: string[];
}

export interface FrameSources {
  /** ref_population source giving area totals, or null when totals come from the age bands. */
  totals: string | null;
  /** ref_population source giving age bands, or null when the built-in shares are used. */
  ageBands: string | null;
  /** True when the age-band source is on LSOA 2021 and was apportioned to LSOA 2011. */
  ageBandsApportioned: boolean;
  /** Areas whose age split fell back to the frame's average shares. */
  areasWithAverageAgeSplit: number;
  /** Areas with at least one real postcode in the reference data. */
  areasWithPostcodes: number;
}

/** The deprivation index of each nation (indices are not comparable across nations). */
export const deprivationIndexOf: Record<Nation, DeprivationIndex> = { E: 'IMD2019', W: 'WIMD2019', S: 'SIMD2020v2', N: 'NIMDM2017' };

/**
 * Age split used when no population source in the database has age bands: Census 2021 usual
 * residents by the six published bands (ONS, via the reference pack's
 * census2021_lsoa21_age6.csv), England and Wales separately. Scotland and Northern Ireland use
 * England's shares.
 */
export const builtInBands: AgeBand[] = [
  { label: '0-15', from: 0, to: 15 },
  { label: '16-24', from: 16, to: 24 },
  { label: '25-34', from: 25, to: 34 },
  { label: '35-49', from: 35, to: 49 },
  { label: '50-64', from: 50, to: 64 },
  { label: '65+', from: 65, to: null },
];
export const builtInBandShares: Record<Nation, number[]> = {
  E: [10_483_159, 5_989_116, 7_667_733, 10_978_353, 10_970_034, 10_401_213],
  W: [548_059, 329_101, 382_713, 547_661, 637_956, 662_016],
  S: [10_483_159, 5_989_116, 7_667_733, 10_978_353, 10_970_034, 10_401_213],
  N: [10_483_159, 5_989_116, 7_667_733, 10_978_353, 10_970_034, 10_401_213],
};

/** Oldest age the generator writes; open top bands run to here. */
export const oldestAge = 100;

/** The ages of a band with the within-band shape assumed for them (sums to 1). */
export function agesOfBand(band: AgeBand): { ages: number[]; weights: number[] } {
  const last = Math.min(band.to ?? oldestAge, oldestAge);
  const ages: number[] = [];
  const weights: number[] = [];
  for (let age = band.from; age <= last; age++) {
    ages.push(age);
    // Closed bands: flat. Open top bands: survival falls away, roughly halving every 8 years.
    weights.push(band.to === null ? Math.exp(-(age - band.from) / 12) : 1);
  }
  const total = weights.reduce((s, w) => s + w, 0);
  return { ages, weights: weights.map((w) => w / total) };
}

/** Labels bands the way people read them ('0-15', '65+'). */
export function bandLabel(from: number, to: number | null): string {
  return to === null ? `${from}+` : `${from}-${to}`;
}
