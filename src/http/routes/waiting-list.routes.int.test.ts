import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/config.ts';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { createStaffUser, signIn, type TestStaffUser } from '../../../test/support/sign-in.ts';
import { buildApp } from '../app.ts';

const form = 'application/x-www-form-urlencoded';
const today = '2026-06-01';
const daysBefore = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

/**
 * A hand-worked list (dates are days before 2026-06-01), mental health P3:
 * - 39 referrals received 100 days ago, seen (clock stopped by a first contact) 50 days ago;
 * - 39 received 42 days ago, waiting (6 weeks; the first 5 need an interpreter);
 * - 39 received 126 days ago, waiting (18 weeks: due for validation at 12 weeks);
 * and one frailty and falls P4 referral received 200 days ago, waiting (28 weeks: due at 26).
 * Over the last 26 weeks: demand 117 / 26 = 4.5 a week, capacity 39 / 26 = 1.5 a week; 78
 * waiting with a mean wait of (42 + 126) / 2 = 84 days = 12 weeks against a 6-week target:
 * target list size 4.5 x 6 / 4 = 6.75, pressure 2 x 12 / 6 = 4, relief capacity
 * 4.5 + (78 - 6.75) / 26 = 7.24, and the list in 26 weeks 78 + 26 x (4.5 - 1.5) = 156.
 */
