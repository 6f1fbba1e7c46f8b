import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDemoCaseload } from '../../src/demo/caseload-demo.ts';
import type { DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason } from '../support/browser.ts';
import { startDemoApp, type DemoApp } from '../support/demo-app.ts';

const timeout = 180_000;
const now = new Date('2026-11-21T09:00:00Z');

// Given the demo therapist's caseload (demo data as on the first run), when the therapist signs
// in and, by keyboard alone, opens the caseload, opens a person's episode, books an appointment,
// records that the person did not attend (the service's rule restarts the clock, and the page
// says so), books again and records an attended contact with an intervention, then every page
// has no accessibility violations; once in English with JavaScript on, once in Welsh with it off.
describe.skipIf(!browserAvailable)(`caseload journey in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let world: DemoApp;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;

  beforeAll(async () => {
    world = await startDemoApp({ today: '2026-11-21', now, prepare: (s, service) => addDemoCaseload(s, service, { kind: 'system', name: 'test' }, now) });
    ({ browser, baseUrl, demo } = world);
  }, 120_000);
  afterAll(async () => world?.close());

  /** Keyboard only: focus, then keys. */
  const press = async (target: Locator, key = 'Enter') => {
    await target.focus();
    await target.press(key);
  };
  const typeInto = async (target: Locator, text: string) => {
    await target.focus();
    await target.press('Control+A');
    await target.press('Backspace');
    await target.pressSequentially(text);
  };

  async function check(page: Page, javaScript: boolean): Promise<void> {
    if (!javaScript) return;
    expect(await accessibilityViolations(page), page.url()).toEqual([]);
  }

  for (const run of [
    { javaScript: true, language: 'en' as const, person: 'DEMO-CASELOAD-3', first: '08:00', second: '11:30' },
    { javaScript: false, language: 'cy' as const, person: 'DEMO-CASELOAD-2', first: '12:30', second: '15:00' },
  ]) {
    it(`a therapist books, records a did-not-attend and an attended contact (JavaScript ${run.javaScript ? 'on' : 'off'}, ${run.language === 'en' ? 'English' : 'Welsh'})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled: run.javaScript, viewport: { width: 1024, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const welsh = run.language === 'cy';
      await page.goto(`${baseUrl}/caseload${welsh ? '?lang=cy' : ''}`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      await typeInto(page.locator('input[type="email"], input[name="email"]').first(), demo.users.find((user) => user.email === 'ot1@demo.roots.invalid')!.email);
      await typeInto(page.locator('input[type="password"]').first(), demo.password);
      await page.locator('input[type="password"]').first().press('Enter');
      await page.waitForURL((url) => url.pathname === '/caseload');
      if (welsh && !page.url().includes('lang=cy')) await page.goto(`${baseUrl}/caseload?lang=cy`);
      // The header links to the caseload.
      expect(await page.locator('header a[href="/caseload"]').count()).toBeGreaterThan(0);
      expect(await page.locator('h1').textContent()).toBe(welsh ? 'Eich llwyth achosion' : 'Your caseload');
      expect(await page.locator('[data-testid="caseload"] tbody tr').count()).toBe(3);
      expect(await page.locator('[data-testid="diary"] tbody tr').count()).toBeGreaterThanOrEqual(1);
      await check(page, run.javaScript);

      const row = page.locator('[data-testid="caseload"] tbody tr', { hasText: run.person });
      await press(row.locator('a'));
      await page.waitForURL((url) => /^\/episodes\/\d+$/.test(url.pathname));
      const episodeUrl = page.url().split('?')[0]!;
      expect(await page.locator('[data-testid="episode-links"] a').evaluateAll((links) => links.map((a) => a.getAttribute('href')!.split('/').at(-1)))).toEqual(['allocate', 'outcomes', 'discharge', 'work-report']);
      await check(page, run.javaScript);

      // A missing time and mode: the error summary, linked to the fields, in the page's language.
      const book = page.locator('[data-testid="book-form"]');
      await press(book.locator('button'));
      const summary = page.locator('.nhsuk-error-summary');
      expect((await summary.locator('a[href="#time"]').textContent())?.trim()).toBe(welsh ? 'Rhowch yr amser dechrau gan ddefnyddio’r cloc 24 awr, er enghraifft 14:30' : 'Enter the start time using the 24-hour clock, for example 14:30');
      expect(await summary.locator('a[href="#mode"]').count()).toBe(1);
      await check(page, run.javaScript);

      const bookAt = async (time: string) => {
        await typeInto(page.locator('#time'), time);
        await press(page.locator('[data-testid="book-form"] input[name="mode"][value="phone"]'), 'Space');
        await press(page.locator('[data-testid="book-form"] button'));
        await page.waitForURL((url) => url.searchParams.get('saved') === 'booked');
      };
      await bookAt(run.first);
      let contact = page.locator('[data-attendance="scheduled"]', { hasText: `2026-11-21 ${run.first}` });
      expect(await contact.count()).toBe(1);
      await check(page, run.javaScript);

      // Did not attend: the demo service's policy restarts the clock from that day, and the page names the rule.
      await press(contact.locator('input[name="attendance"][value="did_not_attend"]'), 'Space');
      await press(contact.locator('form button'));
      await page.waitForURL((url) => url.searchParams.get('saved') === 'attendance' && url.searchParams.get('clock') === 'changed');
      expect(await page.locator('[data-testid="clock-started"]').textContent()).toBe('2026-11-21');
      expect(await page.locator('[data-testid="clock-rules"]').textContent()).toContain('did_not_attend on 2026-11-21: clock restarted');
      expect(await page.locator('[data-attendance="did_not_attend"]').count()).toBe(1);
      await check(page, run.javaScript);

      await bookAt(run.second);
      contact = page.locator('[data-attendance="scheduled"]', { hasText: `2026-11-21 ${run.second}` });
      await press(contact.locator('input[name="attendance"][value="attended"]'), 'Space');
      await press(contact.locator('input[name="interventions"][value="self_management"]'), 'Space');
      await typeInto(contact.locator('input[name="detail"]'), 'Pacing plan');
      await press(contact.locator('form button'));
      await page.waitForURL((url) => url.searchParams.get('saved') === 'attendance');
      expect(await page.locator('[data-testid="clock-stopped"]').textContent()).toBe('2026-11-21');
      const attended = page.locator('[data-attendance="attended"]');
      expect(await attended.locator('[data-testid="interventions"]').textContent()).toContain(welsh ? 'Cymorth hunanreoli: Pacing plan' : 'Self-management support: Pacing plan');
      expect(await page.locator('[data-testid="contact-counts"]').textContent()).toBe(welsh ? '1 wedi dod, 1 heb ddod, 0 wedi’u canslo' : '1 attended, 1 did not attend, 0 cancelled');
      await check(page, run.javaScript);
      expect(page.url().split('?')[0]).toBe(episodeUrl);
      await context.close();
    }, timeout);
  }
});
