import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { viewAllocation } from '../src/allocation/allocation.service.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode } from '../src/demo/demo-organisation.ts';
import type { ReferralRecord } from '../src/referrals/referral.record.ts';
import { writeReferrals } from '../src/referrals/referral.write.ts';
import { BENCH_ACTOR } from './actor.ts';
import { freshStore } from './datasets.ts';
import type { BenchResult } from './lib.ts';

/** Therapists in the service's team, people waiting, and open allocations giving each a caseload. */
const therapists = Number(process.env.ROOTS_BENCH_ALLOCATION_THERAPISTS ?? 200);
const waiting = Number(process.env.ROOTS_BENCH_ALLOCATION_WAITING ?? 2_000);
const calls = Number(process.env.ROOTS_BENCH_ALLOCATION_CALLS ?? 200);

/**
 * The allocation shortlist (`viewAllocation`: access check, the episode, the catalogue, the team
 * with caseload weight summed in SQL from open allocations, competencies, travel areas, previous
 * therapists, the ranking, and its audit-trail entry) on PostgreSQL for a service with
 * `therapists` in its team holding a mix of green, amber (with a named supervisor) and red on the
 * demo catalogue, `waiting` people accepted and waiting, half of them already allocated. Each
 * call is timed alone, one after another, for `calls` unallocated episodes.
 */
export async function allocationBench(): Promise<BenchResult[]> {
  const store = await freshStore('postgresql', 'roots_bench_allocation');
  try {
    await createDemoOrganisation(store.db, null);
    const service = await store.db
      .selectFrom('service')
      .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
      .select(['service.id', 'service.organisation_id as organisationId'])
      .where('organisation.code', '=', demoOrganisationCode)
      .where('service.code', '=', demoServiceCode)
      .executeTakeFirstOrThrow();
    const catalogue = await store.db.selectFrom('competency').select(['id', 'code', 'level']).where('service_id', '=', service.id).execute();
    const pathwaysOf: Record<string, string[]> = { 'functional-assessment': ['community_rehab', 'frailty_falls'], 'standard-equipment': ['community_rehab'], 'falls-risk': ['frailty_falls'], 'fit-note': ['work_health'], 'self-management': ['work_health', 'mental_health'], 'mental-health-first-contact': ['mental_health'] };
    for (const [code, pathways] of Object.entries(pathwaysOf)) await sql`update competency set pathways = ${pathways} where service_id = ${service.id} and code = ${code}`.execute(store.db);
    const team = await store.db.selectFrom('team').select('id').where('service_id', '=', service.id).executeTakeFirstOrThrow();
    const lead = await store.db.selectFrom('staff_user').select('id').where('email', '=', 'lead@demo.roots.invalid').executeTakeFirstOrThrow();
    const ids: number[] = [];
    await store.db.transaction().execute(async (trx) => {
      for (let i = 0; i < therapists; i++) {
        const user = await trx
          .insertInto('staff_user')
          .values({ organisation_id: service.organisationId, email: `bench-ot-${i}@bench.roots.invalid`, display_name: `Bench therapist ${String(i).padStart(3, '0')}`, role: 'therapist', capacity_hours_per_week: 15 + (i % 5) * 5 })
          .returning('id')
          .executeTakeFirstOrThrow();
        ids.push(user.id);
        await trx.insertInto('team_member').values({ team_id: team.id, staff_user_id: user.id }).execute();
        await trx.insertInto('staff_travel_area').values({ staff_user_id: user.id, area_code: `E0800000${i % 10}` }).execute();
        const held = catalogue.filter((_, j) => (i + j) % 3 !== 0);
        if (held.length > 0) {
          await trx
            .insertInto('staff_competency')
            .values(held.map((c, j) => {
              const level = c.level === 'red' ? (i % 4 === 0 ? 'red' : 'green') : (i + j) % 5 === 0 ? 'amber' : 'green';
              return { staff_user_id: user.id, competency_id: c.id, level, supported: level === 'amber', supervisor_id: level === 'amber' ? lead.id : null };
            }))
            .execute();
        }
      }
    });
    const pathways = ['community_rehab', 'frailty_falls', 'work_health', 'mental_health'] as const;
    const records: ReferralRecord[] = Array.from({ length: waiting }, (_, i) => ({
      sourceRecordId: `BENCH-ALLOC-${i}`,
      person: { sourcePersonId: `BENCH-ALLOC-P${i % Math.floor(waiting * 0.8)}`, nhsNumber: null, givenName: 'Bench', familyName: 'Person', dateOfBirth: '1950-01-01', sex: 'X', ethnicity: null, postcode: null, postcodeGiven: false, areaCode: null, noFixedAddress: false, disability: null, inclusionGroups: [], language: 'en', interpreterNeeded: false },
      referral: { receivedOn: `2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, source: 'gp', urgentRisk: false },
      triage: { triagedOn: `2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, pathway: pathways[i % pathways.length]!, priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4]!, outcome: 'accept' },
      waiting: { clockStartedOn: `2026-${String(1 + (i % 10)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`, pauses: [], firstContactOn: null, contactsAttended: 0, contactsDidNotAttend: 0, contactsCancelled: 0 },
      discharge: null,
      outcome: null,
    }));
    await store.db.transaction().execute((trx) => writeReferrals(trx, service, records));
    const episodes = (await store.db.selectFrom('episode').select('id').where('service_id', '=', service.id).orderBy('id').execute()).map((row) => row.id);
    // Half allocated already, spread over the team: the caseload weight the shortlist sums.
    const allocated = episodes.filter((_, i) => i % 2 === 0);
    for (let start = 0; start < allocated.length; start += 500) {
      await store.db
        .insertInto('allocation')
        .values(allocated.slice(start, start + 500).map((episode_id, k) => ({ episode_id, staff_user_id: ids[(start + k) % ids.length]!, allocated_on: '2026-11-01', weekly_hours: 1 + ((start + k) % 3) * 0.5, suggested: true })))
        .execute();
    }
    await sql`analyze`.execute(store.db);
    const open = episodes.filter((_, i) => i % 2 === 1).slice(0, calls);
    await viewAllocation(store.db, BENCH_ACTOR, open[0]!, '2026-11-21');
    const times: number[] = [];
    let shortlisted = 0;
    for (const episodeId of open) {
      const start = performance.now();
      const view = await viewAllocation(store.db, BENCH_ACTOR, episodeId, '2026-11-21');
      times.push(performance.now() - start);
      shortlisted += view.suggestions.shortlist.length;
    }
    const note = `${therapists} therapists in the team, ${waiting.toLocaleString('en-GB')} people waiting (${allocated.length.toLocaleString('en-GB')} allocated); ${open.length} calls one at a time; ${(shortlisted / open.length).toFixed(1)} on each shortlist on average`;
    return [
      { suite: 'allocation', case: 'allocation shortlist p50 (200-therapist service)', engine: 'postgresql', value: percentile(times, 0.5), unit: 'ms', note },
      { suite: 'allocation', case: 'allocation shortlist p99 (200-therapist service)', engine: 'postgresql', value: percentile(times, 0.99), unit: 'ms', note: `max ${Math.max(...times).toFixed(1)} ms` },
    ];
  } finally {
    await store.close();
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
