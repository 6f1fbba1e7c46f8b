import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addGoal, addInterventions, addNote, bookContact, caseloadOf, recordAttendance, setGoalStatus, viewEpisode, type EpisodeView } from '../../caseload/caseload.service.ts';
import { londonDay, londonTime, parseTime } from '../../caseload/diary-time.ts';
import * as codes from '../../domain/codes.ts';
import type { GoalStatus, InterventionKind } from '../../domain/codes.ts';
import { isRootsError, type RootsError } from '../../errors/roots-error.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import type { AppDependencies } from '../app.ts';
import { dateFromParts } from './triage.routes.ts';

/**
 * The caseload pages (signed-in therapists and team leads): `/caseload` (their allocated open
 * episodes and today's diary) and `/episodes/:episode` (the person, the clock and the rules that
 * shaped it, appointments with their attendance forms, goals and notes), with one POST route
 * per form. Routes parse and render; access, audit and writes are the caseload service's. Every
 * form posts and redirects back (303), so the pages work with JavaScript off.
 */
const config = { access: 'staff' } as const;
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
const id = z.coerce.number().int().positive().max(2_147_483_647);
const episodeParams = z.object({ episode: id });
const contactParams = z.object({ episode: id, contact: id });
const goalParams = z.object({ episode: id, goal: id });
const langQuery = z.object({ lang: z.enum(['en', 'cy']).optional() });
const episodeQuery = z.object({ saved: z.enum(['booked', 'attendance', 'interventions', 'goal', 'goalStatus', 'note']).optional(), clock: z.enum(['changed']).optional(), lang: z.enum(['en', 'cy']).optional() });
const text = (max: number) => z.string().max(max).default('');
const many = z.union([z.string().max(60), z.array(z.string().max(60)).max(20)]).optional();
const asList = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());
const oneOf = <T extends string>(values: readonly T[], value: string | undefined): T | undefined => ((values as readonly string[]).includes(value ?? '') ? (value as T) : undefined);

const bookBody = z.object({
  _csrf: text(200),
  'day-day': text(10),
  'day-month': text(10),
  'day-year': text(10),
  time: text(20),
  duration: text(10),
  mode: text(40),
  therapist: text(12),
  location: text(2000),
});
const attendanceBody = z.object({ _csrf: text(200), version: text(12), attendance: text(40), interventions: many, detail: text(20_000), duration: text(10), notes: text(20_000) });
const interventionsBody = z.object({ _csrf: text(200), interventions: many, detail: text(20_000) });
const goalBody = z.object({ _csrf: text(200), goal: text(20_000), 'setOn-day': text(10), 'setOn-month': text(10), 'setOn-year': text(10) });
const goalStatusBody = z.object({ _csrf: text(200), version: text(12), status: text(40) });
const noteBody = z.object({ _csrf: text(200), note: text(20_000) });

type FormValues = Record<string, string | string[] | undefined>;
interface Problem {
  field: string;
  text: string;
}

