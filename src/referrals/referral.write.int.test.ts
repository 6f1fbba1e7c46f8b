import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import type { Actor } from '../access/actor.ts';
import type { ReferralRecord } from './referral.record.ts';
import { writeReferrals, type ReferralService } from './referral.write.ts';

/**
 * writeReferrals with typed records, as the API and (next) the web forms hand them over: no CSV
 * text anywhere. The import tests (src/imports) cover the same path through files.
 */
let store: TestStore;
let service: ReferralService;

beforeAll(async () => {
  store = await createTestStore();
  const organisation = await store.db.insertInto('organisation').values({ code: 'WRITE', name: 'Write' }).returning('id').executeTakeFirstOrThrow();
  const row = await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow();
  service = { id: row.id, organisationId: organisation.id };
});
afterAll(async () => {
  await store?.close();
});

function record(n: number, change: Partial<ReferralRecord> = {}): ReferralRecord {
  return {
    sourceRecordId: `W${n}`,
    person: {
      sourcePersonId: `P${n}`,
      nhsNumber: null,
      givenName: 'Siân',
      familyName: null,
      dateOfBirth: '1970-03-04',
      sex: '2',
      ethnicity: 'A',
      postcode: null,
      postcodeGiven: false,
      areaCode: null,
      noFixedAddress: false,
      disability: null,
      inclusionGroups: [],
      language: 'cy',
      interpreterNeeded: null,
    },
    referral: { receivedOn: '2026-03-01', source: 'gp', urgentRisk: false },
    triage: { triagedOn: '2026-03-02', pathway: 'frailty_falls', priority: 'P3', outcome: 'accept' },
    waiting: { clockStartedOn: '2026-03-01', pauses: [{ from: '2026-03-05', to: '2026-03-09' }], firstContactOn: '2026-03-20', contactsAttended: 1, contactsDidNotAttend: 0, contactsCancelled: 0 },
    discharge: null,
    outcome: { instrument: 'SWEMWBS', responses: [{ timepoint: 'baseline', recordedOn: '2026-03-20', score: 19.5 }] },
    ...change,
  };
}

/** Counts the statements sent to the database. */
function counted(): { plugin: KyselyPlugin; count: () => number } {
  let statements = 0;
  return {
    plugin: {
      transformQuery: (args) => {
        statements++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    },
    count: () => statements,
  };
}

describe(`writeReferrals on ${testEngine}`, () => {
  it('writes typed records, says per record what it did, and a second write of the same records changes nothing', async () => {
    const records = [record(1), record(2), record(3, { triage: null, waiting: null, outcome: null })];
    const first = await store.db.transaction().execute((trx) => writeReferrals(trx, service, records));
    expect(first).toMatchObject({ inserted: 3, updated: 0, unchanged: 0 });
    expect(first.referrals.map((r) => [r.sourceRecordId, r.outcome, r.notice])).toEqual([['W1', 'created', null], ['W2', 'created', null], ['W3', 'created', null]]);
    const stored = await store.db.selectFrom('referral').select(['id', 'source_record_id', 'status']).where('service_id', '=', service.id).orderBy('source_record_id').execute();
    expect(stored.map((r) => [r.id, r.status])).toEqual(first.referrals.map((r, i) => [r.referralId, ['in_treatment', 'in_treatment', 'received'][i]]));
    const episode = await store.db.selectFrom('episode').select(['paused_days', 'clock_stopped_on']).where('referral_id', '=', first.referrals[0]!.referralId).executeTakeFirstOrThrow();
    expect(episode).toEqual({ paused_days: 4, clock_stopped_on: '2026-03-20' });

    const again = await store.db.transaction().execute((trx) => writeReferrals(trx, service, records));
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(again.referrals.map((r) => r.referralId)).toEqual(first.referrals.map((r) => r.referralId));

    const changed = await store.db.transaction().execute((trx) => writeReferrals(trx, service, [record(1, { referral: { receivedOn: '2026-03-01', source: 'self', urgentRisk: true } }), record(4)]));
    expect(changed.referrals.map((r) => r.outcome)).toEqual(['updated', 'created']);
  });

  it('sends the same number of statements for 5 records as for 500 (one per table per batch)', async () => {
    const few = counted();
    await store.db.withPlugin(few.plugin).transaction().execute((trx) => writeReferrals(trx, service, Array.from({ length: 5 }, (_, i) => record(100 + i))));
    const many = counted();
    await store.db.withPlugin(many.plugin).transaction().execute((trx) => writeReferrals(trx, service, Array.from({ length: 500 }, (_, i) => record(1000 + i))));
    expect(many.count()).toBe(few.count());
    expect(few.count()).toBeGreaterThan(5);
    expect(few.count()).toBeLessThan(15);
  });

  it('refuses a record twice in one write, and an actor who may not write referrals, writing nothing', async () => {
    const before = await store.db.selectFrom('referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await expect(store.db.transaction().execute((trx) => writeReferrals(trx, service, [record(7), record(8), record(7)]))).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    const commissioner: Actor = { kind: 'staff', userId: 1, organisationId: service.organisationId, role: 'commissioner' };
    const elsewhere: Actor = { kind: 'staff', userId: 2, organisationId: service.organisationId + 1000, role: 'therapist' };
    for (const actor of [commissioner, elsewhere]) {
      await expect(store.db.transaction().execute((trx) => writeReferrals(trx, service, [record(9)], { actor }))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    const after = await store.db.selectFrom('referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
