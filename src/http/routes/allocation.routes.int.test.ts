import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../test/support/config.ts';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { signIn } from '../../../test/support/sign-in.ts';
import { addDemoAllocation } from '../../demo/allocation-demo.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode } from '../../demo/demo-organisation.ts';
import { buildApp } from '../app.ts';

const form = 'application/x-www-form-urlencoded';
const today = '2026-11-21';
const servicePath = `/services/${demoOrganisationCode}~${demoServiceCode}`;

describe(`allocation pages on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let lead: { cookie: string; csrfToken: string };
  let therapist: { cookie: string; csrfToken: string };
  let eirlys = 0;
  const staff: Record<string, number> = {};

  beforeAll(async () => {
    store = await createTestStore();
    const demo = (await createDemoOrganisation(store.db, null))!;
    const service = await store.db.selectFrom('service').innerJoin('organisation', 'organisation.id', 'service.organisation_id').select(['service.id', 'service.organisation_id as organisationId']).where('organisation.code', '=', demoOrganisationCode).where('service.code', '=', demoServiceCode).executeTakeFirstOrThrow();
    await addDemoAllocation(store.db, service, today);
    for (const u of await store.db.selectFrom('staff_user').select(['id', 'display_name']).execute()) staff[u.display_name.split(' ')[0]!] = u.id;
    eirlys = (await store.db.selectFrom('episode').innerJoin('referral', 'referral.id', 'episode.referral_id').select('episode.id').where('referral.source_record_id', '=', 'DEMO-ALLOC-1').executeTakeFirstOrThrow()).id;
    app = await buildApp({ store, config: testConfig({ LOG_LEVEL: process.env.ALLOC_DEBUG ? 'error' : 'silent' }), clock: () => today });
    lead = await signIn(app, 'lead@demo.roots.invalid', demo.password);
    therapist = await signIn(app, 'ot1@demo.roots.invalid', demo.password);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const get = (url: string, who: { cookie: string }) => app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  const post = (url: string, fields: Record<string, string | string[]>, who: { cookie: string; csrfToken: string }) => {
    const body = new URLSearchParams({ _csrf: who.csrfToken });
    for (const [key, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(key, v);
    return app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': form }, payload: body.toString() });
  };

  it('shows the team lead the worklist, most urgent first, in English and Welsh', async () => {
    const page = await get(`${servicePath}/allocation`, lead);
    expect(page.statusCode, page.body.slice(0, 3000)).toBe(200);
    const names = [...page.body.matchAll(/data-episode="\d+">\s*<td[^>]*><span[^>]*>[^<]*<\/span>([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(names).toEqual(['Owain Demo', 'Eirlys Demo', 'Nia Demo', 'Ffion Demo', 'Tomos Demo']);
    expect(page.body).toContain(`href="/episodes/${eirlys}/allocate"`);
    const welsh = await get(`${servicePath}/allocation?lang=cy`, lead);
    expect(welsh.body).toContain('Pobl sy’n aros i gael eu dyrannu');
    expect((await get(`${servicePath}/allocation`, therapist)).statusCode).toBe(403);
  });

  it('shows the shortlist with the reasons, amber with the named supervisor, and a version on every confirm form', async () => {
    const page = await get(`/episodes/${eirlys}/allocate`, lead);
    expect(page.statusCode).toBe(200);
    const order = [...page.body.matchAll(/data-therapist="(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toEqual([staff.Rhys, staff.Alex, staff.Sam, staff.Grace]);
    expect(page.body).toContain('Falls risk assessment and prevention: Amber (with named supervision), <span data-testid="supervisor">supervised by Alex Morgan (team lead)</span>');
    expect(page.body).toContain('22.5 of 22.5 hours a week');
    expect(page.body).toMatch(/Priya Shah<\/strong>: Provision of standard equipment: no competency/);
    const versions = [...page.body.matchAll(/name="version" value="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(versions)).toEqual(new Set(['1']));
    const welsh = await get(`/episodes/${eirlys}/allocate?lang=cy`, lead);
    expect(welsh.body).toContain('dan oruchwyliaeth Alex Morgan (team lead)');
    expect((await get(`/episodes/${eirlys}/allocate`, therapist)).statusCode).toBe(403);
  });

  it('confirms the suggested therapist, then refuses the same form again (old version) with a clear message and writes nothing', async () => {
    const done = await post(`/episodes/${eirlys}/allocate`, { version: '1', therapist: String(staff.Rhys), note: 'Near the estate' }, lead);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe(`/episodes/${eirlys}/allocate?saved=allocation`);
    const after = await get(done.headers.location!, lead);
    expect(after.body).toContain('Allocated to Rhys Powell.');
    const stale = await post(`/episodes/${eirlys}/allocate`, { version: '1', therapist: String(staff.Sam) }, lead);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this person’s allocation');
    expect(stale.body).toContain('href="#shortlist"');
    const rows = await store.db.selectFrom('allocation').select(['staff_user_id', 'reason']).where('episode_id', '=', eirlys).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.staff_user_id).toBe(staff.Rhys);
    expect(rows[0]!.reason).toContain('team lead: Near the estate');
    // A therapist's post is refused and writes nothing either.
    const nia = (await store.db.selectFrom('episode').innerJoin('referral', 'referral.id', 'episode.referral_id').select('episode.id').where('referral.source_record_id', '=', 'DEMO-ALLOC-3').executeTakeFirstOrThrow()).id;
    expect((await post(`/episodes/${nia}/allocate`, { version: '1', therapist: String(staff.Priya) }, therapist)).statusCode).toBe(403);
    expect(await store.db.selectFrom('allocation').select('id').where('episode_id', '=', nia).execute()).toHaveLength(0);
  });

  it('sets required tasks from the catalogue checkboxes; a form without a version is stale', async () => {
    const tomos = (await store.db.selectFrom('episode').innerJoin('referral', 'referral.id', 'episode.referral_id').select(['episode.id', 'episode.version']).where('referral.source_record_id', '=', 'DEMO-ALLOC-2').executeTakeFirstOrThrow());
    const vocational = (await store.db.selectFrom('competency').select('id').where('code', '=', 'vocational-rehabilitation').executeTakeFirstOrThrow()).id;
    expect((await post(`/episodes/${tomos.id}/requirements`, { version: '', task: [String(vocational)] }, lead)).statusCode).toBe(409);
    const saved = await post(`/episodes/${tomos.id}/requirements`, { version: String(tomos.version), task: [String(vocational)] }, lead);
    expect(saved.statusCode).toBe(303);
    const page = await get(`/episodes/${tomos.id}/allocate`, lead);
    expect([...page.body.matchAll(/data-therapist="(\d+)"/g)].map((m) => Number(m[1])).sort()).toEqual([staff.Alex, staff.Priya].sort());
  });

  it('lets the team lead edit a therapist: amber without a supervisor is an error linked to the field', async () => {
    const matrix = await get(`${servicePath}/competencies`, lead);
    expect(matrix.statusCode).toBe(200);
    expect(matrix.body).toContain('data-testid="matrix"');
    const edit = await get(`${servicePath}/competencies/${staff.Grace}`, lead);
    expect(edit.statusCode).toBe(200);
    const bad = await post(`${servicePath}/competencies/${staff.Grace}`, { capacity: '25', areas: 'E08000003', 'level-falls-risk': 'amber', 'supervisor-falls-risk': '' }, lead);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#supervisor-falls-risk"');
    const good = await post(`${servicePath}/competencies/${staff.Grace}`, { capacity: '25', areas: 'E08000003 E08000001', 'level-falls-risk': 'amber', 'supervisor-falls-risk': String(staff.Rhys), 'level-functional-assessment': 'green' }, lead);
    expect(good.statusCode).toBe(303);
    const grace = await store.db.selectFrom('staff_user').select('capacity_hours_per_week').where('id', '=', staff.Grace!).executeTakeFirstOrThrow();
    expect(Number(grace.capacity_hours_per_week)).toBe(25);
    expect((await post(`${servicePath}/competencies/${staff.Grace}`, { capacity: '60', areas: '' }, therapist)).statusCode).toBe(403);
    const audited = await store.db.selectFrom('audit_event').select('action').where('subject_kind', '=', 'staff_competency').execute();
    // The page, each post's read of the record, the save's own check, and the one change.
    expect(audited.map((a) => a.action).sort()).toEqual(['read', 'read', 'read', 'read', 'update']);
    const denied = await store.db.selectFrom('audit_event').select('subject_kind').where('action', '=', 'denied').execute();
    expect(denied.map((d) => d.subject_kind)).toContain('competency_matrix');
  });
});