export const caseloadRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, now }) => {
  app.get('/caseload', { schema: { querystring: langQuery, hide: true }, config }, async (request, reply) => {
    const caseload = await caseloadOf(store.db, request.actor!, now());
    const t = contentFor(request.language).caseload;
    return reply.page('pages/caseload/caseload.njk', {
      pageTitle: t.list.title,
      diaryTitle: fill(t.list.diaryTitle, { date: caseload.today }),
      entries: caseload.entries.map((entry) => ({
        episodeId: entry.episodeId,
        name: [entry.givenName, entry.familyName].filter(Boolean).join(' ') || entry.reference,
        reference: entry.reference,
        pathway: `${contentFor(request.language).triage.pathways[entry.pathway]}, ${entry.priority}`,
        next: entry.nextAppointment ? `${londonDay(new Date(entry.nextAppointment))} ${londonTime(new Date(entry.nextAppointment))}` : t.list.none,
        last: entry.lastContact ? `${londonDay(new Date(entry.lastContact))}: ${t.attendance[entry.lastAttendance!]}` : t.list.noContact,
        wait: entry.clockStoppedOn
          ? fill(t.list.seen, { days: entry.waitDays })
          : entry.clockPausedSince
            ? fill(t.list.paused, { days: entry.waitDays, date: String(entry.clockPausedSince).slice(0, 10) })
            : fill(t.list.waiting, { days: entry.waitDays }),
      })),
      diary: caseload.diary.map((row) => ({
        episodeId: row.episodeId,
        time: londonTime(new Date(row.startsAt)),
        name: [row.givenName, row.familyName].filter(Boolean).join(' ') || row.reference,
        how: `${t.modes[row.mode]}${row.durationMinutes ? `, ${fill(t.list.minutes, { minutes: row.durationMinutes })}` : ''}${row.location ? `, ${row.location}` : ''}`,
        status: t.attendance[row.attendance],
      })),
    });
  });

  app.get('/episodes/:episode', { schema: { params: episodeParams, querystring: episodeQuery, hide: true }, config }, async (request, reply) => {
    const view = await viewEpisode(store.db, request.actor!, request.params.episode, londonDay(now()));
    const t = contentFor(request.language).caseload;
    const saved = request.query.saved ? `${t.saved[request.query.saved]}${request.query.clock ? ` ${t.saved.clockChanged}` : ''}` : null;
    return renderEpisode(request.language, reply, view, { saved, today: londonDay(now()) });
  });

  /** Re-renders the episode page with a form's errors (400) or a conflict (409), the form's values kept. */
  async function again(request: { language: Language; actor?: import('../../access/actor.ts').Actor | null }, reply: FastifyReply, episodeId: number, form: string, errors: Problem[], values: FormValues, status = 400) {
    const view = await viewEpisode(store.db, request.actor!, episodeId, londonDay(now()));
    return renderEpisode(request.language, reply.status(status), view, { saved: null, today: londonDay(now()), errors, form, values });
  }
  const done = (reply: FastifyReply, episodeId: number, saved: string, anchor: string, clockChanged = false) =>
    reply.redirect(`/episodes/${episodeId}?saved=${saved}${clockChanged ? '&clock=changed' : ''}#${anchor}`, 303);

  app.post('/episodes/:episode/contacts', { schema: { params: episodeParams, querystring: langQuery, body: bookBody, hide: true }, config }, async (request, reply) => {
    const form = request.body;
    const t = contentFor(request.language).caseload;
    const errors: Problem[] = [];
    const day = dateFromParts(form['day-day'], form['day-month'], form['day-year']);
    if (!day) errors.push({ field: 'day-day', text: t.errors.date });
    const time = parseTime(form.time);
    if (!time) errors.push({ field: 'time', text: t.errors.time });
    const duration = /^\d{1,3}$/.test(form.duration.trim()) ? Number(form.duration) : null;
    if (duration === null || duration < 5 || duration > 600) errors.push({ field: 'duration', text: t.errors.duration });
    const mode = oneOf(codes.contactMode.values, form.mode);
    if (!mode) errors.push({ field: 'mode', text: t.errors.mode });
    const therapist = /^\d{1,10}$/.test(form.therapist) ? Number(form.therapist) : null;
    if (therapist === null) errors.push({ field: 'therapist', text: t.errors.therapist });
    if (form.location.trim().length > 200) errors.push({ field: 'location', text: t.errors.tooLong });
    if (errors.length === 0) {
      try {
        const booked = await bookContact(store.db, request.actor!, request.params.episode, { staffUserId: therapist!, day: day!, time: time!, durationMinutes: duration!, mode: mode!, location: form.location }, now());
        return done(reply, request.params.episode, 'booked', 'contacts', booked.clock !== null);
      } catch (error) {
        if (!isRootsError(error) || (error.code !== 'CONFLICT' && error.code !== 'VALIDATION_FAILED')) throw error;
        if (error.code === 'CONFLICT') errors.push(error.problems.some((p) => p.field === 'time') ? { field: 'time', text: t.errors.clash } : { field: 'day-day', text: t.errors.discharged });
        else errors.push(...problemsOf(error, { staffUserId: { field: 'therapist', text: t.errors.therapist } }, { field: 'day-day', text: t.errors.date }));
        return again(request, reply, request.params.episode, 'book', errors, form, error.code === 'CONFLICT' ? 409 : 400);
      }
    }
    return again(request, reply, request.params.episode, 'book', errors, form);
  });

  app.post('/episodes/:episode/contacts/:contact/attendance', { schema: { params: contactParams, querystring: langQuery, body: attendanceBody, hide: true }, config }, async (request, reply) => {
    const form = request.body;
    const { episode, contact } = request.params;
    const t = contentFor(request.language).caseload;
    const prefix = `contact-${contact}`;
    const errors: Problem[] = [];
    const attendance = oneOf(['attended', 'did_not_attend', 'patient_cancelled', 'provider_cancelled'] as const, form.attendance);
    if (!attendance) errors.push({ field: `${prefix}-attendance`, text: t.errors.attendance });
    const kinds = asList(form.interventions).filter((kind): kind is InterventionKind => (codes.interventionKind.values as readonly string[]).includes(kind));
    if (kinds.length > 0 && attendance && attendance !== 'attended') errors.push({ field: `${prefix}-interventions`, text: t.errors.interventionsNotAttended });
    const duration = form.duration.trim() === '' ? null : /^\d{1,3}$/.test(form.duration.trim()) && Number(form.duration) <= 600 ? Number(form.duration) : undefined;
    if (duration === undefined) errors.push({ field: `${prefix}-duration`, text: t.errors.recordDuration });
    if (form.detail.trim().length > 2000) errors.push({ field: `${prefix}-detail`, text: t.errors.tooLong });
    if (form.notes.trim().length > 8000) errors.push({ field: `${prefix}-notes`, text: t.errors.tooLong });
    const version = /^\d{1,10}$/.test(form.version) ? Number(form.version) : null;
    if (errors.length === 0) {
      try {
        const recorded = await recordAttendance(
          store.db,
          request.actor!,
          episode,
          contact,
          { attendance: attendance!, expectedVersion: version ?? 0, durationMinutes: duration ?? null, notes: form.notes, interventions: kinds.map((kind) => ({ kind, detail: form.detail })) },
          now(),
        );
        return done(reply, episode, 'attendance', 'contacts', recorded.events.length > 0);
      } catch (error) {
        if (!isRootsError(error)) throw error;
        if (error.code === 'CONFLICT' || (error.code === 'VALIDATION_FAILED' && version === null)) return again(request, reply, episode, 'none', [{ field: 'contacts', text: t.errors.conflict }], {}, 409);
        if (error.code !== 'VALIDATION_FAILED') throw error;
        errors.push(...problemsOf(error, { attendance: { field: `${prefix}-attendance`, text: t.errors.beforeAppointment }, interventions: { field: `${prefix}-interventions`, text: t.errors.interventionsNotAttended } }, { field: `${prefix}-attendance`, text: t.errors.attendance }));
      }
    }
    return again(request, reply, episode, prefix, errors, form);
  });

  app.post('/episodes/:episode/contacts/:contact/interventions', { schema: { params: contactParams, querystring: langQuery, body: interventionsBody, hide: true }, config }, async (request, reply) => {
    const form = request.body;
    const { episode, contact } = request.params;
    const t = contentFor(request.language).caseload;
    const prefix = `more-${contact}`;
    const kinds = asList(form.interventions).filter((kind): kind is InterventionKind => (codes.interventionKind.values as readonly string[]).includes(kind));
    const errors: Problem[] = [];
    if (kinds.length === 0) errors.push({ field: `${prefix}-interventions`, text: t.errors.interventions });
    if (form.detail.trim().length > 2000) errors.push({ field: `${prefix}-detail`, text: t.errors.tooLong });
    if (errors.length === 0) {
      try {
        await addInterventions(store.db, request.actor!, episode, contact, kinds.map((kind) => ({ kind, detail: form.detail })));
        return done(reply, episode, 'interventions', 'contacts');
      } catch (error) {
        if (!isRootsError(error) || error.code !== 'VALIDATION_FAILED') throw error;
        errors.push({ field: `${prefix}-interventions`, text: t.errors.interventionsNotAttended });
      }
    }
    return again(request, reply, episode, prefix, errors, form);
  });

  app.post('/episodes/:episode/goals', { schema: { params: episodeParams, querystring: langQuery, body: goalBody, hide: true }, config }, async (request, reply) => {
    const form = request.body;
    const t = contentFor(request.language).caseload;
    const errors: Problem[] = [];
    if (form.goal.trim() === '') errors.push({ field: 'goal', text: t.errors.goal });
    else if (form.goal.trim().length > 2000) errors.push({ field: 'goal', text: t.errors.tooLong });
    const setOn = dateFromParts(form['setOn-day'], form['setOn-month'], form['setOn-year']);
    if (!setOn) errors.push({ field: 'setOn-day', text: t.errors.goalSetOn });
    if (errors.length === 0) {
      await addGoal(store.db, request.actor!, request.params.episode, { goal: form.goal, setOn: setOn! });
      return done(reply, request.params.episode, 'goal', 'goals');
    }
    return again(request, reply, request.params.episode, 'goal', errors, form);
  });

  app.post('/episodes/:episode/goals/:goal', { schema: { params: goalParams, querystring: langQuery, body: goalStatusBody, hide: true }, config }, async (request, reply) => {
    const form = request.body;
    const { episode, goal } = request.params;
    const t = contentFor(request.language).caseload;
    const status = oneOf(codes.goalStatus.values, form.status) as GoalStatus | undefined;
    const version = /^\d{1,10}$/.test(form.version) ? Number(form.version) : 0;
    if (!status) return again(request, reply, episode, `goal-${goal}`, [{ field: `goal-${goal}-status`, text: t.errors.goalStatus }], form);
    try {
      await setGoalStatus(store.db, request.actor!, episode, goal, { status, expectedVersion: version }, londonDay(now()));
      return done(reply, episode, 'goalStatus', 'goals');
    } catch (error) {
      if (!isRootsError(error) || error.code !== 'CONFLICT') throw error;
      return again(request, reply, episode, 'none', [{ field: 'goals', text: t.errors.conflict }], {}, 409);
    }
  });

  app.post('/episodes/:episode/notes', { schema: { params: episodeParams, querystring: langQuery, body: noteBody, hide: true }, config }, async (request, reply) => {
    const form = request.body;
    const t = contentFor(request.language).caseload;
    const note = form.note.trim();
    if (note === '' || note.length > 8000) return again(request, reply, request.params.episode, 'note', [{ field: 'note', text: note === '' ? t.errors.note : t.errors.tooLong }], form);
    await addNote(store.db, request.actor!, request.params.episode, { note });
    return done(reply, request.params.episode, 'note', 'notes');
  });
};

