import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { buildApp } from '../../src/http/app.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';
import { waitingEpisode } from '../support/outcomes.fixture.ts';

const timeout = 240_000;

// Given a person on the demo service's waiting list (work and health pathway), when a therapist
// records a SWEMWBS baseline and review, discharges with outcome codes and writes and prints the
// AHP Health and Work Report, then the change is shown with its named threshold, the discharge
// and report are saved, every page has no accessibility violations and no horizontal scroll at
// 320 px, and it all works with the keyboard alone, without JavaScript, in Welsh.
describe.skipIf(!browserAvailable)(`outcomes journey in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;
  const episodes: number[] = [];

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
    const therapist = await store.db.selectFrom('staff_user').select(['id', 'organisation_id']).where('email', '=', demo.users.find((user) => user.role === 'therapist')!.email).executeTakeFirstOrThrow();
    for (const id of ['E2E-OUT-1', 'E2E-OUT-2']) {
      const { episodeId } = await waitingEpisode(store.db, service, { kind: 'staff', userId: therapist.id, organisationId: therapist.organisation_id, role: 'therapist' }, id, { receivedOn: '2026-10-01', givenName: 'Rhian' });
      episodes.push(episodeId);
    }
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  async function tabTo(page: Page, selector: string) {
    for (let i = 0; i < 250; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector} on ${page.url()}`);
  }

  /** Keyboard or mouse, as the run says. */
  function actions(page: Page, keyboard: boolean) {
    return {
      async type(selector: string, text: string) {
        if (!keyboard) return page.locator(selector).fill(text);
        await tabTo(page, selector);
        await page.keyboard.press('Control+A');
        await page.keyboard.type(text);
      },
      async follow(selector: string) {
        if (!keyboard) return void (await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]));
        await tabTo(page, selector);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      },
      async tick(scope: string, name: string, value: string) {
        const selector = `${scope} input[name="${name}"][value="${value}"]`;
        if (!keyboard) return page.locator(selector).check();
        await tabTo(page, selector);
        await page.keyboard.press('Space');
        expect(await page.locator(selector).isChecked()).toBe(true);
      },
      async choose(scope: string, name: string, value: string) {
        const selector = `${scope} input[name="${name}"]`;
        const radio = page.locator(`${selector}[value="${value}"]`);
        if (!keyboard) return radio.check();
        const values = await page.locator(selector).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
        await tabTo(page, selector);
        const at = values.indexOf(await page.evaluate(() => (document.activeElement as HTMLInputElement).value));
        const index = values.indexOf(value);
        if (index === at) await page.keyboard.press('Space');
        for (let i = at; i < index; i++) await page.keyboard.press('ArrowRight');
        expect(await radio.isChecked()).toBe(true);
      },
    };
  }

  for (const [run, setting] of [
    { javaScript: true, language: 'en' as const, keyboard: false },
    { javaScript: false, language: 'cy' as const, keyboard: true },
  ].entries()) {
    it(`a therapist records outcomes, discharges and prints a work report (JavaScript ${setting.javaScript ? 'on' : 'off'}, ${setting.language === 'en' ? 'English' : 'Welsh'}${setting.keyboard ? ', keyboard only' : ''})`, async () => {
      const episode = episodes[run]!;
      const context = await browser.newContext({ javaScriptEnabled: setting.javaScript, viewport: { width: 1024, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const check = async () => {
        if (!setting.javaScript) return;
        expect(await accessibilityViolations(page), page.url()).toEqual([]);
        await page.setViewportSize({ width: 320, height: 640 });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow, `horizontal scroll at 320 px on ${page.url()}`).toBeLessThanOrEqual(0);
        await page.setViewportSize({ width: 1024, height: 800 });
      };
      const act = actions(page, setting.keyboard);
      await page.goto(`${baseUrl}/episodes/${episode}/outcomes?lang=${setting.language}`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await page.locator('input[name="email"]').fill(demo.users.find((user) => user.role === 'therapist')!.email);
      await page.locator('input[name="password"]').fill(demo.password);
      await page.locator('form[action="/sign-in"] button, form:has(input[name="password"]) button').first().click();
      expect(new URL(page.url()).pathname).toBe(`/episodes/${episode}/outcomes`);
      expect(await page.locator('[data-testid="no-outcomes"]').count()).toBe(1);
      await check();

      // SWEMWBS baseline (raw 17 -> 16.88) and review (raw 23 -> 20.73), from the item answers.
      for (const [timepoint, answers] of [['baseline', [2, 2, 3, 2, 3, 2, 3]], ['review', [3, 3, 4, 3, 4, 3, 3]]] as const) {
        const form = '[data-testid="form-swemwbs"]';
        await act.choose(form, 'timepoint', timepoint);
        for (const [i, answer] of answers.entries()) await act.choose(form, `item${i + 1}`, String(answer));
        await act.follow(`${form} button`);
        expect(new URL(page.url()).searchParams.get('saved')).toMatch(new RegExp(`^SWEMWBS~${timepoint}~`));
      }
      const review = page.locator('[data-instrument="SWEMWBS"] tr[data-timepoint="review"]');
      expect(await review.locator('[data-testid="score"]').textContent()).toBe('20.73');
      expect(await review.locator('[data-testid="change"]').textContent()).toBe('+3.85');
      expect(await review.locator('[data-testid="verdict"]').textContent()).toBe(setting.language === 'en' ? 'Meaningful improvement' : 'Gwelliant ystyrlon');
      expect(await page.locator('[data-testid="threshold-SWEMWBS"]').textContent()).toContain('Shah et al. 2018');
      await check();

      // Discharge with outcome codes.
      await act.follow(`nav.app-episode-nav a[href="/episodes/${episode}/discharge"]`);
      await check();
      const discharge = '[data-testid="discharge-form"]';
      await act.choose(discharge, 'reason', 'goals_met');
      await act.tick(discharge, 'outcomes', 'self_management_plan');
      await act.tick(discharge, 'outcomes', 'stayed_in_work');
      await act.follow(`${discharge} button`);
      expect(await page.locator('[data-testid="discharge-summary"]').textContent()).toContain(setting.language === 'en' ? 'Stayed in work' : 'Wedi aros yn y gwaith');
      await check();

      // The work report: a missing HCPC number is shown in the error summary, then it saves and prints.
      await act.follow(`nav.app-episode-nav a[href="/episodes/${episode}/work-report"]`);
      await check();
      const report = '[data-testid="work-report-form"]';
      await act.choose(report, 'fitness', 'may_be_fit');
      await act.tick(report, 'adjustments', 'phasedReturn');
      await act.tick(report, 'adjustments', 'alteredHours');
      await act.type('#difficulties', 'Fatigue after two hours at a desk.');
      await act.type('#recommendations', 'Four-hour days for four weeks, starting later.');
      await act.type('#practitionerName', 'Sam Hughes');
      await act.follow(`${report} button`);
      expect(await page.locator('.nhsuk-error-summary a[href="#hcpcNumber"]').count()).toBe(1);
      await check();
      await act.type('#hcpcNumber', 'OT12345');
      await act.follow(`${report} button`);
      expect(new URL(page.url()).searchParams.get('saved')).toBe('1');
      await check();
      await act.follow('[data-testid="print-link"]');
      expect(new URL(page.url()).pathname).toBe(`/episodes/${episode}/work-report/print`);
      const printable = await page.locator('[data-testid="printable-report"]').textContent();
      expect(printable).toContain('OT12345');
      expect(printable).toContain('Rhian');
      await check();
      // Printed, the page is the report alone: no header, footer or links back.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header.nhsuk-header').isVisible()).toBe(false);
      expect(await page.locator('footer').isVisible()).toBe(false);
      expect(await page.locator('[data-testid="printable-report"]').isVisible()).toBe(true);
      await context.close();
    }, timeout);
  }
});
