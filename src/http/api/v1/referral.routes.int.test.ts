import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../../test/support/database.ts';
import { testConfig } from '../../../../test/support/config.ts';
import { createApiToken } from '../../../access/api-token.repository.ts';
import { buildApp } from '../../app.ts';

// Given a service and staff of two organisations, when referrals are posted to the API, then
// staff who may refer create them (idempotently), bad values are refused with field problems
// and nothing written, and no one reaches another organisation's service.
describe(`referral API on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  const tokens: Record<string, string> = {};
  const post = (body: unknown, who = 'therapist', service = 'ot') =>
    app.inject({ method: 'POST', url: `/api/v1/services/${service}/referrals`, headers: { authorization: `Bearer ${tokens[who]}` }, payload: body as object });
  const referral = { source_record_id: 'API-1', person_id: 'P-1', referral_received: '2026-11-20', referral_source: 'gp', date_of_birth: '1961-02-03', sex: '2', postcode: 'DT1 1AA', urgent_risk: false };

  beforeAll(async () => {
    store = await createTestStore();
    const mine = await store.db.insertInto('organisation').values({ code: 'MINE', name: 'Mine' }).returning('id').executeTakeFirstOrThrow();
    const theirs = await store.db.insertInto('organisation').values({ code: 'THEIRS', name: 'Theirs' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: mine.id, code: 'ot', name: 'OT', setting: 'primary_care' }).execute();
    await store.db.insertInto('service').values({ organisation_id: theirs.id, code: 'their-ot', name: 'Their OT', setting: 'primary_care' }).execute();
    for (const [who, organisation, role] of [['therapist', mine.id, 'therapist'], ['commissioner', mine.id, 'commissioner'], ['outsider', theirs.id, 'team_lead']] as const) {
      await store.db.insertInto('staff_user').values({ organisation_id: organisation, email: `${who}@example.org`, display_name: who, role }).execute();
      tokens[who] = (await createApiToken(store.db, { email: `${who}@example.org`, label: 'test', days: 1 })).token;
    }
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('creates a referral, and a retry changes nothing', async () => {
    const created = await post(referral);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ sourceRecordId: 'API-1', result: 'created' });
    const again = await post(referral);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ referralId: created.json().referralId, result: 'unchanged' });
    const changed = await post({ ...referral, urgent_risk: true });
    expect(changed.json()).toMatchObject({ result: 'updated' });
    const rows = await store.db.selectFrom('referral').select(['urgent_risk', 'version']).where('source_record_id', '=', 'API-1').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.urgent_risk).toBe(true);
  });

  it('refuses bad values with problem+json naming the fields, and writes nothing', async () => {
    const before = (await store.db.selectFrom('referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const response = await post({ ...referral, source_record_id: 'API-2', referral_received: '2026-02-30', nhs_number: '9434765918' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    const body = response.json();
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['nhs_number', 'referral_received']);
    expect(JSON.stringify(body)).not.toContain('9434765918'); // personal data is not echoed
    const unknownColumn = await post({ ...referral, source_record_id: 'API-3', favourite_colour: 'blue' });
    expect(unknownColumn.statusCode).toBe(400);
    const after = (await store.db.selectFrom('referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(after).toBe(before);
  });

  it('keeps each organisation to its own services and roles to their rights', async () => {
    expect((await post({ ...referral, source_record_id: 'API-4' }, 'outsider')).statusCode).toBe(404);
    expect((await post({ ...referral, source_record_id: 'API-5' }, 'therapist', 'their-ot')).statusCode).toBe(404);
    expect((await post({ ...referral, source_record_id: 'API-6' }, 'commissioner')).statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'POST', url: '/api/v1/services/ot/referrals', payload: referral });
    expect(anonymous.statusCode).toBe(401);
    const denied = await store.db.selectFrom('audit_event').select('action').where('action', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(2);
  });
});
