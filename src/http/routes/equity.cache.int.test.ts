import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { createApiToken } from '../../access/api-token.repository.ts';
import { AuditCache } from '../../equity/audit/audit.cache.ts';
import { buildApp } from '../app.ts';

// Given a service with referrals, when the public equity audit is asked for again and again,
// then the engine runs once per (service, period, data version): identical requests, at once or
// later, share one run, and any write to the data makes the next request run it afresh.
// And when one address asks too often, it gets 429 with Retry-After (page or problem+json),
// while /health and /ready are never limited.
describe(`equity audit cache and rate limits on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let audits: AuditCache;
  let authorization: string;
  // Public pages show fixed periods only; 60 referrals so the API's custom window is large enough.
  const page = '/equity?service=ot&period=rolling-12';
  const referral = { source_record_id: 'API-1', person_id: 'P-1', referral_received: '2026-06-20', referral_source: 'gp', date_of_birth: '1961-02-03', sex: '2', postcode: 'DT1 1AA', urgent_risk: false };

  beforeAll(async () => {
    store = await createTestStore();
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    const service = await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('staff_user').values({ organisation_id: organisation.id, email: 'lead@t1.example', display_name: 'Lead', role: 'team_lead' }).execute();
    authorization = `Bearer ${(await createApiToken(store.db, { email: 'lead@t1.example', label: 'test', days: 1 })).token}`;
    for (let i = 0; i < 60; i++) {
      const person = await store.db.insertInto('person').values({ organisation_id: organisation.id, source_person_id: `p${i}`, postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
      const row = await store.db.insertInto('referral').values({ service_id: service.id, person_id: person.id, source_record_id: `r${i}`, received_on: '2026-03-01', source: 'gp', status: 'waiting' }).returning('id').executeTakeFirstOrThrow();
      await store.db.insertInto('episode').values({ referral_id: row.id, service_id: service.id, pathway_code: 'mental_health', priority: 'P3', clock_started_on: '2026-03-01', first_contact_on: null, clock_stopped_on: null, contacts_attended: 0 }).execute();
    }
    audits = new AuditCache();
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21', audits });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('serves a second identical audit from the cache, page and download alike', async () => {
    expect((await app.inject(page)).statusCode).toBe(200);
    expect(audits.stats.runs).toBe(1);
    expect((await app.inject(page)).statusCode).toBe(200);
    expect((await app.inject(page.replace('/equity?', '/equity/audit.json?'))).statusCode).toBe(200);
    expect(audits.stats).toMatchObject({ runs: 1, hits: 2 });
    // Another period is another audit.
    expect((await app.inject(page.replace('rolling-12', 'fy2025-26'))).statusCode).toBe(200);
    expect(audits.stats.runs).toBe(2);
  });

  it('runs identical audits asked for at once only once', async () => {
    const before = audits.stats.runs;
    const url = page.replace('rolling-12', 'fy2024-25');
    const answers = await Promise.all(Array.from({ length: 6 }, () => app.inject(url)));
    expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(audits.stats.runs - before).toBe(1);
  });

  it('runs the audit afresh after any write to the data it reads', async () => {
    await app.inject(page);
    const before = audits.stats.runs;
    // A referral through the API.
    const created = await app.inject({ method: 'POST', url: '/api/v1/services/ot/referrals', headers: { authorization }, payload: referral });
    expect(created.statusCode, created.body).toBe(201);
    await app.inject(page);
    expect(audits.stats.runs).toBe(before + 1);
    // A first contact recorded on an episode (no new referral, same count).
    await store.db.updateTable('episode').set({ first_contact_on: '2026-04-01', clock_stopped_on: '2026-04-01', contacts_attended: 1 }).where('id', '=', (await store.db.selectFrom('episode').select('id').orderBy('id').limit(1).executeTakeFirstOrThrow()).id).execute();
    await app.inject(page);
    expect(audits.stats.runs).toBe(before + 2);
    // And nothing changed since: from the cache again.
    await app.inject(page);
    expect(audits.stats.runs).toBe(before + 2);
  });

  it('uses the same cache for the API', async () => {
    const url = '/api/v1/services/ot/equity-audit?from=2026-01-01&to=2026-10-31';
    await app.inject({ url, headers: { authorization } });
    const before = audits.stats.runs;
    expect((await app.inject({ url, headers: { authorization } })).statusCode).toBe(200);
    expect(audits.stats.runs).toBe(before);
  });

  it('answers 429 with Retry-After over the limit, and never limits /health and /ready', async () => {
    const limited = await buildApp({ store, config: testConfig({ ROOTS_EQUITY_RATE_LIMIT_PER_MINUTE: '2', ROOTS_RATE_LIMIT_PER_MINUTE: '4' }), clock: () => '2026-11-21', audits });
    try {
      expect((await limited.inject(page)).statusCode).toBe(200);
      expect((await limited.inject(page)).statusCode).toBe(200);
      const refused = await limited.inject(page);
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['content-type']).toMatch(/text\/html/);
      expect(refused.body).toContain('RATE_LIMITED');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      const api = limited.inject.bind(limited);
      const url = '/api/v1/services/ot/equity-audit?from=2026-01-01&to=2026-10-31';
      await api({ url, headers: { authorization } });
      await api({ url, headers: { authorization } });
      const refusedApi = await api({ url, headers: { authorization } });
      expect(refusedApi.statusCode).toBe(429);
      expect(refusedApi.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(refusedApi.json()).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      expect(Number(refusedApi.headers['retry-after'])).toBeGreaterThan(0);
      // Other pages have their own, higher limit. (Sent one after another: @fastify/rate-limit's
      // in-memory store reads its counter after an await, so requests sent in the same tick all
      // see the last count.)
      const pages = [];
      for (let i = 0; i < 5; i++) pages.push(await limited.inject('/'));
      expect(pages.map((p) => p.statusCode)).toEqual([200, 200, 200, 200, 429]);
      for (let i = 0; i < 20; i++) {
        expect((await limited.inject('/health')).statusCode).toBe(200);
        expect((await limited.inject('/ready')).statusCode).toBe(200);
      }
    } finally {
      await limited.close();
    }
  });
});
