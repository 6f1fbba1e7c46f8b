import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/config.ts';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { waitingEpisode } from '../../../test/support/outcomes.fixture.ts';
import { createStaffUser, signIn, type TestStaffUser } from '../../../test/support/sign-in.ts';
import { buildApp } from '../app.ts';

const form = 'application/x-www-form-urlencoded';

// Given a person on the waiting list, when a therapist uses the outcome pages, then forms
// without JavaScript record outcomes (errors in the summary, linked to their fields), the list
// shows change with its named threshold in English and Welsh, discharge happens once, and the
// work report validates the HCPC number and prints.
describe(`outcome pages on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let ot: TestStaffUser;
  let admin: TestStaffUser;
  let episodeId: number;

  beforeAll(async () => {
    store = await createTestStore();
    const mine = (await store.db.insertInto('organisation').values({ code: 'MINE', name: 'Mine' }).returning('id').executeTakeFirstOrThrow()).id;
    const serviceId = (await store.db.insertInto('service').values({ organisation_id: mine, code: 'ot', name: 'Mine OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow()).id;
    ot = await createStaffUser(store, { organisationId: mine, role: 'therapist', displayName: 'Sam Hughes' });
    admin = await createStaffUser(store, { organisationId: mine, role: 'administrator' });
    ({ episodeId } = await waitingEpisode(store.db, { id: serviceId, organisationId: mine }, { kind: 'staff', userId: ot.id, organisationId: mine, role: 'therapist' }, 'PAGE-1', { givenName: 'Rhian' }));
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, fields: Record<string, string | string[]>, who: { cookie: string; csrfToken: string }) => {
    const body = new URLSearchParams({ _csrf: who.csrfToken });
    for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(key, one);
    return app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': form }, payload: body.toString() });
  };
  const items = (answers: number[]) => Object.fromEntries(answers.map((a, i) => [`item${i + 1}`, String(a)]));
  const date = (name: string, day: string, month = '11', year = '2026') => ({ [`${name}-day`]: day, [`${name}-month`]: month, [`${name}-year`]: year });

  it('records SWEMWBS from the item answers and shows the change against the named threshold', async () => {
    const session = await signIn(app, ot.email, ot.password);
    const empty = await get(`/episodes/${episodeId}/outcomes`, session.cookie);
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('data-testid="no-outcomes"');
    expect(empty.body).toContain('Rhian');
    const missing = await post(`/episodes/${episodeId}/outcomes/swemwbs`, { timepoint: 'baseline', ...date('recordedOn', '2'), ...items([2, 2]) }, session);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#swemwbs-item3"');
    expect(missing.body).toContain('Select an answer for item 3');
    const baseline = await post(`/episodes/${episodeId}/outcomes/swemwbs`, { timepoint: 'baseline', ...date('recordedOn', '2'), ...items([2, 2, 3, 2, 3, 2, 3]) }, session);
    expect(baseline.statusCode).toBe(303);
    const review = await post(`/episodes/${episodeId}/outcomes/swemwbs`, { timepoint: 'review', ...date('recordedOn', '16'), ...items([3, 3, 4, 3, 4, 3, 3]) }, session);
    expect(review.statusCode).toBe(303);
    const page = await get(review.headers.location as string, session.cookie);
    expect(page.body).toContain('Recorded: SWEMWBS');
    expect(page.body).toMatch(/data-testid="change">\+3.85</);
    expect(page.body).toContain('data-verdict="improved"');
    expect(page.body).toContain('A change of 3 points or more is meaningful. Source: Shah et al. 2018');
    const again = await post(`/episodes/${episodeId}/outcomes/swemwbs`, { timepoint: 'review', ...date('recordedOn', '17'), ...items([3, 3, 3, 3, 3, 3, 3]) }, session);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('href="#swemwbs-timepoint"');
    const welsh = await get(`/episodes/${episodeId}/outcomes?lang=cy`, session.cookie);
    expect(welsh.body).toContain('Gwelliant ystyrlon');
  });

  it('records GAS, FFT and a score-only instrument through their forms, refusing scores off the scale', async () => {
    const session = await signIn(app, ot.email, ot.password);
    expect((await post(`/episodes/${episodeId}/outcomes/gas`, { timepoint: 'baseline', ...date('recordedOn', '2'), 'goal1-level': '-1', 'goal2-level': '-1', 'goal3-level': '-1' }, session)).statusCode).toBe(303);
    const badWeight = await post(`/episodes/${episodeId}/outcomes/gas`, { timepoint: 'review', ...date('recordedOn', '16'), 'goal1-level': '1', 'goal1-weight': '12' }, session);
    expect(badWeight.body).toContain('href="#gas-goal1-weight"');
    expect((await post(`/episodes/${episodeId}/outcomes/fft`, { timepoint: 'discharge', ...date('recordedOn', '16'), answer: '1' }, session)).statusCode).toBe(303);
    const offScale = await post(`/episodes/${episodeId}/outcomes/score`, { instrument: 'TOMS', timepoint: 'baseline', ...date('recordedOn', '2'), score: '3.3' }, session);
    expect(offScale.statusCode).toBe(400);
    expect(offScale.body).toContain('href="#score-score"');
    expect((await post(`/episodes/${episodeId}/outcomes/score`, { instrument: 'TOMS', timepoint: 'baseline', ...date('recordedOn', '2'), score: '3.5' }, session)).statusCode).toBe(303);
    const page = await get(`/episodes/${episodeId}/outcomes`, session.cookie);
    expect(page.body).toContain('data-instrument="GAS"');
    expect(page.body).toContain('data-instrument="TOMS"');
    expect(page.body).toMatch(/data-instrument="GAS"[\s\S]*?data-testid="score">36.31</);
  });

  it('lets an administrator read but not record', async () => {
    const session = await signIn(app, admin.email, admin.password);
    const page = await get(`/episodes/${episodeId}/outcomes`, session.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="read-only"');
    expect(page.body).not.toContain('data-testid="form-swemwbs"');
  });

  it('writes, validates and prints the work report', async () => {
    const session = await signIn(app, ot.email, ot.password);
    const report = {
      version: '0',
      fitness: 'may_be_fit',
      adjustments: ['phasedReturn', 'workplaceAdaptations'],
      difficulties: 'Standing for more than an hour is painful.',
      recommendations: 'A stool at the till; four-hour shifts for a month.',
      practitionerName: 'Sam Hughes',
      hcpcNumber: 'OT-12345',
      ...date('assessedOn', '18'),
      ...date('reviewOn', '18', '12'),
    };
    const bad = await post(`/episodes/${episodeId}/work-report`, report, session);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#hcpcNumber"');
    const saved = await post(`/episodes/${episodeId}/work-report`, { ...report, hcpcNumber: 'ot12345' }, session);
    expect(saved.statusCode).toBe(303);
    const page = await get(saved.headers.location as string, session.cookie);
    expect(page.body).toContain('Version 1 of the report has been saved.');
    expect(page.body).toContain('name="version" value="1"');
    const stale = await post(`/episodes/${episodeId}/work-report`, { ...report, hcpcNumber: 'OT12345' }, session);
    expect(stale.statusCode).toBe(409);
    const print = await get(`/episodes/${episodeId}/work-report/print`, session.cookie);
    expect(print.statusCode).toBe(200);
    expect(print.body).toContain('class="app-print"');
    expect(print.body).toContain('OT12345');
    expect(print.body).toContain('Occupational therapist');
    expect(print.body).toContain('18 December 2026');
    expect(print.body).toMatch(/data-adjustment="yes">a phased return to work/);
  });

  it('discharges once, with outcome codes', async () => {
    const session = await signIn(app, ot.email, ot.password);
    const noReason = await post(`/episodes/${episodeId}/discharge`, { ...date('dischargedOn', '20') }, session);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#reason"');
    const done = await post(`/episodes/${episodeId}/discharge`, { ...date('dischargedOn', '20'), reason: 'goals_met', outcomes: ['stayed_in_work', 'self_management_plan'] }, session);
    expect(done.statusCode).toBe(303);
    const page = await get(done.headers.location as string, session.cookie);
    expect(page.body).toContain('data-testid="discharge-summary"');
    expect(page.body).toContain('Self-management plan in place, Stayed in work');
    const second = await post(`/episodes/${episodeId}/discharge`, { ...date('dischargedOn', '21'), reason: 'other' }, session);
    expect(second.statusCode).toBe(409);
    expect(second.body).toContain('already been discharged');
  });
});
