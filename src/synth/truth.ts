import type { Pathway, Priority } from '../domain/codes.ts';
import type { AreaFrame } from './area-frame.ts';
import * as journey from './journey.model.ts';
import { ageAccessOf, compileModel, quintileFactor, type CompiledModel } from './model.ts';
import { describeAreaScope, plantedEthnicGroups, type PlantedEthnicGroup, type SynthOptions } from './options.ts';
import { broadGroupOfCategory, statedEthnicCategories } from './people.model.ts';
import { normalCdf } from '../numeric/normal.ts';

/**
 * The truth sidecar: every parameter used and the values an equity audit of the generated file
 * should recover, computed exactly from the compiled model (expectations, not counts from the
 * file). A finite file differs from these by sampling noise; approximate 95% ranges are given
 * for the headline ratios.
 */
export interface SynthTruth {
  generator: 'roots synth';
  formatVersion: 1;
  seed: number;
  people: number;
  yearStart: string;
  yearEnd: string;
  area: {
    scope: string;
    areas: number;
    areasWithoutPopulation: number;
    areasWithPostcodes: number;
    population: number;
    deprivationIndices: string[];
    populationSources: AreaFrame['sources'];
    ageBands: { label: string; from: number; to: number | null }[];
  };
  parameters: SynthOptions;
  model: ReturnType<typeof modelParameters>;
  expected: {
    referralsPerPerson: number;
    referrals: number;
    /** Share of people whose area an audit can place (not no-fixed-address, not an unusable postcode). */
    areaRecordedShare: number;
    deprivationQuintile: QuintileTruth[];
    deprivation: {
      /** Crude referrals per 1,000 population, most over least deprived quintile (need and access together). */
      crudeRateRatioMostVsLeast: number | null;
      crudeRateRatio95Range: [number, number] | null;
      /** Planted: referrals relative to need-weighted population, most over least deprived. */
      accessRateRatioMostVsLeast: number | null;
      accessRateRatio95Range: [number, number] | null;
      needRatioMostVsLeast: number;
      medianWaitRatioMostVsLeast: number | null;
      dnaRateRatioMostVsLeast: number;
    };
    deprivationDecile: { decile: number; population: number; expectedReferrals: number; referralsPer1000: number | null }[];
    ageBand: { label: string; from: number; to: number | null; population: number; accessMultiplier: number; expectedReferrals: number; referralsPer1000: number | null }[];
    ethnicity: {
      group: PlantedEthnicGroup;
      accessMultiplier: number;
      populationShare: number;
      referralShare: number;
      /** Referrals per 1,000 of the group's modelled population, relative to the White group. */
      rateRatioVsWhite: number | null;
      recordedReferralShare: number;
    }[];
    ethnicityRecorded: { notStated: number; notKnown: number; blank: number };
    postcodes: { noFixedAddress: number; invalid: number; unknown: number; areaCodeOmittedOfThoseWithPostcode: number };
  };
  notes: string[];
}

export interface QuintileTruth {
  quintile: number;
  population: number;
  needIndex: number;
  plantedAccess: number;
  expectedPeople: number;
  expectedReferrals: number;
  referralsPer1000: number | null;
  /** As an audit sees it: only people whose area is recorded. */
  expectedReferralsWithArea: number;
  referralsWithAreaPer1000: number | null;
  /** Referrals expected if access were equal across quintiles (shared out by need-weighted population). */
  expectedReferralsIfEqualAccess: number;
  observedOverExpected: number | null;
  waits: WaitTruth | null;
  dnaRate: number;
  outcomes: {
    SWEMWBS: { baselineMean: number; meanChange: number; shareImproved: number };
    GAS: { baselineMean: number; meanChange: number; shareImproved: number };
  };
}

export interface WaitTruth {
  /** Clock days from receipt to first contact, pauses excluded, of the latent wait (what Kaplan-Meier estimates). */
  medianDays: number;
  centile90Days: number;
  shareOver6Weeks: number;
  shareOver18Weeks: number;
  shareOver52Weeks: number;
  medianDaysByPriority: Record<Priority, number>;
}

