import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { cookieHeader, cookiesSet, csrfTokenIn } from '../../../test/support/sign-in.ts';
import { auditAggregates } from '../../equity/audit/audit.engine.ts';
import { isValidReference, normaliseReference } from '../../referrals/reference-number.ts';
import { cy } from '../../web/content/cy.ts';
import { en } from '../../web/content/en.ts';
import { buildApp } from '../app.ts';
import { journeyAnswers } from '../../../test/support/self-referral.ts';

/** A browser without JavaScript: a cookie jar, GET pages and POST their forms with the page's CSRF token. */
export class FormClient {
  jar: Record<string, string> = {};
  lastBody = '';
  constructor(private readonly app: FastifyInstance, private readonly lang: 'en' | 'cy' = 'en') {}
  async get(url: string) {
    const response = await this.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(this.jar) } });
    this.jar = { ...this.jar, ...cookiesSet(response) };
    if (response.statusCode === 200) this.lastBody = response.body;
    return response;
  }
  /** Posts a form from the page last fetched (its CSRF token), with the fields given. */
  async post(url: string, fields: Record<string, string | string[]>) {
    const form = new URLSearchParams();
    form.append('_csrf', csrfTokenIn(this.lastBody));
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) form.append(name, one);
    const response = await this.app.inject({ method: 'POST', url, headers: { cookie: cookieHeader(this.jar), 'content-type': 'application/x-www-form-urlencoded' }, payload: form.toString() });
    this.jar = { ...this.jar, ...cookiesSet(response) };
    if (response.statusCode === 200 || response.statusCode === 400) this.lastBody = response.body;
    return response;
  }
  /** GET a step, POST it, and return where it redirected. */
  async answer(step: string, fields: Record<string, string | string[]>): Promise<string> {
    const page = await this.get(`/refer/${step}`);
    if (page.statusCode !== 200) throw new Error(`GET /refer/${step}: ${page.statusCode} ${page.headers.location ?? ''}`);
    const response = await this.post(`/refer/${step}`, fields);
    if (response.statusCode !== 303) throw new Error(`POST /refer/${step}: ${response.statusCode}\n${response.body.slice(0, 3000)}`);
    return String(response.headers.location);
  }
  async start(): Promise<void> {
    await this.get(`/refer?lang=${this.lang}`);
    const response = await this.post('/refer/start', {});
    if (response.statusCode !== 303) throw new Error(`start: ${response.statusCode}`);
  }
}

