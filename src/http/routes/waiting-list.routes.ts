import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import { mayAllocate } from '../../access/policies.ts';
import { resolveServiceFor } from '../../access/service-access.ts';
import * as codes from '../../domain/codes.ts';
import { isRootsError } from '../../errors/roots-error.ts';
import type { ScopedService } from '../../organisations/commissioning.repository.ts';
import { parseServiceReference } from '../../organisations/service.repository.ts';
import type { EquityWeights } from '../../waiting-list/priority-score.ts';
import { queuePressure } from '../../waiting-list/queue-pressure.service.ts';
import { VALIDATION_MILESTONES } from '../../waiting-list/validation.repository.ts';
import { recordValidation, validationWorklist, viewForValidation } from '../../waiting-list/validation.service.ts';
import { waitingFlags } from '../../waiting-list/waiting-list.repository.ts';
import { decideEquityWeights, equityWeightHistory, exportWaitingList, servicesWithWaitingLists, viewWaitingList, waitingListFilters } from '../../waiting-list/waiting-list.service.ts';
import { equityWeightsImpact } from '../../waiting-list/weights-impact.service.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import type { AppDependencies } from '../app.ts';
import { forecastChart } from './waiting-list.chart.ts';

/**
 * The waiting list pages of a service (issue 9, items 1 to 4), for staff who may read its
 * records: the list itself (sortable, filterable, paged, each person's score part by part) and
 * its CSV export; the equity weights (history, the team lead's form, waits by group before and
 * after a decision); the validation worklist and its form; queue pressure with the forecast
 * chart. Filters are GET forms, so everything works without JavaScript. Routes parse and render;
 * access checks, audit entries and writes are the waiting-list services'.
 */
