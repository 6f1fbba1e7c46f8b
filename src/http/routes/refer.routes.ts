import rateLimit from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { formatReference } from '../../referrals/reference-number.ts';
import { findDraft, saveDraft, servicesTakingSelfReferral, startDraft, submitSelfReferral, draftLifetimeMs } from '../../referrals/self-referral.service.ts';
import type { DraftRow } from '../../referrals/self-referral.repository.ts';
import { contentFor, type Language } from '../../web/content/index.ts';
import { afterSave, checkAnswers, flatAnswers, frontier, isReachable, pathOf, previousStep, saveStep, stepById, validateStep, type Answers, type FieldError } from '../../web/journeys/journey.ts';
import { checkRows, stepView } from '../../web/journeys/self-referral/views.ts';
import { selfReferralJourney as journey } from '../../web/journeys/self-referral/steps.ts';
import type { AppDependencies } from '../app.ts';

const stepParams = z.object({ step: z.string().regex(/^[a-z-]{2,40}$/) });
const pageQuery = z.object({ lang: z.enum(['en', 'cy']).optional(), change: z.literal('1').optional(), expired: z.literal('1').optional() });
// A form body: strings, or lists of strings for checkboxes. Bounded; each step's schema decides the rest.
const formBody = z.record(z.string().max(100), z.union([z.string().max(5000), z.array(z.string().max(200)).max(30)])).default({});
const startBody = z.object({ _csrf: z.string().max(200).optional(), service: z.string().max(20).optional() });
const submitBody = z.object({ _csrf: z.string().max(200).optional(), submission: z.string().max(200).default('') });

/**
 * The public self-referral at /refer (no account): a start page, one question per page, check
 * your answers, confirmation. Answers live server-side in a draft found by an opaque random
 * cookie (`roots_refer`, 24 hours); URLs carry only step names, never answers. The path of
 * steps is recomputed from the stored answers on every request, so a skipped step is refused
 * (redirected to the first unanswered step, nothing saved). Every route is rate limited per
 * client address (ROOTS_REFERRAL_RATE_LIMIT_PER_MINUTE, generous: shared connections) and
 * every POST carries the CSRF token (the sessions plugin). The service: the one that takes
 * self-referrals (service.accepts_self_referral); with several, the start page asks which.
 */
