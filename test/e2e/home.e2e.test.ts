import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation } from '../../src/demo/demo-organisation.ts';
import { buildApp } from '../../src/http/app.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';

// Given the Roots web application with the demo service, when a person opens the home page in
// a real browser, then it passes the accessibility checks, with and without JavaScript.
describe.skipIf(!browserAvailable)(`home page in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
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

  for (const javaScriptEnabled of [true, false]) {
    it(`has no accessibility violations with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      const response = await page.goto(baseUrl);
      expect(response?.status()).toBe(200);
      await expect(page.locator('h1')).toBeDefined();
      expect(await page.locator('h1').textContent()).toContain('Roots');
      expect(await page.locator('[data-testid="totals"]').count()).toBe(1);
      if (javaScriptEnabled) {
        // nhsuk-frontend ran: its initialisation marks the body.
        expect(await page.evaluate(() => document.body.className)).toContain('nhsuk-frontend-supported');
        expect(errors).toEqual([]);
        expect(await accessibilityViolations(page)).toEqual([]);
      }
      await context.close();
    });
  }

  it('reflows at 320 CSS pixels without horizontal scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    await page.goto(baseUrl);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });
});