export function computeTruth(options: SynthOptions, frame: AreaFrame, compiled?: CompiledModel): SynthTruth {
  const model = compiled ?? compileModel(options, frame);
  const n = options.people;
  const perPerson = 1 + options.repeatReferral;
  const secondMoment = 1 + 3 * options.repeatReferral;
  const { missing } = options;
  const areaShare = 1 - missing.noFixedAddress - missing.postcodeInvalid - missing.postcodeUnknown;

  // Probability of each cell, and per band the pathway mix.
  const bandPathway = frame.bands.map((_, b) => pathwayMixOfBand(model, b));
  const byQuintile = [0, 1, 2, 3, 4].map(() => ({ p: 0, population: 0, needPopulation: 0, pathway: new Map<Pathway, number>() }));
  const byDecile = Array.from({ length: 10 }, () => ({ p: 0, population: 0 }));
  const byBand = frame.bands.map(() => ({ p: 0, population: 0 }));
  const ethnic = new Map<PlantedEthnicGroup, { population: number; p: number }>(plantedEthnicGroups.map((g) => [g, { population: 0, p: 0 }]));
  let totalPopulation = 0;
  frame.areas.forEach((area, a) => {
    const q = area.quintile - 1;
    const quintile = byQuintile[q]!;
    quintile.population += area.population;
    byDecile[area.decile - 1]!.population += area.population;
    totalPopulation += area.population;
    const shares = model.ethnicShares[area.nation][area.decile - 1]!;
    const factor = model.ethnicFactor[area.nation][area.decile - 1]!;
    let areaP = 0;
    area.bandPopulation.forEach((population, b) => {
      const p = model.cellWeight[a * frame.bands.length + b]! / model.totalWeight;
      areaP += p;
      quintile.p += p;
      quintile.needPopulation += population * model.need[q]! * model.bandBaseIntensity[b]!;
      byDecile[area.decile - 1]!.p += p;
      byBand[b]!.p += p;
      byBand[b]!.population += population;
      for (const [pathway, share] of bandPathway[b]!) quintile.pathway.set(pathway, (quintile.pathway.get(pathway) ?? 0) + p * share);
    });
    statedEthnicCategories.forEach((category, i) => {
      const group = broadGroupOfCategory[category];
      const entry = ethnic.get(group)!;
      entry.population += area.population * shares[i]!;
      entry.p += (areaP * shares[i]! * options.gradients.ethnicity[group]) / factor;
    });
  });

  const referrals = n * perPerson;
  const totalNeed = byQuintile.reduce((s, q) => s + q.needPopulation, 0);
  const dnaRates = [1, 2, 3, 4, 5].map((q) => options.dnaRate * quintileFactor(options.gradients.dna, q));
  const quintiles: QuintileTruth[] = byQuintile.map((entry, q) => {
    const expectedReferrals = n * entry.p * perPerson;
    const ifEqual = totalNeed > 0 ? (referrals * entry.needPopulation) / totalNeed : 0;
    const outcomeFactor = quintileFactor(options.gradients.outcome, q + 1);
    return {
      quintile: q + 1,
      population: entry.population,
      needIndex: model.need[q]!,
      plantedAccess: model.plantedAccess[q]!,
      expectedPeople: n * entry.p,
      expectedReferrals,
      referralsPer1000: per1000(expectedReferrals, entry.population),
      expectedReferralsWithArea: expectedReferrals * areaShare,
      referralsWithAreaPer1000: per1000(expectedReferrals * areaShare, entry.population),
      expectedReferralsIfEqualAccess: ifEqual,
      observedOverExpected: ifEqual > 0 ? expectedReferrals / ifEqual : null,
      waits: entry.p > 0 ? waitTruth(entry.pathway, entry.p, quintileFactor(options.gradients.wait, q + 1)) : null,
      dnaRate: dnaRates[q]!,
      outcomes: {
        SWEMWBS: swemwbsTruth(q, outcomeFactor),
        GAS: gasTruth(outcomeFactor),
      },
    };
  });

  const most = quintiles[0]!;
  const least = quintiles[4]!;
  const ratioRange = (ratio: number | null): [number, number] | null => {
    if (ratio === null || most.expectedReferrals === 0 || least.expectedReferrals === 0) return null;
    // Counts of referrals with a recorded area: each person adds 1 or 2 with the chance of their cell.
    const p1 = byQuintile[0]!.p * areaShare;
    const p5 = byQuintile[4]!.p * areaShare;
    const e1 = n * p1 * perPerson;
    const e5 = n * p5 * perPerson;
    const v1 = n * (p1 * secondMoment - (p1 * perPerson) ** 2);
    const v5 = n * (p5 * secondMoment - (p5 * perPerson) ** 2);
    const cov = -n * p1 * p5 * perPerson ** 2;
    const se = Math.sqrt(v1 / e1 ** 2 + v5 / e5 ** 2 - (2 * cov) / (e1 * e5));
    return [ratio * Math.exp(-1.96 * se), ratio * Math.exp(1.96 * se)];
  };
  const crude = most.referralsPer1000 !== null && least.referralsPer1000 ? most.referralsPer1000 / least.referralsPer1000 : null;
  const access = most.observedOverExpected !== null && least.observedOverExpected ? most.observedOverExpected / least.observedOverExpected : null;

  const knownEthnicity = 1 - missing.ethnicityNotStated - missing.ethnicityNotKnown - missing.ethnicityBlank;
  const white = ethnic.get('white')!;
  const whiteRate = white.population > 0 ? white.p / white.population : 0;

  return {
    generator: 'roots synth',
    formatVersion: 1,
    seed: options.seed,
    people: n,
    yearStart: isoDay(model.yearStartDay),
    yearEnd: options.yearEnd,
    area: {
      scope: describeAreaScope(frame.scope),
      areas: frame.areas.length,
      areasWithoutPopulation: frame.areasWithoutPopulation,
      areasWithPostcodes: frame.sources.areasWithPostcodes,
      population: round(totalPopulation, 3),
      deprivationIndices: [...new Set(frame.areas.map((a) => a.index))].sort(),
      populationSources: frame.sources,
      ageBands: frame.bands.map(({ label, from, to }) => ({ label, from, to })),
    },
    parameters: options,
    model: modelParameters(),
    expected: {
      referralsPerPerson: perPerson,
      referrals: round(referrals, 3),
      areaRecordedShare: round(areaShare, 6),
      deprivationQuintile: quintiles.map(roundQuintile),
      deprivation: {
        crudeRateRatioMostVsLeast: roundOrNull(crude),
        crudeRateRatio95Range: roundRange(ratioRange(crude)),
        accessRateRatioMostVsLeast: roundOrNull(access),
        accessRateRatio95Range: roundRange(ratioRange(access)),
        needRatioMostVsLeast: options.gradients.need,
        medianWaitRatioMostVsLeast: most.waits && least.waits ? round(most.waits.medianDays / least.waits.medianDays, 6) : null,
        dnaRateRatioMostVsLeast: round(dnaRates[0]! / dnaRates[4]!, 6),
      },
      deprivationDecile: byDecile.map((entry, d) => ({
        decile: d + 1,
        population: round(entry.population, 3),
        expectedReferrals: round(n * entry.p * perPerson, 3),
        referralsPer1000: roundOrNull(per1000(n * entry.p * perPerson, entry.population)),
      })),
      ageBand: frame.bands.map((band, b) => ({
        label: band.label,
        from: band.from,
        to: band.to,
        population: round(byBand[b]!.population, 3),
        accessMultiplier: round(model.bandBaseIntensity[b]! > 0 ? model.bandIntensity[b]! / model.bandBaseIntensity[b]! : ageAccessOf(options, band.from), 6),
        expectedReferrals: round(n * byBand[b]!.p * perPerson, 3),
        referralsPer1000: roundOrNull(per1000(n * byBand[b]!.p * perPerson, byBand[b]!.population)),
      })),
      ethnicity: plantedEthnicGroups.map((group) => {
        const entry = ethnic.get(group)!;
        return {
          group,
          accessMultiplier: options.gradients.ethnicity[group],
          populationShare: round(totalPopulation > 0 ? entry.population / totalPopulation : 0, 6),
          referralShare: round(entry.p, 6),
          rateRatioVsWhite: roundOrNull(whiteRate > 0 && entry.population > 0 ? entry.p / entry.population / whiteRate : null),
          recordedReferralShare: round(entry.p * knownEthnicity, 6),
        };
      }),
      ethnicityRecorded: { notStated: missing.ethnicityNotStated, notKnown: missing.ethnicityNotKnown, blank: missing.ethnicityBlank },
      postcodes: {
        noFixedAddress: missing.noFixedAddress,
        invalid: missing.postcodeInvalid,
        unknown: missing.postcodeUnknown,
        areaCodeOmittedOfThoseWithPostcode: missing.areaCodeOmitted,
      },
    },
    notes: [
      'Expected values are exact expectations of the generative model; counts in the file differ by sampling noise. The 95% ranges cover the rate ratios of referrals with a recorded area (multinomial people, 1 or 2 referrals each).',
      'Deprivation quintiles and deciles are national (each nation its own index, 1 = most deprived). Rates per 1,000 use the population of the frame areas from the named population source.',
      'accessRateRatioMostVsLeast is the planted gradient: (referrals / need-weighted population) in the most deprived quintile over the least. Need-weighted population = population x need index x the age profile of need for the offered pathways; the crude rate ratio also carries the need gradient and differences in age mix.',
      'Ethnicity multipliers act within each area; the marginal rate ratios by group also carry where groups live (minority groups are more concentrated in deprived areas) and are given as rateRatioVsWhite. Unknown ethnicity (Z, 99, blank) is assigned at random, independent of group, so ratios among known groups are unbiased.',
      'Waits are clock days from receipt to first attended contact with pauses excluded; the median is of the latent distribution, which Kaplan-Meier recovers treating people still waiting and people removed before an appointment as censored (removal is independent of the wait). The DNA rate is did-not-attend / (attended + did-not-attend) over all appointments. Outcome changes are over people with baseline and discharge scores.',
      'People without a recorded area (no fixed address, invalid or unknown postcode) are spread across quintiles in proportion; people whose area_code is blank but whose postcode is real are placed by the importer through the postcode lookup.',
      'NHS numbers are from the 999 test range (never issued to patients) and every name is built from small lists: no real person is described.',
    ],
  };
}

