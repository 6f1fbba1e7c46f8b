import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as codes from '../../domain/codes.ts';
import { isRootsError } from '../../errors/roots-error.ts';
import { priorityTargetDays } from '../../triage/priority.ts';
import { flagReason, riskFlagCodes, type RiskAssessment, type RiskFlagCode } from '../../triage/risk-flags.ts';
import { recordTriage, servicesToTriage, triageQueue, viewForTriage, type TriageView } from '../../triage/triage.service.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import type { AppDependencies } from '../app.ts';

/**
 * Triage pages for therapists and team leads (signed in): the services they triage, each
 * service's queue (filters in a GET form, so they work without JavaScript), and one referral's
 * triage page (summary, explained risk flags, history, decision form). Every route only parses
 * and renders: access checks, audit entries and the write are the triage service's.
 */
const config = { access: 'staff' } as const;
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
const many = z.union([z.string(), z.array(z.string())]).optional();
const asList = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());

const queueQuery = z.object({
  organisation: z.string().max(40).optional(),
  show: z.string().max(20).optional(),
  pathway: z.string().max(40).optional(),
  priority: z.string().max(4).optional(),
  flag: many,
  unknownArea: z.string().max(10).optional(),
  page: z.string().max(6).optional(),
  lang: z.enum(['en', 'cy']).optional(),
});
const referralParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });
const referralQuery = z.object({ saved: z.coerce.number().int().positive().optional(), lang: z.enum(['en', 'cy']).optional() });
const decisionBody = z.object({
  _csrf: z.string().max(200).optional(),
  version: z.string().max(12).default(''),
  'triagedOn-day': z.string().max(10).default(''),
  'triagedOn-month': z.string().max(10).default(''),
  'triagedOn-year': z.string().max(10).default(''),
  pathway: z.string().max(40).default(''),
  priority: z.string().max(4).default(''),
  outcome: z.string().max(40).default(''),
  reason: z.string().max(20_000).default(''),
  redirectTo: z.string().max(20_000).default(''),
  notes: z.string().max(20_000).default(''),
});
type DecisionForm = z.output<typeof decisionBody>;

/** One of the allowed values, or undefined (a tampered or stale filter is just ignored). */
const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined => (values as readonly string[]).includes(value ?? '') ? (value as T) : undefined;