describe(`waiting list pages on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let serviceId: number;
  let ot: TestStaffUser;
  let lead: TestStaffUser;
  let analyst: TestStaffUser;
  let outsider: TestStaffUser;
  const episodes = { seen: [] as number[], recent: [] as number[], long: [] as number[], falls: 0 };

  beforeAll(async () => {
    store = await createTestStore();
    const db = store.db;
    const mine = (await db.insertInto('organisation').values({ code: 'MINE', name: 'Mine' }).returning('id').executeTakeFirstOrThrow()).id;
    const theirs = (await db.insertInto('organisation').values({ code: 'THEIRS', name: 'Theirs' }).returning('id').executeTakeFirstOrThrow()).id;
    serviceId = (await db.insertInto('service').values({ organisation_id: mine, code: 'ot', name: 'Mine OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow()).id;
    ot = await createStaffUser(store, { organisationId: mine, role: 'therapist' });
    lead = await createStaffUser(store, { organisationId: mine, role: 'team_lead' });
    analyst = await createStaffUser(store, { organisationId: mine, role: 'analyst' });
    outsider = await createStaffUser(store, { organisationId: theirs, role: 'team_lead' });
    let n = 0;
    const add = async (options: { received: number; seen?: number; pathway?: 'mental_health' | 'frailty_falls'; priority?: 'P3' | 'P4'; interpreter?: boolean }) => {
      n++;
      const person = await db
        .insertInto('person')
        .values({ organisation_id: mine, source_person_id: `p${n}`, given_name: `Given${n}`, family_name: n === 1 ? '=cmd|calc' : `Family${n}`, postcode_status: 'not_given', interpreter_needed: options.interpreter ?? false })
        .returning('id')
        .executeTakeFirstOrThrow();
      const referral = await db
        .insertInto('referral')
        .values({ service_id: serviceId, person_id: person.id, source_record_id: `r${n}`, received_on: daysBefore(options.received), source: 'gp', status: options.seen === undefined ? 'waiting' : 'in_treatment' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const seen = options.seen === undefined ? null : daysBefore(options.seen);
      const episode = await db
        .insertInto('episode')
        .values({ referral_id: referral.id, service_id: serviceId, pathway_code: options.pathway ?? 'mental_health', priority: options.priority ?? 'P3', clock_started_on: daysBefore(options.received), first_contact_on: seen, clock_stopped_on: seen })
        .returning('id')
        .executeTakeFirstOrThrow();
      return episode.id;
    };
    for (let i = 0; i < 39; i++) episodes.seen.push(await add({ received: 100, seen: 50 }));
    for (let i = 0; i < 39; i++) episodes.recent.push(await add({ received: 42, interpreter: i < 5 }));
    for (let i = 0; i < 39; i++) episodes.long.push(await add({ received: 126 }));
    episodes.falls = await add({ received: 200, pathway: 'frailty_falls', priority: 'P4' });
    app = await buildApp({ store, config: testConfig(), clock: () => today });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const get = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const post = (url: string, fields: Record<string, string>, who: { cookie: string; csrfToken: string }) =>
    app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': form }, payload: new URLSearchParams({ _csrf: who.csrfToken, ...fields }).toString() });
  const order = (html: string) => [...html.matchAll(/<tr role="row" class="nhsuk-table__row" data-episode="(\d+)"/g)].map((m) => Number(m[1]));
  const scoreOf = (html: string, episode: number) => Number(new RegExp(`data-episode="${episode}"[\\s\\S]*?data-score="([0-9.]+)"`).exec(html)![1]);
  const field = (html: string, row: string, name: string) => new RegExp(`data-row="${row}"[\\s\\S]*?data-field="${name}"><span[^>]*>[^<]*</span>([^<]*)<`).exec(html)![1];

  it('lists who waits, sorted, filtered and paged, with the score\'s parts; the header links to it; reads audited', async () => {
    const session = await signIn(app, ot.email, ot.password);
    const home = await get('/waiting-lists', session.cookie);
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('href="/waiting-lists"');
    expect(home.body).toContain('href="/services/MINE~ot/waiting-list"');
    const first = await get('/services/MINE~ot/waiting-list?sort=wait', session.cookie);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('79 people. Page 1 of 2.');
    const rows = order(first.body);
    expect(rows).toHaveLength(50);
    // Longest wait first: the 200-day falls referral, then the 126-day ones in episode order.
    expect(rows.slice(0, 3)).toEqual([episodes.falls, episodes.long[0], episodes.long[1]]);
    expect(first.body).toContain(`href="/episodes/${episodes.falls}/allocate"`);
    expect(first.body).toContain(`href="/episodes/${episodes.falls}"`);
    // A therapist does not allocate: no Allocation tab (a team lead's is checked below).
    expect(first.body).not.toContain('href="/services/MINE~ot/allocation"');
    // Parts beside the person: P3 clinical 1, time waited 126 of 42 days = 3.
    expect(first.body).toMatch(/Clinical priority P3: 1<\/li><li>Time waited: 126 of 42 target days: 3<\/li>/);
    const second = await get('/services/MINE~ot/waiting-list?sort=wait&page=2', session.cookie);
    expect(order(second.body)).toHaveLength(29);
    expect(order(second.body).at(-1)).toBe(episodes.recent.at(-1));
    // By score: P3 at 126 days (4) above P4 at 200 days (0 + 200/126 = 1.587).
    const byScore = order((await get('/services/MINE~ot/waiting-list', session.cookie)).body);
    expect(byScore[0]).toBe(episodes.long[0]);
    const falls = await get('/services/MINE~ot/waiting-list?pathway=frailty_falls', session.cookie);
    expect(order(falls.body)).toEqual([episodes.falls]);
    const p4 = await get('/services/MINE~ot/waiting-list?priority=P4&breach=breached', session.cookie);
    expect(order(p4.body)).toEqual([episodes.falls]);
    const interpreter = await get('/services/MINE~ot/waiting-list?flag=interpreter', session.cookie);
    expect(order(interpreter.body).sort((a, b) => a - b)).toEqual(episodes.recent.slice(0, 5));
    const within = await get('/services/MINE~ot/waiting-list?breach=within', session.cookie);
    expect(within.body).toContain('Nobody on the list matches.');
    const reads = await store.db.selectFrom('audit_event').select('detail').where('action', '=', 'read').where('subject_kind', '=', 'waiting_list').execute();
    expect(reads.length).toBeGreaterThanOrEqual(7);
  });

  it('exports the filtered list as CSV for staff, formulas neutralised, and audits the export', async () => {
    const session = await signIn(app, ot.email, ot.password);
    const csv = await get('/services/MINE~ot/waiting-list.csv?sort=wait', session.cookie);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/attachment; filename="waiting-list-MINE-ot-2026-06-01.csv"/);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines).toHaveLength(80);
    expect(csv.body).not.toMatch(/,=cmd/);
    expect((await store.db.selectFrom('audit_event').select('id').where('action', '=', 'export').where('subject_kind', '=', 'waiting_list').execute()).length).toBe(1);
  });

  it('other roles and organisations are refused the list', async () => {
    const a = await signIn(app, analyst.email, analyst.password);
    expect((await get('/services/MINE~ot/waiting-list', a.cookie)).statusCode).toBe(403);
    expect((await get('/services/MINE~ot/waiting-list.csv', a.cookie)).statusCode).toBe(403);
    expect((await get('/waiting-lists', a.cookie)).statusCode).toBe(403);
    const o = await signIn(app, outsider.email, outsider.password);
    expect((await get('/services/MINE~ot/waiting-list', o.cookie)).statusCode).toBe(404);
    expect((await get('/services/ot/validation', (await signIn(app, analyst.email, analyst.password)).cookie)).statusCode).toBe(403);
  });

  it('a team lead changes the weights with a reason: recorded, audited, scores change, and waits by group before and after', async () => {
    const therapist = await signIn(app, ot.email, ot.password);
    const page = await get('/services/MINE~ot/equity-weights', therapist.cookie);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('data-testid="only-lead"');
    expect(page.body).toContain('data-testid="impact-none"');
    const refused = await post('/services/MINE~ot/equity-weights', { mostDeprivedQuintile: '0', inclusionHealthGroup: '0', interpreterNeeded: '2', disability: '0', reason: 'no' }, { cookie: therapist.cookie, csrfToken: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]! });
    expect(refused.statusCode).toBe(403);
    expect((await store.db.selectFrom('audit_event').select('id').where('action', '=', 'denied').where('subject_kind', '=', 'equity_weights').execute()).length).toBe(1);

    const session = await signIn(app, lead.email, lead.password);
    const before = await get('/services/MINE~ot/waiting-list?flag=interpreter', session.cookie);
    // The team lead allocates: the list's pages link to the allocation worklist.
    expect(before.body).toContain('href="/services/MINE~ot/allocation"');
    const interpreted = episodes.recent[0]!;
    expect(scoreOf(before.body, interpreted)).toBe(2);
    const bad = await post('/services/MINE~ot/equity-weights', { mostDeprivedQuintile: '11', inclusionHealthGroup: '0', interpreterNeeded: '2', disability: '0', reason: ' ' }, session);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#mostDeprivedQuintile"');
    expect(bad.body).toContain('href="#reason"');
    expect(bad.body).toContain('Enter the reason for the change');
    const saved = await post('/services/MINE~ot/equity-weights', { mostDeprivedQuintile: '0', inclusionHealthGroup: '0', interpreterNeeded: '3', disability: '0', reason: 'Interpreter needs wait longest (audit 2026)' }, session);
    expect(saved.statusCode).toBe(303);
    const after = await get('/services/MINE~ot/waiting-list?flag=interpreter', session.cookie);
    expect(scoreOf(after.body, interpreted)).toBe(5);
    expect(after.body).toContain('Needs an interpreter: 3');
    const weights = await get('/services/MINE~ot/equity-weights', session.cookie);
    expect(weights.body).toContain('Interpreter needs wait longest (audit 2026)');
    expect(weights.body).toContain(`staff:${lead.id}`);
    // Before: the 39 126-day waits score 4 (places 1 to 39), the 39 42-day ones 2 (places 40 to
    // 78, the 5 interpreter people first by episode order: 40 to 44, mean 42), the P4 falls 1.587.
    // After: the interpreter people score 2 + 3 = 5, places 1 to 5, mean 3.
    const place = (group: string, which: 'before' | 'after') => Number(new RegExp(`data-group="${group}"[\\s\\S]*?data-place-${which}="([0-9.]+)"`).exec(weights.body)![1]);
    expect(place('interpreter:yes', 'before')).toBe(42);
    expect(place('interpreter:yes', 'after')).toBe(3);
    expect(weights.body).toMatch(/data-group="interpreter:yes"[\s\S]*?>5</);
    const audited = await store.db.selectFrom('audit_event').select('detail').where('action', '=', 'update').where('subject_kind', '=', 'equity_weights').execute();
    expect(audited).toHaveLength(1);
  });

  it('validation: the worklist shows who is due; answers are audited rows; "no longer needed" stops the clock', async () => {
    const session = await signIn(app, ot.email, ot.password);
    const worklist = await get('/services/MINE~ot/validation', session.cookie);
    expect(worklist.statusCode).toBe(200);
    expect(worklist.body).toContain('40 people due. Page 1 of 1.');
    expect(order(worklist.body)[0]).toBe(episodes.falls);
    expect(worklist.body).toContain(`data-episode="${episodes.falls}" data-milestone="26 weeks"`);
    expect((await get('/services/MINE~ot/validation?milestone=26', session.cookie)).body).toContain('1 people due.');

    const [removed, kept, unreachable] = episodes.long as [number, number, number];
    const formPage = await get(`/services/MINE~ot/validation/${removed}`, session.cookie);
    expect(formPage.statusCode).toBe(200);
    expect(formPage.body).toContain('name="milestone" value="12"');
    const missing = await post(`/services/MINE~ot/validation/${removed}`, { milestone: '12', outcome: '' }, session);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('href="#outcome"');
    const tooEarly = await post(`/services/MINE~ot/validation/${removed}`, { milestone: '26', outcome: 'still_needed' }, session);
    expect(tooEarly.statusCode).toBe(400);

    expect((await post(`/services/MINE~ot/validation/${removed}`, { milestone: '12', outcome: 'no_longer_needed', note: 'Managing well now' }, session)).statusCode).toBe(303);
    expect((await post(`/services/MINE~ot/validation/${kept}`, { milestone: '12', outcome: 'still_needed' }, session)).statusCode).toBe(303);
    expect((await post(`/services/MINE~ot/validation/${unreachable}`, { milestone: '12', outcome: 'could_not_contact' }, session)).statusCode).toBe(303);

    const episode = await store.db.selectFrom('episode').select(['clock_stopped_on', 'last_validated_on']).where('id', '=', removed).executeTakeFirstOrThrow();
    expect(String(episode.clock_stopped_on).slice(0, 10)).toBe(today);
    expect(String(episode.last_validated_on).slice(0, 10)).toBe(today);
    const events = await store.db.selectFrom('waiting_clock_event').select(['kind', 'reason']).where('episode_id', '=', removed).orderBy('id').execute();
    expect(events).toEqual([{ kind: 'start', reason: 'referral_received' }, { kind: 'stop', reason: 'validation_removed' }]);
    const referral = await store.db.selectFrom('referral').innerJoin('episode', 'episode.referral_id', 'referral.id').select('referral.status').where('episode.id', '=', removed).executeTakeFirstOrThrow();
    expect(referral.status).toBe('discharged');
    const keptEpisode = await store.db.selectFrom('episode').select('clock_stopped_on').where('id', '=', kept).executeTakeFirstOrThrow();
    expect(keptEpisode.clock_stopped_on).toBeNull();

    const rows = await store.db.selectFrom('waiting_list_validation').select(['episode_id', 'outcome', 'milestone_weeks']).orderBy('id').execute();
    expect(rows.map((row) => [row.episode_id, row.outcome, Number(row.milestone_weeks)])).toEqual([[removed, 'no_longer_needed', 12], [kept, 'still_needed', 12], [unreachable, 'could_not_contact', 12]]);
    const audited = await store.db.selectFrom('audit_event').select('detail').where('action', '=', 'create').where('subject_kind', '=', 'waiting_list_validation').execute();
    expect(audited).toHaveLength(3);
    await expect(store.db.updateTable('waiting_list_validation').set({ note: 'x' }).execute()).rejects.toThrow(/append-only/);

    const now = await get('/services/MINE~ot/validation', session.cookie);
    expect(now.body).toContain('38 people due.');
    expect(order(now.body)).not.toContain(removed);
    expect(order(now.body)).not.toContain(kept);
    expect(now.body).toMatch(new RegExp(`data-episode="${unreachable}"[\\s\\S]*?Attempts to contact </span>1<`));
    // Off the list: 78 people wait now, and a second answer for the removed person is refused.
    expect((await get('/services/MINE~ot/waiting-list', session.cookie)).body).toContain('78 people.');
    expect((await post(`/services/MINE~ot/validation/${removed}`, { milestone: '12', outcome: 'still_needed' }, session)).statusCode).toBe(409);
  });

  it('queue pressure: the NHSRwaitinglist figures from the hand-worked list, a chart and its table', async () => {
    const session = await signIn(app, lead.email, lead.password);
    const page = await get('/services/MINE~ot/queue-pressure', session.cookie);
    expect(page.statusCode).toBe(200);
    // After the validation above removed one 126-day wait: 77 waiting in mental health P3,
    // mean (39 x 42 + 38 x 126) / 77 = 83.45 days = 11.92 weeks.
    const row = 'mental_health:P3';
    expect(field(page.body, row, 'waiting')).toBe('77');
    expect(field(page.body, row, 'demand')).toBe('4.5');
    expect(field(page.body, row, 'capacity')).toBe('1.5');
    expect(field(page.body, row, 'target-wait')).toBe('6');
    expect(field(page.body, row, 'mean-wait')).toBe('11.9');
    expect(field(page.body, row, 'target-queue')).toBe('6.8');
    expect(field(page.body, row, 'pressure')).toBe('3.97');
    expect(field(page.body, row, 'relief')).toBe(String(Math.round((4.5 + (77 - 6.75) / 26) * 100) / 100));
    expect(field(page.body, row, 'forecast-end')).toBe('155');
    expect(page.body).toMatch(/<svg[^>]*role="img"/);
    expect(page.body).toContain('data-testid="forecast-table"');
    expect(page.body).toContain('NHSRwaitinglist');
    expect(page.body).toContain('Fong et al.');
  });
});
