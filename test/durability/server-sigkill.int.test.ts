import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/access/api-token.repository.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { rootsBin } from '../support/cli.ts';
import { createTestStore, testEngine } from '../support/database.ts';

/**
 * Given a running server, when a client has had referrals acknowledged and the server is then
 * killed with SIGKILL (no chance to flush or close), then every acknowledged referral is in the
 * database when it is opened again, on the engine the suite runs on.
 */
describe(`an acknowledged referral survives SIGKILL of the server (${testEngine})`, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('keeps every referral the server answered 201 for', async () => {
    // The database the server will use: a PostgreSQL test database, or an embedded data folder
    // that only the server has open (one process per PGlite folder).
    let env: Record<string, string>;
    let reopen: () => Promise<Store>;
    let seedStore: Store;
    if (testEngine === 'postgresql') {
      const store = await createTestStore();
      cleanups.push(() => store.close());
      seedStore = store;
      env = { DATABASE_URL: store.databaseUrl! };
      reopen = async () => ({ ...store, close: async () => {} });
    } else {
      const dataDir = join(mkdtempSync(join(tmpdir(), 'roots-sigkill-')), 'data');
      cleanups.push(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));
      seedStore = await openStore({ dataDir });
      await migrateToLatest(seedStore.db);
      env = { ROOTS_DATA_DIR: dataDir };
      reopen = () => openStore({ dataDir });
    }
    const organisation = await seedStore.db.insertInto('organisation').values({ code: 'KILL', name: 'Kill Trust' }).returning('id').executeTakeFirstOrThrow();
    await seedStore.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'OT', setting: 'primary_care' }).execute();
    await seedStore.db.insertInto('staff_user').values({ organisation_id: organisation.id, email: 'ot@kill.example', display_name: 'OT', role: 'therapist' }).execute();
    const { token } = await createApiToken(seedStore.db, { email: 'ot@kill.example', label: 'test', days: 1 });
    if (testEngine === 'pglite') await seedStore.close();

    const server = spawn(process.execPath, [rootsBin, 'serve'], {
      env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1', ROOTS_DEMO: 'false', ROOTS_REFERENCE_DIR: 'none', LOG_LEVEL: 'warn', ROOTS_PROGRESS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(() => {
      if (server.exitCode === null) server.kill('SIGKILL');
    });
    const url = await listeningUrl(server);

    const acknowledged: string[] = [];
    const send = (id: string) =>
      fetch(`${url}/api/v1/services/ot/referrals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ source_record_id: id, person_id: `P-${id}`, referral_received: '2026-11-01', referral_source: 'gp', triage_date: '2026-11-02', pathway: 'frailty_falls', priority: 'P2', triage_outcome: 'accept' }),
      });
    for (let i = 1; i <= 12; i++) {
      const response = await send(`K-${i}`);
      expect(response.status, await response.clone().text()).toBe(201);
      acknowledged.push(`K-${i}`);
    }
    // One more request in flight when the server dies: it may or may not land, but must not
    // leave a half-written referral behind.
    const inFlight = send('K-13').catch(() => null);
    server.kill('SIGKILL');
    await new Promise((resolve) => server.once('exit', resolve));
    await inFlight;

    const store = await reopen();
    try {
      const saved = await store.db.selectFrom('referral').select('source_record_id').execute();
      const ids = saved.map((row) => row.source_record_id);
      for (const id of acknowledged) expect(ids).toContain(id);
      // Consistent: every referral has its person, triage and waiting-list episode.
      const complete = await store.db
        .selectFrom('referral')
        .innerJoin('person', 'person.id', 'referral.person_id')
        .innerJoin('triage', 'triage.referral_id', 'referral.id')
        .innerJoin('episode', 'episode.referral_id', 'referral.id')
        .select('referral.source_record_id')
        .execute();
      expect(complete.map((row) => row.source_record_id).sort()).toEqual([...ids].sort());
    } finally {
      await store.close();
    }
  }, 180_000);
});

function listeningUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 120_000);
    server.stderr!.on('data', (chunk) => {
      output += chunk;
      const match = /Roots is running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    server.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}
