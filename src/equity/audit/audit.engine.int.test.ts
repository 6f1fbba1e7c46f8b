import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { auditAggregates } from './audit.engine.ts';

let store: TestStore;
let serviceId: number;

/**
 * A hand-made world small enough to count by eye: four areas in two deprivation quintiles of
 * one ICB, population by age band, and referrals with known waits, contacts and outcomes.
 */
beforeAll(async () => {
  store = await createTestStore();
  const db = store.db;
  await db.insertInto('ref_area').values([
    { area_code: 'E01000001', area_kind: 'lsoa11', nation: 'E', icb_code: 'E54000001', local_authority_code: 'E06000001', area_name: 'A', msoa_code: null, sub_icb_code: null, region_code: null, rural_urban_code: null },
    { area_code: 'E01000002', area_kind: 'lsoa11', nation: 'E', icb_code: 'E54000001', local_authority_code: 'E06000001', area_name: 'B', msoa_code: null, sub_icb_code: null, region_code: null, rural_urban_code: null },
    { area_code: 'E01000003', area_kind: 'lsoa11', nation: 'E', icb_code: 'E54000001', local_authority_code: 'E06000002', area_name: 'C', msoa_code: null, sub_icb_code: null, region_code: null, rural_urban_code: null },
    { area_code: 'E01000004', area_kind: 'lsoa11', nation: 'E', icb_code: 'E54000002', local_authority_code: 'E06000003', area_name: 'D (another ICB)', msoa_code: null, sub_icb_code: null, region_code: null, rural_urban_code: null },
  ]).execute();
  await db.insertInto('ref_deprivation').values([
    { index_name: 'IMD2019', nation: 'E', area_code: 'E01000001', score: 50, rank: 100, area_count: 32844, decile: 1, quintile: 1 },
    { index_name: 'IMD2019', nation: 'E', area_code: 'E01000002', score: 45, rank: 200, area_count: 32844, decile: 1, quintile: 1 },
    { index_name: 'IMD2019', nation: 'E', area_code: 'E01000003', score: 5, rank: 32000, area_count: 32844, decile: 10, quintile: 5 },
    { index_name: 'IMD2019', nation: 'E', area_code: 'E01000004', score: 20, rank: 15000, area_count: 32844, decile: 5, quintile: 3 },
  ]).execute();
  const bands = ['0-15', '16-24', '25-34', '35-49', '50-64', '65+'];
  const populations: Record<string, number[]> = {
    E01000001: [300, 200, 200, 300, 300, 200], // 1,500
    E01000002: [100, 100, 100, 200, 200, 300], // 1,000
    E01000003: [400, 200, 300, 500, 500, 600], // 2,500
    E01000004: [200, 200, 200, 200, 200, 200],
  };
  await db.insertInto('ref_population').values(Object.entries(populations).flatMap(([area, values]) => [
    { source: 'mid2019', area_code: area, age_band: 'all', age_from: null, age_to: null, population: values.reduce((a, b) => a + b, 0) },
    ...values.map((population, i) => ({ source: 'census2021_lsoa11', area_code: area, age_band: bands[i]!, age_from: null, age_to: null, population })),
  ])).execute();

  const organisation = await db.insertInto('organisation').values({ code: 'AUD', name: 'Audit Trust' }).returning('id').executeTakeFirstOrThrow();
  const service = await db.insertInto('service').values({ organisation_id: organisation.id, code: 'audit-ot', name: 'Audit OT', setting: 'primary_care', icb_code: 'E54000001' }).returning('id').executeTakeFirstOrThrow();
  serviceId = service.id;

  // 12 referrals: 3 from the most deprived quintile, 6 from the least, 1 from outside the ICB, 1 homeless, 1 unknown postcode.
  const people: { area: string | null; status: 'resolved' | 'no_fixed_address' | 'unknown'; dob: string; ethnicity: 'A' | 'N' | 'Z' | null; groups?: string[] }[] = [
    { area: 'E01000001', status: 'resolved', dob: '1950-01-01', ethnicity: 'A' },
    { area: 'E01000001', status: 'resolved', dob: '1990-01-01', ethnicity: 'N' },
    { area: 'E01000002', status: 'resolved', dob: '2015-01-01', ethnicity: 'N', groups: ['carer'] },
    ...Array.from({ length: 6 }, () => ({ area: 'E01000003', status: 'resolved' as const, dob: '1980-06-01', ethnicity: 'A' as const })),
    { area: 'E01000004', status: 'resolved', dob: '1970-01-01', ethnicity: null },
    { area: null, status: 'no_fixed_address', dob: '1985-01-01', ethnicity: 'Z', groups: ['homeless', 'carer'] },
    { area: null, status: 'unknown', dob: '1960-01-01', ethnicity: 'A' },
  ];
  for (const [i, p] of people.entries()) {
    const person = await db.insertInto('person').values({
      organisation_id: organisation.id, source_person_id: `p${i}`, date_of_birth: p.dob, sex: i % 2 ? '1' : '2', ethnicity: p.ethnicity,
      postcode_status: p.status, area_code: p.area, inclusion_groups: (p.groups ?? []) as never,
    }).returning('id').executeTakeFirstOrThrow();
    const referral = await db.insertInto('referral').values({
      service_id: service.id, person_id: person.id, source_record_id: `r${i}`, received_on: '2026-01-05', source: 'gp', area_code: p.area, status: 'waiting',
    }).returning('id').executeTakeFirstOrThrow();
    if (i < 10) {
      await db.insertInto('triage').values({ referral_id: referral.id, triaged_on: '2026-01-06', pathway_code: 'mental_health', priority: i < 2 ? 'P2' : 'P3', outcome: 'accept' }).execute();
      // Waits: the first 8 are seen after 7 * (i + 1) days; the rest still wait at the as-of date.
      const seen = i < 8;
      const firstContact = seen ? new Date(Date.UTC(2026, 0, 5 + 7 * (i + 1))).toISOString().slice(0, 10) : null;
      const episode = await db.insertInto('episode').values({
        referral_id: referral.id, service_id: service.id, pathway_code: 'mental_health', priority: 'P3', clock_started_on: '2026-01-05',
        first_contact_on: firstContact, clock_stopped_on: firstContact, contacts_attended: seen ? 3 : 0, contacts_did_not_attend: i % 3 === 0 ? 1 : 0,
      }).returning('id').executeTakeFirstOrThrow();
      if (i < 4) {
        await db.insertInto('outcome_response').values([
          { episode_id: episode.id, instrument: 'SWEMWBS', timepoint: 'baseline', recorded_on: '2026-02-01', score: 18 },
          { episode_id: episode.id, instrument: 'SWEMWBS', timepoint: 'discharge', recorded_on: '2026-04-01', score: 18 + i * 2 },
        ]).execute();
        await db.insertInto('discharge').values({ referral_id: referral.id, discharged_on: '2026-04-01', reason: 'goals_met', outcomes: i < 2 ? ['self_management_plan', 'gp_appointment_avoided'] : ['self_management_plan'] }).execute();
      }
    }
  }
});
afterAll(async () => {
  await store?.close();
});

