import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import type { Actor } from '../../access/actor.ts';
import { isRootsError } from '../../errors/roots-error.ts';
import { routeAccess } from './route-access.ts';

// Given an application with the route-access plugin and an actor found by an earlier hook (here a
// test header standing in for sessions and API tokens), when routes are registered and requested,
// then an undeclared route cannot even be registered, and each declared level is enforced before
// the handler runs.
describe(`route access on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let organisationId: number;
  const handled: string[] = [];

  beforeAll(async () => {
    store = await createTestStore();
    organisationId = (await store.db.insertInto('organisation').values({ code: 'RA', name: 'Route access' }).returning('id').executeTakeFirstOrThrow()).id;
    app = Fastify();
    app.decorateRequest('actor', null);
    app.addHook('onRequest', async (request) => {
      const header = request.headers['x-test-actor'];
      if (typeof header === 'string') request.actor = JSON.parse(header) as Actor;
    });
    await app.register(routeAccess, { store });
    app.setErrorHandler((error, _request, reply) => (isRootsError(error) ? reply.status(error.status).send({ code: error.code }) : reply.status(500).send({ code: 'INTERNAL' })));
    for (const access of ['public', 'staff', 'administrator'] as const) {
      app.get(`/${access}`, { config: { access } }, async () => { handled.push(access); return { ok: true }; });
      app.post(`/api/v1/${access}`, { config: { access } }, async () => { handled.push(`api-${access}`); return { ok: true }; });
    }
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const actor = (role: 'therapist' | 'administrator'): Record<string, string> => ({ 'x-test-actor': JSON.stringify({ kind: 'staff', userId: 7, organisationId, role }) });

  it('refuses to register a route that declares no access, or an unknown level', async () => {
    const bare = Fastify();
    await bare.register(routeAccess, { store });
    expect(() => bare.get('/forgotten', async () => 'x')).toThrow(/GET \/forgotten declares no access/);
    expect(() => bare.get('/typo', { config: { access: 'everyone' as 'public' } }, async () => 'x')).toThrow(/declares no access/);
    expect(() => bare.get('/declared', { config: { access: 'public' } }, async () => 'x')).not.toThrow();
    await bare.close();
  });

  it('lets anyone reach a public route', async () => {
    expect((await app.inject('/public')).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/public' })).statusCode).toBe(200);
  });

  it('sends an anonymous visitor of a staff page to sign in, coming back to the same page', async () => {
    handled.length = 0;
    const response = await app.inject('/staff?from=2025-04-01');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/sign-in?next=${encodeURIComponent('/staff?from=2025-04-01')}`);
    const admin = await app.inject('/administrator');
    expect(admin.statusCode).toBe(303);
    expect(handled).toEqual([]);
  });

  it('answers an anonymous API call 401 without running the handler', async () => {
    handled.length = 0;
    for (const path of ['/api/v1/staff', '/api/v1/administrator']) {
      const response = await app.inject({ method: 'POST', url: path });
      expect(response.statusCode, path).toBe(401);
      expect(response.json()).toEqual({ code: 'UNAUTHENTICATED' });
    }
    expect(handled).toEqual([]);
  });

  it('lets any member of staff reach a staff route, and only an administrator an administrator route (refusals recorded)', async () => {
    handled.length = 0;
    expect((await app.inject({ url: '/staff', headers: actor('therapist') })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/v1/staff', headers: actor('therapist') })).statusCode).toBe(200);
    expect((await app.inject({ url: '/administrator', headers: actor('therapist') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/administrator', headers: actor('therapist') })).statusCode).toBe(403);
    expect((await app.inject({ method: 'HEAD', url: '/administrator', headers: actor('therapist') })).statusCode).toBe(403);
    expect((await app.inject({ url: '/administrator', headers: actor('administrator') })).statusCode).toBe(200);
    expect(handled).toEqual(['staff', 'api-staff', 'administrator']);
    const denied = await store.db.selectFrom('audit_event').select(['actor', 'subject_kind', 'subject_id', 'organisation_id']).where('action', '=', 'denied').orderBy('id').execute();
    expect(denied).toEqual([
      { actor: 'staff:7', subject_kind: 'route', subject_id: 'GET /administrator', organisation_id: organisationId },
      { actor: 'staff:7', subject_kind: 'route', subject_id: 'POST /api/v1/administrator', organisation_id: organisationId },
      { actor: 'staff:7', subject_kind: 'route', subject_id: 'HEAD /administrator', organisation_id: organisationId },
    ]);
  });
});
