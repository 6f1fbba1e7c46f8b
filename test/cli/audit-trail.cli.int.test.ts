import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { runRoots } from '../support/cli.ts';
import { createTestStore, testEngine, type TestStore } from '../support/database.ts';
import { referralRows, toCsv } from '../import/referral-rows.ts';

/**
 * `roots audit-trail export`, `roots person export` and `--as EMAIL`, run as a person would run
 * them; and what the command line says when the embedded database is taken by `roots serve`.
 */
let scratch: string;
let testStore: TestStore | undefined;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'roots-trail-'));
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
  await withDatabase(async (store) => {
    const north = await store.db.insertInto('organisation').values({ code: 'NORTH', name: 'North' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: north.id, code: 'ot', name: 'OT', setting: 'primary_care' }).execute();
    await store.db
      .insertInto('staff_user')
      .values([
        { organisation_id: north.id, email: 'admin@north.example', display_name: 'Admin', role: 'administrator' },
        { organisation_id: north.id, email: 'ot@north.example', display_name: 'OT', role: 'therapist' },
        { organisation_id: north.id, email: 'icb@north.example', display_name: 'ICB', role: 'commissioner' },
        { organisation_id: north.id, email: 'gone@north.example', display_name: 'Gone', role: 'administrator', active: false },
      ])
      .execute();
  });
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
const lastEntry = () => withDatabase((store) => store.db.selectFrom('audit_event').select(['actor', 'action', 'subject_kind', 'detail']).orderBy('id', 'desc').executeTakeFirstOrThrow());
const staffId = (email: string) => withDatabase((store) => store.db.selectFrom('staff_user').select('id').where('email', '=', email).executeTakeFirstOrThrow().then((row) => row.id));
const today = new Date().toISOString().slice(0, 10);

