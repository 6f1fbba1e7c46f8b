import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { createStaffUser, signIn } from '../../../test/support/sign-in.ts';
import { buildApp } from '../app.ts';

// Given a service with 60 referrals in 2024 and 60 in 2026, when someone asks /equity for a
// custom window, then: a visitor who is not signed in is refused (and the refusal is in the audit
// trail) and told the page shows fixed periods only; a team lead of the service gets the window
// from the form (NHS date inputs, error summary for bad dates, English and Welsh) only when it
// holds at least 50 referrals; staff of another organisation are refused; downloads follow the
// same rule.
describe(`equity audit custom window on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let lead: { cookie: string };
  let outsider: { cookie: string };
  const today = '2026-11-21';
  const boxes = (from: [string, string, string], to: [string, string, string]) =>
    new URLSearchParams({ service: 'T1~ot', 'from-day': from[0], 'from-month': from[1], 'from-year': from[2], 'to-day': to[0], 'to-month': to[1], 'to-year': to[2] }).toString();

  beforeAll(async () => {
    store = await createTestStore();
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    const other = await store.db.insertInto('organisation').values({ code: 'T2', name: 'Other Trust' }).returning('id').executeTakeFirstOrThrow();
    const service = await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow();
    for (let i = 0; i < 120; i++) {
      const person = await store.db.insertInto('person').values({ organisation_id: organisation.id, source_person_id: `p${i}`, postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
      await store.db.insertInto('referral').values({ service_id: service.id, person_id: person.id, source_record_id: `r${i}`, received_on: i % 2 === 0 ? '2024-06-01' : '2026-03-01', source: 'gp', status: 'waiting' }).execute();
    }
    const teamLead = await createStaffUser(store, { organisationId: organisation.id, role: 'team_lead' });
    const stranger = await createStaffUser(store, { organisationId: other.id, role: 'team_lead' });
    app = await buildApp({ store, config: testConfig(), clock: () => today });
    lead = await signIn(app, teamLead.email, teamLead.password);
    outsider = await signIn(app, stranger.email, stranger.password);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const denials = () => store.db.selectFrom('audit_event').select(['actor', 'detail']).where('action', '=', 'denied').where('subject_kind', '=', 'equity_audit').execute();

  it('shows anyone the fixed periods and says why there is no custom window', async () => {
    const page = await app.inject('/equity?service=T1~ot');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="fixed-periods-only"');
    expect(page.body).toContain('Published figures cover these fixed periods only');
    expect(page.body).not.toContain('data-testid="custom-window-form"');
  });

  it('refuses a custom window without sign-in, on the page and the downloads, and records each refusal', async () => {
    const before = (await denials()).length;
    for (const url of ['/equity?service=T1~ot&from=2024-01-01&to=2024-12-31', `/equity?${boxes(['1', '1', '2024'], ['31', '12', '2024'])}`, '/equity/audit.csv?service=T1~ot&from=2024-01-01&to=2024-12-31']) {
      const refused = await app.inject(url);
      expect(refused.statusCode, url).toBe(400);
      expect(refused.body, url).toMatch(/fixed periods only/);
      expect(refused.body, url).not.toContain('Test OT:');
    }
    const after = await denials();
    expect(after.length - before).toBe(3);
    expect(after.slice(before).map((row) => [row.actor, (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail).wanted])).toEqual([
      ['anonymous', 'custom_window'],
      ['anonymous', 'custom_window'],
      ['anonymous', 'custom_window'],
    ]);
  });

  it('gives a team lead of the service the window chosen with the form, with downloads for it', async () => {
    const fixed = await app.inject({ url: '/equity?service=T1~ot', headers: { cookie: lead.cookie } });
    expect(fixed.body).toContain('data-testid="custom-window-form"');
    expect(fixed.body).toContain('id="from-day"');
    expect(fixed.body).not.toContain('data-testid="fixed-periods-only"');
    const page = await app.inject({ url: `/equity?${boxes(['1', '1', '2024'], ['31', '12', '2024'])}`, headers: { cookie: lead.cookie } });
    expect(page.statusCode, page.body.slice(0, 300)).toBe(200);
    expect(page.body).toContain('You are looking at your own dates: 1 January 2024 to 31 December 2024.');
    expect(page.body).toContain('/equity/audit.csv?service=T1~ot&amp;from=2024-01-01&amp;to=2024-12-31');
    // The boxes keep what was typed.
    expect(page.body).toMatch(/id="to-year" name="to-year" type="text" value="2024"/);
    const json = await app.inject({ url: '/equity/audit.json?service=T1~ot&from=2024-01-01&to=2024-12-31', headers: { cookie: lead.cookie } });
    expect(json.statusCode).toBe(200);
    expect(json.json().period).toMatchObject({ from: '2024-01-01', to: '2024-12-31' });
    expect(json.json().total.counts.referrals).toBe(60);
    const reads = await store.db.selectFrom('audit_event').select('actor').where('action', '=', 'read').where('subject_kind', '=', 'equity_audit').execute();
    expect(reads.length).toBeGreaterThanOrEqual(2);
  });

  it('shows every problem with the dates in the NHS error summary, linked to its field', async () => {
    const cases: [string, string[], string[]][] = [
      [boxes(['30', '2', '2026'], ['', '', '']), ['The start date must be a real date, for example 1 4 2024', 'Enter the end date'], ['#from-day', '#to-day']],
      [boxes(['1', '1', '2025'], ['1', '1', '2024']), ['The end date must be the same as or after the start date'], ['#to-day']],
      [boxes(['2', '6', '2024'], ['2', '6', '2024']), ['These dates hold fewer than 50 referrals, too few to show without singling people out: choose a longer window'], ['#from-day']],
    ];
    for (const [query, messages, links] of cases) {
      const page = await app.inject({ url: `/equity?${query}`, headers: { cookie: lead.cookie } });
      expect(page.statusCode, query).toBe(400);
      const summary = /class="nhsuk-error-summary"[\s\S]*?<\/ul>/.exec(page.body)?.[0] ?? '';
      expect([...summary.matchAll(/<a href="([^"]+)">\s*([^<]+?)\s*<\/a>/g)].map((m) => [m[1], m[2]!.trim()]), query).toEqual(links.map((link, i) => [link, messages[i]!.replaceAll("'", '&#39;')]));
      expect(page.body).toMatch(/<title>Error: /);
      expect(page.body).not.toContain('data-testid="custom-window"');
    }
    const welsh = await app.inject({ url: `/equity?${boxes(['30', '2', '2026'], ['1', '1', '2027'])}&lang=cy`, headers: { cookie: lead.cookie } });
    expect(welsh.statusCode).toBe(400);
    expect(welsh.body).toContain('Rhaid i&#39;r dyddiad dechrau fod yn ddyddiad go iawn');
    const download = await app.inject({ url: '/equity/audit.csv?service=T1~ot&from=2024-06-02&to=2024-06-02', headers: { cookie: lead.cookie } });
    expect(download.statusCode).toBe(400);
    expect(download.body).toMatch(/fewer than 50 referrals/);
  });

  it('refuses staff of another organisation as if the service did not exist, and records it', async () => {
    const before = (await denials()).length;
    const page = await app.inject({ url: `/equity?${boxes(['1', '1', '2024'], ['31', '12', '2024'])}`, headers: { cookie: outsider.cookie } });
    expect(page.statusCode).toBe(404);
    const download = await app.inject({ url: '/equity/audit.json?service=T1~ot&from=2024-01-01&to=2024-12-31', headers: { cookie: outsider.cookie } });
    expect(download.statusCode).toBe(404);
    const after = await denials();
    expect(after.slice(before).map((row) => row.actor)).toEqual([expect.stringMatching(/^staff:\d+$/), expect.stringMatching(/^staff:\d+$/)]);
  });
});
