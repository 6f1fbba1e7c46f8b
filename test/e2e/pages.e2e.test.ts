import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation } from '../../src/demo/demo-organisation.ts';
import { buildApp } from '../../src/http/app.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';

// Given Roots with the demo service, when a person opens the footer pages (About, the
// accessibility statement, the privacy notice) in English and Welsh in a real browser, then
// each passes the accessibility checks, and the language switch takes them to the same page in
// the other language.
describe.skipIf(!browserAvailable)(`footer pages in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    store = await createTestStore();
    await createDemoOrganisation(store.db, null);
    app = await buildApp({ store, config: testConfig() });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  for (const path of ['/about', '/accessibility', '/privacy']) {
    it(`${path} has no accessibility violations in English and Welsh, and switches language`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      for (const language of ['en', 'cy']) {
        const response = await page.goto(`${baseUrl}${path}?lang=${language}`);
        expect(response?.status()).toBe(200);
        expect(await page.locator('html').getAttribute('lang')).toBe(language);
        expect(await accessibilityViolations(page)).toEqual([]);
      }
      // From the Welsh page, the switch leads to the English page at the same path.
      await page.locator('[data-testid="language-switch"]').click();
      expect(new URL(page.url()).pathname).toBe(path);
      expect(await page.locator('html').getAttribute('lang')).toBe('en');
      await context.close();
    });
  }
});
