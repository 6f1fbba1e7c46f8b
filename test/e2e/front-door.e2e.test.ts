import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode, type DemoSignIn } from '../../src/demo/demo-organisation.ts';
import { addDemoTriageReferrals } from '../../src/demo/triage-demo.ts';
import { buildApp } from '../../src/http/app.ts';
import { isValidReference } from '../../src/referrals/reference-number.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';
import { journeyAnswers } from '../support/self-referral.ts';

const timeout = 300_000;

/**
 * The front door end to end (issue 8, "Done means"): a person completes /refer on the demo
 * service, including the urgent answer; a therapist signs in, finds that referral in the triage
 * queue among the demo referrals waiting there, sees its risk flags with reasons, and triages it.
 * Two runs: the person without JavaScript in English and the therapist with it (axe and 320 px
 * checks on every staff page); then the person with JavaScript in Welsh and the therapist
 * without it, in Welsh, with the keyboard alone. The referral's view is in the audit trail.
 */
describe.skipIf(!browserAvailable)(`from /refer to triage in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let demo: DemoSignIn;

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
    await addDemoTriageReferrals(store, service, new Date().toISOString().slice(0, 10));
    app = await buildApp({ store, config: testConfig({ ROOTS_REFERRAL_RATE_LIMIT_PER_MINUTE: '100000' }) });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  async function check(page: Page): Promise<void> {
    expect(await accessibilityViolations(page), page.url()).toEqual([]);
    const size = page.viewportSize()!;
    await page.setViewportSize({ width: 320, height: 640 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal scroll at 320 px on ${page.url()}`).toBeLessThanOrEqual(0);
    await page.setViewportSize(size);
  }

  async function tabTo(page: Page, selector: string) {
    for (let i = 0; i < 150; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    }
    throw new Error(`Tab never reached ${selector} on ${page.url()}`);
  }

  /** Keyboard or mouse, as the run says: the therapist's part of the journey works with either. */
  function actions(page: Page, keyboard: boolean) {
    return {
      async type(selector: string, text: string) {
        if (!keyboard) return page.locator(selector).fill(text);
        await tabTo(page, selector);
        await page.keyboard.type(text);
      },
      async follow(selector: string) {
        if (!keyboard) return void (await Promise.all([page.waitForNavigation(), page.locator(selector).first().click()]));
        await tabTo(page, selector);
        await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
      },
      async tick(name: string, value: string) {
        const box = page.locator(`input[name="${name}"][value="${value}"]`);
        if (!keyboard) return box.check();
        await tabTo(page, `input[name="${name}"][value="${value}"]`);
        await page.keyboard.press('Space');
        expect(await box.isChecked()).toBe(true);
      },
      async choose(name: string, value: string) {
        const radio = page.locator(`input[name="${name}"][value="${value}"]`);
        if (!keyboard) return radio.check();
        const values = await page.locator(`input[name="${name}"]`).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
        await tabTo(page, `input[name="${name}"]`);
        const at = values.indexOf(await page.evaluate(() => (document.activeElement as HTMLInputElement).value));
        const index = values.indexOf(value);
        if (index === at) await page.keyboard.press('Space');
        for (let i = at; i < index; i++) await page.keyboard.press('ArrowDown');
        expect(await radio.isChecked()).toBe(true);
      },
    };
  }

  /** A person completes /refer (urgent answer yes) and gets a reference number. */
  async function refer(javaScript: boolean, language: 'en' | 'cy'): Promise<string> {
    const context = await browser.newContext({ javaScriptEnabled: javaScript, viewport: { width: 320, height: 800 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${baseUrl}/refer?lang=${language}`);
    await page.locator('[data-testid="start"]').click();
    for (const [step, fields] of journeyAnswers({ urgent: true })) {
      expect(new URL(page.url()).pathname).toBe(`/refer/${step}`);
      for (const [name, value] of Object.entries(fields)) {
        const first = page.locator(`[name="${name}"]`).first();
        const type = (await first.getAttribute('type')) ?? 'text';
        if (type === 'radio' || type === 'checkbox') {
          for (const one of [value].flat()) await page.locator(`input[name="${name}"][value="${one}"]`).check();
        } else if (String(value) !== '') await first.fill(String(value));
      }
      await page.locator('[data-testid="continue"]').click();
    }
    expect(new URL(page.url()).pathname).toBe('/refer/check');
    await page.locator('[data-testid="submit"]').click();
    expect(new URL(page.url()).pathname).toBe('/refer/confirmation');
    const reference = (await page.locator('[data-testid="reference"]').textContent())!.trim();
    expect(isValidReference(reference)).toBe(true);
    await context.close();
    return reference.replaceAll('-', '');
  }

  for (const run of [
    { person: { javaScript: false, language: 'en' as const }, therapist: { javaScript: true, language: 'en' as const, keyboard: false } },
    { person: { javaScript: true, language: 'cy' as const }, therapist: { javaScript: false, language: 'cy' as const, keyboard: true } },
  ]) {
    it(`a /refer referral (person JavaScript ${run.person.javaScript ? 'on' : 'off'}, ${run.person.language}) is found and triaged by a therapist (JavaScript ${run.therapist.javaScript ? 'on' : 'off'}, ${run.therapist.language}${run.therapist.keyboard ? ', keyboard only' : ''})`, async () => {
      const reference = await refer(run.person.javaScript, run.person.language);
      const { referralId } = await store.db.selectFrom('self_referral').select('referral_id as referralId').where('reference', '=', reference).executeTakeFirstOrThrow();

      const context = await browser.newContext({ javaScriptEnabled: run.therapist.javaScript, viewport: { width: 1024, height: 800 } });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const checkIfScripted = async () => (run.therapist.javaScript ? check(page) : undefined);
      await page.goto(`${baseUrl}/triage?lang=${run.therapist.language}`);
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      const therapist = demo.users.find((user) => user.role === 'therapist')!;
      const act = actions(page, run.therapist.keyboard);
      await act.type('input[name="email"]', therapist.email);
      await act.type('input[name="password"]', demo.password);
      await act.follow('form[action^="/sign-in"] button');
      expect(new URL(page.url()).pathname).toBe('/triage');
      await page.goto(`${baseUrl}/triage?lang=${run.therapist.language}`);
      expect(await page.locator('html').getAttribute('lang')).toBe(run.therapist.language);
      await checkIfScripted();

      // The queue, filtered to urgent answers: the new self-referral is there among the demo referrals.
      await act.follow(`a[data-service="${demoServiceCode}"]`);
      await checkIfScripted();
      const everyone = await page.locator('[data-testid="triage-queue"] tbody tr').count();
      expect(everyone).toBeGreaterThan(1);
      await act.tick('flag', 'urgent');
      await act.follow('[data-testid="queue-filters"] button');
      expect(new URL(page.url()).searchParams.getAll('flag')).toEqual(['urgent']);
      const row = page.locator(`[data-testid="triage-queue"] tbody tr[data-referral="${referralId}"]`);
      expect(await row.count()).toBe(1);
      // The queue names it by its source record, which carries the reference the person was given.
      expect((await row.locator('a').textContent())!.trim()).toBe(`SELF-${reference}`);
      await act.follow(`[data-testid="triage-queue"] tbody tr[data-referral="${referralId}"] a`);
      expect(new URL(page.url()).pathname).toBe(`/referrals/${referralId}/triage`);
      // Its risk flags, each with a reason: the urgent answer, living alone and needing an interpreter.
      for (const flag of ['urgent', 'lives_alone', 'interpreter']) expect(await page.locator(`[data-flag="${flag}"]`).count(), flag).toBe(1);
      await checkIfScripted();

      await act.choose('pathway', 'mental_health');
      await act.choose('outcome', 'accept');
      await act.choose('priority', 'P1');
      await act.follow('[data-testid="triage-form"] button');
      expect(new URL(page.url()).searchParams.get('saved')).toBe('1');
      expect(await page.locator('[data-testid="history-outcome"]').first().textContent()).toBe(run.therapist.language === 'en' ? 'Accept to waiting list' : 'Derbyn i’r rhestr aros');
      await checkIfScripted();
      await context.close();

      const referral = await store.db.selectFrom('referral').select(['status', 'source']).where('id', '=', referralId).executeTakeFirstOrThrow();
      expect(referral).toEqual({ status: 'waiting', source: 'self' });
      const views = await store.db.selectFrom('audit_event').select(['actor', 'action']).where('subject_kind', '=', 'referral').where('subject_id', '=', String(referralId)).execute();
      expect(views.map((view) => view.action)).toEqual(expect.arrayContaining(['create', 'read', 'update']));
    }, timeout);
  }
});
