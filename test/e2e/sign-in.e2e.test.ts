import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, demoOrganisationCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { buildApp } from '../../src/http/app.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';

const axeTimeout = 120_000;

// Given the demo organisation, when staff sign in and out in a real browser and an administrator
// adds a member of staff, then every page passes WCAG 2.2 AA checks, the header says who is signed
// in, a wrong password shows the error summary, and the new member of staff can sign in.
describe.skipIf(!browserAvailable)(`staff sign-in and administration in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;

  beforeAll(async () => {
    store = await createTestStore();
    demo = (await createDemoOrganisation(store.db, null))!;
    app = await buildApp({ store, config: testConfig() });
    // Chromium keeps Secure (and __Host-) cookies over plain HTTP for loopback addresses, as
    // `roots serve` prints them (http://127.0.0.1:3000).
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext();
    return context.newPage();
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto(`${baseUrl}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  const emailOf = (role: string) => demo.users.find((user) => user.role === role)!.email;

  it('shows the error summary for a wrong password, with no accessibility violations', async () => {
    const page = await newPage();
    await page.goto(`${baseUrl}/sign-in`);
    expect(await page.locator('h1').textContent()).toBe('Sign in');
    expect(await accessibilityViolations(page)).toEqual([]);
    await signIn(page, emailOf('team_lead'), 'not-the-password');
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.isVisible()).toBe(true);
    expect((await summary.textContent())!.replace(/\s+/g, ' ')).toContain('Enter a correct email address and password');
    expect(await page.title()).toMatch(/^Error: Sign in/);
    expect(await page.locator('[data-testid="signed-in-as"]').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  }, axeTimeout);

  it('signs the demo team lead in, shows them in the header, and signs them out', async () => {
    const page = await newPage();
    await signIn(page, emailOf('team_lead'), demo.password);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('[data-testid="signed-in-as"]').textContent()).toBe('Signed in as Alex Morgan (team lead)');
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === '__Host-roots_session')).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Lax' });
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.locator('[data-testid="signed-out"]').textContent()).toBe('You have signed out.');
    expect(await page.locator('[data-testid="signed-in-as"]').count()).toBe(0);
    // The old session is gone on the server, not only in the browser.
    expect(await store.db.selectFrom('staff_session').select('revoked_reason').execute()).toEqual([{ revoked_reason: 'sign_out' }]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();
  }, axeTimeout);

  it('lets an administrator add a member of staff who can then sign in', async () => {
    const page = await newPage();
    await signIn(page, emailOf('administrator'), demo.password);
    await page.goto(`${baseUrl}/admin/users`);
    expect(await page.locator('h1').textContent()).toBe('Staff');
    // Only the administrator's own organisation's staff (the demo ICB's commissioner and the small provider's lead are not).
    expect(await page.locator('[data-testid="users"] tbody tr').count()).toBe(demo.users.filter((user) => (user.organisation ?? demoOrganisationCode) === demoOrganisationCode).length);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Add a member of staff' }).click();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Add member of staff' }).click();
    expect(await page.locator('.nhsuk-error-summary li').count()).toBe(3);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.getByLabel('Full name').fill('Bethan Jones');
    await page.getByLabel('Email address').fill('bethan@demo.roots.invalid');
    await page.getByLabel('Role').selectOption('therapist');
    await page.getByRole('button', { name: 'Add member of staff' }).click();
    const password = (await page.locator('[data-testid="one-time-password"]').textContent())!.trim();
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goto(`${baseUrl}/admin/users`);
    await page.locator('tr[data-email="bethan@demo.roots.invalid"]').getByRole('link', { name: /Reset password/ }).click();
    expect(await page.locator('h1').textContent()).toBe('Reset this password?');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.goto(`${baseUrl}/admin/tokens`);
    expect(await page.locator('h1').textContent()).toBe('API tokens');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.context().close();

    const theirs = await newPage();
    await signIn(theirs, 'bethan@demo.roots.invalid', password);
    expect(await theirs.locator('[data-testid="signed-in-as"]').textContent()).toBe('Signed in as Bethan Jones');
    // A therapist is not an administrator.
    const refused = await theirs.goto(`${baseUrl}/admin/users`);
    expect(refused?.status()).toBe(403);
    await theirs.context().close();
  }, 300_000);
});
