import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import type { Actor } from '../access/actor.ts';
import { createService } from './service.repository.ts';

// Given two organisations, when staff and the system create services, then only an
// organisation's administrators create its services, only the system creates organisations, and
// every refusal is recorded with nothing created.
describe(`createService access on ${testEngine}`, () => {
  let store: TestStore;
  let own = 0;
  let other = 0;
  beforeAll(async () => {
    store = await createTestStore();
    own = (await store.db.insertInto('organisation').values({ code: 'OWN', name: 'Own' }).returning('id').executeTakeFirstOrThrow()).id;
    other = (await store.db.insertInto('organisation').values({ code: 'OTHER', name: 'Other' }).returning('id').executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await store?.close();
  });
  const staff = (role: 'administrator' | 'team_lead', organisationId: number): Actor => ({ kind: 'staff', userId: 5, organisationId, role });
  const input = (organisationCode: string, code: string) => ({ organisationCode, organisationName: 'New', code, name: 'OT', setting: 'primary_care' as const });

  it('lets an administrator create a service in their own organisation', async () => {
    expect((await createService(store.db, input('OWN', 'first'), staff('administrator', own))).organisationId).toBe(own);
  });

  it('refuses other roles, other organisations and new organisations for staff, recording each refusal', async () => {
    await expect(createService(store.db, input('OWN', 'lead'), staff('team_lead', own))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createService(store.db, input('OTHER', 'theirs'), staff('administrator', own))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(createService(store.db, input('BRAND-NEW', 'new'), staff('administrator', own))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const denied = await store.db.selectFrom('audit_event').select(['organisation_id']).where('action', '=', 'denied').where('subject_kind', '=', 'service').orderBy('id').execute();
    expect(denied.map((d) => d.organisation_id)).toEqual([own, other, null]);
    expect(await store.db.selectFrom('service').select('code').where('code', 'in', ['lead', 'theirs', 'new']).execute()).toEqual([]);
    expect(await store.db.selectFrom('organisation').select('id').where('code', '=', 'BRAND-NEW').execute()).toEqual([]);
  });

  it('lets the system create an organisation with its service', async () => {
    expect((await createService(store.db, input('BRAND-NEW', 'new'), { kind: 'system', name: 'cli' })).organisationCreated).toBe(true);
  });
});
