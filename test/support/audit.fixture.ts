/**
 * A realistic `DisclosedAudit`, built by hand, for tests, previews and documentation until the
 * audit engine produces real ones: a year of a fictional primary care occupational therapy
 * service with six fictional local authorities.
 *
 * Planted, so that tests know the answers:
 * - a deprivation gradient in referral rates: the most deprived fifth of areas referred at about
 *   0.6 times the rate of the least deprived;
 * - people from Black ethnic groups wait longer (median 9.1 weeks against 6.0 for White ethnic
 *   groups, intervals apart); Asian groups' interval (6.3 to 7.8) just overlaps White groups'
 *   (5.6 to 6.4), so no gap is claimed, nor for Mixed groups;
 * - disabled people wait longer than people who are not disabled;
 * - more missed appointments (did not attend) in the most deprived fifth, among people aged 16 to
 *   34 and among people who need an interpreter;
 * - fewer people improve on SWEMWBS in the most deprived fifth;
 * - waits do not differ clearly between the most and least deprived fifths (no gap);
 * - ethnicity not known or not stated for 18% of referrals; one area (Eastfield) below the
 *   funnel's 99.8% limit and one (Riverside) above the 95% limit only;
 * - suppressed counts: the "Indeterminate" sex group (4 people) and, by secondary suppression,
 *   "Not known" sex; waits withheld for "Other ethnic groups" (too few seen).
 *
 * Raw counts go through the real disclosure rule (`discloseCount`); every rate and proportion is
 * computed from the disclosed counts with the real measures (PHE rates, Wilson, SII), as the
 * audit engine will. Waits and mean changes are written by hand (they need person-level data).
 */
import { discloseCount, nhsDisclosureRule } from '../../src/disclosure/disclosure.ts';
import type {
  DimensionKey,
  DisclosedAudit,
  DisclosedCount,
  DisclosedCounts,
  DisclosedDimension,
  DisclosedGroup,
  Estimate,
  GroupKind,
  InequalitySummary,
  PromSummary,
  WaitSummary,
} from '../../src/equity/audit/audit.model.ts';
import { ageBands } from '../../src/equity/audit/audit.dimensions.ts';
import { twoSidedZ } from '../../src/numeric/normal.ts';
import { MEAN_METHOD } from '../../src/equity/measures/mean.ts';
import { KM_METHOD } from '../../src/equity/measures/km.ts';
import { RATE_METHOD, poissonCountLimits, rate } from '../../src/equity/measures/rate.ts';
import { RII_DEFINITION, SII_METHODS, slopeIndexOfInequality } from '../../src/equity/measures/sii.ts';
import { WILSON_METHOD, wilsonLimits } from '../../src/equity/measures/wilson.ts';
import { DSR_METHOD } from '../../src/equity/measures/dsr.ts';
import { ISR_METHOD } from '../../src/equity/measures/isr.ts';
import { findingsOf } from '../../src/equity/findings/findings.ts';

const confidence = 0.95;
const rule = nhsDisclosureRule;

interface GroupSpec {
  group: string;
  label: string;
  kind?: GroupKind;
  order?: number;
  population?: number;
  /** Raw referrals (before disclosure control). */
  referrals: number;
  /** Secondary suppression: withhold this group's counts although they are above the threshold. */
  suppress?: boolean;
  /** Median wait in weeks with its interval, by hand; omitted = no wait statistics. */
  median?: [number, number, number];
  /** Share of contacts missed (did not attend). */
  dna?: number;
  /** SWEMWBS: share of people improved by at least 3 points, and mean change [value, sd]. */
  swemwbs?: { improved: number; meanChange: number; sd: number };
  /** Age factor of the directly standardised rate (standardised / crude), for area groups. */
  ageFactor?: number;
  /** Expected referrals from service-wide age-specific rates (indirect standardisation). */
  expected?: number;
}

const disclosed = (count: number, suppress = false): DisclosedCount => {
  if (suppress) return null;
  const result = discloseCount(Math.round(count), rule);
  return result.shown ? result.value : null;
};

const share = (x: DisclosedCount, n: DisclosedCount): Estimate | null => {
  if (x === null || n === null || n === 0) return null;
  const { lower, upper } = wilsonLimits(x, n, confidence);
  return { value: x / n, lower, upper, method: WILSON_METHOD };
};

