import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as codes from '../../domain/codes.ts';
import type { OutcomeInstrument } from '../../domain/codes.ts';
import { isRootsError, type Problem } from '../../errors/roots-error.ts';
import { hcpcProfessions, instrumentRules, normaliseHcpcNumber } from '../../outcomes/instruments.ts';
import { dischargeEpisode, recordOutcome, requireMayRecord, saveWorkReport, viewEpisodeOutcomes, type EpisodeOutcomes, type OutcomeInput } from '../../outcomes/outcomes.service.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import type { AppDependencies } from '../app.ts';
import { dateFromParts } from './triage.routes.ts';

/**
 * Outcome pages of one episode (signed-in staff of the service): outcomes with change scores
 * and the forms to record them, discharge, and the AHP Health and Work Report with its printable
 * page. Routes only parse and render; access checks, audit entries and writes are the outcomes
 * service's. Every form works without JavaScript and shows its errors in the NHS error summary.
 */
const config = { access: 'staff' } as const;
const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
const s = (max = 40) => z.string().max(max).default('');
const episodeParams = z.object({ episode: z.coerce.number().int().positive().max(2_147_483_647) });
const langQuery = z.object({ lang: z.enum(['en', 'cy']).optional(), saved: z.string().max(40).optional() });
const dateFields = <N extends string>(name: N) =>
  ({ [`${name}-day`]: s(10), [`${name}-month`]: s(10), [`${name}-year`]: s(10) }) as Record<`${N}-day` | `${N}-month` | `${N}-year`, ReturnType<typeof s>>;

const forms = ['swemwbs', 'gas', 'fft', 'score'] as const;
type OutcomeForm = (typeof forms)[number];
const GOALS = 5;
const outcomeBody = z.object({
  _csrf: z.string().max(200).optional(),
  timepoint: s(),
  ...dateFields('recordedOn'),
  ...Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`item${i + 1}`, s(4)])),
  ...Object.fromEntries(Array.from({ length: GOALS }, (_, i) => [[`goal${i + 1}-level`, s(4)], [`goal${i + 1}-weight`, s(4)]]).flat()),
  answer: s(4),
  instrument: s(),
  score: s(12),
});
type OutcomeValues = Record<string, string>;

const dischargeBody = z.object({
  _csrf: z.string().max(200).optional(),
  reason: s(),
  outcomes: z.union([z.string().max(40), z.array(z.string().max(40)).max(20)]).optional(),
  ...dateFields('dischargedOn'),
});

const workReportBody = z.object({
  _csrf: z.string().max(200).optional(),
  version: s(12),
  fitness: s(),
  adjustments: z.union([z.string().max(40), z.array(z.string().max(40)).max(10)]).optional(),
  difficulties: s(20_000),
  recommendations: s(20_000),
  practitionerName: s(2000),
  hcpcNumber: s(200),
  ...dateFields('assessedOn'),
  ...dateFields('adviceUntil'),
  ...dateFields('reviewOn'),
});
type WorkReportForm = z.output<typeof workReportBody>;

const asList = (value: string | string[] | undefined) => (value === undefined ? [] : [value].flat());
const blankDate = (form: Record<string, unknown>, name: string) => [`${name}-day`, `${name}-month`, `${name}-year`].every((key) => String(form[key] ?? '').trim() === '');
const dateParts = (iso: string | null | undefined, name: string): Record<string, string> => {
  if (!iso) return { [`${name}-day`]: '', [`${name}-month`]: '', [`${name}-year`]: '' };
  const [year, month, day] = iso.split('-');
  return { [`${name}-day`]: String(Number(day)), [`${name}-month`]: String(Number(month)), [`${name}-year`]: year! };
};

/** A date as people read it ("2 November 2026"; Welsh month names in Welsh). */
export function longDate(iso: string | null, language: Language): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(language === 'cy' ? 'cy-GB' : 'en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
}

/** The message for a date problem from the service. */
function dateMessage(language: Language, reason: string): string {
  const e = contentFor(language).outcomes.errors;
  return reason.includes('before the referral') ? e.dateBeforeReferral : reason.includes('today or in the past') ? e.dateFuture : reason.includes('before the assessment') ? e.laterDate : e.date;
}

