import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, demoSmallProviderCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { buildApp } from '../../src/http/app.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';

const axeTimeout = 120_000;

// Given the demo data (NHS Greater Manchester ICB commissioning two providers' services), when the
// demo commissioner signs in and opens /commissioning in a real browser, then the page lists both
// services with links to their aggregate audits, in English and Welsh, with no accessibility
// violations; a team lead signing in is refused the page.
describe.skipIf(!browserAvailable)(`commissioning page in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;

  beforeAll(async () => {
    store = await createTestStore();
    demo = (await createDemoOrganisation(store.db, null))!;
    app = await buildApp({ store, config: testConfig() });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  async function signedIn(role: string): Promise<Page> {
    const page = await (await browser.newContext()).newPage();
    // Asking for the page first goes through sign-in and comes back to it.
    await page.goto(`${baseUrl}/commissioning`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email address').fill(demo.users.find((user) => user.role === role)!.email);
    await page.getByLabel('Password').fill(demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }

  it('shows the commissioner every commissioned service, accessibly, in English and Welsh', async () => {
    const page = await signedIn('commissioner');
    expect(new URL(page.url()).pathname).toBe('/commissioning');
    expect(await page.locator('h1').textContent()).toBe('Services you commission');
    expect(await page.locator('[data-testid="commissioned-services"] tbody tr').count()).toBe(2);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}/commissioning?lang=cy`);
    expect(await page.locator('h1').textContent()).toBe('Gwasanaethau rydych yn eu comisiynu');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}/commissioning`);
    await page.locator(`a[data-service^="${demoSmallProviderCode}/"]`).click();
    expect(new URL(page.url()).pathname).toBe('/equity');
    expect(await page.locator('h1').textContent()).toContain('small provider');
    await page.context().close();
  }, axeTimeout);

  it('refuses a team lead', async () => {
    const page = await signedIn('team_lead');
    expect(await page.locator('h1').textContent()).toBe('You do not have access to this');
    await page.context().close();
  }, axeTimeout);
});