function countsOf(spec: GroupSpec, inCatchment: number): DisclosedCounts {
  const r = spec.referrals;
  const s = spec.suppress === true;
  const triaged = r * 0.97;
  const accepted = triaged * 0.78;
  const seen = accepted * 0.82;
  const discharged = seen * 0.7;
  const contacts = r * 3.2;
  const dna = spec.dna ?? 0.1;
  return {
    referrals: disclosed(r, s),
    referralsInCatchment: disclosed(inCatchment, s),
    triaged: disclosed(triaged, s),
    priority: { P1: disclosed(triaged * 0.05, s), P2: disclosed(triaged * 0.25, s), P3: disclosed(triaged * 0.55, s), P4: disclosed(triaged * 0.15, s) },
    triageOutcome: {
      accept: disclosed(accepted, s),
      advice_discharge: disclosed(triaged * 0.12, s),
      redirect: disclosed(triaged * 0.07, s),
      return_to_referrer: disclosed(triaged * 0.03, s),
    },
    episodes: disclosed(accepted, s),
    seen: disclosed(seen, s),
    stillWaiting: disclosed(accepted - seen - accepted * 0.02, s),
    contactsAttended: disclosed(contacts * (1 - dna), s),
    contactsDidNotAttend: disclosed(contacts * dna, s),
    discharged: disclosed(discharged, s),
    dischargeOutcomes: {
      gp_appointment_avoided: disclosed(discharged * 0.35, s),
      cmh_referral_avoided: disclosed(discharged * 0.05, s),
      self_management_plan: disclosed(discharged * 0.45, s),
      returned_to_work: disclosed(discharged * 0.06, s),
      stayed_in_work: disclosed(discharged * 0.08, s),
      stayed_in_education: disclosed(discharged * 0.02, s),
      admission_avoided: disclosed(discharged * 0.03, s),
    },
  };
}

/** Waits from a median by hand; the shares follow an exponential wait with that median. */
function waitsOf(median: [number, number, number] | undefined, episodes: DisclosedCount): WaitSummary {
  const none: WaitSummary = { medianWeeks: null, p90Weeks: null, over6Weeks: null, over18Weeks: null, over52Weeks: null };
  // Statistics of fewer than 20 people's waits are withheld, as the engine does.
  if (!median || episodes === null || episodes < 20) return none;
  const [value, lower, upper] = median;
  const over = (weeks: number): Estimate => {
    const p = Math.exp((-Math.LN2 * weeks) / value);
    const limits = wilsonLimits(p * episodes, episodes, confidence);
    return { value: p, lower: limits.lower, upper: limits.upper, method: KM_METHOD };
  };
  const p90 = (value * Math.log(10)) / Math.LN2;
  return {
    medianWeeks: { value, lower, upper, method: KM_METHOD },
    p90Weeks: { value: p90, lower: p90 * 0.9, upper: p90 * 1.12, method: KM_METHOD },
    over6Weeks: over(6),
    over18Weeks: over(18),
    over52Weeks: over(52),
  };
}

function promsOf(spec: GroupSpec, referrals: DisclosedCount): PromSummary[] {
  if (!spec.swemwbs || referrals === null) return [];
  const rawPairs = spec.referrals * 0.33;
  const pairs = disclosed(rawPairs);
  const improved = disclosed(rawPairs * spec.swemwbs.improved);
  const { meanChange, sd } = spec.swemwbs;
  const n = pairs ?? 0;
  const half = n >= 20 ? (twoSidedZ(confidence) * sd) / Math.sqrt(n) : null;
  return [
    {
      instrument: 'SWEMWBS',
      pairs,
      meanChange: half === null ? null : { value: meanChange, lower: meanChange - half, upper: meanChange + half, method: MEAN_METHOD },
      improved,
      improvedShare: n >= 20 ? share(improved, pairs) : null,
      meaningfulChange: 3,
    },
  ];
}

