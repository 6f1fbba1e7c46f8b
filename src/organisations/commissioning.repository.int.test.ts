import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { requireServiceAccess, resolveServiceFor } from '../access/service-access.ts';
import type { Actor } from '../access/actor.ts';
import { addCommissioning, listCommissionedServices, loadServiceScope, loadServiceScopesByCode } from './commissioning.repository.ts';

// Given an ICB that commissions one service of each of two providers (both services have the same
// code), and a service it stopped commissioning, when scopes are loaded and access is resolved,
// then the commissioner sees exactly what it commissions on the day, and nothing else.
describe(`commissioning on ${testEngine}`, () => {
  let store: TestStore;
  const ids = { providerA: 0, providerB: 0, icb: 0, serviceA: 0, serviceB: 0, serviceOld: 0 };

  beforeAll(async () => {
    store = await createTestStore();
    const organisation = async (code: string, kind: 'provider' | 'commissioner') =>
      (await store.db.insertInto('organisation').values({ code, name: `${code} name`, kind }).returning('id').executeTakeFirstOrThrow()).id;
    ids.providerA = await organisation('PROV-A', 'provider');
    ids.providerB = await organisation('PROV-B', 'provider');
    ids.icb = await organisation('ICB', 'commissioner');
    const service = async (organisationId: number, code: string) =>
      (await store.db.insertInto('service').values({ organisation_id: organisationId, code, name: `${code} at ${organisationId}`, setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow()).id;
    ids.serviceA = await service(ids.providerA, 'ot');
    ids.serviceB = await service(ids.providerB, 'ot');
    ids.serviceOld = await service(ids.providerB, 'old');
    await addCommissioning(store.db, { commissionerOrganisationId: ids.icb, serviceId: ids.serviceA, from: '2024-04-01' });
    await addCommissioning(store.db, { commissionerOrganisationId: ids.icb, serviceId: ids.serviceB, from: '2025-04-01' });
    await addCommissioning(store.db, { commissionerOrganisationId: ids.icb, serviceId: ids.serviceOld, from: '2023-04-01', to: '2025-03-31' });
  });
  afterAll(async () => {
    await store?.close();
  });

  it('refuses a provider as a commissioner, and overlapping periods', async () => {
    await expect(addCommissioning(store.db, { commissionerOrganisationId: ids.providerB, serviceId: ids.serviceA, from: '2025-01-01' })).rejects.toThrow(/foreign key/);
    await expect(addCommissioning(store.db, { commissionerOrganisationId: ids.icb, serviceId: ids.serviceA, from: '2026-01-01' })).rejects.toThrow(/overlap/);
    await expect(addCommissioning(store.db, { commissionerOrganisationId: ids.icb, serviceId: ids.serviceB, from: '2020-01-01', to: '2019-01-01' })).rejects.toThrow(/check constraint|violates/);
  });

  it('loads a service\'s provider and its commissioners on a given day', async () => {
    expect(await loadServiceScope(store.db, ids.serviceB, '2026-01-01')).toMatchObject({ organisationId: ids.providerB, organisationCode: 'PROV-B', commissionerOrganisationIds: [ids.icb] });
    expect((await loadServiceScope(store.db, ids.serviceB, '2025-03-31'))?.commissionerOrganisationIds).toEqual([]);
    expect((await loadServiceScope(store.db, ids.serviceOld, '2026-01-01'))?.commissionerOrganisationIds).toEqual([]);
    expect(await loadServiceScope(store.db, 999_999, '2026-01-01')).toBeUndefined();
    expect((await loadServiceScopesByCode(store.db, 'ot', '2026-01-01')).map((s) => s.organisationCode)).toEqual(['PROV-A', 'PROV-B']);
    expect((await loadServiceScopesByCode(store.db, 'ot', '2026-01-01', 'PROV-B')).map((s) => s.serviceId)).toEqual([ids.serviceB]);
  });

  it('lists what a commissioner commissions on a day', async () => {
    expect((await listCommissionedServices(store.db, ids.icb, '2026-01-01')).map((s) => s.serviceId)).toEqual([ids.serviceA, ids.serviceB]);
    expect((await listCommissionedServices(store.db, ids.icb, '2024-06-01')).map((s) => s.serviceId)).toEqual([ids.serviceA, ids.serviceOld]);
  });

  it('resolves a service code within what the actor may know, and refuses the rest as if missing (recorded)', async () => {
    const commissioner: Actor = { kind: 'staff', userId: 1, organisationId: ids.icb, role: 'commissioner' };
    const leadA: Actor = { kind: 'staff', userId: 2, organisationId: ids.providerA, role: 'team_lead' };
    const on = '2026-01-01';
    expect((await resolveServiceFor(store.db, leadA, { serviceCode: 'ot' }, { on })).serviceId).toBe(ids.serviceA);
    // Two commissioned services share the code: the organisation must be named.
    await expect(resolveServiceFor(store.db, commissioner, { serviceCode: 'ot' }, { on })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await resolveServiceFor(store.db, commissioner, { serviceCode: 'ot', organisationCode: 'PROV-B' }, { on })).serviceId).toBe(ids.serviceB);

    const before = await store.db.selectFrom('audit_event').select('id').where('action', '=', 'denied').execute();
    await expect(resolveServiceFor(store.db, leadA, { serviceCode: 'ot', organisationCode: 'PROV-B' }, { on })).rejects.toMatchObject({ code: 'NOT_FOUND', detail: 'There is no such service.' });
    await expect(resolveServiceFor(store.db, commissioner, { serviceCode: 'old' }, { on })).rejects.toMatchObject({ code: 'NOT_FOUND', detail: 'There is no such service.' });
    await expect(resolveServiceFor(store.db, leadA, { serviceCode: 'missing' }, { on })).rejects.toMatchObject({ code: 'NOT_FOUND', detail: 'There is no such service.' });
    const denied = await store.db.selectFrom('audit_event').select(['subject_id', 'organisation_id']).where('action', '=', 'denied').where('id', 'not in', before.length ? before.map((r) => r.id) : [-1]).orderBy('id').execute();
    expect(denied).toEqual([
      { subject_id: String(ids.serviceB), organisation_id: ids.providerB },
      { subject_id: String(ids.serviceOld), organisation_id: ids.providerB },
    ]);
  });

  it('checks a service function\'s action: forbidden when the actor may know the service, not found otherwise', async () => {
    const commissioner: Actor = { kind: 'staff', userId: 1, organisationId: ids.icb, role: 'commissioner' };
    const analystB: Actor = { kind: 'staff', userId: 3, organisationId: ids.providerB, role: 'analyst' };
    const on = '2026-01-01';
    expect((await requireServiceAccess(store.db, commissioner, ids.serviceB, 'read_aggregates', { on })).serviceId).toBe(ids.serviceB);
    await expect(requireServiceAccess(store.db, commissioner, ids.serviceB, 'read_identifiable', { on })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(requireServiceAccess(store.db, commissioner, ids.serviceB, 'write_referrals', { on })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(requireServiceAccess(store.db, analystB, ids.serviceB, 'read_identifiable', { on })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await requireServiceAccess(store.db, analystB, ids.serviceB, 'import', { on })).serviceId).toBe(ids.serviceB);
    await expect(requireServiceAccess(store.db, analystB, ids.serviceA, 'read_aggregates', { on })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(requireServiceAccess(store.db, analystB, 999_999, 'read_aggregates', { on })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
