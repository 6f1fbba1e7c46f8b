import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { testConfig } from '../../test/support/config.ts';
import { createApiToken } from '../access/api-token.repository.ts';
import { buildApp } from './app.ts';
import { Lifecycle } from './lifecycle.ts';
import { migrations } from '../store/migrations/index.ts';

let store: TestStore;
let app: FastifyInstance;
const lifecycle = new Lifecycle();

beforeAll(async () => {
  store = await createTestStore();
  app = await buildApp({ store, config: testConfig(), lifecycle, clock: () => '2026-11-21' });
});
afterAll(async () => {
  await app?.close();
  await store?.close();
});

describe(`web application on ${testEngine}`, () => {
  it('answers /health and /ready', async () => {
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready', checks: { database: 'ok', migration: Object.keys(migrations).at(-1) } });
  });

  it('serves the home page with the NHS layout and strict security headers, with no service yet', async () => {
    const response = await app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
    expect(response.body).toContain('nhsuk-header');
    expect(response.body).toContain('There is no service set up yet');
    expect(response.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(response.headers['content-security-policy']).not.toMatch(/unsafe-inline/);
    expect(response.headers['x-frame-options']).toBe('DENY');
    // The inline script of the NHS template carries this response's nonce.
    const nonce = /script-src 'self' 'nonce-([^']+)'/.exec(String(response.headers['content-security-policy']))![1];
    expect(response.body).toContain(`nonce="${nonce}"`);
  });

  it('shows the service totals with disclosure control', async () => {
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('staff_user').values({ organisation_id: organisation.id, email: 'analyst@t1.example', display_name: 'Analyst', role: 'analyst' }).execute();
    const service = await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'test-ot', name: 'Test OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow();
    // 23 referrals, 9 accepted (3 still waiting, 6 seen after 14 days), 14 not yet triaged.
    for (let i = 0; i < 23; i++) {
      const person = await store.db.insertInto('person').values({ organisation_id: organisation.id, source_person_id: `p${i}`, postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
      const referral = await store.db.insertInto('referral').values({ service_id: service.id, person_id: person.id, source_record_id: `r${i}`, received_on: '2026-06-01', source: 'gp', status: i < 9 ? 'waiting' : 'received' }).returning('id').executeTakeFirstOrThrow();
      if (i < 9) {
        await store.db.insertInto('episode').values({ referral_id: referral.id, service_id: service.id, pathway_code: 'mental_health', priority: 'P3', clock_started_on: '2026-06-01', first_contact_on: i < 6 ? '2026-06-15' : null, clock_stopped_on: i < 6 ? '2026-06-15' : null, contacts_attended: i < 6 ? 1 : 0 }).execute();
      }
    }
    const body = (await app.inject('/')).body;
    const cell = (metric: string) => new RegExp(`data-metric="${metric}">([^<]*(?:<span[^>]*>[^<]*</span>)?)</td>`).exec(body)?.[1];
    expect(cell('referrals')).toBe('25'); // 23 rounded to the nearest 5
    expect(cell('accepted')).toBe('10'); // 9 rounded
    expect(cell('waiting')).toContain('not shown'); // 3 is suppressed
    expect(cell('seen')).toContain('not shown'); // 6 is suppressed
    expect(cell('medianWaitWeeks')).toContain('not shown'); // the median of 6 people is not shown either
    expect(body).not.toMatch(/data-metric="waiting">3</);
  });

  it('serves the NHS design system assets locally', async () => {
    for (const path of ['/assets/nhsuk-frontend.min.css', '/assets/nhsuk-frontend.min.js', '/assets/images/favicon.ico', '/assets/app.css']) {
      const response = await app.inject(path);
      expect(response.statusCode, path).toBe(200);
    }
  });

  it('answers an unknown page with an NHS error page and an unknown API path with problem+json', async () => {
    const page = await app.inject('/no-such-page');
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Page not found');
    // Without a token the API reveals nothing, not even which paths exist.
    const anonymous = await app.inject('/api/v1/no-such-thing');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(anonymous.json()).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    const forged = await app.inject({ url: '/api/v1/no-such-thing', headers: { authorization: 'Bearer roots_forged' } });
    expect(forged.statusCode).toBe(401);
    const { token } = await createApiToken(store.db, { email: 'analyst@t1.example', label: 'test', days: 1 });
    const api = await app.inject({ url: '/api/v1/no-such-thing', headers: { authorization: `Bearer ${token}` } });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('describes the API in OpenAPI, generated from the route schemas', async () => {
    const response = await app.inject('/api/openapi.json');
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/v1/services/{service}/referrals', '/api/v1/services/{service}/equity-audit']));
    const body = document.paths['/api/v1/services/{service}/referrals'].post.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(expect.arrayContaining(['source_record_id', 'person_id', 'referral_received', 'referral_source']));
    expect(Object.keys(document.paths).filter((path) => !path.startsWith('/api/'))).toEqual([]);
  });

  it('reports not ready once shutdown begins', async () => {
    lifecycle.beginShutdown();
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not-ready', checks: { shuttingDown: true } });
  });
});