export const outcomesRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, clock }) => {
  // -------------------------------------------------------------------------------------------
  // Outcomes

  app.get('/episodes/:episode/outcomes', { schema: { params: episodeParams, querystring: langQuery, hide: true }, config }, async (request, reply) => {
    const view = await viewEpisodeOutcomes(store.db, request.actor!, request.params.episode, clock(), 'outcomes');
    return renderOutcomes(request.language, reply, view, { saved: request.query.saved ?? null, today: clock() });
  });

  app.post('/episodes/:episode/outcomes/:form', { schema: { params: episodeParams.extend({ form: z.enum(forms) }), querystring: langQuery, body: outcomeBody, hide: true }, config }, async (request, reply) => {
    const { episode, form } = request.params;
    await requireMayRecord(store.db, request.actor!, episode, clock());
    const values = request.body as OutcomeValues;
    const t = contentFor(request.language).outcomes;
    const errors: { field: string; text: string }[] = [];
    const field = (name: string) => `${form}-${name}`;
    const timepoint = (codes.outcomeTimepoint.values as readonly string[]).includes(values.timepoint!) ? (values.timepoint as codes.OutcomeTimepoint) : null;
    if (!timepoint) errors.push({ field: field('timepoint'), text: t.errors.timepoint });
    const recordedOn = dateFromParts(values['recordedOn-day']!, values['recordedOn-month']!, values['recordedOn-year']!);
    if (!recordedOn) errors.push({ field: field('recordedOn-day'), text: t.errors.date });
    let input: OutcomeInput | null = null;
    const base = { timepoint: timepoint!, recordedOn: recordedOn! };
    if (form === 'swemwbs') {
      const items = Array.from({ length: 7 }, (_, i) => values[`item${i + 1}`] ?? '');
      items.forEach((item, i) => {
        if (!/^[1-5]$/.test(item)) errors.push({ field: `swemwbs-item${i + 1}`, text: fill(t.errors.item, { n: i + 1 }) });
      });
      input = { instrument: 'SWEMWBS', ...base, items: items.map(Number) };
    } else if (form === 'gas') {
      const goals: { attainment: number; weight?: number }[] = [];
      for (let i = 1; i <= GOALS; i++) {
        const level = (values[`goal${i}-level`] ?? '').trim();
        const weight = (values[`goal${i}-weight`] ?? '').trim();
        if (level === '') continue;
        if (!/^-?[0-2]$/.test(level)) errors.push({ field: `gas-goal${i}-level`, text: fill(t.errors.goalLevel, { n: i }) });
        if (weight !== '' && !/^[1-9]$/.test(weight)) errors.push({ field: `gas-goal${i}-weight`, text: fill(t.errors.goalWeight, { n: i }) });
        goals.push({ attainment: Number(level), ...(weight === '' ? {} : { weight: Number(weight) }) });
      }
      if (goals.length === 0) errors.push({ field: 'gas-goal1-level', text: t.errors.goals });
      input = { instrument: 'GAS', ...base, goals };
    } else if (form === 'fft') {
      if (!/^[1-6]$/.test(values.answer ?? '')) errors.push({ field: 'fft-answer', text: t.errors.answer });
      input = { instrument: 'FFT', ...base, answer: Number(values.answer) };
    } else {
      const instrument = (['COPM_PERFORMANCE', 'COPM_SATISFACTION', 'TOMS', 'MOHOST'] as const).find((code) => code === values.instrument);
      if (!instrument) errors.push({ field: 'score-instrument', text: t.errors.instrument });
      const score = (values.score ?? '').trim();
      if (!/^\d{1,2}(\.\d{1,2})?$/.test(score)) errors.push({ field: 'score-score', text: t.errors.score });
      if (instrument) input = { instrument, ...base, score: Number(score) };
    }
    if (errors.length === 0 && input) {
      try {
        const saved = await recordOutcome(store.db, request.actor!, episode, input, clock());
        return reply.redirect(`/episodes/${episode}/outcomes?saved=${encodeURIComponent(`${input.instrument}~${input.timepoint}~${saved.score}`)}`, 303);
      } catch (error) {
        if (!isRootsError(error)) throw error;
        if (error.code === 'ALREADY_EXISTS') errors.push({ field: field('timepoint'), text: t.errors.alreadyRecorded });
        else if (error.code === 'VALIDATION_FAILED') errors.push(...outcomeProblems(request.language, form, error.problems));
        else throw error;
      }
    }
    const view = await viewEpisodeOutcomes(store.db, request.actor!, episode, clock(), 'outcomes');
    return renderOutcomes(request.language, reply.status(errors.some((e) => e.text === t.errors.alreadyRecorded) ? 409 : 400), view, { saved: null, today: clock(), form, values, errors });
  });

  // -------------------------------------------------------------------------------------------
  // Discharge

  app.get('/episodes/:episode/discharge', { schema: { params: episodeParams, querystring: langQuery, hide: true }, config }, async (request, reply) => {
    const view = await viewEpisodeOutcomes(store.db, request.actor!, request.params.episode, clock(), 'discharge');
    return renderDischarge(request.language, reply, view, { values: { reason: '', outcomes: [], ...dateParts(clock(), 'dischargedOn') }, saved: request.query.saved === '1' });
  });

  app.post('/episodes/:episode/discharge', { schema: { params: episodeParams, querystring: langQuery, body: dischargeBody, hide: true }, config }, async (request, reply) => {
    await requireMayRecord(store.db, request.actor!, request.params.episode, clock());
    const form = request.body;
    const t = contentFor(request.language).outcomes;
    const errors: { field: string; text: string }[] = [];
    const dischargedOn = dateFromParts(form['dischargedOn-day'] ?? '', form['dischargedOn-month'] ?? '', form['dischargedOn-year'] ?? '');
    if (!dischargedOn) errors.push({ field: 'dischargedOn-day', text: t.errors.date });
    const reason = (codes.dischargeReason.values as readonly string[]).includes(form.reason) ? (form.reason as codes.DischargeReason) : null;
    if (!reason) errors.push({ field: 'reason', text: t.errors.reason });
    const chosen = asList(form.outcomes);
    if (chosen.some((code) => !(codes.dischargeOutcome.values as readonly string[]).includes(code))) errors.push({ field: 'outcomes', text: t.errors.outcomes });
    let status = 400;
    if (errors.length === 0) {
      try {
        await dischargeEpisode(store.db, request.actor!, request.params.episode, { dischargedOn: dischargedOn!, reason: reason!, outcomes: chosen as codes.DischargeOutcome[] }, clock());
        return reply.redirect(`/episodes/${request.params.episode}/discharge?saved=1`, 303);
      } catch (error) {
        if (!isRootsError(error)) throw error;
        if (error.code === 'ALREADY_EXISTS') errors.push({ field: 'reason', text: t.errors.alreadyDischarged });
        else if (error.code === 'CONFLICT') errors.push({ field: 'reason', text: t.errors.dischargeNotAllowed });
        else if (error.code === 'VALIDATION_FAILED') {
          for (const problem of error.problems) {
            if (problem.field === 'dischargedOn') errors.push({ field: 'dischargedOn-day', text: dateMessage(request.language, problem.reason) });
            else if (problem.field === 'outcomes') errors.push({ field: 'outcomes', text: t.errors.outcomes });
            else errors.push({ field: 'reason', text: t.errors.reason });
          }
        } else throw error;
        status = error.status;
      }
    }
    const view = await viewEpisodeOutcomes(store.db, request.actor!, request.params.episode, clock(), 'discharge');
    return renderDischarge(request.language, reply.status(status), view, { values: { ...form, outcomes: chosen }, errors, saved: false });
  });

  // -------------------------------------------------------------------------------------------
  // AHP Health and Work Report

  app.get('/episodes/:episode/work-report', { schema: { params: episodeParams, querystring: langQuery, hide: true }, config }, async (request, reply) => {
    const view = await viewEpisodeOutcomes(store.db, request.actor!, request.params.episode, clock(), 'work_report');
    return renderWorkReport(request.language, reply, view, { values: reportValues(view, clock()), saved: request.query.saved ?? null });
  });

  app.post('/episodes/:episode/work-report', { schema: { params: episodeParams, querystring: langQuery, body: workReportBody, hide: true }, config }, async (request, reply) => {
    await requireMayRecord(store.db, request.actor!, request.params.episode, clock());
    const form = request.body;
    const t = contentFor(request.language).outcomes;
    const errors: { field: string; text: string }[] = [];
    const fitness = form.fitness === 'fit' || form.fitness === 'may_be_fit' ? form.fitness : null;
    if (!fitness) errors.push({ field: 'fitness', text: t.errors.fitness });
    const adjustments = asList(form.adjustments);
    const assessedOn = dateFromParts(form['assessedOn-day'], form['assessedOn-month'], form['assessedOn-year']);
    if (!assessedOn) errors.push({ field: 'assessedOn-day', text: t.errors.date });
    const optionalDate = (name: 'adviceUntil' | 'reviewOn') => {
      if (blankDate(form, name)) return null;
      const value = dateFromParts(form[`${name}-day`], form[`${name}-month`], form[`${name}-year`]);
      if (!value) errors.push({ field: `${name}-day`, text: t.errors.laterDate });
      return value;
    };
    const adviceUntil = optionalDate('adviceUntil');
    const reviewOn = optionalDate('reviewOn');
    if (form.difficulties.trim() === '') errors.push({ field: 'difficulties', text: t.errors.difficulties });
    if (form.practitionerName.trim() === '') errors.push({ field: 'practitionerName', text: t.errors.practitionerName });
    if (!normaliseHcpcNumber(form.hcpcNumber)) errors.push({ field: 'hcpcNumber', text: t.errors.hcpcNumber });
    for (const [name, max] of [['difficulties', 4000], ['recommendations', 4000], ['practitionerName', 200]] as const) {
      if (form[name].trim().length > max) errors.push({ field: name, text: t.errors.tooLong });
    }
    const version = /^\d{1,10}$/.test(form.version) ? Number(form.version) : null;
    let conflict = version === null;
    if (errors.length === 0 && !conflict) {
      try {
        const saved = await saveWorkReport(
          store.db,
          request.actor!,
          request.params.episode,
          {
            fitness: fitness!,
            phasedReturn: adjustments.includes('phasedReturn'),
            amendedDuties: adjustments.includes('amendedDuties'),
            alteredHours: adjustments.includes('alteredHours'),
            workplaceAdaptations: adjustments.includes('workplaceAdaptations'),
            difficulties: form.difficulties,
            recommendations: form.recommendations,
            practitionerName: form.practitionerName,
            hcpcNumber: form.hcpcNumber,
            assessedOn: assessedOn!,
            adviceUntil,
            reviewOn,
            expectedVersion: version!,
          },
          clock(),
        );
        return reply.redirect(`/episodes/${request.params.episode}/work-report?saved=${saved.version}`, 303);
      } catch (error) {
        if (!isRootsError(error)) throw error;
        if (error.code === 'CONFLICT') conflict = true;
        else if (error.code === 'VALIDATION_FAILED') {
          for (const problem of error.problems) errors.push(workReportProblem(request.language, problem));
        } else throw error;
      }
    }
    const view = await viewEpisodeOutcomes(store.db, request.actor!, request.params.episode, clock(), 'work_report');
    if (conflict) return renderWorkReport(request.language, reply.status(409), view, { values: reportValues(view, clock()), errors: [{ field: 'current-report', text: t.errors.conflict }], saved: null });
    return renderWorkReport(request.language, reply.status(400), view, { values: { ...form, adjustments }, errors, saved: null });
  });

  app.get('/episodes/:episode/work-report/print', { schema: { params: episodeParams, querystring: langQuery, hide: true }, config }, async (request, reply) => {
    const view = await viewEpisodeOutcomes(store.db, request.actor!, request.params.episode, clock(), 'work_report_print');
    const language = request.language;
    const t = contentFor(language).outcomes;
    const report = view.workReport;
    const hcpc = report ? normaliseHcpcNumber(report.hcpcNumber) : null;
    return reply.page('pages/outcomes/work-report-print.njk', {
      pageTitle: t.workReport.printTitle,
      bodyClasses: 'app-print',
      ...episodeContext(language, view, 'workReport'),
      report: report && {
        ...report,
        fitnessText: t.workReport.fitnessOptions[report.fitness],
        adjustments: (['phasedReturn', 'amendedDuties', 'alteredHours', 'workplaceAdaptations'] as const).map((key) => ({ text: t.workReport.adjustmentOptions[key], yes: report[key] })),
        assessedOnText: longDate(report.assessedOn, language),
        adviceUntilText: report.adviceUntil ? longDate(report.adviceUntil, language) : t.workReport.notSet,
        reviewOnText: report.reviewOn ? longDate(report.reviewOn, language) : t.workReport.notSet,
        profession: hcpc ? hcpcProfessions[hcpc.prefix] : '',
      },
    });
  });
};

