import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { buildApp } from '../../src/http/app.ts';
import { launchBrowser } from './browser.ts';
import { testConfig } from './config.ts';
import { createTestStore, type TestStore } from './database.ts';

/** The demo trust's service, as the demo data functions take it. */
export interface DemoService {
  id: number;
  organisationId: number;
}

export interface DemoApp {
  store: TestStore;
  app: FastifyInstance;
  browser: Browser;
  baseUrl: string;
  demo: DemoSignIn;
  service: DemoService;
  close(): Promise<void>;
}

/**
 * A browser journey's world: a fresh store with the demo organisation, whatever demo data
 * `prepare` adds to the demo trust's service, the app listening on a free port with a fixed day
 * (and time), and Chromium. `close` undoes it all.
 */
export async function startDemoApp(options: { today: string; now?: Date; prepare?: (store: TestStore, service: DemoService) => Promise<unknown> }): Promise<DemoApp> {
  const store = await createTestStore();
  const demo = (await createDemoOrganisation(store.db, null))!;
  const service = await store.db
    .selectFrom('service')
    .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
    .select(['service.id', 'service.organisation_id as organisationId'])
    .where('organisation.code', '=', demoOrganisationCode)
    .where('service.code', '=', demoServiceCode)
    .executeTakeFirstOrThrow();
  await options.prepare?.(store, service);
  const now = options.now;
  const app = await buildApp({ store, config: testConfig(), clock: () => options.today, ...(now ? { now: () => now } : {}) });
  const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await launchBrowser();
  return {
    store,
    app,
    browser,
    baseUrl,
    demo,
    service,
    async close() {
      await browser.close();
      await app.close();
      await store.close();
    },
  };
}