function groupOf(spec: GroupSpec, inCatchmentShare: number): DisclosedGroup {
  const kind = spec.kind ?? 'category';
  const population = spec.population ?? null;
  // Area groups: every referral is of a resident; other dimensions: the catchment share.
  const inCatchment = population !== null ? spec.referrals : kind === 'no_area' ? 0 : spec.referrals * inCatchmentShare;
  const counts = countsOf(spec, inCatchment);
  const x = counts.referralsInCatchment;
  const crude = x !== null && population !== null ? rate(x, population, [confidence], 1000) : null;
  const ratePer1000: Estimate | null = crude
    ? { value: crude.value, lower: crude.intervals[0]!.lower, upper: crude.intervals[0]!.upper, method: RATE_METHOD }
    : null;
  const standardisedRatePer1000: Estimate | null =
    ratePer1000 && spec.ageFactor
      ? {
          value: ratePer1000.value * spec.ageFactor,
          lower: ratePer1000.lower === null ? null : ratePer1000.lower * spec.ageFactor,
          upper: ratePer1000.upper === null ? null : ratePer1000.upper * spec.ageFactor,
          method: `${DSR_METHOD}; ESP 2013 collapsed to the audit's age bands`,
        }
      : null;
  let accessRatio: DisclosedGroup['accessRatio'] = null;
  if (x !== null && spec.expected) {
    const limits = poissonCountLimits(x, confidence);
    accessRatio = {
      value: x / spec.expected,
      lower: limits.lower === null ? null : limits.lower / spec.expected,
      upper: limits.upper / spec.expected,
      method: ISR_METHOD,
      observed: x,
      expected: spec.expected,
    };
  }
  const attended = counts.contactsAttended;
  const missed = counts.contactsDidNotAttend;
  return {
    group: spec.group,
    label: spec.label,
    kind,
    order: spec.order ?? null,
    counts,
    population,
    ratePer1000,
    standardisedRatePer1000,
    accessRatio,
    didNotAttendRate: attended !== null && missed !== null ? share(missed, attended + missed) : null,
    waits: waitsOf(spec.median, counts.episodes),
    proms: promsOf(spec, counts.referrals),
  };
}

function inequalityOf(groups: DisclosedGroup[]): InequalitySummary {
  const ordered = groups.filter((g) => g.kind === 'category' && g.order !== null && g.population !== null && g.counts.referralsInCatchment !== null);
  const most = ordered.find((g) => g.order === Math.min(...ordered.map((o) => o.order!)));
  const least = ordered.find((g) => g.order === Math.max(...ordered.map((o) => o.order!)));
  let rateRatio: Estimate | null = null;
  if (most && least && most.counts.referralsInCatchment && least.counts.referralsInCatchment) {
    const x1 = most.counts.referralsInCatchment;
    const x2 = least.counts.referralsInCatchment;
    const value = x1 / most.population! / (x2 / least.population!);
    const se = Math.sqrt(1 / x1 + 1 / x2);
    const z = twoSidedZ(confidence);
    rateRatio = { value, lower: value * Math.exp(-z * se), upper: value * Math.exp(z * se), method: 'rate ratio of the most to the least deprived group, log-normal interval (Rothman and Greenland)' };
  }
  const result = slopeIndexOfInequality(
    ordered.map((g) => ({ group: g.group, order: g.order!, population: g.population!, value: g.ratePer1000!.value, count: g.counts.referralsInCatchment!, denominator: g.population! })),
    { valueType: 'rate', transform: false, scale: 1000, favourable: true, confidence: [confidence], reps: 10_000, seed: 20_240_401, rii: true },
  );
  return {
    rateRatio,
    sii: { value: result.sii, lower: result.siiIntervals[0]!.lower, upper: result.siiIntervals[0]!.upper, method: SII_METHODS.phe },
    rii: result.riiIntervals
      ? { value: result.rii, lower: result.riiIntervals[0]!.lower, upper: result.riiIntervals[0]!.upper, method: RII_DEFINITION }
      : null,
  };
}

interface DimensionSpec {
  dimension: DimensionKey;
  label: string;
  ordered?: boolean;
  additive?: boolean;
  notes?: string[];
  groups: GroupSpec[];
}

const ethnicMedian = { white: [6.0, 5.6, 6.4], black: [9.1, 8.0, 10.3], asian: [6.9, 6.3, 7.8], mixed: [6.8, 5.2, 8.9] } as const;

