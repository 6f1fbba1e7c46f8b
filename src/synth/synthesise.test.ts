import { describe, expect, it } from 'vitest';
import { referralRowSchema } from '../imports/referral-row.schema.ts';
import { isValidNhsNumber } from '../people/nhs-number.ts';
import { parsePostcode } from '../reference/postcode.ts';
import { dayOf } from './calendar.ts';
import { fixtureFrame } from '../../test/support/synth-frame.fixture.ts';
import { resolveSynthOptions, type SynthOptionsInput } from './options.ts';
import { generateReferralRows, NhsNumberSequence, synthesise, type ReferralCsvRow } from './synthesise.ts';
import { computeTruth } from './truth.ts';

const frame = fixtureFrame({ perDecile: 5, welshAreas: 10 });
const quintileOf = new Map(frame.areas.map((a) => [a.code, a.quintile]));
const populationOf = new Map(frame.areas.map((a) => [a.code, a.population]));

const neutral: SynthOptionsInput['gradients'] = {
  deprivation: 1,
  need: 1,
  ethnicity: { white: 1, mixed: 1, asian: 1, black: 1, other: 1 },
  age: [],
  wait: 1,
  dna: 1,
  outcome: 1,
};
const noMissing: SynthOptionsInput['missing'] = {
  ethnicityNotStated: 0, ethnicityNotKnown: 0, ethnicityBlank: 0, postcodeUnknown: 0, postcodeInvalid: 0, noFixedAddress: 0, areaCodeOmitted: 0,
};

function rowsFor(input: SynthOptionsInput): { rows: ReferralCsvRow[]; options: ReturnType<typeof resolveSynthOptions> } {
  const options = resolveSynthOptions(input);
  return { rows: [...generateReferralRows(options, frame)], options };
}
const firstReferrals = (rows: ReferralCsvRow[]) => rows.filter((row) => row.source_record_id.endsWith('-1'));
const days = (from: string, to: string) => dayOf(to) - dayOf(from);

/** Chi-square critical value at p = 0.001 (Wilson-Hilferty approximation, within 0.1% here). */
const chiSquareCritical = (df: number) => df * (1 - 2 / (9 * df) + 3.0902 * Math.sqrt(2 / (9 * df))) ** 3;

