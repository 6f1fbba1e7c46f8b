import { describe, expect, it } from 'vitest';
import type { AuditAggregates, DisclosedAudit } from './audit.model.ts';
import { aggregateRecords, type PopulationOptions, type ReferralRecord } from '../../../test/support/audit.arbitrary.ts';
import { discloseAudit } from './audit.disclosure.ts';
import { discloseCount, nationalDisclosureRule, suppressionOnlyRule } from '../../disclosure/disclosure.ts';

/** A referral record: everyone in the most deprived decile and local fifth unless told otherwise. */
function person(overrides: Partial<ReferralRecord> & { weight: number }): ReferralRecord {
  return {
    area: { kind: 'catchment', decile: 1, localQuintile: 1 },
    ageBand: 3,
    sex: '1',
    ethnicGroup: 'white',
    inclusion: [],
    triage: null,
    episode: null,
    ...overrides,
  };
}

const flat = (n: number) => [n, n, n, n, n, n];
const noPopulation: PopulationOptions = { byLocalQuintile: null, byDecile: null };

const dimension = (audit: DisclosedAudit, key: string) => audit.dimensions.find((d) => d.dimension === key)!;
const group = (audit: DisclosedAudit, key: string, code: string) => dimension(audit, key).groups.find((g) => g.group === code)!;
const rawGroup = (aggregates: AuditAggregates, key: string, code: string) => aggregates.dimensions.find((d) => d.dimension === key)!.groups.find((g) => g.group === code)!;

describe('primary suppression and rounding', () => {
  it('shows 3, 12 and 100 as hidden, 10 and 100', () => {
    expect([3, 12, 100].map((n) => discloseCount(n).value)).toEqual([null, 10, 100]);
    // Inclusion health groups overlap, so no family ties them together: only the primary rule applies.
    const aggregates = aggregateRecords(
      [person({ weight: 3, inclusion: ['homeless'] }), person({ weight: 12, inclusion: ['carer'] }), person({ weight: 100, inclusion: ['asylum_seeker'] })],
      noPopulation,
    );
    const audit = discloseAudit(aggregates);
    expect(['homeless', 'carer', 'asylum_seeker'].map((code) => group(audit, 'inclusion_group', code).counts.referrals)).toEqual([null, 10, 100]);
    expect(audit.total.counts.referrals).toBe(115);
  });

  it('shows every count exactly under the national rule, and says so', () => {
    const aggregates = aggregateRecords([person({ weight: 3, inclusion: ['homeless'] }), person({ weight: 12 })], noPopulation);
    const audit = discloseAudit(aggregates, nationalDisclosureRule);
    expect(group(audit, 'inclusion_group', 'homeless').counts.referrals).toBe(3);
    expect(audit.total.counts.referrals).toBe(15);
    expect(audit.disclosure).toMatchObject({ suppressUpTo: 0, roundTo: 1, applied: true });
    expect(audit.disclosure.description).toMatch(/^No disclosure control/);
  });

  it('describes the default rule in plain English', () => {
    const audit = discloseAudit(aggregateRecords([], noPopulation));
    expect(audit.disclosure).toMatchObject({ suppressUpTo: 7, roundTo: 5, applied: true });
    expect(audit.disclosure.description).toContain('Counts from 1 to 7 are hidden');
    expect(audit.disclosure.description).toContain('rounded to the nearest 5');
    expect(discloseAudit(aggregateRecords([], noPopulation), suppressionOnlyRule).disclosure.description).toContain('shown exactly');
  });

  it('refuses a rule that would show a small count as zero or inside the hidden range', () => {
    const aggregates = aggregateRecords([], noPopulation);
    expect(() => discloseAudit(aggregates, { suppressUpTo: 0, roundTo: 5 })).toThrow(RangeError);
    expect(() => discloseAudit(aggregates, { suppressUpTo: 6, roundTo: 6 })).toThrow(RangeError);
    expect(() => discloseAudit(aggregates, { suppressUpTo: 7, roundTo: 0 })).toThrow(RangeError);
  });
});

