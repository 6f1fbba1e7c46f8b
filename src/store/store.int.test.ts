import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as codes from '../domain/codes.ts';
import { instrumentRules } from '../outcomes/instruments.ts';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { currentMigration, migrateToLatest, storeStatus } from './migrate.ts';
import { migrations } from './migrations/index.ts';

let store: TestStore;
beforeAll(async () => {
  store = await createTestStore();
});
afterAll(async () => {
  await store?.close();
});

describe(`store on ${testEngine}`, () => {
  it('is at the latest migration, and migrating again changes nothing', async () => {
    expect(await currentMigration(store.db)).toBe(Object.keys(migrations).at(-1));
    const again = await migrateToLatest(store.db);
    expect(again.results).toEqual([]);
  });

  it('reports engine, migration and row counts', async () => {
    const status = await storeStatus(store);
    expect(status.engine).toBe(testEngine);
    expect(status.migration).toBe(Object.keys(migrations).at(-1));
    expect(status.counts.referral).toBe(0);
    expect(Object.keys(status.counts)).toContain('ref_postcode');
  });

  it('hands back dates as ISO strings and counts as numbers on both engines', async () => {
    const { rows } = await sql<{ day: unknown; n: unknown; x: unknown }>`
      select date '2025-03-01' as day, count(*) as n, 1.5::numeric as x from (values (1), (2)) as v(a)`.execute(store.db);
    expect(rows[0]).toEqual({ day: '2025-03-01', n: 2, x: 1.5 });
  });

  it('checks NHS numbers by Modulus 11 in the database', async () => {
    const check = async (candidate: string) =>
      (await sql<{ ok: boolean }>`select roots_nhs_number_is_valid(${candidate}) as ok`.execute(store.db)).rows[0]!.ok;
    expect(await check('9434765919')).toBe(true);
    expect(await check('9434765918')).toBe(false); // wrong check digit
    expect(await check('943476591')).toBe(false); // nine digits
    expect(await check('943 476 5919')).toBe(false); // stored without spaces
    expect(await check('1000000010')).toBe(false); // check digit would be 10: never valid
  });

  it('refuses to change or delete the audit trail', async () => {
    await store.db.insertInto('audit_event').values({ actor: 'test', action: 'read', subject_kind: 'person', subject_id: '1' }).execute();
    await expect(store.db.updateTable('audit_event').set({ actor: 'someone else' }).execute()).rejects.toThrow(/append-only/);
    await expect(store.db.deleteFrom('audit_event').execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_event`.execute(store.db)).rejects.toThrow(/append-only/);
  });
});

describe('the code lists in src/domain/codes.ts agree with the database CHECK constraints', () => {
  // Each list is checked by inserting every code (must succeed) and one made-up code (must fail),
  // inside a transaction that is rolled back.
  const cases: { name: string; values: readonly string[]; probe: (trx: any, value: string) => Promise<unknown> }[] = [];
  let organisationId: number;
  let serviceId: number;

  beforeAll(async () => {
    const organisation = await store.db.insertInto('organisation').values({ code: 'CODES', name: 'Codes' }).returning('id').executeTakeFirstOrThrow();
    organisationId = organisation.id;
    const service = await store.db
      .insertInto('service')
      .values({ organisation_id: organisationId, code: 'codes', name: 'Codes', setting: 'primary_care' })
      .returning('id')
      .executeTakeFirstOrThrow();
    serviceId = service.id;
  });

  const person = (trx: any, column: string, value: unknown) =>
    trx.insertInto('person').values({ organisation_id: organisationId, source_person_id: `p-${column}-${String(value)}`, postcode_status: 'not_given', [column]: value }).execute();
  cases.push({ name: 'ethnicCategory', values: codes.ethnicCategory.values, probe: (trx, v) => person(trx, 'ethnicity', v) });
  cases.push({ name: 'statedGender', values: codes.statedGender.values, probe: (trx, v) => person(trx, 'sex', v) });
  cases.push({ name: 'postcodeStatus', values: codes.postcodeStatus.values.filter((v) => !['resolved', 'terminated', 'no_fixed_address'].includes(v)), probe: (trx, v) => person(trx, 'postcode_status', v) });
  cases.push({ name: 'inclusionGroup', values: codes.inclusionGroup.values, probe: (trx, v) => person(trx, 'inclusion_groups', [v]) });
  cases.push({ name: 'serviceSetting', values: codes.serviceSetting.values, probe: (trx, v) => trx.insertInto('service').values({ organisation_id: organisationId, code: `s-${v.replaceAll('_', '-')}`, name: 'x', setting: v }).execute() });
  cases.push({ name: 'pathway', values: codes.pathway.values, probe: (trx, v) => trx.insertInto('service_pathway').values({ service_id: serviceId, pathway_code: v }).execute() });
  cases.push({ name: 'competencyLevel', values: codes.competencyLevel.values, probe: (trx, v) => trx.insertInto('competency').values({ service_id: serviceId, code: `c-${v}`, name: 'x', level: v }).execute() });
  cases.push({ name: 'organisationKind', values: codes.organisationKind.values, probe: (trx, v) => trx.insertInto('organisation').values({ code: `K-${v.toUpperCase().replaceAll('_', '-')}`, name: 'x', kind: v }).execute() });
  cases.push({ name: 'staffRole', values: codes.staffRole.values, probe: (trx, v) => trx.insertInto('staff_user').values({ organisation_id: organisationId, email: `${v}@example.org`, display_name: 'x', role: v }).execute() });
  cases.push({ name: 'auditAction', values: codes.auditAction.values, probe: (trx, v) => trx.insertInto('audit_event').values({ actor: 't', action: v, subject_kind: 'x' }).execute() });

  const withReferral = async (trx: any, value: string) => {
    const p = await trx.insertInto('person').values({ organisation_id: organisationId, source_person_id: `r-${value}`, postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
    return trx.insertInto('referral').values({ service_id: serviceId, person_id: p.id, source_record_id: `r-${value}`, received_on: '2025-01-01', source: 'self', status: 'received' }).returning('id').executeTakeFirstOrThrow();
  };
  const withEpisode = async (trx: any, value: string) => {
    const r = await withReferral(trx, value);
    return trx.insertInto('episode').values({ referral_id: r.id, service_id: serviceId, pathway_code: 'mental_health', priority: 'P3', clock_started_on: '2025-01-01' }).returning('id').executeTakeFirstOrThrow();
  };
  cases.push({ name: 'referralSource', values: codes.referralSource.values, probe: async (trx, v) => {
    const p = await trx.insertInto('person').values({ organisation_id: organisationId, source_person_id: `s-${v}`, postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('referral').values({ service_id: serviceId, person_id: p.id, source_record_id: `s-${v}`, received_on: '2025-01-01', source: v, status: 'received' }).execute();
  } });
  cases.push({ name: 'referralStatus', values: codes.referralStatus.values, probe: async (trx, v) => {
    const p = await trx.insertInto('person').values({ organisation_id: organisationId, source_person_id: `st-${v}`, postcode_status: 'not_given' }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('referral').values({ service_id: serviceId, person_id: p.id, source_record_id: `st-${v}`, received_on: '2025-01-01', source: 'self', status: v }).execute();
  } });
  cases.push({ name: 'priority', values: codes.priority.values, probe: async (trx, v) => {
    const r = await withReferral(trx, `pr-${v}`);
    await trx.insertInto('triage').values({ referral_id: r.id, triaged_on: '2025-01-02', pathway_code: 'mental_health', priority: v, outcome: 'accept' }).execute();
  } });
  cases.push({ name: 'triageOutcome', values: codes.triageOutcome.values, probe: async (trx, v) => {
    const r = await withReferral(trx, `to-${v}`);
    await trx.insertInto('triage').values({ referral_id: r.id, triaged_on: '2025-01-02', pathway_code: 'mental_health', priority: 'P2', outcome: v }).execute();
  } });
  cases.push({ name: 'clockEventKind', values: codes.clockEventKind.values, probe: async (trx, v) => {
    const e = await withEpisode(trx, `ck-${v}`);
    await trx.insertInto('waiting_clock_event').values({ episode_id: e.id, occurred_on: '2025-01-01', kind: v, reason: 'other' }).execute();
  } });
  cases.push({ name: 'clockEventReason', values: codes.clockEventReason.values, probe: async (trx, v) => {
    const e = await withEpisode(trx, `cr-${v}`);
    await trx.insertInto('waiting_clock_event').values({ episode_id: e.id, occurred_on: '2025-01-01', kind: 'start', reason: v }).execute();
  } });
  cases.push({ name: 'contactMode', values: codes.contactMode.values, probe: async (trx, v) => {
    const e = await withEpisode(trx, `cm-${v}`);
    await trx.insertInto('contact').values({ episode_id: e.id, starts_at: '2025-01-05T10:00:00Z', mode: v, attendance: 'attended' }).execute();
  } });
  cases.push({ name: 'attendance', values: codes.attendance.values, probe: async (trx, v) => {
    const e = await withEpisode(trx, `at-${v}`);
    await trx.insertInto('contact').values({ episode_id: e.id, starts_at: '2025-01-05T10:00:00Z', mode: 'phone', attendance: v }).execute();
  } });
  cases.push({ name: 'interventionKind', values: codes.interventionKind.values, probe: async (trx, v) => {
    const e = await withEpisode(trx, `iv-${v}`);
    const c = await trx.insertInto('contact').values({ episode_id: e.id, starts_at: '2025-01-05T10:00:00Z', mode: 'phone', attendance: 'attended' }).returning('id').executeTakeFirstOrThrow();
    await trx.insertInto('intervention').values({ contact_id: c.id, kind: v }).execute();
  } });
  cases.push({ name: 'goalStatus', values: codes.goalStatus.values, probe: async (trx, v) => {
    const e = await withEpisode(trx, `gs-${v}`);
    await trx.insertInto('episode_goal').values({ episode_id: e.id, goal: 'A goal', set_on: '2025-01-05', status: v }).execute();
  } });
  cases.push({ name: 'outcomeInstrument', values: codes.outcomeInstrument.values, probe: async (trx, v) => {
    const e = await withEpisode(trx, `oi-${v}`);
    // A score inside the instrument's own range (outcomes/instruments.ts; migration 0015 checks them); 5 for the unknown code.
    const score = instrumentRules[v as keyof typeof instrumentRules]?.min ?? 5;
    await trx.insertInto('outcome_response').values({ episode_id: e.id, instrument: v, timepoint: 'baseline', recorded_on: '2025-01-05', score }).execute();
  } });
  cases.push({ name: 'outcomeTimepoint', values: codes.outcomeTimepoint.values, probe: async (trx, v) => {
    const e = await withEpisode(trx, `ot-${v}`);
    await trx.insertInto('outcome_response').values({ episode_id: e.id, instrument: 'GAS', timepoint: v, recorded_on: '2025-01-05', score: 50 }).execute();
  } });
  cases.push({ name: 'dischargeReason', values: codes.dischargeReason.values, probe: async (trx, v) => {
    const r = await withReferral(trx, `dr-${v}`);
    await trx.insertInto('discharge').values({ referral_id: r.id, discharged_on: '2025-02-01', reason: v }).execute();
  } });
  cases.push({ name: 'dischargeOutcome', values: codes.dischargeOutcome.values, probe: async (trx, v) => {
    const r = await withReferral(trx, `do-${v}`);
    await trx.insertInto('discharge').values({ referral_id: r.id, discharged_on: '2025-02-01', reason: 'goals_met', outcomes: [v] }).execute();
  } });

  for (const testCase of cases) {
    it(`${testCase.name}: every code accepted, an unknown code refused`, async () => {
      for (const value of testCase.values) {
        await rolledBack((trx) => testCase.probe(trx, value));
      }
      await expect(rolledBack((trx) => testCase.probe(trx, 'not-a-code'))).rejects.toThrow(/check constraint|violates/);
    });
  }

  /** Runs `work` in a transaction that is always rolled back, rethrowing what `work` threw. */
  async function rolledBack(work: (trx: unknown) => Promise<unknown>) {
    const marker = new Error('rollback');
    try {
      await store.db.transaction().execute(async (trx) => {
        await work(trx);
        throw marker;
      });
    } catch (error) {
      if (error !== marker) throw error;
    }
  }
});