/** Referrals by quintile: a planted gradient, most deprived fifth about 0.6 times the least. */
const quintiles: GroupSpec[] = [
  { group: '1', label: '1 - most deprived fifth', order: 1, population: 180_000, referrals: 648, median: [6.8, 6.2, 7.4], dna: 0.14, swemwbs: { improved: 0.48, meanChange: 2.4, sd: 4.6 }, ageFactor: 1.08, expected: 905 },
  { group: '2', label: '2', order: 2, population: 150_000, referrals: 632, median: [6.6, 6.0, 7.2], dna: 0.12, swemwbs: { improved: 0.53, meanChange: 2.8, sd: 4.5 }, ageFactor: 1.04, expected: 700 },
  { group: '3', label: '3', order: 3, population: 120_000, referrals: 587, median: [6.4, 5.8, 7.0], dna: 0.1, swemwbs: { improved: 0.56, meanChange: 3.0, sd: 4.4 }, ageFactor: 1.0, expected: 560 },
  { group: '4', label: '4', order: 4, population: 100_000, referrals: 552, median: [6.3, 5.8, 6.9], dna: 0.085, swemwbs: { improved: 0.6, meanChange: 3.2, sd: 4.4 }, ageFactor: 0.97, expected: 420 },
  { group: '5', label: '5 - least deprived fifth', order: 5, population: 90_000, referrals: 541, median: [6.3, 5.8, 6.9], dna: 0.07, swemwbs: { improved: 0.625, meanChange: 3.4, sd: 4.3 }, ageFactor: 0.94, expected: 375 },
  { group: 'no_area', label: 'No fixed address (no area)', kind: 'no_area', referrals: 34, median: [7.5, 5.0, 10.5], dna: 0.2 },
  { group: 'unknown', label: 'Not known', kind: 'unknown', referrals: 18, dna: 0.1 },
];

const decileRates = [3.3, 3.9, 4.0, 4.4, 4.7, 5.1, 5.4, 5.6, 5.9, 6.1];
const decilePopulations = [90_000, 90_000, 75_000, 75_000, 60_000, 60_000, 50_000, 50_000, 45_000, 45_000];
const deciles: GroupSpec[] = [
  ...decileRates.map((r, i) => ({
    group: String(i + 1),
    label: i === 0 ? '1 - most deprived tenth' : i === 9 ? '10 - least deprived tenth' : String(i + 1),
    order: i + 1,
    population: decilePopulations[i]!,
    referrals: (r * decilePopulations[i]!) / 1000,
    median: [6.9 - i * 0.06, 6.1 - i * 0.05, 7.7 - i * 0.06] as [number, number, number],
    dna: 0.145 - i * 0.008,
  })),
  { group: 'no_area', label: 'No fixed address (no area)', kind: 'no_area' as const, referrals: 34, median: [7.5, 5.0, 10.5] as [number, number, number], dna: 0.2 },
  { group: 'unknown', label: 'Not known', kind: 'unknown' as const, referrals: 18, dna: 0.1 },
];

const ageReferrals: Record<string, number> = { '0-15': 240, '16-24': 190, '25-34': 330, '35-49': 610, '50-64': 720, '65+': 905 };
const agePopulation: Record<string, number> = { '0-15': 120_000, '16-24': 70_000, '25-34': 85_000, '35-49': 120_000, '50-64': 125_000, '65+': 120_000 };
const ageDna: Record<string, number> = { '0-15': 0.09, '16-24': 0.18, '25-34': 0.13, '35-49': 0.09, '50-64': 0.09, '65+': 0.08 };

