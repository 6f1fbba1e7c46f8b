import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor } from '../../access/actor.ts';
import {
  createStaffAccount,
  deactivateStaffAccount,
  getApiToken,
  getStaffAccount,
  listApiTokens,
  listStaffAccounts,
  resetStaffPassword,
  revokeApiToken,
} from '../../access/staff-admin.service.ts';
import { staffRole } from '../../domain/codes.ts';
import { isRootsError } from '../../errors/roots-error.ts';
import { contentFor } from '../../web/content/index.ts';
import type { AppDependencies } from '../app.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const listQuery = z.object({ done: z.enum(['deactivated', 'revoked']).optional(), lang: z.enum(['en', 'cy']).optional() });
const newUserBody = z.object({
  email: z.string().max(400).default(''),
  displayName: z.string().max(400).default(''),
  role: z.string().max(40).default(''),
  _csrf: z.string().max(200).optional(),
});

/**
 * Administration pages for an administrator: staff accounts and API tokens of their own
 * organisation. Routes declare `access: 'administrator'`; the service functions check again
 * (and audit refusals), so a route without the declaration still refuses everyone else.
 */
export const adminRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, now }) => {
  const config = { access: 'administrator' } as const;

  /** The signed-in actor, or a redirect to sign in (until the route access hook does this for every route). */
  function actorOr(request: FastifyRequest, reply: FastifyReply): Actor | null {
    if (request.actor) return request.actor;
    void reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
    return null;
  }
  const roles = (language: 'en' | 'cy', selected: string) =>
    staffRole.values.map((value) => ({ value, text: contentFor(language).admin.roles[value], selected: value === selected }));

  app.get('/admin/users', { schema: { querystring: listQuery, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    const users = await listStaffAccounts(store.db, actor);
    const t = contentFor(request.language).admin;
    return reply.page('pages/admin/users.njk', { pageTitle: t.users.title, users, done: request.query.done, roleNames: t.roles });
  });

  app.get('/admin/users/new', { schema: { querystring: listQuery, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    await listStaffAccounts(store.db, actor); // access check (and audit) before showing the form
    const t = contentFor(request.language).admin;
    return reply.page('pages/admin/user-new.njk', { pageTitle: t.newUser.title, values: { email: '', displayName: '' }, roles: roles(request.language, '') });
  });

  app.post('/admin/users/new', { schema: { body: newUserBody, querystring: listQuery, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    const t = contentFor(request.language).admin;
    const values = { email: request.body.email.trim(), displayName: request.body.displayName.trim(), role: request.body.role };
    if (actor.kind !== 'staff') return reply.status(403).send();
    try {
      const created = await createStaffAccount(store.db, actor, { organisationId: actor.organisationId, email: values.email, displayName: values.displayName, role: values.role as never }, now());
      return reply.page('pages/admin/password.njk', { pageTitle: t.newUser.created, heading: t.newUser.created, user: created.user, password: created.password });
    } catch (error) {
      if (!isRootsError(error) || (error.code !== 'VALIDATION_FAILED' && error.code !== 'ALREADY_EXISTS')) throw error;
      const messages: Record<string, string> = { email: t.newUser.emailInvalid, displayName: t.newUser.nameMissing, role: t.newUser.roleMissing };
      const fields = new Set(error.problems.map((problem) => problem.field));
      const errors = ['email', 'displayName', 'role']
        .filter((field) => fields.has(field))
        .map((field) => ({ field, text: error.code === 'ALREADY_EXISTS' ? t.newUser.emailTaken : messages[field]! }));
      return reply.status(400).page('pages/admin/user-new.njk', { pageTitle: `${t.errorPrefix}: ${t.newUser.title}`, errors, values, roles: roles(request.language, values.role) });
    }
  });

  app.get('/admin/users/:id/deactivate', { schema: { params: idParams, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    const user = await getStaffAccount(store.db, actor, { id: request.params.id });
    const t = contentFor(request.language).admin;
    return reply.page('pages/admin/confirm.njk', {
      pageTitle: t.deactivate.title,
      heading: t.deactivate.title,
      subject: `${user.displayName} (${user.email})`,
      explanation: t.deactivate.explanation,
      action: `/admin/users/${user.id}/deactivate`,
      buttonText: t.deactivate.button,
      warning: true,
    });
  });

  app.post('/admin/users/:id/deactivate', { schema: { params: idParams, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    await deactivateStaffAccount(store.db, actor, { id: request.params.id }, now());
    return reply.redirect('/admin/users?done=deactivated', 303);
  });

  app.get('/admin/users/:id/reset-password', { schema: { params: idParams, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    const user = await getStaffAccount(store.db, actor, { id: request.params.id });
    const t = contentFor(request.language).admin;
    return reply.page('pages/admin/confirm.njk', {
      pageTitle: t.resetPassword.title,
      heading: t.resetPassword.title,
      subject: `${user.displayName} (${user.email})`,
      explanation: t.resetPassword.explanation,
      action: `/admin/users/${user.id}/reset-password`,
      buttonText: t.resetPassword.button,
      warning: false,
    });
  });

  app.post('/admin/users/:id/reset-password', { schema: { params: idParams, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    const result = await resetStaffPassword(store.db, actor, { id: request.params.id }, { now: now() });
    const t = contentFor(request.language).admin;
    return reply.page('pages/admin/password.njk', { pageTitle: t.resetPassword.done, heading: t.resetPassword.done, user: result.user, password: result.password });
  });

  app.get('/admin/tokens', { schema: { querystring: listQuery, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    const tokens = await listApiTokens(store.db, actor);
    const at = now();
    const t = contentFor(request.language).admin;
    return reply.page('pages/admin/tokens.njk', {
      pageTitle: t.tokens.title,
      done: request.query.done,
      tokens: tokens.map((token) => ({
        ...token,
        created: new Date(token.createdAt).toISOString().slice(0, 10),
        expires: new Date(token.expiresAt).toISOString().slice(0, 10),
        status: token.revokedAt ? 'revoked' : new Date(token.expiresAt) <= at ? 'expired' : 'live',
      })),
    });
  });

  app.get('/admin/tokens/:id/revoke', { schema: { params: idParams, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    const token = await getApiToken(store.db, actor, request.params.id);
    const t = contentFor(request.language).admin;
    return reply.page('pages/admin/confirm.njk', {
      pageTitle: t.revokeToken.title,
      heading: t.revokeToken.title,
      subject: `${token.label} (${token.email})`,
      explanation: t.revokeToken.explanation,
      action: `/admin/tokens/${token.id}/revoke`,
      buttonText: t.revokeToken.button,
      warning: true,
    });
  });

  app.post('/admin/tokens/:id/revoke', { schema: { params: idParams, hide: true }, config }, async (request, reply) => {
    const actor = actorOr(request, reply);
    if (!actor) return reply;
    await revokeApiToken(store.db, actor, request.params.id, now());
    return reply.redirect('/admin/tokens?done=revoked', 303);
  });
};
