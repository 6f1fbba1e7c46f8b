import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { recordTriage } from '../../src/referrals/triage.service.ts';
import { runRoots } from '../support/cli.ts';
import { createTestStore, testEngine, type TestStore } from '../support/database.ts';
import { referralRows, toCsv } from '../import/referral-rows.ts';

/**
 * `roots service create` and `roots service list`, as a person would run them against a fresh
 * database, then an import into the new service.
 */
let scratch: string;
let testStore: TestStore | undefined;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'roots-service-'));
  if (testEngine === 'postgresql') {
    testStore = await createTestStore();
    env = { DATABASE_URL: testStore.databaseUrl };
  } else {
    const dataDir = join(scratch, 'data');
    const store = await openStore({ dataDir });
    await migrateToLatest(store.db);
    await store.close();
    env = { DATABASE_URL: undefined, ROOTS_DATA_DIR: dataDir };
  }
  await withDatabase((store) =>
    store.db.insertInto('ref_geography').values({ code: 'E54000057', kind: 'icb', name: 'NHS Greater Manchester Integrated Care Board', nhs_code: 'QOP', parent_code: null }).execute(),
  );
});
afterAll(async () => {
  await testStore?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** Checks the database between child processes (an embedded one is opened only while nothing else has it). */
async function withDatabase<T>(work: (store: Store) => Promise<T>): Promise<T> {
  if (testStore) return work(testStore);
  const store = await openStore({ dataDir: env.ROOTS_DATA_DIR! });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

const roots = (args: string[]) => runRoots(args, { env: { ...env, ROOTS_DEMO: 'false' } });
const create = ['service', 'create', '--organisation', 'NORTH-OT', '--code', 'primary-ot', '--name', 'Primary care OT', '--setting', 'primary_care', '--icb', 'E54000057'];

describe(`roots service on ${testEngine}`, () => {
  it('refuses a new organisation without a name, and writes nothing', async () => {
    const run = await roots(create);
    expect(run.code).toBe(66);
    expect(run.stderr).toMatch(/There is no organisation NORTH-OT: give its name/);
    expect(await withDatabase((store) => store.db.selectFrom('organisation').select('code').execute())).toEqual([]);
  });

  it('refuses bad values field by field, and an ICB the reference data does not know', async () => {
    const bad = await roots(['service', 'create', '--organisation', 'north', '--code', 'Primary OT', '--name', 'x', '--setting', 'hospital']);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/organisationCode/);
    expect(bad.stderr).toMatch(/code/);
    expect(bad.stderr).toMatch(/setting/);
    const unknownIcb = await roots([...create.slice(0, -1), 'E54999999', '--organisation-name', 'North OT']);
    expect(unknownIcb.code).toBe(65);
    expect(unknownIcb.stderr).toMatch(/icbCode: is not an ICB in the reference data/);
    // All or nothing: the organisation was not left behind either.
    expect(await withDatabase((store) => store.db.selectFrom('organisation').select('code').execute())).toEqual([]);
  });

  it('creates the organisation and the service with every pathway, refuses it twice, and lists it', async () => {
    const run = await roots([...create, '--organisation-name', 'North OT Partnership']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ service: 'NORTH-OT/primary-ot', organisationCreated: true });
    const again = await roots([...create, '--organisation-name', 'North OT Partnership']);
    expect(again.code).toBe(73);
    expect(again.stderr).toMatch(/already has a service primary-ot\. \[ALREADY_EXISTS\]/);
    const second = await roots(['service', 'create', '--organisation', 'NORTH-OT', '--code', 'cmh-ot', '--name', 'CMH OT', '--setting', 'community_mental_health', '--pathways', 'mental_health,work_health']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ organisationCreated: false });
    const pathways = await withDatabase((store) =>
      store.db.selectFrom('service_pathway').innerJoin('service', 'service.id', 'service_pathway.service_id').select(['service.code', 'pathway_code']).orderBy('service.code').orderBy('pathway_code').execute(),
    );
    expect(pathways.filter((row) => row.code === 'primary-ot')).toHaveLength(6);
    expect(pathways.filter((row) => row.code === 'cmh-ot').map((row) => row.pathway_code)).toEqual(['mental_health', 'work_health']);
    const list = await roots(['service', 'list']);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ service: 'NORTH-OT/cmh-ot', setting: 'community_mental_health', icb: null }),
      expect.objectContaining({ service: 'NORTH-OT/primary-ot', setting: 'primary_care', icb: 'E54000057', nation: 'E' }),
    ]);
  });

  it('takes an import straight away', async () => {
    const file = join(scratch, 'referrals.csv');
    writeFileSync(file, toCsv(referralRows(20, { seed: 5 })));
    const run = await roots(['import', 'referrals', file, '--service', 'NORTH-OT/primary-ot']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ inserted: 20, rejected: 0 });
  });

  it('re-imports a file after staff triaged one of its referrals in Roots: the triage stays, the row gets a notice in the report', async () => {
    // Given the file imported above, and staff triaging in Roots a referral the file had triaged too:
    const rows = [...referralRows(20, { seed: 5 })];
    const index = rows.findIndex((row) => row.triage_outcome !== '');
    const target = rows[index]!;
    const triagedOn = target.referral_received;
    await withDatabase(async (store) => {
      const organisation = await store.db.selectFrom('organisation').select('id').where('code', '=', 'NORTH-OT').executeTakeFirstOrThrow();
      const user = await store.db.insertInto('staff_user').values({ organisation_id: organisation.id, email: 'lead@north.example', display_name: 'Lead', role: 'team_lead' }).returning('id').executeTakeFirstOrThrow();
      const referral = await store.db.selectFrom('referral').select('id').where('source_record_id', '=', target.source_record_id).executeTakeFirstOrThrow();
      await recordTriage(store.db, { kind: 'staff', userId: user.id, organisationId: organisation.id, role: 'team_lead' }, referral.id, { triagedOn, pathway: 'signpost', priority: null, outcome: 'redirect' });
    });
    // When the source sends the file again with that referral's journey cleared:
    const journey = ['triage_date', 'pathway', 'priority', 'triage_outcome', 'clock_start', 'clock_pauses', 'first_contact_date', 'contacts_attended', 'contacts_did_not_attend', 'contacts_cancelled', 'discharge_date', 'discharge_reason', 'discharge_outcomes', 'outcome_instrument', 'outcome_baseline_score', 'outcome_final_score'] as const;
    for (const column of journey) target[column] = '';
    const file = join(scratch, 'again.csv');
    writeFileSync(file, toCsv(rows));
    const run = await roots(['import', 'referrals', file, '--service', 'NORTH-OT/primary-ot']);
    // Then it is imported, the notice is counted, said on standard error and listed in the report.
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ updated: 1, unchanged: 19, notices: 1, errorReport: join(scratch, 'again.errors.csv') });
    expect(run.stderr).toMatch(/1 of 20 rows are of referrals staff have acted on in Roots/);
    expect(readFileSync(join(scratch, 'again.errors.csv'), 'utf8')).toContain(`${index + 1},${index + 2},,,"notice (row imported): triaged in Roots on ${triagedOn};`);
    const triage = await withDatabase((store) =>
      store.db.selectFrom('triage').innerJoin('referral', 'referral.id', 'triage.referral_id').select(['triage.outcome', 'triage.recorded_in']).where('referral.source_record_id', '=', target.source_record_id).executeTakeFirstOrThrow(),
    );
    expect(triage).toEqual({ outcome: 'redirect', recorded_in: 'roots' });
  });

  it('tells two organisations\' services with the same code apart, on every command taking --service', async () => {
    // Given a second organisation with a service "primary-ot" too:
    const south = await roots(['service', 'create', '--organisation', 'SOUTH-OT', '--organisation-name', 'South OT', '--code', 'primary-ot', '--name', 'South primary care OT', '--setting', 'primary_care']);
    expect(south.code, south.stderr).toBe(0);
    const file = join(scratch, 'south.csv');
    writeFileSync(file, toCsv(referralRows(7, { seed: 6, prefix: 'S' })));
    // the bare code is refused, naming both, and nothing is written;
    for (const args of [['import', 'referrals', file, '--service', 'primary-ot'], ['audit', '--service', 'primary-ot', '--format', 'json']]) {
      const refused = await roots(args);
      expect(refused.code, args.join(' ')).toBe(64);
      expect(refused.stderr).toMatch(/NORTH-OT\/primary-ot, SOUTH-OT\/primary-ot/);
    }
    // ORGANISATION/code imports into that organisation's service only.
    const run = await roots(['import', 'referrals', file, '--service', 'SOUTH-OT/primary-ot']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ service: 'SOUTH-OT/primary-ot', inserted: 7 });
    const counts = await withDatabase((store) =>
      store.db
        .selectFrom('referral')
        .innerJoin('service', 'service.id', 'referral.service_id')
        .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
        .select(['organisation.code', (eb) => eb.fn.countAll<number>().as('n')])
        .groupBy('organisation.code')
        .orderBy('organisation.code')
        .execute(),
    );
    expect(counts.map((row) => [row.code, Number(row.n)])).toEqual([['NORTH-OT', 20], ['SOUTH-OT', 7]]);
    const audit = await roots(['audit', '--service', 'south-ot/primary-ot', '--format', 'json', '--from', '2025-01-01', '--to', '2025-12-31']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout).service).toMatchObject({ code: 'primary-ot', name: 'South primary care OT', organisationName: 'South OT' });
  });
});
