import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { resolveServiceFor } from '../../access/service-access.ts';
import { recordAuditTrail } from '../../audit-trail/audit-trail.repository.ts';
import { MINIMUM_WINDOW_REFERRALS, windowLargeEnough } from '../../disclosure/disclosure.ts';
import { earlierDate, isoDate } from '../../domain/dates.ts';
import { equityAuditFor, referralDateRange } from '../../equity/audit/audit.service.ts';
import type { AuditRequest, DisclosedAudit } from '../../equity/audit/audit.model.ts';
import { defaultFixedPeriod, fixedPeriodById, fixedPeriods, type FixedPeriod } from '../../equity/audit/audit.periods.ts';
import { fill, formatDate } from '../../equity/findings/format.ts';
import { toCsv } from '../../equity/outputs/csv.output.ts';
import { renderEquityPage } from '../../equity/outputs/equity.page.ts';
import { toHtmlReport } from '../../equity/outputs/html.report.ts';
import { toJson } from '../../equity/outputs/json.output.ts';
import { toXlsx } from '../../equity/outputs/xlsx.output.ts';
import { RootsError } from '../../errors/roots-error.ts';
import { defaultService, findServiceByReference, parseServiceReference, type ServiceRow } from '../../organisations/service.repository.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import { asksForCustomWindow, equityWindowFields, parseEquityWindow, type EquityWindowError, type EquityWindowValues } from '../../web/forms/equity-window.form.ts';
import type { AppDependencies } from '../app.ts';
import { equityRateLimit } from '../plugins/rate-limit.ts';
import { createViews } from '../views.ts';

/** A service code, or ORG~code (or ORG/code) when service codes repeat across organisations. */
const serviceReference = z.string().regex(/^(?:[A-Za-z0-9-]{2,20}[~/])?[a-z0-9-]{2,40}$/, { message: 'is not a service code (code, or ORGANISATION~code)' });
const auditQuery = equityWindowFields.extend({
  service: serviceReference.optional(),
  // Service codes are unique within an organisation: this names it when several match (or use ORG~code).
  organisation: z.string().regex(/^[A-Z0-9-]{2,20}$/, { message: 'is not an organisation code' }).optional(),
  period: z.string().max(20).optional(),
  // From and to as YYYY-MM-DD (links, downloads); the form sends day, month and year boxes.
  from: isoDate.optional(),
  to: isoDate.optional(),
  lang: z.enum(['en', 'cy']).optional(),
});
type AuditQuery = z.infer<typeof auditQuery>;

