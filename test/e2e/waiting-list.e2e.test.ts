import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { buildApp } from '../../src/http/app.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';

const timeout = 180_000;
const today = '2026-11-21';
const daysBefore = (days: number) => new Date(Date.parse(`${today}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

// Given the demo service with six people waiting (one needing an interpreter), when the team lead
// signs in and opens the waiting list by keyboard, sets an interpreter weight with a reason, then
// the decision is in the history, the person's score rises by the weight, and every waiting list
// page (list, equity weights, validation and its form, queue pressure, and one in Welsh) has no
// accessibility violations.
describe.skipIf(!browserAvailable)(`waiting list journey in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;
  let interpreted = 0;

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
    for (const [i, wait] of [10, 30, 60, 100, 200, 400].entries()) {
      const person = await store.db
        .insertInto('person')
        .values({ organisation_id: service.organisationId, source_person_id: `E2E-${i}`, given_name: `Given${i}`, family_name: `Family${i}`, postcode_status: 'not_given', interpreter_needed: i === 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      const referral = await store.db
        .insertInto('referral')
        .values({ service_id: service.id, person_id: person.id, source_record_id: `E2E-${i}`, received_on: daysBefore(wait), source: 'gp', status: 'waiting' })
        .returning('id')
        .executeTakeFirstOrThrow();
      const episode = await store.db
        .insertInto('episode')
        .values({ referral_id: referral.id, service_id: service.id, pathway_code: i % 2 ? 'mental_health' : 'frailty_falls', priority: 'P3', clock_started_on: daysBefore(wait) })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (i === 1) interpreted = episode.id;
    }
    app = await buildApp({ store, config: testConfig(), clock: () => today });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  const clean = async (page: Page) => expect(await accessibilityViolations(page), page.url()).toEqual([]);
  const scoreOf = async (page: Page) => Number(await page.locator(`tr[data-episode="${interpreted}"] td[data-score]`).getAttribute('data-score'));

  it('the team lead sees the list, sets an equity weight with a reason by keyboard, and the scores change', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}/waiting-lists`);
    await page.getByLabel('Email address').fill(demo.users.find((user) => user.role === 'team_lead')!.email);
    await page.getByLabel('Password').fill(demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe('/waiting-lists');
    await clean(page);

    // By keyboard: focus the service's link and follow it with Enter.
    await page.locator(`a[data-service="${demoServiceCode}"]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/waiting-list$/);
    await expect(page.locator('[data-testid="list-count"]').textContent()).resolves.toContain('6 people.');
    expect(await scoreOf(page)).toBe(1 + Math.round((30 / 42) * 1000) / 1000);
    await clean(page);

    await page.getByRole('link', { name: 'Equity weights' }).first().click();
    await clean(page);
    // Fill the form by keyboard only: focus the first field and Tab through.
    await page.locator('#mostDeprivedQuintile').focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('2');
    expect(await page.locator('#interpreterNeeded').inputValue()).toBe('2');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Interpreter needs wait longest (audit 2026)');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForURL(/saved=1/);
    await expect(page.locator('.nhsuk-notification-banner').textContent()).resolves.toContain('Weights saved');
    await expect(page.locator('[data-testid="weights-history"]').textContent()).resolves.toContain('Interpreter needs wait longest (audit 2026)');
    await expect(page.locator('[data-testid="impact"]').count()).resolves.toBe(1);
    await clean(page);

    await page.getByRole('link', { name: 'Waiting list', exact: true }).first().click();
    expect(await scoreOf(page)).toBe(1 + Math.round((30 / 42) * 1000) / 1000 + 2);
    await expect(page.locator(`tr[data-episode="${interpreted}"]`).textContent()).resolves.toContain('Needs an interpreter: 2');

    await page.getByRole('link', { name: 'Validation' }).first().click();
    await expect(page.locator('[data-testid="validation-count"]').textContent()).resolves.toContain('3 people due.');
    await clean(page);
    await page.getByRole('link', { name: /Record an answer/ }).first().click();
    await clean(page);
    await page.getByRole('button', { name: 'Save the answer' }).click();
    await expect(page.locator('.nhsuk-error-summary').textContent()).resolves.toContain('Select what the person said');
    await clean(page);

    await page.getByRole('link', { name: 'Queue pressure' }).first().click();
    await expect(page.locator('[data-testid="forecast-chart"] svg[role="img"]').count()).resolves.toBe(1);
    await clean(page);

    // One page in Welsh.
    await page.goto(`${page.url()}?lang=cy`);
    await expect(page.locator('h1').textContent()).resolves.toBe('Pwysau ar y ciw a rhagolwg');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('cy');
    await clean(page);
    await context.close();
  }, timeout);
});
