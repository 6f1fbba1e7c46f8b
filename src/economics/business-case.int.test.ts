import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { receivedReferral, writeReceived } from '../../test/support/triage.fixture.ts';
import type { Actor } from '../access/actor.ts';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode } from '../demo/demo-organisation.ts';
import { isRootsError } from '../errors/roots-error.ts';
import { insertStaffEpisode } from '../referrals/referral.repository.ts';
import { runBusinessCase } from './business-case.service.ts';
import { seedEvidence } from './evidence.service.ts';

let store: TestStore;
const actors = {} as Record<'analyst' | 'commissioner' | 'smallLead', Actor>;
const today = '2026-12-06';
const example = JSON.parse(readFileSync(new URL('../../docs/examples/business-case-gp-practice.json', import.meta.url), 'utf8')) as Record<string, unknown>;

beforeAll(async () => {
  store = await createTestStore();
  await createDemoOrganisation(store.db, null);
  await seedEvidence(store.db, { kind: 'system', name: 'test' });
  const staff = await store.db.selectFrom('staff_user').select(['id', 'email', 'organisation_id', 'role']).execute();
  const actorOf = (email: string): Actor => {
    const user = staff.find((s) => s.email === email)!;
    return { kind: 'staff', userId: user.id, organisationId: user.organisation_id, role: user.role };
  };
  actors.analyst = actorOf('analyst@demo.roots.invalid');
  actors.commissioner = actorOf('commissioner@demo.roots.invalid');
  actors.smallLead = actorOf('lead@small.demo.roots.invalid');
  const service = await store.db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select(['service.id', 'service.organisation_id'])
    .where('service.code', '=', demoServiceCode)
    .where('organisation.code', '=', demoOrganisationCode)
    .executeTakeFirstOrThrow();
  // Twelve people discharged in 2026, four with a GP appointment avoided.
  const ids = await writeReceived(
    store.db,
    { id: service.id, organisationId: service.organisation_id },
    Array.from({ length: 12 }, (_, i) => receivedReferral(`bc-${i}`, { receivedOn: '2026-01-05' })),
  );
  await store.db.transaction().execute(async (trx) => {
    for (const [key, referralId] of ids) {
      const i = Number(key.slice(3));
      await insertStaffEpisode(trx, { referralId, serviceId: service.id, pathway: 'mental_health', priority: 'P3', clockStartedOn: '2026-01-05' });
      await trx
        .insertInto('discharge')
        .values({ referral_id: referralId, discharged_on: '2026-06-01', reason: 'goals_met', outcomes: i < 4 ? ['gp_appointment_avoided', 'self_management_plan'] : ['self_management_plan'], recorded_in: 'roots' })
        .execute();
    }
  });
});
afterAll(async () => store?.close());

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isRootsError(error)).toBe(true);
  return error as { code: string; problems: { field?: string }[] };
};

const withServiceShare = {
  ...example,
  service: `${demoOrganisationCode}/${demoServiceCode}`,
  period: { from: '2026-01-01', to: '2026-12-31' },
  outcomes: [{ ...(example.outcomes as Record<string, unknown>[])[0], quantity: { service: 'discharges_per_year' }, deadweight: { service: 'discharge_outcome_share', code: 'gp_appointment_avoided' } }],
};

describe(`a business case run (${testEngine})`, () => {
  it('runs the documented example from the register, not for headlines because of its untraced and non-commercial figures', async () => {
    const report = await runBusinessCase(store.db, actors.analyst, example, today);
    const proxy = report.inputs.find((input) => input.path === 'outcomes.GP appointments avoided.proxy')!;
    expect(proxy.value).toBeCloseTo(184 * 0.1667, 10);
    expect(proxy.source).toMatch(/^evidence register pssru.gp_contact_hour v1 x 0.1667/);
    // Worked from the inputs: 385 x 30.6728 x (1 - 0.05) x (1 - 0.2) + 149 x 250 x 0.9, year 0 undiscounted.
    expect(report.result.appraisal.presentValueBenefits).toBeCloseTo(385 * 184 * 0.1667 * 0.95 * 0.8 + 149 * 250 * 0.9, 6);
    expect(report.headline.eligible).toBe(false);
    expect(report.headline.reasons.map((reason) => reason.split(' ')[0])).toEqual(['pssru.gp_contact_hour', 'ican.self_management_gp']);
    expect(report.probabilistic?.benefitCostRatio.draws).toBe(1000);
  });

  it('measures the service\'s own discharges for the period from the audit\'s facts, and audits the read', async () => {
    const report = await runBusinessCase(store.db, actors.analyst, withServiceShare, today);
    const share = report.inputs.find((input) => input.path === 'outcomes.GP appointments avoided.deadweight')!;
    expect(share.value).toBeCloseTo(4 / 12, 12);
    expect(share.source).toBe(`${demoOrganisationCode}/${demoServiceCode}, 2026-01-01 to 2026-12-31: 4 of 12 discharges with outcome gp_appointment_avoided`);
    const quantity = report.inputs.find((input) => input.path === 'outcomes.GP appointments avoided.quantity')!;
    expect(quantity.value).toBeCloseTo((12 * 365.25) / 365, 12);
    const audit = await store.db.selectFrom('audit_event').select(['actor', 'action']).where('subject_kind', '=', 'business_case').execute();
    expect(audit).toContainEqual({ actor: `staff:${(actors.analyst as { userId: number }).userId}`, action: 'read' });
  });

  it('lets a commissioner of the service run it, and hides the service from another provider', async () => {
    expect((await runBusinessCase(store.db, actors.commissioner, withServiceShare, today)).service).toBe(`${demoOrganisationCode}/${demoServiceCode}`);
    expect((await refusal(runBusinessCase(store.db, actors.smallLead, withServiceShare, today))).code).toBe('NOT_FOUND');
  });

  it('refuses a measure resting on too few discharges, a missing figure and a bad scenario, field by field', async () => {
    const narrow = { ...withServiceShare, period: { from: '2026-01-01', to: '2026-05-31' } };
    expect((await refusal(runBusinessCase(store.db, actors.analyst, narrow, today))).code).toBe('VALIDATION_FAILED');
    const missing = { ...example, outcomes: [{ ...(example.outcomes as Record<string, unknown>[])[0], proxy: { register: 'no.such.figure' } }] };
    expect((await refusal(runBusinessCase(store.db, actors.analyst, missing, today))).problems).toEqual([{ field: 'register', value: 'no.such.figure', reason: 'not in the evidence register' }]);
    const bad = await refusal(runBusinessCase(store.db, actors.analyst, { ...example, horizonYears: 0, keyOutcome: 'nothing' }, today));
    expect(bad.problems.map((p) => p.field).sort()).toEqual(['horizonYears', 'keyOutcome']);
  });
});
