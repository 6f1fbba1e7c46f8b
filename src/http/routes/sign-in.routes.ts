import rateLimit from '@fastify/rate-limit';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localPath } from '../../access/session.rules.ts';
import { signInWithPassword, signOut } from '../../access/session.service.ts';
import { contentFor } from '../../web/content/index.ts';
import type { AppDependencies } from '../app.ts';

const signInQuery = z.object({
  next: z.string().max(2000).optional(),
  signedOut: z.literal('1').optional(),
  lang: z.enum(['en', 'cy']).optional(),
});

// Lengths are bounded; emptiness is reported on the form (not as a validation error page).
const signInBody = z.object({
  email: z.string().max(320).default(''),
  password: z.string().max(1000).default(''),
  next: z.string().max(2000).optional(),
  _csrf: z.string().max(200).optional(),
});

/**
 * Staff sign-in and sign-out (pages). Public routes: anyone may reach the form. The CSRF token is
 * checked by the sessions plugin before the handler runs; form posts are rate-limited per client
 * address (@fastify/rate-limit), and accounts and addresses back off after repeated failures.
 */
export const signInRoutes: FastifyPluginAsyncZod<AppDependencies> = async (app, { store, config, now }) => {
  const settings = config.sessions;
  // Encapsulated here: limits only the routes that ask for it (config.rateLimit). When a parent
  // has registered @fastify/rate-limit already, its instance serves these routes too.
  if (!app.hasDecorator('rateLimit')) await app.register(rateLimit, { global: false });

  app.get('/sign-in', { schema: { querystring: signInQuery, hide: true }, config: { access: 'public' } }, async (request, reply) => {
    return reply.page('pages/sign-in.njk', {
      pageTitle: contentFor(request.language).signIn.title,
      next: localPath(request.query.next),
      signedOut: request.query.signedOut === '1' && !request.staffSession,
      values: { email: '' },
    });
  });

  app.post(
    '/sign-in',
    {
      schema: { querystring: signInQuery, body: signInBody, hide: true },
      config: { access: 'public', rateLimit: { max: settings.ratePerMinute, timeWindow: 60_000 } },
    },
    async (request, reply) => {
      const t = contentFor(request.language).signIn;
      const next = localPath(request.body.next ?? request.query.next);
      const email = request.body.email.trim();
      const password = request.body.password;
      const render = (status: number, errors: { field: string; text: string }[]) =>
        reply.status(status).page('pages/sign-in.njk', { pageTitle: `${t.errorPrefix}: ${t.title}`, next, errors, values: { email } });

      const missing = [
        ...(email === '' ? [{ field: 'email', text: t.emailMissing }] : []),
        ...(password === '' ? [{ field: 'password', text: t.passwordMissing }] : []),
      ];
      if (missing.length > 0) return render(400, missing);

      const result = await signInWithPassword(store.db, {
        email,
        password,
        clientAddress: request.ip,
        previousSessionId: request.staffSession?.id ?? null,
        now: now(),
        settings,
      });
      if (result.kind === 'locked') {
        const minutes = Math.max(1, Math.ceil((result.until.getTime() - now().getTime()) / 60_000));
        reply.header('retry-after', String(minutes * 60));
        return render(429, [{ field: 'email', text: t.locked.replace('{minutes}', String(minutes)) }]);
      }
      if (result.kind === 'refused') return render(401, [{ field: 'email', text: t.failed }]);
      return reply.setSessionCookie(result.token).redirect(next ?? '/', 303);
    },
  );

  app.post('/sign-out', { config: { access: 'public' } }, async (request, reply) => {
    if (request.staffSession) await signOut(store.db, request.staffSession, now());
    return reply.clearSessionCookie().redirect('/sign-in?signedOut=1', 303);
  });
};
