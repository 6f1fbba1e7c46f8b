import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/config.ts';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { createStaffUser, signIn, type TestStaffUser } from '../../../test/support/sign-in.ts';
import { buildApp } from '../app.ts';

// Given a service with three people waiting (one of whom missed an appointment, one unavailable
// for a while) and one seen, when a team lead compares clock rules on the page, then the waits
// under each rule set are shown side by side, worked out by hand; in Welsh too; staff of another
// organisation are refused; and each view is audited.
describe(`clock rules page on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let lead: TestStaffUser;
  let outsider: TestStaffUser;

  beforeAll(async () => {
    store = await createTestStore();
    const db = store.db;
    const mine = (await db.insertInto('organisation').values({ code: 'MINE', name: 'Mine' }).returning('id').executeTakeFirstOrThrow()).id;
    const theirs = (await db.insertInto('organisation').values({ code: 'THEIRS', name: 'Theirs' }).returning('id').executeTakeFirstOrThrow()).id;
    const serviceId = (await db.insertInto('service').values({ organisation_id: mine, code: 'ot', name: 'Mine OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow()).id;
    lead = await createStaffUser(store, { organisationId: mine, role: 'team_lead' });
    outsider = await createStaffUser(store, { organisationId: theirs, role: 'team_lead' });
    // As of 2026-11-21: A received 11-01 (20 days); B received 10-01, did not attend 10-21 (51 days, or 31 from the restart);
    // C received 09-01, unavailable 09-11 to 10-11 (81 days, or 51 paused); D received 10-01, seen 10-15.
    const histories: [string, string, string | null][][] = [
      [['2026-11-01', 'start', 'referral_received']],
      [['2026-10-01', 'start', 'referral_received'], ['2026-10-21', 'pause', 'did_not_attend']],
      [['2026-09-01', 'start', 'referral_received'], ['2026-09-11', 'pause', 'patient_unavailable'], ['2026-10-11', 'resume', 'available_again']],
      [['2026-10-01', 'start', 'referral_received'], ['2026-10-15', 'stop', 'first_contact']],
    ];
    for (const [i, events] of histories.entries()) {
      const person = await db.insertInto('person').values({ organisation_id: mine, source_person_id: `p${i}`, postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
      const referral = await db.insertInto('referral').values({ service_id: serviceId, person_id: person.id, source_record_id: `r${i}`, received_on: events[0]![0], source: 'gp', status: 'waiting' }).returning('id').executeTakeFirstOrThrow();
      const episode = await db.insertInto('episode').values({ referral_id: referral.id, service_id: serviceId, pathway_code: 'community_rehab', priority: 'P3', clock_started_on: events[0]![0] }).returning('id').executeTakeFirstOrThrow();
      await db.insertInto('waiting_clock_event').values(events.map(([on, kind, reason]) => ({ episode_id: episode.id, occurred_on: on, kind: kind as never, reason: reason as never }))).execute();
    }
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const cellsOf = (html: string, measure: string) => {
    const row = html.match(new RegExp(`<tr class="nhsuk-table__row" data-measure="${measure}">([\\s\\S]*?)</tr>`))![1]!;
    return [...row.matchAll(/data-set="(a|b)">([^<]*)</g)].map((m) => m[2]!.trim());
  };

  it('shows the waits under the default rules beside the continuous clock, then under rules the lead picks', async () => {
    const { cookie } = await signIn(app, lead.email, lead.password);
    const page = await app.inject({ url: '/services/MINE~ot/clock-rules', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Clock rules: what a change would do');
    // A (default: restart on did-not-attend, pause while unavailable): 20, 31, 51; B (continuous): 20, 51, 81.
    expect(cellsOf(page.body, 'waiting')).toEqual(['3', '3']);
    expect(cellsOf(page.body, 'medianDays')).toEqual(['31', '51']);
    expect(cellsOf(page.body, 'p92Days')).toEqual(['51', '81']);
    expect(cellsOf(page.body, 'stopped')).toEqual(['1', '1']);
    // Pausing on a did-not-attend (no resume) leaves B's wait at 20 days before it.
    const picked = await app.inject({ url: '/services/MINE~ot/clock-rules?dnaB=pause&cancelledB=ignore&unavailableB=ignore', headers: { cookie } });
    expect(cellsOf(picked.body, 'medianDays')).toEqual(['31', '20']);
    expect(picked.body).toMatch(/<option value="pause" selected>Pause the clock<\/option>/);
    const audited = await store.db.selectFrom('audit_event').select(['action', 'subject_kind']).where('subject_kind', '=', 'clock_rules').execute();
    expect(audited).toEqual([{ action: 'read', subject_kind: 'clock_rules' }, { action: 'read', subject_kind: 'clock_rules' }]);
  });

  it('speaks Welsh', async () => {
    const { cookie } = await signIn(app, lead.email, lead.password);
    const page = await app.inject({ url: '/services/MINE~ot/clock-rules?lang=cy', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Rheolau&#39;r cloc: beth fyddai newid yn ei wneud');
    expect(page.body).toContain('Amser aros canolrif (diwrnodau)');
    expect(cellsOf(page.body, 'medianDays')).toEqual(['31', '51']);
  });

  it('refuses staff of another organisation as if the service did not exist, and anyone signed out', async () => {
    const { cookie } = await signIn(app, outsider.email, outsider.password);
    expect((await app.inject({ url: '/services/MINE~ot/clock-rules', headers: { cookie } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/services/MINE~ot/clock-rules' })).statusCode).toBe(303);
  });
});