/** Share of each pathway among people drawn in band b (ages drawn by share x intensity). */
function pathwayMixOfBand(model: CompiledModel, b: number): Map<Pathway, number> {
  const mix = new Map<Pathway, number>();
  const { ages, shares } = model.bandAges[b]!;
  const total = model.bandIntensity[b]!;
  if (!(total > 0)) return mix;
  ages.forEach((age, i) => {
    const base = model.baseIntensity[age]!;
    if (!(base > 0)) return;
    const weight = (shares[i]! * model.intensity[age]!) / total;
    for (const pathway of model.pathways) {
      const rate = journey.pathwayIntensity(pathway, age);
      if (rate > 0) mix.set(pathway, (mix.get(pathway) ?? 0) + (weight * rate) / base);
    }
  });
  return mix;
}

/** Clock-day wait distribution of accepted referrals in one quintile: a mixture over pathway, urgency and priority. */
function waitTruth(pathwayWeights: Map<Pathway, number>, quintileP: number, waitFactor: number): WaitTruth | null {
  const lagPoisson = poissonPmf(journey.triageLagMean, 60).map((p, k) => [k + 1, p] as [number, number]);
  const lagUrgent: [number, number][] = [[0, 0.5], [1, 0.5]];
  const priorityTotal = journey.priorityMix.reduce((s, [, w]) => s + w, 0);
  interface Component { weight: number; median: number; lags: [number, number][]; priority: Priority }
  const components: Component[] = [];
  for (const [pathway, p] of [...pathwayWeights].sort(([a], [b]) => a.localeCompare(b))) {
    const accepted = (p / quintileP) * journey.acceptChance(pathway);
    if (!(accepted > 0)) continue;
    const urgent = journey.urgentRiskChance[pathway];
    const factor = journey.waitPathwayFactor[pathway] * waitFactor;
    components.push({ weight: accepted * urgent, median: journey.waitMedianDays.P1 * factor, lags: lagUrgent, priority: 'P1' });
    for (const [priority, w] of journey.priorityMix) {
      components.push({ weight: (accepted * (1 - urgent) * w) / priorityTotal, median: journey.waitMedianDays[priority] * factor, lags: lagPoisson, priority });
    }
  }
  const cdfOf = (parts: Component[]) => {
    const total = parts.reduce((s, c) => s + c.weight, 0);
    return (t: number) => {
      let sum = 0;
      for (const c of parts) {
        let inner = 0;
        for (const [lag, pl] of c.lags) {
          const s = t - lag;
          if (s >= 0) inner += pl * normalCdf((Math.log(s + 0.5) - Math.log(c.median)) / journey.waitSigma);
        }
        sum += c.weight * inner;
      }
      return sum / total;
    };
  };
  if (components.length === 0) return null;
  const cdf = cdfOf(components);
  const quantile = (f: (t: number) => number, level: number) => {
    let t = 0;
    while (f(t) < level && t < 20_000) t++;
    return t;
  };
  const byPriority = {} as Record<Priority, number>;
  for (const priority of journey.priorities) {
    const parts = components.filter((c) => c.priority === priority && c.weight > 0);
    byPriority[priority] = parts.length > 0 ? quantile(cdfOf(parts), 0.5) : 0;
  }
  return {
    medianDays: quantile(cdf, 0.5),
    centile90Days: quantile(cdf, 0.9),
    shareOver6Weeks: round(1 - cdf(42), 6),
    shareOver18Weeks: round(1 - cdf(126), 6),
    shareOver52Weeks: round(1 - cdf(364), 6),
    medianDaysByPriority: byPriority,
  };
}

