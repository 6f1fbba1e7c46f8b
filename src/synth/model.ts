import type { Nation, Pathway } from '../domain/codes.ts';
import { RootsError } from '../errors/roots-error.ts';
import { agesOfBand, oldestAge, type AreaFrame } from './area-frame.ts';
import { dayOf } from './calendar.ts';
import { pathwayIntensity } from './journey.model.ts';
import type { SynthOptions } from './options.ts';
import { broadGroupOfCategory, ethnicWeightsByDecile, statedEthnicCategories } from './people.model.ts';
import { AliasTable } from './random.ts';

/**
 * The generative model compiled for one frame and one set of options: the weight of every
 * (area, age band) cell and the tables the generator samples from. The generator and the truth
 * calculation both read this one object, so the truth is the exact expectation of what the
 * generator draws.
 *
 * A person is drawn with probability proportional to
 *   population(area, band) x need(quintile) x access(quintile)
 *     x sum over ages in the band of [ share(age | band) x intensity(age) x ageAccess(age) ]
 *     x sum over ethnic categories of [ share(category | nation, decile) x ethnicAccess(category) ]
 * where intensity(age) sums the pathway intensities of the pathways the service offers. The
 * deprivation access factor applied is the planted one divided by the average of the other
 * factors within the quintile, so that referrals relative to need-weighted population follow the
 * planted gradient exactly across quintiles, whatever the ethnic and age mix of each quintile.
 */
export interface CompiledModel {
  options: SynthOptions;
  frame: AreaFrame;
  yearStartDay: number;
  yearEndDay: number;
  pathways: Pathway[];
  /** Per band: its ages and their within-band population shares. */
  bandAges: { ages: number[]; shares: number[] }[];
  /** Sum of pathway intensities at each age 0..oldestAge, without and with the age access multiplier. */
  baseIntensity: Float64Array;
  intensity: Float64Array;
  /** Per band: mean of `baseIntensity` and of `intensity` over the band's ages. */
  bandBaseIntensity: Float64Array;
  bandIntensity: Float64Array;
  /** Per band: ages drawn by share x intensity. */
  bandAgeAlias: (AliasTable | null)[];
  /** Per age: pathway drawn by intensity. */
  pathwayAlias: (AliasTable | null)[];
  /** Indexed by quintile - 1. */
  need: number[];
  plantedAccess: number[];
  appliedAccess: number[];
  /** Per nation, per decile - 1: ethnic category weights (population shares) and the access-weighted alias. */
  ethnicShares: Record<Nation, Float64Array[]>;
  ethnicAlias: Record<Nation, AliasTable[]>;
  /** Per nation, per decile - 1: mean ethnic access multiplier. */
  ethnicFactor: Record<Nation, number[]>;
  /** Cells: area index, band index, weight; and the alias over them. */
  cellArea: Int32Array;
  cellBand: Int32Array;
  cellWeight: Float64Array;
  cellAlias: AliasTable;
  totalWeight: number;
}

/** Multiplier for quintile q (1 = most deprived) of a gradient `ratio` (most over least), log-linear. */
export function quintileFactor(ratio: number, quintile: number): number {
  return Math.pow(ratio, (5 - quintile) / 4);
}

export function ageAccessOf(options: SynthOptions, age: number): number {
  let multiplier = 1;
  for (const range of options.gradients.age) {
    if (age >= range.from && (range.to === null || age <= range.to)) multiplier = range.multiplier;
  }
  return multiplier;
}