describe('secondary suppression', () => {
  it('hides a second group when one small group would be the total minus the others', () => {
    // Sex: male 3, female 12, not known 100; total 115. Rounding alone would not protect the 3:
    // without rounding 115 - 12 - 100 = 3 exactly. So female (the smallest other non-zero) goes too.
    const aggregates = aggregateRecords([person({ weight: 3, sex: '1' }), person({ weight: 12, sex: '2' }), person({ weight: 100, sex: null })], noPopulation);
    for (const rule of [undefined, suppressionOnlyRule]) {
      const audit = discloseAudit(aggregates, rule);
      expect(['1', '2', 'unknown'].map((code) => group(audit, 'sex', code).counts.referrals)).toEqual([null, null, 100]);
      expect(audit.total.counts.referrals).toBe(115);
      expect(dimension(audit, 'sex').unknownReferrals).toBe(100);
      expect(dimension(audit, 'sex').unknownShare).toBeCloseTo(100 / 115, 12);
    }
  });

  it('protects the triage outcomes within a row: 30 triaged, 25 accepted, 5 given advice', () => {
    const aggregates = aggregateRecords(
      [
        person({ weight: 25, triage: { outcome: 'accept', priority: 'P3', pathway: 'mental_health' } }),
        person({ weight: 5, triage: { outcome: 'advice_discharge', priority: null, pathway: 'mental_health' } }),
      ],
      noPopulation,
    );
    const audit = discloseAudit(aggregates);
    expect(audit.total.counts.triaged).toBe(30);
    expect(audit.total.counts.triageOutcome).toEqual({ accept: null, advice_discharge: null, redirect: 0, return_to_referrer: 0 });
    // The priorities do not add up to triaged (advice needs no priority), so P3 = 25 stays.
    expect(audit.total.counts.priority.P3).toBe(25);
  });

  it('withholds a statistic when its count is hidden by secondary suppression', () => {
    // DNA counts: 3 in the male group (hidden), 30 in the female group (hidden to protect it), 50 unknown.
    const seenWith = (didNotAttend: number) => ({ seen: true, stillWaiting: false, waitDays: 14, attended: 2, didNotAttend, discharged: false, outcomes: [], prom: null });
    const accepted = { outcome: 'accept' as const, priority: 'P3' as const, pathway: 'mental_health' as const };
    const aggregates = aggregateRecords(
      [
        person({ weight: 3, sex: '1', triage: accepted, episode: seenWith(1) }),
        person({ weight: 10, sex: '2', triage: accepted, episode: seenWith(3) }),
        person({ weight: 25, sex: null, triage: accepted, episode: seenWith(2) }),
      ],
      noPopulation,
    );
    const audit = discloseAudit(aggregates);
    expect(group(audit, 'sex', '1').counts.contactsDidNotAttend).toBeNull();
    expect(group(audit, 'sex', '2').counts.contactsDidNotAttend).toBeNull();
    expect(group(audit, 'sex', '2').didNotAttendRate).toBeNull();
    expect(group(audit, 'sex', 'unknown').didNotAttendRate!.value).toBeCloseTo(50 / 100, 12);
  });
});