const downloadFormats = { json: 'application/json', csv: 'text/csv', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', html: 'text/html' } as const;

/** How the audit trail names a visitor who is not signed in (no actor: nobody to name). */
const ANONYMOUS = 'anonymous';

/**
 * The equity audit as a page and as downloads.
 *
 * - Anyone: fixed periods only (financial years, the rolling 12 months; audit.periods.ts), by
 *   `?period=`. These show only disclosure-controlled aggregates, like published NHS statistics
 *   (docs/adr/0006). A custom window asked for without signing in is refused, and the refusal
 *   is written to the audit trail: a narrow window can single a person out.
 * - Signed-in staff who may read the service's aggregates (its own organisation's staff, its
 *   commissioners): also a custom window, chosen with the form on the page (NHS date inputs,
 *   error summary) or as `from`/`to`. The access check comes first (equityAuditFor, refusals
 *   audited); the window is then shown only when it holds at least MINIMUM_WINDOW_REFERRALS
 *   referrals as disclosed. Downloads follow the same rule.
 */
export const equityRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock, audits, config }) => {
  const views = createViews();
  const parallel = store.engine === 'postgresql';

  const referenceOf = (query: AuditQuery) => (query.service && query.organisation && !/[~/]/.test(query.service) ? `${query.organisation}~${query.service}` : query.service);

  async function publicService(query: AuditQuery): Promise<ServiceRow> {
    const reference = referenceOf(query);
    const service = reference ? await findServiceByReference(store.db, reference) : await defaultService(store.db);
    if (!service) throw new RootsError('NOT_FOUND', { detail: 'There is no such service.' });
    return service;
  }

  /** A fixed period of a service: `?period=`, or the newest holding its latest referral. */
  async function fixedRequestFor(service: ServiceRow, periodId: string | undefined): Promise<{ request: AuditRequest; period: FixedPeriod; periods: FixedPeriod[] }> {
    const today = clock();
    const referrals = await referralDateRange(store.db, service.id);
    const periods = fixedPeriods(referrals, today);
    let period: FixedPeriod | null;
    if (periodId !== undefined) {
      period = fixedPeriodById(periodId, today);
      const choices = periods.map((p) => `period=${p.id}`).join(', ');
      if (!period) throw new RootsError('BAD_REQUEST', { detail: `There is no period "${periodId}": choose one of ${choices}.`, problems: [{ field: 'period', reason: 'is not one of the fixed periods' }] });
    } else {
      period = defaultFixedPeriod(periods, referrals);
    }
    return { request: { serviceId: service.id, from: period.from, to: period.to }, period, periods };
  }

  /** A custom window asked for without signing in: recorded in the audit trail, then refused. */
  async function refusePublicWindow(query: AuditQuery): Promise<never> {
    const service = await publicService(query);
    const periods = fixedPeriods(await referralDateRange(store.db, service.id), clock());
    await recordAuditTrail(store.db, {
      actor: ANONYMOUS,
      action: 'denied',
      subjectKind: 'equity_audit',
      subjectId: service.id,
      organisationId: service.organisationId,
      detail: { wanted: 'custom_window', via: 'web' },
    });
    const fields = Object.keys(query).filter((key) => key === 'from' || key === 'to' || key.startsWith('from-') || key.startsWith('to-'));
    throw new RootsError('BAD_REQUEST', {
      detail: `Public pages and downloads show fixed periods only: choose one of ${periods.map((p) => `period=${p.id}`).join(', ')}. A custom window needs sign-in.`,
      problems: [{ field: fields[0] ?? 'from', reason: 'needs sign-in; choose a fixed period' }],
    });
  }

  type CustomWindow =
    | { ok: true; audit: DisclosedAudit; service: ServiceRow; from: string; to: string; values: EquityWindowValues }
    | { ok: false; service: ServiceRow; errors: { field: string; key: EquityWindowError }[]; values: EquityWindowValues };

  /** A signed-in actor's custom window: access first (refusals audited), then the form, then the minimum total. */
  async function customWindow(actor: Actor, query: AuditQuery): Promise<CustomWindow> {
    const today = clock();
    const reference = referenceOf(query) ?? (await defaultService(store.db).then((s) => (s ? `${s.organisationCode}~${s.code}` : undefined)));
    const named = parseServiceReference(reference);
    if (!named.serviceCode) throw new RootsError('NOT_FOUND', { detail: 'There is no such service.' });
    const known = await resolveServiceFor(store.db, actor, { serviceCode: named.serviceCode, organisationCode: named.organisationCode }, { on: today, subjectKind: 'equity_audit' });
    const service = await findServiceByReference(store.db, `${known.organisationCode}~${known.serviceCode}`);
    const parsed = parseEquityWindow(query);
    if (!parsed.ok) return { ok: false, service, errors: parsed.errors, values: parsed.values };
    const request: AuditRequest = { serviceId: service.id, from: parsed.from, to: parsed.to, asOf: earlierDate(parsed.to, today) };
    const audit = await equityAuditFor(store.db, actor, request, { parallel, cache: audits });
    if (!windowLargeEnough(audit.total.counts.referrals)) return { ok: false, service, errors: [{ field: 'from-day', key: 'tooFew' }], values: parsed.values };
    return { ok: true, audit, service, from: parsed.from, to: parsed.to, values: parsed.values };
  }

  // Links name the organisation too: service codes are unique only within an organisation.
  // Both codes are capitals, small letters, digits and hyphens: nothing to escape.
  const fixedQuery = (service: ServiceRow, period: FixedPeriod) => `service=${service.organisationCode}~${service.code}&period=${period.id}`;
  const windowQuery = (service: ServiceRow, from: string, to: string) => `service=${service.organisationCode}~${service.code}&from=${from}&to=${to}`;
  const downloadLinks = (query: string) => ({
    json: `/equity/audit.json?${query}`,
    csv: `/equity/audit.csv?${query}`,
    xlsx: `/equity/audit.xlsx?${query}`,
    html: `/equity/report.html?${query}`,
  });

  const emptyValues: EquityWindowValues = { from: { day: '', month: '', year: '' }, to: { day: '', month: '', year: '' } };

  /** The page: the audit, the fixed periods, and the custom window form (staff) or a note saying why there is none. */
  async function renderPage(
    request: FastifyRequest,
    reply: FastifyReply,
    shown: { audit: DisclosedAudit; service: ServiceRow; periods: FixedPeriod[]; current: FixedPeriod | null; query: string; window?: { from: string; to: string } },
    form: { values: EquityWindowValues; errors: { field: string; key: EquityWindowError }[] },
  ) {
    const language: Language = request.language;
    const t = contentFor(language);
    const periodLinks = shown.periods.map((p) => ({ href: `/equity?${fixedQuery(shown.service, p)}`, text: p.label, current: p.id === shown.current?.id }));
    const context = await renderEquityPage(shown.audit, language, { downloads: downloadLinks(shown.query), periods: periodLinks });
    const errors = form.errors.map((error) => ({ field: error.field, text: fill(t.equity.window.errors[error.key], { minimum: MINIMUM_WINDOW_REFERRALS }) }));
    const customWindowContext = {
      signedIn: request.actor !== null,
      action: '/equity',
      service: `${shown.service.organisationCode}~${shown.service.code}`,
      lead: fill(t.equity.window.lead, { minimum: MINIMUM_WINDOW_REFERRALS }),
      values: form.values,
      errors,
      current: shown.window ? fill(t.equity.window.current, { from: formatDate(shown.window.from, language), to: formatDate(shown.window.to, language) }) : null,
    };
    return reply.status(errors.length > 0 ? 400 : 200).page('pages/equity.njk', {
      ...context,
      pageTitle: errors.length > 0 ? `${t.signIn.errorPrefix}: ${context.pageTitle}` : context.pageTitle,
      errors,
      customWindow: customWindowContext,
    });
  }

  app.get('/equity', { config: { access: 'public', rateLimit: equityRateLimit(config) }, schema: { querystring: auditQuery, hide: true } }, async (request, reply) => {
    const query = request.query;
    if (asksForCustomWindow(query)) {
      if (!request.actor) return refusePublicWindow(query);
      const custom = await customWindow(request.actor, query);
      const fixed = await fixedRequestFor(custom.service, undefined);
      if (custom.ok) {
        return renderPage(request, reply, { audit: custom.audit, service: custom.service, periods: fixed.periods, current: null, query: windowQuery(custom.service, custom.from, custom.to), window: custom }, { values: custom.values, errors: [] });
      }
      // The form again, with its errors, above the default fixed period's audit.
      const audit = await audits.audit(store.db, fixed.request, { parallel });
      return renderPage(request, reply, { audit, service: custom.service, periods: fixed.periods, current: fixed.period, query: fixedQuery(custom.service, fixed.period) }, { values: custom.values, errors: custom.errors });
    }
    const service = await publicService(query);
    const fixed = await fixedRequestFor(service, query.period);
    const audit = await audits.audit(store.db, fixed.request, { parallel });
    return renderPage(request, reply, { audit, service, periods: fixed.periods, current: fixed.period, query: fixedQuery(service, fixed.period) }, { values: emptyValues, errors: [] });
  });

  app.get('/equity/:file', { config: { access: 'public', rateLimit: equityRateLimit(config) }, schema: { querystring: auditQuery, params: z.object({ file: z.enum(['audit.json', 'audit.csv', 'audit.xlsx', 'report.html']) }), hide: true } }, async (request, reply) => {
    const query = request.query;
    let audit: DisclosedAudit;
    let service: ServiceRow;
    let period: { from: string; to: string };
    if (asksForCustomWindow(query)) {
      if (!request.actor) return refusePublicWindow(query);
      const custom = await customWindow(request.actor, query);
      if (!custom.ok) {
        const t = contentFor('en').equity.window.errors;
        throw new RootsError('VALIDATION_FAILED', {
          detail: custom.errors.map((error) => fill(t[error.key], { minimum: MINIMUM_WINDOW_REFERRALS })).join('. '),
          problems: custom.errors.map((error) => ({ field: error.field.replace(/-day$/, ''), reason: fill(t[error.key], { minimum: MINIMUM_WINDOW_REFERRALS }) })),
        });
      }
      ({ audit, service } = custom);
      period = { from: custom.from, to: custom.to };
    } else {
      service = await publicService(query);
      const fixed = await fixedRequestFor(service, query.period);
      audit = await audits.audit(store.db, fixed.request, { parallel });
      period = fixed.period;
    }
    const format = request.params.file.split('.')[1] as keyof typeof downloadFormats;
    const name = `roots-equity-audit-${service.code}-${period.from}-to-${period.to}.${format}`;
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
