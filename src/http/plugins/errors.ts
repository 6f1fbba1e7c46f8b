import type { Socket } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type nunjucks from 'nunjucks';
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
  if (error.statusCode === 413) return new RootsError('PAYLOAD_TOO_LARGE', { detail: 'The request body is over the 1 MB limit.' });
  if (error.statusCode === 415) return new RootsError('UNSUPPORTED_MEDIA_TYPE', { detail: 'Send the body as application/json.' });
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new RootsError('BAD_REQUEST', { detail: 'The request could not be understood.' });
  }
  return new RootsError('INTERNAL');
}

export function send(request: FastifyRequest, reply: FastifyReply, error: RootsError) {
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
          : [request.language === 'cy' ? t.errors.requestTitle : error.title, error.detail ?? error.title];
  // Details of other 4xx errors come from the catalogue and the code, in English: marked so on Welsh pages.
  const english = error.status !== 404 && error.status < 500 && request.language === 'cy' ? 'en' : undefined;
  return reply.page('pages/error.njk', { pageTitle: heading, heading, message, code: error.code, messageLang: english });
}

/**
 * Errors Fastify meets before any route runs (a malformed URL such as `/api/%E0%A4%A`), as the
 * `frameworkErrors` server option: the same answers as every other error.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  request.log.info({ code: error.code }, 'request refused');
  return send(request, reply, new RootsError('BAD_REQUEST', { detail: 'The web address could not be understood.' }));
}

/**
 * Errors Node's HTTP parser meets before Fastify sees a request at all (headers over 16 KB:
 * 431; a request that is not HTTP: 400), as the `clientErrorHandler` server option. There is no
 * request yet, so the request line is read from the bytes received: problem+json when its path
 * is under /api/, the NHS-styled error page (in English: no query was parsed) otherwise.
 */
export function clientErrorHandler(views: nunjucks.Environment) {
  return (failure: Error, socket: Socket): void => {
    // Node's parser errors carry the bytes received so far (the typings say otherwise).
    const error = failure as Error & { code?: string; rawPacket?: unknown };
    const raw = Buffer.isBuffer(error.rawPacket) ? error.rawPacket : undefined;
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const known =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? new RootsError('HEADERS_TOO_LARGE', { detail: 'The request headers are over the 16 KB limit. Clearing this site\'s cookies may help.' })
        : new RootsError('BAD_REQUEST', { detail: 'The request could not be understood.' });
    const target = raw?.toString('latin1', 0, Math.min(raw.length, 2048)).split('\r\n')[0]?.split(' ')[1] ?? '';
    const path = decodedPath(target);
    const api = path.startsWith('/api/') || path === '/health' || path === '/ready';
    let body: string;
    let type: string;
    if (api) {
      body = JSON.stringify(toProblemJson(known, path));
      type = 'application/problem+json; charset=utf-8';
    } else {
      const t = contentFor('en');
      body = views.render('pages/error.njk', { language: 'en', t, cspNonce: '', currentPath: path, pageTitle: known.title, heading: known.title, message: known.detail, code: known.code });
      type = 'text/html; charset=utf-8';
    }
    socket.end(
      [
        `HTTP/1.1 ${known.status} ${known.status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`,
        `Content-Type: ${type}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        "Content-Security-Policy: default-src 'self'; script-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        'X-Content-Type-Options: nosniff',
        'Cache-Control: no-store',
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    );
  };
}
