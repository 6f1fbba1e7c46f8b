import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { lastTwelveMonths, equityAuditFor, referralDateRange, runEquityAudit } from '../../equity/audit/audit.service.ts';
import { defaultFixedPeriod, fixedPeriodById, fixedPeriods, type FixedPeriod } from '../../equity/audit/audit.periods.ts';
import { windowLargeEnough, MINIMUM_WINDOW_REFERRALS } from '../../disclosure/disclosure.ts';
import type { AuditRequest } from '../../equity/audit/audit.model.ts';
import { toCsv } from '../../equity/outputs/csv.output.ts';
import { renderEquityPage } from '../../equity/outputs/equity.page.ts';
import { toHtmlReport } from '../../equity/outputs/html.report.ts';
import { toJson } from '../../equity/outputs/json.output.ts';
import { toXlsx } from '../../equity/outputs/xlsx.output.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { resolveServiceFor } from '../../access/service-access.ts';
import { defaultService, findServiceByReference, parseServiceReference, type ServiceRow } from '../../organisations/service.repository.ts';
import type { AppDependencies } from '../app.ts';
import { equityRateLimit } from '../plugins/rate-limit.ts';
import { createViews } from '../views.ts';

import { isoDate } from '../../domain/dates.ts';
/** A service code, or ORG~code (or ORG/code) when service codes repeat across organisations. */
const serviceReference = z.string().regex(/^(?:[A-Za-z0-9-]{2,20}[~/])?[a-z0-9-]{2,40}$/, { message: 'is not a service code (code, or ORGANISATION~code)' });
const auditQuery = z.object({
  service: serviceReference.optional(),
  // Service codes are unique within an organisation: this names it when several match (or use ORG~code).
  organisation: z.string().regex(/^[A-Z0-9-]{2,20}$/, { message: 'is not an organisation code' }).optional(),
  period: z.string().max(20).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  lang: z.enum(['en', 'cy']).optional(),
});
type AuditQuery = z.infer<typeof auditQuery>;

const downloadFormats = { json: 'application/json', csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', html: 'text/html' } as const;

/**
 * The equity audit as a page and as downloads. These show only disclosure-controlled aggregates
 * (the NHS rule for published statistics), so they are public, like published NHS statistics
 * (docs/adr/0006). The API version requires a token and is scoped to the caller's organisation.
 */
export const equityRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock, audits, config }) => {
  const views = createViews();
  const parallel = store.engine === 'postgresql';

  async function requestFor(query: AuditQuery, preferOrganisationId?: number): Promise<{ request: AuditRequest; service: ServiceRow; serviceCode: string; period: { from: string; to: string } }> {
    const reference = query.service && query.organisation && !/[~/]/.test(query.service) ? `${query.organisation}~${query.service}` : query.service;
    const service = reference ? await findServiceByReference(store.db, reference, { preferOrganisationId }) : await defaultService(store.db);
    if (!service) throw new RootsError('NOT_FOUND', { detail: 'There is no such service.' });
    const period = { ...lastTwelveMonths(query.to ?? clock()), ...(query.from ? { from: query.from } : {}) };
    if (period.from > period.to) throw new RootsError('VALIDATION_FAILED', { detail: 'The period starts after it ends.', problems: [{ field: 'from', reason: 'is after to' }] });
    return { request: { serviceId: service.id, ...period }, service, serviceCode: service.code, period };
  }

  /**
   * Public pages and downloads: fixed periods only (audit.periods.ts), by `?period=`; with none,
   * the newest fixed period holding the service's latest referral. A custom from/to is for
   * signed-in staff (the API), never anonymous: a narrow window singles people out.
   */
  async function publicRequestFor(query: AuditQuery): Promise<{ request: AuditRequest; service: ServiceRow; serviceCode: string; period: FixedPeriod; periods: FixedPeriod[] }> {
    const reference = query.service && query.organisation && !/[~/]/.test(query.service) ? `${query.organisation}~${query.service}` : query.service;
    const service = reference ? await findServiceByReference(store.db, reference) : await defaultService(store.db);
    if (!service) throw new RootsError('NOT_FOUND', { detail: 'There is no such service.' });
    const today = clock();
    const referrals = await referralDateRange(store.db, service.id);
    const periods = fixedPeriods(referrals, today);
    const choices = periods.map((p) => `period=${p.id}`).join(', ');
    if (query.from !== undefined || query.to !== undefined) {
      throw new RootsError('BAD_REQUEST', {
        detail: `Public pages and downloads show fixed periods only: choose one of ${choices}. A custom window needs sign-in.`,
        problems: [{ field: query.from !== undefined ? 'from' : 'to', reason: 'needs sign-in; choose a fixed period' }],
      });
    }
    let period: FixedPeriod | null;
    if (query.period !== undefined) {
      period = fixedPeriodById(query.period, today);
      if (!period) throw new RootsError('BAD_REQUEST', { detail: `There is no period "${query.period}": choose one of ${choices}.`, problems: [{ field: 'period', reason: 'is not one of the fixed periods' }] });
    } else {
      period = defaultFixedPeriod(periods, referrals);
    }
    return { request: { serviceId: service.id, from: period.from, to: period.to }, service, serviceCode: service.code, period, periods };
  }

  // Links name the organisation too: service codes are unique only within an organisation.
  // Both codes are capitals, small letters, digits and hyphens: nothing to escape.
  const linkQuery = (service: ServiceRow, period: FixedPeriod) => `service=${service.organisationCode}~${service.code}&period=${period.id}`;

  app.get('/equity', { config: { access: 'public', rateLimit: equityRateLimit(config) }, schema: { querystring: auditQuery, hide: true } }, async (request, reply) => {
    const { request: auditRequest, service, period, periods } = await publicRequestFor(request.query);
    const audit = await audits.audit(store.db, auditRequest, { parallel });
    const query = linkQuery(service, period);
    const downloads = {
      json: `/equity/audit.json?${query}`,
      csv: `/equity/audit.csv?${query}`,
      xlsx: `/equity/audit.xlsx?${query}`,
      html: `/equity/report.html?${query}`,
    };
    const periodLinks = periods.map((p) => ({ href: `/equity?${linkQuery(service, p)}`, text: p.label, current: p.id === period.id }));
    return reply.page('pages/equity.njk', await renderEquityPage(audit, request.language, { downloads, periods: periodLinks }));
  });

  app.get('/equity/:file', { config: { access: 'public', rateLimit: equityRateLimit(config) }, schema: { querystring: auditQuery, params: z.object({ file: z.enum(['audit.json', 'audit.csv', 'audit.xlsx', 'report.html']) }), hide: true } }, async (request, reply) => {
    const { request: auditRequest, serviceCode, period } = await publicRequestFor(request.query);
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
