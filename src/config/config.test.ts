import { describe, expect, it } from 'vitest';
import { RootsError } from '../errors/roots-error.ts';
import { describeDatabase, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({ ROOTS_REFERENCE_DIR: 'none' });
    expect(config).toMatchObject({ databaseUrl: undefined, port: 3000, host: '127.0.0.1', logLevel: 'info', referenceDir: undefined, demo: { enabled: true } });
    expect(config.dataDir).toMatch(/\.roots[/\\]data$/);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', ROOTS_REFERENCE_DIR: 'none' }).port).toBe(3000);
  });

  it('reports every bad variable at once, by name, with no value echoed for the URL', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://user:secret@db/x', ROOTS_DEMO: 'maybe', ROOTS_REFERENCE_DIR: '/no/such/folder' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RootsError);
      const rootsError = error as RootsError;
      expect(rootsError.code).toBe('CONFIG_INVALID');
      expect(rootsError.problems.map((p) => p.field).sort()).toEqual(['DATABASE_URL', 'PORT', 'ROOTS_DEMO', 'ROOTS_REFERENCE_DIR']);
      expect(rootsError.message).not.toContain('secret');
    }
  });

  it('describes the database without a password', () => {
    expect(describeDatabase({ databaseUrl: 'postgres://roots:hunter2@db.example:6543/roots', dataDir: 'x' })).toBe('PostgreSQL at db.example:6543/roots');
    expect(describeDatabase({ databaseUrl: undefined, dataDir: '/data' })).toBe('embedded PGlite in /data');
  });
});