// ---------------------------------------------------------------------------------------------
// Rendering

function episodeContext(language: Language, view: EpisodeOutcomes, current: 'outcomes' | 'discharge' | 'workReport') {
  const content = contentFor(language);
  const t = content.outcomes;
  const e = view.episode;
  const name = [e.givenName, e.familyName].filter(Boolean).join(' ') || t.episode.notRecorded;
  const base = `/episodes/${e.episodeId}`;
  return {
    episode: e,
    personName: name,
    serviceName: e.serviceName,
    episodeHref: base,
    summary: [
      [t.episode.name, name],
      [t.episode.reference, e.reference],
      [t.episode.dateOfBirth, e.dateOfBirth ? longDate(e.dateOfBirth, language) : t.episode.notRecorded],
      [t.episode.nhsNumber, e.nhsNumber ?? t.episode.notRecorded],
      [t.episode.pathway, content.triage.pathways[e.pathway]],
      [t.episode.status, content.triage.statuses[e.status]],
    ].map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
    episodeNav: [
      { href: `${base}/outcomes`, text: t.episode.nav.outcomes, current: current === 'outcomes' },
      { href: `${base}/discharge`, text: t.episode.nav.discharge, current: current === 'discharge' },
      { href: `${base}/work-report`, text: t.episode.nav.workReport, current: current === 'workReport' },
    ],
  };
}