const dimensionSpecs: DimensionSpec[] = [
  {
    dimension: 'imd_quintile',
    label: 'Deprivation quintile (national)',
    ordered: true,
    notes: ['English Indices of Deprivation 2019, quintiles of LSOAs nationally.', 'People with no fixed address are shown as a group of their own, never dropped.'],
    groups: quintiles,
  },
  { dimension: 'imd_decile', label: 'Deprivation decile (national)', ordered: true, notes: ['English Indices of Deprivation 2019, deciles of LSOAs nationally.'], groups: deciles },
  {
    dimension: 'age_band',
    label: 'Age at referral',
    notes: ['Population from Census 2021 in six age bands.'],
    groups: [
      ...ageBands.map((band) => ({
        group: band.code,
        label: band.label,
        population: agePopulation[band.code]!,
        referrals: ageReferrals[band.code]!,
        median: [6.2 + (band.code === '65+' ? 0.5 : 0), 5.5, 7.3] as [number, number, number],
        dna: ageDna[band.code]!,
        swemwbs: { improved: 0.56, meanChange: 3.0, sd: 4.5 },
      })),
      { group: 'unknown', label: 'Not known', kind: 'unknown' as const, referrals: 17 },
    ],
  },
  {
    dimension: 'sex',
    label: 'Sex (stated gender)',
    notes: ['"Not known" is suppressed as well as "Indeterminate" so the hidden count cannot be worked out from the total.'],
    groups: [
      { group: '2', label: 'Female', referrals: 1780, median: [6.4, 6.0, 6.8], dna: 0.1, swemwbs: { improved: 0.57, meanChange: 3.0, sd: 4.5 } },
      { group: '1', label: 'Male', referrals: 1215, median: [6.5, 6.0, 7.0], dna: 0.11, swemwbs: { improved: 0.55, meanChange: 2.9, sd: 4.5 } },
      { group: '9', label: 'Indeterminate', referrals: 4 },
      { group: 'unknown', label: 'Not known', kind: 'unknown', referrals: 13, suppress: true },
    ],
  },
  {
    dimension: 'ethnic_group',
    label: 'Ethnic group (broad)',
    notes: ['Broad groups of the NHS ethnic category codes: Chinese is in "Other ethnic groups".'],
    groups: [
      { group: 'white', label: 'White', referrals: 2050, median: [...ethnicMedian.white], dna: 0.1, swemwbs: { improved: 0.58, meanChange: 3.1, sd: 4.5 } },
      { group: 'mixed', label: 'Mixed', referrals: 45, median: [...ethnicMedian.mixed], dna: 0.11, swemwbs: { improved: 0.55, meanChange: 2.9, sd: 4.5 } },
      { group: 'asian', label: 'Asian or Asian British', referrals: 245, median: [...ethnicMedian.asian], dna: 0.11, swemwbs: { improved: 0.54, meanChange: 2.8, sd: 4.5 } },
      { group: 'black', label: 'Black or Black British', referrals: 120, median: [...ethnicMedian.black], dna: 0.12, swemwbs: { improved: 0.5, meanChange: 2.6, sd: 4.6 } },
      { group: 'other', label: 'Other ethnic groups', referrals: 17, median: [7.0, 4.0, 11.0], dna: 0.1 },
      { group: 'not_stated', label: 'Not stated', kind: 'unknown', referrals: 240, median: [6.3, 5.5, 7.1], dna: 0.1 },
      { group: 'unknown', label: 'Not known', kind: 'unknown', referrals: 295, median: [6.5, 5.8, 7.2], dna: 0.12 },
    ],
  },
  {
    dimension: 'disability',
    label: 'Disability',
    groups: [
      { group: 'yes', label: 'Disabled', referrals: 1020, median: [7.4, 6.9, 8.0], dna: 0.11, swemwbs: { improved: 0.53, meanChange: 2.8, sd: 4.6 } },
      { group: 'no', label: 'Not disabled', referrals: 1610, median: [6.2, 5.9, 6.6], dna: 0.1, swemwbs: { improved: 0.58, meanChange: 3.1, sd: 4.4 } },
      { group: 'unknown', label: 'Not known', kind: 'unknown', referrals: 382, median: [6.1, 5.5, 6.8], dna: 0.1 },
    ],
  },
  {
    dimension: 'interpreter',
    label: 'Interpreter needed',
    groups: [
      { group: 'yes', label: 'Needs an interpreter', referrals: 95, median: [7.0, 5.9, 8.3], dna: 0.15, swemwbs: { improved: 0.52, meanChange: 2.7, sd: 4.8 } },
      { group: 'no', label: 'No interpreter needed', referrals: 2640, median: [6.4, 6.1, 6.7], dna: 0.09, swemwbs: { improved: 0.56, meanChange: 3.0, sd: 4.5 } },
      { group: 'unknown', label: 'Not known', kind: 'unknown', referrals: 277, median: [6.6, 5.9, 7.3], dna: 0.11 },
    ],
  },
  {
    dimension: 'local_authority',
    label: 'Local authority',
    notes: ['Fictional areas. Rates use the resident population (ONS mid-year estimates).'],
    groups: [
      { group: 'LA001', label: 'Millbrook', population: 150_000, referrals: 700, median: [6.3, 5.8, 6.8], dna: 0.1, swemwbs: { improved: 0.56, meanChange: 3.0, sd: 4.5 } },
      { group: 'LA002', label: 'Eastfield', population: 130_000, referrals: 520, median: [6.7, 6.1, 7.3], dna: 0.12, swemwbs: { improved: 0.56, meanChange: 2.9, sd: 4.5 } },
      { group: 'LA003', label: 'Ashworth', population: 110_000, referrals: 530, median: [6.4, 5.8, 7.0], dna: 0.1, swemwbs: { improved: 0.56, meanChange: 3.0, sd: 4.5 } },
      { group: 'LA004', label: 'Riverside', population: 95_000, referrals: 505, median: [6.2, 5.6, 6.8], dna: 0.09, swemwbs: { improved: 0.56, meanChange: 3.1, sd: 4.5 } },
      { group: 'LA005', label: 'Hollins Vale', population: 85_000, referrals: 395, median: [6.5, 5.8, 7.2], dna: 0.1, swemwbs: { improved: 0.56, meanChange: 3.0, sd: 4.5 } },
      { group: 'LA006', label: 'Kirkby Moor', population: 70_000, referrals: 310, median: [6.6, 5.9, 7.4], dna: 0.1, swemwbs: { improved: 0.56, meanChange: 2.9, sd: 4.5 } },
      { group: 'no_area', label: 'No fixed address (no area)', kind: 'no_area', referrals: 34 },
      { group: 'unknown', label: 'Not known', kind: 'unknown', referrals: 18 },
    ],
  },
];

