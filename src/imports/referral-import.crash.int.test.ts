import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { stringify } from 'csv-stringify/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../test/support/database.ts';
import { referralRows, toCsv, type ReferralRow } from '../../test/import/referral-rows.ts';
import { openStore, type Store } from '../store/database.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { referralColumns } from './referral-row.schema.ts';

/**
 * Crash safety, at process level: `roots import referrals` is killed with SIGKILL part-way
 * through, the database is checked for consistency, and a second run completes the import.
 *
 * The child reads its file from a named pipe that this test fills and never closes, so the
 * child cannot finish before it is killed. Because the pipe applies back-pressure and the
 * import reads one batch ahead of its writes, once this test has pushed PUSHED rows the child
 * has provably consumed (and, in partial mode, committed) several batches: no timing guesses.
 */
const bin = new URL('../../bin/roots', import.meta.url).pathname;
const BATCH = 100;
const TOTAL = 4000;
const PUSHED = 2600;
const rows = [...referralRows(TOTAL, { seed: 77 })];

let scratch: string;
let testStore: TestStore | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'roots-crash-'));
  writeFileSync(join(scratch, 'all.csv'), toCsv(rows));
});
afterAll(async () => {
  await testStore?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** A fresh database with one service, and how a child process reaches it. */
async function freshDatabase(): Promise<Record<string, string>> {
  if (testEngine === 'postgresql') {
    await testStore?.close();
    testStore = await createTestStore();
    await createService(testStore);
    return { DATABASE_URL: testStore.databaseUrl! };
  }
  dataDir = mkdtempSync(join(scratch, 'data-'));
  const store = await openStore({ dataDir });
  await migrateToLatest(store.db);
  await createService(store);
  // Only one process may open an embedded data directory: let go before the child starts.
  await store.close();
  return { ROOTS_DATA_DIR: dataDir };
}

async function createService(store: Store): Promise<void> {
  const organisation = await store.db.insertInto('organisation').values({ code: 'CRASH', name: 'Crash test' }).returning('id').executeTakeFirstOrThrow();
  await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'OT', setting: 'primary_care' }).execute();
}

