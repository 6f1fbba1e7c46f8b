import { testSystemActor } from '../support/actors.ts';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemoOrganisation, demoOrganisationCode, demoServiceCode } from '../../src/demo/demo-organisation.ts';
import { referralDateRange, runEquityAudit } from '../../src/equity/audit/audit.service.ts';
import { defaultFixedPeriod, fixedPeriods } from '../../src/equity/audit/audit.periods.ts';
import type { DisclosedAudit } from '../../src/equity/audit/audit.model.ts';
import { chartViews } from '../../src/equity/outputs/charts.ts';
import { buildApp } from '../../src/http/app.ts';
import { importReferralRows } from '../../src/imports/referral-import.service.ts';
import { loadAreaFrame } from '../../src/synth/area-frame.repository.ts';
import { resolveSynthOptions } from '../../src/synth/options.ts';
import { insertReferenceFixture } from '../support/synth-reference.fixture.ts';
import { synthesise } from '../../src/synth/synthesise.ts';
import { accessibilityViolations, browserAvailable, browserSkipReason, launchBrowser } from '../support/browser.ts';
import { testConfig } from '../support/config.ts';
import { createTestStore, type TestStore } from '../support/database.ts';

// The project compiles without the DOM library (tsconfig lib ES2023), so the browser globals used
// inside page.evaluate are declared here, for this file only.
interface BrowserElement {
  tagName: string;
  parentElement: BrowserElement | null;
  scrollWidth: number;
  clientWidth: number;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { left: number; right: number; width: number; height: number };
  closest(selector: string): BrowserElement | null;
}
declare const document: {
  body: BrowserElement;
  documentElement: BrowserElement;
  querySelectorAll(selector: string): Iterable<BrowserElement>;
  addEventListener(type: 'securitypolicyviolation', listener: (event: { violatedDirective: string; sample: string }) => void): void;
};
declare function getComputedStyle(element: BrowserElement): { clip: string; clipPath: string; overflowX: string };

/** What every equity page must satisfy in the browser, whatever the language or JavaScript. */
async function checkStructure(page: Page, expectedCharts: number) {
  // Every chart is an image with a title and a description, followed by its table.
  const charts = await page.locator('svg.app-chart__svg').evaluateAll((svgs) =>
    svgs.map((svg) => ({
      role: svg.getAttribute('role'),
      title: svg.querySelector(':scope > title')?.textContent?.trim() ?? '',
      desc: svg.querySelector(':scope > desc')?.textContent?.trim() ?? '',
      figure: svg.closest('figure')?.id ?? '',
      nextTable: (() => {
        let next = svg.closest('figure')?.nextElementSibling;
        while (next && next.tagName !== 'TABLE') next = next.nextElementSibling;
        return next?.getAttribute('data-chart') ?? '';
      })(),
    })),
  );
  expect(charts.length).toBe(expectedCharts);
  for (const chart of charts) {
    expect(chart.role).toBe('img');
    expect(chart.title.length).toBeGreaterThan(10);
    expect(chart.desc.length).toBeGreaterThan(40);
    expect(chart.nextTable).toBe(chart.figure);
  }
  // Every table has a caption with text.
  const captions = await page.locator('main table').evaluateAll((tables) => tables.map((t) => t.querySelector('caption')?.textContent?.trim() ?? ''));
  expect(captions.length).toBeGreaterThan(10);
  for (const caption of captions) expect(caption.length).toBeGreaterThan(5);
  // Headings never skip a level.
  const levels = await page.locator('main h1, main h2, main h3, main h4').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
  expect(levels[0]).toBe(1);
  for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
}

/** Elements whose right edge lies beyond the viewport, or whose content is clipped inside them. */
async function cutOff(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const problems: string[] = [];
    // Visually hidden content (clipped to nothing, like a responsive table's header row) is for
    // screen readers and may lie anywhere.
    const clipped = (element: BrowserElement): boolean => {
      for (let e: BrowserElement | null = element; e && e !== document.body; e = e.parentElement) {
        const style = getComputedStyle(e);
        if (style.clip !== 'auto' || style.clipPath !== 'none') return true;
      }
      return false;
    };
    for (const element of document.querySelectorAll('main *')) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (element.closest('svg title, svg desc') || clipped(element)) continue;
      const tag = element.tagName.toLowerCase();
      if (element.closest('svg') && tag !== 'svg') continue;
      const name = `${tag}.${element.getAttribute('class') ?? ''}`;
      if (box.right > width + 0.5 || box.left < -0.5) problems.push(`${name} right=${Math.round(box.right)}`);
      if (tag !== 'svg' && element.scrollWidth > element.clientWidth + 1 && getComputedStyle(element).overflowX !== 'visible') problems.push(`${name} scrolls`);
    }
    return { overflow: document.documentElement.scrollWidth - width, problems: problems.slice(0, 10) };
  });
}

/** axe-core takes tens of seconds over a page with this many tables and chart elements. */
const axeTimeout = 180_000;