// Given a service that takes self-referrals, when a person completes /refer without JavaScript,
// then one referral with source "self" is written through writeReferrals, its postcode resolved
// to an area and deprivation, the full answers kept in self_referral, the write audited, and the
// referral counted in the equity audit's referral-source breakdown.
describe(`public self-referral (/refer) on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let serviceId: number;

  beforeAll(async () => {
    store = await createTestStore();
    const db = store.db;
    await db.insertInto('ref_area').values({ area_code: 'E01011111', area_kind: 'lsoa11', nation: 'E', icb_code: 'E54000005', local_authority_code: 'E08000035', area_name: 'Leeds 1', msoa_code: null, sub_icb_code: null, region_code: null, rural_urban_code: null }).execute();
    await db.insertInto('ref_deprivation').values({ index_name: 'IMD2019', nation: 'E', area_code: 'E01011111', score: 40, rank: 500, area_count: 32844, decile: 1, quintile: 1 }).execute();
    await db.insertInto('ref_postcode').values({ postcode: 'LS1 4AP', area_code: 'E01011111', local_authority_code: 'E08000035', region_code: null, country_code: 'E92000001', introduced: null, terminated: null }).execute();
    const organisation = await db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('service').values({ organisation_id: organisation.id, code: 'not-public', name: 'Staff referrals only', setting: 'primary_care' }).execute();
    serviceId = (await db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care', accepts_self_referral: true }).returning('id').executeTakeFirstOrThrow()).id;
    app = await buildApp({ store, config: testConfig({ ROOTS_REFERRAL_RATE_LIMIT_PER_MINUTE: '100000' }), clock: () => '2026-11-21' });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  async function complete(client: FormClient, options: { urgent?: boolean } = {}) {
    await client.start();
    for (const [step, fields] of journeyAnswers(options)) await client.answer(step, fields);
    const check = await client.get('/refer/check');
    expect(check.statusCode).toBe(200);
    return check;
  }

  it('links to /refer from the home page with an action link', async () => {
    const home = await app.inject('/');
    expect(home.body).toMatch(/<a\s[^>]*class="nhsuk-action-link"[^>]*href="\/refer"/);
  });

  it('completes the journey and writes one self-referral, resolved to area and deprivation, audited', async () => {
    const client = new FormClient(app);
    const check = await complete(client);
    expect(check.body).toContain('15 March 1984');
    expect(check.body).toContain('Polish');
    const submit = await client.post('/refer/check', { submission: /name="submission" value="([^"]+)"/.exec(check.body)![1]! });
    expect(submit.statusCode).toBe(303);
    expect(submit.headers.location).toBe('/refer/confirmation');
    const confirmation = await client.get('/refer/confirmation');
    const shown = /data-testid="reference">([^<]+)</.exec(confirmation.body)![1]!;
    expect(shown).toMatch(/^[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}-[2-9A-HJKMNP-Z]{3}$/);
    expect(isValidReference(shown)).toBe(true);

    const row = await store.db
      .selectFrom('self_referral')
      .innerJoin('referral', 'referral.id', 'self_referral.referral_id')
      .innerJoin('person', 'person.id', 'referral.person_id')
      .select(['self_referral.reference', 'self_referral.lives_alone', 'self_referral.urgent_risk', 'self_referral.same_day_review', 'self_referral.contact_methods', 'self_referral.may_leave_message', 'self_referral.adjustments', 'self_referral.interpreter_needed', 'self_referral.language_preferred', 'self_referral.referred_by', 'referral.source', 'referral.area_code', 'referral.service_id', 'person.postcode', 'person.postcode_status', 'person.date_of_birth', 'person.ethnicity', 'person.sex', 'person.inclusion_groups', 'person.interpreter_needed as personInterpreter', 'person.lives_alone as personLivesAlone'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      reference: normaliseReference(shown), lives_alone: true, urgent_risk: false, same_day_review: false, contact_methods: ['phone', 'email'], may_leave_message: false,
      adjustments: ['large_print'], interpreter_needed: true, language_preferred: 'Polish', referred_by: 'self', source: 'self', area_code: 'E01011111', service_id: serviceId,
      postcode: 'LS1 4AP', postcode_status: 'resolved', date_of_birth: '1984-03-15', ethnicity: 'Z', sex: '2', inclusion_groups: ['carer'], personInterpreter: true, personLivesAlone: true,
    });
    const audit = await store.db.selectFrom('audit_event').select(['actor', 'action', 'subject_kind']).where('subject_kind', '=', 'referral').execute();
    expect(audit).toEqual([{ actor: 'system:public-self-referral', action: 'create', subject_kind: 'referral' }]);
    const fact = await store.db.selectFrom('referral_fact').select(['imd_decile', 'referral_source']).executeTakeFirstOrThrow();
    expect(fact).toEqual({ imd_decile: '1', referral_source: 'self' });
  });

  it('counts the self-referral in the equity audit referral-source breakdown', async () => {
    const before = await auditAggregates(store.db, { serviceId, from: '2026-11-01', to: '2026-11-30' });
    const selfBefore = before.dimensions.find((d) => d.dimension === 'referral_source')!.groups.find((g) => g.group === 'self')!.counts.referrals;
    const client = new FormClient(app);
    const check = await complete(client);
    await client.post('/refer/check', { submission: /name="submission" value="([^"]+)"/.exec(check.body)![1]! });
    const after = await auditAggregates(store.db, { serviceId, from: '2026-11-01', to: '2026-11-30' });
    const source = after.dimensions.find((d) => d.dimension === 'referral_source')!;
    expect(source.groups.find((g) => g.group === 'self')!.counts.referrals).toBe(selfBefore + 1);
    expect(source.groups.filter((g) => g.group !== 'self').reduce((n, g) => n + g.counts.referrals, 0)).toBe(0);
  });

  it('makes one referral from a double submit, a refresh and the back button', async () => {
    const client = new FormClient(app);
    const check = await complete(client);
    const submission = /name="submission" value="([^"]+)"/.exec(check.body)![1]!;
    const before = (await store.db.selectFrom('referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const [first, second] = await Promise.all([client.post('/refer/check', { submission }), client.post('/refer/check', { submission })]);
    expect([first.statusCode, second.statusCode]).toEqual([303, 303]);
    expect((await client.post('/refer/check', { submission })).headers.location).toBe('/refer/confirmation');
    expect((await client.get('/refer/check')).headers.location).toBe('/refer/confirmation');
    expect((await client.get('/refer/postcode')).headers.location).toBe('/refer/confirmation');
    const after = (await store.db.selectFrom('referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    expect(Number(after) - Number(before)).toBe(1);
  });

  it('flags an urgent answer for same-day review and shows urgent help at once, without blocking', async () => {
    const client = new FormClient(app);
    await client.start();
    expect(await client.answer('urgent', { urgent: 'yes' })).toBe('/refer/urgent-help');
    const help = await client.get('/refer/urgent-help');
    expect(help.body).toContain('data-testid="urgent-help"');
    expect(help.body).toContain('NHS 111');
    expect(help.body).toContain('999');
    expect(help.body).toContain('116 123');
    for (const [step, fields] of journeyAnswers({ urgent: true }).slice(1)) await client.answer(step, fields);
    const check = await client.get('/refer/check');
    await client.post('/refer/check', { submission: /name="submission" value="([^"]+)"/.exec(check.body)![1]! });
    const confirmation = await client.get('/refer/confirmation');
    expect(confirmation.body).toContain('data-testid="same-day"');
    const reference = normaliseReference(/data-testid="reference">([^<]+)</.exec(confirmation.body)![1]!);
    const row = await store.db.selectFrom('self_referral').innerJoin('referral', 'referral.id', 'self_referral.referral_id').select(['same_day_review', 'self_referral.urgent_risk', 'referral.urgent_risk as referralUrgent']).where('reference', '=', reference).executeTakeFirstOrThrow();
    expect(row).toEqual({ same_day_review: true, urgent_risk: true, referralUrgent: true });
  });

  it('shows every error in the error summary, linked to its field, and saves nothing', async () => {
    const client = new FormClient(app);
    await client.start();
    await client.answer('urgent', { urgent: 'no' });
    await client.answer('who', { referredBy: 'other' });
    await client.get('/refer/referrer');
    const empty = await client.post('/refer/referrer', { referrerName: '', referrerRelationship: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toMatch(/<title>Error: About you/);
    expect(empty.body).toContain('href="#referrerName"');
    expect(empty.body).toContain('href="#referrerRelationship"');
    expect(empty.body).toContain(en.refer.steps.referrer.fields.referrerName.errors.required);
    await client.answer('referrer', { referrerName: 'Sam Jones', referrerRelationship: 'Son' });
    await client.answer('name', { givenName: 'Ann', familyName: 'Jones' });
    await client.get('/refer/date-of-birth');
    for (const [fields, message] of [
      [{ 'dateOfBirth[day]': '', 'dateOfBirth[month]': '', 'dateOfBirth[year]': '' }, en.refer.steps['date-of-birth'].fields.dateOfBirth.errors.required],
      [{ 'dateOfBirth[day]': '31', 'dateOfBirth[month]': '2', 'dateOfBirth[year]': '1950' }, en.refer.steps['date-of-birth'].fields.dateOfBirth.errors.invalid],
      [{ 'dateOfBirth[day]': '1', 'dateOfBirth[month]': '1', 'dateOfBirth[year]': '2030' }, en.refer.steps['date-of-birth'].fields.dateOfBirth.errors.future],
    ] as const) {
      const response = await client.post('/refer/date-of-birth', fields);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('href="#dateOfBirth-day"');
      expect(response.body).toContain(message);
    }
    const answers = await store.db.selectFrom('self_referral_draft').select('answers').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(Object.keys(answers.answers as object).sort()).toEqual(['name', 'referrer', 'urgent', 'who']);
    await client.answer('date-of-birth', { 'dateOfBirth[day]': '2', 'dateOfBirth[month]': '3', 'dateOfBirth[year]': '1950' });
    await client.answer('activities', { hardActivities: 'shopping' });
    await client.answer('what-matters', { whatMatters: 'Shopping on my own' });
    await client.get('/refer/postcode');
    const bad = await client.post('/refer/postcode', { postcode: 'not a postcode' });
    expect(bad.body).toContain(en.refer.steps.postcode.fields.postcode.errors.invalid);
    const both = await client.post('/refer/postcode', { postcode: 'LS1 4AP', noFixedAddress: 'yes' });
    expect(both.body).toContain(en.refer.steps.postcode.fields.postcode.errors.both);
  });

  it('refuses a skipped step and a tampered submission token', async () => {
    const client = new FormClient(app);
    await client.start();
    await client.answer('urgent', { urgent: 'no' });
    // Skipping ahead to the postcode: refused, sent back to the first unanswered step, nothing saved.
    await client.get('/refer/who');
    const skipped = await client.post('/refer/postcode', { postcode: 'LS1 4AP' });
    expect(skipped.statusCode).toBe(303);
    expect(skipped.headers.location).toBe('/refer/who');
    expect((await client.get('/refer/postcode')).headers.location).toBe('/refer/who');
    // A step of another branch (the referrer's details when referring yourself) is refused too.
    await client.answer('who', { referredBy: 'self' });
    expect((await client.get('/refer/referrer')).headers.location).toBe('/refer/name');
    // Check your answers before the end goes to the first unanswered step.
    expect((await client.get('/refer/check')).headers.location).toBe('/refer/name');
    const draft = await store.db.selectFrom('self_referral_draft').select('answers').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(Object.keys(draft.answers as object).sort()).toEqual(['urgent', 'who']);

    const other = new FormClient(app);
    const check = await complete(other);
    const before = await store.db.selectFrom('self_referral').select('id').execute();
    const tampered = await other.post('/refer/check', { submission: 'x'.repeat(32) });
    expect(tampered.statusCode).toBe(400);
    expect(await store.db.selectFrom('self_referral').select('id').execute()).toHaveLength(before.length);
    expect(check.statusCode).toBe(200);
  });

  it('returns to check your answers after a change, asking a newly needed question first', async () => {
    const client = new FormClient(app);
    await complete(client);
    const page = await client.get('/refer/contact-methods?change=1');
    expect(page.body).toContain('href="/refer/check"');
    const changed = await client.post('/refer/contact-methods?change=1', { contactMethods: ['letter'] });
    expect(changed.headers.location).toBe('/refer/contact-details?change=1');
    const details = await client.get('/refer/contact-details?change=1');
    expect(details.body).toContain('name="address"');
    expect(details.body).not.toContain('name="phone"');
    const done = await client.post('/refer/contact-details?change=1', { address: '1 High Street\nLeeds' });
    expect(done.headers.location).toBe('/refer/check');
    const check = await client.get('/refer/check');
    expect(check.body).toContain('1 High Street');
    expect(check.body).not.toContain('ffion@example.org');
    const simple = await client.post('/refer/sex?change=1', { sex: 'male' });
    expect(simple.headers.location).toBe('/refer/check');
  });

  it('speaks Welsh at /refer?lang=cy, errors included', async () => {
    const client = new FormClient(app, 'cy');
    await client.start();
    const page = await client.get('/refer/urgent');
    expect(page.body).toContain('<html lang="cy"');
    expect(page.body).toContain(cy.refer.steps.urgent.title.replaceAll("'", '&#39;'));
    const error = await client.post('/refer/urgent', {});
    expect(error.statusCode).toBe(400);
    expect(error.body).toContain(cy.refer.errorSummaryTitle);
    expect(error.body).toContain(cy.refer.steps.urgent.fields.urgent.errors.required.replaceAll("'", '&#39;'));
    await client.answer('urgent', { urgent: 'yes' });
    const help = await client.get('/refer/urgent-help');
    for (const text of ['GIG 111 Cymru', '0808 164 0123', '0800 132 737', '999']) expect(help.body).toContain(text);
  });

  it('keeps answers and personal details out of URLs: every redirect is a step name', async () => {
    const client = new FormClient(app);
    await client.start();
    const locations: string[] = [];
    for (const [step, fields] of journeyAnswers()) locations.push(await client.answer(step, fields));
    for (const location of locations) expect(location).toMatch(/^\/refer\/[a-z-]+$/);
  });
});

describe(`self-referral rate limit on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    store = await createTestStore();
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care', accepts_self_referral: true }).execute();
    app = await buildApp({ store, config: testConfig({ ROOTS_REFERRAL_RATE_LIMIT_PER_MINUTE: '5' }) });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('limits one client address, not another', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await app.inject({ url: '/refer', remoteAddress: '198.51.100.7' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await app.inject({ url: '/refer', remoteAddress: '198.51.100.8' })).statusCode).toBe(200);
  });

  it('uses a generous default of 120 a minute', async () => {
    const { loadConfig } = await import('../../config/config.ts');
    expect(loadConfig({ ROOTS_DATA_DIR: 'unused' }).rateLimit.referralPerMinute).toBe(120);
  });
});
