import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, testEngine, type TestStore } from '../../../test/support/database.ts';
import { testConfig } from '../../../test/support/config.ts';
import { cy } from '../../web/content/cy.ts';
import { en } from '../../web/content/en.ts';
import { buildApp } from '../app.ts';

// Given a service, when the home page shows its median wait (people already seen only) and the
// equity audit shows its own (people still waiting included, Kaplan-Meier), then the two carry
// different labels that say which is which, and the home page links to the audit's measure,
// in English and in Welsh.
describe(`home page median wait on ${testEngine}`, () => {
  let store: TestStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await createTestStore();
    const organisation = await store.db.insertInto('organisation').values({ code: 'T1', name: 'Test Trust' }).returning('id').executeTakeFirstOrThrow();
    await store.db.insertInto('service').values({ organisation_id: organisation.id, code: 'ot', name: 'Test OT', setting: 'primary_care' }).execute();
    app = await buildApp({ store, config: testConfig(), clock: () => '2026-11-21' });
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it('labels the two medians differently, and says which people each counts', () => {
    for (const content of [en, cy]) {
      expect(content.home.metric.medianWaitWeeks).not.toBe(content.equity.table.medianWait);
      expect(content.home.metric.medianWaitWeeks).not.toBe(content.equity.charts.waits.x);
    }
    expect(en.home.metric.medianWaitWeeks).toMatch(/people seen/);
    expect(en.equity.table.medianWait).toMatch(/still waiting/);
    expect(cy.home.metric.medianWaitWeeks).toMatch(/pobl a welwyd/);
    expect(cy.equity.table.medianWait).toMatch(/dal i aros/);
  });

  it('shows the seen-only label on the home page with a link to the audit measure', async () => {
    for (const [lang, content] of [['en', en], ['cy', cy]] as const) {
      const body = (await app.inject(`/?lang=${lang}`)).body;
      expect(body).toContain(content.home.metric.medianWaitWeeks.replaceAll("'", '&#39;'));
      expect(body).toMatch(/<a [^>]*href="\/equity[^"]*#breakdowns"[^>]*data-testid="median-wait-link"/);
    }
  });
});
