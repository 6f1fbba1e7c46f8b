import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../../test/support/database.ts';
import { testConfig } from '../../../../test/support/config.ts';
import { get, listenLocally, post, rawRequest } from '../../../../test/support/raw-http.ts';
import { createApiToken } from '../../../access/api-token.repository.ts';
import { buildApp } from '../../app.ts';

// Given Roots listening on a real socket, when an API route is asked for in a way that does not
// start with the literal text "/api/" (percent-encoded, or an absolute-form request target),
// then the token check still applies: the route answers 401 problem+json, never the route's
// handler with no user (which failed with 500).
describe(`the /api/v1 token check on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let port: number;
  let token: string;

  beforeAll(async () => {
    store = await createTestStore();
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care' }).execute();
    await store.db.insertInto('staff_user').values({ organisation_id: organisation.id, email: 'analyst@t1.example', display_name: 'Analyst', role: 'analyst' }).execute();
    ({ token } = await createApiToken(store.db, { email: 'analyst@t1.example', label: 'test', days: 1 }));
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
    port = await listenLocally(app);
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const expectUnauthenticated = (response: { status: number; headers: Record<string, string>; body: string }) => {
    expect(response.status, response.body).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.body)).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  };

  it('refuses a percent-encoded /api path without a token', async () => {
    expectUnauthenticated(await rawRequest(port, get('/%61pi/v1/services/ot/equity-audit?from=2026-01-01&to=2026-03-31')));
    expectUnauthenticated(await rawRequest(port, get('/api/%761/services/ot/equity-audit')));
  });

  it('refuses an absolute-form request target without a token', async () => {
    expectUnauthenticated(await rawRequest(port, get(`http://127.0.0.1:${port}/api/v1/services/ot/equity-audit?from=2026-01-01&to=2026-03-31`)));
  });

  it('refuses a percent-encoded referral POST without a token', async () => {
    expectUnauthenticated(await rawRequest(port, post('/%61pi/v1/services/ot/referrals', '{}', { 'Content-Type': 'application/json' })));
  });

  it('still answers the plain path with a token, and keeps the API description public', async () => {
    const response = await rawRequest(port, get('/api/v1/services/ot/equity-audit', { Authorization: `Bearer ${token}` }));
    expect(response.status, response.body.slice(0, 300)).toBe(200);
    expect(JSON.parse(response.body).service.code).toBe('ot');
    const openapi = await rawRequest(port, get('/api/openapi.json'));
    expect(openapi.status).toBe(200);
    expect(Object.keys(JSON.parse(openapi.body).paths).sort()).toEqual([
      '/api/v1/services/{service}/equity-audit',
      '/api/v1/services/{service}/fhir/ServiceRequest',
      '/api/v1/services/{service}/fhir/ServiceRequest/{id}',
      '/api/v1/services/{service}/referrals',
    ]);
  });
});
