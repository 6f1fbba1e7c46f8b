import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
 * `roots import` and `roots audit` as a person runs them: what reaches the terminal and the
 * error report from a hostile file, and which period `roots audit` chooses when given none.
 */
let scratch: string;
let testStore: TestStore | undefined;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'roots-import-audit-'));
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
  const created = await roots(['service', 'create', '--organisation', 'NORTH-OT', '--organisation-name', 'North OT', '--code', 'primary-ot', '--name', 'Primary care OT', '--setting', 'primary_care', '--icb', 'E54000057']);
  expect(created.code, created.stderr).toBe(0);
});
afterAll(async () => {
  await testStore?.close();
  rmSync(scratch, { recursive: true, force: true });
});

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
/** Anything that could move the cursor, recolour, retitle or reorder a terminal line. */
const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe(`roots import and roots audit on ${testEngine}`, () => {
  it('given a service with no referrals, roots audit with no period says so plainly instead of auditing an empty year', async () => {
    const run = await roots(['audit', '--service', 'primary-ot']);
    expect(run.code).toBe(66);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/Primary care OT has no referrals yet, so there is nothing to audit/);
  });

  it('given a header and cells carrying escape sequences and formulas, the terminal and the error report get them defused', async () => {
    const rows = [...referralRows(3, { seed: 9 })];
    rows[1]!.referral_source = '=HYPERLINK("http://example.com")\u001b[2J';
    rows[2]!.sex = '@SUM(A1)\u202e';
    const file = join(scratch, 'hostile\u001b]0;title\u0007.csv');
    writeFileSync(file, toCsv(rows));
    const run = await roots(['import', 'referrals', file, '--service', 'NORTH-OT/primary-ot']);
    expect(run.code).toBe(65);
    expect(run.stderr).toMatch(/IMPORT_REJECTED/);
    expect(run.stderr).toContain('\\u001b');
    expect(run.stderr).not.toMatch(unsafe);
    expect(run.stdout).not.toMatch(unsafe);
    const report = parse(readFileSync(join(scratch, 'hostile\u001b]0;title\u0007.errors.csv'), 'utf8')) as string[][];
    const values = report.slice(1).map((row) => row[3]);
    expect(values).toContain('\'=HYPERLINK("http://example.com")\u001b[2J');
    expect(values).toContain("'@SUM(A1)\u202e");

    const header = join(scratch, 'header.csv');
    writeFileSync(header, 'source_record_id,person_id,referral_received,referral_source,\u001b[31mcolour\u009b\n');
    const refused = await roots(['import', 'referrals', header, '--service', 'NORTH-OT/primary-ot']);
    expect(refused.code).toBe(65);
    expect(refused.stderr).toMatch(/unknown columns: \\u001b\[31mcolour\\u009b/);
    expect(refused.stderr).not.toMatch(unsafe);
  });

  it('given a Windows-1252 file, says it is not UTF-8 and where; given a 10 MB cell, reports it once', async () => {
    const header = 'source_record_id,person_id,referral_received,referral_source';
    const latin = join(scratch, 'excel.csv');
    writeFileSync(latin, Buffer.concat([Buffer.from(`${header}\nR1,P1,2025-01-02,self\nR2,P2,2025-01-03,gp,Caf`), Buffer.from([0xe9]), Buffer.from('\n')]));
    const refused = await roots(['import', 'referrals', latin, '--service', 'NORTH-OT/primary-ot', '--accept-partial']);
    expect(refused.code).toBe(65);
    expect(refused.stderr).toMatch(/This file is not UTF-8 \(it looks like Windows-1252\): save it as CSV UTF-8 .*line 3, byte \d+ of excel\.csv: 0xE9, which Windows-1252 reads as "é"\. Nothing was imported\./);
    const huge = join(scratch, 'huge.csv');
    writeFileSync(huge, `${header}\nR1,P1,2025-01-02,self\nR2,P2,2025-01-03,${'x'.repeat(10_000_000)}\nR3,P3,2025-01-04,gp\n`);
    const once = await roots(['import', 'referrals', huge, '--service', 'NORTH-OT/primary-ot', '--dry-run']);
    expect(once.code).toBe(65);
    const report = parse(readFileSync(join(scratch, 'huge.errors.csv'), 'utf8')) as string[][];
    expect(report.slice(1).map((row) => row[4])).toEqual([expect.stringMatching(/^the record starting on line 3 is longer than 1,000,000 characters/)]);
    expect(once.stderr.match(/longer than 1,000,000 characters/g)).toHaveLength(1);
  });

  it('given referrals, roots audit with no period audits the 12 months ending at the latest referral and says so', async () => {
    const rows = [...referralRows(40, { seed: 5 })];
    const file = join(scratch, 'referrals.csv');
    writeFileSync(file, toCsv(rows));
    const imported = await roots(['import', 'referrals', file, '--service', 'NORTH-OT/primary-ot']);
    expect(imported.code, imported.stderr).toBe(0);
    const latest = rows.map((row) => row.referral_received).sort().at(-1)!;
    const start = new Date(`${latest}T00:00:00Z`);
    start.setUTCFullYear(start.getUTCFullYear() - 1);
    start.setUTCDate(start.getUTCDate() + 1);
    const from = start.toISOString().slice(0, 10);

    const run = await roots(['audit', '--service', 'primary-ot']);
    expect(run.code, run.stderr).toBe(0);
    const audit = JSON.parse(run.stdout) as { period: { from: string; to: string }; total: { counts: { referrals: number | null } } };
    expect(audit.period).toMatchObject({ from, to: latest });
    expect(audit.total.counts.referrals).toBeGreaterThan(0);
    expect(run.stderr).toContain(`No period given: auditing the 12 months ending at the latest referral, ${from} to ${latest}.`);

    // A period given is audited as given, and nothing is said about choosing one.
    const given = await roots(['audit', '--service', 'primary-ot', '--from', '2020-01-01', '--to', '2020-12-31']);
    expect(given.code, given.stderr).toBe(0);
    expect(JSON.parse(given.stdout).period).toMatchObject({ from: '2020-01-01', to: '2020-12-31' });
    expect(given.stderr).toBe('');
  });
});
