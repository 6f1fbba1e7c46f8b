import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testStaffActor, testSystemActor } from '../../test/support/actors.ts';
import { referralRows } from '../../test/import/referral-rows.ts';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import type { Actor } from '../access/actor.ts';
import type { StaffRole } from '../domain/codes.ts';
import { importFhirBundle, importFhirJson } from './fhir-import.service.ts';
import type { ImportOptions, ImportSummary } from './import.types.ts';
import { importReferralCsv, importReferralRows } from './referral-import.service.ts';

const fixtures = new URL('../../test/fixtures/imports/', import.meta.url).pathname;
const goodCsv = join(fixtures, 'referrals-good.csv');
const goodBundle = join(fixtures, 'fhir-bundle.json');
const today = '2026-11-21';

// Given a provider with a service, another provider and an ICB commissioning the service, when
// each kind of actor imports referrals through every import service function (CSV file, rows,
// FHIR bundle file, FHIR JSON), then the access check runs first: staff of the provider
// (therapist, team lead, administrator, analyst) and the system import; a commissioner is
// forbidden and staff of the other provider are told there is no such service, before any file
// is opened or row written, and each refusal is in the audit trail.
describe(`imports check access first on ${testEngine}`, () => {
  let store: TestStore;
  let provider: number;
  let other: number;
  let icb: number;

  beforeAll(async () => {
    store = await createTestStore();
    await store.db.insertInto('ref_postcode').values({ postcode: 'DT1 1AA', area_code: 'E01032643' }).execute();
    provider = (await store.db.insertInto('organisation').values({ code: 'PROV', name: 'Provider' }).returning('id').executeTakeFirstOrThrow()).id;
    other = (await store.db.insertInto('organisation').values({ code: 'OTHERP', name: 'Other provider' }).returning('id').executeTakeFirstOrThrow()).id;
    icb = (await store.db.insertInto('organisation').values({ code: 'ICB1', name: 'An ICB', kind: 'commissioner' }).returning('id').executeTakeFirstOrThrow()).id;
    const service = await store.db.insertInto('service').values({ organisation_id: provider, code: 'ot', name: 'OT', setting: 'primary_care' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('commissioning').values({ commissioner_organisation_id: icb, service_id: service.id, commissioned_from: '2020-01-01' }).execute();
  });
  afterAll(async () => {
    await store?.close();
  });

  const importers: Record<string, (options: ImportOptions) => Promise<ImportSummary>> = {
    csv: (options) => importReferralCsv(store, goodCsv, options),
    rows: (options) => importReferralRows(store, referralRows(3, { seed: 9 }), options),
    fhirBundle: (options) => importFhirBundle(store, goodBundle, options),
    fhirJson: (options) => importFhirJson(store, JSON.parse(readFileSync(goodBundle, 'utf8')), options),
  };
  const options = (actor: Actor): ImportOptions => ({ actor, service: 'PROV/ot', today, dryRun: true });
  const referrals = async () => Number((await store.db.selectFrom('referral').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const denied = async () => store.db.selectFrom('audit_event').select(['actor', 'subject_kind', 'detail']).where('action', '=', 'denied').orderBy('id').execute();

  for (const [name, run] of Object.entries(importers)) {
    it(`${name}: the provider's staff and the system may import`, async () => {
      for (const role of ['therapist', 'team_lead', 'administrator', 'analyst'] as StaffRole[]) {
        const summary = await run(options(testStaffActor(provider, role, 41)));
        expect(summary.read, `${name} ${role}`).toBeGreaterThan(0);
      }
      expect((await run(options(testSystemActor))).read).toBeGreaterThan(0);
    });

    it(`${name}: a commissioner is forbidden and another provider's staff told there is no such service, each refusal audited`, async () => {
      const before = { referrals: await referrals(), denied: (await denied()).length };
      await expect(run({ ...options(testStaffActor(icb, 'commissioner', 42)), dryRun: false })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(run({ ...options(testStaffActor(other, 'team_lead', 43)), dryRun: false })).rejects.toMatchObject({ code: 'NOT_FOUND', detail: 'There is no such service.' });
      expect(await referrals()).toBe(before.referrals);
      const refusals = (await denied()).slice(before.denied);
      expect(refusals.map((row) => [row.actor, row.subject_kind, (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail).wanted])).toEqual([
        ['staff:42', 'import', 'import'],
        ['staff:43', 'import', 'import'],
      ]);
    });
  }

  it('refuses before the file is opened: a missing file is FORBIDDEN, not FILE_NOT_FOUND, for a commissioner', async () => {
    const actor = testStaffActor(icb, 'commissioner', 44);
    await expect(importReferralCsv(store, join(fixtures, 'no-such-file.csv'), options(actor))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(importFhirBundle(store, join(fixtures, 'no-such-bundle.json'), options(actor))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(importReferralCsv(store, join(fixtures, 'no-such-file.csv'), options(testSystemActor))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