const totalReferrals = 3012;
const totalInCatchment = 2960;
const totalPopulation = 640_000;

function dimensionOf(spec: DimensionSpec, totalShown: number): DisclosedDimension {
  const groups = spec.groups.map((g) => groupOf(g, totalInCatchment / totalReferrals));
  const unknown = groups.filter((g) => g.kind !== 'category');
  const unknownReferrals = unknown.some((g) => g.counts.referrals === null) ? null : unknown.reduce((s, g) => s + (g.counts.referrals ?? 0), 0);
  return {
    dimension: spec.dimension,
    label: spec.label,
    ordered: spec.ordered ?? false,
    additive: spec.additive ?? true,
    groups,
    unknownReferrals,
    unknownShare: unknownReferrals === null ? null : unknownReferrals / totalShown,
    inequality: spec.ordered ? inequalityOf(groups) : null,
    notes: ['Counts are rounded to the nearest 5, so groups may not add up to the total.', ...(spec.notes ?? [])],
  };
}

/** The fixture audit. Each call builds a fresh copy, so tests may change it freely. */
export function auditFixture(): DisclosedAudit {
  const total = groupOf(
    { group: 'total', label: 'All referrals', population: totalPopulation, referrals: totalReferrals, median: [6.4, 6.1, 6.7], dna: 0.1, swemwbs: { improved: 0.56, meanChange: 3.0, sd: 4.5 }, ageFactor: 1 },
    1,
  );
  // The total's catchment referrals exclude people with no area or no known area.
  total.counts.referralsInCatchment = disclosed(totalInCatchment);
  const crude = rate(total.counts.referralsInCatchment!, totalPopulation, [confidence], 1000);
  total.ratePer1000 = { value: crude.value, lower: crude.intervals[0]!.lower, upper: crude.intervals[0]!.upper, method: RATE_METHOD };
  const shown = total.counts.referrals!;
  const audit: DisclosedAudit = {
    service: {
      id: 1,
      code: 'EXAMPLE-OT',
      name: 'Example Primary Care Occupational Therapy',
      organisationName: 'Example Health Partnership (fictional)',
      catchment: 'Six fictional local authority areas, 640,000 residents',
    },
    period: { from: '2024-04-01', to: '2025-03-31', asOf: '2025-03-31' },
    confidence,
    generatedAt: '2025-04-02T09:00:00.000Z',
    sources: [
      'English Indices of Deprivation 2019, Ministry of Housing, Communities and Local Government (LSOA 2011)',
      'Census 2021 usual residents by age, Office for National Statistics',
      'National Statistics Postcode Lookup, November 2021, Office for National Statistics',
    ],
    disclosure: {
      ...rule,
      applied: true,
      description:
        'Counts from 1 to 7 are not shown and every other count is rounded to the nearest 5 (the NHS rule for statistics below national level). Rates and percentages are worked out from the rounded counts. Where a hidden count could be worked out from a total, a second count is hidden too.',
    },
    total,
    dimensions: dimensionSpecs.map((d) => dimensionOf(d, shown)),
    findings: [],
  };
  audit.findings = findingsOf(audit);
  return audit;
}