// Given the demo service with a synthetic year of referrals, when a commissioner opens its equity
// audit page (or the printable report) in a real browser, then it passes WCAG 2.2 AA checks, its
// charts are described and tabulated, nothing breaks the content security policy, and it reflows
// at 320 px.
describe.skipIf(!browserAvailable)(`equity audit page in Chromium (${browserAvailable ? 'available' : browserSkipReason})`, () => {
  let store: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let report: string;
  let audit: DisclosedAudit;
  let expectedCharts: number;

  beforeAll(async () => {
    store = await createTestStore();
    await insertReferenceFixture(store.db);
    await createDemoOrganisation(store.db, null);
    const options = resolveSynthOptions({ people: 3000, seed: 11, serviceCode: `${demoOrganisationCode}/${demoServiceCode}` });
    await importReferralRows(store, synthesise(options, await loadAreaFrame(store.db, options.area)), { actor: testSystemActor, service: options.serviceCode!, today: options.yearEnd });
    const service = await store.db.selectFrom('service').select('id').where('code', '=', demoServiceCode).executeTakeFirstOrThrow();
    // The period the page shows by default: the newest fixed period holding the latest referral.
    const referrals = await referralDateRange(store.db, service.id);
    const shownPeriod = defaultFixedPeriod(fixedPeriods(referrals, options.yearEnd), referrals);
    audit = await runEquityAudit(store.db, { serviceId: service.id, from: shownPeriod.from, to: shownPeriod.to });
    // The fixture geography has two local authorities: too few for a funnel plot, so four charts.
    expectedCharts = (await chartViews(audit)).length;
    expect(expectedCharts).toBeGreaterThanOrEqual(4);
    app = await buildApp({ store, config: testConfig(), clock: () => options.yearEnd });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
    report = await (await fetch(`${baseUrl}/equity/report.html`)).text();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await store?.close();
  });

  async function open(options: { javaScriptEnabled?: boolean; width?: number; path?: string } = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: { width: options.width ?? 1024, height: 800 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.sample}`));
    });
    const response = await page.goto(`${baseUrl}${options.path ?? '/equity'}`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("style-src 'self'");
    return { context, page, problems };
  }

  for (const javaScriptEnabled of [true, false]) {
    it(`has no accessibility violations, described charts and captioned tables with JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, async () => {
      const { context, page, problems } = await open({ javaScriptEnabled });
      expect(await page.locator('h1').textContent()).toContain('Equity audit: Primary care occupational therapy (demonstration)');
      await checkStructure(page, expectedCharts);
      const gaps = audit.findings.filter((f) => f.kind === 'gap').length;
      expect(gaps).toBeGreaterThan(0); // the synthetic year plants an inverse-care gradient
      expect(await page.locator('[data-testid="findings-gaps"] li').count()).toBe(gaps);
      // axe-core runs as JavaScript in the page, so the checks run with JavaScript on; with it
      // off the page must still be complete (the structure above).
      if (javaScriptEnabled) {
        expect(await accessibilityViolations(page)).toEqual([]);
        expect(problems).toEqual([]);
      }
      await context.close();
    }, axeTimeout);
  }

  it('breaks no content security policy rule (no inline styles in the charts)', async () => {
    // A page that carries an inline style attribute fails this check, so it can fail.
    const { context, page, problems } = await open();
    await page.waitForLoadState('networkidle');
    expect(problems.filter((p) => p.startsWith('CSP violation') || p.includes('Content Security Policy'))).toEqual([]);
    expect(await page.locator('main [style]').count()).toBe(0);
    await context.close();
  });

  it('reflows at 320 CSS pixels with nothing cut off', async () => {
    const { context, page } = await open({ width: 320 });
    const result = await cutOff(page);
    expect(result.problems).toEqual([]);
    expect(result.overflow).toBeLessThanOrEqual(0);
    // The charts scale down to the column rather than overflowing it.
    const chartWidths = await page.locator('svg.app-chart__svg').evaluateAll((svgs) => svgs.map((svg) => svg.getBoundingClientRect().width));
    for (const width of chartWidths) expect(width).toBeLessThanOrEqual(320);
    await context.close();
  });

  it('works in Welsh, with the English findings marked as English', async () => {
    const { context, page } = await open({ path: '/equity?lang=cy' });
    expect(await page.getAttribute('html', 'lang')).toBe('cy');
    expect(await page.locator('h1').textContent()).toContain('Archwiliad tegwch');
    expect(await page.getAttribute('[data-testid="findings-gaps"]', 'lang')).toBe('en');
    await checkStructure(page, expectedCharts);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  }, axeTimeout);

  it('prints the content without navigation, with the methods open', async () => {
    const { context, page } = await open();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.app-contents').isVisible()).toBe(false);
    expect(await page.locator('.app-downloads').isVisible()).toBe(false);
    expect(await page.locator('.app-methods .nhsuk-details__text').isVisible()).toBe(true);
    expect(await page.locator('svg.app-chart__svg').first().isVisible()).toBe(true);
    await context.close();
  });

  for (const width of [1024, 320]) {
    it(`serves a printable report that passes the same checks at ${width} px`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      await page.setContent(report);
      expect(await page.locator('h1').textContent()).toContain('Equity audit');
      await checkStructure(page, expectedCharts);
      expect(await accessibilityViolations(page)).toEqual([]);
      if (width === 320) {
        const result = await cutOff(page);
        expect(result.problems).toEqual([]);
        expect(result.overflow).toBeLessThanOrEqual(0);
      }
      await context.close();
    }, axeTimeout);
  }
});