const config = { access: 'staff' } as const;
const serviceParam = z.string().regex(/^(?:[A-Za-z0-9-]{2,20}~)?[a-z0-9-]{2,40}$/, { message: 'is not a service code (code, or ORGANISATION~code)' });
const lang = z.enum(['en', 'cy']).optional();
const many = z.union([z.string().max(40), z.array(z.string().max(40)).max(20)]).optional();
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined => ((values as readonly string[]).includes(value ?? '') ? (value as T) : undefined);
const asList = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());
const number = (value: number, digits = 1) => value.toLocaleString('en-GB', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

const listQuery = z.object({
  sort: z.string().max(20).optional(),
  pathway: z.string().max(40).optional(),
  priority: z.string().max(4).optional(),
  breach: z.string().max(20).optional(),
  flag: many,
  page: z.string().max(6).optional(),
  lang,
});
const weightsBody = z.object({
  _csrf: z.string().max(200).optional(),
  mostDeprivedQuintile: z.string().max(20).default(''),
  inclusionHealthGroup: z.string().max(20).default(''),
  interpreterNeeded: z.string().max(20).default(''),
  disability: z.string().max(20).default(''),
  reason: z.string().max(20_000).default(''),
});
const validationBody = z.object({
  _csrf: z.string().max(200).optional(),
  milestone: z.string().max(4).default(''),
  outcome: z.string().max(40).default(''),
  note: z.string().max(20_000).default(''),
});
const weightKeys = ['mostDeprivedQuintile', 'inclusionHealthGroup', 'interpreterNeeded', 'disability'] as const;

export const waitingListRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock }) => {
  /** The service named in the address among those the actor may know (the service functions then check access). */
  async function serviceFor(actor: Actor, reference: string, subjectKind: string): Promise<ScopedService> {
    const named = parseServiceReference(reference);
    return resolveServiceFor(store.db, actor, { serviceCode: named.serviceCode!, organisationCode: named.organisationCode }, { on: clock(), subjectKind });
  }
  const address = (service: ScopedService) => `/services/${encodeURIComponent(`${service.organisationCode}~${service.serviceCode}`)}`;
  const tabs = (service: ScopedService, language: Language, current: 'list' | 'validation' | 'pressure' | 'weights', actor: Actor | null | undefined) => {
    const t = contentFor(language).waitingList.tabs;
    const base = address(service);
    return {
      label: t.label,
      items: [
        { key: 'list', href: `${base}/waiting-list`, text: t.list },
        { key: 'validation', href: `${base}/validation`, text: t.validation },
        { key: 'pressure', href: `${base}/queue-pressure`, text: t.pressure },
        { key: 'weights', href: `${base}/equity-weights`, text: t.weights },
        // The team lead's allocation worklist (allocation.routes.ts), for those who may allocate here.
        ...(actor && mayAllocate(actor, service) ? [{ key: 'allocation', href: `${base}/allocation`, text: t.allocation }] : []),
      ].map((item) => ({ ...item, current: item.key === current })),
    };
  };
  function filtersOf(q: z.infer<typeof listQuery>) {
    return waitingListFilters.parse({
      sort: oneOf(['score', 'wait', 'received', 'target'] as const, q.sort),
      pathway: oneOf(codes.pathway.values, q.pathway),
      priority: oneOf(codes.priority.values, q.priority),
      breach: oneOf(['breached', 'at_risk', 'within'] as const, q.breach),
      flag: asList(q.flag).filter((flag) => (waitingFlags as readonly string[]).includes(flag)),
      page: /^\d{1,5}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1,
    });
  }
  function filterParams(filters: ReturnType<typeof filtersOf>, page?: number): URLSearchParams {
    const params = new URLSearchParams();
    params.set('sort', filters.sort);
    if (filters.pathway) params.set('pathway', filters.pathway);
    if (filters.priority) params.set('priority', filters.priority);
    if (filters.breach) params.set('breach', filters.breach);
    for (const flag of filters.flag) params.append('flag', flag);
    if (page !== undefined) params.set('page', String(page));
    return params;
  }

  app.get('/waiting-lists', { schema: { querystring: z.object({ lang }), hide: true }, config }, async (request, reply) => {
    const services = await servicesWithWaitingLists(store.db, request.actor!);
    const t = contentFor(request.language).waitingList;
    return reply.page('pages/waiting-list/services.njk', {
      pageTitle: t.services.title,
      services: services.map((service) => ({ ...service, href: `/services/${encodeURIComponent(`${service.organisationCode}~${service.serviceCode}`)}/waiting-list` })),
    });
  });

  app.get('/services/:service/waiting-list', { schema: { params: z.object({ service: serviceParam }), querystring: listQuery, hide: true }, config }, async (request, reply) => {
    const actor = request.actor!;
    const service = await serviceFor(actor, request.params.service, 'waiting_list');
    const filters = filtersOf(request.query);
    const view = await viewWaitingList(store.db, actor, service.serviceId, filters, clock());
    const language = request.language;
    const t = contentFor(language);
    const w = t.waitingList.list;
    const base = `${address(service)}/waiting-list`;
    const weightsOn = weightKeys.some((key) => view.weights[key] > 0);
    return reply.page('pages/waiting-list/list.njk', {
      pageTitle: `${w.title}: ${service.serviceName}`,
      tabs: tabs(service, language, 'list', request.actor),
      lead: fill(w.lead, { service: service.serviceName }),
      weightsNote: weightsOn
        ? fill(w.weightsOn, { deprived: number(view.weights.mostDeprivedQuintile, 3), inclusion: number(view.weights.inclusionHealthGroup, 3), interpreter: number(view.weights.interpreterNeeded, 3), disability: number(view.weights.disability, 3) })
        : w.weightsOff,
      action: base,
      csvHref: `${address(service)}/waiting-list.csv?${filterParams(filters).toString()}`,
      count: fill(w.count, { total: view.total.toLocaleString('en-GB'), page: view.page, pages: view.pages }),
      previousHref: view.page > 1 ? `${base}?${filterParams(filters, view.page - 1).toString()}` : null,
      nextHref: view.page < view.pages ? `${base}?${filterParams(filters, view.page + 1).toString()}` : null,
      sortOptions: (['score', 'wait', 'received', 'target'] as const).map((value) => ({ value, text: w.sortOptions[value], selected: value === filters.sort })),
      pathwayOptions: [{ value: '', text: w.any }, ...codes.pathway.values.map((value) => ({ value, text: t.triage.pathways[value], selected: value === filters.pathway }))],
      priorityOptions: [{ value: '', text: w.any }, ...codes.priority.values.map((value) => ({ value, text: value, selected: value === filters.priority }))],
      breachOptions: [{ value: '', text: w.any }, ...(['breached', 'at_risk', 'within'] as const).map((value) => ({ value, text: w.breachOptions[value], selected: value === filters.breach }))],
      flagOptions: waitingFlags.map((value) => ({ value, text: w.flagNames[value], checked: filters.flag.includes(value) })),
      rows: view.rows.map((row) => {
        const flags = [
          row.urgentRisk ? w.flagNames.urgent : null,
          row.noFixedAddress ? w.flagNames.no_fixed_address : null,
          row.interpreterNeeded ? w.flagNames.interpreter : null,
          row.disability ? w.flagNames.disability : null,
          row.deprivationQuintile === 1 ? w.flagNames.most_deprived : null,
          row.scoreParts.some((part) => part.part === 'inclusionHealthGroup') || row.inclusionGroups.some((group) => ['homeless', 'asylum_seeker', 'refugee', 'gypsy_roma_traveller', 'prison_leaver', 'care_leaver'].includes(group)) ? w.flagNames.inclusion_health : null,
        ].filter((flag): flag is string => flag !== null);
        return {
          episodeId: row.episodeId,
          name: [row.givenName, row.familyName].filter(Boolean).join(' ') || w.notRecorded,
          nhsNumber: row.nhsNumber ? fill(w.nhsNumber, { number: row.nhsNumber }) : null,
          pathway: t.triage.pathways[row.pathway],
          priority: row.priority,
          waited: fill(w.days, { days: row.waitDays }),
          paused: row.pausedDays > 0 ? fill(w.pausedDays, { days: row.pausedDays }) : null,
          receivedOn: row.receivedOn,
          targetDate: row.targetDate,
          breach: row.breach,
          breachText: w.breachNames[row.breach],
          flags: flags.length > 0 ? flags.join(', ') : w.noFlags,
          score: row.score,
          parts: row.scoreParts.map((part) => ({
            text: fill(w.parts[part.part], { priority: row.priority, wait: row.waitDays, target: row.targetDays }),
            points: number(part.points, 3),
          })),
          total: fill(w.total, { score: number(row.score, 3) }),
        };
      }),
    });
  });

  app.get('/services/:service/waiting-list.csv', { schema: { params: z.object({ service: serviceParam }), querystring: listQuery, hide: true }, config }, async (request, reply) => {
    const actor = request.actor!;
    const service = await serviceFor(actor, request.params.service, 'waiting_list');
    const csv = await exportWaitingList(store.db, actor, service.serviceId, filtersOf(request.query), clock());
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="waiting-list-${service.organisationCode}-${service.serviceCode}-${clock()}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  async function renderWeights(request: FastifyRequest, reply: FastifyReply, service: ScopedService, options: { decision?: number | undefined; values?: Record<string, string>; errors?: { field: string; text: string }[]; saved?: boolean }) {
    const actor = request.actor!;
    const language = request.language;
    const t = contentFor(language);
    const w = t.waitingList.weights;
    const today = clock();
    const { current, history, mayDecide } = await equityWeightHistory(store.db, actor, service.serviceId, today);
    const impact = await equityWeightsImpact(store.db, actor, service.serviceId, options.decision, today);
    const base = `${address(service)}/equity-weights`;
    const weightsText = (weights: EquityWeights) => weightKeys.map((key) => `${w.names[key]}: ${number(weights[key], 3)}`).join('; ');
    const groupName = (dimension: string, group: string) =>
      dimension === 'deprivation'
        ? group === 'unknown' ? w.groups.unknown : group === '1' ? w.groups.most : group === '5' ? w.groups.least : fill(w.groups.quintile, { quintile: group })
        : group === 'yes' ? w.groups.yes : w.groups.no;
    const pace = impact.seenPerWeek;
    const errors = options.errors ?? [];
    const values = options.values ?? Object.fromEntries(weightKeys.map((key) => [key, String(current[key])]));
    return reply.status(errors.length > 0 ? 400 : 200).page('pages/waiting-list/weights.njk', {
      pageTitle: errors.length > 0 ? `${t.admin.errorPrefix}: ${w.title}` : w.title,
      tabs: tabs(service, language, 'weights', request.actor),
      lead: fill(w.lead, { service: service.serviceName }),
      action: base,
      saved: options.saved ?? false,
      errors,
      values,
      mayDecide,
      currentOff: weightKeys.every((key) => current[key] === 0),
      current: weightKeys.map((key) => ({ name: w.names[key], key, weight: number(current[key], 3) })),
      history: history.map((decision) => ({
        id: decision.id,
        decidedAt: decision.decidedAt.toISOString().slice(0, 16).replace('T', ' '),
        decidedBy: decision.decidedBy,
        reason: decision.reason,
        weights: weightsText(decision),
        impactHref: `${base}?decision=${decision.id}#impact`,
        shown: impact.decision?.id === decision.id,
      })),
      impact: impact.decision
        ? {
            lead: fill(w.impactLead, { date: impact.decision.decidedAt.toISOString().slice(0, 10), reason: impact.decision.reason }),
            before: weightsText(impact.before),
            after: weightsText(impact.after),
            method: pace === null ? w.impactMethodNoPace : fill(w.impactMethod, { pace: number(pace) }),
            showWeeks: pace !== null,
            groups: (['deprivation', 'inclusion_health', 'interpreter', 'disability'] as const).map((dimension) => ({
                  name: w.dimensions[dimension],
                  rows: impact.rows
                    .filter((row) => row.dimension === dimension)
                    .map((row) => ({
                      group: groupName(row.dimension, row.group),
                      key: `${row.dimension}:${row.group}`,
                      people: row.people.toLocaleString('en-GB'),
                      medianWait: number(row.medianWaitDays),
                      before: number(row.meanPlaceBefore),
                      after: number(row.meanPlaceAfter),
                      weeksBefore: pace === null ? '' : number(row.meanPlaceBefore / pace),
                      weeksAfter: pace === null ? '' : number(row.meanPlaceAfter / pace),
                    })),
                })),
          }
        : null,
    });
  }

  app.get(
    '/services/:service/equity-weights',
    { schema: { params: z.object({ service: serviceParam }), querystring: z.object({ decision: z.string().max(12).optional(), saved: z.string().max(4).optional(), lang }), hide: true }, config },
    async (request, reply) => {
      const service = await serviceFor(request.actor!, request.params.service, 'equity_weights');
      const decision = /^\d{1,10}$/.test(request.query.decision ?? '') ? Number(request.query.decision) : undefined;
      return renderWeights(request, reply, service, { decision, saved: request.query.saved === '1' });
    },
  );

  app.post(
    '/services/:service/equity-weights',
    { schema: { params: z.object({ service: serviceParam }), querystring: z.object({ lang }), body: weightsBody, hide: true }, config },
    async (request, reply) => {
      const actor = request.actor!;
      const service = await serviceFor(actor, request.params.service, 'equity_weights');
      const { _csrf, ...values } = request.body;
      void _csrf;
      const w = contentFor(request.language).waitingList.errors;
      try {
        await decideEquityWeights(store.db, actor, service.serviceId, values, clock());
        return reply.redirect(`${address(service)}/equity-weights?saved=1${request.language === 'cy' ? '&lang=cy' : ''}`, 303);
      } catch (error) {
        if (!isRootsError(error) || error.code !== 'VALIDATION_FAILED') throw error;
        const errors = error.problems.map((problem) => ({
          field: problem.field ?? 'reason',
          text: problem.field === 'reason' ? (values.reason.trim().length > 2000 ? w.reasonTooLong : w.reason) : w.weight,
        }));
        return renderWeights(request, reply, service, { values, errors });
      }
    },
  );

  app.get(
    '/services/:service/validation',
    { schema: { params: z.object({ service: serviceParam }), querystring: z.object({ milestone: z.string().max(4).optional(), page: z.string().max(6).optional(), recorded: z.string().max(12).optional(), lang }), hide: true }, config },
    async (request, reply) => {
      const actor = request.actor!;
      const service = await serviceFor(actor, request.params.service, 'waiting_list_validation');
      const q = request.query;
      const milestone = oneOf(['12', '26', '52'] as const, q.milestone);
      const page = /^\d{1,5}$/.test(q.page ?? '') ? Math.max(1, Number(q.page)) : 1;
      const view = await validationWorklist(store.db, actor, service.serviceId, { milestone: milestone ? (Number(milestone) as 12 | 26 | 52) : undefined, page }, clock());
      const language = request.language;
      const t = contentFor(language);
      const v = t.waitingList.validation;
      const base = `${address(service)}/validation`;
      const pageHref = (n: number) => `${base}?${new URLSearchParams({ ...(milestone ? { milestone } : {}), page: String(n) }).toString()}`;
      return reply.page('pages/waiting-list/validation.njk', {
        pageTitle: `${v.title}: ${service.serviceName}`,
        tabs: tabs(service, language, 'validation', request.actor),
        lead: fill(v.lead, { service: service.serviceName }),
        action: base,
        recorded: /^\d{1,10}$/.test(q.recorded ?? '') ? fill(v.recordedBody, { episode: q.recorded! }) : null,
        count: fill(v.count, { total: view.total.toLocaleString('en-GB'), page: view.page, pages: view.pages }),
        previousHref: view.page > 1 ? pageHref(view.page - 1) : null,
        nextHref: view.page < view.pages ? pageHref(view.page + 1) : null,
        milestoneOptions: [{ value: '', text: v.any }, ...VALIDATION_MILESTONES.map((value) => ({ value: String(value), text: v.milestones[value], selected: String(value) === milestone }))],
        rows: view.rows.map((row) => {
          const name = [row.givenName, row.familyName].filter(Boolean).join(' ') || v.notRecorded;
          return {
            episodeId: row.episodeId,
            name,
            nhsNumber: row.nhsNumber,
            pathway: t.triage.pathways[row.pathway],
            priority: row.priority,
            waited: fill(v.weeks, { weeks: Math.floor(row.waitDays / 7) }),
            due: v.milestones[row.milestone],
            attempts: row.attempts,
            lastValidated: row.lastValidatedOn ?? v.never,
            href: `${base}/${row.episodeId}`,
            recordFor: fill(v.recordFor, { name }),
          };
        }),
      });
    },
  );

  async function renderValidationForm(request: FastifyRequest, reply: FastifyReply, service: ScopedService, episodeId: number, options: { values?: Record<string, string>; errors?: { field: string; text: string }[]; status?: number }) {
    const language = request.language;
    const t = contentFor(language);
    const v = t.waitingList.validation;
    const view = await viewForValidation(store.db, request.actor!, service.serviceId, episodeId, clock());
    const e = view.episode;
    const errors = options.errors ?? [];
    const values = options.values ?? {};
    return reply.status(options.status ?? (errors.length > 0 ? 400 : 200)).page('pages/waiting-list/validate.njk', {
      pageTitle: errors.length > 0 ? `${t.admin.errorPrefix}: ${v.formTitle}` : v.formTitle,
      tabs: tabs(service, language, 'validation', request.actor),
      backHref: `${address(service)}/validation`,
      action: `${address(service)}/validation/${episodeId}`,
      errors,
      values,
      episodeId,
      summary: [
        [v.name, [e.givenName, e.familyName].filter(Boolean).join(' ') || v.notRecorded],
        [v.nhsNumber, e.nhsNumber ?? v.notRecorded],
        [v.pathway, t.triage.pathways[e.pathway]],
        [v.priority, e.priority],
        [t.waitingList.list.waited, fill(v.weeks, { weeks: Math.floor(e.waitDays / 7) })],
      ].map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
      due: view.due,
      dueText: view.due ? v.milestones[view.due] : null,
      closed: !e.waiting ? v.notWaiting : view.due === null ? v.notDue : null,
      outcomeItems: codes.validationOutcome.values.map((value) => ({ value, text: v.outcomes[value], checked: values.outcome === value })),
      history: view.history.map((row) => ({
        milestone: v.milestones[row.milestone],
        outcome: v.outcomeNames[row.outcome],
        note: row.note ?? '',
        date: row.validatedOn,
        recordedBy: row.recordedBy,
      })),
    });
  }

  const episodeParams = z.object({ service: serviceParam, episode: z.coerce.number().int().positive().max(2_147_483_647) });

  app.get('/services/:service/validation/:episode', { schema: { params: episodeParams, querystring: z.object({ lang }), hide: true }, config }, async (request, reply) => {
    const service = await serviceFor(request.actor!, request.params.service, 'waiting_list_validation');
    return renderValidationForm(request, reply, service, request.params.episode, {});
  });

  app.post('/services/:service/validation/:episode', { schema: { params: episodeParams, querystring: z.object({ lang }), body: validationBody, hide: true }, config }, async (request, reply) => {
    const actor = request.actor!;
    const service = await serviceFor(actor, request.params.service, 'waiting_list_validation');
    const { _csrf, ...values } = request.body;
    void _csrf;
    const m = contentFor(request.language).waitingList.errors;
    try {
      await recordValidation(store.db, actor, service.serviceId, request.params.episode, values, clock());
      return reply.redirect(`${address(service)}/validation?recorded=${request.params.episode}${request.language === 'cy' ? '&lang=cy' : ''}`, 303);
    } catch (error) {
      if (!isRootsError(error)) throw error;
      if (error.code === 'CONFLICT') return renderValidationForm(request, reply, service, request.params.episode, { values, errors: [{ field: 'outcome', text: m.notWaiting }], status: 409 });
      if (error.code !== 'VALIDATION_FAILED') throw error;
      const errors = error.problems.map((problem) => ({
        field: problem.field === 'note' ? 'note' : 'outcome',
        text: problem.field === 'note' ? m.note : problem.field === 'milestone' ? m.milestone : m.outcome,
      }));
      return renderValidationForm(request, reply, service, request.params.episode, { values, errors });
    }
  });

  app.get('/services/:service/queue-pressure', { schema: { params: z.object({ service: serviceParam }), querystring: z.object({ lang }), hide: true }, config }, async (request, reply) => {
    const actor = request.actor!;
    const service = await serviceFor(actor, request.params.service, 'queue_pressure');
    const view = await queuePressure(store.db, actor, service.serviceId, clock());
    const language = request.language;
    const t = contentFor(language);
    const p = t.waitingList.pressure;
    const target = view.rows.reduce((sum, row) => sum + row.targetQueueSize, 0);
    const end = view.totals.at(-1) ?? 0;
    const title = fill(p.chartTitle, { weeks: view.forecastWeeks });
    const description = fill(p.chartDescription, { now: number(view.totals[0] ?? 0), end: number(end), weeks: view.forecastWeeks, target: number(target) });
    const chart = view.rows.length > 0
      ? await forecastChart({ id: 'forecast', sizes: view.totals, target, title, description, weekTitle: p.chartWeek, peopleTitle: p.chartPeople, targetLabel: p.chartTarget })
      : null;
    const na = p.notAvailable;
    return reply.page('pages/waiting-list/pressure.njk', {
      pageTitle: `${p.title}: ${service.serviceName}`,
      tabs: tabs(service, language, 'pressure', request.actor),
      lead: fill(p.lead, { service: service.serviceName, weeks: view.historyWeeks, forecast: view.forecastWeeks }),
      forecastEnd: fill(p.forecastEnd, { weeks: view.forecastWeeks }),
      method: p.method.map((paragraph) => fill(paragraph, { weeks: view.historyWeeks, forecast: view.forecastWeeks })),
      chart: chart ? { title, description, svg: chart } : null,
      rows: view.rows.map((row) => ({
        key: `${row.pathway}:${row.priority}`,
        pathway: t.triage.pathways[row.pathway],
        priority: row.priority,
        waiting: row.waiting.toLocaleString('en-GB'),
        demand: number(row.demand, 2),
        capacity: number(row.capacity, 2),
        targetWait: number(row.targetWaitWeeks, 1),
        meanWait: row.meanWaitWeeks === null ? na : number(row.meanWaitWeeks, 1),
        targetQueue: number(row.targetQueueSize, 1),
        pressure: row.pressure === null ? na : number(row.pressure, 2),
        relief: number(row.reliefCapacity, 2),
        forecastEnd: number(row.forecast.at(-1) ?? row.waiting, 1),
      })),
      forecast: view.totals.map((people, week) => ({ week, people: number(people, 1) })),
    });
  });
};