function outcomeProblems(language: Language, form: OutcomeForm, problems: Problem[]): { field: string; text: string }[] {
  const t = contentFor(language).outcomes.errors;
  return problems.map((problem) => {
    const field = problem.field ?? '';
    if (field === 'recordedOn') return { field: `${form}-recordedOn-day`, text: dateMessage(language, problem.reason) };
    if (field === 'timepoint') return { field: `${form}-timepoint`, text: t.timepoint };
    const item = /^items\.(\d)$/.exec(field);
    if (item) return { field: `swemwbs-item${Number(item[1]) + 1}`, text: fill(t.item, { n: Number(item[1]) + 1 }) };
    const goal = /^goals\.(\d)\.(attainment|weight)$/.exec(field);
    if (goal) return { field: `gas-goal${Number(goal[1]) + 1}-${goal[2] === 'weight' ? 'weight' : 'level'}`, text: fill(goal[2] === 'weight' ? t.goalWeight : t.goalLevel, { n: Number(goal[1]) + 1 }) };
    if (field === 'answer') return { field: 'fft-answer', text: t.answer };
    if (field === 'score') return { field: 'score-score', text: t.score };
    return { field: `${form}-timepoint`, text: t.timepoint };
  });
}

function workReportProblem(language: Language, problem: Problem): { field: string; text: string } {
  const t = contentFor(language).outcomes.errors;
  switch (problem.field) {
    case 'hcpcNumber': return { field: 'hcpcNumber', text: t.hcpcNumber };
    case 'adjustments': return { field: 'adjustments', text: t.adjustmentsWhenFit };
    case 'recommendations': return { field: 'recommendations', text: t.recommendations };
    case 'difficulties': return { field: 'difficulties', text: t.difficulties };
    case 'practitionerName': return { field: 'practitionerName', text: t.practitionerName };
    case 'assessedOn': return { field: 'assessedOn-day', text: dateMessage(language, problem.reason) };
    case 'adviceUntil': return { field: 'adviceUntil-day', text: t.laterDate };
    case 'reviewOn': return { field: 'reviewOn-day', text: t.laterDate };
    default: return { field: 'fitness', text: t.fitness };
  }
}