describe(`audit aggregates on ${testEngine}`, () => {
  it('counts every referral once in each additive dimension, unknowns and no-area included', async () => {
    const audit = await auditAggregates(store.db, { serviceId, from: '2026-01-01', to: '2026-06-30' });
    expect(audit.total.counts.referrals).toBe(12);
    for (const dimension of audit.dimensions.filter((d) => d.additive)) {
      const sum = dimension.groups.reduce((total, group) => total + group.counts.referrals, 0);
      expect(sum, dimension.dimension).toBe(12);
    }
    const quintile = audit.dimensions.find((d) => d.dimension === 'imd_quintile')!;
    const byCode = Object.fromEntries(quintile.groups.map((g) => [g.group, g]));
    expect(byCode['1']!.counts.referrals).toBe(3);
    expect(byCode['5']!.counts.referrals).toBe(6);
    expect(byCode['3']!.counts.referrals).toBe(1);
    expect(byCode['2']!.counts.referrals).toBe(0); // shown as an empty category, not dropped
    expect(byCode.no_area!.counts.referrals).toBe(1);
    expect(byCode.no_area!.kind).toBe('no_area');
    expect(byCode.unknown!.counts.referrals).toBe(1);
  });

  it('uses catchment populations (the service ICB) and catchment residents as rate numerators', async () => {
    const audit = await auditAggregates(store.db, { serviceId, from: '2026-01-01', to: '2026-06-30' });
    const quintile = audit.dimensions.find((d) => d.dimension === 'imd_quintile')!;
    const q1 = quintile.groups.find((g) => g.group === '1')!;
    const q5 = quintile.groups.find((g) => g.group === '5')!;
    expect(q1.population).toBe(2500);
    expect(q5.population).toBe(2500);
    expect(q1.counts.referralsInCatchment).toBe(3);
    expect(q1.populationByAge).toEqual({ '0-15': 400, '16-24': 300, '25-34': 300, '35-49': 500, '50-64': 500, '65+': 500 });
    // Ages at referral on 5 January 2026: 11, 36 and 76.
    expect(q1.referralsByAge).toEqual({ '0-15': 1, '16-24': 0, '25-34': 0, '35-49': 1, '50-64': 0, '65+': 1 });
    expect(audit.total.population).toBe(5000);
    // The area in another ICB is outside the catchment: counted, but not a rate numerator.
    expect(audit.total.counts.referralsInCatchment).toBe(9);
    const local = audit.dimensions.find((d) => d.dimension === 'local_quintile')!;
    expect(local.groups.find((g) => g.group === 'outside_catchment')!.counts.referrals).toBe(1);
  });

  it('keeps the waits of people still waiting as censored', async () => {
    const audit = await auditAggregates(store.db, { serviceId, from: '2026-01-01', to: '2026-06-30' });
    const events = audit.total.waits.reduce((n, w) => n + w.seen, 0);
    const censored = audit.total.waits.reduce((n, w) => n + w.censored, 0);
    expect(events).toBe(8);
    expect(censored).toBe(2);
    // Waits are counted in completed weeks and reported at the week's mid-point (7w + 3 days):
    // seen after 7, 14, ... 56 days is 1, 2, ... 8 completed weeks.
    expect(audit.total.waits.filter((w) => w.seen > 0).map((w) => w.days)).toEqual([10, 17, 24, 31, 38, 45, 52, 59]);
    // Still waiting at 30 June 2026: 176 days since 5 January, 25 completed weeks.
    expect(audit.total.waits.find((w) => w.censored > 0)).toEqual({ days: 25 * 7 + 3, seen: 0, censored: 2 });
    expect(audit.total.counts.stillWaiting).toBe(2);
  });

  it('counts inclusion groups per membership and PROM change per instrument', async () => {
    const audit = await auditAggregates(store.db, { serviceId, from: '2026-01-01', to: '2026-06-30' });
    const inclusion = audit.dimensions.find((d) => d.dimension === 'inclusion_group')!;
    expect(inclusion.additive).toBe(false);
    expect(inclusion.groups.find((g) => g.group === 'carer')!.counts.referrals).toBe(2);
    expect(inclusion.groups.find((g) => g.group === 'homeless')!.counts.referrals).toBe(1);
    expect(inclusion.groups.find((g) => g.group === 'none')!.counts.referrals).toBe(10);
    const prom = audit.total.proms.find((p) => p.instrument === 'SWEMWBS')!;
    // Changes 0, 2, 4, 6: two reach the 3-point meaningful change.
    expect(prom).toMatchObject({ pairs: 4, sumChange: 12, sumSquaredChange: 56, improved: 2, meaningfulChange: 3 });
    expect(audit.total.counts.dischargeOutcomes.self_management_plan).toBe(4);
    expect(audit.total.counts.dischargeOutcomes.gp_appointment_avoided).toBe(2);
  });

  it('restricts to the period received', async () => {
    const audit = await auditAggregates(store.db, { serviceId, from: '2026-02-01', to: '2026-06-30' });
    expect(audit.total.counts.referrals).toBe(0);
  });
});
