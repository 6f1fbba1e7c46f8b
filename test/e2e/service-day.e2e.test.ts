import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDemoAllocation } from '../../src/demo/allocation-demo.ts';
import { demoOrganisationCode, demoServiceCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { refreshReferralFacts } from '../../src/equity/audit/audit.queries.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason } from '../support/browser.ts';
import { testEngine, type TestStore } from '../support/database.ts';
import { startDemoApp, type DemoApp } from '../support/demo-app.ts';

const timeout = 300_000;
const today = '2026-11-21';
const now = new Date(`${today}T09:00:00Z`);
const servicePath = `/services/${demoOrganisationCode}~${demoServiceCode}`;

/**
 * The service's day, across roles, on the engine the suite runs on (issue 9, "Done means"):
 * the team lead sees the waiting list, sets an equity weight (audited), allocates a person to the
 * suggested therapist with the reasons shown, and a second allocation from a page holding the old
 * version is refused; the allocated therapist then finds the person on their caseload, books
 * and records a did-not-attend (the clock restarts, as the service's rule says), books again and
 * records an attended contact, records a SWEMWBS baseline and discharge score, and discharges with outcome
 * codes; the equity audit's facts then hold that episode: its contacts, its outcome change and its
 * discharge outcomes, with no import. axe is clean on every page.
 */
describe.skipIf(!browserAvailable)(`a service's day across roles in Chromium on ${testEngine} (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let world: DemoApp;
  let store: TestStore;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;

  beforeAll(async () => {
    world = await startDemoApp({ today, now, prepare: (s, service) => addDemoAllocation(s.db, service, today) });
    ({ store, browser, baseUrl, demo } = world);
  }, 120_000);
  afterAll(async () => world?.close());

  const clean = async (page: Page) => expect(await accessibilityViolations(page), page.url()).toEqual([]);

  async function signedIn(email: string, path: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}${path}`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(demo.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(new URL(page.url()).pathname).toBe(path);
    return page;
  }

  it('team lead to therapist to the audit, for one person', async () => {
    const lead = demo.users.find((user) => user.role === 'team_lead' && user.organisation === demoOrganisationCode)!.email;
    const page = await signedIn(lead, `${servicePath}/waiting-list`);
    expect(await page.locator('[data-testid="list-count"]').textContent()).toMatch(/\d+ people\./);
    await clean(page);

    // An equity weight, with its reason: recorded, audited.
    await page.goto(`${baseUrl}${servicePath}/equity-weights`);
    await clean(page);
    await page.locator('#interpreterNeeded').fill('1.5');
    await page.locator('#reason').fill('People who need an interpreter wait longest here');
    await page.locator('form button[type="submit"], form button:not([type])').last().click();
    await page.waitForURL(/saved=1/);
    expect(await page.locator('[data-testid="weights-history"]').textContent()).toContain('People who need an interpreter wait longest here');
    await clean(page);

    // Allocation: the suggested therapist first, with reasons; confirmed by keyboard.
    await page.goto(`${baseUrl}${servicePath}/allocation`);
    await clean(page);
    await page.getByRole('link', { name: 'Allocate Eirlys Demo' }).click();
    const episodeId = Number(/^\/episodes\/(\d+)\/allocate$/.exec(new URL(page.url()).pathname)![1]);
    const allocateUrl = page.url();
    await clean(page);
    const first = page.getByTestId('shortlist').locator('li.nhsuk-card').first();
    const suggested = (await first.locator('h3').textContent())!.replace(/^Suggestion 1: /, '');
    expect(await first.getByTestId('reason-capacity').textContent()).toMatch(/hours a week/);
    const stale = await page.context().newPage();
    await stale.goto(allocateUrl);
    await first.locator('textarea').focus();
    await page.keyboard.type('Suggested, and lives on their patch');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe(`Allocate to ${suggested}`);
    await page.keyboard.press('Enter');
    await page.waitForURL(/saved=allocation/);
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toContain(`Allocated to ${suggested}.`);
    // The second team lead page, on the old version: refused, nothing written.
    await stale.locator('[data-testid="shortlist"] li.nhsuk-card').nth(1).locator('button').click();
    expect(await stale.locator('.nhsuk-error-summary').textContent()).toContain('Someone else changed');
    await clean(stale);
    const allocations = await store.db.selectFrom('allocation').innerJoin('staff_user', 'staff_user.id', 'allocation.staff_user_id').select(['staff_user.email', 'staff_user.display_name']).where('episode_id', '=', episodeId).execute();
    expect(allocations.map((row) => row.display_name)).toEqual([suggested]);
    await page.context().close();

    // The therapist: caseload, episode, contacts and the clock.
    const therapist = await signedIn(allocations[0]!.email, '/caseload');
    await clean(therapist);
    await therapist.locator(`[data-testid="caseload"] a[href="/episodes/${episodeId}"]`).first().click();
    expect(new URL(therapist.url()).pathname).toBe(`/episodes/${episodeId}`);
    await clean(therapist);
    const bookAt = async (time: string) => {
      await therapist.locator('#time').fill(time);
      await therapist.locator('[data-testid="book-form"] input[name="mode"][value="home_visit"]').check();
      await therapist.locator('[data-testid="book-form"] button').click();
      await therapist.waitForURL((url) => url.searchParams.get('saved') === 'booked');
    };
    await bookAt('10:00');
    const booked = therapist.locator('[data-attendance="scheduled"]', { hasText: `${today} 10:00` });
    await booked.locator('input[name="attendance"][value="did_not_attend"]').check();
    await booked.locator('form button').click();
    await therapist.waitForURL((url) => url.searchParams.get('saved') === 'attendance');
    expect(await therapist.locator('[data-testid="clock-rules"]').textContent()).toContain(`did_not_attend on ${today}: clock restarted`);
    expect(await therapist.locator('[data-testid="clock-started"]').textContent()).toBe(today);
    await clean(therapist);
    await bookAt('11:30');
    const second = therapist.locator('[data-attendance="scheduled"]', { hasText: `${today} 11:30` });
    await second.locator('input[name="attendance"][value="attended"]').check();
    await second.locator('input[name="interventions"][value="home_adaptation_advice"]').check();
    await second.locator('form button').click();
    await therapist.waitForURL((url) => url.searchParams.get('saved') === 'attendance');
    expect(await therapist.locator('[data-testid="clock-stopped"]').textContent()).toBe(today);
    await clean(therapist);

    // Outcomes: SWEMWBS at baseline and discharge, then discharge with outcome codes.
    await therapist.goto(`${baseUrl}/episodes/${episodeId}/outcomes`);
    await clean(therapist);
    for (const [timepoint, answers] of [['baseline', [2, 2, 3, 2, 3, 2, 3]], ['discharge', [3, 3, 4, 3, 4, 3, 3]]] as const) {
      const form = therapist.locator('[data-testid="form-swemwbs"]');
      await form.locator(`input[name="timepoint"][value="${timepoint}"]`).check();
      for (const [i, answer] of answers.entries()) await form.locator(`input[name="item${i + 1}"][value="${answer}"]`).check();
      await form.locator('button').click();
      expect(new URL(therapist.url()).searchParams.get('saved')).toMatch(new RegExp(`^SWEMWBS~${timepoint}~`));
    }
    expect(await therapist.locator('[data-instrument="SWEMWBS"] tr[data-timepoint="discharge"] [data-testid="change"]').textContent()).toBe('+3.85');
    await clean(therapist);
    await therapist.goto(`${baseUrl}/episodes/${episodeId}/discharge`);
    await clean(therapist);
    const discharge = therapist.locator('[data-testid="discharge-form"]');
    await discharge.locator('input[name="reason"][value="goals_met"]').check();
    await discharge.locator('input[name="outcomes"][value="admission_avoided"]').check();
    await discharge.locator('input[name="outcomes"][value="self_management_plan"]').check();
    await discharge.locator('button').click();
    expect(await therapist.locator('[data-testid="discharge-summary"]').textContent()).toContain('Hospital admission avoided');
    await clean(therapist);
    await therapist.context().close();

    // The equity audit reads the same tables: this episode's contacts, outcome change and discharge, with no import.
    await refreshReferralFacts(store.db);
    const referralId = (await store.db.selectFrom('episode').select('referral_id').where('id', '=', episodeId).executeTakeFirstOrThrow()).referral_id;
    const fact = await store.db.selectFrom('referral_fact').selectAll().where('referral_id', '=', referralId).executeTakeFirstOrThrow();
    expect(fact).toMatchObject({ attended: 1, did_not_attend: 1 });
    expect([...fact.discharge_outcomes].sort()).toEqual(['admission_avoided', 'self_management_plan']);
    const firstContact: unknown = fact.first_contact_on;
    expect(firstContact instanceof Date ? firstContact.toISOString().slice(0, 10) : String(firstContact).slice(0, 10)).toBe(today);
    const outcome = await store.db.selectFrom('outcome_fact').select(['baseline', 'final']).where('referral_id', '=', referralId).where('instrument', '=', 'SWEMWBS').executeTakeFirstOrThrow();
    expect([Number(outcome.baseline), Number(outcome.final)]).toEqual([16.88, 20.73]);
    // And the audit trail names who read and changed it.
    const trail = await store.db.selectFrom('audit_event').select(['action', 'subject_kind']).where('actor', 'like', 'staff:%').execute();
    expect(trail.filter((row) => row.subject_kind === 'equity_weights' && row.action === 'update')).toHaveLength(1);
  }, timeout);
});
