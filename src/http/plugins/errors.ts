import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RootsError, isRootsError, toProblemJson, type Problem } from '../../errors/roots-error.ts';
import { contentFor } from '../../web/content/index.ts';

/**
 * API routes answer with problem+json; pages answer with an NHS-styled error page. A request is
 * an API request when the router placed it inside /api/v1 (`request.api`), or, for answers given
 * before or without a route, when its decoded path is under /api/ however the target was written
 * (percent-encoded, absolute-form).
 */
export function wantsJson(request: FastifyRequest): boolean {
  if (request.api) return true;
  const path = decodedPath(request.url);
  return path.startsWith('/api/') || path === '/api' || path === '/health' || path === '/ready';
}

/** The path of a request target (origin-form or absolute-form), percent-decoded where it can be. */
export function decodedPath(target: string): string {
  let path: string;
  try {
    path = new URL(target, 'http://roots.invalid').pathname;
  } catch {
    path = target.split('?')[0] ?? '';
  }
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/**
 * The one error handler. Known errors (RootsError, request validation) are shown with their
 * catalogue code; anything else is logged with its stack and shown only as INTERNAL, so no
 * stack trace or internal message ever reaches a user.
 */
export const errors = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const known = toRootsError(error);
      if (known.status >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.info({ code: known.code }, 'request refused');
      return send(request, reply, known);
    });
    app.setNotFoundHandler((request, reply) => send(request, reply, new RootsError('NOT_FOUND')));
  },
  { name: 'errors', dependencies: ['pages'] },
);

function toRootsError(error: FastifyError): RootsError {
  if (isRootsError(error)) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const problems: Problem[] = error.validation.map((issue) => ({
      field: [issue.instancePath.replace(/^\//, '').replaceAll('/', '.'), (issue.params as { issue?: { path?: PropertyKey[] } } | undefined)?.issue?.path?.map(String).join('.')].find(Boolean) ?? 'body',
      reason: issue.message ?? 'is not valid',
    }));
    return new RootsError('VALIDATION_FAILED', { problems, detail: 'Some values are not valid.' });
  }
  if (error.validation) {
    return new RootsError('VALIDATION_FAILED', {
      problems: error.validation.map((issue) => ({ field: issue.instancePath || 'body', reason: issue.message ?? 'is not valid' })),
    });
  }
  if (error.statusCode === 429) return new RootsError('RATE_LIMITED');
  if (error.statusCode === 413) return new RootsError('BAD_REQUEST', { detail: 'The request is too large.' });
  if (error.statusCode === 415) return new RootsError('BAD_REQUEST', { detail: 'The content type is not supported.' });
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new RootsError('BAD_REQUEST', { detail: 'The request could not be understood.' });
  }
  return new RootsError('INTERNAL');
}

function send(request: FastifyRequest, reply: FastifyReply, error: RootsError) {
  reply.status(error.status);
  if (wantsJson(request)) {
    return reply.type('application/problem+json').send(toProblemJson(error, decodedPath(request.url)));
  }
  const t = contentFor(request.language ?? 'en');
  const [heading, message] =
    error.status === 404
      ? [t.errors.notFoundTitle, t.errors.notFound]
      : error.status === 503
        ? [t.errors.unavailableTitle, t.errors.unavailable]
        : error.status >= 500
          ? [t.errors.serverTitle, t.errors.server]
          : [error.title, error.detail ?? ''];
  return reply.page('pages/error.njk', { pageTitle: heading, heading, message, code: error.code });
}
