import type { FastifyPluginAsync } from 'fastify';
import { discloseCount } from '../../disclosure/disclosure.ts';
import { defaultService, serviceTotals, type ServiceTotals } from '../../organisations/service.repository.ts';
import { contentFor } from '../../web/content/index.ts';
import type { AppDependencies } from '../app.ts';

/**
 * Public home page: what Roots is, and the demo service's headline totals (disclosure-controlled);
 * and the About, Accessibility statement and Privacy pages.
 */
export const homeRoutes: FastifyPluginAsync<AppDependencies> = async (app, { store, clock }) => {
  app.get('/', { config: { access: 'public' } }, async (request, reply) => {
    const service = await defaultService(store.db);
    if (!service) return reply.page('pages/home.njk', { service: null });
    const today = clock();
    const yearAgo = new Date(Date.parse(today) - 365 * 86_400_000).toISOString().slice(0, 10);
    const totals = await serviceTotals(store.db, service.id, yearAgo, today);
    const t = contentFor(request.language).home.metric;
    const counts: (keyof Omit<ServiceTotals, 'medianWaitWeeks'>)[] = ['referrals', 'accepted', 'waiting', 'seen', 'discharged'];
    const rows: { key: string; label: string; shown: boolean; display: string | null }[] = counts.map((key) => {
      const disclosed = discloseCount(totals[key]);
      return { key, label: t[key], shown: disclosed.shown, display: disclosed.shown ? disclosed.value.toLocaleString('en-GB') : null };
    });
    // A median of fewer than 8 people's waits could identify them: shown only when their count is.
    const seenShown = discloseCount(totals.seen).shown && totals.seen > 0;
    rows.push({
      key: 'medianWaitWeeks',
      label: t.medianWaitWeeks,
      shown: seenShown && totals.medianWaitWeeks !== null,
      display: seenShown && totals.medianWaitWeeks !== null ? totals.medianWaitWeeks.toFixed(1) : null,
    });
    return reply.page('pages/home.njk', { service, totals: rows });
  });

  // The pages linked from every footer: what Roots is, the accessibility statement and the
  // privacy notice (text in src/web/content, English and Welsh).
  for (const name of ['about', 'accessibility', 'privacy'] as const) {
    app.get(`/${name}`, { config: { access: 'public' } }, async (request, reply) => {
      const page = contentFor(request.language).pages[name];
      return reply.page('pages/info.njk', { pageTitle: page.title, page });
    });
  }
};
