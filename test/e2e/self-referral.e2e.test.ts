import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app.ts';
import { isValidReference } from '../../src/referrals/reference-number.ts';
import { cy } from '../../src/web/content/cy.ts';
import { en } from '../../src/web/content/en.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';
import { journeyAnswers } from '../support/self-referral.ts';

const timeout = 300_000;

/**
 * Runs of the whole /refer journey in Chromium at 320 px wide, each including the urgent path
 * and a change from check your answers:
 * - JavaScript off, English, keyboard only (Tab to each control; Space, arrows, typing, Enter);
 * - JavaScript on, Welsh (?lang=cy), with the mouse.
 * On every page: axe (WCAG 2.2 AA) finds no violations and nothing scrolls sideways
 * (document scrollWidth <= clientWidth).
 *
 * Axe needs JavaScript, and an axe run in a context with JavaScript disabled can hang: for the
 * JavaScript-off run, each page's HTML (as the browser holds it, with the answers typed) is
 * loaded into a separate JavaScript-enabled page of the same origin and width, and axe runs
 * there. The JavaScript-on run checks each page in place.
 */
describe.skipIf(!browserAvailable)(`self-referral /refer in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    store = await createTestStore();
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care', accepts_self_referral: true }).execute();
    app = await buildApp({ store, config: testConfig({ ROOTS_REFERRAL_RATE_LIMIT_PER_MINUTE: '100000' }) });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  const viewport = { width: 320, height: 800 };

  /** Checks the page as it stands: no sideways scroll at 320 px, and no axe violations. */
  async function checkPage(page: Page, axePage: Page | null, checked: string[]) {
    const overflow = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    expect(overflow.scroll, `${page.url()} scrolls sideways at 320 px`).toBeLessThanOrEqual(overflow.client);
    let target = page;
    if (axePage) {
      // JavaScript off: the same HTML in a JavaScript-enabled page of the same origin.
      const html = await page.content();
      await axePage.goto(`${baseUrl}/about`);
      await axePage.setContent(html, { waitUntil: 'load' });
      target = axePage;
    }
    expect(await accessibilityViolations(target), page.url()).toEqual([]);
    checked.push(new URL(page.url()).pathname);
  }

  async function tabTo(page: Page, selector: string) {
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector} on ${page.url()}`);
  }

  /** Fills one step's fields, by keyboard or with the mouse, and continues. */
  async function fill(page: Page, fields: Record<string, string | string[]>, keyboard: boolean) {
    for (const [name, value] of Object.entries(fields)) {
      const first = page.locator(`[name="${name}"]`).first();
      const type = (await first.getAttribute('type')) ?? (await first.evaluate((e) => e.tagName.toLowerCase()));
      if (type === 'radio') {
        const values = await page.locator(`input[name="${name}"]`).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
        const index = values.indexOf(String(value));
        if (keyboard) {
          await tabTo(page, `input[name="${name}"]`);
          if (index === 0) await page.keyboard.press('Space');
          for (let i = 0; i < index; i++) await page.keyboard.press('ArrowDown');
        } else await page.locator(`input[name="${name}"][value="${value}"]`).check();
        expect(await page.locator(`input[name="${name}"][value="${value}"]`).isChecked()).toBe(true);
      } else if (type === 'checkbox') {
        for (const one of [value].flat()) {
          const box = page.locator(`input[name="${name}"][value="${one}"]`);
          if (keyboard) {
            await tabTo(page, `input[name="${name}"][value="${one}"]`);
            await page.keyboard.press('Space');
          } else await box.check();
          expect(await box.isChecked()).toBe(true);
        }
      } else {
        const text = String(value);
        if (text === '') continue;
        if (keyboard) {
          await tabTo(page, `[name="${name}"]`);
          await page.keyboard.press('ControlOrMeta+a');
          await page.keyboard.type(text);
        } else await page.locator(`[name="${name}"]`).fill(text);
      }
    }
  }

  async function submit(page: Page, selector: string, keyboard: boolean) {
    if (keyboard) {
      await tabTo(page, selector);
      await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    } else await Promise.all([page.waitForNavigation(), page.locator(selector).click()]);
  }

  for (const run of [
    { javaScript: false, language: 'en' as const, keyboard: true },
    { javaScript: true, language: 'cy' as const, keyboard: false },
  ]) {
    it(`completes /refer with JavaScript ${run.javaScript ? 'on' : 'off'} in ${run.language === 'cy' ? 'Welsh' : 'English'}${run.keyboard ? ', keyboard only' : ''}`, async () => {
      const t = (run.language === 'cy' ? cy : en).refer;
      const context: BrowserContext = await browser.newContext({ javaScriptEnabled: run.javaScript, viewport });
      const axeContext = run.javaScript ? null : await browser.newContext({ javaScriptEnabled: true, viewport });
      const axePage = axeContext ? await axeContext.newPage() : null;
      const page = await context.newPage();
      const checked: string[] = [];
      try {
        // Home page: the action link to /refer.
        await page.goto(`${baseUrl}/?lang=${run.language}`);
        await checkPage(page, axePage, checked);
        await submit(page, 'a[data-testid="refer-link"]', run.keyboard);
        expect(new URL(page.url()).pathname).toBe('/refer');
        expect(await page.locator('html').getAttribute('lang')).toBe(run.language);
        await checkPage(page, axePage, checked);
        await submit(page, '[data-testid="start"]', run.keyboard);

        // An empty answer first: the error summary, linked to the field, in the page's language.
        expect(new URL(page.url()).pathname).toBe('/refer/urgent');
        await submit(page, '[data-testid="continue"]', run.keyboard);
        expect(await page.title()).toMatch(new RegExp(`^${t.errorPrefix}: `));
        const summary = page.locator('.nhsuk-error-summary');
        expect((await summary.textContent())!.replace(/\s+/g, ' ')).toContain(t.steps.urgent.fields.urgent.errors.required);
        expect(await summary.locator('a').first().getAttribute('href')).toBe('#urgent');
        await checkPage(page, axePage, checked);

        for (const [step, fields] of journeyAnswers({ urgent: true })) {
          expect(new URL(page.url()).pathname).toBe(`/refer/${step}`);
          if (step !== 'urgent') await checkPage(page, axePage, checked);
          if (step === 'urgent-help') {
            const help = (await page.locator('[data-testid="urgent-help"]').textContent())!;
            for (const number of run.language === 'cy' ? ['GIG 111 Cymru', '0808 164 0123', '0800 132 737', '999'] : ['NHS 111', '116 123', '999']) expect(help).toContain(number);
          }
          await fill(page, fields, run.keyboard);
          await submit(page, '[data-testid="continue"]', run.keyboard);
        }

        // Check your answers; change one answer and come back.
        expect(new URL(page.url()).pathname).toBe('/refer/check');
        await checkPage(page, axePage, checked);
        const sexRow = page.locator('.nhsuk-summary-list__row', { has: page.locator('[data-change="sex"]') });
        expect((await sexRow.locator('.nhsuk-summary-list__value').textContent())!.trim()).toBe(t.steps.sex.fields.sex.options.female);
        await submit(page, 'a[data-change="sex"]', run.keyboard);
        expect(new URL(page.url()).pathname).toBe('/refer/sex');
        await checkPage(page, axePage, checked);
        await fill(page, { sex: 'male' }, run.keyboard);
        await submit(page, '[data-testid="continue"]', run.keyboard);
        expect(new URL(page.url()).pathname).toBe('/refer/check');
        expect((await sexRow.locator('.nhsuk-summary-list__value').textContent())!.trim()).toBe(t.steps.sex.fields.sex.options.male);

        await submit(page, '[data-testid="submit"]', run.keyboard);
        expect(new URL(page.url()).pathname).toBe('/refer/confirmation');
        const reference = (await page.locator('[data-testid="reference"]').textContent())!.trim();
        expect(isValidReference(reference)).toBe(true);
        expect(await page.locator('[data-testid="same-day"]').isVisible()).toBe(true);
        await checkPage(page, axePage, checked);

        // The back button and a refresh make no second referral.
        await page.goBack();
        await page.reload();
        const rows = await store.db.selectFrom('self_referral').select(['reference', 'same_day_review', 'language']).where('reference', '=', reference.replaceAll('-', '')).execute();
        expect(rows).toEqual([{ reference: reference.replaceAll('-', ''), same_day_review: true, language: run.language }]);
        expect(checked.length).toBeGreaterThanOrEqual(journeyAnswers({ urgent: true }).length + 5);
      } finally {
        await context.close();
        await axeContext?.close();
      }
    }, timeout);
  }
});
