import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import type { Actor } from '../access/actor.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, demoSmallProviderCode } from '../demo/demo-organisation.ts';
import { isRootsError } from '../errors/roots-error.ts';
import { EVERY_RULE_SET, HISTORY_FROM, clockHistory, dayAfter } from './clock-events.arbitrary.ts';
import { EIGHTEEN_WEEKS_DAYS, recomputeWaits, summariseWaits } from './clock-recompute.ts';
import { compareClockRules } from './clock-recompute.service.ts';
import { CONTINUOUS_CLOCK_RULES, DEFAULT_CLOCK_RULES, computeClock, type ClockEvent, type ClockRuleSet } from './clock-rules.ts';

let store: TestStore;
let serviceId: number;
let smallServiceId: number;
const actors = {} as Record<'therapist' | 'lead' | 'analyst' | 'commissioner' | 'smallLead', Actor>;

/**
 * Random histories (seeded, so a failure can be replayed), most with a start, some without, and a
 * few written by hand for the cases that matter most. The window is 40 days; as-of days from
 * before the first event to after the last cut histories at every point.
 */
const handWritten: ClockEvent[][] = [
  // Pause without a resume, running to the as-of day.
  [ev(0, 'start', 'referral_received'), ev(5, 'pause', 'patient_unavailable')],
  // Restart after a pause: the pause before the restart does not count.
  [ev(0, 'start', 'referral_received'), ev(3, 'pause', 'patient_unavailable'), ev(8, 'pause', 'did_not_attend'), ev(12, 'resume', 'available_again'), ev(20, 'stop', 'first_contact')],
  // Same-day start, pause, resume and stop.
  [ev(4, 'start', 'referral_received'), ev(4, 'pause', 'patient_cancelled'), ev(4, 'resume', 'available_again'), ev(4, 'stop', 'first_contact')],
  // Events after the stop (another pause, another stop, a restart) change nothing.
  [ev(0, 'start', 'referral_received'), ev(10, 'stop', 'first_contact'), ev(12, 'pause', 'did_not_attend'), ev(15, 'stop', 'discharged'), ev(16, 'start', 'other')],
  // A stop and a pause before the first start are ignored.
  [ev(1, 'stop', 'other'), ev(2, 'pause', 'patient_unavailable'), ev(6, 'start', 'referral_received'), ev(9, 'pause', 'did_not_attend'), ev(30, 'resume', 'available_again')],
  // Two pauses before one resume; a resume while running.
  [ev(0, 'start', 'referral_received'), ev(2, 'resume', 'other'), ev(5, 'pause', 'patient_unavailable'), ev(9, 'pause', 'other'), ev(14, 'resume', 'available_again'), ev(39, 'stop', 'first_contact')],
  // Restart on the stop day.
  [ev(0, 'start', 'referral_received'), ev(7, 'pause', 'patient_cancelled'), ev(7, 'stop', 'first_contact')],
];
const random = fc.sample(
  fc.oneof({ weight: 9, arbitrary: clockHistory({ withStart: true, maxEvents: 12 }) }, { weight: 1, arbitrary: clockHistory({ maxEvents: 4 }) }),
  { seed: 20261206, numRuns: 400 },
);
const histories: ClockEvent[][] = [...handWritten, ...random];
const asOfDays = [-1, 0, 4, 10, 20, 30, 39, 45].map((day) => dayAfter(HISTORY_FROM, day));
const episodeIds: number[] = [];
const extraRuleSets: ClockRuleSet[] = [DEFAULT_CLOCK_RULES, CONTINUOUS_CLOCK_RULES];

function ev(day: number, kind: ClockEvent['kind'], reason: ClockEvent['reason']): ClockEvent {
  return { occurredOn: dayAfter(HISTORY_FROM, day), kind, reason };
}

/** What computeClock says, or null where it refuses (no start on or before the as-of day). */
function expected(events: ClockEvent[], rules: ClockRuleSet, asOf: string) {
  if (!events.some((e) => e.kind === 'start' && e.occurredOn <= asOf)) return null;
  const { startedOn, stoppedOn, pausedDays, waitDays } = computeClock(events, rules, asOf);
  return { startedOn, stoppedOn, pausedDays, waitDays };
}

