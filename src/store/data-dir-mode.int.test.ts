import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from './database.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * The embedded data folder holds every record Roots keeps: nobody but its owner may write (or
 * read) it. PGlite writes its files through Node's fs with mode 0666, whatever the umask, so
 * Roots tightens the tree itself. Runs on the embedded engine whichever engine the suite uses.
 */
const scratch = mkdtempSync(join(tmpdir(), 'roots-mode-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function loose(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if ((lstatSync(path).mode & 0o077) !== 0 && !entry.isSymbolicLink()) found.push(`${path} ${(lstatSync(path).mode & 0o777).toString(8)}`);
    if (entry.isDirectory()) found.push(...loose(path));
  }
  return found;
}

function count(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => sum + 1 + (entry.isDirectory() ? count(join(dir, entry.name)) : 0), 0);
}

describe('embedded data folder permissions', () => {
  it('given a new folder, when a store is opened, migrated and closed, then it is 0700 and nothing in it is open to group or others', async () => {
    const dataDir = join(scratch, 'fresh', 'data');
    const store = await openStore({ dataDir });
    // While it runs, the top folder already shuts everyone else out.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    await migrateToLatest(store.db);
    await store.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(count(dataDir)).toBeGreaterThan(500);
    expect(loose(dataDir)).toEqual([]);
  });

  it('given an existing folder left open by an earlier version, when a store is opened, then it is tightened', async () => {
    const dataDir = join(scratch, 'old');
    mkdirSync(dataDir, { recursive: true });
    const first = await openStore({ dataDir });
    await first.close();
    chmodSync(dataDir, 0o777);
    chmodSync(join(dataDir, 'postgresql.conf'), 0o666);
    const second = await openStore({ dataDir });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(loose(dataDir)).toEqual([]);
    await second.close();
  });
});