/** 'YYYY-MM-DD' from the three boxes of the NHS date input, or null when not a real date. */
export function dateFromParts(day: string, month: string, year: string): string | null {
  if (!/^\d{1,2}$/.test(day.trim()) || !/^\d{1,2}$/.test(month.trim()) || !/^\d{4}$/.test(year.trim())) return null;
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function explainRisk(risk: RiskAssessment, language: Language) {
  const t = contentFor(language).triage;
  return { score: risk.score, flags: risk.flags.map((flag) => ({ code: flag.code, name: t.flagNames[flag.code], reason: flagReason(flag, t.flags), points: flag.points })) };
}

export const triageRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock }) => {
  app.get('/triage', { schema: { querystring: z.object({ lang: z.enum(['en', 'cy']).optional() }), hide: true }, config }, async (request, reply) => {
    const services = await servicesToTriage(store.db, request.actor!);
    const t = contentFor(request.language).triage;
    return reply.page('pages/triage/services.njk', { pageTitle: t.services.title, services });
  });

  app.get('/services/:service/triage', { schema: { params: z.object({ service: z.string().min(1).max(100) }), querystring: queueQuery, hide: true }, config }, async (request, reply) => {
    const q = request.query;
    const page = /^\d{1,5}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1;
    const flags = asList(q.flag).filter((flag): flag is RiskFlagCode => (riskFlagCodes as readonly string[]).includes(flag));
    const queue = await triageQueue(
      store.db,
      request.actor!,
      { serviceCode: request.params.service, organisationCode: q.organisation },
      {
        show: oneOf(['untriaged', 'triaged', 'all'] as const, q.show) ?? 'untriaged',
        pathway: oneOf(codes.pathway.values, q.pathway),
        priority: oneOf(codes.priority.values, q.priority),
        flags,
        unknownArea: q.unknownArea === 'yes',
        page,
      },
      clock(),
    );
    const t = contentFor(request.language).triage;
    const base = `/services/${encodeURIComponent(queue.service.code)}/triage`;
    const pageHref = (n: number) => {
      const params = new URLSearchParams();
      if (q.organisation) params.set('organisation', q.organisation);
      params.set('show', queue.filters.show);
      if (queue.filters.pathway) params.set('pathway', queue.filters.pathway);
      if (queue.filters.priority) params.set('priority', queue.filters.priority);
      for (const flag of queue.filters.flags) params.append('flag', flag);
      if (queue.filters.unknownArea) params.set('unknownArea', 'yes');
      params.set('page', String(n));
      return `${base}?${params.toString()}`;
    };
    return reply.page('pages/triage/queue.njk', {
      pageTitle: `${t.queue.title}: ${queue.service.name}`,
      queue,
      action: base,
      organisation: q.organisation,
      lead: fill(t.queue.lead, { service: queue.service.name }),
      count: fill(t.queue.count, { total: queue.total, page: queue.page, pages: queue.pages }),
      previousHref: queue.page > 1 ? pageHref(queue.page - 1) : null,
      nextHref: queue.page < queue.pages ? pageHref(queue.page + 1) : null,
      entries: queue.entries.map((entry) => ({
        ...entry,
        flagNames: entry.risk.flags.map((flag) => t.flagNames[flag.code]),
        decision: entry.outcome ? `${t.outcomes[entry.outcome]}${entry.pathway ? `, ${t.pathways[entry.pathway]}` : ''}${entry.priority ? `, ${entry.priority}` : ''}` : t.statuses[entry.status],
      })),
      showOptions: (['untriaged', 'triaged', 'all'] as const).map((value) => ({ value, text: t.queue.showOptions[value], selected: value === queue.filters.show })),
      pathwayOptions: [{ value: '', text: t.queue.any }, ...codes.pathway.values.map((value) => ({ value, text: t.pathways[value], selected: value === queue.filters.pathway }))],
      priorityOptions: [{ value: '', text: t.queue.any }, ...codes.priority.values.map((value) => ({ value, text: value, selected: value === queue.filters.priority }))],
      flagOptions: riskFlagCodes.map((value) => ({ value, text: t.flagNames[value], checked: queue.filters.flags.includes(value) })),
    });
  });

  app.get('/referrals/:id/triage', { schema: { params: referralParams, querystring: referralQuery, hide: true }, config }, async (request, reply) => {
    const view = await viewForTriage(store.db, request.actor!, request.params.id);
    return renderReferral(request.language, reply, view, { saved: request.query.saved ?? null, values: defaults(clock()) });
  });

  app.post('/referrals/:id/triage', { schema: { params: referralParams, querystring: referralQuery, body: decisionBody, hide: true }, config }, async (request, reply) => {
    const form = request.body;
    const t = contentFor(request.language).triage;
    const errors: { field: string; text: string }[] = [];
    const triagedOn = dateFromParts(form['triagedOn-day'], form['triagedOn-month'], form['triagedOn-year']);
    if (!triagedOn) errors.push({ field: 'triagedOn-day', text: t.errors.triagedOn });
    const pathway = oneOf(codes.pathway.values, form.pathway);
    if (!pathway) errors.push({ field: 'pathway', text: t.errors.pathway });
    const outcome = oneOf(codes.triageOutcome.values, form.outcome);
    if (!outcome) errors.push({ field: 'outcome', text: t.errors.outcome });
    const priority = oneOf(codes.priority.values, form.priority) ?? null;
    if (outcome === 'accept' && !priority) errors.push({ field: 'priority', text: t.errors.priority });
    if (outcome === 'return_to_referrer' && form.reason.trim() === '') errors.push({ field: 'reason', text: t.errors.reason });
    for (const [field, max] of [['reason', 2000], ['redirectTo', 200], ['notes', 4000]] as const) {
      if (form[field].trim().length > max) errors.push({ field, text: t.errors.tooLong });
    }
    const version = /^\d{1,10}$/.test(form.version) ? Number(form.version) : null;
    // A form without a version cannot prove it saw the current decision: treated as stale.
    let conflict = version === null;
    if (errors.length === 0 && !conflict) {
      try {
        const saved = await recordTriage(store.db, request.actor!, request.params.id, {
          triagedOn: triagedOn!,
          pathway: pathway!,
          priority,
          outcome: outcome!,
          reason: form.reason,
          redirectTo: form.redirectTo,
          notes: form.notes,
          expectedVersion: version!,
        });
        return reply.redirect(`/referrals/${request.params.id}/triage?saved=${saved.decisionVersion}`, 303);
      } catch (error) {
        if (!isRootsError(error)) throw error;
        if (error.code === 'CONFLICT') conflict = true;
        else if (error.code === 'VALIDATION_FAILED') {
          for (const problem of error.problems) {
            if (problem.field === 'triagedOn') errors.push({ field: 'triagedOn-day', text: problem.reason.includes('before') ? t.errors.triagedOnBeforeReceived : t.errors.triagedOn });
            else if (problem.field === 'outcome') errors.push({ field: 'outcome', text: t.errors.outcomeNotAllowed });
            else if (problem.field === 'priority') errors.push({ field: 'priority', text: t.errors.priority });
            else if (problem.field === 'reason') errors.push({ field: 'reason', text: t.errors.reason });
            else errors.push({ field: problem.field ?? 'outcome', text: problem.reason });
          }
        } else throw error;
      }
    }
    // Shown again (and the view audited again): the current decision, with the errors or the conflict.
    const view = await viewForTriage(store.db, request.actor!, request.params.id);
    if (conflict) {
      return renderReferral(request.language, reply.status(409), view, { saved: null, values: defaults(clock()), errors: [{ field: 'history', text: t.errors.conflict }], conflict: true });
    }
    return renderReferral(request.language, reply.status(400), view, { saved: null, values: form, errors });
  });
};

