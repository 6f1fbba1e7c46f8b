import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDemoAllocation } from '../../src/demo/allocation-demo.ts';
import { demoOrganisationCode, demoServiceCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason } from '../support/browser.ts';
import type { TestStore } from '../support/database.ts';
import { startDemoApp, type DemoApp } from '../support/demo-app.ts';

const timeout = 180_000;
const servicePath = `/services/${demoOrganisationCode}~${demoServiceCode}`;

// Given the demo service with people waiting to be allocated, when the team lead opens the
// allocation worklist and one person's shortlist, then the suggested therapist comes first with
// the reasons shown (amber with the named supervisor), the team lead allocates by keyboard alone,
// and a second team lead page still holding the old version is refused with the conflict
// message; every page has no accessibility violations, in English and Welsh.
describe.skipIf(!browserAvailable)(`allocation journey in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let world: DemoApp;
  let store: TestStore;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;

  beforeAll(async () => {
    world = await startDemoApp({ today: '2026-11-21', prepare: (s, service) => addDemoAllocation(s.db, service, '2026-11-21') });
    ({ store, browser, baseUrl, demo } = world);
  }, 120_000);
  afterAll(async () => world?.close());

  async function teamLead(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}${servicePath}/allocation`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email address').fill(demo.users.find((user) => user.role === 'team_lead' && (user.organisation ?? demoOrganisationCode) === demoOrganisationCode)!.email);
    await page.getByLabel('Password').fill(demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe(`${servicePath}/allocation`);
    return page;
  }

  const clean = async (page: Page) => expect(await accessibilityViolations(page), page.url()).toEqual([]);

  it('the team lead allocates to the suggested therapist by keyboard; the old version is refused', async () => {
    const page = await teamLead();
    await clean(page);
    const first = page.getByTestId('allocation-worklist').locator('tbody tr').first();
    expect(await first.textContent()).toContain('Owain Demo');
    await page.getByRole('link', { name: 'Allocate Eirlys Demo' }).click();
    expect(new URL(page.url()).pathname).toMatch(/^\/episodes\/\d+\/allocate$/);
    const allocateUrl = page.url();
    await clean(page);
    const cards = page.getByTestId('shortlist').locator('li.nhsuk-card');
    expect(await cards.first().locator('h3').textContent()).toBe('Suggestion 1: Rhys Powell');
    expect(await cards.first().getByTestId('reason-capacity').textContent()).toBe('22.5 of 22.5 hours a week');
    expect(await cards.nth(2).getByTestId('supervisor').textContent()).toBe('supervised by Alex Morgan (team lead)');

    // A second page of the same team lead, opened now: it holds version 1.
    const stalePage = await page.context().newPage();
    await stalePage.goto(allocateUrl);

    // Keyboard alone: into the first card's note, type, Tab to its button, Enter.
    await cards.first().locator('textarea').focus();
    await page.keyboard.type('Knows the estate');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Allocate to Rhys Powell');
    await page.keyboard.press('Enter');
    await page.waitForURL(/saved=allocation/);
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toContain('Allocated to Rhys Powell.');
    expect(await page.getByTestId('confirm-form').count()).toBe(0);
    await clean(page);

    // The old page still shows the forms with version 1: its confirmation is refused, and nothing changes.
    await stalePage.getByRole('button', { name: 'Allocate to Alex Morgan (team lead)' }).click();
    expect(await stalePage.locator('.nhsuk-error-summary').textContent()).toContain('Someone else changed this person’s allocation');
    await clean(stalePage);
    const rows = await store.db.selectFrom('allocation').innerJoin('staff_user', 'staff_user.id', 'allocation.staff_user_id').select(['display_name', 'reason']).execute();
    expect(rows.map((r) => r.display_name)).toEqual(['Rhys Powell']);
    expect(rows[0]!.reason).toContain('team lead: Knows the estate');

    // The error summary link moves focus to the shortlist heading.
    await stalePage.locator('.nhsuk-error-summary a').first().press('Enter');
    expect(await stalePage.evaluate(() => document.activeElement?.id)).toBe('shortlist');
  }, timeout);

  it('the competency matrix and a team member page are clean, in English and Welsh', async () => {
    const page = await teamLead();
    for (const suffix of ['', '?lang=cy']) {
      await page.goto(`${baseUrl}${servicePath}/competencies${suffix}`);
      await clean(page);
      await page.getByTestId('matrix').locator('a').first().click();
      expect(new URL(page.url()).pathname).toMatch(/\/competencies\/\d+$/);
      await clean(page);
      await page.goto(`${baseUrl}${servicePath}/allocation${suffix}`);
      await clean(page);
    }
  }, timeout);
});