describe('synthesise: rows', () => {
  it('writes rows that every pass the referral CSV schema, over thousands of rows', () => {
    for (const input of [
      { people: 6000, seed: 1 },
      {
        people: 3000,
        seed: 2,
        yearEnd: '2024-02-29',
        missing: { ethnicityNotStated: 0.2, ethnicityNotKnown: 0.2, ethnicityBlank: 0.2, postcodeUnknown: 0.2, postcodeInvalid: 0.2, noFixedAddress: 0.2, areaCodeOmitted: 1 },
        gradients: { wait: 4, dna: 3, outcome: 0.2, deprivation: 0.3, age: [{ from: 65, to: null, multiplier: 3 }] },
      },
    ] satisfies SynthOptionsInput[]) {
      const { rows, options } = rowsFor(input);
      const schema = referralRowSchema({ today: options.yearEnd });
      const failures = rows.flatMap((row) => {
        const result = schema.safeParse(row);
        return result.success ? [] : [{ id: row.source_record_id, issues: result.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`) }];
      });
      expect(failures.slice(0, 5)).toEqual([]);
      expect(rows.length).toBeGreaterThan(options.people);
      expect(new Set(rows.map((r) => r.source_record_id)).size).toBe(rows.length);
      expect(new Set(rows.map((r) => r.person_id)).size).toBe(options.people);
      const yearStart = dayOf(options.yearEnd) - 364;
      expect(rows.every((r) => dayOf(r.referral_received) >= yearStart && r.referral_received <= options.yearEnd)).toBe(true);
    }
  });

  it('covers the whole journey: untriaged, every triage outcome, still waiting, removed, seen, discharged, scored', () => {
    const { rows } = rowsFor({ people: 6000, seed: 3 });
    const share = (test: (row: ReferralCsvRow) => boolean) => rows.filter(test).length / rows.length;
    expect(share((r) => r.triage_date === '')).toBeGreaterThan(0);
    for (const outcome of ['accept', 'advice_discharge', 'redirect', 'return_to_referrer']) expect(share((r) => r.triage_outcome === outcome)).toBeGreaterThan(0.01);
    for (const pathway of ['mental_health', 'frailty_falls', 'work_health', 'children_families', 'community_rehab', 'signpost']) {
      expect(share((r) => r.pathway === pathway)).toBeGreaterThan(0.02);
    }
    expect(share((r) => r.triage_outcome === 'accept' && r.first_contact_date === '' && r.discharge_date === '')).toBeGreaterThan(0.02); // still waiting
    expect(share((r) => r.triage_outcome === 'accept' && r.first_contact_date === '' && r.discharge_date !== '')).toBeGreaterThan(0.005); // removed
    expect(share((r) => r.first_contact_date !== '' && r.discharge_date === '')).toBeGreaterThan(0.02); // in treatment
    expect(share((r) => r.discharge_reason === 'goals_met')).toBeGreaterThan(0.1);
    expect(share((r) => r.discharge_reason === 'did_not_attend')).toBeGreaterThan(0.001);
    expect(share((r) => r.clock_pauses !== '')).toBeGreaterThan(0.01);
    expect(share((r) => Number(r.contacts_did_not_attend) > 0)).toBeGreaterThan(0.05);
    expect(share((r) => r.outcome_instrument === 'SWEMWBS' && r.outcome_final_score !== '')).toBeGreaterThan(0.05);
    expect(share((r) => r.outcome_instrument === 'GAS' && r.outcome_final_score !== '')).toBeGreaterThan(0.05);
    expect(share((r) => r.discharge_outcomes.includes('gp_appointment_avoided'))).toBeGreaterThan(0.02);
    expect(share((r) => r.urgent_risk === 'true')).toBeGreaterThan(0.005);
    // Children are on the children's pathway, frailty is for older people.
    expect(rows.filter((r) => r.pathway === 'children_families').every((r) => days(r.date_of_birth, r.referral_received) < 19 * 366)).toBe(true);
    expect(rows.filter((r) => r.pathway === 'frailty_falls').every((r) => days(r.date_of_birth, r.referral_received) >= 50 * 365)).toBe(true);
    // Repeat referrals keep the same person details.
    const byPerson = new Map<string, ReferralCsvRow[]>();
    for (const row of rows) byPerson.set(row.person_id, [...(byPerson.get(row.person_id) ?? []), row]);
    const repeats = [...byPerson.values()].filter((list) => list.length === 2);
    expect(repeats.length / byPerson.size).toBeGreaterThan(0.06);
    for (const [a, b] of repeats) {
      expect(b!.referral_received >= a!.referral_received).toBe(true);
      expect([b!.nhs_number, b!.date_of_birth, b!.postcode, b!.ethnicity]).toEqual([a!.nhs_number, a!.date_of_birth, a!.postcode, a!.ethnicity]);
    }
  });

  it('gives the same rows for the same seed and different rows for another seed', async () => {
    const options = resolveSynthOptions({ people: 1500, seed: 20261121 });
    const first = JSON.stringify([...generateReferralRows(options, frame)]);
    const again: ReferralCsvRow[] = [];
    for await (const row of synthesise(options, frame)) again.push(row);
    expect(JSON.stringify(again)).toBe(first);
    const other = JSON.stringify([...generateReferralRows({ ...options, seed: 20261122 }, frame)]);
    expect(other).not.toBe(first);
  });

  it('uses NHS numbers from the 999 test range only, valid by Modulus 11 and never repeated', () => {
    const { rows } = rowsFor({ people: 5000, seed: 4 });
    const numbers = firstReferrals(rows).map((r) => r.nhs_number).filter(Boolean);
    expect(numbers.length / 5000).toBeGreaterThan(0.85);
    expect(numbers.every((n) => /^999\d{7}$/.test(n) && isValidNhsNumber(n))).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
    // The whole range: about 909,000 valid numbers, then none.
    const sequence = new NhsNumberSequence(9);
    const seen = new Set<string>();
    for (let i = 0; i < 950_000; i++) {
      const n = sequence.next();
      if (n === '') break;
      seen.add(n);
    }
    expect(seen.size).toBeGreaterThan(900_000);
    expect(seen.size).toBeLessThan(920_000);
    expect(sequence.next()).toBe('');
  });

  it('gives people in Wales Welsh names (with ŵ and ŷ among them) and some the Welsh language', () => {
    const { rows } = rowsFor({ people: 20000, seed: 5 });
    const welshAreas = new Set(frame.areas.filter((a) => a.nation === 'W').map((a) => a.code));
    const inWales = firstReferrals(rows).filter((r) => welshAreas.has(r.area_code));
    expect(inWales.length).toBeGreaterThan(500);
    expect(inWales.filter((r) => r.language === 'cy').length / inWales.length).toBeGreaterThan(0.04);
    const names = firstReferrals(rows).map((r) => `${r.given_name} ${r.family_name}`).join('\n');
    expect(names).toMatch(/ŵ/);
    expect(names).toMatch(/ŷ/);
    expect(rows.filter((r) => !welshAreas.has(r.area_code) && r.area_code !== '').some((r) => r.language === 'cy')).toBe(false);
  });
});

describe('synthesise: people follow the population and the planted gradients', () => {
  it('draws people in proportion to area population when no gradient is planted (chi-square, p > 0.001)', () => {
    const { rows } = rowsFor({ people: 30000, seed: 6, gradients: neutral, missing: noMissing });
    const people = firstReferrals(rows);
    const counts = new Map<string, number>();
    for (const row of people) counts.set(row.area_code, (counts.get(row.area_code) ?? 0) + 1);
    expect(counts.has('')).toBe(false);
    const total = frame.areas.reduce((s, a) => s + a.population, 0);
    let chi = 0;
    for (const area of frame.areas) {
      const expected = (people.length * area.population) / total;
      chi += ((counts.get(area.code) ?? 0) - expected) ** 2 / expected;
    }
    expect(chi).toBeLessThan(chiSquareCritical(frame.areas.length - 1));
  });

  it('recovers the planted deprivation gradient in access, crude rates, waits, DNA and outcomes', () => {
    const input: SynthOptionsInput = {
      people: 40000,
      seed: 8,
      gradients: { deprivation: 0.6, need: 1.4, wait: 1.5, dna: 2, outcome: 0.6, age: [{ from: 65, to: null, multiplier: 0.8 }] },
      missing: { ...noMissing, noFixedAddress: 0.02, postcodeInvalid: 0.02 },
    };
    const { rows, options } = rowsFor(input);
    const truth = computeTruth(options, frame);
    expect(truth.expected.deprivation.accessRateRatioMostVsLeast).toBeCloseTo(0.6, 6);
    expect(truth.expected.deprivation.dnaRateRatioMostVsLeast).toBeCloseTo(2, 6);

    const byQuintile = [1, 2, 3, 4, 5].map(() => ({ referrals: 0, attended: 0, dna: 0, waits: [] as [number, boolean][], swemwbs: [] as number[] }));
    const yearEnd = options.yearEnd;
    for (const row of rows) {
      const q = quintileOf.get(row.area_code);
      if (q === undefined) continue;
      const entry = byQuintile[q - 1]!;
      entry.referrals++;
      entry.attended += Number(row.contacts_attended || 0);
      entry.dna += Number(row.contacts_did_not_attend || 0);
      if (row.triage_outcome === 'accept') {
        const paused = row.clock_pauses ? row.clock_pauses.split(';').reduce((s, p) => s + days(p.split('/')[0]!, p.split('/')[1]!), 0) : 0;
        const end = row.first_contact_date || row.discharge_date || yearEnd;
        entry.waits.push([days(row.clock_start, end) - paused, row.first_contact_date !== '']);
      }
      if (row.outcome_instrument === 'SWEMWBS' && row.outcome_final_score) entry.swemwbs.push(Number(row.outcome_final_score) - Number(row.outcome_baseline_score));
    }

    // Access relative to need and crude rates: within 3.29 standard errors (99.9%) of the truth.
    const [most, least] = [byQuintile[0]!, byQuintile[4]!];
    const [t1, t5] = [truth.expected.deprivationQuintile[0]!, truth.expected.deprivationQuintile[4]!];
    const within = (observed: number, expected: number, range: [number, number]) => {
      const se = Math.log(range[1] / expected) / 1.96;
      expect(Math.abs(Math.log(observed / expected)) / se).toBeLessThan(3.29);
    };
    const observedAccess = most.referrals / t1.expectedReferralsIfEqualAccess / (least.referrals / t5.expectedReferralsIfEqualAccess);
    within(observedAccess, 0.6, truth.expected.deprivation.accessRateRatio95Range!);
    const observedCrude = most.referrals / t1.population / (least.referrals / t5.population);
    within(observedCrude, truth.expected.deprivation.crudeRateRatioMostVsLeast!, truth.expected.deprivation.crudeRateRatio95Range!);
    // Referrals with a recorded area per quintile, against their expectation (Poisson-ish, 4 SE).
    byQuintile.forEach((entry, q) => {
      const expected = truth.expected.deprivationQuintile[q]!.expectedReferralsWithArea;
      expect(Math.abs(entry.referrals - expected)).toBeLessThan(4 * Math.sqrt(expected * 1.15));
    });

    // DNA rate per appointment: binomial, 4 SE (inflated for clustering within people).
    byQuintile.forEach((entry, q) => {
      const rate = entry.dna / (entry.dna + entry.attended);
      const expected = truth.expected.deprivationQuintile[q]!.dnaRate;
      expect(Math.abs(rate - expected)).toBeLessThan(4 * Math.sqrt((expected * (1 - expected)) / (entry.dna + entry.attended)) * 1.5);
    });

    // Median wait by Kaplan-Meier (still waiting and removed censored): within 6% of the truth.
    byQuintile.forEach((entry, q) => {
      const expected = truth.expected.deprivationQuintile[q]!.waits!.medianDays;
      expect(Math.abs(kaplanMeierMedian(entry.waits) - expected) / expected).toBeLessThan(0.06);
    });

    // SWEMWBS change: mean within 4 SE.
    byQuintile.forEach((entry, q) => {
      const expected = truth.expected.deprivationQuintile[q]!.outcomes.SWEMWBS.meanChange;
      const mean = entry.swemwbs.reduce((s, v) => s + v, 0) / entry.swemwbs.length;
      const sd = Math.sqrt(entry.swemwbs.reduce((s, v) => s + (v - mean) ** 2, 0) / (entry.swemwbs.length - 1));
      expect(Math.abs(mean - expected)).toBeLessThan((4 * sd) / Math.sqrt(entry.swemwbs.length));
    });
    expect(t1.outcomes.SWEMWBS.meanChange / t5.outcomes.SWEMWBS.meanChange).toBeCloseTo(0.6, 1);
  });

  it('recovers planted ethnicity and age multipliers', () => {
    const { rows, options } = rowsFor({
      people: 40000,
      seed: 9,
      gradients: { ...neutral, ethnicity: { white: 1, mixed: 1, asian: 0.5, black: 1, other: 1 }, age: [{ from: 0, to: 15, multiplier: 2 }] },
      missing: noMissing,
    });
    const truth = computeTruth(options, frame);
    const asian = truth.expected.ethnicity.find((e) => e.group === 'asian')!;
    const share = rows.filter((r) => ['H', 'J', 'K', 'L'].includes(r.ethnicity)).length / rows.length;
    expect(Math.abs(share - asian.referralShare)).toBeLessThan(4 * Math.sqrt((asian.referralShare * (1 - asian.referralShare)) / rows.length) * 1.1);
    expect(asian.rateRatioVsWhite).toBeLessThan(0.6);
    const children = truth.expected.ageBand.find((b) => b.from === 0)!;
    expect(children.accessMultiplier).toBe(2);
    const observed = rows.filter((r) => days(r.date_of_birth, r.referral_received) < 16 * 365.25 - 1).length;
    expect(Math.abs(observed - children.expectedReferrals)).toBeLessThan(4 * Math.sqrt(children.expectedReferrals * 1.15) + 0.002 * rows.length);
  });

  it('writes unknown ethnicity, unusable postcodes and no fixed address in the configured shares', () => {
    const missing = { ethnicityNotStated: 0.1, ethnicityNotKnown: 0.05, ethnicityBlank: 0.08, postcodeUnknown: 0.04, postcodeInvalid: 0.03, noFixedAddress: 0.02, areaCodeOmitted: 0.5 };
    const { rows } = rowsFor({ people: 20000, seed: 10, missing });
    const people = firstReferrals(rows);
    const n = people.length;
    const expectShare = (count: number, p: number, of = n) => expect(Math.abs(count / of - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / of));
    expectShare(people.filter((r) => r.ethnicity === 'Z').length, missing.ethnicityNotStated);
    expectShare(people.filter((r) => r.ethnicity === '99').length, missing.ethnicityNotKnown);
    expectShare(people.filter((r) => r.ethnicity === '').length, missing.ethnicityBlank);

    const homeless = people.filter((r) => r.no_fixed_address === 'true');
    expectShare(homeless.length, missing.noFixedAddress);
    expect(homeless.every((r) => r.postcode === '' && r.area_code === '' && r.inclusion_groups.split(';').includes('homeless'))).toBe(true);
    const invalid = people.filter((r) => r.postcode !== '' && !parsePostcode(r.postcode).ok);
    expectShare(invalid.length, missing.postcodeInvalid);
    expect(invalid.every((r) => r.area_code === '')).toBe(true);
    const unknown = people.filter((r) => r.postcode.startsWith('X'));
    expectShare(unknown.length, missing.postcodeUnknown);
    expect(unknown.every((r) => parsePostcode(r.postcode).ok && r.area_code === '')).toBe(true);
    // Everyone else has an area: written, or (half of those with a real postcode) left to the postcode lookup.
    const housed = people.filter((r) => r.no_fixed_address === 'false' && parsePostcode(r.postcode || 'DT1 1AA').ok && !r.postcode.startsWith('X'));
    expect(housed.every((r) => r.area_code !== '' || r.postcode !== '')).toBe(true);
    const withRealPostcode = housed.filter((r) => r.postcode !== '');
    expectShare(withRealPostcode.filter((r) => r.area_code === '').length, missing.areaCodeOmitted, withRealPostcode.length);
    // Areas without postcodes in the reference data: postcode blank, area written.
    expect(housed.some((r) => r.postcode === '' && r.area_code !== '')).toBe(true);
  });
});

describe('truth', () => {
  it('adds up: expected people sum to --people and the planted ratios are exact', () => {
    const options = resolveSynthOptions({ people: 12345, seed: 1, gradients: { deprivation: 0.7, need: 1.6, dna: 1.5, wait: 1.3 } });
    const truth = computeTruth(options, frame);
    const quintiles = truth.expected.deprivationQuintile;
    expect(quintiles.reduce((s, q) => s + q.expectedPeople, 0)).toBeCloseTo(12345, 1);
    expect(truth.expected.deprivationDecile.reduce((s, d) => s + d.expectedReferrals, 0)).toBeCloseTo(truth.expected.referrals, 1);
    expect(truth.expected.ageBand.reduce((s, b) => s + b.expectedReferrals, 0)).toBeCloseTo(truth.expected.referrals, 1);
    expect(truth.expected.ethnicity.reduce((s, e) => s + e.referralShare, 0)).toBeCloseTo(1, 5);
    expect(truth.expected.deprivation.accessRateRatioMostVsLeast).toBeCloseTo(0.7, 6);
    expect(truth.expected.deprivation.dnaRateRatioMostVsLeast).toBeCloseTo(1.5, 6);
    // Observed over expected follows the planted access factor in every quintile.
    quintiles.forEach((q) => expect(q.observedOverExpected! / quintiles[4]!.observedOverExpected!).toBeCloseTo(q.plantedAccess, 5));
    // Longer waits where the gradient says so.
    expect(quintiles[0]!.waits!.medianDays).toBeGreaterThan(quintiles[4]!.waits!.medianDays);
    const [low, high] = truth.expected.deprivation.accessRateRatio95Range!;
    expect(low).toBeLessThan(0.7);
    expect(high).toBeGreaterThan(0.7);
    expect(JSON.parse(JSON.stringify(truth))).toEqual(truth);
  });
});

/** Kaplan-Meier median: the first time at which the survival estimate reaches 0.5 or below. */
function kaplanMeierMedian(observations: [number, boolean][]): number {
  const sorted = [...observations].sort((a, b) => a[0] - b[0] || Number(b[1]) - Number(a[1]));
  let atRisk = sorted.length;
  let survival = 1;
  let i = 0;
  while (i < sorted.length) {
    const time = sorted[i]![0];
    let events = 0;
    let leaving = 0;
    while (i < sorted.length && sorted[i]![0] === time) {
      if (sorted[i]![1]) events++;
      leaving++;
      i++;
    }
    survival *= 1 - events / atRisk;
    atRisk -= leaving;
    if (survival <= 0.5) return time;
  }
  return Number.POSITIVE_INFINITY;
}
