import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/access/password.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { runRoots } from '../support/cli.ts';
import { createTestStore, testEngine, type TestStore } from '../support/database.ts';

/**
 * `roots user` and `roots token list|revoke`, as an operator would run them: every change acts
 * as system:cli, is audited, and deactivation and password resets end the member of staff's
 * sessions.
 */
let scratch: string;
let testStore: TestStore | undefined;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'roots-user-'));
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
    await store.db.insertInto('organisation').values([{ code: 'NORTH', name: 'North' }, { code: 'SOUTH', name: 'South' }]).execute();
  });
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

const roots = (args: string[], input?: string) => runRoots(args, { env: { ...env, ROOTS_DEMO: 'false' }, ...(input !== undefined ? { input } : {}) });

describe(`roots user and roots token on ${testEngine}`, () => {
  it('creates a member of staff with a one-time password that verifies, saying it acts as system:cli', async () => {
    const run = await roots(['user', 'create', '--organisation', 'NORTH', '--email', 'Ana@North.example', '--name', 'Ana Lewis', '--role', 'administrator']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('acting as system:cli');
    const out = JSON.parse(run.stdout);
    expect(out.user).toMatchObject({ organisation: 'NORTH', email: 'ana@north.example', role: 'administrator', active: true });
    expect(out.oneTimePassword).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const stored = await withDatabase((store) => store.db.selectFrom('staff_user').select(['password_hash', 'password_changed_at']).where('email', '=', 'ana@north.example').executeTakeFirstOrThrow());
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored.password_hash!, out.oneTimePassword)).toBe(true);
    const audit = await withDatabase((store) => store.db.selectFrom('audit_event').select(['actor', 'action', 'subject_kind', 'detail']).where('action', '=', 'create').execute());
    expect(audit).toEqual([expect.objectContaining({ actor: 'system:cli', subject_kind: 'staff_user' })]);
    expect(JSON.stringify(audit)).not.toContain('ana@');
  });

  it('reads a password from standard input, and refuses bad values and duplicates', async () => {
    const piped = await roots(['user', 'create', '--organisation', 'SOUTH', '--email', 'sam@south.example', '--name', 'Sam', '--role', 'therapist', '--password-stdin'], 'a-long-enough-password\n');
    expect(piped.code, piped.stderr).toBe(0);
    expect(JSON.parse(piped.stdout).oneTimePassword).toBeUndefined();
    const hash = await withDatabase((store) => store.db.selectFrom('staff_user').select('password_hash').where('email', '=', 'sam@south.example').executeTakeFirstOrThrow());
    expect(await verifyPassword(hash.password_hash!, 'a-long-enough-password')).toBe(true);

    const bad = await roots(['user', 'create', '--organisation', 'SOUTH', '--email', 'not-an-email', '--name', '', '--role', 'wizard']);
    expect(bad.code).toBe(65);
    expect(bad.stderr).toMatch(/email: must be an email address/);
    expect(bad.stderr).toMatch(/role: must be one of/);
    const again = await roots(['user', 'create', '--organisation', 'SOUTH', '--email', 'SAM@south.example', '--name', 'Sam', '--role', 'therapist']);
    expect(again.code).toBe(73);
    const nowhere = await roots(['user', 'create', '--organisation', 'WEST', '--email', 'x@west.example', '--name', 'X', '--role', 'therapist']);
    expect(nowhere.code).toBe(66);
  });

  it('lists staff, all or one organisation', async () => {
    const all = await roots(['user', 'list']);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout).map((u: { email: string }) => u.email)).toEqual(['ana@north.example', 'sam@south.example']);
    const south = await roots(['user', 'list', '--organisation', 'SOUTH']);
    expect(JSON.parse(south.stdout).map((u: { email: string }) => u.email)).toEqual(['sam@south.example']);
  });

  it('resets a password and deactivates an account, ending their sessions', async () => {
    const live = async () =>
      withDatabase(async (store) => {
        const user = await store.db.selectFrom('staff_user').select('id').where('email', '=', 'sam@south.example').executeTakeFirstOrThrow();
        const now = new Date();
        await store.db.insertInto('staff_session').values({ id: 'a'.repeat(63) + String(Math.floor(Math.random() * 10)), staff_user_id: user.id, authentication_method: 'password', created_at: now, last_seen_at: now, expires_at: new Date(now.getTime() + 3_600_000), revoked_at: null, revoked_reason: null }).execute();
      });
    await live();
    const reset = await roots(['user', 'reset-password', '--email', 'sam@south.example']);
    expect(reset.code, reset.stderr).toBe(0);
    const out = JSON.parse(reset.stdout);
    expect(out.sessionsRevoked).toBe(1);
    const hash = await withDatabase((store) => store.db.selectFrom('staff_user').select('password_hash').where('email', '=', 'sam@south.example').executeTakeFirstOrThrow());
    expect(await verifyPassword(hash.password_hash!, out.oneTimePassword)).toBe(true);
    expect(await verifyPassword(hash.password_hash!, 'a-long-enough-password')).toBe(false);

    await withDatabase((store) => store.db.deleteFrom('staff_session').execute());
    await live();
    const deactivate = await roots(['user', 'deactivate', '--email', 'sam@south.example']);
    expect(deactivate.code, deactivate.stderr).toBe(0);
    expect(JSON.parse(deactivate.stdout)).toMatchObject({ user: { active: false }, sessionsRevoked: 1, alreadyDeactivated: false });
    const sessions = await withDatabase((store) => store.db.selectFrom('staff_session').select('revoked_reason').execute());
    expect(sessions).toEqual([{ revoked_reason: 'deactivated' }]);
    expect((await roots(['user', 'deactivate', '--email', 'nobody@south.example'])).code).toBe(66);
  });

  it('lists tokens without their secrets and revokes one', async () => {
    const created = await roots(['token', 'create', '--email', 'ana@north.example', '--label', 'reports']);
    expect(created.code, created.stderr).toBe(0);
    const { token } = JSON.parse(created.stdout);
    const list = await roots(['token', 'list', '--email', 'ana@north.example']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stderr).toContain('acting as system:cli');
    const tokens = JSON.parse(list.stdout);
    expect(tokens).toEqual([expect.objectContaining({ email: 'ana@north.example', label: 'reports', revokedAt: null })]);
    expect(list.stdout).not.toContain(token);
    const revoke = await roots(['token', 'revoke', '--id', String(tokens[0].id)]);
    expect(revoke.code, revoke.stderr).toBe(0);
    expect(JSON.parse(revoke.stdout).token.revokedAt).not.toBeNull();
    expect((await roots(['token', 'revoke', '--id', '999'])).code).toBe(66);
    expect((await roots(['token', 'revoke', '--id', 'x'])).code).toBe(64);
    const audit = await withDatabase((store) => store.db.selectFrom('audit_event').select(['actor', 'subject_kind']).where('subject_kind', '=', 'api_token').where('action', '=', 'update').execute());
    expect(audit).toEqual([{ actor: 'system:cli', subject_kind: 'api_token' }]);
  });
});
