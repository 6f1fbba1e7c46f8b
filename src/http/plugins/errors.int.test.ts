import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { get, listenLocally, post, rawRequest, type RawResponse } from '../../../test/support/raw-http.ts';
import { createApiToken } from '../../access/api-token.repository.ts';
import { buildApp } from '../app.ts';

// Given Roots listening on a real socket, when a request fails in any of the ways HTTP can fail
// (no route, body too large, headers too large, malformed JSON, wrong content type, a bug),
// then an API request gets RFC 9457 problem+json with a catalogue code and no internals, and a
// page request gets the NHS-styled HTML error page.
describe(`error answers on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let port: number;
  let auth: Record<string, string>;

  beforeAll(async () => {
    store = await createTestStore();
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care' }).execute();
    await store.db.insertInto('staff_user').values({ organisation_id: organisation.id, email: 'lead@t1.example', display_name: 'Lead', role: 'team_lead' }).execute();
    const { token } = await createApiToken(store.db, { email: 'lead@t1.example', label: 'test', days: 1 });
    auth = { Authorization: `Bearer ${token}` };
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
    // Stand-ins for a bug: a handler that throws an unexpected error with an internal message.
    const boom = async () => {
      throw new Error('secret internal detail at db.example:5432');
    };
    app.get('/api/boom', { config: { access: 'public' } }, boom);
    app.get('/boom', { config: { access: 'public' } }, boom);
    port = await listenLocally(app);
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const expectProblem = (response: RawResponse, status: number, code: string) => {
    expect(response.status, response.body.slice(0, 300)).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = JSON.parse(response.body);
    expect(problem).toMatchObject({ status, code, type: `/problems/${code.toLowerCase().replaceAll('_', '-')}` });
    return problem;
  };
  const expectPage = (response: RawResponse, status: number) => {
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('nhsuk-header');
  };

  it('answers unknown routes under /api with 404 problem+json, however the path is written', async () => {
    expectProblem(await rawRequest(port, get('/api/no-such-thing')), 404, 'NOT_FOUND');
    expectProblem(await rawRequest(port, get('/api/v2/services', auth)), 404, 'NOT_FOUND');
    expectProblem(await rawRequest(port, get('/api/v1/no-such-thing', auth)), 404, 'NOT_FOUND');
    expectProblem(await rawRequest(port, get('/%61pi/no-such-thing')), 404, 'NOT_FOUND');
    expectProblem(await rawRequest(port, get(`http://127.0.0.1:${port}/api/no-such-thing`)), 404, 'NOT_FOUND');
    expectPage(await rawRequest(port, get('/no-such-page')), 404);
  });

  it('answers a body over the limit with 413 problem+json', async () => {
    const body = JSON.stringify({ source_record_id: 'x'.repeat(2_000_000) });
    expectProblem(await rawRequest(port, post('/api/v1/services/ot/referrals', body, { ...auth, 'Content-Type': 'application/json' })), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers headers over the limit with 431: problem+json under /api, an HTML page elsewhere', async () => {
    const huge = { 'X-Padding': 'x'.repeat(20_000) };
    expectProblem(await rawRequest(port, get('/api/v1/services/ot/equity-audit', huge)), 431, 'HEADERS_TOO_LARGE');
    const page = await rawRequest(port, get('/equity', huge));
    expect(page.status).toBe(431);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<html lang="en">');
  });

  it('answers malformed JSON with 400 problem+json and an unsupported content type with 415', async () => {
    expectProblem(await rawRequest(port, post('/api/v1/services/ot/referrals', '{"source_record_id": ', { ...auth, 'Content-Type': 'application/json' })), 400, 'BAD_REQUEST');
    expectProblem(await rawRequest(port, post('/api/v1/services/ot/referrals', 'hello', { ...auth, 'Content-Type': 'text/x-unknown' })), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers a malformed percent-encoding in an API path with 400 problem+json', async () => {
    expectProblem(await rawRequest(port, get('/api/v1/services/%E0%A4%A/equity-audit', auth)), 400, 'BAD_REQUEST');
  });

  it('answers an unexpected error with 500: problem+json with no message or stack, and an HTML page', async () => {
    const problem = expectProblem(await rawRequest(port, get('/api/boom')), 500, 'INTERNAL');
    expect(Object.keys(problem).sort()).toEqual(['code', 'instance', 'status', 'title', 'type']);
    const page = await rawRequest(port, get('/boom'));
    expectPage(page, 500);
    expect(page.body).not.toContain('secret internal detail');
    expect(page.body).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
