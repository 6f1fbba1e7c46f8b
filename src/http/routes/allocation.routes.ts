import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  allocationWorklist,
  competencyMatrix,
  confirmAllocation,
  setRequiredTasks,
  therapistForEdit,
  updateTherapistCompetencies,
  viewAllocation,
  type AllocationView,
  type TherapistEdit,
} from '../../allocation/allocation.service.ts';
import type { Blocker } from '../../allocation/competency-match.ts';
import type { CompetencyLevel } from '../../domain/codes.ts';
import { fill, formatDate } from '../../equity/findings/format.ts';
import { isRootsError } from '../../errors/roots-error.ts';
import { parseServiceReference } from '../../organisations/service.repository.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import { confirmFields, parseConfirm, parseRequirements, parseTherapist, requirementsFields, therapistFields, type AllocationFormError } from '../../web/forms/allocation.form.ts';
import type { AppDependencies } from '../app.ts';

/**
 * Allocation by competency, for team leads (signed in): the worklist of waiting people not yet
 * allocated, one person's ranked shortlist with the reasons and the confirm forms (each carrying
 * the episode's version), and the team's competency matrix with a page per team member. Routes
 * only parse and render: access, the audit trail and the writes are allocation.service.ts's.
 */
const config = { access: 'staff' } as const;
const serviceParam = z.string().regex(/^(?:[A-Za-z0-9-]{2,20}~)?[a-z0-9-]{2,40}$/, { message: 'is not a service code (code, or ORGANISATION~code)' });
const languageQuery = z.object({ lang: z.enum(['en', 'cy']).optional() });
const episodeParams = z.object({ episode: z.coerce.number().int().positive().max(2_147_483_647) });
const savedQuery = z.object({ lang: z.enum(['en', 'cy']).optional(), saved: z.enum(['allocation', 'tasks']).optional() });

const nameOf = (reference: string) => {
  const named = parseServiceReference(reference);
  return { serviceCode: named.serviceCode!, organisationCode: named.organisationCode };
};
const address = (service: { organisationCode: string; serviceCode: string }) => `${service.organisationCode}~${service.serviceCode}`;
const personName = (given: string | null, family: string | null) => [given, family].filter(Boolean).join(' ') || '—';