async function writeEpisodes(service: number, organisationId: number, list: ClockEvent[][], prefix: string): Promise<number[]> {
  const db = store.db;
  const ids: number[] = [];
  for (const [i, events] of list.entries()) {
    const person = await db.insertInto('person').values({ organisation_id: organisationId, source_person_id: `${prefix}${i}`, postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
    const referral = await db
      .insertInto('referral')
      .values({ service_id: service, person_id: person.id, source_record_id: `${prefix}r${i}`, received_on: HISTORY_FROM, source: 'gp', status: 'waiting' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const episode = await db
      .insertInto('episode')
      .values({ referral_id: referral.id, service_id: service, pathway_code: 'community_rehab', priority: 'P3', clock_started_on: HISTORY_FROM })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (events.length > 0) {
      await db
        .insertInto('waiting_clock_event')
        .values(events.map((e) => ({ episode_id: episode.id, occurred_on: e.occurredOn, kind: e.kind, reason: e.reason })))
        .execute();
    }
    ids.push(episode.id);
  }
  return ids;
}

beforeAll(async () => {
  store = await createTestStore();
  const db = store.db;
  await createDemoOrganisation(db, null);
  const services = await db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select(['service.id', 'organisation.code', 'service.organisation_id']).where('service.code', '=', demoServiceCode).execute();
  const main = services.find((s) => s.code === demoOrganisationCode)!;
  const small = services.find((s) => s.code === demoSmallProviderCode)!;
  serviceId = main.id;
  smallServiceId = small.id;
  const staff = await db.selectFrom('staff_user').select(['id', 'email', 'organisation_id', 'role']).execute();
  const actorOf = (email: string): Actor => {
    const user = staff.find((s) => s.email === email)!;
    return { kind: 'staff', userId: user.id, organisationId: user.organisation_id, role: user.role };
  };
  actors.therapist = actorOf('ot1@demo.roots.invalid');
  actors.lead = actorOf('lead@demo.roots.invalid');
  actors.analyst = actorOf('analyst@demo.roots.invalid');
  actors.commissioner = actorOf('commissioner@demo.roots.invalid');
  actors.smallLead = actorOf('lead@small.demo.roots.invalid');
  episodeIds.push(...(await writeEpisodes(serviceId, main.organisation_id, histories, 'c')));
  // Another service's episodes, which a recompute of the first must never include.
  await writeEpisodes(smallServiceId, small.organisation_id, histories.slice(0, 20), 's');
}, 120_000);

afterAll(async () => {
  await store?.close();
});

describe(`clock rules recomputed in SQL (${testEngine})`, () => {
  it.each([...EVERY_RULE_SET, ...extraRuleSets].map((rules) => [rules.name, rules] as const))('equal computeClock for every episode and as-of day: %s', async (_name, rules) => {
    for (const asOf of asOfDays) {
      const rows = await recomputeWaits(store.db, { serviceId }, rules, asOf);
      const byEpisode = new Map(rows.map((row) => [row.episodeId, row]));
      expect(byEpisode.size).toBe(rows.length);
      for (const [i, events] of histories.entries()) {
        const want = expected(events, rules, asOf);
        const got = byEpisode.get(episodeIds[i]!);
        const found = got ? { startedOn: got.startedOn, stoppedOn: got.stoppedOn, pausedDays: got.pausedDays, waitDays: got.waitDays } : null;
        expect(found, `episode ${i} as of ${asOf}: ${JSON.stringify(events)}`).toEqual(want);
      }
      expect(rows.length).toBe(histories.filter((events) => expected(events, rules, asOf) !== null).length);
    }
  });

  it('the histories exercise every case the rules distinguish', () => {
    const all = histories.flat();
    const sameDay = histories.filter((events) => new Set(events.map((e) => e.occurredOn)).size < events.length).length;
    expect(sameDay).toBeGreaterThan(50);
    const results = histories.flatMap((events) => EVERY_RULE_SET.map((rules) => expected(events, rules, dayAfter(HISTORY_FROM, 45)))).filter((r) => r !== null);
    expect(results.filter((r) => r.pausedDays > 0 && r.stoppedOn === null).length).toBeGreaterThan(50); // paused to the as-of day
    expect(results.filter((r) => r.stoppedOn !== null).length).toBeGreaterThan(50);
    expect(all.filter((e) => e.kind === 'pause' && e.reason === 'did_not_attend').length).toBeGreaterThan(50);
    expect(histories.filter((events) => !events.some((e) => e.kind === 'start')).length).toBeGreaterThan(10);
  });

  it('summarises waits in SQL exactly as the per-episode figures do', async () => {
    for (const rules of [DEFAULT_CLOCK_RULES, CONTINUOUS_CLOCK_RULES, EVERY_RULE_SET[7]!]) {
      for (const asOf of [dayAfter(HISTORY_FROM, 20), dayAfter(HISTORY_FROM, 45), dayAfter(HISTORY_FROM, 200)]) {
        const results = histories.map((events) => expected(events, rules, asOf)).filter((r) => r !== null);
        const waiting = results.filter((r) => r.stoppedOn === null).map((r) => r.waitDays).sort((a, b) => a - b);
        const percentile = (p: number) => (waiting.length === 0 ? null : waiting[Math.ceil(p * waiting.length) - 1]!);
        expect(await summariseWaits(store.db, { serviceId }, rules, asOf)).toEqual({
          waiting: waiting.length,
          medianDays: percentile(0.5),
          p92Days: percentile(0.92),
          over18Weeks: waiting.filter((days) => days > EIGHTEEN_WEEKS_DAYS).length,
          stopped: results.length - waiting.length,
        });
      }
    }
  });

  it('writes nothing: the recompute runs in a read-only transaction and every row is unchanged', async () => {
    const before = await sql<{ n: string; h: string }>`select count(*)::text as n, md5(string_agg(id || kind || occurred_on || reason, ',' order by id)) as h from waiting_clock_event`.execute(store.db);
    await store.db.transaction().execute(async (trx) => {
      await sql`set transaction read only`.execute(trx);
      await recomputeWaits(trx, { serviceId }, DEFAULT_CLOCK_RULES, dayAfter(HISTORY_FROM, 30));
      await summariseWaits(trx, { serviceId }, CONTINUOUS_CLOCK_RULES, dayAfter(HISTORY_FROM, 30));
    });
    const after = await sql<{ n: string; h: string }>`select count(*)::text as n, md5(string_agg(id || kind || occurred_on || reason, ',' order by id)) as h from waiting_clock_event`.execute(store.db);
    expect(after.rows).toEqual(before.rows);
  });

  it('compares two rule sets for staff who may see the service aggregates, audited; others are refused', async () => {
    const asOf = dayAfter(HISTORY_FROM, 45);
    for (const actor of [actors.lead, actors.therapist, actors.analyst]) {
      const comparison = await compareClockRules(store.db, actor, serviceId, DEFAULT_CLOCK_RULES, CONTINUOUS_CLOCK_RULES, asOf);
      expect(comparison.a.summary).toEqual(await summariseWaits(store.db, { serviceId }, DEFAULT_CLOCK_RULES, asOf));
      expect(comparison.b.summary).toEqual(await summariseWaits(store.db, { serviceId }, CONTINUOUS_CLOCK_RULES, asOf));
    }
    // Restarting on a did-not-attend never makes a wait longer than running on.
    const { a, b } = await compareClockRules(store.db, actors.lead, serviceId, DEFAULT_CLOCK_RULES, CONTINUOUS_CLOCK_RULES, asOf);
    expect(a.summary.medianDays!).toBeLessThanOrEqual(b.summary.medianDays!);
    const audited = await store.db.selectFrom('audit_event').select(['actor', 'action', 'detail']).where('subject_kind', '=', 'clock_rules').where('action', '=', 'read').execute();
    expect(audited.length).toBe(4);
    expect(JSON.stringify(audited[0]!.detail)).toContain('dna:restart cancelled:restart unavailable:pause');
    const refused = await compareClockRules(store.db, actors.smallLead, serviceId, DEFAULT_CLOCK_RULES, CONTINUOUS_CLOCK_RULES, asOf).catch((error: unknown) => error);
    expect(isRootsError(refused) && refused.code).toBe('NOT_FOUND');
    const denied = await store.db.selectFrom('audit_event').select('action').where('subject_kind', '=', 'clock_rules').where('action', '=', 'denied').execute();
    expect(denied.length).toBe(1);
  });
});