describe('statistics from disclosed counts', () => {
  it('standardises from the rounded age-band counts, not the raw ones', () => {
    // Local fifth 1 holds everybody: 11, 0, 19, 14, 26, 31 by age band, rounded to 10, 0, 20, 15,
    // 25, 30, in populations 1000, 800, 900, 1500, 1200, 1100 (audit.statistics.test.ts works
    // this DSR out by hand: 15.96846 per 1,000; from the raw counts it would be 16.20034).
    const counts = [11, 0, 19, 14, 26, 31];
    const records = counts.flatMap((weight, ageBand) => (weight > 0 ? [person({ weight, ageBand })] : []));
    const populations: PopulationOptions = { byLocalQuintile: [[1000, 800, 900, 1500, 1200, 1100], flat(1000), flat(1000), flat(1000), flat(1000)], byDecile: Array.from({ length: 10 }, () => flat(500)) };
    const aggregates = aggregateRecords(records, populations);
    const audit = discloseAudit(aggregates);
    const fifth = group(audit, 'local_quintile', '1');
    expect(fifth.counts.referralsInCatchment).toBe(100);
    expect(fifth.standardisedRatePer1000!.value).toBeCloseTo(15.968459596, 8);
    expect(fifth.standardisedRatePer1000!.lower).toBeCloseTo(12.97759298, 7);
    // The crude rate: the rounded 100 over 6,500 residents.
    expect(fifth.ratePer1000!.value).toBeCloseTo((100 / 6500) * 1000, 12);
    // Everybody lives here, so the fifth's access ratio is its expected share of the catchment's
    // age-specific rates: observed 100 over expected sum(n_b x R_b / N_b).
    const catchment = [1000 + 4000, 800 + 4000, 900 + 4000, 1500 + 4000, 1200 + 4000, 1100 + 4000];
    const expected = [10, 0, 20, 15, 25, 30].reduce((s, r, b) => s + ([1000, 800, 900, 1500, 1200, 1100][b]! * r) / catchment[b]!, 0);
    expect(fifth.accessRatio!.observed).toBe(100);
    expect(fifth.accessRatio!.expected).toBeCloseTo(expected, 10);
    expect(fifth.accessRatio!.value).toBeCloseTo(100 / expected, 10);
    expect(audit.total.accessRatio!.value).toBeCloseTo(1, 12);
  });

  it('gives the most / least deprived rate ratio from disclosed counts, by hand', () => {
    // Quintile 1 (deciles 1, 2): 50 referrals in 2,500 residents; quintile 5 (deciles 9, 10): 20 in
    // 4,000. RR = 4, 95% CI 2.3815 to 6.7184 (audit.statistics.test.ts). Quintiles 2 to 4 have no
    // referrals, so there is no SII (a log rate needs a count above zero).
    const deciles = Array.from({ length: 10 }, (_, i) => (i < 2 ? [200, 200, 200, 200, 200, 250] : i >= 8 ? [300, 300, 300, 400, 400, 300] : flat(200)));
    const aggregates = aggregateRecords(
      [person({ weight: 50, area: { kind: 'catchment', decile: 1, localQuintile: 1 } }), person({ weight: 20, area: { kind: 'catchment', decile: 10, localQuintile: 5 } })],
      { byLocalQuintile: Array.from({ length: 5 }, () => flat(1000)), byDecile: deciles },
    );
    expect(rawGroup(aggregates, 'imd_quintile', '1').population).toBe(2500);
    expect(rawGroup(aggregates, 'imd_quintile', '5').population).toBe(4000);
    const inequality = dimension(discloseAudit(aggregates), 'imd_quintile').inequality!;
    expect(inequality.rateRatio!.value).toBeCloseTo(4, 12);
    expect(inequality.rateRatio!.lower).toBeCloseTo(2.381514507, 8);
    expect(inequality.rateRatio!.upper).toBeCloseTo(6.718413829, 8);
    expect(inequality.sii).toBeNull();
    expect(inequality.rii).toBeNull();
  });

  it('withholds waits when fewer than 10 were seen and keeps notes, context and an empty findings list', () => {
    const accepted = { outcome: 'accept' as const, priority: 'P3' as const, pathway: 'mental_health' as const };
    const episode = { seen: true, stillWaiting: false, waitDays: 20, attended: 1, didNotAttend: 0, discharged: false, outcomes: [], prom: null };
    const few = aggregateRecords([person({ weight: 9, triage: accepted, episode })], noPopulation);
    expect(discloseAudit(few, suppressionOnlyRule).total.waits.medianWeeks).toBeNull();
    const enough = aggregateRecords([person({ weight: 10, triage: accepted, episode })], noPopulation);
    const audit = discloseAudit(enough);
    expect(audit.total.waits.medianWeeks!.value).toBeCloseTo(20 / 7, 12);
    expect(dimension(audit, 'inclusion_group').notes).toEqual(enough.dimensions.find((d) => d.dimension === 'inclusion_group')!.notes);
    expect(audit.findings).toEqual([]);
    expect(audit.service).toEqual(enough.service);
    expect(audit.confidence).toBe(0.95);
  });
});

describe('zeros next to a hidden group', () => {
  it('given one person in the window, shows no breakdown that points at their group (the one-day window)', () => {
    const audit = discloseAudit(aggregateRecords([person({ weight: 1, ageBand: 5, sex: '2', ethnicGroup: 'asian' })], noPopulation));
    expect(audit.total.counts.referrals).toBeNull();
    for (const d of audit.dimensions) {
      const referrals = d.groups.map((g) => g.counts.referrals);
      // Before: one group hidden and every other group 0. Now: nothing in the breakdown is shown.
      expect(referrals.every((value) => value === null), d.dimension).toBe(true);
    }
  });

  it('keeps a breakdown whose hidden group sits beside shown groups with people in them', () => {
    const audit = discloseAudit(aggregateRecords([person({ weight: 3, sex: '2' }), person({ weight: 40, sex: '1' }), person({ weight: 30, sex: '2' })], noPopulation));
    const sex = dimension(audit, 'sex').groups.map((g) => [g.group, g.counts.referrals]);
    expect(sex).toContainEqual(['1', 40]);
  });
});