/** P(round(normal(mean, sd)) = k) for integer k. */
function roundedNormal(k: number, mean: number, sd: number): number {
  return normalCdf((k + 0.5 - mean) / sd) - normalCdf((k - 0.5 - mean) / sd);
}

/** Exact SWEMWBS metric change by enumerating raw baseline and raw change (see journey.model.ts). */
function swemwbsTruth(q: number, outcomeFactor: number): { baselineMean: number; meanChange: number; shareImproved: number } {
  const m = journey.swemwbsModel;
  const mean = m.baselineMeanLeast - m.baselineStepPerQuintile * (4 - q);
  const changeMean = m.changeMeanLeast * outcomeFactor;
  let baselineMean = 0;
  let meanChange = 0;
  let improved = 0;
  for (let raw = 7; raw <= 35; raw++) {
    const pBase =
      raw === 7 ? normalCdf((7.5 - mean) / m.baselineSd) : raw === 35 ? 1 - normalCdf((34.5 - mean) / m.baselineSd) : roundedNormal(raw, mean, m.baselineSd);
    baselineMean += pBase * journey.swemwbsMetric[raw - 7]!;
    for (let k = -40; k <= 40; k++) {
      const pChange = roundedNormal(k, changeMean, m.changeSd);
      const final = Math.min(35, Math.max(7, raw + k));
      const p = pBase * pChange;
      meanChange += p * (journey.swemwbsMetric[final - 7]! - journey.swemwbsMetric[raw - 7]!);
      if (final > raw) improved += p;
    }
  }
  return { baselineMean: round(baselineMean, 6), meanChange: round(meanChange, 6), shareImproved: round(improved, 6) };
}

