import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { addDemoTriageReferrals } from '../../src/demo/triage-demo.ts';
import { buildApp } from '../../src/http/app.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';

const timeout = 180_000;

// Given the demo service with referrals awaiting triage, when a therapist signs in, opens the
// triage queue, finds the highest-risk referral and triages it (JavaScript on and off, English
// and Welsh), then every page has no accessibility violations and no horizontal scroll at
// 320 px, and a team lead who had the same referral open gets the conflict message.
describe.skipIf(!browserAvailable)(`triage journey in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;
  const javaScriptOn = new WeakSet<Page>();

  beforeAll(async () => {
    store = await createTestStore();
    demo = (await createDemoOrganisation(store.db, null))!;
    const service = await store.db
      .selectFrom('service')
      .innerJoin('organisation', 'organisation.id', 'service.organisation_id')
      .select(['service.id', 'service.organisation_id as organisationId'])
      .where('organisation.code', '=', demoOrganisationCode)
      .where('service.code', '=', demoServiceCode)
      .executeTakeFirstOrThrow();
    await addDemoTriageReferrals(store, service, '2026-11-21');
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  async function signedIn(role: string, options: { javaScript: boolean; width?: number }): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: options.javaScript, viewport: { width: options.width ?? 1024, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    if (options.javaScript) javaScriptOn.add(page);
    await page.goto(`${baseUrl}/triage`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email address').fill(demo.users.find((user) => user.role === role)!.email);
    await page.getByLabel('Password').fill(demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/triage');
    return page;
  }

  /**
   * No accessibility violation, and no horizontal scroll at 320 px wide. Axe and the scroll
   * measure run scripts in the page, so they run in the JavaScript-on journeys (which visit the
   * same pages, in both languages); the JavaScript-off journey proves the pages work without it.
   */
  async function check(page: Page): Promise<void> {
    if (!javaScriptOn.has(page)) return;
    expect(await accessibilityViolations(page), page.url()).toEqual([]);
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal scroll at 320 px on ${page.url()}`).toBeLessThanOrEqual(0);
    await page.setViewportSize(size);
  }

  for (const run of [
    { javaScript: true, language: 'en' as const, flag: 'lives_alone' },
    { javaScript: true, language: 'cy' as const, flag: 'lives_alone' },
    { javaScript: false, language: 'cy' as const, flag: 'interpreter' },
  ]) {
    it(`a therapist finds and triages a referral (JavaScript ${run.javaScript ? 'on' : 'off'}, ${run.language === 'en' ? 'English' : 'Welsh'})`, async () => {
      const page = await signedIn('therapist', { javaScript: run.javaScript });
      if (run.language === 'cy') await page.goto(`${baseUrl}/triage?lang=cy`);
      await check(page);
      await page.locator(`a[data-service="${demoServiceCode}"]`).click();
      expect(await page.locator('h1').textContent()).toBe(run.language === 'en' ? 'Triage queue' : 'Ciw brysbennu');
      await check(page);
      // The filters are a GET form: only referrals with one flag.
      await page.locator(`input[name="flag"][value="${run.flag}"]`).check();
      await page.locator('[data-testid="queue-filters"] button').click();
      expect(new URL(page.url()).searchParams.getAll('flag')).toEqual([run.flag]);
      const rows = page.locator('[data-testid="triage-queue"] tbody tr');
      const count = await rows.count();
      expect(count).toBeGreaterThanOrEqual(1);
      // The first is the highest risk score.
      const scores: number[] = [];
      for (const cell of await page.locator('[data-score]').all()) scores.push(Number(await cell.getAttribute('data-score')));
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
      await rows.first().locator('a').click();
      expect(new URL(page.url()).pathname).toMatch(/^\/referrals\/\d+\/triage$/);
      expect(await page.locator(`[data-flag="${run.flag}"]`).count()).toBe(1);
      await check(page);
      // A missing pathway is shown in the error summary, linked to the field, in the page's language.
      await page.locator('input[name="outcome"][value="accept"]').check();
      await page.locator('input[name="priority"][value="P2"]').check();
      await page.locator('[data-testid="triage-form"] button').click();
      const summary = page.locator('.nhsuk-error-summary');
      expect((await summary.locator('a[href="#pathway"]').textContent())?.trim()).toBe(run.language === 'en' ? 'Select a pathway' : 'Dewiswch lwybr');
      await check(page);
      await page.locator('input[name="pathway"][value="frailty_falls"]').check();
      await page.locator('input[name="outcome"][value="accept"]').check();
      await page.locator('input[name="priority"][value="P2"]').check();
      await page.locator('[data-testid="triage-form"] button').click();
      expect(new URL(page.url()).searchParams.get('saved')).toBe('1');
      expect(await page.locator('[data-testid="history-outcome"]').first().textContent()).toBe(run.language === 'en' ? 'Accept to waiting list' : 'Derbyn i’r rhestr aros');
      await check(page);
      await page.context().close();
    }, timeout);
  }

  it('shows the second of two people triaging at once the conflict message and the current decision', async () => {
    const first = await signedIn('therapist', { javaScript: false });
    const second = await signedIn('team_lead', { javaScript: true });
    await first.goto(`${baseUrl}/services/${demoServiceCode}/triage`);
    const href = (await first.locator('[data-testid="triage-queue"] tbody tr a').first().getAttribute('href'))!;
    await first.goto(`${baseUrl}${href}`);
    await second.goto(`${baseUrl}${href}`);
    for (const page of [first, second]) {
      await page.locator('input[name="pathway"][value="community_rehab"]').check();
      await page.locator('input[name="outcome"][value="accept"]').check();
      await page.locator('input[name="priority"][value="P1"]').check();
    }
    await first.locator('[data-testid="triage-form"] button').click();
    expect(new URL(first.url()).searchParams.get('saved')).toBe('1');
    await second.locator('input[name="outcome"][value="advice_discharge"]').check();
    await second.locator('[data-testid="triage-form"] button').click();
    const summary = second.locator('.nhsuk-error-summary');
    expect(await summary.textContent()).toContain('Someone else triaged this referral while you were looking at it.');
    expect(await second.locator('[data-testid="history-outcome"]').count()).toBe(1);
    expect(await second.locator('[data-testid="history-outcome"]').first().textContent()).toBe('Accept to waiting list');
    await check(second);
    await first.context().close();
    await second.context().close();
  }, timeout);
});
