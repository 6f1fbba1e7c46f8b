import { testSystemActor } from '../../test/support/actors.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { auditAggregates } from '../equity/audit/audit.engine.ts';
import type { AggregateGroup, AuditAggregates } from '../equity/audit/audit.model.ts';
import { importReferralRows } from '../imports/referral-import.service.ts';
import { loadAreaFrame } from './area-frame.repository.ts';
import { resolveSynthOptions } from './options.ts';
import { insertReferenceFixture } from '../../test/support/synth-reference.fixture.ts';
import { synthesise } from './synthesise.ts';
import { computeTruth, type SynthTruth } from './truth.ts';

/**
 * The point of the truth sidecar: generate, import through the real importer, run the real
 * equity audit, and find the planted values again within sampling error.
 */
describe(`the equity audit recovers what synth planted (${testEngine})`, () => {
  let store: TestStore;
  let truth: SynthTruth;
  let audit: AuditAggregates;

  beforeAll(async () => {
    store = await createTestStore();
    await insertReferenceFixture(store.db);
    const organisation = await store.db.insertInto('organisation').values({ code: 'SYN', name: 'Synthetic Trust' }).returning('id').executeTakeFirstOrThrow();
    const service = await store.db
      .insertInto('service')
      .values({ organisation_id: organisation.id, code: 'ot', name: 'Community OT', setting: 'primary_care' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const options = resolveSynthOptions({
      people: 8000,
      seed: 2026,
      serviceCode: 'SYN/ot',
      gradients: { deprivation: 0.5, need: 1.3, wait: 1.6, dna: 2.5 },
    });
    const frame = await loadAreaFrame(store.db, options.area);
    truth = computeTruth(options, frame);
    const summary = await importReferralRows(store, synthesise(options, frame), { actor: testSystemActor, service: 'SYN/ot', today: options.yearEnd });
    expect(summary).toMatchObject({ written: true, rejected: 0 });
    audit = await auditAggregates(store.db, { serviceId: service.id, from: truth.yearStart, to: truth.yearEnd });
  }, 600_000);
  afterAll(async () => {
    await store?.close();
  });

  const quintile = (q: number): AggregateGroup => audit.dimensions.find((d) => d.dimension === 'imd_quintile')!.groups.find((g) => g.group === String(q))!;

  it('finds the referral rates per 1,000 by deprivation quintile and the planted ratio', () => {
    for (let q = 1; q <= 5; q++) {
      const expected = truth.expected.deprivationQuintile[q - 1]!;
      const group = quintile(q);
      expect(group.population).toBe(expected.population);
      // Poisson-like counts, inflated for people with two referrals: 4 standard errors.
      expect(Math.abs(group.counts.referralsInCatchment - expected.expectedReferralsWithArea)).toBeLessThan(4 * Math.sqrt(expected.expectedReferralsWithArea * 1.15));
    }
    const observed = (quintile(1).counts.referralsInCatchment / quintile(1).population!) / (quintile(5).counts.referralsInCatchment / quintile(5).population!);
    const expected = truth.expected.deprivation.crudeRateRatioMostVsLeast!;
    const se = Math.log(truth.expected.deprivation.crudeRateRatio95Range![1] / expected) / 1.96;
    expect(Math.abs(Math.log(observed / expected)) / se).toBeLessThan(3.29);
    // Relative to need: observed over the truth's equal-access expectation recovers the planted 0.5.
    const access = (q: number) => quintile(q).counts.referralsInCatchment / truth.expected.deprivationQuintile[q - 1]!.expectedReferralsIfEqualAccess;
    expect(Math.abs(Math.log(access(1) / access(5) / 0.5)) / se).toBeLessThan(3.29);
  });

  it('finds the did-not-attend gradient and the median waits (Kaplan-Meier over the audit wait counts)', () => {
    for (const q of [1, 5]) {
      const expected = truth.expected.deprivationQuintile[q - 1]!;
      const counts = quintile(q).counts;
      const appointments = counts.contactsAttended + counts.contactsDidNotAttend;
      const rate = counts.contactsDidNotAttend / appointments;
      expect(Math.abs(rate - expected.dnaRate)).toBeLessThan(4 * 1.5 * Math.sqrt((expected.dnaRate * (1 - expected.dnaRate)) / appointments));
      const median = kaplanMeierMedian(quintile(q).waits);
      // About 1,000 accepted referrals per quintile: the median's standard error is 3-4 days.
      expect(Math.abs(median - expected.waits!.medianDays)).toBeLessThan(0.15 * expected.waits!.medianDays);
    }
  });
});

function kaplanMeierMedian(waits: { days: number; seen: number; censored: number }[]): number {
  const sorted = [...waits].sort((a, b) => a.days - b.days);
  let atRisk = sorted.reduce((s, w) => s + w.seen + w.censored, 0);
  let survival = 1;
  for (const w of sorted) {
    if (atRisk > 0) survival *= 1 - w.seen / atRisk;
    atRisk -= w.seen + w.censored;
    if (survival <= 0.5) return w.days;
  }
  return Number.POSITIVE_INFINITY;
}