/** Exact GAS T-score change by enumerating goals, baseline levels and level changes. */
function gasTruth(outcomeFactor: number): { baselineMean: number; meanChange: number; shareImproved: number } {
  const g = journey.gasModel;
  const goalsTotal = g.goals.reduce((s, [, w]) => s + w, 0);
  const levelsTotal = g.baselineLevels.reduce((s, [, w]) => s + w, 0);
  const changeMean = g.changeMeanLeast * outcomeFactor;
  // Per goal: distribution of (baseline level, final level).
  const perGoal: { base: number; final: number; p: number }[] = [];
  for (const [level, w] of g.baselineLevels) {
    for (let k = -6; k <= 8; k++) {
      const p = (w / levelsTotal) * roundedNormal(k, changeMean, g.changeSd);
      perGoal.push({ base: level, final: Math.min(2, Math.max(-2, level + k)), p });
    }
  }
  let baselineMean = 0;
  let meanChange = 0;
  let improved = 0;
  for (const [goals, w] of g.goals) {
    const pGoals = w / goalsTotal;
    const scale = 10 / Math.sqrt((1 - g.rho) * goals + g.rho * goals * goals);
    // Distribution of (sum of baseline levels, sum of changes) over the goals.
    let dist = new Map<string, number>([['0,0', 1]]);
    for (let i = 0; i < goals; i++) {
      const next = new Map<string, number>();
      for (const [key, p] of dist) {
        const [sumBase, sumChange] = key.split(',').map(Number) as [number, number];
        for (const goal of perGoal) {
          const k = `${sumBase + goal.base},${sumChange + goal.final - goal.base}`;
          next.set(k, (next.get(k) ?? 0) + p * goal.p);
        }
      }
      dist = next;
    }
    for (const [key, p] of dist) {
      const [sumBase, sumChange] = key.split(',').map(Number) as [number, number];
      // T-scores are written to 2 decimals: measure change on the rounded values.
      const before = Math.round((50 + scale * sumBase) * 100) / 100;
      const after = Math.round((50 + scale * (sumBase + sumChange)) * 100) / 100;
      baselineMean += pGoals * p * before;
      meanChange += pGoals * p * (after - before);
      if (sumChange > 0) improved += pGoals * p;
    }
  }
  return { baselineMean: round(baselineMean, 6), meanChange: round(meanChange, 6), shareImproved: round(improved, 6) };
}