function renderOutcomes(
  language: Language,
  reply: FastifyReply,
  view: EpisodeOutcomes,
  options: { saved: string | null; today: string; form?: OutcomeForm; values?: OutcomeValues; errors?: { field: string; text: string }[] },
) {
  const content = contentFor(language);
  const t = content.outcomes;
  const errors = options.errors ?? [];
  // Each form keeps its own values after an error; the others start fresh with today's date.
  const valuesFor = (form: OutcomeForm): OutcomeValues => (options.form === form && options.values ? options.values : { timepoint: '', ...dateParts(options.today, 'recordedOn') });
  const timepointItems = (form: OutcomeForm) => codes.outcomeTimepoint.values.map((value) => ({ value, text: t.timepoints[value], checked: valuesFor(form).timepoint === value }));
  const number = (value: number) => value.toLocaleString(language === 'cy' ? 'cy-GB' : 'en-GB', { maximumFractionDigits: 2 });
  let saved: string | null = null;
  if (options.saved) {
    const [instrument, timepoint, score] = options.saved.split('~');
    if ((codes.outcomeInstrument.values as readonly string[]).includes(instrument!) && (codes.outcomeTimepoint.values as readonly string[]).includes(timepoint!) && /^\d+(\.\d+)?$/.test(score ?? '')) {
      saved = fill(t.list.saved, { instrument: t.instruments[instrument as OutcomeInstrument], timepoint: t.timepoints[timepoint as codes.OutcomeTimepoint].toLowerCase(), score: number(Number(score)) });
    }
  }
  const title = `${t.list.title}: ${[view.episode.givenName, view.episode.familyName].filter(Boolean).join(' ') || view.episode.reference}`;
  const swemwbs = valuesFor('swemwbs');
  const gas = valuesFor('gas');
  const fft = valuesFor('fft');
  const score = valuesFor('score');
  return reply.page('pages/outcomes/outcomes.njk', {
    pageTitle: errors.length > 0 ? `${content.admin.errorPrefix}: ${title}` : title,
    title: t.list.title,
    ...episodeContext(language, view, 'outcomes'),
    saved,
    errors,
    mayRecord: view.mayRecord,
    instruments: view.instruments.map((entry) => {
      const threshold = instrumentRules[entry.instrument].threshold;
      return {
        code: entry.instrument,
        name: t.instruments[entry.instrument],
        thresholdText: threshold ? fill(t.list.threshold, { change: number(threshold.change), source: threshold.source }) : t.list.noThreshold,
        rows: entry.responses.map((response) => ({
          timepoint: response.timepoint,
          timepointText: t.timepoints[response.timepoint],
          date: longDate(response.recordedOn, language),
          score: number(response.score),
          change: response.change ? `${response.change.change > 0 ? '+' : ''}${number(response.change.change)}` : response.timepoint === 'baseline' ? '' : entry.instrument === 'FFT' ? '' : t.list.noBaseline,
          verdict: response.change ? response.change.verdict : null,
          verdictText: response.change ? t.verdicts[response.change.verdict] : '',
          recordedBy: response.recordedIn === 'source' ? t.list.imported : (response.recordedBy ?? ''),
        })),
      };
    }),
    forms: {
      swemwbs: {
        values: swemwbs,
        timepoints: timepointItems('swemwbs'),
        items: Array.from({ length: 7 }, (_, i) => ({
          name: `item${i + 1}`,
          legend: fill(t.forms.swemwbs.item, { n: i + 1 }),
          items: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), text: String(n), checked: swemwbs[`item${i + 1}`] === String(n) })),
        })),
      },
      gas: {
        values: gas,
        timepoints: timepointItems('gas'),
        goals: Array.from({ length: GOALS }, (_, i) => ({
          n: i + 1,
          legend: fill(t.forms.gas.goal, { n: i + 1 }),
          weight: gas[`goal${i + 1}-weight`] ?? '',
          levels: [{ value: '', text: t.forms.gas.notUsed }, ...(['-2', '-1', '0', '1', '2'] as const).map((value) => ({ value, text: t.forms.gas.levels[value], selected: gas[`goal${i + 1}-level`] === value }))],
        })),
      },
      fft: {
        values: fft,
        timepoints: timepointItems('fft'),
        answers: (['1', '2', '3', '4', '5', '6'] as const).map((value) => ({ value, text: t.forms.fft.answers[value], checked: fft.answer === value })),
      },
      score: {
        values: score,
        timepoints: timepointItems('score'),
        instruments: (['COPM_PERFORMANCE', 'COPM_SATISFACTION', 'TOMS', 'MOHOST'] as const).map((value) => ({ value, text: t.instruments[value], checked: score.instrument === value })),
      },
    },
  });
}

