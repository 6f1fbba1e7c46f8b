import { testSystemActor } from '../../../test/support/actors.ts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { createApiToken } from '../../access/api-token.repository.ts';
import { importReferralRows } from '../../imports/referral-import.service.ts';
import { loadAreaFrame } from '../../synth/area-frame.repository.ts';
import { resolveSynthOptions } from '../../synth/options.ts';
import { insertReferenceFixture } from '../../../test/support/synth-reference.fixture.ts';
import { synthesise } from '../../synth/synthesise.ts';
import { buildApp } from '../app.ts';

// Given a service with a synthetic year of referrals, when its equity audit is asked for as a
// page, a download or through the API, then each shows the same disclosure-controlled audit,
// and the API answers only staff of the service's own organisation.
describe(`equity audit routes on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  const query = 'service=ot&period=fy2024-25';

  beforeAll(async () => {
    store = await createTestStore();
    await insertReferenceFixture(store.db);
    const organisation = await store.db.insertInto('organisation').values({ code: 'SYN', name: 'Synthetic Trust' }).returning('id').executeTakeFirstOrThrow();
    const other = await store.db.insertInto('organisation').values({ code: 'OTHER', name: 'Another Trust' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Community OT', setting: 'primary_care' }).execute();
    await store.db.insertInto('staff_user').values([
      { organisation_id: organisation.id, email: 'commissioner@syn.example', display_name: 'C', role: 'commissioner' },
      { organisation_id: other.id, email: 'lead@other.example', display_name: 'L', role: 'team_lead' },
    ]).execute();
    const options = resolveSynthOptions({ people: 3000, seed: 7, serviceCode: 'SYN/ot' });
    const frame = await loadAreaFrame(store.db, options.area);
    await importReferralRows(store, synthesise(options, frame), { actor: testSystemActor, service: 'SYN/ot', today: options.yearEnd });
    app = await buildApp({ store, config: testConfig(), clock: () => '2025-04-01' });
  }, 600_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('renders the /equity page with findings, charts with titles, and download links', async () => {
    const response = await app.inject(`/equity?${query}`);
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    const body = response.body;
    expect(body).toContain('Community OT');
    expect(body).toMatch(/<svg[^>]*role="img"/);
    expect(body).toMatch(/<title[^>]*>[^<]+<\/title>/);
    expect(body).toContain('most deprived');
    // Links name the organisation too (service codes are unique only within one).
    expect(body).toContain(`/equity/audit.csv?${query.replace('service=ot', 'service=SYN~ot').replaceAll('&', '&amp;')}`);
    // No count from 1 to 7 in any referrals cell (cells carry their column heading, the
    // responsive table pattern).
    const cells = [...body.matchAll(/<span class="nhsuk-table__heading" aria-hidden="true">Referrals <\/span>([^<]*)<\/td>/g)].map((m) => m[1]!.trim());
    expect(cells.length).toBeGreaterThan(20);
    expect(cells.filter((text) => /^[1-7]$/.test(text))).toEqual([]);
  });

  it('serves the downloads as attachments', async () => {
    for (const [file, type] of [['audit.csv', /text\/csv/], ['audit.json', /application\/json/], ['audit.xlsx', /spreadsheetml/], ['report.html', /text\/html/]] as const) {
      const response = await app.inject(`/equity/${file}?${query}`);
      expect(response.statusCode, file).toBe(200);
      expect(response.headers['content-type'], file).toMatch(type);
      expect(String(response.headers['content-disposition'])).toContain('attachment; filename="roots-equity-audit-ot-2024-04-01-to-2025-03-31');
    }
    const json = JSON.parse((await app.inject(`/equity/audit.json?${query}`)).body);
    expect(json.disclosure).toMatchObject({ suppressUpTo: 7, roundTo: 5, applied: true });
  });

  it('refuses a malformed period with a clear error', async () => {
    const bad = await app.inject('/equity?from=2025-13-01');
    expect(bad.statusCode).toBe(400);
    const backwards = await app.inject('/equity?from=2025-03-31&to=2024-01-01');
    expect(backwards.statusCode).toBe(400);
  });

  it('shows public pages and downloads for fixed periods only, chosen from a list', async () => {
    // Given no signed-in actor, when a custom window is asked for, then it is refused with the way to a fixed period.
    for (const url of ['/equity?service=ot&from=2024-06-03&to=2024-06-03', '/equity/audit.csv?service=ot&from=2024-06-03&to=2024-06-03', '/equity?service=ot&to=2025-03-31']) {
      const refused = await app.inject(url);
      expect(refused.statusCode, url).toBe(400);
      expect(refused.body, url).toMatch(/fixed periods/);
      expect(refused.body, url).toContain('period=rolling-12');
    }
    // A period that is not on the list is refused too.
    for (const period of ['fy2025-26', 'fy2024-26', 'last-week']) expect((await app.inject(`/equity?service=ot&period=${period}`)).statusCode, period).toBe(400);
    // The rolling 12 months end at the latest complete month.
    const rolling = await app.inject('/equity/audit.json?service=ot&period=rolling-12');
    expect(rolling.statusCode).toBe(200);
    expect(rolling.json().period).toMatchObject({ from: '2024-04-01', to: '2025-03-31' });
    // With no period, the page shows the newest fixed period holding data and links to the others.
    const page = await app.inject('/equity?service=ot');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('href="/equity?service=SYN~ot&amp;period=rolling-12"');
    expect(page.body).toContain('href="/equity?service=SYN~ot&amp;period=fy2024-25"');
    expect(page.body).toContain('Financial year 2024-25');
  });

  it('answers the API for staff of the organisation only, and records the read', async () => {
    const anonymous = await app.inject('/api/v1/services/ot/equity-audit?from=2024-04-01&to=2025-03-31');
    expect(anonymous.statusCode).toBe(401);
    const outsider = (await createApiToken(store.db, { email: 'lead@other.example', label: 't', days: 1 })).token;
    const refused = await app.inject({ url: '/api/v1/services/ot/equity-audit', headers: { authorization: `Bearer ${outsider}` } });
    expect(refused.statusCode).toBe(404);
    expect(refused.json().detail).toBe((await app.inject({ url: '/api/v1/services/no-such/equity-audit', headers: { authorization: `Bearer ${outsider}` } })).json().detail);
    const commissioner = (await createApiToken(store.db, { email: 'commissioner@syn.example', label: 't', days: 1 })).token;
    const allowed = await app.inject({ url: '/api/v1/services/ot/equity-audit?from=2024-04-01&to=2025-03-31', headers: { authorization: `Bearer ${commissioner}` } });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().total.counts.referrals).toBeGreaterThan(100);
    // Staff actions only: the public custom windows refused above are recorded as 'anonymous'.
    const trail = await store.db.selectFrom('audit_event').select(['action', 'actor']).where('subject_kind', '=', 'equity_audit').where('actor', '!=', 'anonymous').execute();
    expect(trail.map((e) => e.action).sort()).toEqual(['denied', 'read']);
    const publicRefusals = await store.db.selectFrom('audit_event').select('action').where('subject_kind', '=', 'equity_audit').where('actor', '=', 'anonymous').execute();
    // The backwards window of 'refuses a malformed period' and the three of 'fixed periods only'.
    expect(publicRefusals.map((e) => e.action)).toEqual(['denied', 'denied', 'denied', 'denied']);
  });

  it('tells services with the same code apart by their organisation', async () => {
    // Given a second organisation with a service "ot" too:
    const other = await store.db.selectFrom('organisation').select('id').where('code', '=', 'OTHER').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: other.id, code: 'ot', name: 'Other OT', setting: 'primary_care' }).execute();
    // the bare code is refused, naming the choices; ORG~code (or ORG/code) picks one.
    const ambiguous = await app.inject(`/equity?${query}`);
    expect(ambiguous.statusCode).toBe(400);
    expect(ambiguous.body).toMatch(/OTHER\/ot/);
    expect(ambiguous.body).toMatch(/SYN\/ot/);
    const named = await app.inject(`/equity?${query.replace('service=ot', 'service=SYN~ot')}`);
    expect(named.statusCode).toBe(200);
    expect(named.body).toContain('Community OT');
    const slash = await app.inject(`/equity/audit.json?${query.replace('service=ot', 'service=SYN%2Fot')}`);
    expect(slash.statusCode).toBe(200);
    // Through the API a bare code means the caller's own organisation's service.
    const commissioner = (await createApiToken(store.db, { email: 'commissioner@syn.example', label: 't2', days: 1 })).token;
    for (const service of ['ot', 'SYN~ot']) {
      const response = await app.inject({ url: `/api/v1/services/${service}/equity-audit?from=2024-04-01&to=2025-03-31`, headers: { authorization: `Bearer ${commissioner}` } });
      expect(response.statusCode, service).toBe(200);
      expect(response.json().total.counts.referrals, service).toBeGreaterThan(100);
    }
    // Another organisation's service that this one does not commission is answered exactly like a
    // missing one (ADR 9): the caller may not learn that it exists.
    const theirs = await app.inject({ url: '/api/v1/services/OTHER~ot/equity-audit', headers: { authorization: `Bearer ${commissioner}` } });
    expect(theirs.statusCode).toBe(404);
  });

  it('gives a signed-in custom window only when it holds enough referrals', async () => {
    const commissioner = (await createApiToken(store.db, { email: 'commissioner@syn.example', label: 'w', days: 1 })).token;
    const oneDay = await app.inject({ url: '/api/v1/services/ot/equity-audit?from=2024-06-03&to=2024-06-03', headers: { authorization: `Bearer ${commissioner}` } });
    expect(oneDay.statusCode).toBe(400);
    expect(oneDay.body).toMatch(/fewer than 50 referrals/);
    const quarter = await app.inject({ url: '/api/v1/services/ot/equity-audit?from=2024-04-01&to=2024-06-30', headers: { authorization: `Bearer ${commissioner}` } });
    expect(quarter.statusCode).toBe(200);
  });
});