/** A service's validation problems as the page's errors, by field; anything else as `fallback`. */
function problemsOf(error: RootsError, byField: Record<string, Problem>, fallback: Problem): Problem[] {
  const found = error.problems.map((problem) => byField[problem.field ?? ''] ?? fallback);
  return found.length > 0 ? found : [fallback];
}

function renderEpisode(language: Language, reply: FastifyReply, view: EpisodeView, options: { saved: string | null; today: string; errors?: Problem[]; form?: string; values?: FormValues }) {
  const content = contentFor(language);
  const t = content.caseload;
  const e = view.episode;
  const notRecorded = t.episode.notRecorded;
  const name = [e.givenName, e.familyName].filter(Boolean).join(' ') || e.reference;
  const title = fill(t.episode.title, { name });
  const errors = options.errors ?? [];
  const form = options.form ?? '';
  const values = options.values ?? {};
  const value = (key: string, fallback = '') => (typeof values[key] === 'string' ? (values[key] as string) : fallback);
  const chosen = (key: string) => asList(values[key]);
  const yesNo = (flag: boolean | null) => (flag === null ? notRecorded : flag ? t.episode.yes : t.episode.no);
  const summary = [
    [t.episode.name, name],
    [t.episode.nhsNumber, e.nhsNumber ?? notRecorded],
    [t.episode.reference, e.reference],
    [t.episode.received, e.receivedOn],
    [t.episode.service, e.serviceName],
    [t.episode.pathway, content.triage.pathways[e.pathway]],
    [t.episode.priority, e.priority],
    [t.episode.status, content.triage.statuses[e.referralStatus]],
    [t.episode.allocated, e.allocatedName ?? t.episode.notAllocated],
    [t.episode.language, e.language ?? notRecorded],
    [t.episode.interpreter, yesNo(e.interpreterNeeded)],
    [t.episode.adjustments, e.reasonableAdjustments ?? notRecorded],
  ].map(([key, text]) => ({ key: { text: key }, value: { text } }));
  const clock = view.clock;
  const clockRows = [
    [t.episode.clockStarted, clock.startedOn, 'clock-started'],
    [t.episode.clockStopped, clock.stoppedOn ?? t.episode.clockRunning, 'clock-stopped'],
    ...(clock.pausedSince ? [[t.episode.pausedSince, clock.pausedSince, 'clock-paused-since']] : []),
    [t.episode.pausedDays, String(clock.pausedDays), 'clock-paused-days'],
    [t.episode.waitDays, String(clock.waitDays), 'clock-wait-days'],
    [t.episode.counts, fill(t.episode.countsValue, { attended: e.contactsAttended, dna: e.contactsDidNotAttend, cancelled: e.contactsCancelled }), 'contact-counts'],
  ].map(([key, text, testid]) => ({ key: { text: key }, value: { html: `<span data-testid="${testid}">${escapeHtml(text!)}</span>` } }));
  const [year, month, day] = options.today.split('-');
  const interventionItems = (prefix: string) =>
    codes.interventionKind.values.map((kind) => ({ value: kind, text: t.interventions[kind], checked: form === prefix && chosen('interventions').includes(kind) }));
  const contacts = view.contacts.map((contact) => {
    const prefix = `contact-${contact.id}`;
    const when = `${londonDay(new Date(contact.startsAt))} ${londonTime(new Date(contact.startsAt))}`;
    return {
      id: contact.id,
      prefix,
      morePrefix: `more-${contact.id}`,
      when,
      how: `${t.modes[contact.mode]}${contact.durationMinutes ? `, ${fill(t.list.minutes, { minutes: contact.durationMinutes })}` : ''}${contact.location ? `, ${contact.location}` : ''}`,
      therapist: contact.therapist ?? notRecorded,
      attendance: contact.attendance,
      attendanceText: t.attendance[contact.attendance],
      interventions: contact.interventions.map((i) => `${t.interventions[i.kind]}${i.detail ? `: ${i.detail}` : ''}`),
      notes: contact.notes,
      version: contact.version,
      scheduled: contact.attendance === 'scheduled',
      attended: contact.attendance === 'attended',
      recordHeading: fill(t.episode.recordHeading, { date: when }),
      addHeading: fill(t.episode.addInterventionsHeading, { date: when }),
      attendanceItems: (['attended', 'did_not_attend', 'patient_cancelled', 'provider_cancelled'] as const).map((a) => ({ value: a, text: t.attendance[a], checked: form === prefix && value('attendance') === a })),
      interventionItems: interventionItems(prefix),
      moreItems: interventionItems(`more-${contact.id}`),
      values: form === prefix ? { detail: value('detail'), duration: value('duration'), notes: value('notes') } : form === `more-${contact.id}` ? { detail: value('detail') } : {},
      open: form === prefix || form === `more-${contact.id}`,
    };
  });
  const bookValues = form === 'book' ? values : {};
  const bookValue = (key: string, fallback = '') => (typeof bookValues[key] === 'string' ? (bookValues[key] as string) : fallback);
  const ref = encodeURIComponent(String(e.episodeId));
  return reply.page('pages/caseload/episode.njk', {
    pageTitle: errors.length > 0 ? `${content.admin.errorPrefix}: ${title}` : title,
    title,
    episodeId: e.episodeId,
    saved: options.saved,
    errors,
    summary,
    clockRows,
    rulesApplied: clock.rulesApplied,
    discharged: e.dischargedOn ? fill(t.episode.discharged, { date: e.dischargedOn }) : null,
    mayWrite: view.mayWrite,
    links: [
      { href: `/episodes/${ref}/allocate`, text: t.episode.allocate },
      { href: `/episodes/${ref}/outcomes`, text: t.episode.outcomes },
      { href: `/episodes/${ref}/discharge`, text: t.episode.discharge },
      { href: `/episodes/${ref}/work-report`, text: t.episode.workReport },
    ],
    contacts,
    book: {
      day: bookValue('day-day', String(Number(day))),
      month: bookValue('day-month', String(Number(month))),
      year: bookValue('day-year', year!),
      time: bookValue('time'),
      duration: bookValue('duration', '60'),
      location: bookValue('location'),
      modeItems: codes.contactMode.values.map((mode) => ({ value: mode, text: t.modes[mode], checked: bookValue('mode') === mode })),
      therapistItems: view.staff.map((member) => ({ value: String(member.id), text: member.name, selected: bookValue('therapist', String(e.allocatedTo ?? '')) === String(member.id) })),
    },
    goals: view.goals.map((goal) => ({
      id: goal.id,
      goal: goal.goal,
      set: fill(t.episode.goalSet, { date: goal.setOn }),
      status: t.goalStatuses[goal.status],
      version: goal.version,
      statusItems: codes.goalStatus.values.map((status) => ({ value: status, text: t.goalStatuses[status], selected: status === goal.status })),
    })),
    goalValues: { goal: form === 'goal' ? value('goal') : '', day: form === 'goal' ? value('setOn-day') : String(Number(day)), month: form === 'goal' ? value('setOn-month') : String(Number(month)), year: form === 'goal' ? value('setOn-year') : year },
    notes: view.notes.map((note) => ({ by: fill(t.episode.noteBy, { author: note.author ?? notRecorded, when: `${londonDay(new Date(note.writtenAt))} ${londonTime(new Date(note.writtenAt))}` }), note: note.note })),
    noteValue: form === 'note' ? value('note') : '',
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);
}
