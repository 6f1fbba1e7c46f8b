import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { receivedReferral, writeReceived } from '../../test/support/triage.fixture.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode } from '../demo/demo-organisation.ts';
import { insertStaffEpisode } from '../referrals/referral.repository.ts';
import { recordClockEvents } from './clock-event.writer.ts';
import { listWaiting } from './waiting-list.repository.ts';
import { priorityTargetDays } from '../triage/priority.ts';

let store: TestStore;
let service: { id: number; organisationId: number };

beforeAll(async () => {
  store = await createTestStore();
  await createDemoOrganisation(store.db, null);
  const row = await store.db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select(['service.id', 'service.organisation_id'])
    .where('service.code', '=', demoServiceCode)
    .where('organisation.code', '=', demoOrganisationCode)
    .executeTakeFirstOrThrow();
  service = { id: row.id, organisationId: row.organisation_id };
});
afterAll(async () => store?.close());

async function episodeFor(id: string, receivedOn: string, withStart = true): Promise<number> {
  const referrals = await writeReceived(store.db, service, [receivedReferral(id, { receivedOn })]);
  return store.db.transaction().execute(async (trx) => {
    const episodeId = await insertStaffEpisode(trx, { referralId: referrals.get(id)!, serviceId: service.id, pathway: 'mental_health', priority: 'P3', clockStartedOn: receivedOn });
    if (withStart) await recordClockEvents(trx, episodeId, [{ occurredOn: receivedOn, kind: 'start', reason: 'referral_received' }]);
    return episodeId;
  });
}

const episodeRow = (id: number) =>
  store.db.selectFrom('episode').select(['clock_started_on', 'clock_stopped_on', 'paused_days', 'clock_paused_since', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
const iso = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : value === null ? null : String(value).slice(0, 10));
const setPolicy = (didNotAttend: 'restart' | 'pause' | 'ignore') => store.db.updateTable('service').set({ clock_did_not_attend: didNotAttend }).where('id', '=', service.id).execute();

describe(`the one writer of clock events (${testEngine})`, () => {
  it('restarts the clock on a did-not-attend under the default (restart) policy, naming the rule', async () => {
    await setPolicy('restart');
    const episodeId = await episodeFor('dna-restart', '2026-01-05');
    const result = await store.db.transaction().execute((trx) => recordClockEvents(trx, episodeId, [{ occurredOn: '2026-02-02', kind: 'pause', reason: 'did_not_attend' }]));
    expect(result.startedOn).toBe('2026-02-02');
    expect(result.rulesApplied).toContain('did_not_attend on 2026-02-02: clock restarted');
    const row = await episodeRow(episodeId);
    expect(iso(row.clock_started_on)).toBe('2026-02-02');
    expect(row.clock_paused_since).toBeNull();
    const events = await store.db.selectFrom('waiting_clock_event').select(['kind', 'reason', 'recorded_in']).where('episode_id', '=', episodeId).orderBy('occurred_on').execute();
    expect(events).toEqual([
      { kind: 'start', reason: 'referral_received', recorded_in: 'roots' },
      { kind: 'pause', reason: 'did_not_attend', recorded_in: 'roots' },
    ]);
  });

  it('under a pause policy keeps the open pause, and the list does not count it', async () => {
    await setPolicy('pause');
    const episodeId = await episodeFor('dna-pause', '2026-01-05');
    await store.db.transaction().execute((trx) => recordClockEvents(trx, episodeId, [{ occurredOn: '2026-01-15', kind: 'pause', reason: 'did_not_attend' }]));
    let row = await episodeRow(episodeId);
    expect(iso(row.clock_started_on)).toBe('2026-01-05');
    expect(iso(row.clock_paused_since)).toBe('2026-01-15');
    expect(row.paused_days).toBe(0);
    const list = await listWaiting(store.db, { serviceId: service.id, asOf: '2026-01-25', targetDays: priorityTargetDays, weights: { mostDeprivedQuintile: 0, inclusionHealthGroup: 0, interpreterNeeded: 0, disability: 0 }, sort: 'wait', page: 1, pageSize: 50 } as never);
    const waiting = list.rows.find((r) => r.episodeId === episodeId)!;
    // 20 calendar days, 10 of them paused.
    expect(waiting.waitDays).toBe(10);

    await store.db.transaction().execute((trx) => recordClockEvents(trx, episodeId, [{ occurredOn: '2026-01-20', kind: 'resume', reason: 'available_again' }]));
    row = await episodeRow(episodeId);
    expect(row.clock_paused_since).toBeNull();
    expect(row.paused_days).toBe(5);

    const stopped = await store.db.transaction().execute((trx) => recordClockEvents(trx, episodeId, [{ occurredOn: '2026-02-01', kind: 'stop', reason: 'first_contact' }]));
    expect(stopped).toMatchObject({ stoppedOn: '2026-02-01', pausedDays: 5, waitDays: 22 });
    row = await episodeRow(episodeId);
    expect(iso(row.clock_stopped_on)).toBe('2026-02-01');
  });

  it('ignores a did-not-attend under an ignore policy, and writes a repeated event once', async () => {
    await setPolicy('ignore');
    const episodeId = await episodeFor('dna-ignore', '2026-03-02');
    const dna = { occurredOn: '2026-03-09', kind: 'pause', reason: 'did_not_attend' } as const;
    await store.db.transaction().execute((trx) => recordClockEvents(trx, episodeId, [dna]));
    const again = await store.db.transaction().execute((trx) => recordClockEvents(trx, episodeId, [dna]));
    expect(again).toMatchObject({ startedOn: '2026-03-02', pausedDays: 0, pausedSince: null });
    expect(again.rulesApplied).toContain('did_not_attend on 2026-03-09: clock ran on');
    const count = await store.db.selectFrom('waiting_clock_event').select((eb) => eb.fn.countAll<number>().as('n')).where('episode_id', '=', episodeId).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2);
  });

  it('gives an episode without a start event one from its recorded start first', async () => {
    await setPolicy('restart');
    const episodeId = await episodeFor('imported', '2025-12-01', false);
    const result = await store.db.transaction().execute((trx) => recordClockEvents(trx, episodeId, [{ occurredOn: '2026-01-10', kind: 'stop', reason: 'first_contact' }]));
    expect(result).toMatchObject({ startedOn: '2025-12-01', stoppedOn: '2026-01-10', waitDays: 40 });
  });
});