export const referRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, config, clock, now }) => {
  if (!app.hasDecorator('rateLimit')) await app.register(rateLimit, { global: false });
  const routeConfig = { access: 'public' as const, rateLimit: { max: config.rateLimit.referralPerMinute, timeWindow: 60_000 } };
  const cookieName = `${config.sessions.secureCookies ? '__Host-' : ''}roots_refer`;
  const cookieOptions = { path: '/', httpOnly: true, secure: config.sessions.secureCookies, sameSite: 'lax' as const, maxAge: Math.floor(draftLifetimeMs / 1000) };

  const t = (request: FastifyRequest) => contentFor(request.language).refer;
  const draftOf = (request: FastifyRequest) => findDraft(store.db, request.cookies[cookieName], now());
  const answersOf = (draft: DraftRow): Answers => (draft.answers && typeof draft.answers === 'object' ? (draft.answers as Answers) : {});
  const to = (reply: FastifyReply, where: string) => reply.redirect(where === checkAnswers ? '/refer/check' : `/refer/${where}`, 303);
  /** No live draft: back to the start (saying the answers expired when there was a cookie). */
  const restart = (request: FastifyRequest, reply: FastifyReply) => reply.redirect(request.cookies[cookieName] ? '/refer?expired=1' : '/refer', 303);

  app.get('/refer', { schema: { querystring: pageQuery, hide: true }, config: routeConfig }, async (request, reply) => {
    const services = await servicesTakingSelfReferral(store.db);
    return reply.page('pages/refer/start.njk', {
      pageTitle: t(request).title,
      services: services.map((service) => ({ value: String(service.id), text: service.name })),
      expired: request.query.expired === '1',
    });
  });

  app.post('/refer/start', { schema: { body: startBody, hide: true }, config: routeConfig }, async (request, reply) => {
    const services = await servicesTakingSelfReferral(store.db);
    const chosen = services.length === 1 ? services[0] : services.find((service) => String(service.id) === request.body.service);
    if (!chosen) {
      if (services.length === 0) return reply.redirect('/refer', 303);
      return reply.status(400).page('pages/refer/start.njk', {
        pageTitle: `${t(request).errorPrefix}: ${t(request).title}`,
        services: services.map((service) => ({ value: String(service.id), text: service.name })),
        errors: [{ field: 'service', text: t(request).start.serviceLegend }],
      });
    }
    const { token } = await startDraft(store.db, chosen.id, now());
    reply.setCookie(cookieName, token, cookieOptions);
    return to(reply, journey.steps[0]!.id);
  });

  app.get('/refer/check', { schema: { querystring: pageQuery, hide: true }, config: routeConfig }, async (request, reply) => {
    const draft = await draftOf(request);
    if (!draft) return restart(request, reply);
    if (draft.submittedReference) return reply.redirect('/refer/confirmation', 303);
    const answers = answersOf(draft);
    const next = frontier(journey, answers);
    if (next !== checkAnswers) return to(reply, next);
    return renderCheck(request, reply, draft, answers);
  });

  function renderCheck(request: FastifyRequest, reply: FastifyReply, draft: DraftRow, answers: Answers, status = 200) {
    const language: Language = request.language;
    const steps = pathOf(journey, answers).steps;
    return reply.status(status).page('pages/refer/check.njk', {
      pageTitle: t(request).check.title,
      back: `/refer/${steps.at(-1)}`,
      rows: checkRows(journey, answers, language),
      submission: draft.submissionToken,
    });
  }

  app.post('/refer/check', { schema: { body: submitBody, hide: true }, config: routeConfig }, async (request, reply) => {
    const draft = await draftOf(request);
    if (!draft) return restart(request, reply);
    // A second submit (double click, refresh, back button) of a submitted draft: the same confirmation.
    if (draft.submittedReference) return reply.redirect('/refer/confirmation', 303);
    const answers = answersOf(draft);
    const next = frontier(journey, answers);
    if (next !== checkAnswers) return to(reply, next);
    await submitSelfReferral(store.db, {
      draftId: draft.id,
      submissionToken: request.body.submission,
      answers: flatAnswers(journey, answers),
      language: request.language,
      receivedOn: clock(),
      now: now(),
    });
    return reply.redirect('/refer/confirmation', 303);
  });

  app.get('/refer/confirmation', { schema: { querystring: pageQuery, hide: true }, config: routeConfig }, async (request, reply) => {
    const draft = await draftOf(request);
    if (!draft) return restart(request, reply);
    if (!draft.submittedReference) return to(reply, frontier(journey, answersOf(draft)));
    const answers = answersOf(draft);
    return reply.page('pages/refer/confirmation.njk', {
      pageTitle: t(request).confirmation.title,
      reference: formatReference(draft.submittedReference),
      urgent: answers.urgent?.urgent === 'yes',
    });
  });

  /** Shared by GET and POST of a step: the draft, and whether this step may be shown now. */
  async function stepContext(request: FastifyRequest, stepId: string, reply: FastifyReply) {
    const step = stepById(journey, stepId);
    if (!step) return { done: reply.callNotFound() };
    const draft = await draftOf(request);
    if (!draft) return { done: restart(request, reply) };
    if (draft.submittedReference) return { done: reply.redirect('/refer/confirmation', 303) };
    const answers = answersOf(draft);
    // A step off the path (skipped, or of another branch) is refused: go to the first step still to answer.
    if (!isReachable(journey, answers, step.id)) return { done: to(reply, frontier(journey, answers)) };
    return { step, draft, answers };
  }

  function renderStep(request: FastifyRequest, reply: FastifyReply, id: string, answers: Answers, values: Record<string, unknown>, changing: boolean, errors: FieldError[] = [], status = 200) {
    const step = stepById(journey, id)!;
    const view = stepView(step, answers, values, errors, request.language);
    const previous = previousStep(journey, answers, id);
    return reply.status(status).page('pages/refer/step.njk', {
      pageTitle: `${errors.length > 0 ? `${t(request).errorPrefix}: ` : ''}${view.title}`,
      view,
      back: changing ? '/refer/check' : previous ? `/refer/${previous}` : '/refer',
      action: `/refer/${id}${changing ? '?change=1' : ''}`,
      errors: view.errors,
    });
  }

  app.get('/refer/:step', { schema: { params: stepParams, querystring: pageQuery, hide: true }, config: routeConfig }, async (request, reply) => {
    const context = await stepContext(request, request.params.step, reply);
    if ('done' in context) return context.done;
    return renderStep(request, reply, context.step.id, context.answers, context.answers[context.step.id] ?? {}, request.query.change === '1');
  });

  app.post('/refer/:step', { schema: { params: stepParams, querystring: pageQuery, body: formBody, hide: true }, config: routeConfig }, async (request, reply) => {
    const context = await stepContext(request, request.params.step, reply);
    if ('done' in context) return context.done;
    const { step, draft, answers } = context;
    const changing = request.query.change === '1';
    const { _csrf: _ignored, ...body } = request.body;
    const result = validateStep(step, answers, body, { today: clock() });
    if (!result.ok) return renderStep(request, reply, step.id, answers, body, changing, result.errors, 400);
    const saved = saveStep(journey, answers, step.id, result.value);
    if (!(await saveDraft(store.db, draft, saved, now()))) return reply.redirect('/refer/confirmation', 303);
    const next = afterSave(journey, saved, step.id, changing);
    // Changing an answer that opens a new question: ask it, then come back to check your answers.
    if (changing && next !== checkAnswers) return reply.redirect(`/refer/${next}?change=1`, 303);
    return to(reply, next);
  });
};
