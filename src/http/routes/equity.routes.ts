import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fill, formatDate } from '../../equity/findings/format.ts';
import { toCsv } from '../../equity/outputs/csv.output.ts';
import { renderEquityPage } from '../../equity/outputs/equity.page.ts';
import { toHtmlReport } from '../../equity/outputs/html.report.ts';
import { toJson } from '../../equity/outputs/json.output.ts';
import { toXlsx } from '../../equity/outputs/xlsx.output.ts';
import { contentFor } from '../../web/content/index.ts';
import type { AppDependencies } from '../app.ts';
import { equityRateLimit } from '../plugins/rate-limit.ts';
import { createViews } from '../views.ts';
import { auditQuery, resolveAuditRequest } from './equity.request.ts';

const downloadFormats = { json: 'application/json', csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', html: 'text/html' } as const;

/**
 * The equity audit as a page and as downloads. These show only disclosure-controlled aggregates
 * (the NHS rule for published statistics), so they are public, like published NHS statistics
 * (docs/adr/0006). The API version (src/http/api/v1) requires a token and is scoped to the
 * caller's organisation.
 */
export const equityRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock, audits, config }) => {
  const views = createViews();
  const parallel = store.engine === 'postgresql';

  // The page's content (charts drawn with Vega, tables, findings) costs more CPU than a cached
  // audit: it is kept beside the audit it was made from, per language and links, and goes when
  // the cache lets that audit go.
  const rendered = new WeakMap<object, Map<string, ReturnType<typeof renderEquityPage>>>();
  const pageFor = (audit: Awaited<ReturnType<typeof audits.audit>>, language: 'en' | 'cy', downloads: Record<string, string>) => {
    const byKey = rendered.get(audit) ?? new Map<string, ReturnType<typeof renderEquityPage>>();
    rendered.set(audit, byKey);
    const key = `${language} ${downloads.json}`;
    let page = byKey.get(key);
    if (!page) {
      page = renderEquityPage(audit, language, { downloads });
      page.catch(() => byKey.delete(key));
      byKey.set(key, page);
    }
    return page;
  };

  const linkQuery = (serviceCode: string, period: { from: string; to: string }) =>
    new URLSearchParams({ service: serviceCode, from: period.from, to: period.to }).toString();

  app.get('/equity', { config: { access: 'public', rateLimit: equityRateLimit(config) }, schema: { querystring: auditQuery, hide: true } }, async (request, reply) => {
    const { request: auditRequest, serviceCode, period, asOfClamped } = await resolveAuditRequest(store.db, request.query, clock());
    const audit = await audits.audit(store.db, auditRequest, { parallel });
    const query = linkQuery(serviceCode, period);
    const downloads = {
      json: `/equity/audit.json?${query}`,
      csv: `/equity/audit.csv?${query}`,
      xlsx: `/equity/audit.xlsx?${query}`,
      html: `/equity/report.html?${query}`,
    };
    return reply.page('pages/equity.njk', {
      ...(await pageFor(audit, request.language, downloads)),
      asOfNotice: asOfClamped ? fill(contentFor(request.language).equity.asOfClamped, { asOf: formatDate(auditRequest.asOf, request.language) }) : null,
    });
  });

  app.get('/equity/:file', { config: { access: 'public', rateLimit: equityRateLimit(config) }, schema: { querystring: auditQuery, params: z.object({ file: z.enum(['audit.json', 'audit.csv', 'audit.xlsx', 'report.html']) }), hide: true } }, async (request, reply) => {
    const { request: auditRequest, serviceCode, period } = await resolveAuditRequest(store.db, request.query, clock());
    const audit = await audits.audit(store.db, auditRequest, { parallel });
    const format = request.params.file.split('.')[1] as keyof typeof downloadFormats;
    const name = `roots-equity-audit-${serviceCode}-${period.from}-to-${period.to}.${format}`;
    const body =
      format === 'json' ? toJson(audit)
      : format === 'csv' ? toCsv(audit)
      : format === 'xlsx' ? toXlsx(audit, request.language)
      : await toHtmlReport(audit, views, {});
    return reply
      .type(`${downloadFormats[format]}${format === 'xlsx' ? '' : '; charset=utf-8'}`)
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(body);
  });
};
