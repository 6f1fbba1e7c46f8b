import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * One writer: `recordAuditTrail` (audit-trail.repository.ts) is the only code that inserts into
 * `audit_event`. This test reads every source file of Roots (not tests: they may plant rows to
 * prove the table refuses changes) and fails on a second writer, in Kysely or in SQL.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const theWriter = ['src', 'audit-trail', 'audit-trail.repository.ts'].join('/');
const writes = [/insertInto\(\s*['"`]audit_event['"`]/, /insert\s+into\s+(?:public\.)?"?audit_event"?/i, /copy\s+"?audit_event"?/i];

function* sourceFiles(folder: string): Generator<string> {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|js|mjs|sql)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) yield path;
  }
}

function auditTrailWriters(folders: string[]): string[] {
  const found: string[] = [];
  for (const folder of folders) {
    for (const file of sourceFiles(join(root, folder))) {
      const text = readFileSync(file, 'utf8');
      if (writes.some((pattern) => pattern.test(text))) found.push(relative(root, file).split(sep).join('/'));
    }
  }
  return found.sort();
}

describe('the audit trail has one writer', () => {
  it('finds inserts into audit_event only in recordAuditTrail', () => {
    expect(auditTrailWriters(['src', 'bin', 'bench'])).toEqual([theWriter]);
  });

  it('would notice a second writer, in Kysely or in SQL', () => {
    expect(writes.some((pattern) => pattern.test(`await trx.insertInto('audit_event').values(row)`))).toBe(true);
    expect(writes.some((pattern) => pattern.test('INSERT INTO audit_event (actor) values ($1)'))).toBe(true);
    expect(writes.some((pattern) => pattern.test(`db.selectFrom('audit_event')`))).toBe(false);
  });
});