function defaults(today: string): DecisionForm {
  const [year, month, day] = today.split('-');
  return { version: '', 'triagedOn-day': String(Number(day)), 'triagedOn-month': String(Number(month)), 'triagedOn-year': year!, pathway: '', priority: '', outcome: '', reason: '', redirectTo: '', notes: '' };
}

function renderReferral(
  language: Language,
  reply: import('fastify').FastifyReply,
  view: TriageView,
  options: { saved: number | null; values: DecisionForm; errors?: { field: string; text: string }[]; conflict?: boolean },
) {
  const content = contentFor(language);
  const t = content.triage;
  const r = view.referral;
  const notRecorded = t.referral.notRecorded;
  const title = fill(t.referral.title, { reference: r.reference });
  const errors = options.errors ?? [];
  const summary = [
    [t.referral.name, [r.givenName, r.familyName].filter(Boolean).join(' ') || notRecorded],
    [t.referral.nhsNumber, r.nhsNumber ?? notRecorded],
    [t.referral.received, r.receivedOn],
    [t.referral.source, codes.referralSource.labels[r.source]],
    [t.referral.status, t.statuses[r.status]],
    [t.referral.age, view.age === null ? notRecorded : String(view.age)],
    [t.referral.postcode, r.postcode ?? notRecorded],
    [t.referral.language, r.language ?? notRecorded],
    [t.referral.adjustments, r.reasonableAdjustments ?? notRecorded],
    [t.referral.reason, r.reason ?? notRecorded],
  ].map(([key, value]) => ({ key: { text: key }, value: { text: value } }));
  const history = view.history.map((entry, index) => ({
    heading: entry.fromSource ? t.referral.fromSource : fill(t.referral.decisionNumber, { version: entry.version ?? '' }),
    current: index === 0,
    decidedBy: entry.decidedBy && entry.decidedAt ? fill(t.referral.decidedBy, { name: entry.decidedBy, date: entry.triagedOn }) : entry.triagedOn,
    outcome: t.outcomes[entry.outcome],
    pathway: t.pathways[entry.pathway],
    priority: entry.priority ? `${entry.priority}${entry.targetDate ? ` (${fill(t.referral.target, { date: entry.targetDate })})` : ''}` : null,
    reason: entry.reason,
    redirectTo: entry.redirectTo,
    notes: entry.notes,
  }));
  const values = options.values;
  return reply.page('pages/triage/referral.njk', {
    pageTitle: errors.length > 0 ? `${content.admin.errorPrefix}: ${title}` : title,
    title,
    referral: r,
    backHref: `/services/${encodeURIComponent(r.serviceCode)}/triage?organisation=${encodeURIComponent(r.organisationCode)}`,
    summary,
    risk: explainRisk(view.risk, language),
    history,
    mayDecide: view.mayDecide,
    saved: options.saved ? fill(t.referral.savedBody, { version: options.saved }) : null,
    conflict: options.conflict ?? false,
    errors,
    version: r.version,
    values,
    pathwayItems: codes.pathway.values.map((value) => ({ value, text: t.pathways[value], checked: value === values.pathway })),
    priorityItems: codes.priority.values.map((value) => ({ value, text: fill(t.priorities[value], { days: priorityTargetDays[value] }), checked: value === values.priority })),
    outcomeItems: codes.triageOutcome.values.map((value) => ({ value, text: t.outcomes[value], checked: value === values.outcome })),
    closed: view.mayDecide ? null : fill(t.referral.closed, { status: t.statuses[r.status] }),
  });
}