export const allocationRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock }) => {
  app.get(
    '/services/:service/allocation',
    { config, schema: { params: z.object({ service: serviceParam }), querystring: z.object({ lang: z.enum(['en', 'cy']).optional(), page: z.string().max(6).optional() }), hide: true } },
    async (request, reply) => {
      const page = /^\d{1,5}$/.test(request.query.page ?? '') ? Math.max(1, Number(request.query.page)) : 1;
      const list = await allocationWorklist(store.db, request.actor!, nameOf(request.params.service), page, clock());
      const content = contentFor(request.language);
      const t = content.allocation.worklist;
      const base = `/services/${address(list.service)}/allocation`;
      return reply.page('pages/allocation/worklist.njk', {
        pageTitle: `${t.title}: ${list.service.serviceName}`,
        lead: fill(t.lead, { service: list.service.serviceName }),
        count: fill(t.count, { total: list.total, page: list.page, pages: list.pages }),
        competenciesHref: `/services/${address(list.service)}/competencies`,
        rows: list.rows.map((row) => {
          const name = personName(row.givenName, row.familyName);
          return {
            episodeId: row.episodeId,
            name,
            href: `/episodes/${row.episodeId}/allocate`,
            hidden: fill(t.allocateHidden, { name }),
            pathway: content.triage.pathways[row.pathway],
            priority: row.priority,
            wait: fill(t.waitDays, { days: row.waitDays }),
            tasks: row.requiredTasks > 0 ? fill(t.tasksSet, { count: row.requiredTasks }) : t.tasksDefault,
          };
        }),
        previousHref: list.page > 1 ? `${base}?page=${list.page - 1}` : null,
        nextHref: list.page < list.pages ? `${base}?page=${list.page + 1}` : null,
      });
    },
  );

  app.get('/episodes/:episode/allocate', { config, schema: { params: episodeParams, querystring: savedQuery, hide: true } }, async (request, reply) => {
    const view = await viewAllocation(store.db, request.actor!, request.params.episode, clock());
    return renderAllocate(request.language, reply, view, { saved: request.query.saved ?? null, errors: [] });
  });

  app.post('/episodes/:episode/allocate', { config, schema: { params: episodeParams, querystring: languageQuery, body: confirmFields, hide: true } }, async (request, reply) => {
    const form = parseConfirm(request.body);
    let errors: AllocationFormError[] = form.ok ? [] : form.errors;
    let status = errors.some((e) => e.key === 'conflict') ? 409 : 400;
    if (form.ok) {
      try {
        await confirmAllocation(store.db, request.actor!, request.params.episode, { staffUserId: form.therapist, expectedVersion: form.version, note: form.note }, clock());
        return reply.redirect(`/episodes/${request.params.episode}/allocate?saved=allocation`, 303);
      } catch (error) {
        if (!isRootsError(error)) throw error;
        if (error.code === 'CONFLICT') [errors, status] = [[{ field: 'shortlist', key: 'conflict' }], 409];
        else if (error.code === 'VALIDATION_FAILED') [errors, status] = [[{ field: 'shortlist', key: error.problems.some((p) => p.field === 'note') ? 'note' : 'therapist' }], 400];
        else throw error;
      }
    }
    // Shown again, as it is now (the view audited again), with the conflict or the problem.
    const view = await viewAllocation(store.db, request.actor!, request.params.episode, clock());
    return renderAllocate(request.language, reply.status(status), view, { saved: null, errors, note: request.body.note, noteFor: Number(request.body.therapist) });
  });

  app.post('/episodes/:episode/requirements', { config, schema: { params: episodeParams, querystring: languageQuery, body: requirementsFields, hide: true } }, async (request, reply) => {
    const form = parseRequirements(request.body);
    let errors: AllocationFormError[] = form.ok ? [] : form.errors;
    if (form.ok) {
      try {
        await setRequiredTasks(store.db, request.actor!, request.params.episode, { taskIds: form.taskIds, expectedVersion: form.version });
        return reply.redirect(`/episodes/${request.params.episode}/allocate?saved=tasks`, 303);
      } catch (error) {
        if (!isRootsError(error)) throw error;
        if (error.code === 'CONFLICT') errors = [{ field: 'shortlist', key: 'conflict' }];
        else if (error.code === 'VALIDATION_FAILED') errors = [{ field: 'tasks', key: 'tasks' }];
        else throw error;
      }
    }
    const view = await viewAllocation(store.db, request.actor!, request.params.episode, clock());
    return renderAllocate(request.language, reply.status(errors.some((e) => e.key === 'conflict') ? 409 : 400), view, { saved: null, errors });
  });

  app.get(
    '/services/:service/competencies',
    { config, schema: { params: z.object({ service: serviceParam }), querystring: z.object({ lang: z.enum(['en', 'cy']).optional(), saved: z.coerce.number().int().positive().optional() }), hide: true } },
    async (request, reply) => {
      const matrix = await competencyMatrix(store.db, request.actor!, nameOf(request.params.service), clock());
      const content = contentFor(request.language);
      const t = content.allocation;
      const levelText = (level: CompetencyLevel) => t.levels[level];
      const saved = matrix.members.find((m) => m.id === request.query.saved);
      return reply.page('pages/allocation/competencies.njk', {
        pageTitle: `${t.competencies.title}: ${matrix.service.serviceName}`,
        lead: fill(t.competencies.lead, { service: matrix.service.serviceName }),
        backHref: `/services/${address(matrix.service)}/allocation`,
        saved: saved ? fill(t.competencies.savedBody, { name: saved.name }) : null,
        catalogue: matrix.catalogue.map((task) => ({ ...task, levelText: levelText(task.level), pathwayText: task.pathways.map((p) => content.triage.pathways[p]).join(', ') })),
        members: matrix.members.map((member) => ({
          id: member.id,
          name: member.name,
          href: `/services/${address(matrix.service)}/competencies/${member.id}`,
          hidden: fill(t.competencies.editHidden, { name: member.name }),
          capacity: member.capacityHours,
          caseload: member.caseloadHours,
          areas: member.areas.join(', '),
          cells: matrix.catalogue.map((task) => {
            const level = member.competencies[task.code];
            const supervisor = level === 'amber' ? matrix.members.find((m) => m.id === member.supervisors[task.code])?.name : undefined;
            return { level: level ?? null, text: level ? levelText(level) : t.competencies.notHeld, supervisor: supervisor ? fill(t.allocate.supervisedBy, { name: supervisor }) : null };
          }),
        })),
      });
    },
  );

  const staffParams = z.object({ service: serviceParam, staff: z.coerce.number().int().positive().max(2_147_483_647) });

  app.get('/services/:service/competencies/:staff', { config, schema: { params: staffParams, querystring: languageQuery, hide: true } }, async (request, reply) => {
    const edit = await therapistForEdit(store.db, request.actor!, nameOf(request.params.service), request.params.staff, clock());
    const values: Record<string, string> = { capacity: String(edit.member.capacityHours), areas: edit.member.areas.join(' ') };
    for (const task of edit.catalogue) {
      values[`level-${task.code}`] = edit.member.competencies[task.code] ?? '';
      values[`supervisor-${task.code}`] = String(edit.member.supervisors[task.code] ?? '');
    }
    return renderTherapist(request, reply, edit, values, []);
  });

  app.post('/services/:service/competencies/:staff', { config, schema: { params: staffParams, querystring: languageQuery, body: therapistFields, hide: true } }, async (request, reply) => {
    const name = nameOf(request.params.service);
    const edit = await therapistForEdit(store.db, request.actor!, name, request.params.staff, clock());
    const { _csrf, ...values } = request.body;
    void _csrf;
    const form = parseTherapist(request.body, edit.catalogue.map((task) => task.code));
    let errors: AllocationFormError[] = form.ok ? [] : form.errors;
    if (form.ok) {
      try {
        await updateTherapistCompetencies(store.db, request.actor!, name, request.params.staff, form.value, clock());
        return reply.redirect(`/services/${address(edit.service)}/competencies?saved=${request.params.staff}`, 303);
      } catch (error) {
        if (!isRootsError(error) || error.code !== 'VALIDATION_FAILED') throw error;
        errors = error.problems.map((problem) => {
          const field = problem.field ?? 'capacity';
          if (field.startsWith('supervisor-')) return { field, key: 'supervisor', task: field.slice('supervisor-'.length) };
          return { field, key: field === 'areas' ? 'areas' : 'capacity' };
        });
      }
    }
    return renderTherapist(request, reply.status(400), edit, values as Record<string, string>, errors);
  });
};