function poissonPmf(mean: number, upTo: number): number[] {
  const result: number[] = [];
  let p = Math.exp(-mean);
  for (let k = 0; k <= upTo; k++) {
    result.push(p);
    p *= mean / (k + 1);
  }
  return result;
}

/** The model's fixed rates, for the record (they are not options). */
function modelParameters() {
  return {
    pathwayIntensityByAge: 'journey.model.ts pathwayIntensity (relative referral intensity per year of age and pathway)',
    referralSources: journey.referralSources,
    urgentRiskChance: journey.urgentRiskChance,
    triageOutcomes: journey.triageOutcomes,
    priorityMix: journey.priorityMix,
    triageLag: { urgentDays: [0, 1], otherDays: `1 + Poisson(${journey.triageLagMean})` },
    waitMedianDaysFromTriage: journey.waitMedianDays,
    waitPathwayFactor: journey.waitPathwayFactor,
    waitLogSd: journey.waitSigma,
    waitingPause: journey.waitingPause,
    removalMeanDays: journey.removalMeanDays,
    patientCancelChance: journey.patientCancelChance,
    firstAppointmentAttempts: journey.firstAppointmentAttempts,
    rebookDays: journey.rebookDays,
    furtherAppointmentsMean: journey.furtherAppointmentsMean,
    appointmentGapDays: journey.appointmentGapDays,
    consecutiveDnaLimit: journey.consecutiveDnaLimit,
    completedDischargeReasons: journey.completedDischargeReasons,
    dischargeOutcomeChances: journey.dischargeOutcomeChances,
    outcomeInstrumentFor: journey.outcomeInstrumentFor,
    swemwbs: journey.swemwbsModel,
    gas: journey.gasModel,
  };
}

function per1000(count: number, population: number): number | null {
  return population > 0 ? (1000 * count) / population : null;
}

function roundQuintile(q: QuintileTruth): QuintileTruth {
  return {
    ...q,
    population: round(q.population, 3),
    needIndex: round(q.needIndex, 6),
    plantedAccess: round(q.plantedAccess, 6),
    expectedPeople: round(q.expectedPeople, 3),
    expectedReferrals: round(q.expectedReferrals, 3),
    referralsPer1000: roundOrNull(q.referralsPer1000),
    expectedReferralsWithArea: round(q.expectedReferralsWithArea, 3),
    referralsWithAreaPer1000: roundOrNull(q.referralsWithAreaPer1000),
    expectedReferralsIfEqualAccess: round(q.expectedReferralsIfEqualAccess, 3),
    observedOverExpected: roundOrNull(q.observedOverExpected),
    dnaRate: round(q.dnaRate, 6),
  };
}

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

function roundOrNull(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : round(value, 6);
}

function roundRange(range: [number, number] | null): [number, number] | null {
  return range ? [round(range[0], 6), round(range[1], 6)] : null;
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
