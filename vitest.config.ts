import { defineConfig } from 'vitest/config';

// One suite for both engines: DATABASE_URL unset runs store tests on embedded PGlite,
// set runs them on that PostgreSQL server (see test/support/database.ts).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bin/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: false } },
    reporters: ['default'],
  },
});