function renderDischarge(
  language: Language,
  reply: FastifyReply,
  view: EpisodeOutcomes,
  options: { values: Record<string, unknown> & { outcomes: string[] }; errors?: { field: string; text: string }[]; saved: boolean },
) {
  const content = contentFor(language);
  const t = content.outcomes;
  const errors = options.errors ?? [];
  const values = options.values;
  const d = view.discharge;
  return reply.page('pages/outcomes/discharge.njk', {
    pageTitle: errors.length > 0 ? `${content.admin.errorPrefix}: ${t.discharge.title}` : t.discharge.title,
    ...episodeContext(language, view, 'discharge'),
    errors,
    values,
    saved: options.saved && d !== null,
    mayRecord: view.mayRecord,
    mayDischarge: view.mayDischarge,
    notAllowed: !view.mayDischarge && d === null ? fill(t.discharge.notAllowed, { status: content.triage.statuses[view.episode.status] }) : null,
    discharge: d && {
      rows: [
        [t.discharge.dischargedOn, longDate(d.dischargedOn, language)],
        [t.discharge.reason, t.discharge.reasons[d.reason]],
        [t.discharge.outcomesLegend, d.outcomes.length > 0 ? d.outcomes.map((code) => t.discharge.outcomes[code]).join(', ') : t.discharge.noOutcomes],
        [t.discharge.recordedBy, d.recordedIn === 'source' ? t.list.imported : (d.recordedBy ?? '')],
      ].map(([key, value]) => ({ key: { text: key }, value: { text: value } })),
    },
    reasonItems: codes.dischargeReason.values.map((value) => ({ value, text: t.discharge.reasons[value], checked: values.reason === value })),
    outcomeItems: codes.dischargeOutcome.values.map((value) => ({ value, text: t.discharge.outcomes[value], checked: values.outcomes.includes(value) })),
  });
}