function errorTexts(language: Language, errors: AllocationFormError[], taskName: (code: string) => string = (code) => code) {
  const t = contentFor(language).allocation.errors;
  return errors.map((error) => ({ field: error.field, text: error.key === 'supervisor' ? fill(t.supervisor, { task: taskName(error.task ?? '') }) : t[error.key] }));
}

function renderAllocate(language: Language, reply: FastifyReply, view: AllocationView, options: { saved: 'allocation' | 'tasks' | null; errors: AllocationFormError[]; note?: string; noteFor?: number }) {
  const content = contentFor(language);
  const t = content.allocation;
  const a = t.allocate;
  const e = view.episode;
  const name = personName(e.givenName, e.familyName);
  const title = fill(a.title, { name });
  const taskName = (code: string) => view.catalogue.find((task) => task.code === code)?.name ?? code;
  const errors = errorTexts(language, options.errors, taskName);
  const summary = [
    [a.pathway, content.triage.pathways[e.pathway]],
    [a.priority, e.priority],
    [a.waitingSince, formatDate(e.clockStartedOn, language)],
    [a.hoursNeeded, fill(a.hoursNeededValue, { hours: view.hoursNeeded })],
    ...(e.openAllocation ? [[a.allocatedTo, fill(a.allocatedValue, { name: e.openAllocation.name, date: formatDate(e.openAllocation.allocatedOn, language) })]] : []),
  ].map(([key, value]) => ({ key: { text: key }, value: { text: value } }));
  const blockerText = (blocker: Blocker) => {
    switch (blocker.kind) {
      case 'no_competency':
      case 'no_supervisor':
        return fill(a.blockers[blocker.kind], { task: taskName(blocker.task) });
      case 'not_enough':
        return fill(a.blockers.not_enough, { task: taskName(blocker.task), level: t.levels[blocker.level], complexity: t.levels[blocker.complexity].toLowerCase() });
      case 'capacity':
        return fill(a.blockers.capacity, { left: blocker.hoursLeft, needed: blocker.hoursNeeded });
    }
  };
  const requiredIds = new Set(view.required.map((task) => task.id));
  return reply.page('pages/allocation/allocate.njk', {
    pageTitle: errors.length > 0 ? `${content.admin.errorPrefix}: ${title}` : title,
    title,
    backHref: `/services/${address(e)}/allocation`,
    episodeId: e.episodeId,
    version: e.version,
    allocated: e.openAllocation !== null,
    saved: options.saved === 'allocation' && e.openAllocation ? { title: a.saved, text: fill(a.savedBody, { name: e.openAllocation.name }) } : options.saved === 'tasks' ? { title: a.tasksSaved, text: '' } : null,
    errors,
    summary,
    required: view.required.map((task) => ({ name: task.name, level: task.level, levelText: t.levels[task.level] })),
    requiredNote: view.required.length === 0 ? a.tasksNone : view.requiredFromPathway ? a.tasksFromPathway : null,
    taskItems: view.catalogue.map((task) => ({ value: String(task.id), text: `${task.name} (${t.levels[task.level]})`, checked: !view.requiredFromPathway && requiredIds.has(task.id) })),
    shortlist: view.suggestions.shortlist.map((s) => ({
      id: s.therapistId,
      heading: `${fill(a.rank, { rank: s.rank })}: ${s.name}`,
      confirm: fill(a.confirm, { name: s.name }),
      tasks: s.tasks.map((task) => ({
        level: task.level,
        text: fill(a.taskLine, { task: taskName(task.task), level: t.levels[task.level], meaning: t.levelMeanings[task.level] }),
        supervisor: task.supervisorName ? fill(a.supervisedBy, { name: task.supervisorName }) : null,
      })),
      capacity: fill(a.capacityValue, { left: s.hoursLeft, capacity: s.capacityHours }),
      caseload: fill(a.caseloadValue, { hours: s.caseloadHours, count: s.caseloadCount ?? 0 }),
      continuity: s.continuity ? a.continuityYes : a.continuityNo,
      travel: s.coversArea ? a.travelYes : a.travelNo,
      handOvers: fill(a.handOversValue, { count: s.handOvers }),
      note: options.noteFor === s.therapistId ? (options.note ?? '') : '',
      noteError: errors.find((error) => error.field === `note-${s.therapistId}`)?.text ?? null,
    })),
    excludedSummary: fill(a.excludedSummary, { count: view.suggestions.excluded.length }),
    excluded: view.suggestions.excluded.map((x) => ({ name: x.name, reasons: (x.blockers ?? []).map(blockerText) })),
  });
}