describe(`roots --as on ${testEngine}`, () => {
  it('imports as the system actor without --as, and says so in the audit trail', async () => {
    const file = join(scratch, 'referrals.csv');
    writeFileSync(file, toCsv(referralRows(12, { seed: 3 })));
    const run = await roots(['import', 'referrals', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(await lastEntry()).toMatchObject({ actor: 'system:cli', action: 'import', subject_kind: 'import_run' });
  });

  it('refuses a commissioner\'s import before anything is read, and records the refusal', async () => {
    const file = join(scratch, 'more.csv');
    writeFileSync(file, toCsv(referralRows(5, { seed: 4, prefix: 'X' })));
    const before = await withDatabase((store) => store.db.selectFrom('referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    const run = await roots(['import', 'referrals', file, '--as', 'icb@north.example']);
    expect(run.code).toBe(77);
    // The import service checks its actor first (authoriseImport), before the file is opened.
    expect(run.stderr).toMatch(/Your role does not allow this for this service\. \[FORBIDDEN\]/);
    expect(await withDatabase((store) => store.db.selectFrom('referral').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow())).toEqual(before);
    expect(await lastEntry()).toMatchObject({ actor: `staff:${await staffId('icb@north.example')}`, action: 'denied', subject_kind: 'import', detail: { wanted: 'import' } });
  });

  it('acts as an active member of staff, and refuses an unknown or deactivated one', async () => {
    const file = join(scratch, 'therapist.csv');
    writeFileSync(file, toCsv(referralRows(3, { seed: 5, prefix: 'T' })));
    const run = await roots(['--as', 'OT@north.example', 'import', 'referrals', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(await lastEntry()).toMatchObject({ actor: `staff:${await staffId('ot@north.example')}`, action: 'import' });
    for (const email of ['nobody@north.example', 'gone@north.example']) {
      const refused = await roots(['audit-trail', 'export', '--from', today, '--to', today, '--as', email]);
      expect(refused.code).toBe(77);
      expect(refused.stderr).toContain(`--as ${email}: no active member of staff has that email.`);
    }
  });

  it('runs the equity audit as the member of staff named, and records the read against them', async () => {
    const run = await roots(['audit', '--service', 'ot', '--from', '2025-01-01', '--to', '2025-12-31', '--as', 'icb@north.example']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty('disclosure');
    expect(await lastEntry()).toMatchObject({ actor: `staff:${await staffId('icb@north.example')}`, action: 'read', subject_kind: 'equity_audit' });
  });

  it('refuses --as on a command that only runs as the system actor, naming those that take it', async () => {
    const run = await roots(['service', 'list', '--as', 'admin@north.example']);
    expect(run.code).toBe(64);
    expect(run.stderr).toMatch(/roots service list runs as the system actor \(system:cli\) and does not take --as; --as works with roots import referrals/);
  });
});

describe(`roots audit-trail export on ${testEngine}`, () => {
  it('writes the day\'s trail as CSV to a file only its owner can read, and audits the export', async () => {
    const out = join(scratch, 'trail.csv');
    const run = await roots(['audit-trail', 'export', '--from', today, '--to', today, '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/audit trail entries, .* written to /);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['id', 'occurred_at', 'actor', 'action', 'subject_kind', 'subject_id', 'organisation_id', 'detail']);
    expect(rows.map((row) => row.action)).toEqual(expect.arrayContaining(['import', 'denied']));
    expect(await lastEntry()).toMatchObject({ actor: 'system:cli', action: 'export', subject_kind: 'audit_trail', detail: { entries: rows.length, format: 'csv' } });
  });

  it('writes JSON to standard output for an administrator, and refuses a therapist', async () => {
    const north = await withDatabase((store) => store.db.selectFrom('audit_event').select('id').where('organisation_id', 'is not', null).orderBy('id').execute());
    const run = await roots(['audit-trail', 'export', '--from', today, '--to', today, '--format', 'json', '--as', 'admin@north.example']);
    expect(run.code, run.stderr).toBe(0);
    // Only their organisation's entries (the system's own export of the trail has no organisation)
    const entries = JSON.parse(run.stdout) as { id: number }[];
    expect(entries.map((entry) => entry.id)).toEqual(north.map((row) => row.id));
    expect(entries.length).toBeGreaterThanOrEqual(3);
    const therapist = await roots(['audit-trail', 'export', '--from', today, '--to', today, '--as', 'ot@north.example']);
    expect(therapist.code).toBe(77);
    expect(therapist.stdout).toBe('');
    expect(await lastEntry()).toMatchObject({ action: 'denied', subject_kind: 'audit_trail' });
  });

  it('refuses an impossible day', async () => {
    const run = await roots(['audit-trail', 'export', '--from', '2026-02-30', '--to', '2026-03-31']);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('--from must be a day that exists, written YYYY-MM-DD (got "2026-02-30")');
  });
});

describe(`roots person export on ${testEngine}`, () => {
  it('writes everything held about a person, found by source id or NHS number, and audits it', async () => {
    const person = await withDatabase((store) => store.db.selectFrom('person').select(['id', 'source_person_id', 'nhs_number']).where('nhs_number', 'is not', null).orderBy('id').executeTakeFirstOrThrow());
    const out = join(scratch, 'person.json');
    const run = await roots(['person', 'export', '--organisation', 'NORTH', '--person', person.source_person_id, '--out', out, '--as', 'ot@north.example']);
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const found = JSON.parse(readFileSync(out, 'utf8'));
    expect(found.people).toHaveLength(1);
    expect(found.people[0].person).toMatchObject({ id: person.id, nhs_number: person.nhs_number });
    expect(found.people[0].referrals.length).toBeGreaterThan(0);
    expect(Object.keys(found.people[0])).toEqual(['person', 'referrals', 'triage', 'episodes', 'clockEvents', 'allocations', 'contacts', 'interventions', 'goals', 'notes', 'outcomeResponses', 'workReports', 'discharges', 'auditTrail']);
    expect(await lastEntry()).toMatchObject({ actor: `staff:${await staffId('ot@north.example')}`, action: 'export', subject_kind: 'person' });
    const byNhs = await roots(['person', 'export', '--organisation', 'NORTH', '--nhs-number', person.nhs_number!]);
    expect(byNhs.code, byNhs.stderr).toBe(0);
    expect(JSON.parse(byNhs.stdout).people[0].person.id).toBe(person.id);
    const commissioner = await roots(['person', 'export', '--organisation', 'NORTH', '--nhs-number', person.nhs_number!, '--as', 'icb@north.example']);
    expect(commissioner.code).toBe(77);
    expect(commissioner.stdout).toBe('');
  });
});

describe('the embedded database held by another process', () => {
  it('says exactly what to do: stop that process, or run Roots on PostgreSQL with DATABASE_URL', async () => {
    // Given a data folder locked by a live process (this test's own, standing in for roots serve)
    const dataDir = join(scratch, 'held');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'roots.lock'), String(process.pid));
    // When a command is run beside it
    const run = await runRoots(['audit-trail', 'export', '--from', today, '--to', today], { env: { DATABASE_URL: undefined, ROOTS_DATA_DIR: dataDir, ROOTS_DEMO: 'false' } });
    // Then it stops with DATA_DIR_IN_USE and the two ways out
    expect(run.code).toBe(75);
    expect(run.stderr).toContain(`is open in another Roots process (pid ${process.pid}), probably \`roots serve\``);
    expect(run.stderr).toContain(`stop that process (Ctrl+C in its terminal, or \`kill ${process.pid}\`) and run this command again`);
    expect(run.stderr).toContain('set DATABASE_URL=postgres://user@host:5432/db for `roots serve` and for every command');
    expect(run.stderr).toMatch(/\[DATA_DIR_IN_USE\]\n$/);
  });
});
