import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { createApiToken } from '../../access/api-token.repository.ts';
import { buildApp } from '../app.ts';

// Given a service, when its equity audit is asked for with an impossible date, then page and API
// answer 400 naming the field (not 500); and when the period ends after today, then people still
// waiting are counted up to today (not to the period's end), and the page says so.
describe(`equity audit dates on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let authorization: string;
  const today = '2026-11-21';

  beforeAll(async () => {
    store = await createTestStore();
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    const service = await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow();
    // Enough referrals in every window asked for below that the API's minimum window size holds.
    for (let i = 0; i < 120; i++) {
      const person = await store.db.insertInto('person').values({ organisation_id: organisation.id, source_person_id: `p${i}`, postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
      const received = i % 2 === 0 ? '2024-06-01' : '2026-03-01';
      await store.db.insertInto('referral').values({ service_id: service.id, person_id: person.id, source_record_id: `r${i}`, received_on: received, source: 'gp', status: 'waiting' }).execute();
    }
    await store.db.insertInto('staff_user').values({ organisation_id: organisation.id, email: 'lead@t1.example', display_name: 'Lead', role: 'team_lead' }).execute();
    authorization = `Bearer ${(await createApiToken(store.db, { email: 'lead@t1.example', label: 'test', days: 1 })).token}`;
    app = await buildApp({ store, config: testConfig(), clock: () => today });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('refuses an impossible date on the page with a 400 page naming the problem', async () => {
    for (const query of ['from=2026-02-30', 'to=2026-02-29', 'from=2026-13-01', 'to=2025-04-31']) {
      const response = await app.inject(`/equity?service=ot&${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.headers['content-type']).toMatch(/text\/html/);
      expect(response.body).toContain('VALIDATION_FAILED');
    }
  });

  it('refuses an impossible date in the API with 400 problem+json naming the field', async () => {
    const response = await app.inject({ url: '/api/v1/services/ot/equity-audit?from=2026-01-01&to=2026-02-30', headers: { authorization } });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED', problems: [{ field: 'to', reason: 'is not a real date' }] });
  });

  it('accepts a real leap day', async () => {
    const response = await app.inject({ url: '/api/v1/services/ot/equity-audit?from=2024-02-29&to=2025-02-28', headers: { authorization } });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
  });

  it('counts waits up to today when the period ends in the future, and says so on the page', async () => {
    const api = await app.inject({ url: '/api/v1/services/ot/equity-audit?from=2026-01-01&to=2099-12-31', headers: { authorization } });
    expect(api.statusCode).toBe(200);
    expect(api.json().period).toMatchObject({ from: '2026-01-01', to: '2099-12-31', asOf: today });
    // Public pages show fixed periods only (none ends after today), so a window running to 2099
    // is a signed-in API question; the page refuses it and names the fixed periods.
    const page = await app.inject('/equity?service=ot&from=2026-01-01&to=2099-12-31');
    expect(page.statusCode).toBe(400);
    expect(page.body).toMatch(/fixed periods/);
  });
});