function renderTherapist(request: FastifyRequest, reply: FastifyReply, edit: TherapistEdit, values: Record<string, string>, errors: AllocationFormError[]) {
  const language = request.language;
  const content = contentFor(language);
  const t = content.allocation;
  const title = fill(t.therapist.title, { name: edit.member.name });
  const shown = errorTexts(language, errors, (code) => edit.catalogue.find((task) => task.code === code)?.name ?? code);
  return reply.page('pages/allocation/therapist.njk', {
    pageTitle: shown.length > 0 ? `${content.admin.errorPrefix}: ${title}` : title,
    title,
    action: `/services/${address(edit.service)}/competencies/${edit.member.id}`,
    backHref: `/services/${address(edit.service)}/competencies`,
    errors: shown,
    values,
    tasks: edit.catalogue.map((task) => ({
      code: task.code,
      legend: fill(t.therapist.levelLegend, { task: task.name, complexity: t.levels[task.level] }),
      items: [
        { value: '', text: t.therapist.notHeld, checked: (values[`level-${task.code}`] ?? '') === '' },
        ...(['green', 'amber', 'red'] as const).map((level) => ({ value: level, text: `${t.levels[level]}: ${t.levelMeanings[level]}`, checked: values[`level-${task.code}`] === level })),
      ],
      supervisors: edit.supervisors[task.code]!.length === 0
        ? null
        : [{ value: '', text: t.therapist.chooseSupervisor }, ...edit.supervisors[task.code]!.map((s) => ({ value: String(s.id), text: s.name, selected: values[`supervisor-${task.code}`] === String(s.id) }))],
    })),
  });
}