/** Runs checks against the database between child processes. */
async function withDatabase<T>(work: (store: Store) => Promise<T>): Promise<T> {
  if (testStore) return work(testStore);
  const store = await openStore({ dataDir: dataDir! });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function roots(args: string[], env: Record<string, string>): ChildProcess {
  const childEnv: Record<string, string> = { ...(process.env as Record<string, string>), ROOTS_DEMO: 'false', ROOTS_PROGRESS: '0', ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  return spawn(process.execPath, [bin, ...args], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
}

async function finished(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
}

/** Starts an import reading from a named pipe, pushes PUSHED rows into it, then kills it. */
async function killMidImport(env: Record<string, string>, extraArgs: string[]): Promise<void> {
  const pipe = join(scratch, `pipe-${Date.now()}.csv`);
  execFileSync('mkfifo', [pipe]);
  const child = roots(['import', 'referrals', pipe, '--batch-size', String(BATCH), ...extraArgs], env);
  const exit = finished(child);
  const out = createWriteStream(pipe);
  out.on('error', () => {}); // EPIPE once the reader is gone
  // Each write's callback fires once the pipe has taken it, i.e. once the child has read all
  // but what the pipe and its own buffers hold (a few hundred kilobytes at most).
  const write = (text: string) => new Promise<void>((resolve, reject) => out.write(text, (error) => (error ? reject(error) : resolve())));
  const push = async () => {
    await write(stringify([[...referralColumns]]));
    for (let start = 0; start < PUSHED; start += 50) {
      await write(stringify(rows.slice(start, Math.min(start + 50, PUSHED)).map((row) => referralColumns.map((column) => row[column]))));
    }
  };
  const pushed = await Promise.race([push().then(() => 'pushed' as const), exit.then(() => 'exited' as const)]);
  if (pushed === 'exited') throw new Error(`roots exited before it could be killed: ${(await exit).stderr}`);
  child.kill('SIGKILL');
  const result = await exit;
  out.destroy();
  expect(result.signal).toBe('SIGKILL');
}

async function runToEnd(env: Record<string, string>, extraArgs: string[] = []) {
  const result = await finished(roots(['import', 'referrals', join(scratch, 'all.csv'), '--batch-size', '1000', ...extraArgs], env));
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { inserted: number; unchanged: number; updated: number; rejected: number; outcome: string };
}

/** What the first `n` rows should leave in each table. */
function expectedCounts(n: number) {
  const first = rows.slice(0, n);
  const accepted = first.filter((row) => row.triage_outcome === 'accept');
  const clockEvents = (row: ReferralRow) => 1 + (row.clock_pauses ? 2 : 0) + (row.first_contact_date || row.discharge_date ? 1 : 0);
  return {
    referral: n,
    person: new Set(first.map((row) => row.person_id)).size,
    triage: first.filter((row) => row.triage_outcome).length,
    episode: accepted.length,
    waiting_clock_event: accepted.reduce((sum, row) => sum + clockEvents(row), 0),
    discharge: first.filter((row) => row.discharge_date).length,
    outcome_response: first.reduce((sum, row) => sum + (row.outcome_baseline_score ? 1 : 0) + (row.outcome_final_score ? 1 : 0), 0),
  };
}

async function tableCounts(store: Store) {
  const { rows: counted } = await sql<{ name: string; n: number }>`
    select 'referral' as name, count(*) as n from referral union all select 'person', count(*) from person
    union all select 'triage', count(*) from triage union all select 'episode', count(*) from episode
    union all select 'waiting_clock_event', count(*) from waiting_clock_event union all select 'discharge', count(*) from discharge
    union all select 'outcome_response', count(*) from outcome_response union all select 'import_run', count(*) from import_run
    union all select 'audit_event', count(*) from audit_event`.execute(store.db);
  return Object.fromEntries(counted.map((row) => [row.name, Number(row.n)]));
}

/** Referrals without their person, accepted referrals without an episode, episodes without a clock start. */
async function inconsistencies(store: Store): Promise<number> {
  const { rows: found } = await sql<{ n: number }>`
    select (select count(*) from referral r left join person p on p.id = r.person_id where p.id is null)
         + (select count(*) from referral r join triage t on t.referral_id = r.id left join episode e on e.referral_id = r.id
            where (t.outcome = 'accept') <> (e.id is not null))
         + (select count(*) from episode e where not exists (select 1 from waiting_clock_event c where c.episode_id = e.id and c.kind = 'start'))
         + (select count(*) from referral r where not exists (select 1 from triage t where t.referral_id = r.id) and r.status not in ('received', 'discharged'))
      as n`.execute(store.db);
  return Number(found[0]!.n);
}

describe(`roots import killed with SIGKILL on ${testEngine}`, () => {
  it('all or nothing: a killed import leaves nothing behind, and a re-run imports everything', async () => {
    const env = await freshDatabase();
    await killMidImport(env, []);

    await withDatabase(async (store) => {
      const counts = await tableCounts(store);
      expect(counts).toEqual({ referral: 0, person: 0, triage: 0, episode: 0, waiting_clock_event: 0, discharge: 0, outcome_response: 0, import_run: 0, audit_event: 0 });
    });

    const summary = await runToEnd(env);
    expect(summary).toMatchObject({ outcome: 'committed', inserted: TOTAL, unchanged: 0, rejected: 0 });
    await withDatabase(async (store) => {
      expect(await tableCounts(store)).toEqual({ ...expectedCounts(TOTAL), import_run: 1, audit_event: 1 });
      expect(await inconsistencies(store)).toBe(0);
    });
  }, 240_000);

  it('accept partial: a killed import keeps whole batches only, and a re-run completes it', async () => {
    const env = await freshDatabase();
    await killMidImport(env, ['--accept-partial']);

    const committed = await withDatabase(async (store) => {
      const counts = await tableCounts(store);
      const landed = counts.referral!;
      // Whole batches only, and at least one: the child had read well past its first batch.
      expect(landed % BATCH).toBe(0);
      expect(landed).toBeGreaterThanOrEqual(BATCH);
      expect(landed).toBeLessThanOrEqual(PUSHED);
      expect(counts).toEqual({ ...expectedCounts(landed), import_run: 1, audit_event: 1 });
      expect(await inconsistencies(store)).toBe(0);
      // The landed rows are the first ones of the file, and the import run says so.
      const ids = await store.db.selectFrom('referral').select('source_record_id').orderBy('source_record_id').execute();
      expect(ids.map((r) => r.source_record_id)).toEqual(rows.slice(0, landed).map((row) => row.source_record_id));
      const run = await store.db.selectFrom('import_run').selectAll().executeTakeFirstOrThrow();
      expect(run).toMatchObject({ outcome: 'partial', finished_at: null, rows_inserted: landed, rows_read: landed, rows_rejected: 0 });
      return landed;
    });

    const summary = await runToEnd(env, ['--accept-partial']);
    expect(summary).toMatchObject({ outcome: 'committed', inserted: TOTAL - committed, unchanged: committed, updated: 0, rejected: 0 });
    await withDatabase(async (store) => {
      expect(await tableCounts(store)).toEqual({ ...expectedCounts(TOTAL), import_run: 2, audit_event: 2 });
      expect(await inconsistencies(store)).toBe(0);
    });
  }, 240_000);
});