function reportValues(view: EpisodeOutcomes, today: string): Record<string, unknown> {
  const r = view.workReport;
  if (!r) return { version: '0', fitness: '', adjustments: [], difficulties: '', recommendations: '', practitionerName: '', hcpcNumber: '', ...dateParts(today, 'assessedOn'), ...dateParts(null, 'adviceUntil'), ...dateParts(null, 'reviewOn') };
  return {
    version: String(r.version),
    fitness: r.fitness,
    adjustments: (['phasedReturn', 'amendedDuties', 'alteredHours', 'workplaceAdaptations'] as const).filter((key) => r[key]),
    difficulties: r.difficulties,
    recommendations: r.recommendations ?? '',
    practitionerName: r.practitionerName,
    hcpcNumber: r.hcpcNumber,
    ...dateParts(r.assessedOn, 'assessedOn'),
    ...dateParts(r.adviceUntil, 'adviceUntil'),
    ...dateParts(r.reviewOn, 'reviewOn'),
  };
}

function renderWorkReport(
  language: Language,
  reply: FastifyReply,
  view: EpisodeOutcomes,
  options: { values: Record<string, unknown> | WorkReportForm; errors?: { field: string; text: string }[]; saved: string | null },
) {
  const content = contentFor(language);
  const t = content.outcomes;
  const errors = options.errors ?? [];
  const values = options.values as Record<string, unknown> & { adjustments?: string[] };
  const r = view.workReport;
  return reply.page('pages/outcomes/work-report.njk', {
    pageTitle: errors.length > 0 ? `${content.admin.errorPrefix}: ${t.workReport.title}` : t.workReport.title,
    ...episodeContext(language, view, 'workReport'),
    errors,
    values,
    saved: options.saved && /^\d+$/.test(options.saved) ? fill(t.workReport.savedBody, { version: options.saved }) : null,
    mayRecord: view.mayRecord,
    current: r && { version: fill(t.workReport.version, { version: r.version, name: r.recordedBy ?? '' }), printHref: `/episodes/${view.episode.episodeId}/work-report/print` },
    fitnessItems: (['fit', 'may_be_fit'] as const).map((value) => ({ value, text: t.workReport.fitnessOptions[value], checked: values.fitness === value })),
    adjustmentItems: (['phasedReturn', 'amendedDuties', 'alteredHours', 'workplaceAdaptations'] as const).map((value) => ({ value, text: t.workReport.adjustmentOptions[value], checked: (values.adjustments ?? []).includes(value) })),
  });
}