export function compileModel(options: SynthOptions, frame: AreaFrame): CompiledModel {
  const yearEndDay = dayOf(options.yearEnd);
  const yearStartDay = yearEndDay - 364;
  const pathways = options.pathways;

  const baseIntensity = new Float64Array(oldestAge + 1);
  const intensity = new Float64Array(oldestAge + 1);
  const pathwayAlias: (AliasTable | null)[] = [];
  for (let age = 0; age <= oldestAge; age++) {
    const rates = pathways.map((p) => pathwayIntensity(p, age));
    const sum = rates.reduce((s, r) => s + r, 0);
    baseIntensity[age] = sum;
    intensity[age] = sum * ageAccessOf(options, age);
    pathwayAlias.push(sum > 0 ? new AliasTable(rates) : null);
  }

  const bandAges = frame.bands.map((band) => {
    const { ages, weights } = agesOfBand(band);
    return { ages, shares: weights };
  });
  const bandBaseIntensity = new Float64Array(frame.bands.length);
  const bandIntensity = new Float64Array(frame.bands.length);
  const bandAgeAlias: (AliasTable | null)[] = [];
  bandAges.forEach(({ ages, shares }, b) => {
    let base = 0;
    let withAccess = 0;
    const weights = ages.map((age, i) => {
      base += shares[i]! * baseIntensity[age]!;
      withAccess += shares[i]! * intensity[age]!;
      return shares[i]! * intensity[age]!;
    });
    bandBaseIntensity[b] = base;
    bandIntensity[b] = withAccess;
    bandAgeAlias.push(withAccess > 0 ? new AliasTable(weights) : null);
  });

  const nations: Nation[] = ['E', 'W', 'S', 'N'];
  const ethnicShares = {} as Record<Nation, Float64Array[]>;
  const ethnicAlias = {} as Record<Nation, AliasTable[]>;
  const ethnicFactor = {} as Record<Nation, number[]>;
  for (const nation of nations) {
    const byDecile = ethnicWeightsByDecile(nation).map((weights) => {
      const total = weights.reduce((s, w) => s + w, 0);
      return weights.map((w) => w / total);
    });
    ethnicShares[nation] = byDecile;
    ethnicAlias[nation] = byDecile.map(
      (shares) => new AliasTable(shares.map((share, i) => share * options.gradients.ethnicity[broadGroupOfCategory[statedEthnicCategories[i]!]])),
    );
    ethnicFactor[nation] = byDecile.map((shares) =>
      shares.reduce((sum, share, i) => sum + share * options.gradients.ethnicity[broadGroupOfCategory[statedEthnicCategories[i]!]], 0),
    );
  }

  const need = [1, 2, 3, 4, 5].map((q) => quintileFactor(options.gradients.need, q));
  const plantedAccess = [1, 2, 3, 4, 5].map((q) => quintileFactor(options.gradients.deprivation, q));

  // Average of the ethnic and age factors within each quintile, to divide out of the access factor.
  const withOthers = [0, 0, 0, 0, 0];
  const needOnly = [0, 0, 0, 0, 0];
  for (const area of frame.areas) {
    const q = area.quintile - 1;
    const ethnic = ethnicFactor[area.nation][area.decile - 1]!;
    area.bandPopulation.forEach((population, b) => {
      withOthers[q] = withOthers[q]! + population * bandIntensity[b]! * ethnic;
      needOnly[q] = needOnly[q]! + population * bandBaseIntensity[b]!;
    });
  }
  const appliedAccess = plantedAccess.map((access, q) => (withOthers[q]! > 0 ? (access * needOnly[q]!) / withOthers[q]! : 0));

  const cellCount = frame.areas.length * frame.bands.length;
  const cellArea = new Int32Array(cellCount);
  const cellBand = new Int32Array(cellCount);
  const cellWeight = new Float64Array(cellCount);
  let totalWeight = 0;
  frame.areas.forEach((area, a) => {
    const q = area.quintile - 1;
    const areaFactor = need[q]! * appliedAccess[q]! * ethnicFactor[area.nation][area.decile - 1]!;
    area.bandPopulation.forEach((population, b) => {
      const cell = a * frame.bands.length + b;
      cellArea[cell] = a;
      cellBand[cell] = b;
      const weight = population * areaFactor * bandIntensity[b]!;
      cellWeight[cell] = weight;
      totalWeight += weight;
    });
  });
  if (!(totalWeight > 0)) {
    throw new RootsError('BAD_REQUEST', {
      detail: `Nobody in ${frame.areas.length} areas can be referred to the pathways ${pathways.join(', ')} (check the service's pathways and the age gradient).`,
    });
  }

  return {
    options,
    frame,
    yearStartDay,
    yearEndDay,
    pathways,
    bandAges,
    baseIntensity,
    intensity,
    bandBaseIntensity,
    bandIntensity,
    bandAgeAlias,
    pathwayAlias,
    need,
    plantedAccess,
    appliedAccess,
    ethnicShares,
    ethnicAlias,
    ethnicFactor,
    cellArea,
    cellBand,
    cellWeight,
    cellAlias: new AliasTable(cellWeight),
    totalWeight,
  };
}
