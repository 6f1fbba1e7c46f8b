import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../../../test/support/config.ts';
import { createTestStore, testEngine, type TestStore } from '../../../../test/support/database.ts';
import { createApiToken } from '../../../access/api-token.repository.ts';
import { buildApp } from '../../app.ts';

const fixture = JSON.parse(readFileSync(new URL('../../../../test/fixtures/imports/fhir-service-request.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const url = '/api/v1/services/T1~ot/fhir/ServiceRequest';
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The fixture with changes (a deep copy: tests never share one object). */
function serviceRequest(change: (body: Json) => void = () => {}): Json {
  const body = structuredClone(fixture) as Json;
  change(body);
  return body;
}

// Given a service and staff with API tokens, when a professional referral arrives as a FHIR R4
// ServiceRequest (UK Core, contained Patient), then it is written through the one write path with
// its referrer, idempotently for its sender, refused with 409 for another sender, answered with
// problem+json when bad, and its status can be read back by the sender.
describe(`FHIR ServiceRequest API on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  const bearer: Record<'sender' | 'colleague' | 'analyst' | 'outsider', string> = {} as never;
  let senderTokenId: number;

  beforeAll(async () => {
    store = await createTestStore();
    await store.db.insertInto('ref_postcode').values({ postcode: 'DT1 1AA', area_code: 'E01032643' }).execute();
    const t1 = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Trust One' }).returning('id').executeTakeFirstOrThrow();
    const t2 = await store.db.insertInto('organisation').values({ code: 'T2', name: 'Trust Two' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: t1.id, code: 'ot', name: 'OT', setting: 'primary_care' }).execute();
    await store.db.insertInto('staff_user').values([
      { organisation_id: t1.id, email: 'gp-link@t1.example', display_name: 'GP link', role: 'team_lead' },
      { organisation_id: t1.id, email: 'ot@t1.example', display_name: 'OT', role: 'therapist' },
      { organisation_id: t1.id, email: 'analyst@t1.example', display_name: 'Analyst', role: 'analyst' },
      { organisation_id: t2.id, email: 'lead@t2.example', display_name: 'Lead', role: 'team_lead' },
    ]).execute();
    for (const [who, email] of [['sender', 'gp-link@t1.example'], ['colleague', 'ot@t1.example'], ['analyst', 'analyst@t1.example'], ['outsider', 'lead@t2.example']] as const) {
      bearer[who] = (await createApiToken(store.db, { email, label: who, days: 1 })).token;
    }
    senderTokenId = (await store.db.selectFrom('api_token').innerJoin('staff_user', 'staff_user.id', 'api_token.staff_user_id').select('api_token.id').where('email', '=', 'gp-link@t1.example').executeTakeFirstOrThrow()).id;
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const post = (who: keyof typeof bearer, body: unknown, contentType = 'application/fhir+json') =>
    app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${bearer[who]}`, 'content-type': contentType }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
  const get = (who: keyof typeof bearer, path: string) => app.inject({ url: path, headers: { authorization: `Bearer ${bearer[who]}` } });
  const referrals = async () => Number((await store.db.selectFrom('referral').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  let location = '';

  it('creates the referral through the one write path, with its referrer, and audits it', async () => {
    const response = await post('sender', serviceRequest());
    expect(response.statusCode, response.body).toBe(201);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    location = String(response.headers.location);
    expect(location).toMatch(/^\/api\/v1\/services\/T1~ot\/fhir\/ServiceRequest\/\d+$/);
    const body = response.json();
    expect(body).toMatchObject({
      resourceType: 'ServiceRequest',
      id: location.split('/').at(-1),
      status: 'active',
      identifier: [{ system: 'https://riverside-surgery.example.nhs.uk/referrals', value: 'RS-2026-00042' }],
      subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' } },
      authoredOn: '2026-11-20',
      requester: { display: 'Dr Amrit Patel' },
      extension: [{ valueCoding: { code: 'received' } }],
    });
    const id = Number(body.id);
    const row = await store.db
      .selectFrom('referral')
      .innerJoin('person', 'person.id', 'referral.person_id')
      .innerJoin('referral_referrer', 'referral_referrer.referral_id', 'referral.id')
      .select(['referral.source', 'referral.received_on', 'referral.status', 'referral.source_record_id', 'person.nhs_number', 'person.date_of_birth', 'person.sex', 'person.ethnicity', 'person.postcode', 'person.area_code', 'referral_referrer.channel', 'referral_referrer.api_token_id', 'referral_referrer.organisation_code', 'referral_referrer.organisation_name', 'referral_referrer.referrer_name', 'referral_referrer.referrer_contact', 'referral_referrer.reason_code', 'referral_referrer.reason_text'])
      .where('referral.id', '=', id)
      .executeTakeFirstOrThrow();
    expect({ ...row, received_on: String(row.received_on).slice(0, 10), date_of_birth: String(row.date_of_birth).slice(0, 10) }).toEqual({
      source: 'gp',
      received_on: '2026-11-20',
      status: 'received',
      source_record_id: 'https://riverside-surgery.example.nhs.uk/referrals|RS-2026-00042',
      nhs_number: '9434765919',
      date_of_birth: '1948-03-14',
      sex: '2',
      ethnicity: 'A',
      postcode: 'DT1 1AA',
      area_code: 'E01032643',
      channel: 'fhir_api',
      api_token_id: senderTokenId,
      organisation_code: 'A81001',
      organisation_name: 'Riverside Surgery',
      referrer_name: 'Dr Amrit Patel',
      referrer_contact: '01234 567890',
      reason_code: '129588001',
      reason_text: 'Struggling to wash and dress since a fall; lives alone.',
    });
    const audit = await store.db.selectFrom('audit_event').select(['action', 'detail']).where('subject_kind', '=', 'referral').where('subject_id', '=', String(id)).execute();
    expect(audit.map((e) => [e.action, (typeof e.detail === 'string' ? JSON.parse(e.detail) : e.detail).via])).toEqual([['create', 'fhir_api']]);
  });

  it('answers a repeat from the same sender with the same referral, and refuses the identifier to anyone else (409)', async () => {
    const before = await referrals();
    const again = await post('sender', serviceRequest((body) => (body.reasonCode[0].text = 'Sent again')));
    expect(again.statusCode).toBe(200);
    expect(again.headers.location).toBe(location);
    const other = await post('colleague', serviceRequest());
    expect(other.statusCode).toBe(409);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(other.json()).toMatchObject({ code: 'ALREADY_EXISTS', problems: [{ field: 'identifier' }] });
    expect(await referrals()).toBe(before);
    // A new identifier from the colleague is a new referral.
    const fresh = await post('colleague', serviceRequest((body) => (body.identifier[0].value = 'RS-2026-00043')));
    expect(fresh.statusCode).toBe(201);
    expect(await referrals()).toBe(before + 1);
  });

  it('answers bad payloads with problem+json naming the field, and saves nothing', async () => {
    const before = await referrals();
    const cases: [string, unknown, number, RegExp][] = [
      // Each with an identifier of its own, so that none could be answered as a repeat.
      ['not JSON', '{"resourceType": "ServiceRequest",', 400, /./],
      ['another resource', serviceRequest((body) => (body.resourceType = 'Patient')), 400, /^resourceType$/],
      ['no identifier', serviceRequest((body) => (body.identifier = [])), 400, /^identifier$/],
      ['a draft', serviceRequest((body) => (body.status = 'draft')), 400, /^status$/],
      ['no contained Patient', serviceRequest((body) => (body.contained = body.contained.slice(1))), 400, /^subject\.reference$/],
      ['no referrer', serviceRequest((body) => (body.requester = {})), 400, /^requester$/],
      ['an impossible NHS number', serviceRequest((body) => (body.contained[0].identifier[0].value = '9434765918')), 400, /identifier\[0\]\.value$/],
      ['a birth date after the referral', serviceRequest((body) => (body.contained[0].birthDate = '2099-01-01')), 400, /birthDate$/],
      ['an unknown gender', serviceRequest((body) => (body.contained[0].gender = 'robot')), 400, /gender$/],
    ];
    for (const [index, [name, body, status, field]] of cases.entries()) {
      if (typeof body === 'object' && body !== null && (body as Json).identifier?.[0]) (body as Json).identifier[0].value = `BAD-${index}`;
      const response = await post('sender', body);
      expect(response.statusCode, `${name}: ${response.body}`).toBe(status);
      expect(response.headers['content-type'], name).toMatch(/^application\/problem\+json/);
      if (name !== 'not JSON') expect(response.json().problems.map((p: { field: string }) => p.field), name).toContainEqual(expect.stringMatching(field));
      // Values are never echoed: they may be personal data.
      expect(response.body, name).not.toContain('9434765918');
    }
    const wrongType = await post('sender', serviceRequest(), 'text/plain');
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.headers['content-type']).toMatch(/^application\/problem\+json/);
    const anonymous = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/fhir+json' }, payload: JSON.stringify(serviceRequest()) });
    expect(anonymous.statusCode).toBe(401);
    expect(await referrals()).toBe(before);
  });

  it('lets the sender read the status back, by id and by identifier, as the referral moves on', async () => {
    const read = await get('sender', location);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toMatchObject({ status: 'active', extension: [{ valueCoding: { code: 'received', display: 'Received, awaiting triage' } }] });
    // Staff return it to the referrer in Roots (triage owns that change; here the state alone).
    await store.db.updateTable('referral').set({ status: 'returned' }).where('id', '=', Number(location.split('/').at(-1))).execute();
    const returned = await get('sender', location);
    expect(returned.json()).toMatchObject({ status: 'revoked', extension: [{ valueCoding: { code: 'returned' } }] });
    const search = await get('sender', `${url}?identifier=${encodeURIComponent('https://riverside-surgery.example.nhs.uk/referrals|RS-2026-00042')}`);
    expect(search.statusCode).toBe(200);
    expect(search.json()).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1, entry: [{ fullUrl: location, resource: { status: 'revoked' } }] });
    const byValue = await get('sender', `${url}?identifier=RS-2026-00042`);
    expect(byValue.json().total).toBe(1);
  });

  it('shows the referral to no one else but staff who may read the service\'s records', async () => {
    // A therapist of the service may read identifiable data; an analyst may send but not read others'.
    expect((await get('colleague', location)).statusCode).toBe(200);
    const analyst = await get('analyst', location);
    expect(analyst.statusCode).toBe(404);
    expect(analyst.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await get('analyst', `${url}?identifier=RS-2026-00042`)).json().total).toBe(0);
    // Another trust's staff: no such service, and the refusal is audited.
    const outsider = await get('outsider', location);
    expect(outsider.statusCode).toBe(404);
    expect((await post('outsider', serviceRequest((body) => (body.identifier[0].value = 'T2-1')))).statusCode).toBe(404);
    const denied = await store.db.selectFrom('audit_event').select('subject_kind').where('action', '=', 'denied').where('subject_kind', '=', 'referral').execute();
    expect(denied.length).toBe(2);
    const reads = await store.db.selectFrom('audit_event').select('action').where('action', '=', 'read').where('subject_kind', '=', 'referral').execute();
    expect(reads.length).toBeGreaterThanOrEqual(4);
  });
});
