import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../../test/support/database.ts';
import { testConfig } from '../../../../test/support/config.ts';
import { createApiToken } from '../../../access/api-token.repository.ts';
import { buildApp } from '../../app.ts';
import { recordTriage } from '../../../referrals/triage.service.ts';

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

  it('records the write in the audit trail, without personal data', async () => {
    const created = await post({ ...referral, source_record_id: 'API-7' });
    expect(created.statusCode).toBe(201);
    const trail = await store.db.selectFrom('audit_event').select(['actor', 'action', 'detail']).where('subject_kind', '=', 'referral').where('subject_id', '=', String(created.json().referralId)).execute();
    expect(trail).toEqual([{ actor: expect.stringMatching(/^staff:\d+$/), action: 'create', detail: { service: 'MINE/ot', via: 'api' } }]);
    expect(JSON.stringify(trail)).not.toMatch(/P-1|1961|DT1/);
  });

  it('keeps triage staff recorded in Roots when the referral is posted again, and says so', async () => {
    const triaged = { ...referral, source_record_id: 'API-8', triage_date: '2026-11-20', pathway: 'frailty_falls', priority: 'P3', triage_outcome: 'accept' };
    const created = await post(triaged);
    expect(created.statusCode).toBe(201);
    const therapist = await store.db.selectFrom('staff_user').select(['id', 'organisation_id']).where('email', '=', 'therapist@example.org').executeTakeFirstOrThrow();
    await recordTriage(store.db, { kind: 'staff', userId: therapist.id, organisationId: therapist.organisation_id, role: 'therapist' }, created.json().referralId, { triagedOn: '2026-11-21', pathway: 'frailty_falls', priority: 'P1', outcome: 'accept' });
    const again = await post({ ...triaged, priority: 'P4', postcode: 'DT1 1AB' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ result: 'updated', notice: expect.stringMatching(/^triaged in Roots on 2026-11-21; the request's triage/) });
    const triage = await store.db.selectFrom('triage').select(['priority', 'recorded_in']).where('referral_id', '=', created.json().referralId).executeTakeFirstOrThrow();
    expect(triage).toEqual({ priority: 'P1', recorded_in: 'roots' });
  });

  it('tells services with the same code apart: ORGANISATION~code, or a bare code meaning the caller\'s own', async () => {
    // Given a third organisation with a service "ot" too, and a therapist there:
    const other = await store.db.insertInto('organisation').values({ code: 'OTHER', name: 'Other' }).returning('id').executeTakeFirstOrThrow();
    const otherService = await store.db.insertInto('service').values({ organisation_id: other.id, code: 'ot', name: 'Other OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow();
    const mineService = await store.db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select('service.id').where('organisation.code', '=', 'MINE').executeTakeFirstOrThrow();
    await store.db.insertInto('staff_user').values({ organisation_id: other.id, email: 'other@example.org', display_name: 'other', role: 'therapist' }).execute();
    tokens.other = (await createApiToken(store.db, { email: 'other@example.org', label: 'test', days: 1 })).token;
    const serviceOf = async (sourceRecordId: string) =>
      (await store.db.selectFrom('referral').select('service_id').where('source_record_id', '=', sourceRecordId).execute()).map((row) => row.service_id);

    // When each posts to ORG~code, or to the bare code, the referral lands in their own organisation's service.
    expect((await post({ ...referral, source_record_id: 'TWIN-1' }, 'other', 'OTHER~ot')).statusCode).toBe(201);
    expect((await post({ ...referral, source_record_id: 'TWIN-2' }, 'other', 'ot')).statusCode).toBe(201);
    expect((await post({ ...referral, source_record_id: 'TWIN-3' }, 'therapist', 'ot')).statusCode).toBe(201);
    expect((await post({ ...referral, source_record_id: 'TWIN-4' }, 'therapist', 'MINE~ot')).statusCode).toBe(201);
    expect(await serviceOf('TWIN-1')).toEqual([otherService.id]);
    expect(await serviceOf('TWIN-2')).toEqual([otherService.id]);
    expect(await serviceOf('TWIN-3')).toEqual([mineService.id]);
    expect(await serviceOf('TWIN-4')).toEqual([mineService.id]);
    // The same source record id in two organisations is two referrals.
    expect((await post({ ...referral, source_record_id: 'TWIN-1' }, 'therapist', 'MINE~ot')).statusCode).toBe(201);
    expect((await serviceOf('TWIN-1')).sort()).toEqual([mineService.id, otherService.id].sort());
    // Another organisation's service is not found, named or not.
    expect((await post({ ...referral, source_record_id: 'TWIN-5' }, 'therapist', 'OTHER~ot')).statusCode).toBe(404);
    // A bare code the caller's organisation does not use is not found either: an outsider may not
    // learn which organisations have a service with that code (ADR 9).
    const outsider = await post({ ...referral, source_record_id: 'TWIN-6' }, 'outsider', 'ot');
    expect(outsider.statusCode).toBe(404);
    expect(outsider.json().detail).not.toMatch(/MINE|OTHER/);
    expect(await serviceOf('TWIN-5')).toEqual([]);
    expect(await serviceOf('TWIN-6')).toEqual([]);
  });
});
