import { loadConfig, type Config } from '../../src/config/config.ts';

/** Configuration for tests: defaults, quiet logs, no demo data, plus any overrides. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ LOG_LEVEL: 'silent', ROOTS_DEMO: 'false', ROOTS_DATA_DIR: 'unused', ROOTS_REFERENCE_DIR: 'none', ...overrides });
}
