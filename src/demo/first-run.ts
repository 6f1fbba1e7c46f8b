import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config/config.ts';
import type { Logger } from '../logging/logger.ts';
import type { Store } from '../store/database.ts';
import { createDemoOrganisation, type DemoSignIn } from './demo-organisation.ts';

export interface FirstRunReport {
  referenceImported: boolean;
  demoCreated: boolean;
  signIn: DemoSignIn | null;
  signInFile: string;
}

/** Where the demo sign-in details are kept between starts (beside the embedded data folder). */
export function signInFile(config: Config): string {
  return join(dirname(config.dataDir), 'demo-sign-in.json');
}

/**
 * Everything a first start needs, each step skipped when already done, so later starts are fast:
 * reference data (when ROOTS_REFERENCE_DIR is set), then the demo organisation and service.
 */
export async function prepareFirstRun(store: Store, config: Config, logger: Logger): Promise<FirstRunReport> {
  const report: FirstRunReport = { referenceImported: false, demoCreated: false, signIn: null, signInFile: signInFile(config) };
  if (config.demo.enabled) {
    const signIn = await createDemoOrganisation(store.db, null);
    if (signIn) {
      report.demoCreated = true;
      mkdirSync(dirname(report.signInFile), { recursive: true });
      writeFileSync(report.signInFile, `${JSON.stringify(signIn, null, 2)}\n`, { mode: 0o600 });
      logger.info('demo organisation created');
    }
    report.signIn = readSignIn(report.signInFile);
  }
  return report;
}

function readSignIn(path: string): DemoSignIn | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DemoSignIn;
  } catch {
    return null;
  }
}
