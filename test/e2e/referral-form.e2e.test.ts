import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { buildApp } from '../../src/http/app.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';

const timeout = 120_000;
const formPath = `/services/${demoOrganisationCode}~${demoServiceCode}/referrals/new`;

// Given the demo organisation, when the demo therapist records a professional referral with the
// staff form in Chromium, with JavaScript off and on, then a form sent with mistakes shows the NHS
// error summary (in English and Welsh), the corrected form records one referral and the
// confirmation shows it, and every page passes axe (WCAG 2.2 AA); the demo analyst is refused.
describe.skipIf(!browserAvailable)(`staff referral form in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;

  beforeAll(async () => {
    store = await createTestStore();
    demo = (await createDemoOrganisation(store.db, null))!;
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, timeout);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  async function signedIn(role: string, javaScriptEnabled: boolean): Promise<Page> {
    const page = await (await browser.newContext({ javaScriptEnabled })).newPage();
    await page.goto(`${baseUrl}${formPath}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email address').fill(demo.users.find((user) => user.role === role && !user.organisation?.includes('SMALL'))!.email);
    await page.getByLabel('Password').fill(demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return page;
  }
  const referrals = async () => Number((await store.db.selectFrom('referral').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  for (const javaScriptEnabled of [false, true]) {
    it(`records a referral with JavaScript ${javaScriptEnabled ? 'on' : 'off'}, after showing the mistakes`, async () => {
      const before = await referrals();
      const page = await signedIn('therapist', javaScriptEnabled);
      expect(new URL(page.url()).pathname).toBe(formPath);
      expect(await page.locator('h1').textContent()).toBe('Record a professional referral');
      // axe runs in the page: with JavaScript on (the same pages are checked in that run).
      if (javaScriptEnabled) expect(await accessibilityViolations(page)).toEqual([]);

      // Sent empty: every required answer is listed, each linked to its field.
      await page.getByRole('button', { name: 'Record referral' }).click();
      expect(await page.title()).toMatch(/^Error: Record a professional referral/);
      const links = await page.locator('.nhsuk-error-summary a').evaluateAll((anchors) => anchors.map((a) => a.getAttribute('href')));
      expect(links).toEqual(['#givenName', '#familyName', '#dob-day', '#sex', '#source', '#reason', '#referrerName']);
      // axe runs in the page: with JavaScript on (the same pages are checked in that run).
      if (javaScriptEnabled) expect(await accessibilityViolations(page)).toEqual([]);
      expect(await referrals()).toBe(before);

      const dob = page.getByRole('group', { name: 'Date of birth' });
      await page.getByLabel('First name').fill('Eleri');
      await page.getByLabel('Last name').fill(javaScriptEnabled ? 'Pritchard' : 'Morgan');
      await page.getByLabel('NHS number (optional)').fill('943 476 5919');
      await dob.getByLabel('Day').fill('14');
      await dob.getByLabel('Month').fill('3');
      await dob.getByLabel('Year').fill('1948');
      await page.getByLabel('Female').check();
      await page.getByLabel('Who referred').selectOption('gp');
      await page.getByLabel('Reason for referral').fill('Struggling to wash and dress since a fall.');
      await page.getByLabel("Referrer's name").fill('Dr Amrit Patel');
      await page.getByRole('button', { name: 'Record referral' }).click();

      expect(new URL(page.url()).pathname).toMatch(/^\/services\/DEMO~demo-primary-care\/referrals\/\d+$/);
      expect(await page.locator('.nhsuk-panel__heading').textContent()).toContain('Referral recorded');
      const summary = (await page.locator('[data-testid="referral-summary"]').textContent())!.replace(/\s+/g, ' ');
      expect(summary).toContain(`Eleri ${javaScriptEnabled ? 'Pritchard' : 'Morgan'}`);
      expect(summary).toContain('943 476 5919');
      expect(summary).toContain('14 March 1948');
      expect(summary).toContain('Received, awaiting triage');
      // axe runs in the page: with JavaScript on (the same pages are checked in that run).
      if (javaScriptEnabled) expect(await accessibilityViolations(page)).toEqual([]);
      expect(await referrals()).toBe(before + 1);
      // A double submit or a refresh makes one referral: src/http/routes/referral-form.routes.int.test.ts.
      await page.context().close();
    }, timeout);
  }

  it('shows the form and its errors in Welsh, accessibly', async () => {
    const page = await signedIn('team_lead', true);
    await page.goto(`${baseUrl}${formPath}?lang=cy`);
    expect(await page.locator('html').getAttribute('lang')).toBe('cy');
    expect(await page.locator('h1').textContent()).toBe('Cofnodi atgyfeiriad proffesiynol');
    await page.getByRole('button', { name: 'Cofnodi atgyfeiriad' }).click();
    expect((await page.locator('.nhsuk-error-summary').textContent())!).toContain('Rhowch yr enw cyntaf');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  }, timeout);

  it('refuses the demo analyst', async () => {
    const page = await signedIn('analyst', true);
    expect(await page.locator('h1').textContent()).toBe('You do not have access to this');
    await page.context().close();
  }, timeout);
});
